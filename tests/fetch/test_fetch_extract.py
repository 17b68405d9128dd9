"""Slugs and item bodies from fetched HTML."""

from __future__ import annotations

import pytest
from fetchsite import fixture_text

from bot.fetch.extract import ExtractError, html_item, slug_for


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


def test_article_page_body_drops_chrome_and_starts_with_the_title() -> None:
    body, hinted = html_item(fixture_text("article-cop14-closes.html"))
    assert body.splitlines()[0].startswith("UN Wildlife Conference Closes")
    assert body.splitlines()[2].startswith("Samarkand, 17 February 2024 – ")
    assert "tracking" not in body and "Home" not in body
    assert hinted is None


def test_a_title_the_text_lacks_is_put_first() -> None:
    page = ('<html><head><meta property="og:title" content="Sharks get new guidance"></head>'
            "<body><main><p>Bonn, 1 March 2024 – Text about sharks.</p></main></body></html>")
    body, _ = html_item(page)
    assert body.startswith("Sharks get new guidance\n\nBonn, 1 March 2024")


def test_error_pages_are_recognised_but_numbers_in_real_titles_are_not() -> None:
    with pytest.raises(ExtractError, match="error page"):
        html_item(fixture_text("error-page.html"))
    page = "<html><head><title>500 Migratory Species Now Listed | CMS</title></head><body><main><p>Bonn, 1 March 2024 – Text.</p></main></body></html>"
    body, _ = html_item(page)
    assert body.startswith("500 Migratory Species Now Listed\n")  # site suffix dropped
