"""Safe by default: nobody pinged, user text escaped, every embed within Discord's limits."""

from __future__ import annotations

import logging
from datetime import date

import discord
import pytest
from discord_harness import FakeAdapter, command_payload, dispatch

from bot.discord import embeds
from bot.discord.client import CmsBotBase
from bot.discord.safety import check_embed, clean_user_text, fit_content, fit_embed, truncate
from bot.model import Answer, Citation, Passage

NO_PINGS = discord.AllowedMentions.none().to_dict()
INJECTION = "@everyone @here <@&123456789012345678> <@123456789012345679> **bold** when did COP14 open?"


def huge_passage(n: int = 20_000) -> Passage:
    text = ("Parties **decide** _that_ `code` @everyone " * (n // 40))[:n]
    return Passage(
        id="documents/huge#para-1" + "x" * 150, source="documents/huge.md", kind="cop_document", title="T" * 500,
        document_title="D" * 3000, date=date(2024, 2, 12), locator="para. 1" * 100, text=text, position=0,
        url="https://example.org/" + "p" * 500, symbol="UNEP/CMS/COP14/Doc." + "9" * 300, meeting=14,
        place="Samarkand, Uzbekistan" * 30, context=None,
    )


def test_truncate() -> None:
    assert truncate("short", 10) == "short"
    cut = truncate("word " * 100, 50)
    assert len(cut) <= 50 and cut.endswith("…")
    assert truncate("**bold text that goes on and on**", 12).count("**") % 2 == 0
    assert len(fit_content("x" * 5000) or "") == 2000


def test_fit_embed_enforces_every_limit() -> None:
    embed = discord.Embed(title="t" * 1000, description="d" * 10_000)
    for i in range(40):
        embed.add_field(name="n" * 500, value="v" * 3000)
    embed.set_footer(text="f" * 5000)
    embed.set_author(name="a" * 1000)
    assert check_embed(embed)  # broken before
    fit_embed(embed)
    assert check_embed(embed) == []
    assert len(embed) <= 6000 and embed.fields  # something is still shown


def test_answer_embed_with_an_oversized_passage_and_a_10000_character_question() -> None:
    passage = huge_passage()
    citation = Citation(passage=passage, quote=passage.text, score=1.0, highlights=((0, 7), (500, 5000)))
    answer = Answer(question="why " * 2500, found=True, answer="A" * 8000, citations=(citation,) * 3,
                    looked_for="x" * 5000, note="n" * 5000, more=(citation,) * 30)
    embed = embeds.answer_embed(answer, answer.citations, pages=11)
    assert check_embed(embed) == []
    assert embed.fields[0].value.startswith("> ")


@pytest.mark.parametrize("builder", [
    lambda p: embeds.passage_embed(p),
    lambda p: embeds.passages_list_embed("Latest " * 100, [p] * 30, empty=""),
])
def test_other_embeds_with_an_oversized_passage(builder: object) -> None:
    embed = builder(huge_passage())  # type: ignore[operator]
    assert check_embed(embed) == []


def test_echoed_user_text_is_escaped() -> None:
    cleaned = clean_user_text(INJECTION, 256)
    assert "@everyone" not in cleaned and "@here" not in cleaned
    assert "\\*\\*bold\\*\\*" in cleaned
    assert len(clean_user_text("q" * 10_000, 256)) <= 256


async def test_everyone_injection_in_ask_pings_nobody(bot: CmsBotBase, adapter: FakeAdapter) -> None:
    await dispatch(bot, command_payload("ask", question=INJECTION))
    sends = [c for c in adapter.calls if not c.path.endswith("/callback")]
    assert sends and all(c.allowed_mentions == NO_PINGS for c in sends)
    (embed,) = adapter.last().embeds
    assert "@everyone" not in embed.title and "@here" not in embed.title
    assert "<@&" not in embed.title and "<@1" not in embed.title  # role and user mentions defused
    assert "\\*\\*bold\\*\\*" in embed.title


async def test_a_10000_character_question_stays_within_limits(bot: CmsBotBase, adapter: FakeAdapter) -> None:
    # Discord's client caps the option at 1000 characters; the bot must cope if it is bypassed.
    await dispatch(bot, command_payload("ask", question="When did COP14 open? " + "very " * 2000))
    call = adapter.last()
    assert call.embeds, call.content
    assert check_embed(call.embeds[0]) == []


async def test_every_reply_of_every_command_pings_nobody(bot: CmsBotBase, adapter: FakeAdapter,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    for name, options in [("search", {"query": INJECTION}), ("meeting", {"cop": "14"}), ("latest", {}),
                          ("source", {"id": INJECTION}), ("about", {}), ("meeting", {"cop": INJECTION})]:
        await dispatch(bot, command_payload(name, **options))
    sends = [c for c in adapter.calls if c.content or c.embeds]
    assert len(sends) == 6
    assert all(c.allowed_mentions == NO_PINGS for c in sends)
    assert all("@everyone" not in (c.content or "") for c in sends)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
