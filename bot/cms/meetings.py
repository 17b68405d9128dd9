"""The COP registry (``meetings.yaml``) and every way texts and people name a meeting.

"COP14", "COP 14", "CMS COP11", "CoP14", "COP-14", "14th Meeting of the Conference of the
Parties", "Eleventh Meeting of the Conference of the Parties", "the eleventh COP",
"the Samarkand COP", "in Quito" all resolve to a meeting number; so do the French, Spanish and
Portuguese names (the "Other languages" tables below): "CdP14", "la COP 14", "14e réunion de la
Conférence des Parties", "decimocuarta reunión de la Conferencia de las Partes", "XI Conferencia de las Partes", "15ª Conferência
das Partes", "Samarcande", "Samarcanda".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.model import Meeting
from bot.text.stopwords import fold_accents
from bot.yamlfile import read_yaml

class UnknownMeeting(ValueError):
    """A meeting number or name that the registry doesn't hold."""


_ORDINAL_WORDS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth", "twentieth",
)
_ORDINAL_NUMBERS = {word: n for n, word in enumerate(_ORDINAL_WORDS, start=1)}
_ORDINAL = r"(?P<ord>\d{1,2}(?:st|nd|rd|th)|" + "|".join(_ORDINAL_WORDS) + r")"

_COP_CODE = re.compile(r"\b(?:CMS[\s-]*)?C[od]P[\s-]?(?P<num>\d{1,2})\b", re.IGNORECASE)  # COP14, CdP14
_ORDINAL_MEETING = re.compile(
    _ORDINAL + r"\s+(?:meeting\s+of\s+the\s+conference\s+of\s+(?:the\s+)?parties|"
    r"(?:CMS\s+)?(?:COP|CoP|conference\s+of\s+(?:the\s+)?parties)\b)",
    re.IGNORECASE,
)


# ---------------------------------------------------------------- Other languages (fr, es, pt)

#: Ordinals 1–20 as French, Spanish and Portuguese write them before "réunion / reunión / reunião".
INTL_ORDINAL_WORDS: dict[int, tuple[str, ...]] = {
    1: ("premier", "première", "primera", "primero", "primeira", "primeiro"),
    2: ("deuxième", "seconde", "second", "segunda", "segundo"),
    3: ("troisième", "tercera", "tercero", "terceira", "terceiro"),
    4: ("quatrième", "cuarta", "cuarto", "quarta", "quarto"),
    5: ("cinquième", "quinta", "quinto"),
    6: ("sixième", "sexta", "sexto"),
    7: ("septième", "séptima", "séptimo", "sétima", "sétimo"),
    8: ("huitième", "octava", "octavo", "oitava", "oitavo"),
    9: ("neuvième", "novena", "noveno", "nona", "nono"),
    10: ("dixième", "décima", "décimo"),
    11: ("onzième", "undécima", "undécimo", "decimoprimera", "decimoprimero", "décima primeira", "décimo primeiro"),
    12: ("douzième", "duodécima", "duodécimo", "decimosegunda", "decimosegundo", "décima segunda", "décimo segundo"),
    13: ("treizième", "decimotercera", "decimotercero", "décima terceira", "décimo terceiro"),
    14: ("quatorzième", "decimocuarta", "decimocuarto", "décima quarta", "décimo quarto"),
    15: ("quinzième", "decimoquinta", "decimoquinto", "décima quinta", "décimo quinto"),
    16: ("seizième", "decimosexta", "decimosexto", "décima sexta", "décimo sexto"),
    17: ("dix-septième", "decimoséptima", "decimoséptimo", "décima sétima", "décimo sétimo"),
    18: ("dix-huitième", "decimoctava", "decimoctavo", "décima oitava", "décimo oitavo"),
    19: ("dix-neuvième", "decimonovena", "decimonoveno", "décima nona", "décimo nono"),
    20: ("vingtième", "vigésima", "vigésimo"),
}
#: Host cities as other languages spell them (the registry's own city names are English).
CITY_ALIASES: dict[str, tuple[str, ...]] = {
    "Samarkand": ("Samarcande", "Samarcanda", "Samarqand"),
    "Manila": ("Manille", "Manilla"),
    "Rome": ("Roma",),
    "Cape Town": ("Le Cap", "Ciudad del Cabo", "Cidade do Cabo"),
    "Geneva": ("Genève", "Ginebra", "Genebra"),
    "Quito": (),
    "Campo Grande": (),
}


