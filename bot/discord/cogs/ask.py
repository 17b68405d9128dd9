"""``/ask``: a question in, one embed out — direct answer, cited quotes, buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.text.i18n import N_, lang_from_locale
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
    conversation: tuple[int, int] | None = None,
    reply_to: int | None = None,
) -> Answer:
    """Ask the engine (in an executor), applying the server's default meeting when the question names none.

    ``conversation`` is (user id, channel or thread id): a follow-up is read in the context that
    user's last answer there left — or, for a reply to one of the bot's messages (``reply_to``), in
    the context of that answer, when it was this user's."""
    question = " ".join(question.split())[:MAX_QUESTION]
    engine = bot.engine  # one engine for the whole question, even if /reindex swaps it meanwhile
    if meeting is None and guild_id is not None and bot.store is not None:
        default = bot.store.guild_settings(guild_id).default_meeting
        if default is not None and engine.meetings.resolve(question) is None:
            meeting = default
    context = None
    if conversation is not None:
        user = conversation[0]
        context = (bot.conversations.get((user, "message", reply_to)) if reply_to is not None else None) \
            or bot.conversations.get(conversation)
    answer = await engine.ask_async(question, meeting=meeting, kind=kind, context=context)
    if conversation is not None:
        bot.conversations.set(conversation, answer.context)
    return answer


def remember_reply(bot: CmsBotBase, user_id: int, message: discord.Message | None, answer: Answer) -> None:
    """A reply to this bot message by the same user continues that answer's conversation."""
    if message is not None:
        bot.conversations.set((user_id, "message", message.id), answer.context)


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
            number = parse_meeting(meeting, self.bot.engine.meetings, lang_from_locale(interaction.locale))
        except OptionError as exc:
            await send_ephemeral(interaction, str(exc))
            return
        await interaction.response.defer(thinking=True)
        answer = await answer_question(self.bot, question, meeting=number, kind=kind.value if kind else None,
                                       guild_id=interaction.guild_id,
                                       conversation=(interaction.user.id, interaction.channel_id or 0))
        view = AnswerView(self.bot, answer)
        view.message = await interaction.followup.send(embed=view.embed(), view=view, allowed_mentions=no_mentions(),
                                                       wait=True)
        remember_reply(self.bot, interaction.user.id, view.message, answer)


async def setup(bot: CmsBotBase) -> None:
    await bot.add_cog(Ask(bot))  # type: ignore[attr-defined]
