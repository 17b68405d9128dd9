"""Non-overlapping text spans kept in order, so "longest pattern first wins" stays linear.

Date finders run their patterns most specific first; a later pattern's match is kept only
where no earlier match lies. Checking every match against every kept span is quadratic in the
number of dates (16 MB of dates took minutes); here each pattern's matches (in text order) are
swept against the kept spans (in text order) once, then merged in.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


class Taken:
    """Sorted, non-overlapping ``(start, end)`` spans."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def free(self, matches: Iterable[tuple[int, int, T]]) -> Iterator[tuple[int, int, T]]:
        """The matches (given in order of ``start``) that overlap no kept span and no earlier
        yielded match; call ``keep`` with the ones actually used."""
        spans = self.spans
        j = 0
        last_end = -1
        for start, end, item in matches:
            while j < len(spans) and spans[j][1] <= start:
                j += 1
            if j < len(spans) and spans[j][0] < end:
                continue
            if start < last_end:
                continue
            last_end = end
            yield start, end, item

    def keep(self, new: list[tuple[int, int]]) -> None:
        """Merge ``new`` (sorted, disjoint from the kept spans) in."""
        if new:
            self.spans = list(heapq.merge(self.spans, new))
