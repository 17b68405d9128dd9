"""What listings say: item links with their dates, the pager, feeds, document tables per language."""

from __future__ import annotations

import re
from datetime import date

import pytest
from cmssite import MEETING_PATH, CmsSite
from fetchsite import Site, listing_html

from bot.fetch.listing import document_rows, feed_links, language_of, listing_links, nesting_depth, next_page, page_file

BASE = "https://www.cms.int/en/news"
NEWS = re.compile(r"/en/news/[^/?#]+$")


def _any(url: str) -> bool:
    return True


def _cms_only(url: str) -> bool:
    return url.startswith("https://www.cms.int/")


def test_listing_links_in_page_order_with_their_listing_dates() -> None:
    links = listing_links(listing_html(["cop14-closes", "state-of-species"]), BASE, None, NEWS, _any)
    assert [(link.url, link.date) for link in links] == [
        ("https://www.cms.int/en/news/cop14-closes", date(2024, 2, 17)),
        ("https://www.cms.int/en/news/state-of-species", date(2024, 2, 15)),
    ]
    assert links[0].text == "UN Wildlife Conference Closes"


def test_the_teaser_date_beats_a_date_in_the_teaser_text() -> None:
    html = ('<div class="views-row"><h2><a href="/en/news/x">X</a></h2><div class="content"><p>Signed on 1 May 2020.</p>'
            '<span class="text-muted">15 February 2024</span></div></div>')
    assert listing_links(html, BASE, None, None, _any)[0].date == date(2024, 2, 15)


def test_selector_and_pattern_both_apply_and_refused_links_are_dropped() -> None:
    html = (
        '<div class="list"><a href="/en/news/a">A</a><a href="/en/about">About</a>'
        '<a href="https://evil.example/en/news/b">B</a><a href="mailto:x@cms.int">mail</a>'
        '<a href="/en/news/a#top">A again</a></div><a href="/en/news/outside">outside the list</a>'
    )
    links = listing_links(html, BASE, ".list", re.compile(r"/en/news/"), _cms_only)
    assert [link.url for link in links] == ["https://www.cms.int/en/news/a"]


def test_a_huge_flat_listing_is_read_and_a_too_deeply_nested_one_refused() -> None:
    flat = "<div>" + "".join(f'<p><a href="/en/news/n{i}">N{i}</a> 1 March 2024</p>' for i in range(2000)) + "</div>"
    links = listing_links(flat, BASE, None, NEWS, _any)
    assert len(links) == 2000 and links[-1].date == date(2024, 3, 1)
    deep = "<div>" * 900 + '<a href="/en/news/deep">deep</a> 2 March 2024' + "</div>" * 900
    assert [(link.url, link.date) for link in listing_links(deep, BASE, None, NEWS, _any)] == [
        ("https://www.cms.int/en/news/deep", date(2024, 3, 2))]
    assert nesting_depth("<div><br><img src=x><p>a</p><p>b</p></div>") == 2
    with pytest.raises(ValueError, match="nested too deeply"):
        listing_links("<div>" * 3000 + '<a href="/en/news/x">x</a>', BASE, None, NEWS, _any)


@pytest.mark.parametrize(
    "pager",
    [
        '<ul class="pagination"><li class="next"><a title="Go to next page" href="/en/news?page=1">next ›</a></li></ul>',
        '<ul class="pager"><li class="pager-next"><a href="/en/news?page=1">next ›</a></li></ul>',
        '<link rel="next" href="/x"><a rel="next" href="/en/news?page=1">2</a>',
        '<ul class="pager"><li><a href="/en/news?page=1">Next page</a></li></ul>',
    ],
    ids=["bootstrap", "drupal", "rel-next", "text"],
)
def test_next_page_in_each_pager_style(pager: str) -> None:
    assert next_page(f"<main>{pager}</main>", BASE) == "https://www.cms.int/en/news?page=1"


def test_no_next_page_on_the_last_page_nor_off_the_listing_path() -> None:
    assert next_page('<ul class="pagination"><li class="prev"><a href="/en/news?page=0">‹</a></li></ul>', BASE + "?page=1") is None
    assert next_page('<a rel="next" href="/en/elsewhere?page=1">next</a>', BASE) is None


