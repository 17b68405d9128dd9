"""Fetched bytes → what the corpus needs: the body of an item page, a PDF check, a file name.

A page becomes a Markdown file whose text starts with the page's title; a document file is saved
as ``.pdf`` with a sidecar ``.yaml``. The ingestion reads kinds, titles and dates from the text.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import unquote, urlsplit

from bot.cms.dates import coerce_date
from bot.fetch.sources import Source
from bot.model import KINDS
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


def slug_for(url: str) -> str:
    """A file-name stem from the URL's last path segment: ``/en/news/cop14-opens`` → ``cop14-opens``."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    raw = unquote(segments[-1]) if segments else "index"
    if raw.lower().endswith((".pdf", ".html", ".htm")):
        raw = raw.rsplit(".", 1)[0]
    slug = _SLUG_JUNK.sub("-", raw.lower()).strip("-._")
    return slug[:80].rstrip("-._") or "index"


#: Kinds whose items are files (PDF) rather than web pages, when read from a plain listing.
FILE_KINDS = frozenset({"cop_document", "resolution", "meeting_report"})


def item_is_file(source: Source) -> bool:
    """Are the source's items document files (saved as .pdf + sidecar) rather than pages (.md)?"""
    return source.read in {"documents", "odata"} or source.kind in FILE_KINDS


def item_kind(source: Source) -> str:
    """The kind an item of ``source`` is reported as until the ingestion says (news pages → news_item
    where the ingestion knows that kind, else press_release)."""
    if source.kind == "news_listing":
        return "news_item" if "news_item" in KINDS else "press_release"
    return source.kind


def html_item(html: str) -> tuple[str, date | None]:
    """The Markdown body and the page's own date (from ``<meta>``) of an HTML item page.

    The body starts with the page's title (its ``og:title``, ``<h1>`` or ``<title>``) so the ingestion
    finds it in the text. Raises ExtractError for a page with no main text or one that reads as an
    error page.
    """
    from bot.fetch.listing import MAX_DEPTH, nesting_depth

    if nesting_depth(html) > MAX_DEPTH:
        raise ExtractError(f"page nested too deeply (over {MAX_DEPTH} levels)")
    title, text, hints = html_to_text(html)
    text = text.strip()
    if not text:
        raise ExtractError("no text in the page's main content")
    if title and _ERROR_TITLE.search(title) and len(text) < 2000:
        raise ExtractError(f"looks like an error page (title {title!r})")
    try:
        hinted_date = coerce_date(hints.get("date"))
    except ValueError:
        hinted_date = None
    if title:
        title = _SITE_SUFFIX.sub("", title) or title
        if not text.startswith(title):
            text = f"{title}\n\n{text}"
    return text + "\n", hinted_date


def check_pdf(data: bytes) -> None:
    """Raises ExtractError when ``data`` is not a PDF at all."""
    if not data.startswith(b"%PDF-"):
        raise ExtractError("not a PDF (no %PDF- header)")
