"""Corpus folder → Documents → Passages, with every unusable file reported and skipped."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.cms.dates import coerce_date, find_dates
from bot.ingest.classify import classify
from bot.ingest.datelines import url_date
from bot.ingest.errors import IngestError
from bot.ingest.formats import SUPPORTED_SUFFIXES, read_source
from bot.cms.meetings import MeetingRegistry, UnknownMeeting
from bot.ingest.kinds import PARSERS
from bot.ingest.parsed import Parsed, PassageDraft
from bot.ingest.page import first_sentence_title, slug_title
from bot.ingest.sites import url_signal
from bot.model import KINDS, Document, Passage
from bot.ingest.walk import Problem, corpus_state, fingerprint, walk_corpus  # noqa: F401 - part of this module's API
from bot.safetext import clean
from bot.text.lang import UnknownLanguage, document_language

_METADATA_SUFFIXES = frozenset({".yaml", ".yml"})
_KNOWN_FIELDS = frozenset({"title", "kind", "date", "url", "meeting", "symbol", "place", "subtitle", "agenda_item", "lang",
                           "item_urls"})
#: Front-matter fields that hold text; numbers and dates are read as text, anything else is refused.
_TEXT_FIELDS = ("title", "kind", "url", "symbol", "place", "subtitle", "agenda_item")


@dataclass
class CorpusLoad:
    documents: list[Document] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_seen: int = 0


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Every candidate document under ``corpus_dir``, sorted; YAML metadata and hidden files excluded."""
    files, _problems = walk_corpus(corpus_dir)
    return [path for path in files if path.suffix.lower() not in _METADATA_SUFFIXES]


def check_front_matter(meta: dict[str, Any], name: str) -> tuple[dict[str, Any], list[Problem]]:
    """Every known field's value of the type cmsbot uses: numbers and dates in text fields read
    as text (with a warning), a YAML timestamp as its day; a list, mapping or yes/no where a
    single value belongs is an IngestError naming the field."""
    checked = dict(meta)
    warnings: list[Problem] = []
    for key in _TEXT_FIELDS:
        value = meta.get(key)
        if value is None or isinstance(value, str):
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float, date)):
            raise IngestError(name, f"front matter {key}: expected text, got {type(value).__name__} {str(value)[:60]!r}")
        text = value.isoformat() if isinstance(value, date) else str(value)
        checked[key] = text
        if key != "agenda_item" and not (key == "title" and isinstance(value, int)):
            warnings.append(Problem(name, f"front matter {key}: {type(value).__name__} {value!r} read as the text {text!r} (quote it to be sure)", skipped=False))
    value = meta.get("date")
    if isinstance(value, datetime):
        checked["date"] = value.date()
    elif value is not None and not isinstance(value, (date, str)):
        raise IngestError(name, f"front matter date: expected a date, got {type(value).__name__} {str(value)[:60]!r}")
    value = meta.get("meeting")
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, str))):
        raise IngestError(name, f"front matter meeting: expected a number or a name like COP14, got {type(value).__name__} {str(value)[:60]!r}")
    return checked, warnings


def _meeting_number(value: Any, meetings: MeetingRegistry, name: str) -> int:
    try:
        return meetings.number_of(value)
    except UnknownMeeting as exc:
        raise IngestError(name, f"front matter meeting: {exc}") from None


