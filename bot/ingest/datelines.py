"""Where and when a page says it was written: datelines, printed dates, dates in URLs.

A dateline opens the first paragraphs of press releases and news stories:

    PLACE[,] DATE [(AGENCY)] DASH      "BONN, 26 March 2025 – …", "Quito, 6 November 2014 - …",
                                        "Samarkand, Uzbekistan, Feb. 17, 2024 – …",
                                        "New Delhi [India], Feb 10 (ANI): …"  (year from a hint)
    PLACE (AGENCY) DASH                 "Tashkent, Uzbekistan (UzDaily.com) -- …"  (place only)
    DATE DASH                           "February 17, 2020 – …", "9 November 2014: …"

PLACE is one to eight capitalised words (connectors such as "es", "de", "of" allowed, a
bracketed country too), comma-separated parts; DATE is anything ``find_dates`` reads as one
day, or a month and day without a year when a year hint is given. DASH is -, –, —, --, a colon
or a full stop. A glued caption before a date ("The dais during CMS COP-1025 November 2011: …",
as the SDG Knowledge Hub prints them) is found by ``find_glued_dateline``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.cms.dates import find_dates
from bot.ingest.text import smart_title
from bot.model import MONTHS

_MONTHS = "|".join(m for m in MONTHS) + "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_CONNECTORS = r"(?:es|de|del|da|do|dos|la|le|el|al|of|the|upon|am|an|der|sur|on|and|y|et)"
_WORD = r"(?:[A-Z][\w'’.\-]*|\[[A-Z][^\]\n]{0,30}\])"
_PLACE = re.compile(rf"(?P<place>{_WORD}(?:(?:,[ \t]*|[ \t]+){_CONNECTORS}(?=[ \t]+[A-Z])|(?:,[ \t]*|[ \t]+){_WORD}){{0,9}})")
_AGENCY = re.compile(r"[ \t]*\((?P<agency>[^()\n]{1,40})\)")
_DASH = re.compile(r"[ \t]*(?:--|[-–—:.])[ \t]+")
_YEARLESS = re.compile(rf"(?P<m>{_MONTHS})\.?[ \t]+(?P<d>\d{{1,2}})\b(?!,?\s*\d{{4}})", re.IGNORECASE)
_NOT_PLACES = frozenset("""the a an in on at by for from this that today yesterday during after before
when while as with according under since until""".split())
_GLUED = re.compile(rf"(?P<d>\d{{1,2}})[ \t]+(?P<m>{_MONTHS})[ \t]+(?P<y>\d{{4}}):[ \t]+(?=[A-Z“\"])")
_MONTH_NUMBER = {m.lower(): i for i, m in enumerate(MONTHS, start=1)} | {
    m[:3].lower(): i for i, m in enumerate(MONTHS, start=1)} | {"sept": 9}


@dataclass(frozen=True)
class Dateline:
    """What a dateline says; ``end`` is where the story's own words start."""

    place: str | None
    date: date | None
    end: int
    agency: str | None = None


def _tidy_place(raw: str) -> str:
    raw = re.sub(r"\s*\[([^\]]+)\]", r", \1", raw).strip(" ,")
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    return ", ".join(smart_title(p) if p.isupper() and len(p) > 3 else p for p in parts)


def _day_at(text: str, pos: int, year_hint: int | None) -> tuple[date | None, int] | None:
    """A single day written at ``pos`` (``find_dates`` or month-day with ``year_hint``)."""
    window = text[pos:pos + 60]
    lead = re.match(r"(?:le|el|the|on)[ \t]+", window, re.IGNORECASE)
    skip = lead.end() if lead else 0
    found = find_dates(window)
    if found and found[0].start == skip and found[0].span.start == found[0].span.end:
        return found[0].span.start, pos + found[0].end
    m = _YEARLESS.match(window, skip)
    if m:
        if year_hint is None:
            return None, pos + m.end()
        try:
            return date(year_hint, _MONTH_NUMBER[m.group("m").lower().rstrip(".")], int(m.group("d"))), pos + m.end()
        except ValueError:
            return None
    return None


