"""/ask through the real command tree, and the buttons under an answer."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
import discord_harness as harness
from discord_harness import FakeAdapter, command_payload, component_interaction, dispatch

from bot.discord.client import CmsBotBase
from bot.discord.safety import check_embed
from bot.discord.views import AnswerView, FeedbackModal
from bot.engine import Engine
from bot.model import Answer
from bot.state.feedback import Store
from bot.model import passage_ref

NO_PINGS = discord.AllowedMentions.none().to_dict()


class RecordingEngine:
    """The real engine, with the keyword arguments of every ask recorded."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.asks: list[dict[str, Any]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)

    async def ask_async(self, question: str, **kwargs: Any) -> Answer:
        self.asks.append({"question": question, **kwargs})
        return await self._engine.ask_async(question, **kwargs)


async def ask(bot: CmsBotBase, adapter: FakeAdapter, question: str, **options: Any) -> tuple[discord.Embed, AnswerView]:
    await dispatch(bot, command_payload("ask", question=question, **options))
    reply = adapter.last()
    (embed,) = reply.embeds
    view = harness.view_of(bot, reply)
    assert isinstance(view, AnswerView)
    return embed, view


async def test_ask_defers_then_answers_with_direct_answer_and_cited_quotes(bot: CmsBotBase, adapter: FakeAdapter) -> None:
    embed, _ = await ask(bot, adapter, "When did COP14 open?")
    defer = adapter.calls[0]
    assert defer.path.endswith("/callback") and defer.payload["type"] == 5  # "thinking…"
    reply = adapter.last()
    assert reply.method == "POST" and not reply.ephemeral
    assert reply.allowed_mentions == NO_PINGS
    assert embed.title == "When did COP14 open?"
    assert "12 February 2024" in embed.description
    assert 1 <= len(embed.fields) <= 3
    press = [f for f in embed.fields if "press/cop14-opening-2024-02-12~" in f.value]
    assert press, "the COP14 opening press release is cited"
    assert "12 February 2024" in press[0].name and "press release" in press[0].name  # date and kind
    assert "**" in "".join(f.value for f in embed.fields)  # matched words highlighted
    assert check_embed(embed) == []
    labels = [c.get("label") or c.get("emoji", {}).get("name") for row in reply.components for c in row["components"]]
    assert {"More sources", "👍", "👎"} <= set(labels)
    assert any(c["type"] == 3 for row in reply.components for c in row["components"])  # the Full passage select


async def test_ask_cites_a_cop_document_with_its_locator(bot: CmsBotBase, adapter: FakeAdapter) -> None:
    embed, _ = await ask(bot, adapter, "What does draft decision 14.AA ask?")
    (field,) = [f for f in embed.fields if "documents/unep-cms-cop14-doc19~decision-14.aa" in f.value]
    assert "Decision 14.AA" in field.value and "UNEP/CMS/COP14/Doc.19" in field.value
    assert "19 December 2023" in field.name


async def test_a_question_the_corpus_cannot_answer_says_so(bot: CmsBotBase, adapter: FakeAdapter) -> None:
    embed, view = await ask(bot, adapter, "What is the price of zebra pizza?")
    assert "couldn't find" in embed.description
    assert not embed.fields
    assert view.more_sources not in view.children  # no sources to page through; feedback stays
    assert view.thumbs_down in view.children


async def test_meeting_option_resolves_city_or_number_and_kind_is_passed(bot: CmsBotBase, adapter: FakeAdapter,
                                                                         engine: Engine) -> None:
    recording = RecordingEngine(engine)
    bot.engine = recording  # type: ignore[assignment]
    await dispatch(bot, command_payload("ask", question="What was launched?", meeting="Quito", kind="news_listing"))
    await dispatch(bot, command_payload("ask", question="What was launched?", meeting="14"))
    assert [(a["meeting"], a["kind"]) for a in recording.asks] == [(11, "news_listing"), (14, None)]


async def test_unknown_meeting_gets_a_friendly_private_error(bot: CmsBotBase, adapter: FakeAdapter) -> None:
    await dispatch(bot, command_payload("ask", question="When?", meeting="Atlantis"))
    (call,) = adapter.calls
    assert call.ephemeral and "Atlantis" in call.content and "COP14" in call.content


async def test_meeting_autocomplete_offers_number_or_city(bot: CmsBotBase, adapter: FakeAdapter) -> None:
    await dispatch(bot, command_payload("ask", focused="meeting", question="x", meeting="samar"))
    (call,) = adapter.calls
    assert call.payload["type"] == 8  # autocomplete result
    choices = call.payload["data"]["choices"]
    assert [c["value"] for c in choices] == ["14"]
    assert "Samarkand" in choices[0]["name"]
    adapter.calls.clear()
    await dispatch(bot, command_payload("ask", focused="meeting", question="x", meeting=""))
    assert len(adapter.calls[0].payload["data"]["choices"]) == len(bot.engine.meetings.all())


