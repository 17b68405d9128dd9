"""Fresh sources while serving: ``/subscribe``, ``/unsubscribe``, ``/subscriptions`` and the fetch loop.

Every ``fetch_interval_minutes`` (0: never) the loop fetches the sources in ``sources.yaml``; when
files were written it rebuilds the engine and swaps it in through :meth:`CmsBotBase.reindex` (the
same path as ``/reindex``); then it posts each item not yet announced, once, to the subscribed
channels whose filters match it, and records it as announced (in ``fetch.sqlite3``, so a restart
never posts it again).

No flood: a source's items are announced only once the bot has read that source's listing
successfully before (its *baseline*, recorded in the store). On the first run — and for a source
added to sources.yaml later — everything the listing holds is old news: recorded as announced,
posted nowhere.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.discord import embeds
from bot.discord.client import NotAllowed, send_ephemeral
from bot.discord.options import KIND_CHOICES, OptionError, meeting_autocomplete, parse_meeting
from bot.discord.safety import no_mentions
from bot.fetch import FetchedItem, FetchStore, SourcesError, Subscription, fetch_all

if TYPE_CHECKING:
    from bot.discord.client import CmsBotBase
    from bot.engine import Engine
    from bot.model import Passage

log = logging.getLogger(__name__)

NOT_ALLOWED = ("Subscriptions are for people who can manage this channel (Manage Channels or Manage Server "
               "permission) and the bot's owners.")
NO_STORE = "Subscriptions can't be stored right now."


def can_manage_subscriptions(interaction: discord.Interaction) -> bool:
    """Manage Channels or Manage Server here, or listed in ``CMSBOT_OWNER_IDS``."""
    if interaction.user.id in interaction.client.settings.owner_ids:  # type: ignore[attr-defined]
        return True
    permissions = interaction.permissions
    return interaction.guild is not None and (permissions.manage_channels or permissions.manage_guild)


def channel_managers_only() -> object:
    def predicate(interaction: discord.Interaction) -> bool:
        if not can_manage_subscriptions(interaction):
            raise NotAllowed(NOT_ALLOWED)
        return True

    return app_commands.check(predicate)


#: What a subscription to each kind receives, in the plural.
KIND_PLURALS = {"news_listing": "news items", "press_release": "press releases", "cop_document": "COP documents"}


def describe_subscription(subscription: Subscription) -> str:
    """"new items" / "new COP14 press releases" / "new COP documents"."""
    kind = KIND_PLURALS.get(subscription.kind, subscription.kind) if subscription.kind else "items"
    meeting = f"COP{subscription.meeting} " if subscription.meeting is not None else ""
    return f"new {meeting}{kind}"


def excerpt_of(engine: Engine, item: FetchedItem) -> Passage | None:
    """The item's opening passage in the (new) engine: its first one that says more than the title."""
    if item.path is None:
        return None
    passages = sorted((p for p in engine.passages if p.source == item.path), key=lambda p: p.position)
    for p in passages:
        if len(p.text) > 40 and p.text.strip() != (p.title or "").strip():
            return p
    return passages[0] if passages else None


@dataclass
class RunResult:
    """What one pass of the fetch loop did (for logs and tests)."""

    fetched: dict[str, int] = field(default_factory=dict)
    reindexed: bool = False
    #: Items posted (to at least zero channels) and recorded as announced.
    announced: list[str] = field(default_factory=list)
    #: Items recorded as announced without posting: their source had no baseline yet.
    baselined: list[str] = field(default_factory=list)
    #: Messages sent.
    posts: int = 0


