"""File formats → front matter + plain body text.

- ``.md`` / ``.txt``: UTF-8 text, optional YAML front matter, body kept as written.
- ``.html`` / ``.htm``: selectolax (lexbor) parses the page; scripts, navigation and page chrome
  are dropped and the main content is rendered as blank-line-separated paragraphs, list items
  as ``- item``. ``<meta>`` tags supply title/date/url hints; optional front matter wins.
- ``.pdf``: pypdf extracts the text page by page (line breaks, and so paragraph numbers at line
  starts, preserved). A sidecar ``<name>.yaml`` beside the PDF is its front matter.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.ingest import frontmatter
from bot.ingest.errors import IngestError

TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
PDF_SUFFIXES = frozenset({".pdf"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES
#: Per-file limits, reported with the file: no real CMS page or document comes near them, and a
#: larger file would hold up indexing for everything else.
MAX_TEXT_BYTES = 8 * 1024 * 1024
MAX_PDF_BYTES = 64 * 1024 * 1024
MAX_TEXT_CHARS = 8 * 1024 * 1024

_DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "iframe", "svg", "button", "select", "dialog", "menu",
)
_CHROME_HINT = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|cookie|share|social|sidebar|footer|header|skip-link|pager)(?:$|[\s_-])", re.IGNORECASE)
_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "blockquote", "pre", "table", "tr", "td", "th", "dl", "dt", "dd", "figure", "figcaption", "br", "hr",
    "address",
})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


@dataclass(frozen=True)
class RawDocument:
    """A file read and converted: explicit front matter, format hints, and body text."""

    meta: dict[str, Any]
    body: str
    format: str  # "text" | "html" | "pdf"
    #: Metadata the format itself carries (HTML <meta>, PDF info); front matter overrides these.
    hints: dict[str, Any] = field(default_factory=dict)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def decode_text(data: bytes, name: str) -> str:
    """Strict UTF-8 (BOM allowed); binary or undecodable content is an IngestError."""
    if b"\x00" in data[:8192] or b"\x00" in data:
        raise IngestError(name, "binary content (NUL bytes) in a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(name, f"not valid UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None


def read_source(path: Path, name: str) -> RawDocument:
    """Read and convert one corpus file; ``name`` is how reports name it (path relative to the corpus)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(name, f"unsupported file type {suffix or '(no extension)'!r}")
    limit = MAX_PDF_BYTES if suffix in PDF_SUFFIXES else MAX_TEXT_BYTES
    try:
        size = path.stat().st_size
        if size > limit:
            raise IngestError(name, f"file too large: {_megabytes(size)} (limit {_megabytes(limit)})")
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(name, f"cannot read file ({exc.strerror or exc})") from None
    if not data.strip():
        raise IngestError(name, "empty file")
    if suffix in PDF_SUFFIXES:
        return _read_pdf(path, data, name)
    text = decode_text(data, name)
    try:
        meta, body = frontmatter.split(text)
    except frontmatter.FrontMatterError as exc:
        raise IngestError(name, str(exc)) from None
    if suffix in HTML_SUFFIXES:
        title, body_text, hints = html_to_text(body)
        if title:
            hints.setdefault("title", title)
        body = body_text
        fmt = "html"
    else:
        hints = {}
        fmt = "text"
    if not body.strip():
        raise IngestError(name, "no text after the front matter" if meta else "empty file")
    return RawDocument(meta=meta, body=body, format=fmt, hints=hints)


# --- HTML -------------------------------------------------------------------------------------

def _is_chrome(node: Any) -> bool:
    attrs = node.attributes or {}
    if attrs.get("role") in {"navigation", "banner", "contentinfo", "search", "complementary"}:
        return True
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    marker = " ".join(filter(None, (attrs.get("class"), attrs.get("id"))))
    return bool(marker and _CHROME_HINT.search(marker))


def _meta_hints(tree: Any) -> dict[str, Any]:
    hints: dict[str, Any] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (attrs.get("name") or attrs.get("property") or "").lower()
        content = (attrs.get("content") or "").strip()
        if not content:
            continue
        if key in {"og:title", "dc.title", "dcterms.title"}:
            hints.setdefault("title", content)
        elif key in {"date", "dc.date", "dcterms.date", "article:published_time", "pubdate"}:
            hints.setdefault("date", content[:10] if re.match(r"\d{4}-\d{2}-\d{2}", content) else content)
        elif key in {"og:url"}:
            hints.setdefault("url", content)
    canonical = tree.css_first("link[rel=canonical]")
    if canonical is not None and canonical.attributes.get("href"):
        hints["url"] = canonical.attributes["href"]
    return hints


