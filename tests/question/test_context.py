"""Follow-up questions read in their conversation's context."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from bot.cms.meetings import MeetingRegistry
from bot.question.context import CONTEXT_TTL_SECONDS, Context, Conversations, is_follow_up, resolve
from bot.question.query import parse_question

MEETINGS = MeetingRegistry.load(Path(__file__).resolve().parents[2] / "corpus" / "meetings.yaml")
COP14 = Context(question="When did COP14 open?", meetings=(14,), source="press/x.md", subject=(), at=time.monotonic())


def setup_function() -> None:
    global COP14
    COP14 = replace(COP14, at=time.monotonic())  # each test starts with a fresh context


def test_what_is_a_follow_up() -> None:
    for text in ("and when did it close?", "who opened it?", "what about COP13?", "tell me more", "where was that?"):
        assert is_follow_up(parse_question(text, MEETINGS)), text
    for text in ("When did COP13 close?", "Who is Stanley Johnson?", "UNEP/CMS/COP14/Doc.19 date"):
        assert not is_follow_up(parse_question(text, MEETINGS)), text


def test_a_follow_up_takes_the_meeting_and_says_so() -> None:
    follow = resolve("and when did it close?", COP14, MEETINGS)
    assert follow.query.meetings == (14,) and follow.query.about_meeting
    assert follow.taken is not None and "COP14" in follow.taken


def test_what_about_asks_the_last_question_of_another_meeting() -> None:
    follow = resolve("what about COP13?", COP14, MEETINGS)
    assert follow.query.meetings == (13,) and follow.query.qtype == "when"


def test_a_person_carries_over_even_with_a_meeting_named() -> None:
    johnson = replace(COP14, question="Who is Stanley Johnson?", meetings=(), subject=("stanley", "johnson"))
    follow = resolve("what did he do at cop11", johnson, MEETINGS)
    assert follow.query.meetings == (11,) and {"stanley", "johnson"} <= set(follow.query.content_terms)


def test_no_context_when_expired_or_for_a_self_contained_question() -> None:
    old = replace(COP14, at=time.monotonic() - CONTEXT_TTL_SECONDS - 1)
    assert resolve("and when did it close?", old, MEETINGS).taken is None
    assert resolve("When did COP11 open?", COP14, MEETINGS).taken is None


def test_conversations_are_kept_apart_and_expire() -> None:
    store = Conversations(ttl=60, limit=2)
    fresh = replace(COP14, at=time.monotonic())
    store.set((1, 10), fresh)
    assert store.get((1, 10)) is fresh and store.get((2, 10)) is None
    store.set((1, 11), fresh)
    store.set((1, 12), fresh)
    assert len(store) == 2 and store.get((1, 10)) is None  # the oldest went first
    store.set((3, 3), replace(COP14, at=time.monotonic() - 61))
    assert store.get((3, 3)) is None