class Subscriptions(commands.Cog):
    def __init__(self, bot: CmsBotBase) -> None:
        self.bot = bot
        #: Files were written but the rebuild failed: rebuild on the next pass even if nothing new arrives.
        self._stale = False

    async def cog_load(self) -> None:
        minutes = self.bot.settings.fetch_interval_minutes
        if minutes > 0 and self.bot.fetch_store is not None:
            self.poll.change_interval(minutes=minutes)
            self.poll.start()
            log.info("fetching every %g minutes", minutes)

    async def cog_unload(self) -> None:
        self.poll.cancel()

    # ------------------------------------------------------------------ the loop

    @tasks.loop(minutes=60)  # the real interval is set in cog_load
    async def poll(self) -> None:
        """One pass; nothing it raises may stop the loop (or the bot)."""
        try:
            result = await self.run_once()
        except SourcesError as exc:
            log.error("fetch skipped: %s", exc)
        except Exception:
            log.exception("the fetch loop failed; it will try again at the next interval")
        else:
            log.info("fetch: %s; reindexed: %s; announced %d item(s) in %d message(s); %d recorded as baseline",
                     ", ".join(f"{k} {v}" for k, v in result.fetched.items()), result.reindexed,
                     len(result.announced), result.posts, len(result.baselined))

    @poll.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()  # type: ignore[attr-defined]  # channels must be known to post

    async def run_once(self) -> RunResult:
        """Fetch, re-index and swap if anything was written, then announce what is pending."""
        store = self.bot.fetch_store
        if store is None:
            raise RuntimeError("the bot has no fetch store")
        result = RunResult()
        baselined = store.baselined_sources()
        report = await fetch_all(self.bot.settings, quiet=True, store=store)
        result.fetched = report.counts()
        for item in report.failed:
            log.warning("fetch failed: %s: %s", item.url, item.reason)
        if report.written or self._stale:
            self._stale = True
            await self.bot.reindex(f"fetch: {len(report.written)} new or changed file(s)")
            self._stale = False
            result.reindexed = True
        read = {item.source for item in report.new + report.changed + report.unchanged}
        if read - baselined:
            store.mark_baselined(*sorted(read - baselined))
        for item in store.pending_announcements():
            if item.source in baselined:
                result.posts += await self.announce(store, item)
                result.announced.append(item.url)
            else:
                result.baselined.append(item.url)
            store.mark_announced(item.url)
        return result

    async def announce(self, store: FetchStore, item: FetchedItem) -> int:
        """Post ``item`` to every subscribed channel it matches; the number of messages sent."""
        recipients = store.recipients(item)
        if not recipients:
            return 0
        engine = self.bot.engine
        meeting = engine.meetings.get(item.meeting) if item.meeting is not None else None
        embed = embeds.announcement_embed(item, meeting=meeting, excerpt=excerpt_of(engine, item))
        sent = 0
        for subscription in recipients:
            sent += await self._post(subscription, item, embed)
        return sent

    async def _post(self, subscription: Subscription, item: FetchedItem, embed: discord.Embed) -> int:
        channel = self.bot.get_channel(subscription.channel_id)  # type: ignore[attr-defined]
        where = f"channel {subscription.channel_id} (guild {subscription.guild_id})"
        if channel is None or not isinstance(channel, discord.abc.Messageable):
            log.warning("announcement of %s skipped: %s is gone or not visible to the bot", item.url, where)
            return 0
        guild = getattr(channel, "guild", None)
        if guild is not None and guild.me is not None:
            permissions = channel.permissions_for(guild.me)  # type: ignore[union-attr]
            send = permissions.send_messages_in_threads if isinstance(channel, discord.Thread) else permissions.send_messages
            if not (permissions.view_channel and send and permissions.embed_links):
                log.warning("announcement of %s skipped: the bot may not post embeds in %s", item.url, where)
                return 0
        try:
            await channel.send(embed=embed, allowed_mentions=no_mentions())
        except discord.HTTPException as exc:
            log.warning("announcement of %s to %s failed: %s %s", item.url, where, exc.status, exc.text)
            return 0
        return 1

    # ------------------------------------------------------------------ channels that go away

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        self._forget(channel.id)

    @commands.Cog.listener()
    async def on_thread_delete(self, thread: discord.Thread) -> None:
        self._forget(thread.id)

    def _forget(self, channel_id: int) -> None:
        store = self.bot.fetch_store
        if store is not None and store.unsubscribe(channel_id):
            log.info("channel %s was deleted; its subscription is removed", channel_id)

    # ------------------------------------------------------------------ commands

    @app_commands.command(name="subscribe", description="Post new CMS news, press releases and COP documents here.")
    @app_commands.describe(meeting="Only items about this COP (number or host city)",
                           kind="Only this kind of source")
    @app_commands.default_permissions(manage_channels=True)
    @app_commands.guild_only()
    @channel_managers_only()
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @app_commands.choices(kind=KIND_CHOICES)
    async def subscribe(self, interaction: discord.Interaction, meeting: str | None = None,
                        kind: app_commands.Choice[str] | None = None) -> None:
        if interaction.guild_id is None or interaction.channel_id is None:
            raise app_commands.NoPrivateMessage()
        store = self.bot.fetch_store
        if store is None:
            await send_ephemeral(interaction, NO_STORE)
            return
        try:
            number = parse_meeting(meeting, self.bot.engine.meetings)
        except OptionError as exc:
            await send_ephemeral(interaction, str(exc))
            return
        subscription = store.subscribe(interaction.channel_id, interaction.guild_id, meeting=number,
                                       kind=kind.value if kind else None)
        log.info("channel %s (guild %s) subscribed by user %s: %s", interaction.channel_id, interaction.guild_id,
                 interaction.user.id, subscription)
        lines = [f"Subscribed: {describe_subscription(subscription)} will be posted in <#{interaction.channel_id}>, "
                 "once each. `/unsubscribe` stops them."]
        permissions = interaction.app_permissions
        if not (permissions.send_messages and permissions.embed_links):
            lines.append("⚠️ I can't post embeds in this channel yet: give me *Send Messages* and *Embed Links* here.")
        if self.bot.settings.fetch_interval_minutes <= 0:
            lines.append("Note: fetching is turned off on this bot (`CMSBOT_FETCH_INTERVAL_MINUTES` is 0), "
                         "so nothing will be posted until its operator turns it on.")
        await send_ephemeral(interaction, "\n".join(lines))

    @app_commands.command(name="unsubscribe", description="Stop posting new CMS items in this channel.")
    @app_commands.default_permissions(manage_channels=True)
    @app_commands.guild_only()
    @channel_managers_only()
    async def unsubscribe(self, interaction: discord.Interaction) -> None:
        if interaction.guild_id is None or interaction.channel_id is None:
            raise app_commands.NoPrivateMessage()
        store = self.bot.fetch_store
        if store is None:
            await send_ephemeral(interaction, NO_STORE)
            return
        if store.unsubscribe(interaction.channel_id):
            log.info("channel %s unsubscribed by user %s", interaction.channel_id, interaction.user.id)
            await send_ephemeral(interaction, f"Unsubscribed: nothing more will be posted in <#{interaction.channel_id}>.")
        else:
            await send_ephemeral(interaction, "This channel wasn't subscribed.")

    @app_commands.command(name="subscriptions", description="The channels of this server that get new CMS items.")
    @app_commands.default_permissions(manage_channels=True)
    @app_commands.guild_only()
    @channel_managers_only()
    async def subscriptions(self, interaction: discord.Interaction) -> None:
        if interaction.guild_id is None:
            raise app_commands.NoPrivateMessage()
        store = self.bot.fetch_store
        if store is None:
            await send_ephemeral(interaction, NO_STORE)
            return
        found = store.subscriptions(interaction.guild_id)
        if not found:
            await send_ephemeral(interaction, "No channel of this server is subscribed. `/subscribe` in a channel to start.")
            return
        lines = [f"<#{s.channel_id}>: {describe_subscription(s)}" for s in found[:40]]
        if len(found) > 40:
            lines.append(f"… and {len(found) - 40} more.")
        await send_ephemeral(interaction, f"Subscribed channels ({len(found)}):\n" + "\n".join(lines))


async def setup(bot: CmsBotBase) -> None:
    await bot.add_cog(Subscriptions(bot))  # type: ignore[attr-defined]
