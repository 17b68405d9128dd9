"""Per-language analyzers: own stemmer and stopwords; symbols, codes and accent folding shared."""

from __future__ import annotations

import pytest

from bot.search.analyzer import analyze, analyze_with_spans


def terms(text: str, lang: str) -> list[str]:
    out = analyze(text, lang)
    assert [t for t, _, _ in analyze_with_spans(text, lang)] == out
    return out


@pytest.mark.parametrize("lang, text", [
    ("fr", "quand a commencé la COP14 ?"),
    ("es", "¿cuándo empezó la COP14?"),
    ("pt", "quando começou a COP14?"),
])
def test_question_words_and_articles_are_stopwords(lang: str, text: str) -> None:
    got = terms(text, lang)
    assert "cop14" in got and len(got) == 2  # the verb and the meeting


def test_each_language_stems_its_own_inflections() -> None:
    assert terms("espèces migratrices", "fr") == terms("espèce migratrice", "fr")
    assert terms("especies migratorias", "es") == terms("especie migratoria", "es")
    assert terms("espécies migratórias", "pt") == terms("espécie migratória", "pt")
    # the English stemmer would not merge these French forms
    assert analyze("adoptées", "en") != analyze("adopter", "en")
    assert terms("adoptées", "fr") == terms("adopter", "fr")
    assert terms("réunions", "fr") == terms("réunion", "fr")


def test_accents_are_folded_so_unaccented_typing_matches() -> None:
    assert terms("Conférence réunion", "fr") == terms("Conference reunion", "fr")
    assert terms("reunión Conferencia", "es") == terms("reunion Conferencia", "es")
    assert terms("Samarcanda Brasília", "pt") == terms("samarcanda brasilia", "pt")


def test_folding_leaves_other_scripts_alone() -> None:
    assert analyze("हिन्दी", "fr") == analyze("हिन्दी", "en") == ["हिन्दी"]


def test_spans_point_at_the_accented_original() -> None:
    text = "la réunion de Samarcande"
    spans = analyze_with_spans(text, "fr")
    assert [(t, text[a:b]) for t, a, b in spans][0] == ("reunion", "réunion")


def test_french_elisions_are_dropped() -> None:
    assert terms("l'initiative d'Asie qu'elle", "fr") == terms("initiative Asie", "fr")
    assert terms("l’Initiative", "fr") == terms("initiative", "fr")


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt"])
def test_symbols_and_meeting_codes_are_the_same_in_every_language(lang: str) -> None:
    assert "cop14" in analyze("COP14", lang) == analyze("CdP14", lang) == analyze("CoP 14", lang) \
        == analyze("CdP 14", lang) == analyze("cop-14", lang)
    assert analyze("UNEP/CMS/COP14/Doc.19", lang) == analyze("UNEP/CMS/COP14/Doc.19", "en")
    assert analyze("Decision 14.AA", lang)[-1] == "14.aa"
    assert "1189" in analyze("1,189", lang)


def test_cdp_alone_is_cop_and_acronyms_keep_their_s() -> None:
    assert terms("la CdP de la CMS", "fr") == ["cop", "cms"]
    assert terms("CMS", "es") == terms("CMS", "pt") == terms("CMS", "en") == ["cms"]


def test_english_analysis_is_unchanged_by_default() -> None:
    text = "The 14th Meeting of the Conference of the Parties (COP 14) opened in Samarkand"
    assert analyze(text) == analyze(text, "en") == analyze(text, None) == analyze(text, "de")
    assert analyze(text) == ["14th", "cop14", "meet", "confer", "parti", "cop14", "open", "samarkand"]


@pytest.mark.parametrize("lang, text, code", [
    ("fr", "La 14e réunion de la Conférence des Parties", "cop14"),
    ("fr", "la quatorzième Conférence des Parties", "cop14"),
    ("fr", "la 11ème CdP", "cop11"),
    ("es", "la decimocuarta reunión de la Conferencia de las Partes", "cop14"),
    ("es", "la 12.ª reunión de la Conferencia de las Partes", "cop12"),
    ("pt", "sede da 15ª Conferência das Partes", "cop15"),
])
def test_meeting_names_in_other_languages_give_the_meeting_code(lang: str, text: str, code: str) -> None:
    assert code in terms(text, lang)
    assert code in terms(text, "en")  # the same term whatever the analyzer


def test_an_ordinal_before_other_words_is_no_meeting() -> None:
    assert not any(t.startswith("cop") for t in terms("la 14e session du comité", "fr"))
    assert terms("the 14th session of the committee", "en") == ["14th", "session", "committe"]
