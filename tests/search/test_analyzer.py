"""Tests for the shared passage/question analyzer (phrases are from the seed CMS texts)."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

try:  # bot.search also imports the index; don't let work on it break these tests
    from bot.search import analyzer as A
except ImportError:  # pragma: no cover - only while bot/search/index.py is in flux
    _spec = importlib.util.spec_from_file_location(
        "_cms_analyzer", Path(__file__).resolve().parents[2] / "bot" / "search" / "analyzer.py"
    )
    assert _spec is not None and _spec.loader is not None
    A = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(A)

analyze = A.analyze
analyze_with_spans = A.analyze_with_spans


def terms(text: str) -> list[str]:
    """Analyze and cross-check the span path, so every test also checks the invariant."""
    out = analyze(text)
    assert [t for t, _, _ in analyze_with_spans(text)] == out
    return out


# --------------------------------------------------------------------------- words


def test_plain_words_are_stemmed_and_stopwords_dropped() -> None:
    assert terms("Amendments to CMS Appendices to include fourteen additional species") == [
        "amend", "cms", "appendic", "includ", "fourteen", "addit", "speci",
    ]


def test_question_words_are_stopwords() -> None:
    assert terms("Who, when, what, how many and how much?") == []


def test_stemming_matches_across_inflections() -> None:
    assert terms("migratory species") == terms("Migratory Species") == ["migratori", "speci"]
    assert terms("recognized") == terms("recognize")


def test_appendix_roman_numeral_i_is_kept() -> None:
    assert terms("Appendix I and Appendix II") == ["appendix", "i", "appendix", "ii"]


def test_nfkc_and_casefold() -> None:
    assert terms("ﬁnal ＣＯＰ１４ Straße İstanbul") == ["final", "cop14", "strass", "istanbul"]


# --------------------------------------------------------------------------- apostrophes


def test_possessives() -> None:
    assert terms("State of the World's Migratory Species") == ["state", "world", "migratori", "speci"]
    assert terms("the Pallas's cat") == terms("Pallas cat") == ["palla", "cat"]


def test_curly_apostrophe_like_straight() -> None:
    assert terms("Norway’s proposal, the Convention’s history") == terms(
        "Norway's proposal, the Convention's history"
    )
    assert terms("Asia’s") == ["asia"]


def test_quotes_around_words_are_not_part_of_tokens() -> None:
    assert terms("the 'State of the World's Migratory Species' report") == [
        "state", "world", "migratori", "speci", "report",
    ]


# --------------------------------------------------------------------------- CMS symbols


def test_document_symbol_whole_and_parts() -> None:
    assert terms("UNEP/CMS/COP14/Doc.19") == [
        "unep/cms/cop14/doc.19", "unep", "cms", "cop14", "doc.19", "doc", "19",
    ]


def test_document_symbol_with_sub_number() -> None:
    toks = terms("the new budget proposal for 2024-2026 ([UNEP/CMS/COP14/Doc.13.2](#)).")
    assert toks[-6:] == ["unep/cms/cop14/doc.13.2", "unep", "cms", "cop14", "doc.13.2", "doc", "13.2"][-6:]
    assert "unep/cms/cop14/doc.13.2" in toks and "13" not in toks and "2" not in toks


def test_un_symbol() -> None:
    assert terms("sustainable use\" (A/75/L.73).") == ["sustain", "use", "a/75/l.73", "75", "l.73", "73"]


def test_decision_numbers() -> None:
    assert terms("14.AA The Secretariat shall") == ["14.aa", "secretariat", "shall"]
    assert terms("[Decision 13.138](#)") == terms("Decision 13.138") == ["decis", "13.138"]
    assert "14.bb" in terms("- 14.BB Parties are encouraged")


def test_resolution_with_revision() -> None:
    toks = terms("Resolution 11.8 (Rev.COP12)")
    assert toks == ["resolut", "11.8", "rev.cop12", "rev", "cop12"]
    assert set(terms("Resolution 11.8")) <= set(toks)


def test_resolution_with_annex() -> None:
    assert terms("([Resolution 13.2/Annex 6](#))") == ["resolut", "13.2/annex", "13.2", "annex", "6"]


@pytest.mark.parametrize("text", ["COP 14", "COP14", "CoP14", "cop14", "COP-14", "COP\u00a014", "COP14.", "(COP14)"])
def test_cop_forms(text: str) -> None:
    assert terms(text) == ["cop14"]


def test_cms_cop14() -> None:
    assert terms("CMS COP14 Kicks Off") == ["cms", "cop14", "kick"]


def test_cop_not_merged_with_other_numbers() -> None:
    assert terms("COP 145") == ["cop", "145"]
    assert terms("the COP\n\n14. Requests") == ["cop", "14", "request"]


def test_ordinal_meeting_of_the_conference_of_the_parties() -> None:
    text = "The 12th meeting of the Conference of the Parties (COP12) adopted"
    assert terms(text) == ["12th", "cop12", "meet", "confer", "parti", "cop12", "adopt"]
    assert "cop14" in terms("14th MEETING OF THE CONFERENCE OF THE PARTIES\nSamarkand")
    assert "cop14" in terms("Fourteenth meeting of the Conference of the Parties")
    assert "cop11" in terms("CMS Parties at their 11th COP in Quito")


def test_ordinal_without_the_phrase_is_just_a_word() -> None:
    assert terms("the first time in Central Asia") == ["first", "time", "central", "asia"]
    assert terms("its 14th year") == ["14th", "year"]


# --------------------------------------------------------------------------- numbers


def test_thousands_separator() -> None:
    assert terms("including 1,189 that have been recognized") == ["includ", "1,189", "1189", "recogn"]
    assert terms("only 2,700 to 3,300 individuals") == ["2,700", "2700", "3,300", "3300", "individu"]


def test_comma_between_numbers_is_not_a_separator_otherwise() -> None:
    assert terms("Sessions 1,2 and 12, 13") == ["session", "1", "2", "12", "13"]


def test_years_and_ranges() -> None:
    assert terms("Samarkand, 12 February 2024 –") == ["samarkand", "12", "februari", "2024"]
    assert terms("the period 2024-2032.") == ["period", "2024-2032", "2024", "2032"]
    assert terms("the period 2024–2032") == terms("the period 2024-2032")
    assert terms("the week of 12-17 February") == ["week", "12-17", "12", "17", "februari"]


def test_per_cent() -> None:
    assert terms("increased by 40 per cent") == ["increas", "40", "per", "cent"]
    assert terms("40%") == ["40"]


# --------------------------------------------------------------------------- hyphens


def test_hyphenated_words_whole_and_parts() -> None:
    assert terms("a High-level Segment") == ["high-level", "high", "level", "segment"]
    assert terms("Kunming-Montreal Global Biodiversity Framework") == [
        "kunm-montreal", "kunm", "montreal", "global", "biodivers", "framework",
    ]
    assert terms("well-functioning ecosystems") == ["well-function", "well", "function", "ecosystem"]


def test_hyphen_parts_match_spaced_words() -> None:
    assert set(terms("high level panel")) <= set(terms("High-level Panel"))


# --------------------------------------------------------------------------- e-mail, URLs


def test_email() -> None:
    assert terms("questions to press@cms.int") == ["question", "press@cms.int", "press", "cms.int", "cms"]


def test_urls_give_useful_parts_only() -> None:
    assert terms("<https://www.cms.int/cop14>") == ["cms.int", "cms", "cop14"]
    assert terms("www.cms.int") == ["cms.int", "cms"]
    assert terms("https://www.cms.int/en/press-media-inquiries?utm=1&x=y#top.") == [
        "cms.int", "cms", "press-media-inquiri", "press", "media", "inquiri",
    ]


# --------------------------------------------------------------------------- markdown, punctuation


def test_markdown_residue_is_ignored() -> None:
    assert terms("[Resolution 11.8 \\(Rev.COP12\\)](#)") == terms("Resolution 11.8 (Rev.COP12)")
    assert terms("**CONVENTION ON\nMIGRATORY\nSPECIES**") == ["convent", "migratori", "speci"]
    assert terms("Access COP14 [Annotated Agenda](#) and [Meeting Documents](#)") == [
        "access", "cop14", "annot", "agenda", "meet", "document",
    ]
    assert terms("__init__ _x_") == ["init", "x"]


def test_trailing_punctuation_is_not_part_of_tokens() -> None:
    assert terms("Doc.19.") == terms("Doc.19")
    assert terms("in 2024.") == ["2024"]
    assert terms("open COP14.") == ["open", "cop14"]
    assert terms("H.E. Aziz, e.g. i.e. and/or") == ["h.e", "aziz"]


# --------------------------------------------------------------------------- symmetry


def test_question_shares_symbol_token_with_document() -> None:
    doc = set(terms("UNEP/CMS/COP14/Doc.19\n\n19 December 2023\n\nOriginal: English"))
    question = terms("What is UNEP/CMS/COP14/Doc.19 about?")
    assert "unep/cms/cop14/doc.19" in question
    assert set(question) <= doc


def test_question_forms_meet_passage_forms() -> None:
    passage = set(terms("The 14th Meeting of the Conference of the Parties (COP14) opened today"))
    for q in ("What happened at COP 14?", "CMS COP-14 opening", "CoP14"):
        assert "cop14" in terms(q) and "cop14" in passage
    assert "1189" in set(terms("How many species, 1189?")) & set(terms("including 1,189 that"))


# --------------------------------------------------------------------------- spans


def test_spans_point_into_the_original_text() -> None:
    text = "Samarkand – The 14th Meeting of the Conference of the Parties (COP14) and the World’s ﬁnal"
    spans = analyze_with_spans(text)
    got = [(t, text[a:b]) for t, a, b in spans]
    assert ("cop14", "14th Meeting of the Conference of the Parties") in got
    assert ("meet", "Meeting") in got and ("cop14", "COP14") in got
    assert ("world", "World’s") in got and ("final", "ﬁnal") in got


def test_symbol_parts_share_the_symbol_span() -> None:
    text = "the UNEP/CMS/COP14/Doc.19."
    assert {(a, b) for _, a, b in analyze_with_spans(text)} == {(4, 25)}


_PIECES = [
    "COP", "cop", "MOP", " ", "\n", "\t", "\u00a0", "14", "145", "14th", "2nd", "Meeting", "of", "the",
    "Conference", "Parties", "Fourteenth", "first", "-", "–", ".", ",", "/", "@", "'", "’", "https://",
    "www.", "cms.int", "(", ")", "](#)", "**", "\\(", "1,189", ",000", "x", "é", "e\u0301", "İ", "ſ",
    "\u0301", "नमस्ते", "😀", "❤️", "\x00", "\ud800", "\u200b", "\u200d", "_", "ﬁ", "①", "²", "Doc",
    "UNEP", "?", "#", "%20", ":", "*", "<", "Pallas's", "e.g.", "ß", "Σ", "¼", "Ⅻ", "العربية",
]


def test_span_invariant_on_random_tricky_strings() -> None:
    rng = random.Random(20240212)
    for _ in range(3000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 20)))
        spans = analyze_with_spans(text)
        assert [t for t, _, _ in spans] == analyze(text), repr(text)
        for tok, start, end in spans:
            assert tok and not any(c.isspace() for c in tok), repr(text)
            assert 0 <= start < end <= len(text), repr(text)


def test_span_invariant_on_seed_texts() -> None:
    seeds = Path("/work/shared/seeds")
    files = sorted(seeds.glob("*.txt")) if seeds.is_dir() else []
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert [t for t, _, _ in analyze_with_spans(text)] == analyze(text)


# --------------------------------------------------------------------------- robustness


@pytest.mark.parametrize(
    "text",
    [
        "",
        " \n\t ",
        "\x00\x01\x02\x1f\x7f",
        "😀🦁🐆 ❤️‍🔥",
        "\ud800 lone \udfff surrogates",
        "@everyone @here",
        "שלום עולם مرحبا بالعالم",
        "नमस्ते दुनिया",
        "\u202eRTL override\u202c",
        "a" * 10_000,
        "a." * 5_000,
        "1," * 5_000,
        "https://" + "x/" * 5_000,
    ],
)
def test_any_string_returns_a_list(text: str) -> None:
    out = terms(text)
    assert isinstance(out, list) and all(isinstance(t, str) and t for t in out)


def test_non_latin_words_are_kept() -> None:
    assert terms("@everyone נמר العربية नमस्ते") == ["everyon", "נמר", "العربية", "नमस्ते"]


def test_one_megabyte_input() -> None:
    text = ("Samarkand, 12 February 2024 – UNEP/CMS/COP14/Doc.19 and 1,189 species. " * 15_000)[:1_000_000]
    out = analyze(text)
    assert out[:4] == ["samarkand", "12", "februari", "2024"]
    assert len(analyze("x" * 1_000_000)) == 0  # one absurd "word": too long to be a term


def test_version_is_a_string() -> None:
    assert isinstance(A.ANALYZER_VERSION, str) and A.ANALYZER_VERSION
