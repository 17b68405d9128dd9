"""What a fetch did: each item new, changed, unchanged or failed, as data, JSON and a terminal summary."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from bot.model import KIND_LABELS, format_date

STATUSES: tuple[str, ...] = ("new", "changed", "unchanged", "failed")


@dataclass(frozen=True)
class FetchedItem:
    """One listing or item URL and what became of it; ``path`` is relative to the corpus directory."""

    url: str
    source: str
    kind: str
    path: str | None = None
    title: str | None = None
    date: date | None = None
    meeting: int | None = None
    #: Why it failed (failed items only).
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data


@dataclass
class FetchReport:
    new: list[FetchedItem] = field(default_factory=list)
    changed: list[FetchedItem] = field(default_factory=list)
    unchanged: list[FetchedItem] = field(default_factory=list)
    failed: list[FetchedItem] = field(default_factory=list)

    def add(self, status: str, item: FetchedItem) -> None:
        getattr(self, status).append(item)

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def written(self) -> list[FetchedItem]:
        """New and changed items: what a re-index needs to pick up."""
        return self.new + self.changed

    def counts(self) -> dict[str, int]:
        return {status: len(getattr(self, status)) for status in STATUSES}

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {status: [item.to_dict() for item in getattr(self, status)] for status in STATUSES}
        data["counts"] = self.counts()
        return data

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def format(self) -> str:
        return format_report(self)


def _line(item: FetchedItem) -> str:
    label = KIND_LABELS.get(item.kind, item.kind)
    meeting = f", COP{item.meeting}" if item.meeting else ""
    title = item.title or item.url
    return f"  {item.path or item.url}  {title} ({label}, {format_date(item.date)}{meeting})"


def format_report(report: FetchReport) -> str:
    """A terminal summary: a counts table, then new/changed items and failures with their reasons."""
    counts = report.counts()
    width = max(len(s) for s in STATUSES)
    lines = ["Fetch summary"]
    lines += [f"  {status.ljust(width)}  {counts[status]:>5}" for status in STATUSES]
    for status in ("new", "changed"):
        items = getattr(report, status)
        if items:
            lines.append(f"{status.capitalize()}:")
            lines += [_line(item) for item in items]
    if report.failed:
        lines.append("Failed:")
        lines += [f"  {item.url}: {item.reason}" for item in report.failed]
    return "\n".join(lines)
