"""Sentence units, verbatim quotes with ellipses, highlights, near-duplicates."""

from __future__ import annotations

from bot.answer.compose import highlights, near_duplicate, quote_passage, units
from bot.model import Passage

MINISTER = ("H.E. Aziz Abdukhakimov, Minister of Ecology, said: \"Uzbekistan is paying a special attention "
            "to regional cooperation.\" The 12th meeting adopted Resolution 11.8 (Rev.COP12) in 2017. "
            "See UNEP/CMS/COP14/Doc.13.2 for the budget. It was e.g. the first time.")


def passage(text: str) -> Passage:
    return Passage(id="x#para-1", source="x.md", kind="press_release", title="T", document_title="T",
                   date=None, locator="para. 1", text=text, position=0)


def test_units_do_not_split_on_abbreviations_or_symbols():
    parts = [MINISTER[u.start:u.end] for u in units(MINISTER)]
    assert parts == [
        "H.E. Aziz Abdukhakimov, Minister of Ecology, said: \"Uzbekistan is paying a special attention to regional cooperation.\"",
        "The 12th meeting adopted Resolution 11.8 (Rev.COP12) in 2017.",
        "See UNEP/CMS/COP14/Doc.13.2 for the budget.",
        "It was e.g. the first time.",
    ]


def test_list_items_are_units_of_their_own():
    text = "The agenda includes:\n- Amendments to CMS Appendices.\n- New global guidelines."
    assert [text[u.start:u.end] for u in units(text)] == [
        "The agenda includes:", "- Amendments to CMS Appendices.", "- New global guidelines."]


def test_long_passages_are_trimmed_around_the_best_sentence_verbatim():
    filler = " ".join(f"Sentence number {n} talks about nothing much." for n in range(30))
    text = filler + " The snow leopard is the logo of the conference. " + filler
    quote, _ = quote_passage(passage(text), {"snow": 2.0, "leopard": 2.0, "logo": 3.0})
    assert quote.startswith("… ") and quote.endswith(" …")
    assert "The snow leopard is the logo of the conference." in quote
    assert quote.removeprefix("… ").removesuffix(" …") in text
    assert len(quote) < len(text) / 3


def test_short_passages_are_quoted_whole():
    text = "Master of Ceremonies of the event was CMS Ambassador, Stanley Johnson."
    assert quote_passage(passage(text), {"johnson": 1.0}) == (text, 0)


def test_highlights_mark_the_matched_words():
    quote = "Norway’s proposal to add the Polar Bear to CMS Appendix II"
    spans = highlights(quote, {"polar", "bear", "appendix"})
    assert [quote[s:e] for s, e in spans] == ["Polar", "Bear", "Appendix"]


def test_near_duplicates():
    a = "The Central Asian Mammals Initiative has been presented on the occasion of CMS COP11 in Quito."
    assert near_duplicate(a, a.replace("Quito", "Quito, Ecuador"))
    assert not near_duplicate(a, "Norway’s proposal to add the Polar Bear to CMS Appendix II cleared the first hurdle.")


def test_a_quote_keeps_the_sentence_that_goes_on_from_it() -> None:
    from bot.answer.compose import quote_passage
    from bot.model import Passage

    text = ("Ten new species were added to the CMS Appendices, of which seven were added to Appendix I. "
            "These include the Asian elephant, jaguar and the great Indian bustard. "
            "Unrelated words follow here about budgets and staff.")
    passage = Passage(id="t#1", source="t", kind="page", title="", document_title="", date=None,
                      locator="para. 1", text=text * 2, position=0)
    quote, _ = quote_passage(passage, {"appendix": 2.0, "speci": 1.0, "ad": 1.0})
    assert "These include the Asian elephant" in quote
