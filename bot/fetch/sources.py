"""``sources.yaml``: where fresh documents come from and how politely to fetch them, validated.

Every error names the file, the source and the field, e.g.
``corpus/sources.yaml: source 'cms-news': field 'kind': expected one of …``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from collections.abc import Collection
from typing import Any
from urllib.parse import urlsplit

from bot.cms.meetings import MeetingRegistry, UnknownMeeting
from bot.model import KINDS
from bot.yamlfile import read_yaml

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
DEFAULT_ALLOWED_DOMAINS: tuple[str, ...] = ("cms.int", "www.cms.int")


class SourcesError(ValueError):
    """sources.yaml cannot be used; the message names the file, the source and the field."""


@dataclass(frozen=True)
class FetchOptions:
    """How politely and safely to fetch; every delay and limit is configurable (tests use tiny ones)."""

    allowed_domains: tuple[str, ...] = DEFAULT_ALLOWED_DOMAINS
    user_agent: str = "cmsbot/0.1 (CMS COP question bot; polite fetcher)"
    timeout_seconds: float = 30.0
    per_host_concurrency: int = 2
    per_host_delay_seconds: float = 1.0
    max_retries: int = 3
    backoff_seconds: float = 1.0
    #: The longest wait a Retry-After header (or backoff) may impose.
    retry_after_cap_seconds: float = 60.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    #: A new copy shorter than this fraction of the current file's text is refused.
    min_text_ratio: float = 0.5
    #: Where fetched files go, relative to the corpus directory.
    output_dir: str = "fetched"

    #: Items fetched less than this many hours ago are not asked for again (0: revalidate every run).
    recheck_hours: float = 168.0

    def allows_host(self, url: str) -> bool:
        """Is ``url`` http(s) with a host named in ``allowed_domains`` (any port)? For validating listings."""
        parts = urlsplit(url)
        return parts.scheme in {"http", "https"} and any(
            _entry(e)[1] == (parts.hostname or "").lower() for e in self.allowed_domains
        )

    def allows(self, url: str, origins: Collection[Origin] = ()) -> bool:
        """May ``url`` be requested? Its scheme, host and port must be one of ``origins`` (the sources'
        own listings) or match an ``allowed_domains`` entry: a bare host allows only the default port
        (80 for http, 443 for https); ``host:port`` or ``scheme://host:port`` name others exactly."""
        here = origin_of(url)
        if here is None:
            return False
        if here in origins:
            return True
        scheme, host, port = here
        for entry in self.allowed_domains:
            e_scheme, e_host, e_port = _entry(entry)
            if e_host != host or (e_scheme is not None and e_scheme != scheme):
                continue
            if (e_port if e_port is not None else _DEFAULT_PORTS[scheme]) == port:
                return True
        return False


#: (scheme, host, port), port made explicit.
Origin = tuple[str, str, int]
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> Origin | None:
    """``https://www.cms.int/en`` → ("https", "www.cms.int", 443); None for other schemes or no host."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a port that is not a number
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port if port is not None else _DEFAULT_PORTS[parts.scheme]


def _entry(entry: str) -> tuple[str | None, str, int | None]:
    """An allowed_domains entry as (scheme or None, host, port or None)."""
    if "://" in entry:
        parts = urlsplit(entry)
        return parts.scheme, (parts.hostname or "").lower(), parts.port
    host, _, port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
    return None, host.lower(), int(port) if port.isdigit() else None


@dataclass(frozen=True)
class LinkRule:
    """How to find item links on a listing: a CSS selector and/or a URL regex (both must match)."""

    selector: str | None = None
    pattern: re.Pattern[str] | None = None


#: How a source's listing is read (see docs/fetch.md, "Sources").
READS: tuple[str, ...] = ("links", "feed", "documents", "odata")
#: Languages the CMS sites publish in, by the code used in URLs (``/fr/news``) and file names (``_f.pdf``).
LANGUAGES: tuple[str, ...] = ("en", "fr", "es")


@dataclass(frozen=True)
class Source:
    name: str
    #: The listing URL; ``{lang}`` in it is replaced by each of ``languages``.
    listing: str
    #: The kind of the items: ``news_listing`` items are news article pages (saved as press_release).
    kind: str
    links: LinkRule
    meeting: int | None = None
    #: Items fetched per run at most; the rest wait for the next run.
    max_items: int = 50
    #: ``links``: item links on HTML pages; ``feed``: an RSS feed; ``documents``: a meeting page's
    #: document tables (one file per language); ``odata``: an InforMEA OData collection.
    read: str = "links"
    #: Listing pages followed through the pager (``?page=N``) at most.
    pages: int = 1
    languages: tuple[str, ...] = ("en",)
    enabled: bool = True

    def listings(self) -> list[tuple[str, str]]:
        """(language, listing URL) per language; a listing without ``{lang}`` is read once."""
        if "{lang}" not in self.listing:
            return [(self.languages[0], self.listing)]
        return [(lang, self.listing.replace("{lang}", lang)) for lang in self.languages]


@dataclass(frozen=True)
class SourcesConfig:
    sources: tuple[Source, ...]
    options: FetchOptions = field(default_factory=FetchOptions)

    @property
    def origins(self) -> frozenset[Origin]:
        """The scheme, host and port of every source's listing: always allowed, other ports not."""
        found = set()
        for source in self.sources:
            for _lang, url in source.listings():
                here = origin_of(url)
                if here is not None:
                    found.add(here)
        return frozenset(found)


