"""Dates as CMS texts write them, parsed once into ``date`` / :class:`DateSpan`.

Handles "08 November 2014", "Saturday, 17 February 2024", "12-17 February 2024",
"12 – 17 February 2024", "15 to 22 February 2020", "from Monday 23 to Sunday 29 March 2026",
"February 17 to 22, 2020", "February 28 to March 3, 2020", "February 17, 2020",
"1 March 2020 – 12 December 2023", "October 2017", "early 2022", ISO "2024-02-12"; given a
year hint, also "October 23-28", "23-28 October", "Feb 10" (``find_dates(text, year_hint)``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from bot.cms.dates_intl import intl_dates, parse_span_intl
from bot.cms.intervals import Taken
from bot.model import MONTHS, DateSpan

_MONTH_NUMBERS: dict[str, int] = {}
for _i, _name in enumerate(MONTHS, start=1):
    _MONTH_NUMBERS[_name.lower()] = _i
    _MONTH_NUMBERS[_name[:3].lower()] = _i
_MONTH_NUMBERS["sept"] = 9

_MONTH = r"(?P<{0}>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_WEEKDAY = r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
_DASH = r"\s*[-–—]\s*|\s+to\s+"

# Ordered most specific first; each pattern yields one span.
_DAY_MONTH_YEAR_RANGE = re.compile(
    rf"\b{_WEEKDAY}(?P<d1>\d{{1,2}})\s+{_MONTH.format('m1')}\s+(?P<y1>\d{{4}})(?:{_DASH}){_WEEKDAY}(?P<d2>\d{{1,2}})\s+{_MONTH.format('m2')}\s+(?P<y2>\d{{4}})\b",
    re.IGNORECASE,
)
_DAY_MONTH_RANGE = re.compile(
    rf"\b{_WEEKDAY}(?P<d1>\d{{1,2}})\s+{_MONTH.format('m1')}(?:{_DASH}){_WEEKDAY}(?P<d2>\d{{1,2}})\s+{_MONTH.format('m2')},?\s+(?P<y>\d{{4}})\b",
    re.IGNORECASE,
)
_DAY_RANGE = re.compile(
    rf"\b{_WEEKDAY}(?P<d1>\d{{1,2}})(?:{_DASH}){_WEEKDAY}(?P<d2>\d{{1,2}})\s+{_MONTH.format('m')},?\s+(?P<y>\d{{4}})\b",
    re.IGNORECASE,
)
_DAY_MONTH_YEAR = re.compile(
    rf"\b{_WEEKDAY}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH.format('m')},?\s+(?P<y>\d{{4}})\b",
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b{_WEEKDAY}{_MONTH.format('m')}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,\s+(?P<y>\d{{4}})\b",
    re.IGNORECASE,
)
_MONTH_DAY_MONTH_DAY_YEAR = re.compile(
    rf"\b{_MONTH.format('m1')}\s+(?P<d1>\d{{1,2}})(?:{_DASH}){_MONTH.format('m2')}\s+(?P<d2>\d{{1,2}}),?\s+(?P<y>\d{{4}})\b",
    re.IGNORECASE,
)
_MONTH_DAY_RANGE_YEAR = re.compile(
    rf"\b{_MONTH.format('m')}\s+(?P<d1>\d{{1,2}})(?:{_DASH})(?P<d2>\d{{1,2}}),?\s+(?P<y>\d{{4}})\b",
    re.IGNORECASE,
)
# Only with a year hint: the same without the year.
_MONTH_DAY_RANGE_NOYEAR = re.compile(
    rf"\b{_MONTH.format('m')}\s+(?P<d1>\d{{1,2}})(?:{_DASH})(?P<d2>\d{{1,2}})\b(?!\s*[,/]?\s*\d)",
    re.IGNORECASE,
)
_DAY_RANGE_NOYEAR = re.compile(
    rf"\b{_WEEKDAY}(?P<d1>\d{{1,2}})(?:{_DASH}){_WEEKDAY}(?P<d2>\d{{1,2}})\s+{_MONTH.format('m')}(?![,\s]*\d)",
    re.IGNORECASE,
)
_MONTH_DAY_NOYEAR = re.compile(rf"\b{_MONTH.format('m')}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?![,\s]*\d)", re.IGNORECASE)
_DAY_MONTH_NOYEAR = re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH.format('m')}(?![,\s]*\d)", re.IGNORECASE)
_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
_MONTH_YEAR = re.compile(rf"\b{_MONTH.format('m')}\s+(?P<y>\d{{4}})\b", re.IGNORECASE)
_SEASON_YEAR = re.compile(r"\b(?P<part>early|mid|late)[-\s](?P<y>\d{4})\b", re.IGNORECASE)

_PATTERNS = (
    _DAY_MONTH_YEAR_RANGE, _DAY_MONTH_RANGE, _MONTH_DAY_MONTH_DAY_YEAR, _DAY_RANGE, _MONTH_DAY_RANGE_YEAR,
    _DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _ISO, _MONTH_YEAR, _SEASON_YEAR,
)
_YEARLESS = (_MONTH_DAY_RANGE_NOYEAR, _DAY_RANGE_NOYEAR, _MONTH_DAY_NOYEAR, _DAY_MONTH_NOYEAR)

_SEASON_MONTHS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}


@dataclass(frozen=True)
class FoundDate:
    """A date or range found in a text, with where it was found."""

    span: DateSpan
    start: int
    end: int
    text: str


def _month(name: str) -> int:
    return _MONTH_NUMBERS[name.lower().rstrip(".")]


def _month_span(year: int, first_month: int, last_month: int) -> DateSpan:
    last_day = calendar.monthrange(year, last_month)[1]
    return DateSpan(date(year, first_month, 1), date(year, last_month, last_day))


def _span_from_match(pattern: re.Pattern[str], m: re.Match[str], year_hint: int | None = None) -> DateSpan:
    g = m.groupdict()
    if pattern is _MONTH_DAY_MONTH_DAY_YEAR:
        year = int(g["y"])
        return DateSpan(date(year, _month(g["m1"]), int(g["d1"])), date(year, _month(g["m2"]), int(g["d2"])))
    if pattern is _MONTH_DAY_RANGE_YEAR:
        year, month = int(g["y"]), _month(g["m"])
        return DateSpan(date(year, month, int(g["d1"])), date(year, month, int(g["d2"])))
    if pattern in (_MONTH_DAY_RANGE_NOYEAR, _DAY_RANGE_NOYEAR):
        assert year_hint is not None
        month = _month(g["m"])
        return DateSpan(date(year_hint, month, int(g["d1"])), date(year_hint, month, int(g["d2"])))
    if pattern in (_MONTH_DAY_NOYEAR, _DAY_MONTH_NOYEAR):
        assert year_hint is not None
        return DateSpan.day(date(year_hint, _month(g["m"]), int(g["d"])))
    if pattern is _DAY_MONTH_YEAR_RANGE:
        return DateSpan(
            date(int(g["y1"]), _month(g["m1"]), int(g["d1"])),
            date(int(g["y2"]), _month(g["m2"]), int(g["d2"])),
        )
    if pattern is _DAY_MONTH_RANGE:
        year = int(g["y"])
        return DateSpan(date(year, _month(g["m1"]), int(g["d1"])), date(year, _month(g["m2"]), int(g["d2"])))
    if pattern is _DAY_RANGE:
        year, month = int(g["y"]), _month(g["m"])
        return DateSpan(date(year, month, int(g["d1"])), date(year, month, int(g["d2"])))
    if pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        return DateSpan.day(date(int(g["y"]), _month(g["m"]), int(g["d"])))
    if pattern is _ISO:
        return DateSpan.day(date(int(g["y"]), int(g["m"]), int(g["d"])))
    if pattern is _MONTH_YEAR:
        month = _month(g["m"])
        return _month_span(int(g["y"]), month, month)
    if pattern is _SEASON_YEAR:
        first, last = _SEASON_MONTHS[g["part"].lower()]
        return _month_span(int(g["y"]), first, last)
    raise AssertionError(pattern.pattern)  # pragma: no cover - every pattern is handled above


#: Every pattern is anchored on a month name, a "early/mid/late" word or an ISO date's dash, so
#: only short stretches around those (found with str.find, much faster than a regex scan) are read.
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SEASONS = ("early", "mid", "late")
_WINDOW = 48  # characters either side of an anchor that a date around it can reach


def _anchors(text: str) -> list[int]:
    low = text.lower()
    found: list[int] = []
    for needle in _MONTH_STEMS + _SEASONS:
        i = low.find(needle)
        while i >= 0:
            if i == 0 or not low[i - 1].isalpha():
                found.append(i)
            i = low.find(needle, i + 1)
    i = text.find("-")
    while i >= 0:
        if i >= 4 and text[i - 4:i].isdigit():
            found.append(i)
        i = text.find("-", i + 1)
    return sorted(found)


def _windows(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` around anchors, merged, widened to whole words."""
    spans: list[tuple[int, int]] = []
    for anchor in _anchors(text):
        start = max(0, anchor - _WINDOW)
        end = min(len(text), anchor + _WINDOW)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans


