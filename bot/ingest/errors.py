"""The one error ingestion raises for a file it cannot use."""

from __future__ import annotations


class IngestError(Exception):
    """A corpus file that cannot be ingested: names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
