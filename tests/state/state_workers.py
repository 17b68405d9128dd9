"""Worker processes for the concurrency tests: light imports (bot.state only), so spawning is quick."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.state import FetchStore, Store

MESSAGES = 20
USERS = 2
ITEMS = 25


@dataclass(frozen=True)
class Item:
    """What FetchStore.record reads of a fetched item (bot.fetch.report.FetchedItem's fields)."""

    url: str
    source: str
    kind: str
    path: str
    title: str | None = None
    date: date | None = None
    meeting: int | None = None


def vote(path: str, worker: int, barrier: Any, errors: Any) -> None:
    store = Store(Path(path))
    barrier.wait()
    try:
        for message in range(MESSAGES):
            for user in range(USERS):
                store.record_feedback(question=f"q{message}", rating=1 if (worker + message) % 2 else -1, passage_ids=["p"],
                                      user_id=user, guild_id=1, message_id=message)
    except Exception as exc:  # counted by the parent
        errors.put(f"{type(exc).__name__}: {exc}")
    finally:
        store.close()


def fetch_state(path: str, worker: int, barrier: Any, errors: Any) -> None:
    store = FetchStore(Path(path))
    barrier.wait()
    try:
        for n in range(ITEMS):
            url = f"https://www.cms.int/en/news/item-{n}"  # every worker writes the same items
            store.record(Item(url=url, source="news", kind="news_item", path=f"fetched/news/item-{n}.md", date=date(2024, 1, 1)),  # type: ignore[arg-type]
                         etag=f'"w{worker}"', last_modified=None, content_hash=str(worker))
            store.mark_announced(url)
            store.subscribe(1000 + n, 1, meeting=14)
    except Exception as exc:
        errors.put(f"{type(exc).__name__}: {exc}")
    finally:
        store.close()
