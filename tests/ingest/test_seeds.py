"""The three real seed documents, as shipped in corpus/: counts, dates, symbols, locators, texts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.ingest.corpus import load_corpus
from bot.cms.meetings import MeetingRegistry
from bot.model import Passage

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def loaded():
    meetings = MeetingRegistry.load(CORPUS / "meetings.yaml")
    return load_corpus(CORPUS, meetings)


def passages_of(loaded, source: str) -> list[Passage]:
    return [p for p in loaded.passages if p.source == source]


def by_locator(loaded, source: str) -> dict[str, Passage]:
    return {p.locator: p for p in passages_of(loaded, source)}


def test_the_shipped_corpus_loads_without_problems(loaded):
    assert loaded.problems == []
    assert sorted(d.source for d in loaded.documents) == [
        "documents/unep-cms-cop14-doc19.md",
        "news/cms-news-cop11-2014.md",
        "press/cop14-opening-2024-02-12.md",
    ]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not beside the checkout")
@pytest.mark.parametrize("seed, shipped", [
    ("000_e7f9c08eb5a39745.txt", "news/cms-news-cop11-2014.md"),
    ("001_22972223640e9aba.txt", "press/cop14-opening-2024-02-12.md"),
    ("004_ad419001eb368d53.txt", "documents/unep-cms-cop14-doc19.md"),
])
def test_shipped_bodies_are_the_seeds_unchanged(loaded, seed, shipped):
    document = next(d for d in loaded.documents if d.source == shipped)
    assert document.body == (SEEDS / seed).read_text(encoding="utf-8")


# --- news listing (seed 000) ------------------------------------------------------------------

NEWS = "news/cms-news-cop11-2014.md"


def test_news_listing_has_ten_dated_items_newest_first(loaded):
    items = passages_of(loaded, NEWS)
    assert [p.locator for p in items] == [f"item {n}" for n in range(1, 11)]
    assert items[0].date == date(2014, 11, 8)
    assert items[-1].date == date(2014, 10, 22)
    assert [p.date.day for p in items] == [8, 7, 7, 6, 5, 4, 4, 3, 3, 22]


def test_news_items_keep_their_own_title_and_summary(loaded):
    items = by_locator(loaded, NEWS)
    assert items["item 1"].title == "Major Initiative Endorsed Today to Protect Asia’s Migratory Mammals"
    assert items["item 1"].text.startswith("CMS Parties at their 11th COP in Quito, Ecuador, agreed today")
    assert items["item 6"].title == "Champions Night"
    assert "Master of Ceremonies of the event was CMS Ambassador, Stanley Johnson" in items["item 6"].text
    assert items["item 5"].text == "New Signatories to MOUs and Partnership Agreements Signed"
    assert items["item 1"].document_title == "CMS news (COP11, Quito, 2014)"


def test_news_listing_drops_page_chrome(loaded):
    texts = " ".join(p.title + " " + p.text for p in passages_of(loaded, NEWS))
    assert "Please read more in our" not in texts
    assert "The list below contains" not in texts


def test_news_item_datelines_give_a_place(loaded):
    items = by_locator(loaded, NEWS)
    assert items["item 4"].place == "Quito"
    assert items["item 10"].place == "Bonn"


def test_news_items_belong_to_cop11(loaded):
    assert {p.meeting for p in passages_of(loaded, NEWS)} == {11}


# --- press release (seed 001) -----------------------------------------------------------------

PRESS = "press/cop14-opening-2024-02-12.md"


def test_press_release_dateline_headline_and_subtitle(loaded):
    document = next(d for d in loaded.documents if d.source == PRESS)
    assert document.date == date(2024, 2, 12)
    assert document.place == "Samarkand"
    assert document.meeting == 14
    assert document.title == "Major UN Meeting on Migratory Species Conservation Opens in Uzbekistan"
    assert document.subtitle.startswith("14th Meeting of the Conference of the Parties to the Convention")
    headline = by_locator(loaded, PRESS)["headline"]
    assert "Opens under the slogan, \"Nature Knows No Borders.\"" in headline.text


def test_press_release_one_passage_per_paragraph_with_bullets_kept_with_their_lead_in(loaded):
    paras = by_locator(loaded, PRESS)
    first = paras["para. 1"].text
    assert first.startswith("Samarkand, 12 February 2024 – The 14th Meeting of the Conference of the Parties (COP14)")
    assert "covering more than a hundred items, including:" in first
    assert "- New global guidelines addressing the impacts of light pollution on migratory species" in first
    assert first.rstrip().endswith("Central Asian Flyway and Transboundary Jaguar Initiatives.")
    assert sum(1 for p in passages_of(loaded, PRESS) if p.locator.startswith("para. ")) == 16


def test_press_release_quotations_keep_their_speaker(loaded):
    paras = by_locator(loaded, PRESS)
    fraenkel = paras["para. 4"]
    assert fraenkel.context == "Amy Fraenkel, CMS Executive Secretary"
    assert fraenkel.text.startswith("Amy Fraenkel, CMS Executive Secretary, said:\n\n\"We are at a critical juncture")
    minister = paras["para. 6"]
    assert minister.context.startswith("H.E. Aziz Abdukhakimov, Minister of Ecology")
    # Both quoted paragraphs of the minister stay with him.
    assert "Ecological connectivity is essential" in minister.text
    assert "Uzbekistan is committed to further fostering of environmental diplomacy" in minister.text


def test_press_release_notes_to_editors_and_contact_block(loaded):
    paras = by_locator(loaded, PRESS)
    assert paras["note 1"].text == "COP14 Info Hub:\n\nhttps://www.cms.int/cop14"
    assert "133 Parties" in paras["note 3"].text
    assert paras["contact"].text == (
        "For further information please contact:\n\n"
        "Aydin Bahramlouian, Public Information Officer, Secretariat of the Convention on Migratory Species, press@cms.int"
    )


def test_press_release_keeps_its_own_date_apart_from_dates_it_mentions(loaded):
    document = next(d for d in loaded.documents if d.source == PRESS)
    mentioned = {(s.start, s.end) for s in document.mentioned_dates}
    assert (date(2024, 2, 17), date(2024, 2, 17)) in mentioned  # "Saturday, 17 February 2024"
    assert document.date == date(2024, 2, 12)


# --- COP document (seed 004) ------------------------------------------------------------------

DOC = "documents/unep-cms-cop14-doc19.md"


def test_cop_document_metadata(loaded):
    document = next(d for d in loaded.documents if d.source == DOC)
    assert document.symbol == "UNEP/CMS/COP14/Doc.19"
    assert document.date == date(2023, 12, 19)
    assert document.meeting == 14
    assert document.agenda_item == "19"
    assert document.title == "Communication and Information Management"


def test_cop_document_one_passage_per_numbered_paragraph(loaded):
    paras = by_locator(loaded, DOC)
    assert [f"para. {n}" for n in range(1, 15)] == [p for p in paras if p.startswith("para. ")]
    assert paras["para. 4"].text.startswith("In the intersessional period between COP13 and COP14, the Secretariat")
    assert "Joint CMS/AEWA Information Management, Communication and Awareness-raising Unit (IMCA)" in paras["para. 4"].text
    assert paras["para. 4"].context == "Activities since COP13"
    assert paras["para. 1"].context == "Background"


def test_cop_document_joins_a_paragraph_broken_across_pages(loaded):
    para7 = by_locator(loaded, DOC)["para. 7"].text
    assert "account has increased by 35 per cent since COP13" in para7


def test_cop_document_keeps_sub_items_in_their_paragraph(loaded):
    para14 = by_locator(loaded, DOC)["para. 14"].text
    assert para14.startswith("The Conference of the Parties is recommended to:")
    assert "b) adopt the Decision contained in Annex 1 to this document;" in para14


def test_cop_document_draft_decisions_with_addressees(loaded):
    paras = by_locator(loaded, DOC)
    aa, bb = paras["Decision 14.AA"], paras["Decision 14.BB"]
    assert aa.context.startswith("Directed to the Secretariat")
    assert bb.context.startswith("Directed to Parties")
    assert aa.text.startswith("14.AA The Secretariat shall, subject to the availability of external resources")
    assert bb.text == ("14.BB Parties are encouraged to support the implementation of the recommendations provided "
                       "in the 'Strategic Communication Assessment'.")


def test_markdown_link_residue_is_removed_from_quotes(loaded):
    para1 = by_locator(loaded, DOC)["para. 1"].text
    assert "adopted Resolution 11.8 (Rev.COP12) in which" in para1
    assert "](#)" not in para1 and "\\(" not in para1


def test_passage_ids_are_stable_and_unique(loaded):
    ids = [p.id for p in loaded.passages]
    assert len(ids) == len(set(ids))
    assert by_locator(loaded, DOC)["para. 8"].id == "documents/unep-cms-cop14-doc19#para-8"
    assert by_locator(loaded, DOC)["Decision 14.AA"].id == "documents/unep-cms-cop14-doc19#decision-14.aa"
    again = load_corpus(CORPUS, MeetingRegistry.load(CORPUS / "meetings.yaml"))
    assert [p.id for p in again.passages] == ids
