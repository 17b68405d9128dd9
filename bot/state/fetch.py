"""Fetch state, announcements and channel subscriptions in one SQLite file (``bot.state.db``).

- ``resources``: per URL the validators (ETag, Last-Modified), the body hash, the corpus path and
  what the item is (title, kind, date, meeting), so the next fetch can ask "changed since?".
- ``announced``: URLs already posted, so a new item is announced once, across restarts.
- ``subscriptions``: one per Discord channel, with an optional meeting and kind filter.
- ``baselines``: sources whose listing the bot has read once while serving; until then their items
  are old news, recorded as announced without being posted (no flood on the first run).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from bot.model import KINDS
from bot.state.db import Database

if TYPE_CHECKING:
    from bot.fetch.report import FetchedItem

STORE_FILENAME = "fetch.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    path TEXT,
    etag TEXT,
    last_modified TEXT,
    hash TEXT,
    title TEXT,
    date TEXT,
    meeting INTEGER,
    first_seen TEXT NOT NULL,
    last_checked TEXT NOT NULL,
    last_changed TEXT
);
CREATE INDEX IF NOT EXISTS resources_path ON resources(path);
CREATE TABLE IF NOT EXISTS announced (
    url TEXT PRIMARY KEY,
    announced_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS subscriptions (
    channel_id INTEGER PRIMARY KEY,
    guild_id INTEGER,
    meeting INTEGER,
    kind TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS walks (
    source TEXT PRIMARY KEY,
    completed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS baselines (
    source TEXT PRIMARY KEY,
    baselined_at TEXT NOT NULL
);
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ResourceState:
    url: str
    path: str | None
    etag: str | None
    last_modified: str | None
    hash: str | None


@dataclass(frozen=True)
class Subscription:
    """A channel that wants new items announced; ``None`` filters mean "any"."""

    channel_id: int
    guild_id: int | None
    meeting: int | None = None
    kind: str | None = None

    def matches(self, item: FetchedItem) -> bool:
        return (self.meeting is None or item.meeting == self.meeting) and (self.kind is None or item.kind == self.kind)


class FetchStore:
    """Open (creating the file and its directory on first use) with ``FetchStore(path)``; safe to
    reopen at any time — the state is all on disk."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db = Database(self.path, _SCHEMA)
        self._db.read("SELECT 1")  # create the file and its schema now

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> FetchStore:
        return cls(Path(data_dir) / STORE_FILENAME)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> FetchStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def _execute(self, sql: str, params: Iterable[object] = ()) -> list[sqlite3.Row]:
        """One statement: a write in its own transaction, or a read."""
        if sql.lstrip().upper().startswith("SELECT"):
            return self._db.read(sql, params)
        with self._db.write() as conn:
            return conn.execute(sql, tuple(params)).fetchall()

    # --- fetch state ----------------------------------------------------------------------------

    def state(self, url: str) -> ResourceState | None:
        rows = self._execute("SELECT url, path, etag, last_modified, hash FROM resources WHERE url = ?", (url,))
        return ResourceState(**dict(rows[0])) if rows else None

    def path_owner(self, path: str) -> str | None:
        """The URL whose corpus file is ``path``, if any."""
        rows = self._execute("SELECT url FROM resources WHERE path = ?", (path,))
        return rows[0]["url"] if rows else None

    def record(self, item: FetchedItem, *, etag: str | None, last_modified: str | None, content_hash: str,
               key: str | None = None) -> None:
        """Remember a written (new or changed) item and its validators, under ``key`` (default its URL;
        a document page read for one language's file is keyed ``<page URL>#<lang>``)."""
        now = _now()
        self._execute(
            """INSERT INTO resources (url, source, kind, path, etag, last_modified, hash, title, date, meeting,
                                      first_seen, last_checked, last_changed)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(url) DO UPDATE SET source=excluded.source, kind=excluded.kind, path=excluded.path,
                   etag=excluded.etag, last_modified=excluded.last_modified, hash=excluded.hash,
                   title=excluded.title, date=excluded.date, meeting=excluded.meeting,
                   last_checked=excluded.last_checked, last_changed=excluded.last_changed""",
            (key or item.url, item.source, item.kind, item.path, etag, last_modified, content_hash, item.title,
             item.date.isoformat() if item.date else None, item.meeting, now, now, now),
        )

    def touch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> None:
        """An unchanged item: note the check, and refresh validators the server sent."""
        self._execute(
            "UPDATE resources SET last_checked = ?, etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified) WHERE url = ?",
            (_now(), etag, last_modified, url),
        )

    def fresh(self, url: str, hours: float) -> bool:
        """Was ``url`` fetched (or confirmed unchanged) less than ``hours`` ago?"""
        if hours <= 0:
            return False
        rows = self._execute("SELECT last_checked FROM resources WHERE url = ? AND path IS NOT NULL", (url,))
        if not rows:
            return False
        checked = datetime.fromisoformat(rows[0]["last_checked"])
        return (datetime.now(timezone.utc) - checked).total_seconds() < hours * 3600

    def walked(self, source: str) -> bool:
        """Has a pass ever read all of ``source``'s listing pages? Until then a pass does not stop paging
        early on pages of known items (an interrupted first pass resumes where it stopped)."""
        return bool(self._execute("SELECT 1 FROM walks WHERE source = ?", (source,)))

    def mark_walked(self, source: str) -> None:
        self._execute("INSERT INTO walks (source, completed_at) VALUES (?, ?) ON CONFLICT(source) DO UPDATE SET completed_at = excluded.completed_at",
                      (source, _now()))

    def item(self, url: str) -> FetchedItem | None:
        rows = self._execute("SELECT * FROM resources WHERE url = ?", (url,))
        return _item(rows[0]) if rows else None

    # --- announcements --------------------------------------------------------------------------

    def pending_announcements(self, items: Iterable[FetchedItem] | None = None) -> list[FetchedItem]:
        """Items not announced yet: from ``items`` (e.g. ``report.new``) in their order, or, with no
        argument, every fetched item on record not yet announced, oldest first."""
        announced = {row["url"] for row in self._execute("SELECT url FROM announced")}
        if items is None:
            rows = self._execute("SELECT * FROM resources WHERE path IS NOT NULL ORDER BY first_seen, url")
            items = [_item(row) for row in rows]
        pending: list[FetchedItem] = []
        for item in items:
            if item.url not in announced:
                announced.add(item.url)
                pending.append(item)
        return pending

    def mark_announced(self, *urls: str) -> None:
        now = _now()
        with self._db.write() as conn:
            conn.executemany("INSERT INTO announced (url, announced_at) VALUES (?, ?) ON CONFLICT(url) DO NOTHING",
                             [(u, now) for u in urls])

    def is_announced(self, url: str) -> bool:
        return bool(self._execute("SELECT 1 FROM announced WHERE url = ?", (url,)))

    def baselined_sources(self) -> set[str]:
        """Sources past their first successful read: their new items are worth announcing."""
        return {row["source"] for row in self._execute("SELECT source FROM baselines")}

    def mark_baselined(self, *sources: str) -> None:
        now = _now()
        with self._db.write() as conn:
            conn.executemany("INSERT INTO baselines (source, baselined_at) VALUES (?, ?) ON CONFLICT(source) DO NOTHING",
                             [(s, now) for s in sources])

    # --- subscriptions --------------------------------------------------------------------------

    def subscribe(self, channel_id: int, guild_id: int | None, meeting: int | None = None, kind: str | None = None) -> Subscription:
        """Subscribe a channel (replacing its previous filter)."""
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        if meeting is not None and (isinstance(meeting, bool) or not isinstance(meeting, int) or meeting < 1):
            raise ValueError(f"meeting must be a COP number, got {meeting!r}")
        self._execute(
            """INSERT INTO subscriptions (channel_id, guild_id, meeting, kind, created_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT(channel_id) DO UPDATE SET guild_id=excluded.guild_id, meeting=excluded.meeting, kind=excluded.kind""",
            (channel_id, guild_id, meeting, kind, _now()),
        )
        return Subscription(channel_id, guild_id, meeting, kind)

    def unsubscribe(self, channel_id: int) -> bool:
        """Remove a channel's subscription; False when it had none."""
        with self._db.write() as conn:
            return conn.execute("DELETE FROM subscriptions WHERE channel_id = ?", (channel_id,)).rowcount > 0

    def subscriptions(self, guild_id: int | None = None) -> list[Subscription]:
        """All subscriptions, or one server's."""
        if guild_id is None:
            rows = self._execute("SELECT channel_id, guild_id, meeting, kind FROM subscriptions ORDER BY channel_id")
        else:
            rows = self._execute("SELECT channel_id, guild_id, meeting, kind FROM subscriptions WHERE guild_id = ? ORDER BY channel_id", (guild_id,))
        return [Subscription(**dict(row)) for row in rows]

    def recipients(self, item: FetchedItem) -> list[Subscription]:
        """The subscribed channels whose filters ``item`` matches."""
        return [s for s in self.subscriptions() if s.matches(item)]


def _item(row: sqlite3.Row) -> FetchedItem:
    from bot.fetch.report import FetchedItem

    return FetchedItem(
        url=row["url"].split("#", 1)[0],
        source=row["source"],
        kind=row["kind"],
        path=row["path"],
        title=row["title"],
        date=date.fromisoformat(row["date"]) if row["date"] else None,
        meeting=row["meeting"],
    )
