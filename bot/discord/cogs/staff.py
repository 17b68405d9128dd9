"""Staff commands: ``/reindex`` (rebuild and swap the index live) and ``/settings`` (per server)."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.text.i18n import N_, lang_from_locale
from bot.discord.client import StaffOnly, send_ephemeral
from bot.discord.options import OptionError, meeting_autocomplete, parse_meeting
from bot.discord.safety import escape_user_text, no_mentions, truncate

if TYPE_CHECKING:
    from bot.discord.client import CmsBotBase
    from bot.state.feedback import GuildSettings

log = logging.getLogger(__name__)


def is_staff(interaction: discord.Interaction) -> bool:
    """Manage Server in this server, or listed in ``CMSBOT_OWNER_IDS``."""
    if interaction.user.id in interaction.client.settings.owner_ids:  # type: ignore[attr-defined]
        return True
    return interaction.guild is not None and interaction.permissions.manage_guild


def staff_only() -> object:
    def predicate(interaction: discord.Interaction) -> bool:
        if not is_staff(interaction):
            raise StaffOnly()
        return True

    return app_commands.check(predicate)


def _problems(engine: object) -> list[str]:
    """The engine's ingest problems, if it reports them (``engine.problems``: strings or objects with __str__)."""
    return [str(p) for p in getattr(engine, "problems", ()) or ()]


def describe_settings(settings: GuildSettings) -> str:
    meeting = f"COP{settings.default_meeting}" if settings.default_meeting is not None else "none"
    mode = "in a new thread" if settings.reply_mode == "thread" else "as a reply"
    return f"Mentions are answered **{mode}**. Default meeting: **{meeting}**."


#: The reply_mode choices' names, for the catalogue (Discord shows them translated; the values stay).
REPLY_MODE_NAMES = (N_("reply"), N_("thread"))


class Staff(commands.Cog):
    def __init__(self, bot: CmsBotBase) -> None:
        self.bot = bot

    @app_commands.command(name="reindex", description=N_("Staff: re-read the corpus and rebuild the index, live."))
    @app_commands.default_permissions(manage_guild=True)
    @staff_only()
    async def reindex(self, interaction: discord.Interaction) -> None:
        lock = self.bot.reindex_lock
        if lock.locked():
            await send_ephemeral(interaction, "A reindex is already running; its result will be posted when it ends.")
            return
        await interaction.response.defer(thinking=True, ephemeral=True)
        # Questions keep using the old engine until the bot swaps in the new one.
        done = await self.bot.reindex(f"/reindex by user {interaction.user.id}")
        loop = asyncio.get_running_loop()
        before = await loop.run_in_executor(None, done.old.stats)
        after = await loop.run_in_executor(None, done.new.stats)
        problems = _problems(done.new)
        lines = [
            f"Reindexed in {done.seconds:.1f} s.",
            f"Documents: {before.documents} → {after.documents}",
            f"Passages: {before.passages} → {after.passages}",
        ]
        if problems:
            lines.append(f"Problems ({len(problems)}):")
            lines.extend(f"• {escape_user_text(truncate(p, 200))}" for p in problems[:10])
            if len(problems) > 10:
                lines.append(f"… and {len(problems) - 10} more (see the log).")
        else:
            lines.append("No problems.")
        log.info("reindex done: %s", "; ".join(lines[:3]))
        await send_ephemeral(interaction, "\n".join(lines))

    @app_commands.command(name="settings", description=N_("Staff: how the bot behaves in this server."))
    @app_commands.describe(
        reply_mode=N_("Answer mentions as a reply, or in a new thread"),
        default_meeting=N_("COP used when a question names none (number or city; “none” to clear)"),
    )
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @staff_only()
    @app_commands.autocomplete(default_meeting=meeting_autocomplete)
    async def settings(
        self,
        interaction: discord.Interaction,
        reply_mode: Literal["reply", "thread"] | None = None,
        default_meeting: str | None = None,
    ) -> None:
        if interaction.guild_id is None:  # guild_only hides it in DMs; this covers clients that don't
            raise app_commands.NoPrivateMessage()
        store = self.bot.store
        if store is None:
            await send_ephemeral(interaction, "Settings can't be stored right now.")
            return
        clear = default_meeting is not None and default_meeting.strip().lower() in {"none", "off", "clear", "-"}
        number = None
        if default_meeting is not None and not clear:
            try:
                number = parse_meeting(default_meeting, self.bot.engine.meetings, lang_from_locale(interaction.locale))
            except OptionError as exc:
                await send_ephemeral(interaction, str(exc))
                return
        if reply_mode is None and default_meeting is None:
            current = store.guild_settings(interaction.guild_id)
            await send_ephemeral(interaction, describe_settings(current))
            return
        updated = store.update_guild_settings(
            interaction.guild_id, reply_mode=reply_mode, default_meeting=number, clear_default_meeting=clear
        )
        log.info("guild %s settings changed by user %s: %s", interaction.guild_id, interaction.user.id, updated)
        await interaction.response.send_message("Saved. " + describe_settings(updated), ephemeral=True,
                                                allowed_mentions=no_mentions())


async def setup(bot: CmsBotBase) -> None:
    await bot.add_cog(Staff(bot))  # type: ignore[attr-defined]
