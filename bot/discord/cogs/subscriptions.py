"""Fresh sources while serving: ``/subscribe``, ``/unsubscribe``, ``/subscriptions`` and the fetch loop.

Every ``fetch_interval_minutes`` (0: never) the loop fetches the sources in ``sources.yaml``; when
files were written it rebuilds the engine and swaps it in through :meth:`CmsBotBase.reindex` (the
same path as ``/reindex``); then it posts each item not yet announced, once, to the subscribed
channels whose filters match it, and records it as announced (in ``fetch.sqlite3``, so a restart
never posts it again).

No flood: a source's items are announced only once the bot has read that source's listing
successfully before (its *baseline*, recorded in the store). On the first run — and for a source
added to sources.yaml later — everything the listing holds is old news: recorded as announced,
posted nowhere. A channel gets at most ``MAX_POSTS_PER_PASS`` messages per pass: beyond that, the
items past the first few are listed in one digest message.

A subscription ends when its channel is deleted, when Discord says the channel no longer exists
(it was deleted while the bot was offline), and when the bot leaves the server.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.text.i18n import N_, lang_from_locale
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
#: Messages a channel gets in one pass at most; the last one lists the rest when there are more items.
MAX_POSTS_PER_PASS = 5


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
        to_post = []
        for item in store.pending_announcements():
            if item.source in baselined:
                to_post.append(item)
                result.announced.append(item.url)
            else:
                result.baselined.append(item.url)
        result.posts = await self.announce(store, to_post)
        for item in store.pending_announcements():
            store.mark_announced(item.url)
        return result

    async def announce(self, store: FetchStore, items: list[FetchedItem]) -> int:
        """Post each item to every subscribed channel it matches (a channel getting more than
        ``MAX_POSTS_PER_PASS`` items gets the rest as one digest); the number of messages sent."""
        per_channel: dict[int, tuple[Subscription, list[FetchedItem]]] = {}
        channels_left: dict[str, int] = {}  # per item, the channels still to post it to
        for item in items:
            recipients = store.recipients(item)
            channels_left[item.url] = len(recipients)
            if not recipients:
                store.mark_announced(item.url)
            for subscription in recipients:
                per_channel.setdefault(subscription.channel_id, (subscription, []))[1].append(item)
        engine = self.bot.engine
        cards: dict[str, discord.Embed] = {}

        def card(item: FetchedItem) -> discord.Embed:
            if item.url not in cards:
                meeting = engine.meetings.get(item.meeting) if item.meeting is not None else None
                cards[item.url] = embeds.announcement_embed(item, meeting=meeting, excerpt=excerpt_of(engine, item))
            return cards[item.url]

        sent = 0
        for subscription, mine in per_channel.values():
            alone = mine if len(mine) <= MAX_POSTS_PER_PASS else mine[: MAX_POSTS_PER_PASS - 1]
            messages = [(item.url, card(item)) for item in alone]
            if len(alone) < len(mine):
                rest = mine[len(alone):]
                messages.append((f"{len(rest)} more items", embeds.digest_embed(rest)))
            for what, embed in messages:
                posted = await self._post(subscription, what, embed)
                if posted is None:  # the channel is gone or closed to the bot: skip the rest
                    break
                sent += posted
            for item in mine:  # recorded once sent to all its channels: a restart never repeats it
                channels_left[item.url] -= 1
                if channels_left[item.url] == 0:
                    store.mark_announced(item.url)
        return sent

    async def _post(self, subscription: Subscription, what: str, embed: discord.Embed) -> int | None:
        """Send one announcement: 1 if sent, 0 if this message failed, None if the channel can't take any."""
        where = f"channel {subscription.channel_id} (guild {subscription.guild_id})"
        channel = self.bot.get_channel(subscription.channel_id)  # type: ignore[attr-defined]
        if channel is None:
            try:  # not in the cache: ask Discord whether it still exists
                channel = await self.bot.fetch_channel(subscription.channel_id)  # type: ignore[attr-defined]
            except discord.NotFound:
                self._forget(subscription.channel_id, "no longer exists")
                return None
            except Exception as exc:  # noqa: BLE001 - Forbidden, a network error: skip it this pass
                log.warning("announcement of %s skipped: %s is not visible to the bot (%s)", what, where,
                            getattr(exc, "status", None) or type(exc).__name__)
                return None
        if not isinstance(channel, discord.abc.Messageable):
            log.warning("announcement of %s skipped: %s is gone or not visible to the bot", what, where)
            return None
        guild = getattr(channel, "guild", None)
        if guild is not None and guild.me is not None:
            permissions = channel.permissions_for(guild.me)  # type: ignore[union-attr]
            send = permissions.send_messages_in_threads if isinstance(channel, discord.Thread) else permissions.send_messages
            if not (permissions.view_channel and send and permissions.embed_links):
                log.warning("announcement of %s skipped: the bot may not post embeds in %s", what, where)
                return None
        try:
            await channel.send(embed=embed, allowed_mentions=no_mentions())
        except discord.NotFound:
            self._forget(subscription.channel_id, "no longer exists")
            return None
        except discord.HTTPException as exc:
            log.warning("announcement of %s to %s failed: %s %s", what, where, exc.status, exc.text)
            return 0
        except Exception:  # noqa: BLE001 - a network error must not end the pass half-way
            log.warning("announcement of %s to %s failed", what, where, exc_info=True)
            return 0
        return 1

    # ------------------------------------------------------------------ channels that go away

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        self._forget(channel.id, "was deleted")

    @commands.Cog.listener()
    async def on_thread_delete(self, thread: discord.Thread) -> None:
        self._forget(thread.id, "was deleted")

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        store = self.bot.fetch_store
        if store is None:
            return
        for subscription in store.subscriptions(guild.id):
            self._forget(subscription.channel_id, f"is in a server the bot left ({guild.id})")

    def _forget(self, channel_id: int, why: str) -> None:
        store = self.bot.fetch_store
        if store is not None and store.unsubscribe(channel_id):
            log.info("channel %s %s; its subscription is removed", channel_id, why)

    # ------------------------------------------------------------------ commands

    @app_commands.command(name="subscribe", description=N_("Post new CMS news, press releases and COP documents here."))
    @app_commands.describe(meeting=N_("Only items about this COP (number or host city)"),
                           kind=N_("Only this kind of source"))
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
            number = parse_meeting(meeting, self.bot.engine.meetings, lang_from_locale(interaction.locale))
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

    @app_commands.command(name="unsubscribe", description=N_("Stop posting new CMS items in this channel."))
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

    @app_commands.command(name="subscriptions", description=N_("The channels of this server that get new CMS items."))
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
