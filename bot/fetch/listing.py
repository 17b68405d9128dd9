"""What a listing says: item links (with the date, symbol and language it prints beside them), the
pager's next page, RSS/Atom feed entries, and meeting-document tables with one file per language.

Every function here is CPU work on one page; ``run.py`` calls them in a worker thread. Each is
linear in the page: a link's date is looked up in its smallest enclosing element of at most
``_NEAR`` characters, and element sizes are computed once, bottom-up, for the whole tree.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from bot.cms.dates import find_dates

#: An element with more text than this is not "next to" a link (a whole listing, a page column).
_NEAR = 2000
#: How many levels above a link its date may be printed.
_UP = 4
_FILE_EXTENSIONS = (".pdf", ".doc", ".docx", ".odt", ".rtf")
#: Language words as link texts and ``hreflang`` values say them.
_LANGUAGE_WORDS = {
    "en": "en", "e": "en", "eng": "en", "english": "en", "anglais": "en", "inglés": "en", "ingles": "en",
    "fr": "fr", "f": "fr", "fra": "fr", "french": "fr", "français": "fr", "francais": "fr", "francés": "fr",
    "es": "es", "s": "es", "spa": "es", "spanish": "es", "español": "es", "espanol": "es", "espagnol": "es",
}
#: ``cms_cop14_doc.19_birds_e.pdf`` / ``…-f.pdf`` / ``…_S.docx``: the CMS file-name language marker.
_FILE_LANGUAGE = re.compile(r"[_-](e|f|s|en|fr|es)\.[a-z]{3,4}$", re.IGNORECASE)
_PATH_LANGUAGE = re.compile(r"^/(en|fr|es)/")
#: A document symbol as a table cell prints it: "UNEP/CMS/COP14/Doc.19", "Doc.19", "Resolution 12.26",
#: "COP14/Inf.3", "2024/005".
_SYMBOL = re.compile(
    r"^(?:UNEP/CMS/\S+|(?:COP\d+/)?(?:Doc|Inf|Res|Rec|CRP)\.?\s?[\w.]+|(?:Resolution|Decision|Recommendation)s?\s+\d+[.\w-]*"
    r"|\d{1,2}\.\d{1,3}(?:\s*\(Rev\.\s*COP\d+\))?|\d{4}/\d{2,4})$",
    re.IGNORECASE,
)
_NEXT_TEXT = re.compile(r"^\s*(?:next|suivant|siguiente)\b|^\s*[›»]\s*$", re.IGNORECASE)

Allows = Callable[[str], bool]


@dataclass(frozen=True)
class ListingLink:
    """An item found on a listing, with what the listing says about it (None where it says nothing)."""

    url: str
    text: str | None = None
    #: The date printed beside the link, or the feed entry's date.
    date: date | None = None
    #: The document's language, from its file name or link; the source's language for pages.
    lang: str | None = None
    #: The symbol printed in the document's table row.
    symbol: str | None = None
    #: The heading of the table the row is in ("Meeting Documents", "Resolutions").
    doc_type: str | None = None
    #: True when ``url`` is a document page whose file for ``lang`` is still to be found on it.
    via_page: bool = False
    #: The meeting the listing row names (an OData decision's COP).
    meeting: int | None = None

    @property
    def key(self) -> str:
        """What the fetch state is keyed on: the URL, plus the language when the URL does not say it."""
        return f"{self.url}#{self.lang}" if self.via_page else self.url


def normalise_url(href: str, base: str) -> str | None:
    """An absolute http(s) URL without its fragment, or None for mailto:, javascript: and the like."""
    absolute = urljoin(base, href.strip())
    parts = urlsplit(absolute)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def is_file_url(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(_FILE_EXTENSIONS)


def file_language(url: str) -> str | None:
    """The language a file name carries (``…_e.pdf`` → en), None when it carries none."""
    m = _FILE_LANGUAGE.search(unquote(urlsplit(url).path))
    return _LANGUAGE_WORDS[m.group(1).lower()] if m else None


def language_of(url: str, text: str | None = None, hreflang: str | None = None) -> str | None:
    """A document link's language: ``hreflang``, the file-name marker (``_e``/``_f``/``_s``), the
    link text ("English", "Français", "E"), or the ``/en/`` path prefix; None when nothing says."""
    if hreflang and hreflang.strip().lower()[:2] in {"en", "fr", "es"}:
        return hreflang.strip().lower()[:2]
    path = unquote(urlsplit(url).path)
    m = _FILE_LANGUAGE.search(path)
    if m:
        return _LANGUAGE_WORDS[m.group(1).lower()]
    if text:
        word = text.strip().strip("()[]").lower()
        if word in _LANGUAGE_WORDS:
            return _LANGUAGE_WORDS[word]
    m = _PATH_LANGUAGE.match(path)
    return m.group(1) if m else None


#: Deeper than this, a page is refused: HTML parsers build deep trees in quadratic time.
MAX_DEPTH = 1000
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def nesting_depth(html: str, limit: int = MAX_DEPTH) -> int:
    """How deeply the page's elements nest (counting stops past ``limit``), by one linear scan of its tags."""
    depth = deepest = 0
    for m in _TAG.finditer(html):  # a Python-level loop lets other threads (the event loop) run meanwhile
        closing, name = m.groups()
        if name in _VOID or name.lower() in _VOID:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
    return deepest