def test_rss_and_atom_feeds() -> None:
    rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>Sharks</title>'
           b"<link>https://www.cms.int/en/news/sharks</link><pubDate>Fri, 01 Mar 2024 09:00:00 +0000</pubDate></item>"
           b"<item><title>Elsewhere</title><link>https://evil.example/x</link></item></channel></rss>")
    [item] = feed_links(rss, BASE, None, _cms_only, "en")
    assert (item.url, item.text, item.date, item.lang) == ("https://www.cms.int/en/news/sharks", "Sharks", date(2024, 3, 1), "en")
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Eels</title>'
            b'<link href="/en/news/eels"/><updated>2024-02-20T10:00:00Z</updated></entry></feed>')
    assert [(i.url, i.date) for i in feed_links(atom, BASE, None, _any)] == [("https://www.cms.int/en/news/eels", date(2024, 2, 20))]


def test_a_feed_with_entity_expansion_is_refused() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b"<rss><channel><item><title>&b;</title><link>https://www.cms.int/en/news/x</link></item></channel></rss>")
    with pytest.raises(ValueError, match="not a readable feed"):
        feed_links(bomb, BASE, None, _any)


@pytest.mark.parametrize(
    ("url", "text", "hreflang", "lang"),
    [
        ("/sites/default/files/document/cms_cop14_doc.19_strategic-plan_e.pdf", None, None, "en"),
        ("/sites/default/files/document/2026-01/cms_cop14_doc.19_f.pdf", None, None, "fr"),
        ("/sites/default/files/document/cms_cop14_doc.19-S.docx", None, None, "es"),
        ("/sites/default/files/document/annex.pdf", "Français", None, "fr"),
        ("/sites/default/files/document/annex.pdf", "(E)", None, "en"),
        ("/sites/default/files/document/annex.pdf", None, "es", "es"),
        ("/fr/document/annex", None, None, "fr"),
        ("/sites/default/files/document/annex.pdf", "Annex", None, None),
    ],
)
def test_language_of_a_document_link(url: str, text: str | None, hreflang: str | None, lang: str | None) -> None:
    assert language_of("https://www.cms.int" + url, text, hreflang) == lang


def test_meeting_page_rows_give_symbol_title_type_date_and_one_file_per_wanted_language() -> None:
    site = Site(base="https://www.cms.int")
    CmsSite().install(site)
    html = site.routes[MEETING_PATH](None).body.decode()  # type: ignore[arg-type, union-attr]
    rows = document_rows(html, site.url(MEETING_PATH), ("en", "es"), _any)
    assert [(r.symbol, r.lang, r.doc_type) for r in rows] == [
        ("UNEP/CMS/COP14/Doc.31", "en", "Meeting Documents"), ("UNEP/CMS/COP14/Doc.31", "es", "Meeting Documents"),
        ("UNEP/CMS/COP14/Doc.19", "en", "Meeting Documents"), ("UNEP/CMS/COP14/Doc.19", "es", "Meeting Documents"),
        ("UNEP/CMS/COP14/Inf.3", "en", "Information Documents"),
    ]
    assert rows[0].text == "Conservation of Migratory Soaring Birds" and rows[0].date == date(2023, 12, 15)
    assert rows[3].url == "https://www.cms.int/sites/default/files/document/2026-01/cms_cop14_doc.19_strategic-plan_s.pdf"
    assert not any(r.via_page for r in rows)


def test_rows_without_files_lead_to_the_document_page_which_gives_the_file() -> None:
    site = Site(base="https://www.cms.int")
    cms = CmsSite()
    cms.install(site)
    html = site.routes["/en/documents/cop-resolutions"](None).body.decode()  # type: ignore[arg-type, union-attr]
    rows = document_rows(html, site.url("/en/documents/cop-resolutions"), ("fr",), _any)
    assert [(r.symbol, r.via_page, r.key) for r in rows] == [
        ("12.26", True, "https://www.cms.int/en/document/resolution-conservation-soaring-birds#fr"),
        ("14.1", True, "https://www.cms.int/en/document/resolution-strategic-plan#fr"),
    ]
    node = site.routes["/en/document/resolution-strategic-plan"](None).body.decode()  # type: ignore[arg-type, union-attr]
    assert page_file(node, rows[1].url, "fr", _any) == "https://www.cms.int" + cms.resolutions[1].file_path("fr")
