"""The bot's state in SQLite, written one way (``bot.state.db.Database``: WAL, busy timeout,
single transactions of upserts):

- ``Store`` (``cmsbot.sqlite3``): 👍/👎 feedback and per-server settings;
- ``FetchStore`` (``fetch.sqlite3``): fetch state per item, announcements, channel subscriptions.

Safe to use from several threads and several processes at once.
"""

from __future__ import annotations

from bot.state.db import Database
from bot.state.feedback import DB_NAME, REPLY_MODES, FeedbackSummary, GuildSettings, Store, print_feedback_summary
from bot.state.fetch import STORE_FILENAME, FetchStore, ResourceState, Subscription

__all__ = [
    "DB_NAME",
    "REPLY_MODES",
    "STORE_FILENAME",
    "Database",
    "FeedbackSummary",
    "FetchStore",
    "GuildSettings",
    "ResourceState",
    "Store",
    "Subscription",
    "print_feedback_summary",
]