def parse_html(html: str) -> Any:
    """The page as a selectolax (lexbor) tree; raises ValueError for a page nested over ``MAX_DEPTH`` deep."""
    from selectolax.lexbor import LexborHTMLParser

    if nesting_depth(html) > MAX_DEPTH:
        raise ValueError(f"page nested too deeply (over {MAX_DEPTH} levels)")
    return LexborHTMLParser(html)


def _parse(page: str | Any) -> Any:
    """A tree from HTML text, or the tree itself when one is given (so a page is parsed once)."""
    return parse_html(page) if isinstance(page, str) else page


def _squash(text: str) -> str:
    return " ".join(text.split())


class _Sizes:
    """Text length of every element (capped at ``_NEAR + 1``), computed in one bottom-up pass."""

    def __init__(self, tree: Any) -> None:
        self.size: dict[int, int] = {}
        order: list[Any] = []
        root = tree.root
        if root is None:
            return
        stack = [root]
        while stack:  # pre-order, iteratively: deeply nested pages must not hit the recursion limit
            node = stack.pop()
            order.append(node)
            child = node.last_child
            while child is not None:
                stack.append(child)
                child = child.prev
        for node in reversed(order):
            own = len(node.text_content or "") if node.tag == "-text" else 0
            total = min(self.size.get(node.mem_id, 0) + own, _NEAR + 1)
            self.size[node.mem_id] = total
            parent = node.parent
            if parent is not None:
                self.size[parent.mem_id] = min(self.size.get(parent.mem_id, 0) + total, _NEAR + 1)

    def small(self, node: Any) -> bool:
        return self.size.get(node.mem_id, _NEAR + 1) <= _NEAR


def _single_day(text: str) -> date | None:
    for found in find_dates(text):
        if found.span.start == found.span.end:
            return found.span.start
    return None


class _Dates:
    """The date printed next to a link: in a ``<time>``, ``.text-muted`` or ``.date`` element of the
    smallest enclosing element (up to ``_UP`` levels) that has one, else in that element's text."""

    def __init__(self, tree: Any) -> None:
        self.sizes = _Sizes(tree)
        self.cache: dict[int, date | None] = {}

    def near(self, node: Any) -> date | None:
        current = node
        for _ in range(_UP):
            current = current.parent
            if current is None or not self.sizes.small(current):
                return None
            key = current.mem_id
            if key not in self.cache:
                self.cache[key] = self._in(current)
            if self.cache[key] is not None:
                return self.cache[key]
        return None

    @staticmethod
    def _in(element: Any) -> date | None:
        for marked in element.css("time, .text-muted, .date, [class*=date]"):
            found = _single_day((marked.attributes or {}).get("datetime") or "") or _single_day(marked.text(separator=" "))
            if found is not None:
                return found
        return _single_day(element.text(separator=" "))