def html_to_text(html: str) -> tuple[str | None, str, dict[str, Any]]:
    """``(title, text, hints)``: the page's main content as paragraphs, chrome removed."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    hints = _meta_hints(tree)
    page_title_node = tree.css_first("title")
    page_title = _SPACES.sub(" ", page_title_node.text()).strip() if page_title_node else None
    for tag in _DROP_TAGS:
        for node in tree.css(tag):
            node.decompose()
    for node in list(tree.css("[class], [id], [role], [hidden], [aria-hidden]")):
        if _is_chrome(node):
            node.decompose()
    root = (
        tree.css_first("main") or tree.css_first("article") or tree.css_first("[role=main]")
        or tree.css_first("#content") or tree.body or tree.root
    )
    paragraphs: list[str] = []
    _render_blocks(root, paragraphs)
    h1 = root.css_first("h1") if root is not None else None
    title = hints.pop("title", None) or (_SPACES.sub(" ", h1.text()).strip() if h1 else None) or page_title
    return title or None, "\n\n".join(paragraphs), hints


def _render_blocks(root: Any, out: list[str]) -> None:
    """Depth-first: inline text accumulates into the current paragraph; block edges flush it."""
    current: list[str] = []

    def flush(prefix: str = "") -> None:
        text = _SPACES.sub(" ", "".join(current)).strip()
        current.clear()
        if text:
            out.append(prefix + text)

    def walk(node: Any) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                current.append(child.text_content or "")
            elif tag in {"-comment", "-doctype"}:
                continue
            elif tag == "br":
                current.append("\n")
            elif tag == "li":
                flush()
                walk(child)
                flush("- ")
            elif tag in _BLOCK_TAGS:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    if root is not None:
        walk(root)
        flush()


# --- PDF --------------------------------------------------------------------------------------

def pdf_to_text(data: bytes, name: str = "PDF") -> tuple[str, dict[str, Any]]:
    """``(text, hints)`` from a PDF; a PDF pypdf cannot read is an IngestError."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # many published PDFs are "encrypted" only to restrict printing or copying: the user
            # password is empty and the text can be read
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError) as exc:
                raise IngestError(name, f"PDF is encrypted with a method that cannot be read here ({exc})") from None
            if not opened:
                raise IngestError(name, "PDF is encrypted and needs a password")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except IngestError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError) as exc:
        raise IngestError(name, f"PDF failed to parse ({type(exc).__name__}: {exc})") from None
    text = "\n\n".join(page.strip("\n") for page in pages)
    if len(text) > MAX_TEXT_CHARS:
        raise IngestError(name, f"PDF text too large: {len(text) // (1024 * 1024)} M characters (limit {MAX_TEXT_CHARS // (1024 * 1024)} M)")
    if not text.strip():
        raise IngestError(name, "PDF has no extractable text (scanned image or empty pages)")
    hints: dict[str, Any] = {}
    title = getattr(info, "title", None) if info is not None else None
    if isinstance(title, str) and title.strip():
        hints["title"] = title.strip()
    return text, hints


def _read_pdf(path: Path, data: bytes, name: str) -> RawDocument:
    if not data.startswith(b"%PDF-"):
        raise IngestError(name, "not a PDF (no %PDF- header)")
    text, hints = pdf_to_text(data, name)
    meta: dict[str, Any] = {}
    sidecar = path.with_suffix(".yaml")
    if sidecar.is_file():
        try:
            if sidecar.stat().st_size > frontmatter.MAX_BYTES:
                raise frontmatter.FrontMatterError(f"is {sidecar.stat().st_size // 1024} KB (limit {frontmatter.MAX_BYTES // 1024} KB)")
            meta = frontmatter.load_mapping(decode_text(sidecar.read_bytes(), sidecar.name))
        except frontmatter.FrontMatterError as exc:
            raise IngestError(name, f"sidecar {sidecar.name}: {exc}") from None
    return RawDocument(meta=meta, body=text, format="pdf", hints=hints)
