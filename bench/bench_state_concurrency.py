"""SQLite under concurrency, measured: duplicate-vote errors across processes, lost settings updates
across threads, "database is locked" across fetch-state writers.

    .venv/bin/python bench/bench_state_concurrency.py                      # this checkout (bot.state)
    PYTHONPATH=/path/to/old/checkout .venv/bin/python bench/bench_state_concurrency.py   # an older one (bot.store)

Prints: votes tried / errors / rows (expected rows), settings updates / lost, fetch writes / errors.
"""

from __future__ import annotations

import multiprocessing
import sys
import tempfile
import threading
from datetime import date
from pathlib import Path

try:
    from bot.state import FetchStore, Store
except ImportError:  # a checkout from before bot.state
    from bot.fetch.store import FetchStore  # type: ignore[no-redef]
    from bot.store import Store  # type: ignore[no-redef]
from bot.fetch.report import FetchedItem

PROCESSES, MESSAGES, USERS, ROUNDS = 16, 100, 1, 300


def vote(path: str, worker: int, barrier: object, errors: object) -> None:
    store = Store(Path(path))
    barrier.wait()  # type: ignore[attr-defined]
    for message in range(MESSAGES):
        try:
            store.record_feedback(question="q", rating=1, passage_ids=[], user_id=0, guild_id=1, message_id=message)
        except Exception as exc:
            errors.put(type(exc).__name__)  # type: ignore[attr-defined]


def fetch_writes(path: str, worker: int, barrier: object, errors: object) -> None:
    store = FetchStore(Path(path))
    barrier.wait()  # type: ignore[attr-defined]
    for n in range(MESSAGES):
        try:
            url = f"https://www.cms.int/en/news/{n}"
            store.record(FetchedItem(url=url, source="s", kind="press_release", path=f"f/{n}.md", date=date(2024, 1, 1)),
                         etag=None, last_modified=None, content_hash=str(worker))
            store.mark_announced(url)
        except Exception as exc:
            errors.put(type(exc).__name__)  # type: ignore[attr-defined]


def race(target: object, path: Path) -> int:
    ctx = multiprocessing.get_context("fork")
    barrier, errors = ctx.Barrier(PROCESSES), ctx.Queue()
    procs = [ctx.Process(target=target, args=(str(path), n, barrier, errors)) for n in range(PROCESSES)]  # type: ignore[arg-type]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    count = 0
    while not errors.empty():
        errors.get()
        count += 1
    return count


def lost_updates(path: Path) -> int:
    """Two threads, each changing its own setting ROUNDS times; a write that undid the other's counts."""
    store_a, store_b = Store(path), Store(path)
    store_a.update_guild_settings(7, reply_mode="reply", default_meeting=1)
    start = threading.Barrier(2)
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show up in a short run
    lost = 0
    lock = threading.Lock()

    def modes() -> None:
        nonlocal lost
        start.wait()
        for n in range(ROUNDS):
            before = store_a.guild_settings(7).default_meeting
            after = store_a.update_guild_settings(7, reply_mode="thread" if n % 2 else "reply").default_meeting
            with lock:
                lost += after is not None and before is not None and after < before

    def meetings() -> None:
        start.wait()
        for n in range(ROUNDS):
            store_b.update_guild_settings(7, default_meeting=n + 2)

    threads = [threading.Thread(target=modes), threading.Thread(target=meetings)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sys.setswitchinterval(0.005)
    final = store_a.guild_settings(7).default_meeting
    return lost + (final != ROUNDS + 1)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        votes = Path(tmp) / "votes.sqlite3"
        errors = race(vote, votes)
        rows = len(Store(votes).feedback())
        print(f"votes: {PROCESSES * MESSAGES} tried by {PROCESSES} processes, {errors} errors, {rows} rows (expected {MESSAGES * USERS})")
        print(f"settings: {ROUNDS} + {ROUNDS} updates by 2 threads, {lost_updates(Path(tmp) / 'settings.sqlite3')} lost")
        fetch = Path(tmp) / "fetch.sqlite3"
        print(f"fetch state: {PROCESSES * MESSAGES * 2} writes by {PROCESSES} processes, {race(fetch_writes, fetch)} errors")


if __name__ == "__main__":
    main()
