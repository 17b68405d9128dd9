"""A listed news item is cited with its own page when the listing's front matter names it
(``item_urls``) or its title links to it; otherwise with the listing's address."""

from __future__ import annotations

from pathlib import Path

from bot.cms.meetings import MeetingRegistry
from bot.ingest.corpus import load_corpus
from bot.ingest.text import title_link

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"

LISTING = """---
title: CMS news
kind: news_listing
url: https://www.cms.int/en/news
item_urls:
  "Second Item": "https://www.cms.int/en/news/second-item"
  "No Such Item": "https://www.cms.int/en/news/none"
  "Third Item": "ftp://example.org/x"
---
First Item

The first teaser, long enough to be a passage.

08 November 2014

Second Item

The second teaser, long enough to be a passage.

07 November 2014

[Third Item](https://www.cms.int/en/news/third-item)

The third teaser, long enough to be a passage.

06 November 2014
"""


def test_items_get_their_own_address_where_it_is_known(tmp_path: Path):
    (tmp_path / "meetings.yaml").write_text((CORPUS / "meetings.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "news.md").write_text(LISTING, encoding="utf-8")
    loaded = load_corpus(tmp_path, MeetingRegistry.load(tmp_path / "meetings.yaml"))
    urls = {p.title: p.url for p in loaded.passages}
    assert urls == {
        "First Item": "https://www.cms.int/en/news",
        "Second Item": "https://www.cms.int/en/news/second-item",
        "Third Item": "https://www.cms.int/en/news/third-item",  # its title's link; the ftp value is refused
    }
    reasons = sorted(p.reason for p in loaded.problems)
    assert reasons == ["item_urls: 'Third Item': not an http(s) address; ignored", "item_urls: no item titled 'No Such Item'"]
    assert all(not p.skipped for p in loaded.problems)


def test_title_link_only_for_a_title_that_is_one_link():
    assert title_link("[Polar Bear](https://www.cms.int/en/news/polar-bear)") == "https://www.cms.int/en/news/polar-bear"
    assert title_link("Polar Bear, see [here](https://x.org)") is None
    assert title_link("[Doc.13.2](#)") is None


def test_the_shipped_news_items_with_a_checked_page_link_to_it():
    loaded = load_corpus(CORPUS, MeetingRegistry.load(CORPUS / "meetings.yaml"))
    assert loaded.problems == []
    own = {p.locator: p.url for p in loaded.passages if p.kind == "news_listing" and p.url != "https://www.cms.int/en/news"}
    assert own == {
        "item 1": "https://www.cms.int/en/news/major-initiative-endorsed-protect-asia%E2%80%99s-migratory-mammals",
        "item 9": "https://www.cms.int/en/news/cms-cop11-kicks-quito-ecuador",
    }
    assert all(p.url and p.url.startswith("https://") for p in loaded.passages)
