"""``/ask``: a question in, one embed out — direct answer, cited quotes, buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.text.i18n import N_
from bot.discord.client import question_cooldown, send_ephemeral
from bot.discord.options import KIND_CHOICES, OptionError, meeting_autocomplete, parse_meeting
from bot.discord.safety import no_mentions
from bot.discord.views import AnswerView

if TYPE_CHECKING:
    from bot.discord.client import CmsBotBase
    from bot.model import Answer

#: Longer questions are cut before searching: nobody asks 1000 characters, and it bounds the work.
MAX_QUESTION = 1000


async def answer_question(
    bot: CmsBotBase,
    question: str,
    *,
    meeting: int | None = None,
    kind: str | None = None,
    guild_id: int | None = None,
) -> Answer:
    """Ask the engine (in an executor), applying the server's default meeting when the question names none."""
    question = " ".join(question.split())[:MAX_QUESTION]
    engine = bot.engine  # one engine for the whole question, even if /reindex swaps it meanwhile
    if meeting is None and guild_id is not None and bot.store is not None:
        default = bot.store.guild_settings(guild_id).default_meeting
        if default is not None and engine.meetings.resolve(question) is None:
            meeting = default
    return await engine.ask_async(question, meeting=meeting, kind=kind)


class Ask(commands.Cog):
    def __init__(self, bot: CmsBotBase) -> None:
        self.bot = bot

    @app_commands.command(name="ask", description=N_("Ask about a CMS Conference of the Parties; answers quote the sources."))
    @app_commands.describe(
        question=N_("Your question, e.g. “When did COP14 open?”"),
        meeting=N_("Limit to one COP (number or host city)"),
        kind=N_("Limit to one kind of source"),
    )
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @app_commands.choices(kind=KIND_CHOICES)
    @question_cooldown()
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, MAX_QUESTION],
        meeting: str | None = None,
        kind: app_commands.Choice[str] | None = None,
    ) -> None:
        try:
            number = parse_meeting(meeting, self.bot.engine.meetings)
        except OptionError as exc:
            await send_ephemeral(interaction, str(exc))
            return
        await interaction.response.defer(thinking=True)
        answer = await answer_question(self.bot, question, meeting=number, kind=kind.value if kind else None,
                                       guild_id=interaction.guild_id)
        view = AnswerView(self.bot, answer)
        view.message = await interaction.followup.send(embed=view.embed(), view=view, allowed_mentions=no_mentions(),
                                                       wait=True)


async def setup(bot: CmsBotBase) -> None:
    await bot.add_cog(Ask(bot))  # type: ignore[attr-defined]
