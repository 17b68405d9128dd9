"""Corpus folder → Documents → Passages, with every unusable file reported and skipped."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.ingest import cop_document, news_listing, press_release
from bot.cms.dates import coerce_date, find_dates
from bot.ingest.errors import IngestError
from bot.ingest.formats import SUPPORTED_SUFFIXES, RawDocument, read_source
from bot.cms.meetings import MeetingRegistry, UnknownMeeting
from bot.ingest.parsed import Parsed
from bot.model import KINDS, Document, Passage
from bot.safetext import clean
from bot.text.lang import UnknownLanguage, document_language

PARSERS: dict[str, Callable[[str], Parsed]] = {
    "news_listing": news_listing.parse,
    "press_release": press_release.parse,
    "cop_document": cop_document.parse,
}
_METADATA_SUFFIXES = frozenset({".yaml", ".yml"})
_KNOWN_FIELDS = frozenset({"title", "kind", "date", "url", "meeting", "symbol", "place", "subtitle", "agenda_item", "lang"})


@dataclass(frozen=True)
class Problem:
    """A file skipped (``skipped=True``) or ingested with something it could not tell."""

    path: str
    reason: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" + ("" if self.skipped else " (warning)")


@dataclass
class CorpusLoad:
    documents: list[Document] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_seen: int = 0


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Every candidate document under ``corpus_dir``, sorted; YAML metadata and hidden files excluded."""
    files = []
    for path in sorted(corpus_dir.rglob("*")):
        rel = path.relative_to(corpus_dir)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.suffix.lower() in _METADATA_SUFFIXES:
            continue
        files.append(path)
    return files