_YEAR_DIGITS = re.compile(r"\d{4}")


def find_dates(text: str, year_hint: int | None = None) -> list[FoundDate]:
    """Every date or range in ``text``, in text order, longest match winning where they overlap.

    Linear in the text: patterns only read the stretches around month names (``_windows``)
    and overlaps are swept, not searched (``bot.cms.intervals``). With ``year_hint``, dates
    written without a year ("October 23-28", "February 17 to 22", "Feb 10") are read in it."""
    if year_hint is None and _YEAR_DIGITS.search(text) is None:
        return []  # every form without a year hint has a four-digit year (English and fr/es/pt alike)
    taken = Taken()
    found: list[FoundDate] = []
    windows = _windows(text)
    patterns: list[re.Pattern[str]] = list(_PATTERNS)
    if year_hint is not None:
        patterns += list(_YEARLESS)

    def matches(pattern: re.Pattern[str]):  # noqa: ANN202 - a generator of (start, end, match)
        for w_start, w_end in windows:
            for m in pattern.finditer(text, w_start, w_end):
                yield m.start(), m.end(), m

    for pattern in patterns:
        kept: list[tuple[int, int]] = []
        for start, end, m in taken.free(matches(pattern)):
            try:
                span = _span_from_match(pattern, m, year_hint)
            except ValueError:  # 31 February and the like: not a date
                continue
            if span.end < span.start:
                continue
            kept.append((start, end))
            found.append(FoundDate(span, start, end, m.group(0)))
        taken.keep(kept)
    _add_intl_dates(text, taken, found)
    found.sort(key=lambda f: f.start)
    return found


