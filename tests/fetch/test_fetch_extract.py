"""Listing links, slugs and item drafts from fetched HTML."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fetchsite import fixture_text, listing_html

from bot.fetch.extract import ExtractError, html_item, listing_links, slug_for
from bot.fetch.sources import FetchOptions, LinkRule, Source

BASE = "https://www.cms.int/en/news"
OPTIONS = FetchOptions()
NEWS = Source(name="news", listing=BASE, kind="news_listing", links=LinkRule(pattern=re.compile(r"/en/news/[^/?#]+$")))


def test_listing_links_in_page_order_with_their_listing_dates() -> None:
    links = listing_links(listing_html(["cop14-closes", "state-of-species"]), BASE, NEWS.links, OPTIONS)
    assert [(link.url, link.date) for link in links] == [
        ("https://www.cms.int/en/news/cop14-closes", date(2024, 2, 17)),
        ("https://www.cms.int/en/news/state-of-species", date(2024, 2, 15)),
    ]
    assert links[0].text == "UN Wildlife Conference Closes"


def test_selector_and_pattern_both_apply_and_off_domain_links_are_dropped() -> None:
    html = (
        '<div class="list"><a href="/en/news/a">A</a><a href="/en/about">About</a>'
        '<a href="https://evil.example/en/news/b">B</a><a href="mailto:x@cms.int">mail</a>'
        '<a href="/en/news/a#top">A again</a></div><a href="/en/news/outside">outside the list</a>'
    )
    links = listing_links(html, BASE, LinkRule(selector=".list", pattern=re.compile(r"/en/news/")), OPTIONS)
    assert [link.url for link in links] == ["https://www.cms.int/en/news/a"]


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("https://www.cms.int/en/news/cop14-closes", "cop14-closes"),
        ("https://www.cms.int/sites/default/files/document/cms_cop14_doc.31_e.pdf", "cms_cop14_doc.31_e"),
        ("https://www.cms.int/en/news/Caf%C3%A9%20News/", "caf-news"),
        ("https://www.cms.int/", "index"),
    ],
)
def test_slugs(url: str, slug: str) -> None:
    assert slug_for(url) == slug


def test_article_page_draft_drops_chrome_and_maps_to_press_release() -> None:
    meta, body, hinted = html_item(fixture_text("article-cop14-closes.html"), f"{BASE}/cop14-closes", NEWS)
    assert meta["kind"] == "press_release" and meta["url"] == f"{BASE}/cop14-closes"
    assert meta["title"].startswith("UN Wildlife Conference Closes")
    assert body.splitlines()[2].startswith("Samarkand, 17 February 2024 – ")
    assert "tracking" not in body and "Home" not in body
    assert hinted is None


def test_error_pages_are_recognised_but_numbers_in_real_titles_are_not() -> None:
    with pytest.raises(ExtractError, match="error page"):
        html_item(fixture_text("error-page.html"), f"{BASE}/x", NEWS)
    page = "<html><head><title>500 Migratory Species Now Listed | CMS</title></head><body><main><p>Bonn, 1 March 2024 – Text.</p></main></body></html>"
    meta, _body, _ = html_item(page, f"{BASE}/x", NEWS)
    assert meta["title"] == "500 Migratory Species Now Listed"  # site suffix dropped
