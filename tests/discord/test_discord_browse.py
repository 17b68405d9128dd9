"""/search, /meeting, /latest, /source, /about on the shipped corpus."""

from __future__ import annotations

import discord_harness as harness
from discord_harness import FakeAdapter, command_payload, component_interaction, dispatch

from bot import __version__
from bot.discord.client import CmsBotBase
from bot.discord.safety import check_embed
from bot.discord.views import SearchView
from bot.engine import Engine
from bot.model import format_date
from bot.model import passage_ref


async def test_search_pages_with_previous_and_next(bot: CmsBotBase, adapter: FakeAdapter) -> None:
    await dispatch(bot, command_payload("search", query="migratory species"))
    reply = adapter.last()
    (page1,) = reply.embeds
    assert [f.name[:3] for f in page1.fields] == ["[1]", "[2]", "[3]", "[4]", "[5]"]
    assert check_embed(page1) == []
    view = harness.view_of(bot, reply)
    assert isinstance(view, SearchView)
    assert view.previous.disabled and not view.next.disabled

    await view.next.callback(component_interaction(bot, view.next.custom_id))
    edit = adapter.calls[-1]
    assert edit.payload["type"] == 7
    (page2,) = edit.embeds
    assert page2.fields[0].name.startswith("[6]")
    assert not {f.value for f in page1.fields} & {f.value for f in page2.fields}
    assert not view.previous.disabled

    await view.previous.callback(component_interaction(bot, view.previous.custom_id))
    assert [f.name for f in adapter.calls[-1].embeds[0].fields] == [f.name for f in page1.fields]


async def test_search_filters_by_date_in_either_format(bot: CmsBotBase, adapter: FakeAdapter) -> None:
    await dispatch(bot, command_payload("search", query="migratory", from_="2024-01-01", to="17 February 2024"))
    (embed,) = adapter.last().embeds
    assert embed.fields and all("2024" in f.name for f in embed.fields)
    assert "1 January 2024 – 17 February 2024" in embed.description


async def test_search_with_a_bad_date_gets_a_friendly_private_error(bot: CmsBotBase, adapter: FakeAdapter) -> None:
    await dispatch(bot, command_payload("search", query="migratory", from_="next tuesday-ish"))
    (call,) = adapter.calls
    assert call.ephemeral and "YYYY-MM-DD" in call.content and "next tuesday" in call.content


async def test_search_with_dates_the_wrong_way_round(bot: CmsBotBase, adapter: FakeAdapter) -> None:
    await dispatch(bot, command_payload("search", query="migratory", from_="2024-02-12", to="2014-01-01"))
    (call,) = adapter.calls
    assert call.ephemeral and "after" in call.content


async def test_meeting_shows_dates_place_holdings_and_latest(bot: CmsBotBase, adapter: FakeAdapter,
                                                             engine: Engine) -> None:
    await dispatch(bot, command_payload("meeting", cop="Samarkand"))
    (embed,) = adapter.last().embeds
    fields = {f.name: f.value for f in embed.fields}
    documents, passages = engine.meeting_stats(14)
    assert embed.title.startswith("COP14") and "Samarkand" in embed.title
    assert "12 February 2024" in fields["Dates"] and "17 February 2024" in fields["Dates"]
    assert fields["What I hold"] == f"{documents} documents, {passages} passages"
    assert passage_ref(engine.latest(meeting=14, limit=1)[0].id) in fields["Latest items"]


async def test_meeting_by_number_for_a_cop_the_bot_has_no_texts_for(bot: CmsBotBase, adapter: FakeAdapter) -> None:
    held = set(bot.engine.stats().meetings)
    empty = next(m for m in bot.engine.meetings.all() if m.number not in held)
    await dispatch(bot, command_payload("meeting", cop=str(empty.number)))
    (embed,) = adapter.last().embeds
    assert embed.title.startswith(empty.code)
    assert "0 documents" in {f.name: f.value for f in embed.fields}["What I hold"]


async def test_latest_lists_newest_first(bot: CmsBotBase, adapter: FakeAdapter, engine: Engine) -> None:
    await dispatch(bot, command_payload("latest"))
    (embed,) = adapter.last().embeds
    expected = engine.latest(limit=5)
    assert len(embed.fields) == len(expected)
    for field, passage in zip(embed.fields, expected):
        assert passage_ref(passage.id) in field.value
    await dispatch(bot, command_payload("latest", meeting="11", kind="news_listing"))
    (embed,) = adapter.last().embeds
    assert "COP11" in embed.title and all("2014" in f.name for f in embed.fields)


async def test_source_shows_the_whole_passage_with_its_citation(bot: CmsBotBase, adapter: FakeAdapter,
                                                                engine: Engine) -> None:
    pid = "documents/unep-cms-cop14-doc19#para-8"
    await dispatch(bot, command_payload("source", id=pid))
    (embed,) = adapter.last().embeds
    passage = engine.passage(pid)
    assert passage is not None
    assert embed.description.replace("\\", "") == passage.text
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Where"] == "para. 8" and fields["Date"] == "19 December 2023"
    assert fields["Symbol"] == "UNEP/CMS/COP14/Doc.19" and passage_ref(pid) in fields["Cite as"]


async def test_source_with_an_unknown_id(bot: CmsBotBase, adapter: FakeAdapter) -> None:
    await dispatch(bot, command_payload("source", id="documents/nothing#para-99"))
    (call,) = adapter.calls
    assert call.ephemeral and "No passage" in call.content


async def test_source_autocomplete_finds_ids_by_words_or_id(bot: CmsBotBase, adapter: FakeAdapter) -> None:
    await dispatch(bot, command_payload("source", focused="id", id="documents/unep-cms-cop14-doc19#para-8"))
    values = [c["value"] for c in adapter.calls[-1].payload["data"]["choices"]]
    assert values[0] == "documents/unep-cms-cop14-doc19~para-8"  # the URL-safe ref every frontend shows
    await dispatch(bot, command_payload("source", focused="id", id="light pollution"))
    values = [c["value"] for c in adapter.calls[-1].payload["data"]["choices"]]
    assert values and all(len(v) <= 100 for v in values) and len(values) <= 25


async def test_about_reports_holdings_and_version(bot: CmsBotBase, adapter: FakeAdapter, engine: Engine) -> None:
    await dispatch(bot, command_payload("about"))
    (embed,) = adapter.last().embeds
    stats = engine.stats()
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Documents"].startswith(str(stats.documents))
    assert fields["Passages"] == str(stats.passages)
    assert "COP11 (Quito)" in fields["Meetings covered"] and "COP14 (Samarkand)" in fields["Meetings covered"]
    assert format_date(stats.first_date) in fields["Dates covered"]
    assert __version__ in embed.footer.text
