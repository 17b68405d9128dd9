"""The Discord bot: an ``AutoShardedBot`` holding the engine, the store and the question limiter.

Cogs read ``bot.engine`` at call time, so ``/reindex`` can swap in a rebuilt engine with one
assignment while questions keep being answered from the old one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.question.context import Conversations
from bot.text.i18n import N_, lang_from_locale, ngettext, translate
from bot.discord.safety import no_mentions, truncate

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.engine import Engine
    from bot.state.fetch import FetchStore
    from bot.state.feedback import Store

log = logging.getLogger(__name__)

EXTENSIONS: tuple[str, ...] = (
    "bot.discord.cogs.ask",
    "bot.discord.cogs.browse",
    "bot.discord.cogs.mentions",
    "bot.discord.cogs.staff",
    "bot.discord.cogs.subscriptions",
)

APOLOGY = N_("Sorry — something went wrong while answering. The error has been logged; please try again in a moment.")


def make_intents() -> discord.Intents:
    """Default intents only. No privileged message-content intent: Discord still sends the
    content of messages that mention the bot and of DMs, which is all the bot reads."""
    intents = discord.Intents.default()
    intents.message_content = False
    intents.members = False
    intents.presences = False
    return intents


class QuestionLimiter:
    """Per-user token bucket shared by /ask, /search, mentions and DMs (``cooldown_rate`` per ``cooldown_seconds``)."""

    def __init__(self, rate: int, per: float) -> None:
        self.rate = rate
        self.per = per
        self._buckets: dict[int, app_commands.Cooldown] = {}
        self._seen: dict[int, float] = {}
        self._last_prune = time.time()

    def bucket(self, user_id: int) -> app_commands.Cooldown:
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = app_commands.Cooldown(self.rate, self.per)
        return bucket

    def hit(self, user_id: int) -> float | None:
        """Count one question; return how many seconds the user must wait, or None if they may ask."""
        if self.per <= 0:
            return None
        now = time.time()  # the clock app_commands.Cooldown uses
        if now - self._last_prune > max(self.per, 60.0):
            self._prune(now)
        self._seen[user_id] = now
        return self.bucket(user_id).update_rate_limit(now)

    def _prune(self, now: float) -> None:
        """Forget users idle for longer than a window, so the table doesn't grow without bound."""
        self._last_prune = now
        for user_id, seen in list(self._seen.items()):
            if now - seen > self.per:
                del self._seen[user_id]
                self._buckets.pop(user_id, None)


def cooldown_message(retry_after: float, lang: str = "en") -> str:
    seconds = max(1, round(retry_after))
    return ngettext("You're asking quickly — please wait {n} second and ask again.",
                    "You're asking quickly — please wait {n} seconds and ask again.", seconds, lang)


def question_cooldown() -> Any:
    """``app_commands`` check applying the bot's shared :class:`QuestionLimiter`."""

    async def predicate(interaction: discord.Interaction) -> bool:
        limiter: QuestionLimiter = interaction.client.limiter  # type: ignore[attr-defined]
        retry_after = limiter.hit(interaction.user.id)
        if retry_after is not None:
            raise app_commands.CommandOnCooldown(limiter.bucket(interaction.user.id), retry_after)
        return True

    return app_commands.check(predicate)


async def send_ephemeral(interaction: discord.Interaction, content: str, **kwargs: Any) -> None:
    """Reply privately whether or not the interaction was already responded to (or deferred)."""
    content = truncate(content, 2000)
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=True, allowed_mentions=no_mentions(), **kwargs)
    else:
        await interaction.response.send_message(content, ephemeral=True, allowed_mentions=no_mentions(), **kwargs)


class StaffOnly(app_commands.CheckFailure):
    """The user is neither a server manager nor in ``CMSBOT_OWNER_IDS``."""


class NotAllowed(app_commands.CheckFailure):
    """A check refused the user; its message is shown to them as is."""


@dataclass(frozen=True)
class Reindexed:
    """What :meth:`CmsBotBase.reindex` swapped: the engine before, the engine after, and how long it took."""

    old: Engine
    new: Engine
    seconds: float


