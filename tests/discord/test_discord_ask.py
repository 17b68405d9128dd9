from __future__ import annotations

import discord_harness as harness
from discord_harness import FakeAdapter, command_payload, dispatch

from bot.discord.client import CmsBotBase
from bot.discord.safety import check_embed


async def test_ask_defers_then_answers_with_direct_answer_and_quotes(bot: CmsBotBase, adapter: FakeAdapter) -> None:
    await dispatch(bot, command_payload("ask", question="When did COP14 open?"))
    defer = adapter.calls[0]
    assert defer.path.endswith("/callback") and defer.payload["type"] == 5  # deferred, "thinking"
    reply = adapter.last()
    (embed,) = reply.embeds
    print(embed.to_dict())
    print(reply.components)
    assert "12 February 2024" in embed.description
    assert check_embed(embed) == []
