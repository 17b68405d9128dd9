"""What a kind parser gives back: metadata it inferred and the passages it cut."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class PassageDraft:
    locator: str
    text: str
    title: str | None = None  # a news item's own title
    date: date | None = None  # a news item's own date
    place: str | None = None
    context: str | None = None  # heading, addressee, speaker: searchable, not quoted
    meeting: int | None = None  # the passage's own meeting where it names one (Resolution 12.03 → COP12)
    url: str | None = None  # a news item's own address (the link on its title), else the document's


@dataclass
class Parsed:
    """Inferred document metadata (front matter overrides it) and the passages."""

    meta: dict[str, Any] = field(default_factory=dict)
    passages: list[PassageDraft] = field(default_factory=list)
    #: Page chrome and other text deliberately left out, for the index report.
    dropped: list[str] = field(default_factory=list)
