"""Fetched bytes → what the corpus needs: item links from a listing, draft front matter and body for an item.

A news article page becomes a ``press_release`` document (its "Samarkand, 15 February 2024 – "
dateline gives date and place; the ingestion knows no separate "article" kind); a PDF becomes a
``cop_document`` saved as ``.pdf`` with a sidecar ``.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from bot.fetch.sources import FetchOptions, LinkRule, Source
from bot.cms.dates import coerce_date, find_dates
from bot.ingest.formats import html_to_text

#: Titles error pages start with ("Page not found | CMS", "404 - Not Found", "Access denied").
_ERROR_TITLE = re.compile(
    r"^\s*(?:(?:error\s*)?(?:400|401|403|404|410|500|502|503)(?=\s*(?:$|[-–:|]|error|not\s+found|forbidden))"
    r"|page\s+not\s+found|not\s+found|access\s+denied"
    r"|forbidden|(?:internal\s+)?server\s+error|an?\s+error\s+(?:has\s+)?occurred)",
    re.IGNORECASE,
)
#: The site name <title> tags append: "COP14 Opens | CMS".
_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+(?:CMS|Convention on Migratory Species)\s*$", re.IGNORECASE)
_SLUG_JUNK = re.compile(r"[^a-z0-9._-]+")


class ExtractError(Exception):
    """An item whose content cannot become a corpus file; ``reason`` is for the report."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ListingLink:
    """An item link found on a listing, with what the listing says about it."""

    url: str
    text: str | None = None
    #: The date printed next to the link on the listing, a fallback when the item gives none.
    date: date | None = None


def decode_html(body: bytes, content_type_header: str | None) -> str:
    """The page as text: the declared charset, else UTF-8; undecodable bytes replaced."""
    charset = "utf-8"
    if content_type_header:
        m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type_header, re.IGNORECASE)
        if m:
            charset = m.group(1)
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def normalise_url(href: str, base: str) -> str | None:
    """An absolute http(s) URL without its fragment, or None for mailto:, javascript: and the like."""
    absolute = urljoin(base, href.strip())
    parts = urlsplit(absolute)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def _nearby_date(node: Any) -> date | None:
    """The first single-day date in the smallest enclosing element (a few levels up) that has one."""
    current = node
    for _ in range(4):
        current = current.parent
        if current is None:
            return None
        text = current.text(separator=" ")
        if len(text) > 2000:
            return None
        for found in find_dates(text):
            if found.span.start == found.span.end:
                return found.span.start
    return None


def listing_links(html: str, base_url: str, rule: LinkRule, options: FetchOptions) -> list[ListingLink]:
    """Item links on a listing page, in page order, deduplicated; links off the allowed domains dropped."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    if rule.selector:
        anchors = []
        for node in tree.css(rule.selector):
            anchors.extend([node] if node.tag == "a" else node.css("a[href]"))
    else:
        anchors = tree.css("a[href]")
    links: list[ListingLink] = []
    seen: set[str] = set()
    for anchor in anchors:
        href = (anchor.attributes or {}).get("href")
        if not href:
            continue
        url = normalise_url(href, base_url)
        if url is None or url in seen or not options.allows(url):
            continue
        if rule.pattern is not None and not rule.pattern.search(url):
            continue
        seen.add(url)
        text = " ".join(anchor.text(separator=" ").split()) or None
        links.append(ListingLink(url=url, text=text, date=_nearby_date(anchor)))
    return links


def slug_for(url: str) -> str:
    """A file-name stem from the URL's last path segment: ``/en/news/cop14-opens`` → ``cop14-opens``."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    raw = unquote(segments[-1]) if segments else "index"
    if raw.lower().endswith((".pdf", ".html", ".htm")):
        raw = raw.rsplit(".", 1)[0]
    slug = _SLUG_JUNK.sub("-", raw.lower()).strip("-._")
    return slug[:80].rstrip("-._") or "index"


def item_kind(source: Source) -> str:
    """The corpus kind an item of ``source`` is saved as (news article pages → press_release)."""
    return "press_release" if source.kind == "news_listing" else source.kind


def html_item(html: str, url: str, source: Source) -> tuple[dict[str, Any], str, date | None]:
    """Draft front matter, Markdown body and a fallback date (from ``<meta>``) for an HTML item page.

    Raises ExtractError for a page with no main text or one that reads as an error page.
    """
    title, text, hints = html_to_text(html)
    if not text.strip():
        raise ExtractError("no text in the page's main content")
    if title and _ERROR_TITLE.search(title) and len(text) < 2000:
        raise ExtractError(f"looks like an error page (title {title!r})")
    try:
        hinted_date = coerce_date(hints.get("date"))
    except ValueError:
        hinted_date = None
    if title:
        title = _SITE_SUFFIX.sub("", title) or title
    meta: dict[str, Any] = {"title": title, "kind": item_kind(source), "url": url, "meeting": source.meeting}
    return meta, text.strip() + "\n", hinted_date


def pdf_item(data: bytes, url: str, source: Source) -> dict[str, Any]:
    """Draft sidecar metadata for a PDF item; raises ExtractError when it is not a PDF at all."""
    if not data.startswith(b"%PDF-"):
        raise ExtractError("not a PDF (no %PDF- header)")
    return {"kind": item_kind(source), "url": url, "meeting": source.meeting}
