"""The kinds of document cmsbot reads: one home per kind, its parser and its contract.

Each kind's module docstring is its contract (what it takes, what passages and metadata it
gives); ``KIND_SPECS`` is the registry ``corpus.load_document`` dispatches on. The names and
reader-facing labels live in ``bot.model.KINDS`` / ``KIND_LABELS`` (the engine filters on them);
a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.ingest import (
    cop_document, generic_page, meeting_page, meeting_report, news_item, news_listing, notification,
    press_release, resolution, statement,
)
from bot.ingest.parsed import Parsed


@dataclass(frozen=True)
class KindSpec:
    name: str
    parse: Callable[[str], Parsed]
    #: The module whose docstring is the kind's contract.
    module: object

    @property
    def contract(self) -> str:
        return (getattr(self.module, "__doc__", None) or "").strip()


KIND_SPECS: dict[str, KindSpec] = {spec.name: spec for spec in (
    KindSpec("news_listing", news_listing.parse, news_listing),
    KindSpec("press_release", press_release.parse, press_release),
    KindSpec("cop_document", cop_document.parse, cop_document),
    KindSpec("news_item", news_item.parse, news_item),
    KindSpec("notification", notification.parse, notification),
    KindSpec("meeting_page", meeting_page.parse, meeting_page),
    KindSpec("resolution", resolution.parse, resolution),
    KindSpec("meeting_report", meeting_report.parse, meeting_report),
    KindSpec("statement", statement.parse, statement),
    KindSpec("page", generic_page.parse, generic_page),
)}

PARSERS: dict[str, Callable[[str], Parsed]] = {name: spec.parse for name, spec in KIND_SPECS.items()}
