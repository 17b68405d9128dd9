"""Cooldown, error handling, /reindex (live, while questions arrive) and /settings."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

import discord_harness as harness
import pytest
from discord_harness import FakeAdapter, command_payload, dispatch

from bot.discord.client import APOLOGY, CmsBotBase
from bot.engine import Engine
from bot.state.feedback import GuildSettings, Store

MANAGER = harness.SEND | harness.MANAGE_GUILD


class GatedRebuild:
    """The real engine, whose rebuild blocks (in the executor thread) until the test opens the gate."""

    def __init__(self, engine: Engine, result: Any) -> None:
        self._engine = engine
        self._result = result
        self.started = threading.Event()
        self.gate = threading.Event()
        self.asked: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)

    async def ask_async(self, question: str, **kwargs: Any) -> Any:
        self.asked.append(question)
        return await self._engine.ask_async(question, **kwargs)

    def rebuild(self) -> Any:
        self.started.set()
        if not self.gate.wait(timeout=10):
            raise TimeoutError("test gate never opened")
        return self._result


class Broken:
    def __getattr__(self, name: str) -> Any:
        raise RuntimeError("index exploded")


async def test_cooldown_after_five_questions_with_a_friendly_private_message(bot: CmsBotBase,
                                                                            adapter: FakeAdapter) -> None:
    for _ in range(5):
        await dispatch(bot, command_payload("ask", question="When did COP14 open?"))
    assert len([c for c in adapter.calls if c.embeds]) == 5
    adapter.calls.clear()
    await dispatch(bot, command_payload("ask", question="When did COP14 open?"))
    (call,) = adapter.calls
    assert call.ephemeral and "please wait" in call.content
    # /search draws on the same allowance; another user is unaffected.
    await dispatch(bot, command_payload("search", query="lynx"))
    assert "please wait" in adapter.calls[-1].content
    await dispatch(bot, command_payload("ask", question="When did COP14 open?", user_id=harness.STAFF_ID))
    assert adapter.last().embeds


async def test_the_cooldown_follows_settings(bot: CmsBotBase, adapter: FakeAdapter) -> None:
    assert (bot.limiter.rate, bot.limiter.per) == (bot.settings.cooldown_rate, bot.settings.cooldown_seconds)


async def test_an_error_is_apologised_for_logged_and_the_bot_carries_on(
    bot: CmsBotBase, adapter: FakeAdapter, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    bot.engine = Broken()  # type: ignore[assignment]
    await dispatch(bot, command_payload("about"))
    (call,) = adapter.calls
    assert call.ephemeral and call.content == APOLOGY
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "/about" in record.getMessage() and record.exc_info is not None
    assert "index exploded" in caplog.text  # the traceback is in the log

    bot.engine = engine
    await dispatch(bot, command_payload("about"))
    assert adapter.last().embeds


async def test_an_error_after_deferring_is_apologised_for_in_a_followup(
    bot: CmsBotBase, adapter: FakeAdapter, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    class FailingAsk(GatedRebuild):
        async def ask_async(self, question: str, **kwargs: Any) -> Any:
            raise ValueError("boom")

    bot.engine = FailingAsk(engine, None)  # type: ignore[assignment]
    await dispatch(bot, command_payload("ask", question="When did COP14 open?"))
    assert adapter.calls[0].payload["type"] == 5
    last = adapter.calls[-1]
    assert last.method == "POST" and last.ephemeral and last.content == APOLOGY
    assert "boom" in caplog.text


async def test_reindex_is_for_staff_only(bot: CmsBotBase, adapter: FakeAdapter, engine: Engine) -> None:
    gated = GatedRebuild(engine, engine)
    bot.engine = gated  # type: ignore[assignment]
    await dispatch(bot, command_payload("reindex"))
    (call,) = adapter.calls
    assert call.ephemeral and "Manage Server" in call.content
    assert not gated.started.is_set()


async def test_reindex_by_a_manager_rebuilds_and_reports_counts(bot: CmsBotBase, adapter: FakeAdapter,
                                                                engine: Engine) -> None:
    await dispatch(bot, command_payload("reindex", permissions=MANAGER))
    assert adapter.calls[0].payload == {"type": 5, "data": {"flags": 64}}  # private "thinking…"
    report = adapter.last()
    assert report.ephemeral
    stats = engine.stats()
    assert f"Documents: {stats.documents} → {stats.documents}" in report.content
    assert f"Passages: {stats.passages} → {stats.passages}" in report.content
    assert "No problems." in report.content
    assert bot.engine is not engine and isinstance(bot.engine, Engine)  # swapped


async def test_questions_are_answered_from_the_old_engine_while_a_slow_reindex_runs(
    bot: CmsBotBase, adapter: FakeAdapter, engine: Engine
) -> None:
    new_engine = object.__new__(type("NewEngine", (GatedRebuild,), {}))
    new_engine.__init__(engine, None)  # a distinguishable engine to swap in
    old = GatedRebuild(engine, new_engine)
    bot.engine = old  # type: ignore[assignment]
    loop = asyncio.get_running_loop()

    # The owner (no Manage Server, but in CMSBOT_OWNER_IDS) starts a reindex; it blocks in the executor.
    reindex = asyncio.ensure_future(dispatch(bot, command_payload("reindex", user_id=harness.STAFF_ID)))
    assert await loop.run_in_executor(None, old.started.wait, 10)
    assert bot.reindex_lock.locked()

    # Questions arrive meanwhile and are answered, by the old engine, while the event loop stays free.
    for question in ("When did COP14 open?", "Who is the press contact?"):
        await dispatch(bot, command_payload("ask", question=question))
        assert "couldn't find" not in adapter.last().embeds[0].description
    assert old.asked == ["When did COP14 open?", "Who is the press contact?"]
    assert bot.engine is old

    # A second reindex meanwhile is refused politely.
    await dispatch(bot, command_payload("reindex", permissions=MANAGER))
    assert "already running" in adapter.last().content

    old.gate.set()
    await reindex
    assert bot.engine is new_engine
    assert "Documents:" in adapter.last().content and adapter.last().ephemeral
    await dispatch(bot, command_payload("ask", question="When did COP14 open?"))
    assert new_engine.asked == ["When did COP14 open?"]


async def test_reindex_reports_problems(bot: CmsBotBase, adapter: FakeAdapter, engine: Engine) -> None:
    class WithProblems(GatedRebuild):
        problems = ["news/broken.html: no date found", "press/empty.md: empty file"]

    result = WithProblems(engine, None)
    gated = GatedRebuild(engine, result)
    gated.gate.set()
    bot.engine = gated  # type: ignore[assignment]
    await dispatch(bot, command_payload("reindex", permissions=MANAGER))
    report = adapter.last().content
    assert "Problems (2):" in report and "news/broken.html: no date found" in report


async def test_settings_is_for_managers_and_stores_reply_mode_and_default_meeting(
    bot: CmsBotBase, adapter: FakeAdapter, store: Store
) -> None:
    await dispatch(bot, command_payload("settings", reply_mode="thread"))
    assert "Manage Server" in adapter.last().content
    assert store.guild_settings(harness.GUILD_ID) == GuildSettings()

    await dispatch(bot, command_payload("settings", permissions=MANAGER, reply_mode="thread", default_meeting="Quito"))
    call = adapter.last()
    assert call.ephemeral and "thread" in call.content and "COP11" in call.content
    assert store.guild_settings(harness.GUILD_ID) == GuildSettings("thread", 11)

    await dispatch(bot, command_payload("settings", permissions=MANAGER))
    assert "COP11" in adapter.last().content  # shows the current settings

    await dispatch(bot, command_payload("settings", permissions=MANAGER, default_meeting="none"))
    assert store.guild_settings(harness.GUILD_ID) == GuildSettings("thread", None)

    await dispatch(bot, command_payload("settings", permissions=MANAGER, default_meeting="Atlantis"))
    assert "Atlantis" in adapter.last().content
    assert store.guild_settings(harness.GUILD_ID) == GuildSettings("thread", None)


async def test_settings_in_a_dm_is_refused(bot: CmsBotBase, adapter: FakeAdapter) -> None:
    await dispatch(bot, command_payload("settings", guild=False, user_id=harness.STAFF_ID, reply_mode="thread"))
    assert adapter.last().ephemeral and "server" in adapter.last().content
