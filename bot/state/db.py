"""The one way cmsbot writes SQLite: a connection per process, WAL, a busy timeout, and every write
a single transaction (``BEGIN IMMEDIATE`` … ``COMMIT``) made of upserts, never read-then-write.

Why each: WAL lets readers (``cmsbot feedback``) run while the bot writes; the busy timeout makes a
second writer — another thread, another process — wait for the lock instead of failing with
"database is locked"; ``BEGIN IMMEDIATE`` takes the write lock before reading, so a transaction
never fails half-way when it tries to upgrade a read lock; upserts (``INSERT … ON CONFLICT DO
UPDATE``) let SQLite decide insert-or-update atomically, so two writers cannot both insert the
same row (duplicate-vote errors) or overwrite each other's fields (lost updates).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

#: How long a writer waits for another to finish before giving up, in seconds.
BUSY_TIMEOUT_SECONDS = 30.0


def _set_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL. Changing the journal mode takes an exclusive lock and SQLite does not call the
    busy handler for it, so processes opening a new database together can get "database is locked"
    at once: retry until the busy timeout, as every other write waits."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    delay = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


class Database:
    """One SQLite file with its schema; opened lazily (creating the file and its folder), thread-safe.

    ``read(sql)`` runs one query; ``write()`` is a transaction: ``with db.write() as conn: …``.
    """

    def __init__(self, path: Path, schema: str) -> None:
        self.path = Path(path)
        self._schema = schema
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.RLock()

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            _set_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            self._conn = conn
            with self.write() as db:  # schema creation races with other processes too
                for statement in _statements(self._schema):
                    db.execute(statement)
        return self._conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, committed when the block ends, rolled back if it raises."""
        with self._lock:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def read(self, sql: str, params: Iterable[object] = ()) -> list[sqlite3.Row]:
        """Rows of one query (a consistent snapshot on its own)."""
        with self._lock:
            return self._connection().execute(sql, tuple(params)).fetchall()

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def _statements(schema: str) -> list[str]:
    """The schema's statements (``executescript`` would commit our transaction)."""
    out, current = [], []
    for line in schema.splitlines():
        current.append(line)
        if sqlite3.complete_statement("\n".join(current)):
            out.append("\n".join(current).strip())
            current = []
    return [s for s in out if s]