async def test_server_default_meeting_applies_only_when_the_question_names_none(
    bot: CmsBotBase, adapter: FakeAdapter, engine: Engine, store: Store
) -> None:
    store.update_guild_settings(harness.GUILD_ID, default_meeting=11)
    recording = RecordingEngine(engine)
    bot.engine = recording  # type: ignore[assignment]
    await dispatch(bot, command_payload("ask", question="What initiative was endorsed?"))
    await dispatch(bot, command_payload("ask", question="When did COP14 open?"))
    await dispatch(bot, command_payload("ask", question="What initiative was endorsed?", guild=False))  # a DM
    assert [a["meeting"] for a in recording.asks] == [11, None, None]


async def test_more_sources_pages_through_further_citations(bot: CmsBotBase, adapter: FakeAdapter) -> None:
    embed, view = await ask(bot, adapter, "Who is the press contact?")
    assert view.answer.more, "the engine returned further citations"
    first_ids = {f.value.rsplit("`", 2)[-2] for f in embed.fields}
    interaction = component_interaction(bot, view.more_sources.custom_id)
    await view.more_sources.callback(interaction)
    edit = adapter.calls[-1]
    assert edit.payload["type"] == 7  # update the message in place
    (page2,) = edit.embeds
    assert page2.fields[0].name.startswith(f"[{len(embed.fields) + 1}]")
    assert not first_ids & {f.value.rsplit("`", 2)[-2] for f in page2.fields}
    assert "page 2" in page2.footer.text
    assert check_embed(page2) == []
    assert view.back.disabled is False

    await view.back.callback(component_interaction(bot, view.back.custom_id))
    assert adapter.calls[-1].embeds[0].fields[0].name.startswith("[1]")


async def test_full_passage_shows_the_whole_passage_privately(bot: CmsBotBase, adapter: FakeAdapter,
                                                             engine: Engine) -> None:
    _, view = await ask(bot, adapter, "What does draft decision 14.AA ask?")
    interaction = component_interaction(bot, view.full_passage.custom_id, component_type=3, values=["0"])
    view.full_passage._refresh_state(interaction, interaction.data)  # as the view store does on a click
    await view.full_passage.callback(interaction)
    call = adapter.calls[-1]
    assert call.ephemeral
    (embed,) = call.embeds
    passage = engine.passage(view.answer.citations[0].passage.id)
    assert passage is not None and embed.description.replace("\\", "") == passage.text
    assert any(f.value.startswith(f"`{passage_ref(passage.id)}`") for f in embed.fields)


async def test_thumbs_store_feedback_and_the_modal_adds_a_comment(bot: CmsBotBase, adapter: FakeAdapter,
                                                                  store: Store) -> None:
    _, view = await ask(bot, adapter, "Who is the press contact?")
    message = harness.message_payload("answer")
    await view.thumbs_down.callback(component_interaction(bot, view.thumbs_down.custom_id, message=message))
    modal_call = adapter.calls[-1]
    assert modal_call.payload["type"] == 9  # a modal
    (row,) = store.feedback()
    assert row["question"] == "Who is the press contact?"
    assert row["rating"] == -1 and row["user_id"] == harness.USER_ID and row["guild_id"] == harness.GUILD_ID
    assert row["passage_ids"] == [c.passage.id for c in view.all_citations]
    assert row["message_id"] == int(message["id"]) and row["comment"] is None

    # Submit the modal as Discord would: through the connection state to the stored modal.
    modal_data = modal_call.payload["data"]
    text_input = modal_data["components"][0]["components"][0]
    submit = harness.interaction_payload(5, {
        "custom_id": modal_data["custom_id"],
        "components": [{"type": 1, "components": [{"type": 4, "custom_id": text_input["custom_id"],
                                                   "value": "Wanted the phone number"}]}],
    })
    before = set(asyncio.all_tasks())
    bot._connection.parse_interaction_create(submit)
    await asyncio.gather(*(set(asyncio.all_tasks()) - before))
    assert store.feedback()[0]["comment"] == "Wanted the phone number"
    thanks = adapter.calls[-1]
    assert thanks.ephemeral and "saved" in thanks.content

    # A second click by the same user changes the vote rather than adding one.
    await view.thumbs_up.callback(component_interaction(bot, view.thumbs_up.custom_id, message=message))
    assert [(r["rating"], r["comment"]) for r in store.feedback()] == [(1, "Wanted the phone number")]
    assert isinstance(FeedbackModal(bot, 1, 1).title, str)