def fingerprint(corpus_dir: Path) -> str:
    """A hash of every corpus file's path and content (and meetings.yaml): changes when the corpus does."""
    digest = hashlib.sha256()
    for path in sorted(p for p in corpus_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(corpus_dir).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        digest.update(rel.encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


def infer_kind(raw: RawDocument, name: str) -> str:
    head = raw.body[:3000]
    if cop_document.SYMBOL.search(head):
        return "cop_document"
    if re.search(r"^\s*(?:\*\*)?\s*PRESS\s+RELEASE", head, re.IGNORECASE | re.MULTILINE):
        return "press_release"
    standalone_dates = [f for f in find_dates(raw.body) if _is_whole_line(raw.body, f.start, f.end)]
    if len(standalone_dates) >= 2:
        return "news_listing"
    raise IngestError(name, f"no 'kind' in front matter and none can be inferred (expected one of {', '.join(KINDS)})")


def _is_whole_line(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return not text[line_start:start].strip() and not text[end:line_end].strip()


def _meeting_number(value: Any, meetings: MeetingRegistry, name: str) -> int:
    try:
        return meetings.number_of(value)
    except UnknownMeeting as exc:
        raise IngestError(name, f"front matter meeting: {exc}") from None


def _infer_meeting(parsed: Parsed, body: str, day: date | None, meetings: MeetingRegistry) -> int | None:
    if parsed.meta.get("meeting_text"):
        found = meetings.resolve(parsed.meta["meeting_text"])
        if found:
            return found.number
    if day is not None and (during := meetings.covering(day)):
        return during.number
    counts: dict[int, int] = {}
    for mention in meetings.mentions(body):
        counts[mention.number] = counts.get(mention.number, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda n: (counts[n], n))


def _slug(locator: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", re.sub(r"\.(?=\s|$)", "", locator.lower())).strip("-.")


def passage_id(source: str, locator: str) -> str:
    """Stable across re-indexing: the file's path without extension, then the locator."""
    stem = source.rsplit(".", 1)[0] if "." in source.rsplit("/", 1)[-1] else source
    return f"{stem}#{_slug(locator)}"


def load_document(path: Path, corpus_dir: Path, meetings: MeetingRegistry) -> tuple[Document, Parsed, list[Problem]]:
    """Parse one file; raises IngestError when the file cannot be used at all."""
    name = clean(path.relative_to(corpus_dir).as_posix())  # a name that is not UTF-8 shows U+FFFD
    raw = read_source(path, name)
    meta = raw.meta
    unknown = sorted(set(meta) - _KNOWN_FIELDS)
    warnings = [Problem(name, f"unknown front matter field(s) ignored: {', '.join(unknown)}", skipped=False)] if unknown else []

    kind = meta.get("kind")
    if kind is None:
        kind = infer_kind(raw, name)
    elif kind not in KINDS:
        raise IngestError(name, f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
    parsed = PARSERS[kind](raw.body)
    if not parsed.passages:
        raise IngestError(name, f"no passages found for a {kind} (is the kind right, or the file truncated?)")

    def pick(key: str) -> Any:
        for source in (meta, parsed.meta, raw.hints):
            if source.get(key) not in (None, ""):
                return source[key]
        return None

    try:
        day = coerce_date(pick("date"))
    except ValueError as exc:
        raise IngestError(name, f"date: {exc}") from None
    if day is None:
        warnings.append(Problem(name, "no date in front matter and none found in the text", skipped=False))
    title = pick("title")
    if title is None:
        title = path.stem
        warnings.append(Problem(name, "no title in front matter and none found; using the file name", skipped=False))
    meeting = _meeting_number(meta["meeting"], meetings, name) if meta.get("meeting") is not None else _infer_meeting(parsed, raw.body, day, meetings)
    document = Document(
        source=name,
        kind=kind,
        title=str(title).strip(),
        date=day,
        body=raw.body,
        url=pick("url"),
        symbol=pick("symbol"),
        meeting=meeting,
        place=pick("place"),
        subtitle=pick("subtitle"),
        agenda_item=str(pick("agenda_item")) if pick("agenda_item") is not None else None,
        mentioned_dates=tuple(f.span for f in find_dates(raw.body)),
        lang=_language(meta, pick("url"), f"{title}\n{raw.body}", name, warnings),
    )
    return document, parsed, warnings


def _language(meta: dict[str, Any], url: Any, text: str, name: str, warnings: list[Problem]) -> str:
    """The document's language (bot.text.lang); an unusable front matter ``lang`` is a warning, then ignored."""
    url = str(url) if url else None
    try:
        return document_language(meta, url, text)
    except UnknownLanguage as exc:
        warnings.append(Problem(name, f"front matter lang: {exc}; detected from the URL or text instead", skipped=False))
        return document_language({}, url, text)


def split_document(document: Document, parsed: Parsed, meetings: MeetingRegistry, first_position: int = 0) -> list[Passage]:
    passages = []
    seen: set[str] = set()
    for offset, draft in enumerate(parsed.passages):
        locator = draft.locator
        if locator in seen:  # a document numbering a paragraph twice: keep both, citably apart
            locator = f"{locator} ({offset + 1})"
        seen.add(locator)
        meeting = document.meeting
        if draft.title is not None:  # a news item: its own meeting when it names one
            mentioned = meetings.resolve(f"{draft.title}\n{draft.text}")
            meeting = mentioned.number if mentioned else document.meeting
        passages.append(Passage(
            id=passage_id(document.source, locator),
            source=document.source,
            kind=document.kind,
            title=draft.title or document.title,
            document_title=document.title,
            date=draft.date or document.date,
            locator=locator,
            text=draft.text,
            position=first_position + offset,
            url=document.url,
            symbol=document.symbol,
            meeting=meeting,
            place=draft.place or document.place,
            context=draft.context,
            lang=document.lang,
        ))
    return passages


def load_corpus(
    corpus_dir: Path,
    meetings: MeetingRegistry,
    on_file: Callable[[str, int, int], None] | None = None,
) -> CorpusLoad:
    """Every usable document in ``corpus_dir`` and its passages; problems listed, never raised."""
    result = CorpusLoad()
    files = corpus_files(corpus_dir)
    for index, path in enumerate(files, start=1):
        name = clean(path.relative_to(corpus_dir).as_posix())
        if on_file is not None:
            on_file(name, index, len(files))
        result.files_seen += 1
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            result.problems.append(Problem(name, f"unsupported file type {path.suffix or '(no extension)'!r}"))
            continue
        try:
            document, parsed, warnings = load_document(path, corpus_dir, meetings)
        except IngestError as exc:
            result.problems.append(Problem(name, exc.reason))
            continue
        except Exception as exc:  # a parser bug must not cost the rest of the corpus
            result.problems.append(Problem(name, f"internal error while parsing ({type(exc).__name__}: {exc})"))
            continue
        result.problems.extend(warnings)
        result.documents.append(document)
        result.passages.extend(split_document(document, parsed, meetings, len(result.passages)))
    return result
