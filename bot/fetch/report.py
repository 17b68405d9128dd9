"""What a fetch did: each item new, changed, unchanged or failed, as data, JSON and a terminal summary."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from bot.model import KIND_LABELS, format_date

STATUSES: tuple[str, ...] = ("new", "changed", "unchanged", "failed", "skipped")


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
    #: Known items not asked for again: fetched less than ``recheck_hours`` ago.
    skipped: list[FetchedItem] = field(default_factory=list)
    #: Items found but left for the next run (over a source's ``max_items``).
    deferred: int = 0
    #: Things for a person to review (e.g. a COP InforMEA lists that meetings.yaml lacks), one line each.
    proposals: list[str] = field(default_factory=list)

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
        data["counts"] = {**self.counts(), "deferred": self.deferred}
        data["proposals"] = list(self.proposals)
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


def unreachable_hosts(report: FetchReport) -> list[str]:
    """Hosts every failure of this run is "cannot reach <host>" for (empty when anything else failed,
    or nothing did)."""
    hosts = {item.reason.rsplit("cannot reach ", 1)[-1] for item in report.failed if item.reason and "cannot reach " in item.reason}
    if not hosts or any("cannot reach " not in (item.reason or "") for item in report.failed):
        return []
    return sorted(hosts)


def format_report(report: FetchReport) -> str:
    """A terminal summary: a counts table, then new/changed items and failures with their reasons.

    A run that failed only because its hosts cannot be reached (offline, DNS) is one line."""
    hosts = unreachable_hosts(report)
    if hosts and not report.written:
        return f"cannot reach {', '.join(hosts)} — nothing fetched"
    counts = {**report.counts(), "deferred": report.deferred}
    width = max(len(s) for s in counts)
    lines = ["Fetch summary"]
    lines += [f"  {status.ljust(width)}  {number:>5}" for status, number in counts.items()]
    for status in ("new", "changed"):
        items = getattr(report, status)
        if items:
            lines.append(f"{status.capitalize()}:")
            lines += [_line(item) for item in items]
    if report.proposals:
        lines.append("To review:")
        lines += [f"  {note}" for note in report.proposals]
    if report.failed:
        lines.append("Failed:")
        lines += [f"  {item.url}: {item.reason}" for item in report.failed]
    return "\n".join(lines)