def _fail(where: str, field_name: str, message: str) -> SourcesError:
    return SourcesError(f"{where}: field {field_name!r}: {message}")


def _number(value: Any, where: str, name: str, kind: type, minimum: float) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not isinstance(value, int)):
        raise _fail(where, name, f"expected {'a whole number' if kind is int else 'a number'}, got {value!r}")
    if value < minimum:
        raise _fail(where, name, f"must be at least {minimum}, got {value!r}")
    return kind(value)


def parse_options(raw: Any, where: str, base: FetchOptions | None = None) -> FetchOptions:
    options = base or FetchOptions()
    if raw is None:
        return options
    if not isinstance(raw, dict):
        raise SourcesError(f"{where}: expected a mapping of fetch options, got {type(raw).__name__}")
    known = {f.name: f for f in fields(FetchOptions)}
    updates: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise _fail(where, str(key), f"unknown option (known: {', '.join(sorted(known))})")
        if key == "allowed_domains":
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
                raise _fail(where, key, "expected a non-empty list of host names")
            updates[key] = tuple(v.strip().lower() for v in value)
        elif key in {"user_agent", "output_dir"}:
            if not isinstance(value, str) or not value.strip():
                raise _fail(where, key, "expected a non-empty string")
            if key == "output_dir" and (Path(value).is_absolute() or ".." in Path(value).parts):
                raise _fail(where, key, "must be a relative path inside the corpus directory")
            updates[key] = value.strip()
        elif key in {"per_host_concurrency", "max_bytes"}:
            updates[key] = _number(value, where, key, int, 1)
        elif key in {"max_retries", "max_redirects"}:
            updates[key] = _number(value, where, key, int, 0)
        elif key == "timeout_seconds":
            updates[key] = _number(value, where, key, float, 0.001)
        else:
            updates[key] = _number(value, where, key, float, 0)
    if "min_text_ratio" in updates and updates["min_text_ratio"] > 1:
        raise _fail(where, "min_text_ratio", "must be between 0 and 1")
    return replace(options, **updates)