def _add_intl_dates(text: str, taken: Taken, found: list[FoundDate]) -> None:
    """French, Spanish and Portuguese dates (``bot.cms.dates_intl``) where no English one was found."""
    intl = sorted(intl_dates(text), key=lambda item: item[1])
    kept: list[tuple[int, int]] = []
    for start, end, (span, _s, _e, matched) in taken.free((s, e, item) for item in intl for s, e in [(item[1], item[2])]):
        kept.append((start, end))
        found.append(FoundDate(span, start, end, matched))
    taken.keep(kept)


def parse_span(text: str) -> DateSpan | None:
    """The span written in ``text`` when the whole text (stripped) is one date or range."""
    stripped = text.strip().strip(".,")
    for pattern in _PATTERNS:
        m = pattern.fullmatch(stripped)
        if m:
            try:
                return _span_from_match(pattern, m)
            except ValueError:
                return None
    return parse_span_intl(stripped)


def parse_date(text: str) -> date | None:
    """A single day written as the whole of ``text``, else None (ranges and months are not one day)."""
    span = parse_span(text)
    if span is None or span.start != span.end:
        return None
    return span.start


def coerce_date(value: object) -> date | None:
    """A front-matter date value (YAML may already give a ``date``) as a ``date``; raises ValueError."""
    if value is None:
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        parsed = parse_date(value)
        if parsed is not None:
            return parsed
    raise ValueError(f"not a date: {value!r} (write it as YYYY-MM-DD or '12 February 2024')")
