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
