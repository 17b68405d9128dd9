"""The fr/es/pt → English glossary that lets a question search English texts."""

from __future__ import annotations

from bot.search.analyzer import analyze
from bot.text.glossary import CONCEPTS, concepts_in, english_terms


def test_every_concept_has_every_language() -> None:
    for concept, forms in CONCEPTS.items():
        assert set(forms) >= {"en", "fr", "es", "pt"} and all(forms[lang] for lang in forms), concept


def test_questions_map_to_english_terms_that_english_passages_use() -> None:
    opened = set(analyze("Major UN Meeting on Migratory Species Conservation Opens in Uzbekistan"))
    for question, lang in (("quand a commencé la COP14 ?", "fr"), ("¿cuándo se inauguró la CdP14?", "es"),
                           ("quando começou a COP14?", "pt")):
        terms = english_terms(question, lang)
        assert "open" in terms and opened & set(terms["open"]), question
    species = english_terms("quantas espécies migratórias a convenção protege hoje?", "pt")
    assert species["species"] == tuple(analyze("species")) and species["migratory"] == tuple(analyze("migratory"))


def test_accents_are_optional_and_words_whole() -> None:
    assert "theme" in concepts_in("c'est quoi le theme de la cop15", "fr")
    assert "cost" not in concepts_in("le coutelier", "fr")
    assert english_terms("When did COP14 open?", "en") == {}


def test_a_question_in_another_languages_words() -> None:
    from pathlib import Path

    from bot.cms.meetings import MeetingRegistry
    from bot.question.query import parse_question
    from bot.text.glossary import translated_query

    meetings = MeetingRegistry.load(Path(__file__).resolve().parents[2] / "corpus" / "meetings.yaml")
    query = parse_question("How many migratory species did the signatories of the grassland birds MOU add?", meetings)
    spanish = translated_query(query, "es", known=lambda t: True)
    assert spanish is not None and spanish.lang == "en"  # the reply stays in the question's language
    assert {"signatari", "pastizal", "migratori"} <= set(spanish.content_terms)
    assert not {"signatori", "grassland", "migratori" if False else "speci"} & set(spanish.content_terms)
    assert "migratori" in spanish.counted and "speci" not in spanish.counted  # what is counted, in Spanish words
    side = translated_query(parse_question("How long does each side event last?", meetings), "pt", known=lambda t: True)
    assert side is not None and {"event", "paralel"} <= set(side.content_terms)  # a two-word form keeps both words
    assert translated_query(query, "en", known=lambda t: True) is None
    assert translated_query(parse_question("Who is Amy Fraenkel?", meetings), "fr", known=lambda t: True) is None
