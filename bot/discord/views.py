"""Buttons under answers and search results: more sources, full passage, feedback, paging."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import discord

from bot.discord import embeds
from bot.discord.client import APOLOGY, send_ephemeral
from bot.discord.safety import LABEL_LIMIT, no_mentions, truncate
from bot.model import Answer, Citation
from bot.text.i18n import N_, lang_from_locale, translate

if TYPE_CHECKING:
    from bot.discord.client import CmsBotBase

log = logging.getLogger(__name__)

PAGE_SIZE = 3
#: Just under the 15 minutes an interaction token lives, so the timeout can still disable the buttons.
VIEW_TIMEOUT = 14 * 60.0


class BaseView(discord.ui.View):
    """Errors in a callback: logged with the traceback, an apology to the clicker."""

    message: discord.Message | discord.WebhookMessage | None = None

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        log.error("error in %s (%s) for user %s", type(self).__name__, getattr(item, "custom_id", item),
                  interaction.user.id, exc_info=error)
        try:
            await send_ephemeral(interaction, translate(APOLOGY, lang_from_locale(interaction.locale)))
        except discord.HTTPException:
            pass

    async def on_timeout(self) -> None:
        for child in self.children:
            if isinstance(child, (discord.ui.Button, discord.ui.Select)):
                child.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                pass


def citation_pages(answer: Answer, page_size: int = PAGE_SIZE) -> list[tuple[Citation, ...]]:
    """First page = ``answer.citations``; ``answer.more`` split into further pages."""
    pages = [tuple(answer.citations)]
    more = tuple(answer.more)
    for start in range(0, len(more), page_size):
        pages.append(more[start:start + page_size])
    return pages


class FeedbackModal(discord.ui.Modal):
    """Opened by 👍/👎: the vote is already stored; this only adds an optional comment."""

    comment: discord.ui.TextInput[FeedbackModal] = discord.ui.TextInput(
        label=N_("Anything to add? (optional)"),
        style=discord.TextStyle.paragraph,
        required=False,
        max_length=1000,
        placeholder=N_("What was wrong or missing? Which source did you expect?"),
    )

    def __init__(self, bot: CmsBotBase, feedback_id: int, rating: int, lang: str = "en") -> None:
        title = translate("Thanks! 👍", lang) if rating > 0 else translate("Thanks — what went wrong? 👎", lang)
        super().__init__(title=title, timeout=600)
        self.bot = bot
        self.feedback_id = feedback_id
        self.lang = lang
        if lang != "en":  # the same field, in the clicker's language
            self.remove_item(self.comment)
            self.comment = discord.ui.TextInput(
                label=translate("Anything to add? (optional)", lang), style=discord.TextStyle.paragraph,
                required=False, max_length=1000,
                placeholder=translate("What was wrong or missing? Which source did you expect?", lang),
            )
            self.add_item(self.comment)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        text = (self.comment.value or "").strip()
        if text and self.bot.store is not None:
            self.bot.store.add_comment(self.feedback_id, text)
        await interaction.response.send_message(
            translate("Thanks — your comment was saved for the CMS team.", self.lang) if text
            else translate("Thanks for the feedback.", self.lang),
            ephemeral=True, allowed_mentions=no_mentions(),
        )

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        log.error("error in feedback modal for user %s", interaction.user.id, exc_info=error)
        try:
            await send_ephemeral(interaction, translate(APOLOGY, lang_from_locale(interaction.locale)))
        except discord.HTTPException:
            pass


class AnswerView(BaseView):
    """Under an answer: ◀ Back / More sources ▶, a "Full passage" select, 👍 / 👎."""

    def __init__(self, bot: CmsBotBase, answer: Answer, *, timeout: float | None = VIEW_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.bot = bot
        self.answer = answer
        self.pages = citation_pages(answer)
        self.page = 0
        self.lang = answer.lang
        self.back.label = translate("Back", self.lang)
        self.more_sources.label = translate("More sources", self.lang)
        self.full_passage.placeholder = translate("Full passage…", self.lang)
        if not answer.citations:
            self.remove_item(self.back)
            self.remove_item(self.more_sources)
            self.remove_item(self.full_passage)
        self._redraw()

    @property
    def all_citations(self) -> tuple[Citation, ...]:
        return tuple(c for page in self.pages for c in page)

    def _first_number(self, page: int) -> int:
        return 1 + sum(len(p) for p in self.pages[:page])

    def embed(self) -> discord.Embed:
        return embeds.answer_embed(self.answer, self.pages[self.page], first_number=self._first_number(self.page),
                                   page=self.page, pages=len(self.pages))

    def _redraw(self) -> None:
        self.back.disabled = self.page == 0
        self.more_sources.disabled = self.page >= len(self.pages) - 1
        first = self._first_number(self.page)
        citations = self.pages[self.page]
        self.full_passage.options = [
            discord.SelectOption(
                label=truncate(f"[{first + i}] {c.passage.title}", LABEL_LIMIT),
                description=truncate(f"{c.passage.locator} · {c.passage.document_title}", LABEL_LIMIT),
                value=str(first + i - 1),
            )
            for i, c in enumerate(citations)
        ] or [discord.SelectOption(label=translate("No sources", self.lang), value="-1")]
        self.full_passage.disabled = not citations

    async def _show_page(self, interaction: discord.Interaction, page: int) -> None:
        self.page = max(0, min(page, len(self.pages) - 1))
        self._redraw()
        await interaction.response.edit_message(embed=self.embed(), view=self, allowed_mentions=no_mentions())

    @discord.ui.button(label=N_("Back"), emoji="◀️", style=discord.ButtonStyle.secondary, row=0)
    async def back(self, interaction: discord.Interaction, button: discord.ui.Button[AnswerView]) -> None:
        await self._show_page(interaction, self.page - 1)

    @discord.ui.button(label=N_("More sources"), emoji="📚", style=discord.ButtonStyle.primary, row=0)
    async def more_sources(self, interaction: discord.Interaction, button: discord.ui.Button[AnswerView]) -> None:
        await self._show_page(interaction, self.page + 1)

    @discord.ui.button(emoji="👍", style=discord.ButtonStyle.secondary, row=0)
    async def thumbs_up(self, interaction: discord.Interaction, button: discord.ui.Button[AnswerView]) -> None:
        await self._feedback(interaction, 1)

    @discord.ui.button(emoji="👎", style=discord.ButtonStyle.secondary, row=0)
    async def thumbs_down(self, interaction: discord.Interaction, button: discord.ui.Button[AnswerView]) -> None:
        await self._feedback(interaction, -1)

    @discord.ui.select(placeholder=N_("Full passage…"), row=1, options=[discord.SelectOption(label="…", value="-1")])
    async def full_passage(self, interaction: discord.Interaction, select: discord.ui.Select[AnswerView]) -> None:
        citations = self.all_citations
        index = int(select.values[0]) if select.values else -1
        if not 0 <= index < len(citations):
            await send_ephemeral(interaction, translate("That source is no longer available.", self.lang))
            return
        passage = self.bot.engine.passage(citations[index].passage.id) or citations[index].passage
        await interaction.response.send_message(embed=embeds.passage_embed(passage, self.lang), ephemeral=True,
                                                allowed_mentions=no_mentions())

    async def _feedback(self, interaction: discord.Interaction, rating: int) -> None:
        if self.bot.store is None:
            await send_ephemeral(interaction, translate("Feedback is not being recorded right now.", self.lang))
            return
        feedback_id = self.bot.store.record_feedback(
            question=self.answer.question,
            rating=rating,
            passage_ids=[c.passage.id for c in self.all_citations],
            user_id=interaction.user.id,
            guild_id=interaction.guild_id,
            message_id=interaction.message.id if interaction.message else None,
        )
        await interaction.response.send_modal(FeedbackModal(self.bot, feedback_id, rating, self.lang))


class SearchView(BaseView):
    """◀ Previous / Next ▶ over ``engine.search`` pages; fetches one extra hit to know if there is a next page."""

    def __init__(
        self,
        bot: CmsBotBase,
        query: str,
        *,
        meeting: int | None = None,
        kind: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        filters: str = "",
        page_size: int = 5,
        timeout: float | None = VIEW_TIMEOUT,
        lang: str = "en",
    ) -> None:
        super().__init__(timeout=timeout)
        self.bot = bot
        self.lang = lang
        self.previous.label = translate("Previous", lang)
        self.next.label = translate("Next", lang)
        self.query = query
        self.meeting = meeting
        self.kind = kind
        self.date_from = date_from
        self.date_to = date_to
        self.filters = filters
        self.page_size = page_size
        self.page = 0
        self.has_next = False

    async def load(self, page: int) -> discord.Embed:
        """Fetch ``page`` (in an executor) and return its embed; updates the buttons."""
        hits = await self.bot.engine.search_async(
            self.query, meeting=self.meeting, kind=self.kind, date_from=self.date_from, date_to=self.date_to,
            limit=self.page_size + 1, offset=page * self.page_size,
        )
        self.page = page
        self.has_next = len(hits) > self.page_size
        shown: Sequence[Any] = hits[: self.page_size]
        self.previous.disabled = page == 0
        self.next.disabled = not self.has_next
        return embeds.search_embed(self.query, shown, page=page, has_next=self.has_next, filters=self.filters,
                                   first_number=page * self.page_size + 1, lang=self.lang)

    async def _go(self, interaction: discord.Interaction, page: int) -> None:
        embed = await self.load(max(page, 0))
        await interaction.response.edit_message(embed=embed, view=self, allowed_mentions=no_mentions())

    @discord.ui.button(label=N_("Previous"), emoji="◀️", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button[SearchView]) -> None:
        await self._go(interaction, self.page - 1)

    @discord.ui.button(label=N_("Next"), emoji="▶️", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button[SearchView]) -> None:
        await self._go(interaction, self.page + 1)
