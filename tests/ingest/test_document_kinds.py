"""Each kind's contract, on pages shaped like real CMS, ENB, wire and NGO pages (fixtures/pages),
plus the classification, dateline and date-range grammars they rest on."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.cms.dates import find_dates, parse_span
from bot.cms.meetings import MeetingRegistry
from bot.ingest.classify import classify
from bot.ingest.corpus import load_corpus
from bot.ingest.datelines import find_dateline, find_glued_dateline, printed_date, url_date
from bot.ingest.kinds import KIND_SPECS
from bot.ingest.page import page_passages, read_page
from bot.ingest.sites import url_signal
from bot.model import KIND_LABELS, KINDS

REPO = Path(__file__).resolve().parents[2]
PAGES = Path(__file__).parent / "fixtures" / "pages"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("pages")
    for page in PAGES.iterdir():
        shutil.copy(page, root / page.name)
    shutil.copy(REPO / "corpus" / "meetings.yaml", root / "meetings.yaml")
    result = load_corpus(root, MeetingRegistry.load(root / "meetings.yaml"))
    return result


def doc(loaded, name: str):
    return next(d for d in loaded.documents if d.source == name)


def passages(loaded, name: str):
    return [p for p in loaded.passages if p.source == name]


def test_registry_and_model_kinds_agree():
    assert tuple(KIND_SPECS) == KINDS
    assert all(kind in KIND_LABELS for kind in KINDS)
    assert all(spec.contract for spec in KIND_SPECS.values())  # every kind documents its contract
    assert KINDS[:3] == ("news_listing", "press_release", "cop_document")  # old names kept


def test_every_fixture_page_indexes_none_skipped(loaded):
    assert len(loaded.documents) == len(list(PAGES.iterdir()))
    assert not [p for p in loaded.problems if p.skipped]


def test_notification(loaded):
    d = doc(loaded, "notification-numbered.txt")
    assert d.kind == "notification" and d.symbol == "Notification 2022/011"
    assert d.title == "Call for Offers to Host the 14th Meeting of the Conference of the Parties"
    assert d.date == date(2022, 7, 12) and d.date_source == "last updated"
    assert any("a change date" in p.reason for p in loaded.problems if p.path == d.source)
    assert d.meeting == 14
    assert not any("Share" == p.text or "Last updated" in p.text for p in passages(loaded, d.source))


def test_meeting_report(loaded):
    d = doc(loaded, "enb-daily-report.txt")
    assert d.kind == "meeting_report" and d.date == date(2020, 2, 18) and d.meeting == 13
    assert d.title.startswith("Daily report for 18 February 2020 — 13th Meeting")
    ps = passages(loaded, d.source)
    assert [p.context for p in ps] == [None, "Budget", "Proposals for Amendment of the Appendices"]
    assert not any("Delegates in the Committee of the Whole" == p.text for p in ps)  # a caption printed twice


def test_wire_story_dateline_captions_and_ads(loaded):
    d = doc(loaded, "wire-story.txt")
    assert d.kind == "news_item" and d.place == "Samarkand, Uzbekistan" and d.meeting == 14
    texts = " ".join(p.text for p in passages(loaded, d.source))
    assert texts.startswith("Governments agreed on Saturday")  # the dateline is not quoted
    assert "©" not in texts and "Advertisement" not in texts


def test_cms_press_release_stored_with_single_newlines(loaded):
    d = doc(loaded, "cms-press-release.txt")
    assert d.kind == "press_release" and d.date == date(2020, 2, 22) and d.place == "Gandhinagar, India"
    assert d.title == "Asian Elephant, Jaguar and Great Indian Bustard Added to CMS Appendices"
    ps = passages(loaded, d.source)
    assert len(ps) >= 4 and not any("©" in p.text for p in ps)


def test_resolutions_table_one_row_each_with_its_cop(loaded):
    d = doc(loaded, "resolutions-table.txt")
    assert d.kind == "resolution"
    rows = {p.locator: p for p in passages(loaded, d.source)}
    assert rows["Resolution 13.1"].text == "Resolution 13.1 Gandhinagar Declaration"
    assert all(rows[k].meeting == 13 for k in ("Resolution 13.1", "Resolution 13.2", "Resolution 13.3"))


def test_statement_has_its_speaker(loaded):
    d = doc(loaded, "ngo-statement.txt")
    assert d.kind == "statement" and d.title.startswith("Statement by Jane Smith")
    assert all("Statement by Jane Smith" in (p.context or "") for p in passages(loaded, d.source))


def test_meeting_page_key_facts(loaded):
    d = doc(loaded, "meeting-page.txt")
    assert d.kind == "meeting_page" and d.meeting == 13 and d.date is None
    facts = next(p for p in passages(loaded, d.source) if p.locator == "key facts")
    assert "WHEN 17 - 22 February 2020" in facts.text and "WHERE Gandhinagar India" in facts.text


def test_generic_page_is_a_warning_and_its_cut_last_line_indexes(loaded):
    d = doc(loaded, "plain-page.txt")
    assert d.kind == "page" and d.title == "About the Convention"
    assert any("generic page" in p.reason and not p.skipped for p in loaded.problems if p.path == d.source)
    assert passages(loaded, d.source)[-1].text == "Its Parties meet every three years at the Conference of the Parties"


# --- classification ------------------------------------------------------------------------------

@pytest.mark.parametrize("url, kind", [
    ("https://www.cms.int/en/news/2023019-cop14-registration", "notification"),
    ("https://www.cms.int/fr/news/press-release-nouvelles-especes", "press_release"),
    ("https://www.unep-aewa.org/en/news/some-story", "news_item"),
    ("https://www.ascobans.org/en/meeting/mop10", "meeting_page"),
    ("https://www.eurobats.org/en/news", "news_listing"),
    ("https://www.cms.int/en/cop15", "meeting_page"),
    ("https://www.cms.int/page/decisions-1324-1326-conservation-status", "resolution"),
    ("https://enb.iisd.org/cms-cop15-daily-report-24mar2026", "meeting_report"),
    ("https://enb.iisd.org/events/cms-cop15/summary-report", "meeting_report"),
    ("https://sdg.iisd.org/news/cms-cop15-opens/", "news_item"),
    ("https://www.gov.example/noticias/cop15-campo-grande", "news_item"),
])
def test_url_rules(url: str, kind: str):
    signal = url_signal(url)
    assert signal is not None and signal.kind == kind


def test_notification_slug_gives_its_number():
    assert url_signal("https://www.cms.int/en/news/2023019-cop14-registration").number == "2023/019"


@pytest.mark.parametrize("body, kind", [
    ("PRESS RELEASE\n\nHeadline\n\nBonn, 1 May 2024 – Text.", "press_release"),
    ("NOTIFICATION TO THE PARTIES No. 2021/005\n\nSubject\n\nText.", "notification"),
    ("CONVENTION ON MIGRATORY SPECIES\n\nUNEP/CMS/COP14/Doc.19\n\n1. Text.", "cop_document"),
    ("Curtain raiser\n\n14th Meeting of the CMS COP\n\nThe meeting opens.", "meeting_report"),
    ("Quito, 6 November 2014 - The Parties met.", "press_release"),
    ("QUITO (AP) — The Parties met.", "news_item"),
])
def test_text_markers_when_the_url_says_nothing(body: str, kind: str):
    assert classify(None, None, body, None).kind == kind


def test_front_matter_wins_then_url_then_folder_then_page():
    assert classify("cop_document", "https://www.cms.int/en/news/x", "PRESS RELEASE", None).kind == "cop_document"
    assert classify(None, "https://www.cms.int/en/news/2020001-x", "PRESS RELEASE\n\nx", None).kind == "notification"
    assert classify(None, None, "Some words.", "press").kind == "press_release"
    assert classify(None, None, "Some words.", None).kind == "page"


# --- datelines, printed dates, URL dates -----------------------------------------------------------

@pytest.mark.parametrize("text, place, day", [
    ("BONN, 26 March 2025 – The", "Bonn", date(2025, 3, 26)),
    ("Quito, 6 November 2014 - The", "Quito", date(2014, 11, 6)),
    ("Dar es Salaam, United Republic of Tanzania, 27 June 2024 – The", "Dar es Salaam, United Republic of Tanzania", date(2024, 6, 27)),
    ("February 17, 2020 – The", None, date(2020, 2, 17)),
    ("Samarkand, Uzbekistan, Feb. 17, 2024 – The", "Samarkand, Uzbekistan", date(2024, 2, 17)),
    ("Nairobi (Reuters) – The", "Nairobi", None),
])
def test_dateline_grammar(text: str, place: str | None, day: date | None):
    line = find_dateline(text)
    assert line is not None and (line.place, line.date) == (place, day)
    assert text[line.end:] == "The"


def test_dateline_year_hint_and_non_datelines():
    assert find_dateline("New Delhi [India], Feb 10 (ANI): PM", 2020).date == date(2020, 2, 10)
    assert find_dateline("On June 20, 2023, during the visit") is None
    assert find_dateline("The Parties met in Bonn, 3 May 2020 – and") is None
    assert find_glued_dateline("The dais during CMS COP-1025 November 2011: The 10th").date == date(2011, 11, 25)


def test_printed_and_url_dates():
    assert printed_date("Daily report for 13 February 2024")[0] == date(2024, 2, 13)
    assert printed_date(" date 2017-10-26 Thirty-one")[0] == date(2017, 10, 26)
    assert printed_date("Uzbekistan 19/02/2024 The UN")[0] == date(2024, 2, 19)
    assert url_date("https://x.org/vida/2014/11/09/nota/1") == date(2014, 11, 9)
    assert url_date("https://enb.iisd.org/cms-cop14-17feb2024") == date(2024, 2, 17)
    assert url_date("https://x.in/news/summit20200210213206/") == date(2020, 2, 10)
    assert url_date("https://gaiapresse.ca/2011/11/slug/") is None  # a month is not a day


@pytest.mark.parametrize("text, start, end", [
    ("February 17 to 22, 2020", date(2020, 2, 17), date(2020, 2, 22)),
    ("from Monday 23 to Sunday 29 March 2026", date(2026, 3, 23), date(2026, 3, 29)),
    ("15 to 22 February 2020", date(2020, 2, 15), date(2020, 2, 22)),
    ("October 23-28, 2017", date(2017, 10, 23), date(2017, 10, 28)),
    ("February 28 to March 3, 2020", date(2020, 2, 28), date(2020, 3, 3)),
])
def test_date_ranges(text: str, start: date, end: date):
    found = find_dates(text)
    assert len(found) == 1 and (found[0].span.start, found[0].span.end) == (start, end)


def test_yearless_ranges_need_a_year_hint():
    assert find_dates("held from October 23-28 in Manila") == []
    (found,) = find_dates("held from October 23-28 in Manila", year_hint=2017)
    assert (found.span.start, found.span.end) == (date(2017, 10, 23), date(2017, 10, 28))
    assert parse_span("February 17 to 22, 2020").end == date(2020, 2, 22)


# --- the page reader ---------------------------------------------------------------------------

def test_hard_wrapped_prose_is_joined_and_short_fragments_merge_forward():
    body = ("Heading\n\nThe United Nations Environment Programme administered Convention on the\n"
            "Conservation of Migratory Species is the only global convention protecting species\n"
            "that move across international boundaries and it meets every three years.\n\n"
            "A short fragment.\n\nA full paragraph that follows the short fragment and is long enough to stand.")
    drafts = page_passages(read_page(body))
    assert drafts[0].text.startswith("The United Nations") and "the Conservation of" in drafts[0].text
    assert drafts[0].context == "Heading"
    assert drafts[-1].text.startswith("A short fragment.\nA full paragraph")  # not a passage of its own


def test_long_lists_one_item_each_with_the_lead_in_as_context():
    items = "\n".join(f"• Item number {n} of a long list;" for n in range(1, 8))
    drafts = page_passages(read_page("Delegates decided on the following issues:\n\n" + items))
    assert [d.locator for d in drafts][1:] == [f"item {n}" for n in range(2, 9)]
    assert drafts[1].context == "Delegates decided on the following issues:"


def test_a_document_flattened_onto_one_line_by_a_mirror_site(loaded):
    d = doc(loaded, "mirror-cop-document.txt")
    assert d.kind == "cop_document" and d.symbol == "UNEP/CMS/COP12/Report" and d.meeting == 12
    assert d.title.startswith("Report of the 12th Meeting of the Conference of the Parties")
    ps = {p.locator: p for p in passages(loaded, d.source)}
    assert [k for k in ps if k.startswith("para.")] == ["para. 1", "para. 2", "para. 3", "para. 4"]
    assert ps["para. 2"].text.startswith("The meeting was attended by representatives of 91 Parties")
    assert "Share this document" not in ps["cover page"].text and "UNEP/CMS/COP12/Report" in ps["cover page"].text


def test_a_documents_table_stored_as_lines_gives_one_row_each():
    body = ("Meeting documents\n\nVenue Quorum Quito\nNumber Title Files\nUNEP/CMS/COP11/Doc.4 Rules of Procedure\n"
            "UNEP/CMS/COP11/Doc.8 Admission of Observers\n")
    drafts = page_passages(read_page(body))
    rows = [d for d in drafts if d.locator.startswith("row")]
    assert [d.text for d in rows] == ["UNEP/CMS/COP11/Doc.4 Rules of Procedure", "UNEP/CMS/COP11/Doc.8 Admission of Observers"]
    assert rows[0].context == "Meeting documents — Number Title Files"
    assert any(d.text == "Venue Quorum Quito" for d in drafts)  # nothing lost



def test_taxonomy_fields_stay_out_of_quotes():
    from bot.ingest.news_item import parse

    body = "A headline for the item\n\nThe item's one paragraph of text, long enough to be a passage.\n\nType:\nMedia Watch\nCountry:\nIndia\n"
    parsed = parse(body)
    assert [d.text for d in parsed.passages] == ["The item's one paragraph of text, long enough to be a passage."]


def test_an_index_saved_by_an_older_ingestion_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import bot.engine as engine_module
    from bot.engine import Engine

    corpus = tmp_path / "corpus"
    shutil.copytree(PAGES, corpus)
    shutil.copy(REPO / "corpus" / "meetings.yaml", corpus / "meetings.yaml")
    said: list[str] = []
    Engine.open(corpus, tmp_path / "index.npz", notify=said.append)
    Engine.open(corpus, tmp_path / "index.npz", notify=said.append)
    assert said == []  # built once, then loaded
    monkeypatch.setattr(engine_module, "INGEST_VERSION", engine_module.INGEST_VERSION + 1)
    Engine.open(corpus, tmp_path / "index.npz", notify=said.append)
    assert len(said) == 1 and "the ingestion changed" in said[0]


def test_a_newsletter_of_read_more_items_is_a_listing_its_cut_last_item_kept():
    from bot.ingest.news_listing import parse

    body = ("Monthly banner\n\nIn this issue:\n\nFirst Story Title\n\nThe first story's teaser text.\n\nRead more\n\n"
            "Second Story Title\n\nThe second teaser.\n\nRead more\n\nThird Story Cut\n\nIts teaser was cut off mid")
    parsed = parse(body)
    assert [(d.locator, d.title, d.text) for d in parsed.passages] == [
        ("item 1", "First Story Title", "The first story's teaser text."),
        ("item 2", "Second Story Title", "The second teaser."),
        ("item 3", "Third Story Cut", "Its teaser was cut off mid"),
    ]


def test_menu_and_footer_words_stay_out_of_passages():
    body = ("Home\n\nAbout us\n\nNews\n\nA Headline About the Meeting\n\nThe meeting opened today in Samarkand with delegates from many Parties.\n\n"
            "Share on Facebook\n\nPrivacy policy\n\nTerms of use\n\nSitemap\n\nContact us\n\nCopyright 2024 Example")
    from bot.ingest.news_item import parse

    parsed = parse(body)
    assert parsed.meta["title"] == "A Headline About the Meeting"
    assert [d.text for d in parsed.passages] == ["The meeting opened today in Samarkand with delegates from many Parties."]


def test_an_html_page_without_front_matter_is_classified_by_its_canonical_url(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REPO / "corpus" / "meetings.yaml", corpus / "meetings.yaml")
    (corpus / "page.html").write_text(
        '<html><head><title>CMS</title><link rel="canonical" href="https://www.cms.int/en/news/2023019-registration-cop14">'
        '</head><body><nav><a>Home</a><a>News</a></nav><main><h1>2023/019: Registration for COP14</h1>'
        "<p>Registration for the 14th meeting of the Conference of the Parties (COP14) is now open for all Parties.</p>"
        "<p>Last updated on 3 May 2023</p></main><footer>Privacy policy</footer></body></html>",
        encoding="utf-8",
    )
    result = load_corpus(corpus, MeetingRegistry.load(corpus / "meetings.yaml"))
    (d,) = result.documents
    assert d.kind == "notification" and d.symbol == "Notification 2023/019" and d.meeting == 14
    assert d.date == date(2023, 5, 3) and d.date_source == "last updated"
    assert [p.text for p in result.passages] == [
        "Registration for the 14th meeting of the Conference of the Parties (COP14) is now open for all Parties."]


def test_a_decisions_page_gives_one_passage_per_decision_number_on_its_own_line():
    """cms.int's decision pages put each number alone on a line ("13.25") before its text; such a
    line is not page furniture, and the passage is found by its number."""
    from bot.ingest.resolution import parse

    body = ("Decisions 13.24 to 13.26 - Conservation Status of Migratory Species\ndecision_n13\n13.24\n"
            "The Secretariat, subject to the availability of resources, is requested to: a) further develop the review.\n"
            "13.25\nParties, intergovernmental and non-governmental organizations are encouraged to provide "
            "financial and technical support to the Secretariat.\n13.26\nThe Scientific Council is requested to report.\n")
    passages = parse(body).passages
    assert [(d.locator, d.meeting) for d in passages] == [
        ("Decision 13.24", 13), ("Decision 13.25", 13), ("Decision 13.26", 13)]
    assert passages[1].text.startswith("Parties, intergovernmental and non-governmental organizations are encouraged")


def test_pictures_names_are_dropped_and_their_caption_is_text_not_a_heading():
    from bot.ingest.page import read_page

    page = read_page("The Philippine government hosted COP12 in Manila.\n\npre cop12 1pre cop12 2\n"
                     "DENR Secretary Roy A. Cimatu welcoming delegates during the Opening Ceremonies\n\n"
                     "The Champion Programme recognized institutions.\n")
    assert [(u.role, u.text) for u in page.units] == [
        ("para", "The Philippine government hosted COP12 in Manila."),
        ("para", "DENR Secretary Roy A. Cimatu welcoming delegates during the Opening Ceremonies"),
        ("para", "The Champion Programme recognized institutions.")]
    assert "pre cop12 1pre cop12 2" in page.dropped