def _anchors(tree: Any, selector: str | None) -> list[Any]:
    if not selector:
        return tree.css("a[href]")
    anchors: list[Any] = []
    for node in tree.css(selector):
        anchors.extend([node] if node.tag == "a" else node.css("a[href]"))
    return anchors


def listing_links(html: str | Any, base_url: str, selector: str | None, pattern: re.Pattern[str] | None,
                  allows: Allows, lang: str | None = None) -> list[ListingLink]:
    """Item links on a listing page, in page order, deduplicated; links ``allows`` refuses dropped."""
    tree = _parse(html)
    dates = _Dates(tree)
    links: list[ListingLink] = []
    seen: set[str] = set()
    for anchor in _anchors(tree, selector):
        href = (anchor.attributes or {}).get("href")
        url = normalise_url(href, base_url) if href else None
        if url is None or url in seen or not allows(url):
            continue
        if pattern is not None and not pattern.search(url):
            continue
        seen.add(url)
        links.append(ListingLink(url=url, text=_squash(anchor.text(separator=" ")) or None, date=dates.near(anchor), lang=lang))
    return links


def next_page(html: str | Any, page_url: str) -> str | None:
    """The pager's "next" link (``rel=next``, Drupal's ``li.pager-next``, Bootstrap's ``li.next``, or a
    pager link reading "next"), if it stays on the listing's own path."""
    tree = _parse(html)
    candidates = tree.css('a[rel~="next"], li.pager-next a, li.next a, .pager__item--next a, a[title="Go to next page"]')
    if not candidates:
        candidates = [a for a in tree.css(".pager a, .pagination a, nav a") if _NEXT_TEXT.search(a.text())]
    here = urlsplit(page_url)
    for anchor in candidates:
        href = (anchor.attributes or {}).get("href")
        url = normalise_url(href, page_url) if href else None
        if url is None:
            continue
        there = urlsplit(url)
        if (there.scheme, there.netloc, there.path) == (here.scheme, here.netloc, here.path) and there.query != here.query:
            return url
    return None


def feed_links(body: bytes, base_url: str, pattern: re.Pattern[str] | None, allows: Allows, lang: str | None = None) -> list[ListingLink]:
    """Entries of an RSS 2.0 or Atom feed: link, title, date. Raises ValueError for a broken feed.

    Parsed with defusedxml: entity expansion and external entities are refused.
    """
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        root = SafeET.fromstring(body)
    except RecursionError:
        raise ValueError("not a readable feed (nested too deeply)") from None
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise ValueError(f"not a readable feed ({type(exc).__name__}: {exc})") from None
    links: list[ListingLink] = []
    seen: set[str] = set()
    for entry in root.iter():
        tag = entry.tag.rsplit("}", 1)[-1]
        if tag not in {"item", "entry"}:
            continue
        fields = {child.tag.rsplit("}", 1)[-1]: child for child in entry}
        link = fields.get("link")
        href = None
        if link is not None:
            href = (link.text or "").strip() or link.get("href")
        url = normalise_url(href, base_url) if href else None
        if url is None or url in seen or not allows(url) or (pattern is not None and not pattern.search(url)):
            continue
        seen.add(url)
        title = fields.get("title")
        when = next((fields[k].text for k in ("pubDate", "published", "updated", "date") if k in fields and fields[k].text), None)
        links.append(ListingLink(url=url, text=_squash(title.text or "") or None if title is not None else None,
                                 date=_feed_date(when), lang=lang))
    return links


