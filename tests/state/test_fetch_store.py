"""FetchStore: created on first use in WAL mode; subscriptions; announcements."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from bot.fetch import FetchedItem, FetchStore, Subscription


def _item(slug: str, *, meeting: int | None = 14, kind: str = "press_release") -> FetchedItem:
    return FetchedItem(url=f"https://www.cms.int/en/news/{slug}", source="cms-news", kind=kind,
                       path=f"fetched/cms-news/{slug}.md", title=slug.title(), date=date(2024, 2, 12), meeting=meeting)


def test_created_on_first_use_in_wal_mode(tmp_path: Path) -> None:
    with FetchStore.in_data_dir(tmp_path / "new" / "data") as store:
        assert store.path == tmp_path / "new" / "data" / "fetch.sqlite3"
    assert store.path.is_file()
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_subscribe_replace_list_and_unsubscribe(tmp_path: Path) -> None:
    with FetchStore(tmp_path / "fetch.sqlite3") as store:
        assert store.subscribe(1, 100) == Subscription(1, 100, None, None)
        store.subscribe(2, 100, meeting=14, kind="cop_document")
        store.subscribe(3, 200, kind="press_release")
        store.subscribe(1, 100, meeting=15)  # replaces channel 1's filter
    with FetchStore(tmp_path / "fetch.sqlite3") as store:  # persisted
        assert store.subscriptions() == [
            Subscription(1, 100, 15, None), Subscription(2, 100, 14, "cop_document"), Subscription(3, 200, None, "press_release"),
        ]
        assert [s.channel_id for s in store.subscriptions(guild_id=100)] == [1, 2]
        assert store.unsubscribe(2) is True
        assert store.unsubscribe(2) is False
        assert [s.channel_id for s in store.subscriptions()] == [1, 3]


def test_recipients_follow_meeting_and_kind_filters(tmp_path: Path) -> None:
    with FetchStore(tmp_path / "fetch.sqlite3") as store:
        store.subscribe(1, 100)
        store.subscribe(2, 100, meeting=14)
        store.subscribe(3, 100, meeting=15)
        store.subscribe(4, 100, kind="cop_document")
        assert [s.channel_id for s in store.recipients(_item("cop14-closes"))] == [1, 2]
        assert [s.channel_id for s in store.recipients(_item("doc-31", kind="cop_document"))] == [1, 2, 4]
        assert [s.channel_id for s in store.recipients(_item("undated", meeting=None))] == [1]


@pytest.mark.parametrize(("meeting", "kind"), [(None, "article"), (0, None), ("COP14", None)])
def test_subscribe_rejects_bad_filters(tmp_path: Path, meeting: object, kind: str | None) -> None:
    with FetchStore(tmp_path / "fetch.sqlite3") as store, pytest.raises(ValueError):
        store.subscribe(1, 100, meeting=meeting, kind=kind)  # type: ignore[arg-type]


def test_pending_announcements_once_and_deduplicated(tmp_path: Path) -> None:
    a, b = _item("a"), _item("b")
    with FetchStore(tmp_path / "fetch.sqlite3") as store:
        assert store.pending_announcements([a, b, a]) == [a, b]
        store.mark_announced(a.url)
        store.mark_announced(a.url)  # idempotent
        assert store.pending_announcements([a, b]) == [b]
        assert store.is_announced(a.url) and not store.is_announced(b.url)
    with FetchStore(tmp_path / "fetch.sqlite3") as store:
        assert store.pending_announcements([a, b]) == [b]


def test_recorded_items_round_trip(tmp_path: Path) -> None:
    item = _item("cop14-closes")
    with FetchStore(tmp_path / "fetch.sqlite3") as store:
        store.record(item, etag='"v1"', last_modified=None, content_hash="abc")
        assert store.item(item.url) == item
        state = store.state(item.url)
        assert state is not None and (state.etag, state.hash, state.path) == ('"v1"', "abc", item.path)
        assert store.path_owner(item.path) == item.url
        store.touch(item.url, etag='"v2"')
        assert store.state(item.url).etag == '"v2"'  # type: ignore[union-attr]
        assert store.pending_announcements() == [item]
