"""The passage table as compact columns saved beside the BM25 arrays, read lazily.

A saved index used to hold its passages as JSON in the file's header: opening 80k passages then
parsed ~90 MB of JSON and built 80k ``Passage`` objects before the first answer. Here each text
field is dictionary-encoded: its distinct values as one UTF-8 blob (each value ended by a NUL, so
a whole column splits at once) with byte offsets, and an int32 code per passage (-1: None) — the
fields a document's passages share (source, titles, URL, kind, language) are stored once per
document. Number fields are integer arrays. A ``Passage`` is made the first time it is asked for
(a question touches a few hundred) and kept; whole columns (the retriever's filters) are read as
arrays without making any passage.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any, overload

import numpy as np

from bot.model import Passage
from bot.search.facts import ATTR, FactTable
from bot.search.facts import table as fact_table

#: Text fields of ``Passage``, stored dictionary-encoded.
TEXT_FIELDS = ("id", "source", "kind", "title", "document_title", "locator", "text", "url", "symbol", "place",
               "context", "lang")
PREFIX = "passages."


def _encode(values: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(distinct values as NUL-ended UTF-8, their int64 byte offsets (m + 1), int32 code of each value (-1: None))."""
    codes_of: dict[str, int] = {}
    codes = np.fromiter((-1 if v is None else codes_of.setdefault(v, len(codes_of)) for v in values),
                        dtype=np.int32, count=len(values))
    encoded = [v.encode("utf-8", "surrogatepass") + b"\0" for v in codes_of]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets, codes


def to_arrays(passages: Sequence[Passage]) -> dict[str, np.ndarray]:
    """The columns of ``passages``, named for the index file (see ``bot.search.index.BM25Index.save``)."""
    out: dict[str, np.ndarray] = {}
    for name in TEXT_FIELDS:
        data, offsets, codes = _encode([getattr(p, name) for p in passages])
        out[f"{PREFIX}{name}"], out[f"{PREFIX}{name}.offsets"], out[f"{PREFIX}{name}.codes"] = data, offsets, codes
    out[f"{PREFIX}date"] = np.array([p.date.toordinal() if p.date else 0 for p in passages], dtype=np.int32)
    out[f"{PREFIX}position"] = np.array([p.position for p in passages], dtype=np.int64)
    out[f"{PREFIX}meeting"] = np.array([p.meeting if p.meeting is not None else -1 for p in passages], dtype=np.int32)
    out[f"{PREFIX}meeting.null"] = np.array([p.meeting is None for p in passages], dtype=bool)
    return out


class _Column:
    """One dictionary-encoded text column."""

    def __init__(self, name: str, data: np.ndarray, offsets: np.ndarray, codes: np.ndarray, n: int) -> None:
        m = offsets.shape[0] - 1
        if (data.dtype != np.uint8 or data.ndim != 1 or offsets.ndim != 1 or m < 0 or codes.shape != (n,)
                or int(offsets[0]) != 0 or int(offsets[-1]) != data.shape[0] or bool((np.diff(offsets) < 1).any())
                or (n and (int(codes.min()) < -1 or int(codes.max()) >= m))
                or (m and data[offsets[1:] - 1].any())):
            raise ValueError(f"passage column {name!r} does not match the table")
        self.data = memoryview(np.ascontiguousarray(data))  # type: ignore[arg-type]
        self.offsets: list[int] = offsets.tolist()
        self.codes = codes
        # Read one passage at a time: a memoryview gives Python ints much faster than numpy scalars.
        self._code_at = memoryview(np.ascontiguousarray(codes, dtype=np.int32)).cast("B").cast("i")  # type: ignore[arg-type]
        self._distinct: list[str] | None = None
        if m * 4 <= n:  # a field passages share (titles, sources, kinds): its few values decoded at once
            self.distinct()

    def value(self, i: int) -> str | None:
        code = self._code_at[i]
        if code < 0:
            return None
        if self._distinct is not None:
            return self._distinct[code]
        return str(self.data[self.offsets[code]:self.offsets[code + 1] - 1], "utf-8", "surrogatepass")

    def distinct(self) -> list[str]:
        """Every distinct value, by code (decoded once, kept)."""
        if self._distinct is None:
            m = len(self.offsets) - 1
            values = str(self.data[:-1], "utf-8", "surrogatepass").split("\0") if m else []
            if len(values) != m:  # a value holds a NUL itself: value by value
                values = [str(self.data[a:b - 1], "utf-8", "surrogatepass") for a, b in zip(self.offsets, self.offsets[1:])]
            self._distinct = values
        return self._distinct


