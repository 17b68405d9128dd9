"""Mentions and DMs through dpytest, with the bot's real intents (no message-content intent).

dpytest delivers message content whatever the intents say; so does Discord for the two kinds
of message the bot reads (those that mention it, and DMs). The tests check the bot asks for no
privileged intent and ignores messages that are not addressed to it.

One dpytest wrinkle: it builds messages from *cached* members, and without the members intent
discord.py caches none. The fixture keeps the bot's real intents and turns on member caching in
dpytest's fake connection state only (Discord sends message authors inline, so the real bot needs
no cache).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from typing import Any

import discord
import discord.ext.test as dpytest
import discord.ext.test.backend as backend
import pytest

from bot.config import Settings
from bot.discord.client import APOLOGY, SingleShardCmsBot
from bot.discord.cogs.mentions import HELP
from bot.discord.safety import check_embed
from bot.engine import Engine
from bot.state.feedback import Store
from bot.model import passage_ref



def pings_nobody(payload: dict[str, Any]) -> bool:
    allowed = payload["allowed_mentions"]
    return allowed["parse"] == [] and not allowed.get("users") and not allowed.get("roles") \
        and allowed.get("replied_user", False) is False


@pytest.fixture
async def mbot(settings: Settings, engine: Engine, store: Store) -> AsyncIterator[SingleShardCmsBot]:
    client = SingleShardCmsBot(settings=settings, engine=engine, store=store)
    await client._async_setup_hook()
    await client.setup_hook()
    dpytest.configure(client, members=0)
    state = backend.get_state()
    state.member_cache_flags = discord.MemberCacheFlags.all()  # dpytest only; see the module docstring
    state.loop = asyncio.get_running_loop()  # dpytest leaves it unset; discord.py's typing() needs it
    config = dpytest.get_config()
    for guild in config.guilds:
        backend.make_member(state.user, guild, nick="cmsbot")
        for number in range(2):
            config.members.append(backend.make_member(backend.make_user(f"Reporter{number}", f"{number + 1:04}"), guild))
    yield client
    await dpytest.empty_queue()


@pytest.fixture
def sent(mbot: SingleShardCmsBot, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every message payload the bot sends (dpytest keeps only what it renders, not allowed_mentions)."""
    payloads: list[dict[str, Any]] = []
    original = mbot.http.send_message

    async def spy(channel_id: int, *, params: Any) -> Any:
        payloads.append(params.payload)
        channel = sys._getframe(1).f_locals["channel"]  # noqa: F841 — dpytest finds the channel in its caller's locals
        return await original(channel_id, params=params)

    monkeypatch.setattr(mbot.http, "send_message", spy)
    return payloads


def mention(client: discord.Client, text: str) -> str:
    return f"<@{client.user.id}> {text}"  # type: ignore[union-attr]


async def test_the_bot_asks_for_no_privileged_intent(mbot: SingleShardCmsBot) -> None:
    assert mbot.intents.message_content is False
    assert mbot.intents.members is False and mbot.intents.presences is False
    assert mbot.intents.guild_messages and mbot.intents.dm_messages


async def test_a_mention_gets_the_same_answer_as_ask(mbot: SingleShardCmsBot, sent: list[dict[str, Any]],
                                                     engine: Engine) -> None:
    await dpytest.message(mention(mbot, "when did COP14 open?"))
    reply = dpytest.get_message()
    (embed,) = reply.embeds
    assert embed.title == "when did COP14 open?"  # the mention is stripped from the question
    assert "12 February 2024" in embed.description
    expected = await engine.ask_async("when did COP14 open?")
    assert [passage_ref(c.passage.id) for c in expected.citations] == [f.value.rsplit("`", 2)[-2] for f in embed.fields]
    (payload,) = sent
    assert pings_nobody(payload)
    assert payload["message_reference"]["message_id"]  # a reply to the question
    assert payload["components"]  # with the buttons


async def test_a_follow_up_is_read_in_its_askers_context_only(mbot: SingleShardCmsBot) -> None:
    config = dpytest.get_config()
    first, other = config.members[0], config.members[1] if len(config.members) > 1 else None
    await dpytest.message(mention(mbot, "when did COP14 open?"), member=first)
    dpytest.get_message()
    await dpytest.message(mention(mbot, "and when did it close?"), member=first)
    (embed,) = dpytest.get_message().embeds
    assert "17 February 2024" in embed.description and "from your last question" in embed.description
    if other is not None:  # another user's follow-up does not see the first user's context
        await dpytest.message(mention(mbot, "and when did it close?"), member=other)
        (embed,) = dpytest.get_message().embeds
        assert "from your last question" not in (embed.description or "")


