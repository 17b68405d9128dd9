"""Looking around the corpus: ``/search``, ``/meeting``, ``/latest``, ``/source``, ``/about``."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.text.i18n import N_, lang_from_locale, translate
from bot.discord import embeds
from bot.discord.client import question_cooldown, send_ephemeral
from bot.discord.options import (
    KIND_CHOICES,
    OptionError,
    describe_filters,
    meeting_autocomplete,
    parse_date_option,
    parse_meeting,
)
from bot.discord.safety import LABEL_LIMIT, escape_user_text, no_mentions, truncate
from bot.discord.views import SearchView
from bot.model import passage_ref

if TYPE_CHECKING:
    from bot.discord.client import CmsBotBase


class Browse(commands.Cog):
    def __init__(self, bot: CmsBotBase) -> None:
        self.bot = bot

    @app_commands.command(name="search", description=N_("Search the CMS texts the bot holds; results page by page."))
    @app_commands.describe(
        query=N_("Words to look for, e.g. “light pollution” or “UNEP/CMS/COP14/Doc.19”"),
        meeting=N_("Limit to one COP (number or host city)"),
        kind=N_("Limit to one kind of source"),
        from_=N_("Earliest date: YYYY-MM-DD or “12 February 2024”"),
        to=N_("Latest date: YYYY-MM-DD or “17 February 2024”"),
    )
    @app_commands.rename(from_="from")
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @app_commands.choices(kind=KIND_CHOICES)
    @question_cooldown()
    async def search(
        self,
        interaction: discord.Interaction,
        query: app_commands.Range[str, 1, 300],
        meeting: str | None = None,
        kind: app_commands.Choice[str] | None = None,
        from_: str | None = None,
        to: str | None = None,
    ) -> None:
        try:
            number = parse_meeting(meeting, self.bot.engine.meetings, lang_from_locale(interaction.locale))
            date_from = parse_date_option(from_, lang=lang_from_locale(interaction.locale))
            date_to = parse_date_option(to, end=True, lang=lang_from_locale(interaction.locale))
        except OptionError as exc:
            await send_ephemeral(interaction, str(exc))
            return
        if date_from and date_to and date_from > date_to:
            await send_ephemeral(interaction, translate("The “from” date is after the “to” date.",
                                                        lang_from_locale(interaction.locale)))
            return
        await interaction.response.defer(thinking=True)
        kind_value = kind.value if kind else None
        view = SearchView(
            self.bot, query, meeting=number, kind=kind_value, date_from=date_from, date_to=date_to,
            filters=describe_filters(meeting=number, kind=kind_value, date_from=date_from, date_to=date_to),
            lang=lang_from_locale(interaction.locale),
        )
        embed = await view.load(0)
        view.message = await interaction.followup.send(embed=embed, view=view, allowed_mentions=no_mentions(), wait=True)

    @app_commands.command(name="meeting", description=N_("A COP at a glance: dates, place, what the bot holds, latest items."))
    @app_commands.describe(cop=N_("COP number or host city, e.g. 14 or Samarkand"))
    @app_commands.autocomplete(cop=meeting_autocomplete)
    async def meeting(self, interaction: discord.Interaction, cop: str) -> None:
        engine = self.bot.engine
        try:
            number = parse_meeting(cop, engine.meetings, lang_from_locale(interaction.locale))
        except OptionError as exc:
            await send_ephemeral(interaction, str(exc))
            return
        if number is None:
            await send_ephemeral(interaction, translate("Which COP? Give a number or a host city.",
                                                        lang_from_locale(interaction.locale)))
            return
        found = engine.meetings.get(number)
        assert found is not None  # parse_meeting checked it
        loop = asyncio.get_running_loop()
        (documents, passages), latest = await asyncio.gather(
            loop.run_in_executor(None, engine.meeting_stats, number),
            loop.run_in_executor(None, lambda: engine.latest(meeting=number, limit=5)),
        )
        embed = embeds.meeting_embed(found, documents, passages, latest, lang_from_locale(interaction.locale))
        await interaction.response.send_message(embed=embed, allowed_mentions=no_mentions())

    @app_commands.command(name="latest", description=N_("The newest items the bot holds, by date."))
    @app_commands.describe(meeting=N_("Limit to one COP (number or host city)"), kind=N_("Limit to one kind of source"))
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @app_commands.choices(kind=KIND_CHOICES)
    async def latest(
        self,
        interaction: discord.Interaction,
        meeting: str | None = None,
        kind: app_commands.Choice[str] | None = None,
    ) -> None:
        engine = self.bot.engine
        try:
            number = parse_meeting(meeting, engine.meetings, lang_from_locale(interaction.locale))
        except OptionError as exc:
            await send_ephemeral(interaction, str(exc))
            return
        kind_value = kind.value if kind else None
        passages = await asyncio.get_running_loop().run_in_executor(
            None, lambda: engine.latest(meeting=number, kind=kind_value, limit=5)
        )
        filters = describe_filters(meeting=number, kind=kind_value)
        lang = lang_from_locale(interaction.locale)
        title = translate("Latest ({filters})", lang, filters=filters) if filters else translate("Latest", lang)
        embed = embeds.passages_list_embed(title, passages, empty=translate("I hold nothing matching that yet.", lang),
                                           lang=lang)
        await interaction.response.send_message(embed=embed, allowed_mentions=no_mentions())

    @app_commands.command(name="source", description=N_("Show a whole passage with its citation, by id."))
    @app_commands.describe(id=N_("A passage id as shown under a quote, e.g. documents/unep-cms-cop14-doc19~para-8"))
    async def source(self, interaction: discord.Interaction, id: app_commands.Range[str, 1, 300]) -> None:
        passage = self.bot.engine.passage(id.strip().strip("`"))
        lang = lang_from_locale(interaction.locale)
        if passage is None:
            await send_ephemeral(
                interaction,
                translate("No passage has the id `{id}`. Ids are shown under each quote; /search finds passages "
                          "by their words.", lang, id=escape_user_text(truncate(id, 100)).replace('`', '')),
            )
            return
        await interaction.response.send_message(embed=embeds.passage_embed(passage, lang),
                                                allowed_mentions=no_mentions())

    @source.autocomplete("id")
    async def source_autocomplete(self, interaction: discord.Interaction, current: str
                                  ) -> list[app_commands.Choice[str]]:
        engine = self.bot.engine
        current = current.strip()
        if not current:
            passages = await asyncio.get_running_loop().run_in_executor(None, lambda: engine.latest(limit=25))
        else:
            exact = engine.passage(current)
            hits = await engine.search_async(current.replace("#", " ").replace("~", " ").replace("/", " ").replace("-", " "), limit=25)
            passages = ([exact] if exact else []) + [h.passage for h in hits if not exact or h.passage.id != exact.id]
        return [
            app_commands.Choice(name=truncate(f"{passage_ref(p.id)} — {p.title}", LABEL_LIMIT), value=passage_ref(p.id))
            for p in passages[:25]
            if len(p.id) <= LABEL_LIMIT
        ]

    @app_commands.command(name="about", description=N_("What the bot knows, and its version."))
    async def about(self, interaction: discord.Interaction) -> None:
        engine = self.bot.engine
        stats = await asyncio.get_running_loop().run_in_executor(None, engine.stats)
        await interaction.response.send_message(
            embed=embeds.about_embed(stats, engine.meetings.all(), self.bot.version, lang_from_locale(interaction.locale)),
            allowed_mentions=no_mentions(),
        )


async def setup(bot: CmsBotBase) -> None:
    await bot.add_cog(Browse(bot))  # type: ignore[attr-defined]