class PassageTable(Sequence[Passage]):
    """A read-only sequence of passages backed by the saved columns; ``Passage`` objects made on demand."""

    def __init__(self, arrays: Mapping[str, np.ndarray], facts_meta: Mapping[str, Any] | None = None) -> None:
        n = int(arrays[f"{PREFIX}date"].shape[0])
        #: Each passage's facts stored with the index (``bot.search.facts``), carried by the passages made.
        self.facts: FactTable | None = fact_table(arrays, facts_meta, n)
        self._text: dict[str, _Column] = {
            name: _Column(name, arrays[f"{PREFIX}{name}"], arrays[f"{PREFIX}{name}.offsets"],
                          arrays[f"{PREFIX}{name}.codes"], n)
            for name in TEXT_FIELDS}
        for name in ("position", "meeting", "meeting.null"):
            if arrays[f"{PREFIX}{name}"].shape != (n,):
                raise ValueError(f"passage column {name!r} does not match the table")
        self._n = n
        self.ordinals = arrays[f"{PREFIX}date"].astype(np.int64)
        if n and (int(self.ordinals.min()) < 0 or int(self.ordinals.max()) > date.max.toordinal()):
            raise ValueError("passage column 'date' does not match the table")
        self.positions = arrays[f"{PREFIX}position"]
        self._meeting_null = arrays[f"{PREFIX}meeting.null"]
        self.meetings = np.where(self._meeting_null, -1, arrays[f"{PREFIX}meeting"]).astype(np.int32)
        self._made: list[Passage | None] = [None] * n
        self._position_at = memoryview(np.ascontiguousarray(self.positions, dtype=np.int64)).cast("B").cast("q")  # type: ignore[arg-type]
        self._ordinal_at = memoryview(np.ascontiguousarray(self.ordinals, dtype=np.int64)).cast("B").cast("q")  # type: ignore[arg-type]
        self._null_at = memoryview(np.ascontiguousarray(self._meeting_null, dtype=np.uint8)).cast("B")  # type: ignore[arg-type]
        self._meeting_at = memoryview(np.ascontiguousarray(self.meetings, dtype=np.int32)).cast("B").cast("i")  # type: ignore[arg-type]

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> Passage: ...
    @overload
    def __getitem__(self, i: slice) -> list[Passage]: ...

    def __getitem__(self, i: int | slice) -> Passage | list[Passage]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        made = self._made[i]  # IndexError out of range, as a list
        if made is None:
            made = self._made[i] = self._make(i)
        return made

    def __iter__(self) -> Iterator[Passage]:
        for i in range(self._n):
            yield self[i]

    def _make(self, i: int) -> Passage:
        values: dict[str, Any] = {name: column.value(i) for name, column in self._text.items()}
        ordinal = self._ordinal_at[i]
        values["date"] = date.fromordinal(ordinal) if ordinal else None
        values["position"] = self._position_at[i]
        values["meeting"] = None if self._null_at[i] else self._meeting_at[i]
        made = Passage(**values)
        if self.facts is not None:
            object.__setattr__(made, ATTR, (self.facts, i))  # not a field: equality and replace() ignore it
        return made

    def codes(self, name: str) -> tuple[list[str], np.ndarray]:
        """A text field as (distinct values, each passage's code into them, -1 for None): no passage made."""
        column = self._text[name]
        return column.distinct(), column.codes

    def column(self, name: str) -> list[str | None]:
        """Every passage's value of a text field, without making the passages."""
        distinct, codes = self.codes(name)
        values: list[str | None] = [*distinct, None]  # code -1 → None
        return [values[c] for c in codes.tolist()]


def column(passages: Sequence[Passage], name: str) -> list[Any]:
    """A field of every passage: from a table's columns (no passage made), else read off each passage."""
    if isinstance(passages, PassageTable):
        if name == "date":
            return [date.fromordinal(int(o)) if o else None for o in passages.ordinals.tolist()]
        if name == "meeting":
            return [None if m < 0 else m for m in passages.meetings.tolist()]
        if name == "position":
            return passages.positions.tolist()
        return passages.column(name)
    return [getattr(p, name) for p in passages]


def coded(passages: Sequence[Passage], name: str) -> tuple[list[Any], np.ndarray]:
    """A field of every passage as (distinct values in first-seen order, int32 code of each passage
    into them, -1 for None): a table's stored codes, or a list's encoded here."""
    if isinstance(passages, PassageTable):
        return passages.codes(name)
    codes_of: dict[Any, int] = {}
    codes = np.fromiter((-1 if (v := getattr(p, name)) is None else codes_of.setdefault(v, len(codes_of))
                         for p in passages), dtype=np.int32, count=len(passages))
    return list(codes_of), codes


def by_code(values: Sequence[Any], codes: np.ndarray, none: Any = None) -> np.ndarray:
    """An object array of each passage's value from ``coded`` output (``none`` for code -1)."""
    lookup = np.empty(len(values) + 1, dtype=object)
    lookup[:-1] = list(values)
    lookup[-1] = none
    return lookup[codes]


def ordinals(passages: Sequence[Passage]) -> np.ndarray:
    """Each passage's date as a day ordinal (0: undated), int64."""
    if isinstance(passages, PassageTable):
        return passages.ordinals
    return np.array([p.date.toordinal() if p.date else 0 for p in passages], dtype=np.int64)


def meetings(passages: Sequence[Passage]) -> np.ndarray:
    """Each passage's meeting number (-1: none), int32."""
    if isinstance(passages, PassageTable):
        return passages.meetings
    return np.array([p.meeting if p.meeting is not None else -1 for p in passages], dtype=np.int32)
