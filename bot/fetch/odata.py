"""InforMEA's OData service (``odata.informea.org/informea.svc``) as a source.

A collection URL (``…/Decisions?$filter=treaty eq 'cms'&$expand=title,files``) is read in pages of
``$top`` rows (``$skip`` advancing, or the service's ``__next`` link), each answer shaped
``{"d": {"results": [...]}}`` (OData v2 JSON, dates as ``/Date(1707696000000)/``).

- ``Decisions`` / ``Documents``: one item per row and wanted language — the row's file in that
  language, with the decision's number as its symbol, its meeting (``COP14`` in the meeting's
  title or URL) and its date; the file is fetched like any document file.
- ``Meetings``: nothing is fetched; the CMS COPs it lists are compared with ``meetings.yaml`` and,
  when one is new or differs, ``<data_dir>/meetings.proposed.yaml`` is written for review — the
  registry itself is never overwritten.

The field names (``number``, ``type``, ``status``, ``meetingTitle``, ``meetingUrl``, ``published``,
``files[].url``, ``files[].language``, ``title[].language/value``; ``start``, ``end``, ``city``,
``country``, ``title`` for meetings) follow the InforMEA toolkit's entities; they are not verified
against the live service (see docs/fetch.md).
"""

from __future__ import annotations

import asyncio
import json
import re
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import yaml

from bot.fetch.http import JSON_TYPES, FetchError
from bot.fetch.listing import ListingLink, language_of, normalise_url

if TYPE_CHECKING:
    from bot.fetch.run import _Found, _Run
    from bot.fetch.sources import Source

PAGE_SIZE = 100
PROPOSAL_FILENAME = "meetings.proposed.yaml"
_DATE = re.compile(r"/Date\((-?\d+)(?:[+-]\d{4})?\)/")
_COP = re.compile(r"\bCOP\s*-?\s*(\d{1,2})\b", re.IGNORECASE)
_LANGUAGE_NAMES = {"english": "en", "french": "fr", "spanish": "es", "en": "en", "fr": "fr", "es": "es"}


def odata_date(value: Any) -> date | None:
    """``/Date(1707696000000)/`` (ms since 1970, UTC) or an ISO date → a date; None otherwise."""
    if not isinstance(value, str):
        return None
    m = _DATE.search(value)
    if m:
        return datetime.fromtimestamp(int(m.group(1)) / 1000, tz=timezone.utc).date()
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def results(body: bytes) -> tuple[list[dict[str, Any]], str | None]:
    """The rows of one OData v2 answer and its ``__next`` link; ValueError for anything else."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not JSON ({exc})") from None
    except RecursionError:
        raise ValueError("not JSON we read (nested too deeply)") from None
    d = data.get("d") if isinstance(data, dict) else None
    rows = d.get("results") if isinstance(d, dict) else d if isinstance(d, list) else None
    if not isinstance(rows, list):
        raise ValueError('not an OData answer (no {"d": {"results": [...]}})')
    next_link = d.get("__next") if isinstance(d, dict) and isinstance(d.get("__next"), str) else None
    return [row for row in rows if isinstance(row, dict)], next_link


def _expanded(value: Any) -> list[dict[str, Any]]:
    """An expanded navigation property: a list, or ``{"results": [...]}``."""
    if isinstance(value, dict):
        value = value.get("results")
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _language(value: Any) -> str | None:
    return _LANGUAGE_NAMES.get(value.strip().lower()) if isinstance(value, str) else None


def _text(value: Any, lang: str) -> str | None:
    """A multilingual field (``[{"language": "en", "value": …}]``) in ``lang``, else English, else any."""
    if isinstance(value, str):
        return value.strip() or None
    entries = {(_language(e.get("language")) or ""): e.get("value") for e in _expanded(value)}
    for key in (lang, "en", *entries):
        if isinstance(entries.get(key), str) and entries[key].strip():
            return entries[key].strip()
    return None


def meeting_number(row: dict[str, Any]) -> int | None:
    """``COP14`` in the row's meeting title or URL, as 14."""
    for key in ("meetingTitle", "meetingUrl", "meeting"):
        value = row.get(key)
        if isinstance(value, str):
            m = _COP.search(value.replace("cop", " COP"))
            if m:
                return int(m.group(1))
    return None


def decision_links(rows: list[dict[str, Any]], base_url: str, languages: tuple[str, ...], allows: Any) -> list[ListingLink]:
    """One item per decision (or document) and wanted language that has a file in it."""
    links: list[ListingLink] = []
    for row in rows:
        files: dict[str, str] = {}
        for file in _expanded(row.get("files")):
            url = normalise_url(str(file.get("url") or ""), base_url)
            if url is None or not allows(url):
                continue
            lang = _language(file.get("language")) or language_of(url)
            if lang is not None:
                files.setdefault(lang, url)
        number = row.get("number")
        for lang in languages:
            if lang in files:
                links.append(ListingLink(
                    url=files[lang], text=_text(row.get("title"), lang), date=odata_date(row.get("published") or row.get("updated")),
                    lang=lang, symbol=str(number).strip() if number not in (None, "") else None,
                    doc_type=row.get("type") if isinstance(row.get("type"), str) else None, meeting=meeting_number(row),
                ))
    return links


