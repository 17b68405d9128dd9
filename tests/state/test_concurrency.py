"""SQLite under concurrency: votes and fetch state written by several processes at once, settings
by two threads at once — no "database is locked", no duplicate-vote errors, no lost update."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from bot.state import Database, FetchStore, Store
from state_workers import ITEMS, MESSAGES, USERS, fetch_state, vote

PROCESSES = 4


def _run_processes(target: object, path: Path) -> list[str]:
    ctx = multiprocessing.get_context("spawn")  # not fork: a forked child can inherit a lock held by a thread of the test run
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

    assert _run_processes(vote, path) == []

    rows = Store(path).feedback()
    assert len(rows) == MESSAGES * USERS  # one vote per user per answer, never a duplicate-vote error
    assert len({(r["message_id"], r["user_id"]) for r in rows}) == MESSAGES * USERS


def test_processes_racing_to_create_the_database_all_succeed(tmp_path: Path) -> None:
    assert _run_processes(vote, tmp_path / "new" / "cmsbot.sqlite3") == []


def test_fetch_state_from_several_processes(tmp_path: Path) -> None:
    path = tmp_path / "fetch.sqlite3"

    assert _run_processes(fetch_state, path) == []

    with FetchStore(path) as store:
        assert store.pending_announcements() == []
        assert all(store.state(f"https://www.cms.int/en/news/item-{n}") is not None for n in range(ITEMS))
        assert len(store.subscriptions()) == ITEMS


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