def _ordinal_key(text: str) -> str:
    return re.sub(r"[\s-]+", " ", fold_accents(text.lower()))


INTL_ORDINAL_NUMBERS = {_ordinal_key(w): n for n, words in INTL_ORDINAL_WORDS.items() for w in words}
_INTL_ORDINAL = (
    r"(?P<iord>\d{1,2}(?:\s?(?:e|è|ème|eme|ᵉ|er|re)|\.?\s?[ªºao])|"
    + "|".join(sorted({re.escape(w).replace(r"\ ", r"[\s-]") for n in INTL_ORDINAL_WORDS
                       for word in INTL_ORDINAL_WORDS[n] for w in (word, fold_accents(word))}, key=len, reverse=True))
    + r")"
)
# Roman numerals, upper case only: "XI Conferencia de las Partes", "la XIVe Conférence des Parties"
# (and, as scraped pages glue them, "XIConferencia de las Partes").
_ROMAN = r"(?-i:(?=[XVI])(?P<roman>X{0,2}(?:IX|IV|V?I{0,3})))(?:e|ème|ª|º)?"
_INTL_ORDINAL_MEETING = re.compile(
    r"(?<!\w)(?:" + _INTL_ORDINAL + r"\s+|" + _ROMAN + r"\s*(?=[CcR]))"
    r"(?:(?:r[ée]union|reuni[óo]n|reuni[ãa]o|session|sesi[óo]n|per[íi]odo\s+de\s+sesiones)\s+(?:de\s+la|da|de)\s+)?"
    r"(?:conf[ée]rence\s+des\s+parties|conferencia\s+de\s+(?:las\s+)?partes|confer[êe]ncia\s+das\s+partes|cdp|cop)(?!\w)",
    re.IGNORECASE,
)


def roman_number(text: str) -> int:
    """``XIV`` → 14 (I, V and X only: meeting numbers stay below 40)."""
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for i, ch in enumerate(text):
        value = values[ch]
        total += -value if i + 1 < len(text) and values[text[i + 1]] > value else value
    return total


def _intl_ordinal_number(text: str) -> int:
    digits = re.match(r"\d+", text)
    if digits:
        return int(digits.group())
    return INTL_ORDINAL_NUMBERS[_ordinal_key(text)]


class MeetingsFileError(ValueError):
    """meetings.yaml is missing or malformed; the message names the file and the entry."""


def _ordinal_number(text: str) -> int:
    text = text.lower()
    if text in _ORDINAL_NUMBERS:
        return _ORDINAL_NUMBERS[text]
    return int(re.match(r"\d+", text).group(0))  # type: ignore[union-attr]


def _as_date(value: object, where: str) -> date:
    if isinstance(value, date):
        return value
    raise MeetingsFileError(f"{where}: expected a date (YYYY-MM-DD), got {value!r}")


@dataclass(frozen=True)
class MeetingMention:
    number: int
    start: int
    end: int


