"""The bot's own small state in SQLite: 👍/👎 feedback and per-server settings.

The database lives in ``Settings.data_dir`` (created on first use), written through
``bot.state.db.Database`` (WAL, so ``cmsbot feedback`` can read while the bot writes; a busy
timeout; each write one transaction of upserts, so concurrent votes and settings changes from
threads or processes neither fail nor overwrite each other). Every operation is short, cheap
enough to run on the event loop.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.state.db import Database

if TYPE_CHECKING:
    from bot.config import Settings

DB_NAME = "cmsbot.sqlite3"
REPLY_MODES: tuple[str, ...] = ("reply", "thread")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id          INTEGER PRIMARY KEY,
    created_at  TEXT NOT NULL,
    question    TEXT NOT NULL,
    rating      INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    passage_ids TEXT NOT NULL,          -- JSON list of cited passage ids
    user_id     INTEGER NOT NULL,
    guild_id    INTEGER,                -- NULL in DMs
    message_id  INTEGER,                -- the answer message, so a second click changes the vote
    comment     TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS feedback_one_vote ON feedback (message_id, user_id) WHERE message_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS guild_settings (
    guild_id        INTEGER PRIMARY KEY,
    reply_mode      TEXT NOT NULL DEFAULT 'reply',
    default_meeting INTEGER,
    updated_at      TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class GuildSettings:
    """How the bot behaves in one server."""

    reply_mode: str = "reply"  # "reply" or "thread", for mentions
    default_meeting: int | None = None  # used when a question names no meeting


@dataclass(frozen=True)
class RatedQuestion:
    question: str
    up: int
    down: int

    @property
    def score(self) -> int:
        return self.up - self.down


@dataclass(frozen=True)
class Comment:
    created_at: str
    rating: int
    question: str
    comment: str


@dataclass(frozen=True)
class FeedbackSummary:
    up: int
    down: int
    worst: list[RatedQuestion] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """Feedback and per-guild settings; opens (and creates) the database lazily."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = Database(path, _SCHEMA)

    @classmethod
    def in_dir(cls, data_dir: Path) -> Store:
        return cls(data_dir / DB_NAME)

    def close(self) -> None:
        self._db.close()

    # -- feedback ---------------------------------------------------------------------------

    def record_feedback(
        self,
        *,
        question: str,
        rating: int,
        passage_ids: Iterable[str],
        user_id: int,
        guild_id: int | None,
        message_id: int | None = None,
        comment: str | None = None,
    ) -> int:
        """Store a vote (+1 / -1) and return its row id; the same user on the same answer message changes their vote."""
        if rating not in (-1, 1):
            raise ValueError(f"rating must be 1 or -1, got {rating!r}")
        ids = json.dumps(list(passage_ids))
        with self._db.write() as db:
            row = db.execute(
                "INSERT INTO feedback (created_at, question, rating, passage_ids, user_id, guild_id, message_id, comment)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (message_id, user_id) WHERE message_id IS NOT NULL DO UPDATE SET"
                " rating = excluded.rating, created_at = excluded.created_at, passage_ids = excluded.passage_ids,"
                " comment = COALESCE(excluded.comment, feedback.comment)"
                " RETURNING id",
                (_now(), question, rating, ids, user_id, guild_id, message_id, comment),
            ).fetchone()
        return int(row[0])

    def add_comment(self, feedback_id: int, comment: str) -> None:
        with self._db.write() as db:
            db.execute("UPDATE feedback SET comment = ? WHERE id = ?", (comment, feedback_id))

    def feedback(self) -> list[dict[str, object]]:
        """Every feedback row, oldest first (for export and tests)."""
        rows = self._db.read("SELECT * FROM feedback ORDER BY id")
        return [{**dict(r), "passage_ids": json.loads(r["passage_ids"])} for r in rows]

    def feedback_summary(self, *, worst: int = 5, comments: int = 10) -> FeedbackSummary:
        with self._db.write() as db:  # one snapshot for the three queries
            up, down = db.execute(
                "SELECT COALESCE(SUM(rating = 1), 0), COALESCE(SUM(rating = -1), 0) FROM feedback"
            ).fetchone()
            worst_rows = db.execute(
                "SELECT question, SUM(rating = 1), SUM(rating = -1) FROM feedback GROUP BY lower(trim(question))"
                " HAVING SUM(rating = -1) > 0 ORDER BY SUM(rating) ASC, SUM(rating = -1) DESC, MAX(id) DESC LIMIT ?",
                (worst,),
            ).fetchall()
            comment_rows = db.execute(
                "SELECT created_at, rating, question, comment FROM feedback"
                " WHERE comment IS NOT NULL AND trim(comment) != '' ORDER BY id DESC LIMIT ?",
                (comments,),
            ).fetchall()
        return FeedbackSummary(
            up=int(up),
            down=int(down),
            worst=[RatedQuestion(q, int(u), int(d)) for q, u, d in worst_rows],
            comments=[Comment(*row) for row in comment_rows],
        )

    # -- per-guild settings -----------------------------------------------------------------

    def guild_settings(self, guild_id: int | None) -> GuildSettings:
        if guild_id is None:
            return GuildSettings()
        rows = self._db.read("SELECT reply_mode, default_meeting FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return GuildSettings() if not rows else GuildSettings(reply_mode=rows[0][0], default_meeting=rows[0][1])

    def update_guild_settings(
        self,
        guild_id: int,
        *,
        reply_mode: str | None = None,
        default_meeting: int | None = None,
        clear_default_meeting: bool = False,
    ) -> GuildSettings:
        """Change the given settings (None leaves one as it is) and return the result.

        One upsert: a field not given keeps the value in the database at that moment, so two
        writers changing different settings never undo each other."""
        if reply_mode is not None and reply_mode not in REPLY_MODES:
            raise ValueError(f"reply_mode must be one of {', '.join(REPLY_MODES)}, got {reply_mode!r}")
        with self._db.write() as db:
            row = db.execute(
                "INSERT INTO guild_settings (guild_id, reply_mode, default_meeting, updated_at)"
                " VALUES (:guild, COALESCE(:mode, 'reply'), CASE WHEN :clear THEN NULL ELSE :meeting END, :now)"
                " ON CONFLICT (guild_id) DO UPDATE SET"
                " reply_mode = COALESCE(:mode, guild_settings.reply_mode),"
                " default_meeting = CASE WHEN :clear THEN NULL ELSE COALESCE(:meeting, guild_settings.default_meeting) END,"
                " updated_at = :now"
                " RETURNING reply_mode, default_meeting",
                {"guild": guild_id, "mode": reply_mode, "meeting": default_meeting, "clear": clear_default_meeting, "now": _now()},
            ).fetchone()
        return GuildSettings(reply_mode=row[0], default_meeting=row[1])


def print_feedback_summary(settings: Settings, *, as_json: bool = False, out: TextIO | None = None) -> int:
    """``cmsbot feedback``: 👍/👎 counts, the worst-rated questions and recent comments. Returns the exit code."""
    out = out if out is not None else sys.stdout
    path = settings.data_dir / DB_NAME
    if not path.is_file():
        summary = FeedbackSummary(0, 0)
    else:
        store = Store(path)
        try:
            summary = store.feedback_summary()
        except sqlite3.Error as exc:
            print(f"cmsbot feedback: cannot read {path}: {exc}", file=sys.stderr)
            return 1
        finally:
            store.close()

    if as_json:
        payload = asdict(summary)
        payload["database"] = str(path)
        json.dump(payload, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0

    total = summary.up + summary.down
    print(f"Feedback ({path}): {total} vote{'s' if total != 1 else ''} — 👍 {summary.up} · 👎 {summary.down}", file=out)
    if summary.worst:
        print("\nWorst-rated questions:", file=out)
        for item in summary.worst:
            print(f"  {item.score:+d}  (👍 {item.up} · 👎 {item.down})  {item.question}", file=out)
    if summary.comments:
        print("\nRecent comments:", file=out)
        for c in summary.comments:
            mark = "👍" if c.rating > 0 else "👎"
            print(f"  {c.created_at}  {mark}  {c.question}\n      “{c.comment}”", file=out)
    if not total:
        print("No feedback yet.", file=out)
    return 0
