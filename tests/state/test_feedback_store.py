from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from bot.config import Settings
from bot.state.feedback import DB_NAME, GuildSettings, Store, print_feedback_summary


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.in_dir(tmp_path / "data" / "nested")
    yield s
    s.close()


def test_data_dir_created_on_first_use_in_wal_mode(tmp_path: Path) -> None:
    data = tmp_path / "fresh"
    store = Store.in_dir(data)
    assert not data.exists()  # nothing happens until the store is used
    store.guild_settings(1)
    assert (data / DB_NAME).is_file()
    mode = sqlite3.connect(data / DB_NAME).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    store.close()


def test_feedback_is_stored_with_question_passages_user_guild_and_time(store: Store) -> None:
    fid = store.record_feedback(
        question="When did COP14 open?", rating=1, passage_ids=["press/a#para-1", "documents/b#para-8"],
        user_id=42, guild_id=7, message_id=100,
    )
    store.add_comment(fid, "spot on")
    (row,) = store.feedback()
    assert row["question"] == "When did COP14 open?"
    assert row["passage_ids"] == ["press/a#para-1", "documents/b#para-8"]
    assert (row["user_id"], row["guild_id"], row["rating"], row["comment"]) == (42, 7, 1, "spot on")
    assert row["created_at"].endswith("+00:00")


def test_a_second_click_changes_the_vote_instead_of_adding_one(store: Store) -> None:
    first = store.record_feedback(question="q", rating=1, passage_ids=[], user_id=1, guild_id=None, message_id=5)
    second = store.record_feedback(question="q", rating=-1, passage_ids=[], user_id=1, guild_id=None, message_id=5)
    assert first == second
    assert [r["rating"] for r in store.feedback()] == [-1]
    store.record_feedback(question="q", rating=1, passage_ids=[], user_id=2, guild_id=None, message_id=5)
    assert len(store.feedback()) == 2


def test_rating_must_be_a_thumb(store: Store) -> None:
    with pytest.raises(ValueError):
        store.record_feedback(question="q", rating=0, passage_ids=[], user_id=1, guild_id=None)


def test_summary_counts_worst_questions_and_recent_comments(store: Store) -> None:
    for user, rating in enumerate([1, 1, -1]):
        store.record_feedback(question="Who is the press contact?", rating=rating, passage_ids=[], user_id=user, guild_id=1)
    for user in range(3):
        store.record_feedback(question="What is the Bull ray?", rating=-1, passage_ids=[], user_id=user, guild_id=1,
                              comment="wrong passage" if user == 0 else None)
    summary = store.feedback_summary()
    assert (summary.up, summary.down) == (2, 4)
    assert [w.question for w in summary.worst] == ["What is the Bull ray?", "Who is the press contact?"]
    assert summary.worst[0].score == -3
    assert [c.comment for c in summary.comments] == ["wrong passage"]


def test_guild_settings_default_update_and_clear(store: Store) -> None:
    assert store.guild_settings(9) == GuildSettings("reply", None)
    assert store.guild_settings(None) == GuildSettings()
    assert store.update_guild_settings(9, reply_mode="thread") == GuildSettings("thread", None)
    assert store.update_guild_settings(9, default_meeting=14) == GuildSettings("thread", 14)
    assert store.guild_settings(9) == GuildSettings("thread", 14)
    assert store.update_guild_settings(9, clear_default_meeting=True) == GuildSettings("thread", None)
    with pytest.raises(ValueError):
        store.update_guild_settings(9, reply_mode="shout")


def test_print_feedback_summary_text_and_json(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d")
    out = io.StringIO()
    assert print_feedback_summary(settings, out=out) == 0
    assert "No feedback yet." in out.getvalue()
    assert not (tmp_path / "d").exists()  # reading a summary creates nothing

    store = Store.in_dir(settings.data_dir)
    store.record_feedback(question="When did COP14 open?", rating=-1, passage_ids=["x"], user_id=1, guild_id=2,
                          comment="too long")
    store.record_feedback(question="When did COP14 open?", rating=1, passage_ids=["x"], user_id=3, guild_id=2)
    store.close()

    out = io.StringIO()
    assert print_feedback_summary(settings, out=out) == 0
    text = out.getvalue()
    assert "👍 1 · 👎 1" in text and "When did COP14 open?" in text and "too long" in text

    out = io.StringIO()
    assert print_feedback_summary(settings, as_json=True, out=out) == 0
    data = json.loads(out.getvalue())
    assert (data["up"], data["down"]) == (1, 1)
    assert data["comments"][0]["comment"] == "too long"