def _feed_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).date()  # RSS: RFC 822
    except (TypeError, ValueError):
        pass
    try:
        return date.fromisoformat(value.strip()[:10])  # Atom: RFC 3339
    except ValueError:
        return None


def _table_heading(table: Any) -> str | None:
    """The document type a table lists: its ``<caption>``, the enclosing panel's title, or the nearest
    heading before it."""
    caption = table.css_first("caption")
    if caption is not None and caption.text().strip():
        return _squash(caption.text())
    node = table
    for _ in range(6):
        node = node.parent
        if node is None:
            break
        title = node.css_first(".panel-title, .panel-heading")
        if title is not None and title is not table:
            text = _squash(title.text().replace("Expand", "").replace("Collapse", ""))
            if text:
                return text
    previous = table.prev
    for _ in range(5):
        if previous is None:
            break
        if previous.tag in {"h2", "h3", "h4", "h5"}:
            return _squash(previous.text()) or None
        previous = previous.prev
    return None


def document_rows(html: str | Any, base_url: str, languages: tuple[str, ...], allows: Allows,
                  pattern: re.Pattern[str] | None = None) -> list[ListingLink]:
    """One item per document and wanted language from a page's document tables.

    A row gives the symbol (the cell that reads like one), the title (the link to the document's own
    page, else the longest cell), its date, and one file link per language; a row with no file link
    but a link to the document's page yields that page, to be read for the file (``via_page``).
    """
    tree = _parse(html)
    links: list[ListingLink] = []
    seen: set[str] = set()
    for table in tree.css("table"):
        doc_type = _table_heading(table)
        for row in table.css("tr"):
            cells = row.css("td")
            if not cells:
                continue
            texts = [_squash(c.text(separator=" ")) for c in cells]
            symbol = next((t for t in texts if t and len(t) <= 60 and _SYMBOL.match(t)), None)
            files: dict[str, str] = {}
            page: tuple[str, str] | None = None
            unmarked: list[str] = []
            for anchor in row.css("a[href]"):
                attrs = anchor.attributes or {}
                url = normalise_url(attrs.get("href") or "", base_url)
                if url is None or not allows(url):
                    continue
                text = _squash(anchor.text(separator=" "))
                if is_file_url(url):
                    if pattern is not None and not pattern.search(url):
                        continue
                    lang = language_of(url, text, attrs.get("hreflang"))
                    if lang is None:
                        unmarked.append(url)
                    else:
                        files.setdefault(lang, url)
                elif page is None and text and text != symbol:
                    page = (url, text)
            if not files and len(unmarked) == 1:
                files[languages[0]] = unmarked[0]  # one unmarked file: the row's only version
            title = page[1] if page else max((t for t in texts if t != symbol), key=len, default=None) or None
            day = _single_day(" ".join(texts)) if sum(map(len, texts)) <= _NEAR else None
            for lang in languages:
                if lang in files:
                    url, via_page = files[lang], False
                elif page is not None and not files:
                    url, via_page = page[0], True
                else:
                    continue
                item = ListingLink(url=url, text=title, date=day, lang=lang, symbol=symbol, doc_type=doc_type, via_page=via_page)
                if item.key not in seen:
                    seen.add(item.key)
                    links.append(item)
    return links


def page_file(html: str, base_url: str, lang: str, allows: Allows) -> str | None:
    """On a document's own page, the link to its file in ``lang`` (None when it has none)."""
    tree = _parse(html)
    unmarked: list[str] = []
    for anchor in tree.css("a[href]"):
        attrs = anchor.attributes or {}
        url = normalise_url(attrs.get("href") or "", base_url)
        if url is None or not is_file_url(url) or not allows(url):
            continue
        found = language_of(url, _squash(anchor.text(separator=" ")), attrs.get("hreflang"))
        if found == lang:
            return url
        if found is None:
            unmarked.append(url)
    return unmarked[0] if len(unmarked) == 1 and lang == "en" else None