def meeting_rows(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """CMS COPs in a Meetings answer, by number, in meetings.yaml's shape."""
    found: dict[int, dict[str, Any]] = {}
    for row in rows:
        title = _text(row.get("title"), "en") or ""
        number = meeting_number({"meetingTitle": title, "meetingUrl": row.get("url")}) or (
            int(row["abbreviation"][3:]) if isinstance(row.get("abbreviation"), str) and re.fullmatch(r"COP\d{1,2}", row["abbreviation"]) else None)
        start, end = odata_date(row.get("start")), odata_date(row.get("end"))
        if number is None or start is None:
            continue
        found[number] = {"number": number, "city": row.get("city") or None, "country": row.get("country") or None,
                         "start": start, "end": end or start, "verified": False, "source": row.get("url") or "InforMEA OData"}
    return found


def page_url(listing: str, top: int, skip: int) -> str:
    """The collection URL with ``$top``/``$skip`` (and ``$format=json``) set."""
    parts = urlsplit(listing)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in {"$top", "$skip"}]
    if not any(k == "$format" for k, _ in query):
        query.append(("$format", "json"))
    query += [("$top", str(top)), ("$skip", str(skip))]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query, safe="$',()"), ""))


async def discover_odata(run: _Run, source: Source) -> _Found:
    """Read the collection page by page (up to ``source.pages``); decisions become item links,
    meetings a proposal file for review."""
    from bot.fetch.run import _Found

    found = _Found([], [])
    meetings: dict[int, dict[str, Any]] = {}
    collection = urlsplit(source.listing).path.rstrip("/").rsplit("/", 1)[-1].split("(")[0]
    url: str | None = page_url(source.listing, PAGE_SIZE, 0)
    for page in range(source.pages):
        if url is None:
            break
        try:
            response = await run.client.get(url, accept=JSON_TYPES)
            rows, next_link = await asyncio.to_thread(results, response.body)
        except (FetchError, ValueError) as exc:
            found.failures.append(run._listing_failure(source, url, exc.reason if isinstance(exc, FetchError) else str(exc)))
            found.complete = False
            break
        if collection == "Meetings":
            meetings.update(meeting_rows(rows))
        else:
            found.links.extend(decision_links(rows, response.final_url, source.languages, run.client.allows))
        if next_link:
            url = normalise_url(next_link, response.final_url)
        else:
            url = page_url(source.listing, PAGE_SIZE, (page + 1) * PAGE_SIZE) if len(rows) >= PAGE_SIZE else None
    if collection == "Meetings" and meetings:
        run.report.proposals.extend(propose_meetings(run, meetings))
    elif collection == "Meetings" and not found.failures:
        found.failures.append(run._listing_failure(source, source.listing, "no CMS meetings in the answer"))
    elif not found.links and not found.failures:
        found.failures.append(run._listing_failure(source, source.listing, "no files in the wanted languages"))
    return found


def propose_meetings(run: _Run, offered: dict[int, dict[str, Any]]) -> list[str]:
    """Compare with meetings.yaml; write ``meetings.proposed.yaml`` (in the data folder) when something
    is new or differs, and say what. meetings.yaml itself is never touched."""
    notes: list[str] = []
    for number, row in sorted(offered.items()):
        known = run.meetings.get(number)
        if known is None:
            notes.append(f"COP{number} is new: {row['city'] or '?'}, {row['start']:%d %B %Y}")
        elif (known.start, known.end) != (row["start"], row["end"]) or (row["city"] and row["city"] != known.city):
            notes.append(f"COP{number} differs: {known.city} {known.start}–{known.end} here, "
                         f"{row['city'] or '?'} {row['start']}–{row['end']} in InforMEA")
    if notes:
        target = run.data_dir / PROPOSAL_FILENAME
        target.parent.mkdir(parents=True, exist_ok=True)
        header = "# Meetings InforMEA lists that meetings.yaml lacks or states differently. Review, then copy by hand.\n"
        changed = [row for number, row in sorted(offered.items()) if any(n.startswith(f"COP{number} ") for n in notes)]
        tmp = target.with_suffix(".tmp")
        tmp.write_text(header + yaml.safe_dump(changed, sort_keys=False, allow_unicode=True), encoding="utf-8")
        tmp.replace(target)
        notes = [f"{note} — see {target}" for note in notes]
    return notes