async def test_a_dm_gets_an_answer(mbot: SingleShardCmsBot) -> None:
    member = dpytest.get_config().members[0]
    dm = await member.create_dm()
    await dpytest.message("Who is the press contact?", channel=dm, member=member)
    (embed,) = dpytest.get_message().embeds
    shown = "\n".join([embed.description or "", *(f.value or "" for f in embed.fields)])
    assert "Aydin Bahramlouian" in shown and "press@cms.int" in shown


async def test_messages_not_addressed_to_the_bot_are_ignored(mbot: SingleShardCmsBot) -> None:
    await dpytest.message("when did COP14 open?")
    await dpytest.message("@everyone when did COP14 open?")
    assert dpytest.verify().message().nothing()


async def test_a_bare_mention_gets_help(mbot: SingleShardCmsBot) -> None:
    await dpytest.message(mention(mbot, "  "))
    assert dpytest.verify().message().content(HELP)


async def test_everyone_injection_in_a_mention_pings_nobody(mbot: SingleShardCmsBot,
                                                            sent: list[dict[str, Any]]) -> None:
    member = dpytest.get_config().members[1]
    await dpytest.message(mention(mbot, f"@everyone @here <@{member.id}> **when** did COP14 open?"))
    (embed,) = dpytest.get_message().embeds
    assert "@everyone" not in embed.title and "@here" not in embed.title and f"<@{member.id}>" not in embed.title
    assert "\\*\\*when\\*\\*" in embed.title
    assert sent and all(pings_nobody(p) for p in sent)


async def test_a_10000_character_mention_stays_within_limits(mbot: SingleShardCmsBot) -> None:
    await dpytest.message(mention(mbot, "when did COP14 open? " + "x" * 10_000))
    (embed,) = dpytest.get_message().embeds
    assert check_embed(embed) == []


async def test_mentions_share_the_question_cooldown(mbot: SingleShardCmsBot, sent: list[dict[str, Any]]) -> None:
    for _ in range(5):
        await dpytest.message(mention(mbot, "when did COP14 open?"))
    assert all(p.get("embeds") for p in sent)
    await dpytest.message(mention(mbot, "when did COP14 open?"))
    assert "please wait" in sent[-1]["content"] and pings_nobody(sent[-1])


async def test_thread_mode_answers_in_a_new_thread(mbot: SingleShardCmsBot, store: Store,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    guild = dpytest.get_config().guilds[0]
    store.update_guild_settings(guild.id, reply_mode="thread")
    threads: list[dict[str, Any]] = []

    class FakeThread:
        def __init__(self, name: str) -> None:
            self.id = 4242  # a thread is a channel of its own
            self.record: dict[str, Any] = {"name": name}
            threads.append(self.record)

        async def send(self, **kwargs: Any) -> discord.Message:
            self.record.update(kwargs)
            return dpytest.get_config().channels[0].last_message  # any message will do as the anchor

    async def create_thread(message: discord.Message, *, name: str, **kwargs: Any) -> FakeThread:
        return FakeThread(name)

    monkeypatch.setattr(discord.Message, "create_thread", create_thread)
    await dpytest.message(mention(mbot, "@everyone when did COP14 open?"))
    (thread,) = threads
    assert thread["name"] == "@\u200beveryone when did COP14 open?"
    assert "12 February 2024" in thread["embed"].description
    assert pings_nobody({"allowed_mentions": thread["allowed_mentions"].to_dict()})
    assert dpytest.verify().message().nothing()  # nothing in the channel itself


async def test_thread_mode_falls_back_to_a_reply_when_no_thread_can_be_opened(
    mbot: SingleShardCmsBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.update_guild_settings(dpytest.get_config().guilds[0].id, reply_mode="thread")

    async def create_thread(message: discord.Message, **kwargs: Any) -> Any:
        raise discord.Forbidden(type("R", (), {"status": 403, "reason": "Forbidden"})(), "Missing Permissions")

    monkeypatch.setattr(discord.Message, "create_thread", create_thread)
    await dpytest.message(mention(mbot, "when did COP14 open?"))
    assert "12 February 2024" in dpytest.get_message().embeds[0].description


async def test_an_error_gets_an_apology_and_a_log_line(mbot: SingleShardCmsBot, engine: Engine,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    class Broken:
        meetings = engine.meetings

        async def ask_async(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("index exploded")

    mbot.engine = Broken()  # type: ignore[assignment]
    await dpytest.message(mention(mbot, "when did COP14 open?"))
    assert dpytest.verify().message().content(APOLOGY)
    assert "index exploded" in caplog.text
    assert any(r.levelno == logging.ERROR and r.exc_info for r in caplog.records)
    mbot.engine = engine
    await dpytest.message(mention(mbot, "when did COP14 open?"))
    assert dpytest.get_message().embeds