def find_dateline(text: str, year_hint: int | None = None) -> Dateline | None:
    """The dateline opening ``text`` (a paragraph), or None; see the module docstring."""
    head = text[:220]
    day = _day_at(head, 0, year_hint)
    if day is not None and (dash := _DASH.match(head, day[1])):
        return Dateline(None, day[0], dash.end())
    m = _PLACE.match(head)
    if not m or m.group("place").split()[0].lower().strip(",") in _NOT_PLACES:
        return None
    place_end = m.end()
    # the place may have swallowed a month name ("Bonn, March"): try every comma/space cut point
    cuts = [place_end] + [i for i in range(place_end - 1, 0, -1) if head[i] in " ,"]
    for cut in cuts:
        place = head[:cut].rstrip(" ,")
        if not place or len(place) > 90:
            continue
        pos = cut
        sep = re.match(r",?[ \t]+|,", head[pos:])
        if not sep:
            continue
        pos += sep.end()
        day = _day_at(head, pos, year_hint)
        agency = None
        if day is not None:
            pos = day[1]
        if a := _AGENCY.match(head, pos):
            agency, pos = a.group("agency"), a.end()
        if day is None and agency is None:
            continue
        dash = _DASH.match(head, pos)
        if dash is None or (day is None and not head[pos:dash.end()].strip().startswith(("-", "–", "—"))):
            continue
        if day is not None and day[0] is None and agency is None and year_hint is None:
            continue
        return Dateline(_tidy_place(place), day[0] if day else None, dash.end(), agency)
    return None


def find_glued_dateline(text: str) -> Dateline | None:
    """``<caption>25 November 2011: The 10th meeting…`` within the first 200 characters."""
    m = _GLUED.search(text[:200])
    if not m:
        return None
    try:
        day = date(int(m.group("y")), _MONTH_NUMBER[m.group("m").lower()], int(m.group("d")))
    except ValueError:
        return None
    return Dateline(None, day, m.end())


# --- printed dates and URL dates ---------------------------------------------------------------

_PRINTED = re.compile(
    r"^\s*(?:date|dated|published(?:\s+on)?|posted(?:\s+on)?|publication\s+date|issued(?:\s+on)?|"
    r"daily\s+report\s+for|highlights\s+(?:and\s+images\s+)?for|summary\s+report,?)\s*:?\s*",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?![\d/])")
_ISO_PREFIX = re.compile(r"^\s*date\s+(?P<iso>\d{4}-\d{2}-\d{2})\s+")


def printed_date(line: str) -> tuple[date, int] | None:
    """A publication date printed as a line or a line's label: ``date 2017-10-26 …``,
    ``Published: 3 May 2021``, ``Daily report for 13 February 2024``, ``Uzbekistan 19/02/2024``.
    Returns the day and where the words after it start."""
    if m := _ISO_PREFIX.match(line):
        try:
            return date.fromisoformat(m.group("iso")), m.end()
        except ValueError:
            return None
    label = _PRINTED.match(line)
    start = label.end() if label else 0
    found = find_dates(line[start:start + 60])
    if found and found[0].start == 0 and (label or found[0].end == len(line[start:].rstrip(" .,"))):
        span = found[0].span
        if span.start == span.end:
            return span.start, start + found[0].end
    if n := _NUMERIC.search(line[:60]):
        try:
            return date(int(n.group("y")), int(n.group("m")), int(n.group("d"))), n.end()
        except ValueError:
            return None
    return None


_URL_YMD = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/|$)")
_URL_DMONY = re.compile(rf"(?<![a-z0-9])(?P<d>\d{{1,2}})(?P<m>{_MONTHS})(?P<y>(?:19|20)\d{{2}})(?![0-9])", re.IGNORECASE)
_URL_STAMP = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?:[0-2]\d[0-5]\d[0-5]\d)(?!\d)")
_URL_ISO = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)")


def url_date(url: str | None) -> date | None:
    """A day a URL spells out: ``/2014/11/09/``, ``…-17feb2024``, ``…20200210213206``, ``2024-02-12``."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url)
    for pattern in (_URL_YMD, _URL_DMONY, _URL_ISO, _URL_STAMP):
        for m in pattern.finditer(path):
            month = m.group("m")
            month_number = int(month) if month.isdigit() else _MONTH_NUMBER[month.lower()]
            try:
                return date(int(m.group("y")), month_number, int(m.group("d")))
            except ValueError:
                continue
    return None


_UPDATED = re.compile(r"^\s*(?:last\s+updated(?:\s+on)?|updated(?:\s+on)?|last\s+modified(?:\s+on)?)\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)


def last_updated(line: str) -> date | None | bool:
    """For a "Last updated on 18 March 2014" line: its day (or True if undated); else False."""
    m = _UPDATED.match(line)
    if not m:
        return False
    found = find_dates(m.group("rest")[:40])
    if found and found[0].span.start == found[0].span.end:
        return found[0].span.start
    return True