class MeetingRegistry:
    """All known COPs, by number, with lookups by the names texts use."""

    def __init__(self, meetings: Iterable[Meeting]) -> None:
        self._by_number = {m.number: m for m in sorted(meetings, key=lambda m: m.number)}
        cities: dict[str, list[int]] = {}
        for m in self._by_number.values():
            cities.setdefault(m.city.lower(), []).append(m.number)
            for alias in CITY_ALIASES.get(m.city, ()):
                for spelling in {alias.lower(), fold_accents(alias.lower())}:
                    cities.setdefault(spelling, []).append(m.number)
        # A city that hosted several COPs (Bonn, Geneva, Nairobi) names none of them on its own.
        self._city_to_number = {city: nums[0] for city, nums in cities.items() if len(nums) == 1}
        names = sorted(cities, key=len, reverse=True)
        self._city_pattern = re.compile(r"\b(" + "|".join(re.escape(c) for c in names) + r")\b", re.IGNORECASE) if names else None

    @classmethod
    def load(cls, path: Path) -> MeetingRegistry:
        raw = read_yaml(path, MeetingsFileError)
        if not isinstance(raw, list):
            raise MeetingsFileError(f"{path}: expected a list of meetings")
        meetings = []
        for i, entry in enumerate(raw, start=1):
            where = f"{path}: entry {i}"
            if not isinstance(entry, dict):
                raise MeetingsFileError(f"{where}: expected a mapping")
            try:
                meetings.append(Meeting(
                    number=int(entry["number"]),
                    city=str(entry["city"]),
                    country=str(entry["country"]),
                    start=_as_date(entry["start"], where),
                    end=_as_date(entry["end"], where),
                    verified=bool(entry.get("verified", False)),
                    source=entry.get("source"),
                    note=entry.get("note"),
                ))
            except KeyError as exc:
                raise MeetingsFileError(f"{where}: missing {exc.args[0]!r}") from None
            except (TypeError, ValueError) as exc:
                raise MeetingsFileError(f"{where}: {exc}") from None
        return cls(meetings)

    def all(self) -> list[Meeting]:
        return list(self._by_number.values())

    def get(self, number: int | None) -> Meeting | None:
        return None if number is None else self._by_number.get(number)

    def mentions(self, text: str) -> list[MeetingMention]:
        """Every meeting the text names, in order: codes, ordinals, host cities (unique ones only)."""
        found: list[MeetingMention] = []
        taken: list[tuple[int, int]] = []

        def add(number: int, start: int, end: int) -> None:
            if number in self._by_number and not any(start < e and s < end for s, e in taken):
                taken.append((start, end))
                found.append(MeetingMention(number, start, end))

        for m in _COP_CODE.finditer(text):
            add(int(m.group("num")), *m.span())
        for m in _ORDINAL_MEETING.finditer(text):
            add(_ordinal_number(m.group("ord")), *m.span())
        for m in _INTL_ORDINAL_MEETING.finditer(text):
            if m.group("iord"):
                add(_intl_ordinal_number(m.group("iord")), *m.span())
            elif m.group("roman"):
                add(roman_number(m.group("roman")), *m.span())
        if self._city_pattern is not None:
            for m in self._city_pattern.finditer(text):
                number = self._city_to_number.get(m.group(1).lower())
                if number is not None:
                    add(number, *m.span())
        found.sort(key=lambda mention: mention.start)
        return found

    def resolve(self, text: str) -> Meeting | None:
        """The first meeting ``text`` names, or None."""
        mentions = self.mentions(text)
        return self._by_number[mentions[0].number] if mentions else None

    def number_of(self, value: str | int) -> int:
        """The meeting a person or a file names by number (14, "14"), code ("COP14") or city
        ("Samarkand"). Raises UnknownMeeting saying why when there is none in the registry."""
        if isinstance(value, bool):
            raise UnknownMeeting(f"not a meeting: {value!r}")
        if isinstance(value, int):
            number = value
        elif str(value).strip().isdecimal():  # not isdigit(): "³" and "²⁰" are digits int() refuses
            try:
                number = int(str(value))
            except ValueError:  # more digits than int() converts
                raise UnknownMeeting(f"not a meeting number: {str(value)[:20]!r}…") from None
        else:
            found = self.resolve(str(value))
            if found is None:
                raise UnknownMeeting(f"no meeting matches {value!r}")
            number = found.number
        if self.get(number) is None:
            raise UnknownMeeting(f"COP{number} is not in meetings.yaml")
        return number

    def covering(self, day: date) -> Meeting | None:
        """The meeting in session on ``day``."""
        for m in self._by_number.values():
            if m.start <= day <= m.end:
                return m
        return None
