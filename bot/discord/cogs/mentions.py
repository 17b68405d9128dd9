"""Questions by mention ("@cmsbot when did COP14 open?") and by DM, answered like ``/ask``.

Works without the privileged message-content intent: Discord still delivers the content of
messages that mention the bot and of DMs, and those are the only messages read here.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.text.i18n import N_, lang_from_locale, translate
from bot.text.lang import SUPPORTED, detect_language
from bot.discord.client import APOLOGY, cooldown_message
from bot.discord.cogs.ask import answer_question, remember_reply
from bot.discord.safety import THREAD_NAME_LIMIT, fit_content, no_mentions, truncate
from bot.discord.views import AnswerView

if TYPE_CHECKING:
    from bot.discord.client import CmsBotBase

log = logging.getLogger(__name__)

HELP = N_(
    "Ask me about a CMS Conference of the Parties, e.g. “@cmsbot when did COP14 open?” "
    "— or use `/ask`, `/search`, `/latest`, `/meeting`, `/about`. "
    "I understand English, French, Spanish and Portuguese."
)


class Mentions(commands.Cog):
    def __init__(self, bot: CmsBotBase) -> None:
        self.bot = bot

    def question_in(self, message: discord.Message) -> str | None:
        """The question in ``message`` with the bot's mention removed, or None if it isn't addressed to the bot."""
        me = self.bot.user  # type: ignore[attr-defined]
        if me is None or message.author.bot or message.author.id == me.id:
            return None
        role = message.guild.self_role if message.guild is not None else None
        if message.guild is not None:
            addressed = me in message.mentions or (role is not None and role in message.role_mentions)
            if not addressed:
                return None
        elif not isinstance(message.channel, discord.DMChannel):
            return None
        text = re.sub(rf"<@!?{me.id}>", " ", message.content)
        if role is not None:
            text = text.replace(role.mention, " ")
        return " ".join(text.split())

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        question = self.question_in(message)
        if question is None:
            return
        try:
            await self._answer(message, question)
        except Exception:
            log.exception("error answering message %s from user %s", message.id, message.author.id)
            try:
                await message.reply(translate(APOLOGY, _reply_lang(message, question)), allowed_mentions=no_mentions(),
                                    mention_author=False)
            except discord.HTTPException:
                pass

    async def _answer(self, message: discord.Message, question: str) -> None:
        if not question:
            locale = message.guild.preferred_locale if message.guild is not None else None
            await message.reply(translate(HELP, lang_from_locale(locale)), allowed_mentions=no_mentions(),
                                mention_author=False)
            return
        retry_after = self.bot.limiter.hit(message.author.id)
        if retry_after is not None:
            await message.reply(cooldown_message(retry_after, _reply_lang(message, question)), allowed_mentions=no_mentions(),
                                mention_author=False)
            return
        guild_id = message.guild.id if message.guild is not None else None
        async with message.channel.typing():
            reply_to = message.reference.message_id if message.reference is not None else None
            answer = await answer_question(self.bot, question, guild_id=guild_id,
                                           conversation=(message.author.id, message.channel.id), reply_to=reply_to)
        view = AnswerView(self.bot, answer)
        embed = view.embed()

        settings = self.bot.store.guild_settings(guild_id) if self.bot.store is not None else None
        if settings is not None and settings.reply_mode == "thread" and isinstance(message.channel, discord.TextChannel):
            try:
                thread = await message.create_thread(name=thread_name(question), auto_archive_duration=1440)
            except discord.HTTPException:
                log.info("could not open a thread in channel %s; replying instead", message.channel.id)
            else:
                view.message = await thread.send(embed=embed, view=view, allowed_mentions=no_mentions())
                # the thread continues this conversation
                self.bot.conversations.set((message.author.id, thread.id), answer.context)
                remember_reply(self.bot, message.author.id, view.message, answer)
                return
        view.message = await message.reply(embed=embed, view=view, allowed_mentions=no_mentions(), mention_author=False)
        remember_reply(self.bot, message.author.id, view.message, answer)


def _reply_lang(message: discord.Message, question: str) -> str:
    """The language to answer a message in before the engine has read it: the question's, else the server's."""
    locale = message.guild.preferred_locale if message.guild is not None else None
    lang = detect_language(question, hint=lang_from_locale(locale) if locale is not None else None)
    return lang if lang in SUPPORTED else "en"


def thread_name(question: str) -> str:
    """A thread title from the question: plain text (thread names don't render markdown or mentions)."""
    plain = discord.utils.remove_markdown(question).replace("@", "@\u200b")
    return fit_content(truncate(plain, THREAD_NAME_LIMIT)) or "Question"


async def setup(bot: CmsBotBase) -> None:
    await bot.add_cog(Mentions(bot))  # type: ignore[attr-defined]
