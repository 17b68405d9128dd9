"""/subscribe, /unsubscribe, /subscriptions through the command tree, and the fetch loop end to end:
a real aiohttp server on 127.0.0.1 plays the CMS website; announcements are caught at the bot's HTTP layer.

The loop's body (``Subscriptions.poll``) is invoked directly, never through its timer.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import discord
import discord_harness as harness
import pytest
from discord_harness import FakeAdapter, command_payload, dispatch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fetch"))
import fetchsite  # noqa: E402
from fetchsite import (  # noqa: E402
    REPO,
    Site,
    cop_document_pdf,
    documents_html,
    documents_source,
    news_source,
    serve_news,
    serving,
    write_sources,
)

from bot.config import Settings  # noqa: E402
from bot.discord import embeds  # noqa: E402
from bot.discord.client import CmsBot, CmsBotBase  # noqa: E402
from bot.discord.cogs.subscriptions import MAX_POSTS_PER_PASS, NOT_ALLOWED, Subscriptions  # noqa: E402
from bot.discord.safety import check_embed  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.fetch import FetchedItem, FetchStore, Subscription  # noqa: E402

MANAGE_CHANNELS = 1 << 4
CHANNEL_MANAGER = harness.SEND | MANAGE_CHANNELS
SERVER_MANAGER = harness.SEND | harness.MANAGE_GUILD
OTHER_GUILD = 900000000000000077

# Channels of the newsroom guild (the harness's guild id) and what each subscribed to.
ANY = 920000000000000001            # everything
COP13 = 920000000000000002          # COP13 only
DOCUMENTS = 920000000000000003      # COP documents only
COP14_PRESS = 920000000000000004    # COP14 press releases
MUTED = 920000000000000005          # the bot may not send here
GONE = 920000000000000006           # deleted while the bot was away
SEND_MESSAGES = 1 << 11
PDF_PATH = "/sites/default/files/document/cms_cop14_doc.31_e.pdf"


# ---------------------------------------------------------------------------------------------- commands


@pytest.fixture
def fetch_store(bot: CmsBotBase, tmp_path: Path) -> Iterator[FetchStore]:
    store = FetchStore(tmp_path / "fetch.sqlite3")
    bot.fetch_store = store
    yield store
    store.close()


async def test_subscribe_stores_the_channel_and_its_filters_and_replies_privately(
    bot: CmsBotBase, adapter: FakeAdapter, fetch_store: FetchStore
) -> None:
    await dispatch(bot, command_payload("subscribe", permissions=CHANNEL_MANAGER, meeting="Samarkand",
                                        kind="press_release"))
    call = adapter.last()
    assert call.ephemeral and call.allowed_mentions == {"parse": []}
    assert "new COP14 press releases" in call.content and f"<#{harness.CHANNEL_ID}>" in call.content
    assert "fetching is turned off" in call.content  # the test settings leave the interval at 0
    assert fetch_store.subscriptions() == [Subscription(harness.CHANNEL_ID, harness.GUILD_ID, 14, "press_release")]

    # Subscribing again replaces the channel's filters; Manage Server is enough, so is being an owner.
    await dispatch(bot, command_payload("subscribe", permissions=SERVER_MANAGER))
    assert "new items" in adapter.last().content
    await dispatch(bot, command_payload("subscribe", user_id=harness.STAFF_ID, kind="cop_document"))
    assert "new COP documents" in adapter.last().content
    assert fetch_store.subscriptions() == [Subscription(harness.CHANNEL_ID, harness.GUILD_ID, None, "cop_document")]


async def test_subscription_commands_are_refused_to_a_plain_member(
    bot: CmsBotBase, adapter: FakeAdapter, fetch_store: FetchStore
) -> None:
    fetch_store.subscribe(harness.CHANNEL_ID, harness.GUILD_ID)
    for name in ("subscribe", "unsubscribe", "subscriptions"):
        adapter.calls.clear()
        await dispatch(bot, command_payload(name))
        (call,) = adapter.calls
        assert call.ephemeral and call.content == NOT_ALLOWED
    assert fetch_store.subscriptions() == [Subscription(harness.CHANNEL_ID, harness.GUILD_ID)]


async def test_subscribe_in_a_dm_is_refused(bot: CmsBotBase, adapter: FakeAdapter, fetch_store: FetchStore) -> None:
    await dispatch(bot, command_payload("subscribe", guild=False, user_id=harness.STAFF_ID))
    assert adapter.last().ephemeral and "only works in a server" in adapter.last().content
    await dispatch(bot, command_payload("unsubscribe", guild=False, user_id=harness.STAFF_ID))
    assert "only works in a server" in adapter.last().content
    assert fetch_store.subscriptions() == []


async def test_subscribe_to_an_unknown_meeting_says_so_and_stores_nothing(
    bot: CmsBotBase, adapter: FakeAdapter, fetch_store: FetchStore
) -> None:
    await dispatch(bot, command_payload("subscribe", permissions=CHANNEL_MANAGER, meeting="Atlantis"))
    assert adapter.last().ephemeral and "Atlantis" in adapter.last().content
    assert fetch_store.subscriptions() == []


async def test_subscribe_autocompletes_the_meeting(bot: CmsBotBase, adapter: FakeAdapter,
                                                   fetch_store: FetchStore) -> None:
    await dispatch(bot, command_payload("subscribe", focused="meeting", permissions=CHANNEL_MANAGER,
                                        meeting="samar"))
    choices = adapter.calls[-1].payload["data"]["choices"]
    assert [c["value"] for c in choices] == ["14"]


async def test_unsubscribe_and_the_server_listing(bot: CmsBotBase, adapter: FakeAdapter,
                                                  fetch_store: FetchStore) -> None:
    await dispatch(bot, command_payload("subscriptions", permissions=CHANNEL_MANAGER))
    assert "No channel of this server is subscribed" in adapter.last().content

    fetch_store.subscribe(harness.CHANNEL_ID, harness.GUILD_ID, meeting=14)
    fetch_store.subscribe(ANY, harness.GUILD_ID, kind="cop_document")
    fetch_store.subscribe(ANY + 100, OTHER_GUILD)  # another server's: not listed here
    await dispatch(bot, command_payload("subscriptions", permissions=CHANNEL_MANAGER))
    listing = adapter.last().content
    assert adapter.last().ephemeral and "Subscribed channels (2)" in listing
    assert f"<#{harness.CHANNEL_ID}>: new COP14 items" in listing and f"<#{ANY}>: new COP documents" in listing
    assert str(ANY + 100) not in listing

    await dispatch(bot, command_payload("unsubscribe", permissions=CHANNEL_MANAGER))
    assert adapter.last().ephemeral and "Unsubscribed" in adapter.last().content
    assert [s.channel_id for s in fetch_store.subscriptions(harness.GUILD_ID)] == [ANY]
    await dispatch(bot, command_payload("unsubscribe", permissions=CHANNEL_MANAGER))
    assert "wasn't subscribed" in adapter.last().content


async def test_subscribe_warns_when_the_bot_cannot_post_there(bot: CmsBotBase, adapter: FakeAdapter,
                                                              fetch_store: FetchStore) -> None:
    payload = command_payload("subscribe", permissions=CHANNEL_MANAGER)
    payload["app_permissions"] = str(1 << 10)  # view only
    await dispatch(bot, payload)
    assert "can't post embeds in this channel" in adapter.last().content
    assert len(fetch_store.subscriptions()) == 1


async def test_a_deleted_channel_loses_its_subscription(bot: CmsBotBase, fetch_store: FetchStore) -> None:
    fetch_store.subscribe(ANY, harness.GUILD_ID)
    cog = bot.get_cog("Subscriptions")
    await cog.on_guild_channel_delete(discord.Object(id=ANY))  # type: ignore[arg-type]
    assert fetch_store.subscriptions() == []


async def test_leaving_a_server_ends_its_subscriptions_only(bot: CmsBotBase, fetch_store: FetchStore) -> None:
    fetch_store.subscribe(ANY, harness.GUILD_ID)
    fetch_store.subscribe(COP13, harness.GUILD_ID, meeting=13)
    fetch_store.subscribe(DOCUMENTS, harness.GUILD_ID + 1)
    cog = bot.get_cog("Subscriptions")
    await cog.on_guild_remove(discord.Object(id=harness.GUILD_ID))  # type: ignore[arg-type]
    assert [s.channel_id for s in fetch_store.subscriptions()] == [DOCUMENTS]


# ---------------------------------------------------------------------------------------------- the loop


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    """A real aiohttp server on 127.0.0.1 playing the CMS website."""
    async with serving(Site()) as running:
        yield running


@dataclass
class Newsroom:
    bot: CmsBotBase
    cog: Subscriptions
    store: FetchStore
    site: Site
    settings: Settings
    #: (channel id, message payload) for every message the bot sent to a channel.
    posts: list[tuple[int, dict[str, Any]]]

    def posted_to(self, channel_id: int) -> list[dict[str, Any]]:
        return [payload for cid, payload in self.posts if cid == channel_id]

    def reopen_store(self) -> None:
        """What a restart does to the state: everything comes back from disk."""
        self.store.close()
        self.store = self.bot.fetch_store = FetchStore.in_data_dir(self.settings.data_dir)


def guild_payload(bot_id: int, channels: dict[int, int]) -> dict[str, Any]:
    """The newsroom guild: ``channels`` maps a channel id to the permission bits denied to the bot there."""
    return {
        "id": str(harness.GUILD_ID), "name": "CMS newsroom", "owner_id": str(harness.USER_ID), "icon": None,
        "afk_channel_id": None, "afk_timeout": 300, "verification_level": 0, "default_message_notifications": 0,
        "explicit_content_filter": 0, "mfa_level": 0, "nsfw_level": 0, "premium_tier": 0, "features": [],
        "emojis": [], "stickers": [], "member_count": 2, "large": False, "preferred_locale": "en-US",
        "roles": [{"id": str(harness.GUILD_ID), "name": "@everyone", "permissions": str(harness.SEND),
                   "position": 0, "color": 0, "hoist": False, "managed": False, "mentionable": False}],
        "channels": [
            {"id": str(cid), "type": 0, "name": f"news-{n}", "position": n, "nsfw": False, "parent_id": None,
             "permission_overwrites": [{"id": str(bot_id), "type": 1, "allow": "0", "deny": str(deny)}] if deny else []}
            for n, (cid, deny) in enumerate(channels.items())
        ],
        "members": [{"user": {**harness.user_payload(bot_id, "cmsbot"), "bot": True}, "roles": [],
                     "joined_at": "2024-01-01T00:00:00+00:00", "deaf": False, "mute": False, "flags": 0}],
        "threads": [], "voice_states": [], "presences": [],
    }


@pytest.fixture
def scratch_settings(tmp_path: Path) -> Settings:
    """A writable copy of the shipped corpus (fetched files land in it) and its own data directory."""
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus, ignore=shutil.ignore_patterns("sources.yaml", "fetched"))
    return Settings(corpus_dir=corpus, data_dir=tmp_path / "data", owner_ids=frozenset({harness.STAFF_ID}),
                    fetch_interval_minutes=0)


@pytest.fixture
async def newsroom(scratch_settings: Settings, site: Site, monkeypatch: pytest.MonkeyPatch,
                   adapter: FakeAdapter) -> AsyncIterator[Newsroom]:
    settings = scratch_settings
    engine = Engine.open(settings.corpus_dir, index_path=settings.data_dir / "index.npz", notify=lambda _m: None)
    store = FetchStore.in_data_dir(settings.data_dir)
    client = CmsBot(settings=settings, engine=engine, store=None, fetch_store=store)
    await client._async_setup_hook()
    harness.bot_user(client)
    await client.setup_hook()
    client._connection._add_guild_from_data(guild_payload(harness.BOT_ID, {  # type: ignore[arg-type]
        ANY: 0, COP13: 0, DOCUMENTS: 0, COP14_PRESS: 0, MUTED: SEND_MESSAGES,
    }))
    posts: list[tuple[int, dict[str, Any]]] = []

    async def send_message(channel_id: int, *, params: Any) -> Any:
        posts.append((int(channel_id), params.payload))
        return harness.message_payload(params.payload.get("content") or "", channel_id=int(channel_id),
                                       embeds=params.payload.get("embeds"))

    monkeypatch.setattr(client.http, "send_message", send_message)
    serve_news(site, ["cop14-closes", "state-of-species"])
    write_sources(settings, [news_source(site)])
    store.subscribe(ANY, harness.GUILD_ID)
    store.subscribe(COP13, harness.GUILD_ID, meeting=13)
    store.subscribe(DOCUMENTS, harness.GUILD_ID, kind="cop_document")
    store.subscribe(COP14_PRESS, harness.GUILD_ID, meeting=14, kind="press_release")
    room = Newsroom(client, client.get_cog("Subscriptions"), store, site, settings, posts)  # type: ignore[arg-type]
    yield room
    room.store.close()


async def test_first_run_is_a_silent_baseline_then_a_new_item_is_posted_once_across_restarts(
    newsroom: Newsroom, adapter: FakeAdapter
) -> None:
    room = newsroom
    original = room.bot.engine

    # First run: both listed items are new to the bot, but old news: recorded, posted nowhere.
    first = await room.cog.run_once()
    assert first.fetched["new"] == 2 and first.reindexed
    assert sorted(u.rsplit("/", 1)[-1] for u in first.baselined) == ["cop14-closes", "state-of-species"]
    assert room.posts == [] and first.announced == []
    assert room.store.pending_announcements() == []

    # The listing gains an item: the next pass re-indexes, swaps, and posts it once to each matching channel.
    serve_news(room.site, ["sharks-guidance", "cop14-closes", "state-of-species"])
    await room.cog.poll()
    sharks = room.site.url("/en/news/sharks-guidance")
    assert [cid for cid, _ in room.posts] == [ANY, COP14_PRESS]  # not COP13, not COP documents, not MUTED
    assert room.posted_to(COP13) == room.posted_to(DOCUMENTS) == []
    payload = room.posted_to(ANY)[0]
    assert payload["allowed_mentions"]["parse"] == [] and not payload.get("content")
    (embed,) = [discord.Embed.from_dict(e) for e in payload["embeds"]]
    assert check_embed(embed) == []
    assert embed.title and "Sharks" in embed.title and embed.url == sharks
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Date"] == "1 March 2024" and fields["Kind"] == "press release"
    assert fields["Meeting"] == "COP14 — Samarkand, Uzbekistan"
    assert "sharks" in (embed.description or "").lower() and sharks in (embed.description or "")
    assert room.store.is_announced(sharks)

    # The engine was swapped and answers about the new item.
    assert room.bot.engine is not original
    answer = room.bot.engine.ask("What guidance was published on migratory sharks and rays?")
    assert answer.found and answer.citations[0].passage.source == "fetched/cms-news/sharks-guidance.md"
    await dispatch(room.bot, command_payload("ask", question="new guidance on migratory sharks"))
    assert "sharks" in adapter.last().embeds[0].fields[0].name.lower()

    # Again: nothing new, nothing posted, no rebuild.
    posted = len(room.posts)
    again = await room.cog.run_once()
    assert again.fetched["unchanged"] == 3 and not again.reindexed and len(room.posts) == posted

    # A restart: a fresh store from disk, a fresh loop; still nothing posted twice.
    room.reopen_store()
    after_restart = await type(room.cog)(room.bot).run_once()
    assert after_restart.announced == [] and after_restart.baselined == [] and len(room.posts) == posted


async def test_an_item_fetched_but_never_posted_is_posted_after_a_restart(newsroom: Newsroom) -> None:
    room = newsroom
    await room.cog.run_once()  # baseline
    serve_news(room.site, ["sharks-guidance", "cop14-closes", "state-of-species"])
    from bot.fetch import fetch_all

    await fetch_all(room.settings, quiet=True, store=room.store)  # fetched; then the bot died before posting
    room.reopen_store()
    result = await type(room.cog)(room.bot).run_once()
    assert result.announced == [room.site.url("/en/news/sharks-guidance")]
    assert [cid for cid, _ in room.posts] == [ANY, COP14_PRESS]


async def test_a_source_added_later_gets_its_own_silent_baseline(newsroom: Newsroom) -> None:
    room = newsroom
    await room.cog.run_once()
    assert room.store.baselined_sources() == {"cms-news"}
    # Later the news listing gains an item, and the operator adds the COP14 documents page as a source.
    serve_news(room.site, ["sharks-guidance", "cop14-closes", "state-of-species"])
    room.site.serve("/en/cop14", documents_html([(PDF_PATH, "UNEP/CMS/COP14/Doc.31", "Migratory soaring birds")]))
    room.site.serve(PDF_PATH, cop_document_pdf(), "application/pdf")
    write_sources(room.settings, [news_source(room.site), documents_source(room.site)])
    result = await room.cog.run_once()
    # The news item is posted; the documents already on the new source's page are its baseline, posted nowhere.
    assert room.store.baselined_sources() == {"cms-news", "cop14-documents"}
    assert result.announced == [room.site.url("/en/news/sharks-guidance")]
    assert result.baselined == [room.site.url(PDF_PATH)]
    assert room.posted_to(DOCUMENTS) == []
    assert any(p.source == "fetched/cop14-documents/cms_cop14_doc.31_e.pdf" for p in room.bot.engine.passages)


async def test_vanished_and_forbidden_channels_are_skipped_and_logged(
    newsroom: Newsroom, caplog: pytest.LogCaptureFixture
) -> None:
    room = newsroom
    room.store.subscribe(MUTED, harness.GUILD_ID)
    room.store.subscribe(GONE, harness.GUILD_ID)
    await room.cog.run_once()
    serve_news(room.site, ["sharks-guidance", "cop14-closes", "state-of-species"])

    original = room.bot.http.send_message

    async def refuse_cop14_press(channel_id: int, *, params: Any) -> Any:
        if int(channel_id) == COP14_PRESS:
            response = type("Response", (), {"status": 403, "reason": "Forbidden"})()
            raise discord.Forbidden(response, {"code": 50013, "message": "Missing Permissions"})  # type: ignore[arg-type]
        return await original(channel_id, params=params)

    async def unknown_channel(channel_id: int) -> Any:  # what Discord says of a channel deleted meanwhile
        response = type("Response", (), {"status": 404, "reason": "Not Found"})()
        raise discord.NotFound(response, {"code": 10003, "message": "Unknown Channel"})  # type: ignore[arg-type]

    room.bot.http.send_message = refuse_cop14_press  # type: ignore[method-assign]
    room.bot.http.get_channel = unknown_channel  # type: ignore[method-assign]
    with caplog.at_level(logging.INFO):
        result = await room.cog.run_once()
    assert [cid for cid, _ in room.posts] == [ANY]
    assert result.posts == 1 and room.store.is_announced(room.site.url("/en/news/sharks-guidance"))
    log = caplog.text
    assert f"channel {GONE} no longer exists; its subscription is removed" in log
    assert GONE not in [s.channel_id for s in room.store.subscriptions()]
    assert f"channel {MUTED}" in log and "may not post" in log and MUTED in [s.channel_id for s in room.store.subscriptions()]
    assert f"channel {COP14_PRESS}" in log and "403" in log


async def test_a_channel_discord_cannot_be_asked_about_is_skipped_not_dropped(
    newsroom: Newsroom, caplog: pytest.LogCaptureFixture
) -> None:
    room = newsroom
    room.store.subscribe(GONE, harness.GUILD_ID)
    await room.cog.run_once()
    serve_news(room.site, ["sharks-guidance", "cop14-closes", "state-of-species"])

    async def network_down(channel_id: int) -> Any:
        raise OSError("network is unreachable")

    room.bot.http.get_channel = network_down  # type: ignore[method-assign]
    with caplog.at_level(logging.WARNING):
        result = await room.cog.run_once()
    assert [cid for cid, _ in room.posts] == [ANY, COP14_PRESS] and result.posts == 2
    assert f"channel {GONE}" in caplog.text and "OSError" in caplog.text
    assert GONE in [s.channel_id for s in room.store.subscriptions()]


async def test_a_burst_of_new_items_is_capped_per_channel_with_a_digest(
    newsroom: Newsroom, monkeypatch: pytest.MonkeyPatch
) -> None:
    room = newsroom
    await room.cog.run_once()  # baseline: the two items already listed
    slugs = [f"item-{n:02d}" for n in range(12)]
    article = fetchsite.fixture_text("article-sharks.html")
    for n, slug in enumerate(slugs):
        title = f"Migratory news number {n:02d}"
        monkeypatch.setitem(fetchsite.NEWS_ITEMS, slug, (title, "A teaser.", f"{n + 1:02d} March 2024", ""))
        html = article.replace("New Guidance Adopted to Protect Migratory Sharks and Rays", title).replace(
            "1 March 2024", f"{n + 1} March 2024").replace("new guidance", f"guidance number {n}")
        room.site.serve(f"/en/news/{slug}", html)
    room.site.serve("/en/news", fetchsite.listing_html(slugs + ["cop14-closes", "state-of-species"]))
    result = await room.cog.run_once()
    assert len(result.announced) == 12 and room.store.pending_announcements() == []
    posted = room.posted_to(ANY)
    assert len(posted) == MAX_POSTS_PER_PASS
    cards = [discord.Embed.from_dict(p["embeds"][0]) for p in posted]
    assert all(check_embed(e) == [] for e in cards)
    assert all("Migratory news number" in (e.title or "") for e in cards[:-1])
    digest = cards[-1]
    assert digest.title == f"{12 - (MAX_POSTS_PER_PASS - 1)} more new items from the CMS website"
    assert (digest.description or "").count("• ") == 12 - (MAX_POSTS_PER_PASS - 1)
    assert all(p["allowed_mentions"]["parse"] == [] for p in posted)
    # Nothing is posted twice on the next pass.
    again = await room.cog.run_once()
    assert again.posts == 0 and len(room.posted_to(ANY)) == MAX_POSTS_PER_PASS


async def test_rebuild_and_swap_share_the_reindex_lock_and_a_failed_rebuild_is_retried(
    newsroom: Newsroom, adapter: FakeAdapter, caplog: pytest.LogCaptureFixture
) -> None:
    room = newsroom
    await room.cog.run_once()
    serve_news(room.site, ["sharks-guidance", "cop14-closes", "state-of-species"])
    real = room.bot.engine
    seen: list[bool] = []

    class Failing:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def rebuild(self) -> Engine:
            seen.append(room.bot.reindex_lock.locked())
            raise OSError("disk full")

    room.bot.engine = Failing()  # type: ignore[assignment]
    await room.cog.poll()  # logged, not raised; nothing announced without the new index
    assert seen == [True] and room.posts == []
    assert "disk full" in caplog.text and "Traceback" in caplog.text
    assert room.store.pending_announcements()

    room.bot.engine = real
    result = await room.cog.run_once()  # nothing new fetched, but the rebuild is owed
    assert result.fetched["new"] == 0 and result.reindexed
    assert [cid for cid, _ in room.posts] == [ANY, COP14_PRESS]


async def test_reindex_is_refused_while_the_loop_rebuilds(newsroom: Newsroom, adapter: FakeAdapter) -> None:
    room = newsroom
    async with room.bot.reindex_lock:  # what the loop holds while it rebuilds
        await dispatch(room.bot, command_payload("reindex", user_id=harness.STAFF_ID))
    assert "already running" in adapter.last().content


async def test_an_error_in_a_pass_is_logged_and_the_next_pass_works(
    newsroom: Newsroom, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    room = newsroom
    sources = room.settings.corpus_dir / "sources.yaml"
    good = sources.read_text(encoding="utf-8")
    sources.write_text("sources: [ {name: Bad Name} ]\n", encoding="utf-8")
    await room.cog.poll()
    assert "fetch skipped" in caplog.text and "sources.yaml" in caplog.text
    sources.write_text(good, encoding="utf-8")

    async def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("network on fire")

    # load_extension executed the cog's module afresh: patch the copy the bot runs.
    monkeypatch.setattr(sys.modules[type(room.cog).__module__], "fetch_all", explode)
    await room.cog.poll()
    (record,) = [r for r in caplog.records if "network on fire" in str(r.exc_info)]
    assert record.levelno == logging.ERROR and record.exc_info is not None
    monkeypatch.undo()

    result = await room.cog.run_once()
    assert result.fetched["new"] == 2


async def test_the_loop_runs_on_the_configured_interval_and_not_at_all_when_zero(
    scratch_settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    for minutes, running in ((0, False), (15, True)):
        store = FetchStore(tmp_path / f"fetch-{minutes}.sqlite3")
        settings = Settings(corpus_dir=scratch_settings.corpus_dir, data_dir=tmp_path, fetch_interval_minutes=minutes)
        client = CmsBot(settings=settings, engine=engine, store=None, fetch_store=store)
        await client._async_setup_hook()
        harness.bot_user(client)
        await client.setup_hook()
        cog: Subscriptions = client.get_cog("Subscriptions")  # type: ignore[assignment]
        assert cog.poll.is_running() is running
        if running:
            assert cog.poll.minutes == 15
        await client.remove_cog("Subscriptions")  # cog_unload cancels the loop
        await asyncio.sleep(0)
        assert not cog.poll.is_running()
        store.close()


def test_the_announcement_embed_stays_within_discord_limits() -> None:
    item = FetchedItem(url="https://www.cms.int/en/news/x (draft)", source="cms-news", kind="cop_document",
                       path=None, title="@everyone " + "Very long title " * 40, date=date(2024, 2, 12), meeting=14)
    embed = embeds.announcement_embed(item)
    assert check_embed(embed) == []
    assert embed.url == "https://www.cms.int/en/news/x%20%28draft%29"
    assert {f.name: f.value for f in embed.fields}["Meeting"] == "COP14"
    undated = embeds.announcement_embed(FetchedItem(url="not a url", source="s", kind="press_release"))
    assert undated.url is None and {f.name: f.value for f in undated.fields}["Date"] == "undated"


def test_source_baselines_are_kept_on_disk(tmp_path: Path) -> None:
    with FetchStore(tmp_path / "fetch.sqlite3") as store:
        assert store.baselined_sources() == set()
        store.mark_baselined("cms-news", "cop14-documents")
        store.mark_baselined("cms-news")  # idempotent
    with FetchStore(tmp_path / "fetch.sqlite3") as store:
        assert store.baselined_sources() == {"cms-news", "cop14-documents"}