def _meeting(value: Any, where: str, meetings: MeetingRegistry | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise _fail(where, "meeting", f"expected a meeting number or name like 'COP14', got {value!r}")
    if not isinstance(value, (int, str)):
        raise _fail(where, "meeting", f"expected a meeting number or name like 'COP14', got {value!r}")
    if meetings is not None:
        try:
            return meetings.number_of(value)
        except UnknownMeeting as exc:
            raise _fail(where, "meeting", str(exc)) from None
    if isinstance(value, int) or value.strip().isdigit():
        return int(value)
    m = re.fullmatch(r"\s*COP\s*-?\s*(\d{1,2})\s*", value, re.IGNORECASE)
    if m:
        return int(m.group(1))
    raise _fail(where, "meeting", f"cannot resolve {value!r} without meetings.yaml; write a number")


def _links(raw: Any, where: str) -> LinkRule:
    if not isinstance(raw, dict):
        raise _fail(where, "links", "expected a mapping with 'selector' and/or 'pattern'")
    unknown = sorted(set(map(str, raw)) - {"selector", "pattern"})
    if unknown:
        raise _fail(where, f"links.{unknown[0]}", "unknown field (expected 'selector' and/or 'pattern')")
    selector, pattern = raw.get("selector"), raw.get("pattern")
    if selector is None and pattern is None:
        raise _fail(where, "links", "give a CSS 'selector', a URL 'pattern', or both")
    if selector is not None:
        if not isinstance(selector, str) or not selector.strip():
            raise _fail(where, "links.selector", "expected a CSS selector string")
        from selectolax.lexbor import LexborHTMLParser

        try:
            LexborHTMLParser("<p></p>").css(selector)
        except Exception as exc:  # selectolax raises several types for a bad selector
            raise _fail(where, "links.selector", f"not a valid CSS selector ({exc})") from None
    compiled = None
    if pattern is not None:
        if not isinstance(pattern, str) or not pattern:
            raise _fail(where, "links.pattern", "expected a regular expression string")
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise _fail(where, "links.pattern", f"not a valid regular expression ({exc})") from None
    return LinkRule(selector=selector.strip() if selector else None, pattern=compiled)


_SOURCE_FIELDS = frozenset({"name", "listing", "kind", "links", "meeting", "max_items", "read", "pages", "languages", "enabled"})


def _languages(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ("en",)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise _fail(where, "languages", f"expected a list of language codes ({', '.join(LANGUAGES)})")
    codes = tuple(dict.fromkeys(v.strip().lower() for v in value))
    unknown = [c for c in codes if c not in LANGUAGES]
    if unknown:
        raise _fail(where, "languages", f"unknown language {unknown[0]!r} (known: {', '.join(LANGUAGES)})")
    return codes


def parse_source(raw: Any, index: int, file: str, options: FetchOptions, meetings: MeetingRegistry | None) -> Source:
    if not isinstance(raw, dict):
        raise SourcesError(f"{file}: source #{index}: expected a mapping, got {type(raw).__name__}")
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise _fail(f"{file}: source #{index}", "name", f"expected a short lowercase name (letters, digits, - and _), got {name!r}")
    where = f"{file}: source {name!r}"
    unknown = sorted(set(map(str, raw)) - _SOURCE_FIELDS)
    if unknown:
        raise _fail(where, unknown[0], f"unknown field (known: {', '.join(sorted(_SOURCE_FIELDS))})")
    listing = raw.get("listing")
    if not isinstance(listing, str) or origin_of(listing.replace("{lang}", "en")) is None:
        raise _fail(where, "listing", f"expected an http(s) URL, got {listing!r}")
    if not options.allows_host(listing.replace("{lang}", "en")):
        raise _fail(where, "listing", f"host {urlsplit(listing).hostname!r} is not in allowed_domains ({', '.join(options.allowed_domains)})")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise _fail(where, "kind", f"expected one of {', '.join(KINDS)}, got {kind!r}")
    read = raw.get("read", "links")
    if read not in READS:
        raise _fail(where, "read", f"expected one of {', '.join(READS)}, got {read!r}")
    if "links" not in raw and read == "links":
        raise _fail(where, "links", "missing: say how to find item links ('selector' and/or 'pattern')")
    max_items = _number(raw["max_items"], where, "max_items", int, 1) if "max_items" in raw else Source.max_items
    pages = _number(raw["pages"], where, "pages", int, 1) if "pages" in raw else Source.pages
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise _fail(where, "enabled", f"expected true or false, got {enabled!r}")
    return Source(
        name=name,
        listing=listing,
        kind=kind,
        links=_links(raw["links"], where) if "links" in raw else LinkRule(),
        meeting=_meeting(raw.get("meeting"), where, meetings),
        max_items=max_items,
        read=read,
        pages=pages,
        languages=_languages(raw.get("languages"), where),
        enabled=enabled,
    )


def load_sources(path: Path, meetings: MeetingRegistry | None = None, base: FetchOptions | None = None) -> SourcesConfig:
    """Read and validate ``path``; ``base`` options are overridden by the file's ``fetch:`` section."""
    file = str(path)
    raw = read_yaml(path, SourcesError, file)
    if not isinstance(raw, dict):
        raise SourcesError(f"{file}: expected a mapping with 'sources' (and optionally 'fetch')")
    unknown = sorted(set(map(str, raw)) - {"fetch", "sources"})
    if unknown:
        raise SourcesError(f"{file}: unknown top-level field {unknown[0]!r} (expected 'fetch' and 'sources')")
    options = parse_options(raw.get("fetch"), f"{file}: fetch", base)
    entries = raw.get("sources")
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"{file}: 'sources' must be a non-empty list")
    sources: list[Source] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        source = parse_source(entry, index, file, options, meetings)
        if source.name in seen:
            raise _fail(f"{file}: source {source.name!r}", "name", "used by more than one source")
        seen.add(source.name)
        if source.enabled:
            sources.append(source)
    if not sources:
        raise SourcesError(f"{file}: every source is disabled ('enabled: false')")
    return SourcesConfig(sources=tuple(sources), options=options)
