"""Dates as French, Spanish and Portuguese texts write them (English forms are in ``bot.cms.dates``).

"12 février 2024", "le 6 novembre 2014", "1er mars 2020", "vendredi 11 septembre 2020",
"12 de febrero de 2024", "12 de fevereiro de 2024", "du 17 au 22 février 2020",
"17-22 février 2020", "del 4 al 9 de noviembre de 2014", "entre os dias 23 e 29 de março de 2026",
"du 30 octobre au 4 novembre 2023", "février 2024", "noviembre de 2014". Accents may be missing.
"""

from __future__ import annotations

import re
from datetime import date

from bot.lazyre import lazy
from bot.model import DateSpan

__all__ = ["MONTH_NUMBERS_INTL", "intl_dates"]

#: Month names (and their usual abbreviations) → month number, in fr, es and pt, with and without accents.
MONTH_NUMBERS_INTL: dict[str, int] = {}
_MONTH_NAMES = {
    1: "janvier janv enero ene janeiro jan",
    2: "février fevrier févr fevr febrero feb fevereiro fev",
    3: "mars marzo mar março marco",
    4: "avril avr abril abr",
    5: "mai mayo maio",
    6: "juin junio jun junho",
    7: "juillet juil julio jul julho",
    8: "août aout agosto ago",
    9: "septembre sept septiembre setiembre sep setembro set",
    10: "octobre oct octubre outubro out",
    11: "novembre nov noviembre novembro",
    12: "décembre decembre déc dec diciembre dic dezembro dez",
}
for _n, _names in _MONTH_NAMES.items():
    for _name in _names.split():
        MONTH_NUMBERS_INTL[_name] = _n

# Longest first, so "septembre" is not read as "sept"; a dot may follow an abbreviation.
_MONTH = r"(?P<{0}>" + "|".join(sorted(MONTH_NUMBERS_INTL, key=len, reverse=True)) + r")\.?"
_WEEKDAY = (
    r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|mi[ée]rcoles|jueves|viernes|"
    r"s[áa]bado|domingo|(?:segunda|ter[çc]a|quarta|quinta|sexta)(?:-feira)?),?\s+)?"
)
_DAY = r"(?P<{0}>\d{{1,2}})(?:er|re|º|ª|\.º|\.ª|o)?"
_DE = r"\s+(?:de\s+)?"  # "12 février", "12 de febrero"
_YEAR = r",?\s+(?:(?:de|del)\s+)?(?P<y>\d{4})"  # " 2024", " de 2024", " del 2014"
_LINK = r"(?:\s*[-–—/]\s*|\s+(?:au|al|a|à|e|y|et|hasta\s+el|até)\s+(?:(?:los|os|le|el|les)\s+)?(?:d[íi]as?\s+)?)"
_FROM = r"(?:(?:du|del|de|desde\s+el|entre|les|los|os|el|le)\s+(?:(?:los|os|les|le|el)\s+)?(?:d[íi]as?\s+)?)?"

_CROSS_MONTH = lazy(
    rf"(?<!\w){_FROM}{_DAY.format('d1')}{_DE}{_MONTH.format('m1')}{_LINK}{_DAY.format('d2')}{_DE}{_MONTH.format('m2')}{_YEAR}(?!\d)",
    re.IGNORECASE,
)
_SAME_MONTH = lazy(
    rf"(?<!\w){_FROM}{_DAY.format('d1')}{_LINK}{_DAY.format('d2')}{_DE}{_MONTH.format('m')}{_YEAR}(?!\d)",
    re.IGNORECASE,
)
_ONE_DAY = lazy(rf"(?<!\w){_WEEKDAY}{_DAY.format('d')}{_DE}{_MONTH.format('m')}{_YEAR}(?!\d)", re.IGNORECASE)
# A month alone only by its full name, and not "mars"/"marco" (English words): "set 2024" is no date.
_FULL_MONTHS = [n for n in MONTH_NUMBERS_INTL if len(n) > 4 or n in ("mai", "juin", "mayo", "maio", "aout", "août")]
_FULL_MONTH = r"(?P<m>" + "|".join(sorted((n for n in _FULL_MONTHS if n not in ("marco",)), key=len, reverse=True)) + r")"
_MONTH_YEAR = lazy(rf"(?<!\w){_FULL_MONTH}{_YEAR}(?!\d)", re.IGNORECASE)
_PATTERNS = (_CROSS_MONTH, _SAME_MONTH, _ONE_DAY, _MONTH_YEAR)
# Cheap pre-check: no month word (beyond the English ones), no work.
_ANY_MONTH = lazy(r"(?<!\w)(?:" + "|".join(sorted(MONTH_NUMBERS_INTL, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)


def _month(name: str) -> int:
    return MONTH_NUMBERS_INTL[name.lower().rstrip(".")]


def _span(pattern: re.Pattern[str], m: re.Match[str]) -> DateSpan:
    g = m.groupdict()
    year = int(g["y"])
    if pattern is _CROSS_MONTH:
        return DateSpan(date(year, _month(g["m1"]), int(g["d1"])), date(year, _month(g["m2"]), int(g["d2"])))
    if pattern is _SAME_MONTH:
        month = _month(g["m"])
        return DateSpan(date(year, month, int(g["d1"])), date(year, month, int(g["d2"])))
    if pattern is _ONE_DAY:
        return DateSpan.day(date(year, _month(g["m"]), int(g["d"])))
    month = _month(g["m"])
    first = date(year, month, 1)
    last = date(year + (month == 12), month % 12 + 1, 1).toordinal() - 1
    return DateSpan(first, date.fromordinal(last))


def intl_dates(text: str) -> list[tuple[DateSpan, int, int, str]]:
    """(span, start, end, matched text) of every fr/es/pt date or range in ``text``; longest wins."""
    if _ANY_MONTH.search(text) is None:
        return []
    taken: list[tuple[int, int]] = []
    out: list[tuple[DateSpan, int, int, str]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(start < e and s < end for s, e in taken):
                continue
            try:
                span = _span(pattern, m)
            except ValueError:  # 31 février: not a date
                continue
            if span.end < span.start:
                continue
            taken.append((start, end))
            out.append((span, start, end, m.group(0)))
    out.sort(key=lambda found: found[1])
    return out


def parse_span_intl(text: str) -> DateSpan | None:
    """The span when the whole of ``text`` is one fr/es/pt date or range, else None."""
    stripped = text.strip().strip(".,")
    for pattern in _PATTERNS:
        m = pattern.fullmatch(stripped)
        if m:
            try:
                return _span(pattern, m)
            except ValueError:
                return None
    return None