def _about_meetings(parsed: Parsed, title: str, url: str | None, day: date | None, meetings: MeetingRegistry) -> tuple[int, ...]:
    """The meetings a page is about, most central first: a mention in the title or URL counts
    5, in the first passage 3, the second 2, any other 1 (each text once per meeting); being in
    session on the page's date 2, the next one then (if named) 1. A meeting needs 3 to count, so a passing mention in the body
    is not what the page is about."""
    if parsed.meta.get("meeting_text"):
        found = meetings.resolve(parsed.meta["meeting_text"])
        if found:
            return (found.number,)
    scores: dict[int, int] = {}
    first_seen: dict[int, int] = {}

    def add(text: str, weight: int) -> None:
        # a text naming a meeting three ways ("the eleventh meeting … (COP11), held in Quito") names it once
        for number in dict.fromkeys(mention.number for mention in meetings.mentions(text)):
            scores[number] = scores.get(number, 0) + weight
            first_seen.setdefault(number, len(first_seen))

    add(title, 5)
    if url:
        slug = re.sub(r"^[a-z]+://[^/]+", "", url)
        add(re.sub(r"[-_/+]+", " ", slug), 5)
    texts = [d.text for d in parsed.passages]
    for index, text in enumerate(texts):
        add(text, (3, 2)[index] if index < 2 else 1)
    if day is not None and (during := meetings.covering(day)):
        scores[during.number] = scores.get(during.number, 0) + 2
    elif day is not None:
        # the meeting being prepared for or just held when the page was written, if it names it
        upcoming = next((m for m in meetings.all() if m.end.toordinal() >= day.toordinal() - 30), None)
        if upcoming is not None and upcoming.number in scores:
            scores[upcoming.number] += 1
    ranked = sorted((n for n, score in scores.items() if score >= 3), key=lambda n: (-scores[n], first_seen.get(n, 99)))
    return tuple(ranked)


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
    meta, warnings = check_front_matter(raw.meta, name)
    unknown = sorted(set(meta) - _KNOWN_FIELDS)
    if unknown:
        warnings.append(Problem(name, f"unknown front matter field(s) ignored: {', '.join(unknown)}", skipped=False))

    kind = meta.get("kind")
    if kind is not None and kind not in KINDS:
        raise IngestError(name, f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
    url = meta.get("url") or raw.hints.get("url")
    folder = name.rsplit("/", 1)[0] if "/" in name else None
    classified = classify(kind, url, raw.body, folder)
    kind = classified.kind
    parsed = PARSERS[kind](raw.body)
    if not parsed.passages and classified.weight < 100 and kind != "page":
        kind, parsed = "page", PARSERS["page"](raw.body)  # the text didn't fit the kind its URL suggested
        classified = classify(None, None, "", None)
    if not parsed.passages:
        raise IngestError(name, f"no passages found for a {kind} (is the kind right, or the file truncated?)")
    if kind == "page":
        warnings.append(Problem(name, f"kind not recognised ({classified.why}): indexed as a generic page", skipped=False))

    if meta.get("item_urls") is not None:
        parsed.passages = _with_item_urls(parsed.passages, meta["item_urls"], name, warnings)

    def pick(key: str) -> Any:
        for source in (meta, parsed.meta, raw.hints):
            if source.get(key) not in (None, ""):
                return source[key]
        return None

    date_source = None
    try:
        day = coerce_date(meta.get("date"))
        if day is not None:
            date_source = "front matter"
        else:
            for source, label in ((parsed.meta, parsed.meta.get("date_source", "text")), (raw.hints, "page metadata")):
                day = coerce_date(source.get("date")) if source.get("date") not in (None, "") else None
                if day is not None:
                    date_source = label
                    break
    except ValueError as exc:
        raise IngestError(name, f"date: {exc}") from None
    if day is None and (day := url_date(url)) is not None:
        date_source = "url"
    if day is None and isinstance(parsed.meta.get("updated"), date):
        day, date_source = parsed.meta["updated"], "last updated"
        warnings.append(Problem(name, f"dated from its 'Last updated on' line ({day.isoformat()}): a change date, not the publication date", skipped=False))
    if day is None:
        warnings.append(Problem(name, "no date in front matter and none found in the text", skipped=False))
    title = pick("title")
    if meta.get("title") is None and parsed.meta.get("title_source") == "first sentence" and (from_url := slug_title(url)):
        title = from_url
        parsed.meta["title_source"] = "url"
    if title is None and (first := next((d.text for d in parsed.passages if d.locator.startswith("para")), None)):
        title = first_sentence_title(first)
        parsed.meta["title_source"] = "first sentence"
    if title is None and pick("symbol"):
        title = str(pick("symbol"))
        warnings.append(Problem(name, "no title found; using its symbol", skipped=False))
    elif title is None:
        title = path.stem
        warnings.append(Problem(name, "no title in front matter and none found; using the file name", skipped=False))
    elif meta.get("title") is None and parsed.meta.get("title_source") in ("first sentence", "url") and not raw.hints.get("title"):
        how = "its URL" if parsed.meta["title_source"] == "url" else "its first sentence"
        warnings.append(Problem(name, f"the page prints no title; using {how}", skipped=False))
    title = str(title).strip()
    if meta.get("meeting") is not None:
        about: tuple[int, ...] = (_meeting_number(meta["meeting"], meetings, name),)
    else:
        about = _about_meetings(parsed, title, url, day, meetings)
    symbol = pick("symbol")
    if symbol is None and (signal := url_signal(url)) is not None and signal.number:
        symbol = f"Notification {signal.number}"
    body_dates = find_dates(raw.body, year_hint=day.year if day else None)
    document = Document(
        source=name,
        kind=kind,
        title=title,
        date=day,
        body=raw.body,
        url=url,
        symbol=symbol,
        meeting=about[0] if about else None,
        place=pick("place"),
        subtitle=pick("subtitle"),
        agenda_item=str(pick("agenda_item")) if pick("agenda_item") is not None else None,
        lang=_language(meta, pick("url"), f"{title}\n{raw.body}", name, warnings),
        mentioned_dates=tuple(f.span for f in body_dates),
        date_source=date_source,
        meetings=about,
    )
    return document, parsed, warnings


def _with_item_urls(drafts: list[PassageDraft], urls: Any, name: str, warnings: list[Problem]) -> list[PassageDraft]:
    """Front matter ``item_urls`` ({item title: its own address}) gives listed items their own links,
    keeping the body as the page had it; a title no item has, or a value that is no http(s) address,
    is a warning."""
    if not isinstance(urls, dict):
        warnings.append(Problem(name, "item_urls: expected a mapping of item title to address; ignored", skipped=False))
        return drafts
    wanted = {str(title).strip(): url for title, url in urls.items()}
    for title, url in wanted.items():
        if not (isinstance(url, str) and url.startswith(("https://", "http://"))):
            warnings.append(Problem(name, f"item_urls: {title!r}: not an http(s) address; ignored", skipped=False))
    titles = {d.title for d in drafts}
    for title in wanted.keys() - titles:
        warnings.append(Problem(name, f"item_urls: no item titled {title!r}", skipped=False))
    return [replace(d, url=u) if d.title in wanted and isinstance(u := wanted[d.title], str)
            and u.startswith(("https://", "http://")) else d for d in drafts]


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
        if draft.meeting is not None and meetings.get(draft.meeting) is not None:
            meeting = draft.meeting
        elif draft.title is not None:  # a news item: its own meeting when it names one
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
            url=draft.url or document.url,
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
    all_files, refused = walk_corpus(corpus_dir)
    files = [path for path in all_files if path.suffix.lower() not in _METADATA_SUFFIXES]
    result.problems.extend(refused)
    result.files_seen += len(refused)
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
