"""SQLite under concurrency: votes and fetch state written by several processes at once, settings
by two threads at once — no "database is locked", no duplicate-vote errors, no lost update."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import date
from pathlib import Path

import pytest

from bot.fetch.report import FetchedItem
from bot.state import Database, FetchStore, Store

PROCESSES = 4
MESSAGES = 20
USERS = 2


def _vote(path: str, worker: int, barrier: object, errors: object) -> None:
    store = Store(Path(path))
    barrier.wait()  # type: ignore[attr-defined]
    try:
        for message in range(MESSAGES):
            for user in range(USERS):
                store.record_feedback(question=f"q{message}", rating=1 if (worker + message) % 2 else -1, passage_ids=["p"],
                                      user_id=user, guild_id=1, message_id=message)
    except Exception as exc:  # counted by the parent
        errors.put(f"{type(exc).__name__}: {exc}")  # type: ignore[attr-defined]
    finally:
        store.close()


def _fetch_state(path: str, worker: int, barrier: object, errors: object) -> None:
    store = FetchStore(Path(path))
    barrier.wait()  # type: ignore[attr-defined]
    try:
        for n in range(25):
            url = f"https://www.cms.int/en/news/item-{n}"  # every worker writes the same items
            item = FetchedItem(url=url, source="news", kind="news_item", path=f"fetched/news/item-{n}.md", date=date(2024, 1, 1))
            store.record(item, etag=f'"w{worker}"', last_modified=None, content_hash=str(worker))
            store.mark_announced(url)
            store.subscribe(1000 + n, 1, meeting=14)
    except Exception as exc:
        errors.put(f"{type(exc).__name__}: {exc}")  # type: ignore[attr-defined]
    finally:
        store.close()


def _run_processes(target: object, path: Path) -> list[str]:
    ctx = multiprocessing.get_context("fork")
    barrier, errors = ctx.Barrier(PROCESSES), ctx.Queue()
    workers = [ctx.Process(target=target, args=(str(path), n, barrier, errors)) for n in range(PROCESSES)]  # type: ignore[arg-type]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert [w.exitcode for w in workers] == [0] * PROCESSES
    found = []
    while not errors.empty():
        found.append(errors.get())
    return found


def test_votes_from_several_processes_each_land_once(tmp_path: Path) -> None:
    path = tmp_path / "cmsbot.sqlite3"
    Store(path).feedback()  # the schema exists before the race, as when the bot is running

    assert _run_processes(_vote, path) == []

    rows = Store(path).feedback()
    assert len(rows) == MESSAGES * USERS  # one vote per user per answer, never a duplicate-vote error
    assert len({(r["message_id"], r["user_id"]) for r in rows}) == MESSAGES * USERS


def test_processes_racing_to_create_the_database_all_succeed(tmp_path: Path) -> None:
    assert _run_processes(_vote, tmp_path / "new" / "cmsbot.sqlite3") == []


def test_fetch_state_from_several_processes(tmp_path: Path) -> None:
    path = tmp_path / "fetch.sqlite3"

    assert _run_processes(_fetch_state, path) == []

    with FetchStore(path) as store:
        assert store.pending_announcements() == []
        assert all(store.state(f"https://www.cms.int/en/news/item-{n}") is not None for n in range(25))
        assert len(store.subscriptions()) == 25


def test_two_threads_changing_different_settings_never_undo_each_other(tmp_path: Path) -> None:
    store = Store(tmp_path / "cmsbot.sqlite3")
    store.update_guild_settings(7, reply_mode="reply", default_meeting=1)
    start = threading.Barrier(2)
    rounds = 150

    def modes() -> None:
        start.wait()
        for n in range(rounds):
            assert store.update_guild_settings(7, reply_mode="thread" if n % 2 else "reply").reply_mode == ("thread" if n % 2 else "reply")

    # Two Store objects on the same file behave like two bot processes; one shared object like two tasks.
    other = Store(tmp_path / "cmsbot.sqlite3")
    threads = [threading.Thread(target=modes), threading.Thread(target=lambda: meetings_on(other, start, rounds))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = store.guild_settings(7)
    assert final.default_meeting == rounds + 1 and final.reply_mode == "thread"


def meetings_on(store: Store, start: threading.Barrier, rounds: int) -> None:
    start.wait()
    for n in range(rounds):
        assert store.update_guild_settings(7, default_meeting=n + 2).default_meeting == n + 2


def test_clearing_a_setting_and_keeping_the_other(tmp_path: Path) -> None:
    store = Store(tmp_path / "cmsbot.sqlite3")
    assert store.update_guild_settings(3, default_meeting=14).reply_mode == "reply"
    assert store.update_guild_settings(3, reply_mode="thread").default_meeting == 14
    cleared = store.update_guild_settings(3, clear_default_meeting=True)
    assert (cleared.reply_mode, cleared.default_meeting) == ("thread", None)


def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.sqlite3", "CREATE TABLE t (k INTEGER PRIMARY KEY);")
    with pytest.raises(RuntimeError):
        with db.write() as conn:
            conn.execute("INSERT INTO t VALUES (1)")
            raise RuntimeError("half-way")
    with db.write() as conn:
        conn.execute("INSERT INTO t VALUES (2)")
    assert [r[0] for r in db.read("SELECT k FROM t")] == [2]
    db.close()
