"""The passage table as compact columns saved beside the BM25 arrays, read lazily.

A saved index used to hold its passages as JSON in the file's header: opening 80k passages then
parsed ~90 MB of JSON and built 80k ``Passage`` objects before the first answer. Here each text
field is one UTF-8 blob (values joined by NUL, a NUL-free field) with byte offsets, each number
field an integer array; a ``Passage`` is made the first time it is asked for (a question touches a
few hundred of them) and kept. Whole columns the retriever filters on (meeting, kind, date, language,
locator, document) are read as arrays without making any passage.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any, overload

import numpy as np

from bot.model import Passage

#: Text fields of ``Passage`` in the order they are stored; a missing value (None) is flagged in ``<field>.null``.
TEXT_FIELDS = ("id", "source", "kind", "title", "document_title", "locator", "text", "url", "symbol", "place",
               "context", "lang")
PREFIX = "passages."


def _blob(values: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(utf-8 bytes, int64 byte offsets (n + 1), bool nulls) of a column of strings: each value
    followed by a NUL, so a whole column splits at once (see ``PassageTable.column``)."""
    encoded = [(v or "").encode("utf-8", "surrogatepass") + b"\0" for v in values]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    return data, offsets, np.fromiter((v is None for v in values), dtype=bool, count=len(values))


def to_arrays(passages: Sequence[Passage]) -> dict[str, np.ndarray]:
    """The columns of ``passages``, named for the index file (see ``bot.search.index.BM25Index.save``)."""
    out: dict[str, np.ndarray] = {}
    for name in TEXT_FIELDS:
        data, offsets, nulls = _blob([getattr(p, name) for p in passages])
        out[f"{PREFIX}{name}"], out[f"{PREFIX}{name}.offsets"], out[f"{PREFIX}{name}.null"] = data, offsets, nulls
    out[f"{PREFIX}date"] = np.array([p.date.toordinal() if p.date else 0 for p in passages], dtype=np.int32)
    out[f"{PREFIX}position"] = np.array([p.position for p in passages], dtype=np.int64)
    out[f"{PREFIX}meeting"] = np.array([p.meeting if p.meeting is not None else -1 for p in passages], dtype=np.int32)
    out[f"{PREFIX}meeting.null"] = np.array([p.meeting is None for p in passages], dtype=bool)
    return out


class PassageTable(Sequence[Passage]):
    """A read-only sequence of passages backed by the saved columns; ``Passage`` objects made on demand."""

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        self._data: dict[str, memoryview] = {}
        self._offsets: dict[str, list[int]] = {}
        self._nulls: dict[str, np.ndarray] = {}
        n = int(arrays[f"{PREFIX}date"].shape[0])
        for name in TEXT_FIELDS:
            data, offsets, nulls = (arrays[f"{PREFIX}{name}"], arrays[f"{PREFIX}{name}.offsets"],
                                    arrays[f"{PREFIX}{name}.null"])
            if offsets.shape != (n + 1,) or nulls.shape != (n,) or int(offsets[-1]) != data.shape[0] \
                    or int(offsets[0]) != 0 or bool((np.diff(offsets) < 1).any()):
                raise ValueError(f"passage column {name!r} does not match the table")
            self._data[name] = memoryview(np.ascontiguousarray(data, dtype=np.uint8))  # type: ignore[arg-type]
            self._offsets[name] = offsets.tolist()
            self._nulls[name] = nulls
        for name in ("position", "meeting", "meeting.null"):
            if arrays[f"{PREFIX}{name}"].shape != (n,):
                raise ValueError(f"passage column {name!r} does not match the table")
        self._n = n
        self.ordinals = arrays[f"{PREFIX}date"].astype(np.int64)
        self.positions = arrays[f"{PREFIX}position"]
        meeting = arrays[f"{PREFIX}meeting"].astype(np.int32)
        self.meetings = np.where(arrays[f"{PREFIX}meeting.null"], -1, meeting).astype(np.int32)
        self._meeting_null = arrays[f"{PREFIX}meeting.null"]
        self._made: list[Passage | None] = [None] * n
        self._columns: dict[str, list[str | None]] = {}

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

    def _value(self, name: str, i: int) -> str | None:
        if self._nulls[name][i]:
            return None
        offsets = self._offsets[name]
        return str(self._data[name][offsets[i]:offsets[i + 1] - 1], "utf-8", "surrogatepass")

    def _make(self, i: int) -> Passage:
        values: dict[str, Any] = {name: self._value(name, i) for name in TEXT_FIELDS}
        ordinal = int(self.ordinals[i])
        values["date"] = date.fromordinal(ordinal) if ordinal else None
        values["position"] = int(self.positions[i])
        values["meeting"] = None if self._meeting_null[i] else int(self.meetings[i])
        return Passage(**values)

    def column(self, name: str) -> list[str | None]:
        """Every passage's value of a text field, without making the passages (kept once read)."""
        held = self._columns.get(name)
        if held is None:
            if name not in self._data:
                raise KeyError(name)
            data, nulls = self._data[name], self._nulls[name]
            values: list[str | None] = []
            if self._n:
                values.extend(str(data[:-1], "utf-8", "surrogatepass").split("\0"))
            if len(values) != self._n:  # a value holds a NUL itself: value by value
                values = [self._value(name, i) for i in range(self._n)]
            elif nulls.any():
                for i in np.flatnonzero(nulls).tolist():
                    values[i] = None
            held = self._columns[name] = values
        return held


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