class CmsTree(app_commands.CommandTree):
    """Every slash-command error becomes a short private message to the user and a log line."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        lang = lang_from_locale(interaction.locale)
        if isinstance(error, app_commands.CommandOnCooldown):
            message = cooldown_message(error.retry_after, lang)
        elif isinstance(error, StaffOnly):
            message = translate("This command is for server managers (Manage Server permission) and the bot's owners.",
                                lang)
        elif isinstance(error, NotAllowed):
            message = str(error)
        elif isinstance(error, app_commands.NoPrivateMessage):
            message = translate("This command only works in a server.", lang)
        elif isinstance(error, (app_commands.MissingPermissions, app_commands.CheckFailure)):
            message = translate("You can't use this command here.", lang)
        else:
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error("error in /%s (user %s, guild %s)", command, interaction.user.id, interaction.guild_id,
                      exc_info=error)
            message = translate(APOLOGY, lang)
        try:
            await send_ephemeral(interaction, message)
        except discord.HTTPException:
            log.warning("could not tell user %s about an error", interaction.user.id, exc_info=True)


class CmsBotBase:
    """Everything cmsbot adds to a discord.py bot; combined with ``AutoShardedBot`` below.

    (dpytest drives only unsharded clients, so tests combine this with ``commands.Bot``.)
    """

    def __init__(
        self,
        *,
        settings: Settings,
        engine: Engine | None,
        store: Store | None,
        sync_guild: int | None = None,
        fetch_store: FetchStore | None = None,
        **kwargs: Any,
    ) -> None:
        # cmsbot never joins voice: skip discord.py's start-up warnings about voice libraries.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(  # type: ignore[call-arg]
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=make_intents(),
            allowed_mentions=no_mentions(),
            tree_cls=CmsTree,
            activity=discord.Activity(type=discord.ActivityType.listening, name="/ask about CMS COPs"),
            **kwargs,
        )
        self.settings = settings
        self._engine = engine
        self.store = store
        #: Follow-up context per conversation: (user, channel or thread) and (user, replied-to bot message).
        self.conversations = Conversations()
        #: Fetch state, announcements and channel subscriptions (None: subscriptions are off).
        self.fetch_store = fetch_store
        self.sync_guild = sync_guild
        self.limiter = QuestionLimiter(settings.cooldown_rate, settings.cooldown_seconds)
        self.reindex_lock = asyncio.Lock()
        self.version = __version__

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError("this bot was started without an engine (sync mode)")
        return self._engine

    @engine.setter
    def engine(self, value: Engine) -> None:
        self._engine = value

    async def reindex(self, reason: str) -> Reindexed:
        """Rebuild the engine from the corpus in a worker thread and swap it in with one assignment.

        The one way the engine is replaced while serving (``/reindex`` and the fetch loop): one
        rebuild at a time under ``reindex_lock``; questions keep using the old engine until the swap.
        """
        async with self.reindex_lock:
            old = self.engine
            log.info("reindex started (%s)", reason)
            started = time.perf_counter()
            new = await asyncio.get_running_loop().run_in_executor(None, old.rebuild)
            self.engine = new
            seconds = time.perf_counter() - started
        log.info("reindex done in %.1f s (%s)", seconds, reason)
        return Reindexed(old, new, seconds)

    async def setup_hook(self) -> None:
        from bot.discord.translator import CatalogueTranslator

        await self.tree.set_translator(CatalogueTranslator())  # type: ignore[attr-defined]
        for name in EXTENSIONS:
            await self.load_extension(name)  # type: ignore[attr-defined]
        if self.sync_guild is not None:
            guild = discord.Object(id=self.sync_guild)
            self.tree.copy_global_to(guild=guild)  # type: ignore[attr-defined]
            synced = await self.tree.sync(guild=guild)  # type: ignore[attr-defined]
            log.info("synced %d commands to guild %s", len(synced), self.sync_guild)

    async def on_ready(self) -> None:
        user = self.user  # type: ignore[attr-defined]
        log.info("ready as %s (%s) in %d servers", user, getattr(user, "id", "?"), len(self.guilds))  # type: ignore[attr-defined]

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: mentions and DMs are handled by the mentions cog's listener."""

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        log.exception("error in event %s", event_method)

    async def on_command_error(self, context: commands.Context[Any], exception: commands.CommandError) -> None:
        log.error("error in command %s", context.command, exc_info=exception)


class CmsBot(CmsBotBase, commands.AutoShardedBot):
    """The production bot."""


class SingleShardCmsBot(CmsBotBase, commands.Bot):
    """The same bot without sharding (tests: dpytest does not drive sharded clients)."""
