"""Slash-command options shared by the cogs: meeting (autocompleted), kind (choices), dates."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.discord.safety import LABEL_LIMIT, escape_user_text, truncate
from bot.cms.dates import parse_span
from bot.cms.meetings import UnknownMeeting
from bot.model import KIND_LABELS, KINDS, format_date
from bot.text.i18n import translate

if TYPE_CHECKING:
    from bot.cms.meetings import MeetingRegistry

KIND_CHOICES: list[app_commands.Choice[str]] = [
    app_commands.Choice(name=KIND_LABELS[kind], value=kind) for kind in KINDS
]


class OptionError(ValueError):
    """A user typed an option the bot can't use; the message is shown to them as is."""


def parse_meeting(text: str | None, meetings: MeetingRegistry, lang: str = "en") -> int | None:
    """"14", "COP14", "Samarkand", "fourteenth COP" → 14; None/blank → None; unknown → OptionError."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    try:
        return meetings.number_of(value)
    except UnknownMeeting:
        known = ", ".join(m.code for m in meetings.all()) or translate("none", lang)
        raise OptionError(translate("I don't know a meeting called “{name}”. Try a COP number or host city "
                                    "(known: {known}).", lang, name=escape_user_text(truncate(value, 60)),
                                    known=known)) from None


def parse_date_option(text: str | None, *, end: bool = False, lang: str = "en") -> date | None:
    """"2024-02-12", "12 February 2024" or "February 2024" (a month: its first day, or last when ``end``)."""
    if text is None or not text.strip():
        return None
    span = parse_span(text.strip())
    if span is None:
        raise OptionError(translate("“{text}” isn't a date I can read. Use YYYY-MM-DD (2024-02-12) or a day like "
                                    "“12 February 2024”.", lang, text=escape_user_text(truncate(text.strip(), 40))))
    return span.end if end else span.start


def meeting_choices(meetings: MeetingRegistry, current: str) -> list[app_commands.Choice[str]]:
    """Up to 25 meetings matching what the user has typed (number, code, city or country), newest first."""
    needle = current.strip().lower().removeprefix("cop").strip()
    choices = []
    for m in sorted(meetings.all(), key=lambda m: m.number, reverse=True):
        haystack = f"{m.number} cop{m.number} {m.city} {m.country} {m.start.year}".lower()
        if needle and needle not in haystack:
            continue
        label = f"{m.code} — {m.place} ({m.start.year})"
        choices.append(app_commands.Choice(name=truncate(label, LABEL_LIMIT), value=str(m.number)))
        if len(choices) == 25:
            break
    return choices


async def meeting_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return meeting_choices(interaction.client.engine.meetings, current)  # type: ignore[attr-defined]


def describe_filters(*, meeting: int | None = None, kind: str | None = None, date_from: date | None = None,
                     date_to: date | None = None) -> str:
    parts = []
    if meeting is not None:
        parts.append(f"COP{meeting}")
    if kind is not None:
        parts.append(KIND_LABELS.get(kind, kind))
    if date_from and date_to:
        parts.append(f"{format_date(date_from)} – {format_date(date_to)}")
    elif date_from:
        parts.append(f"from {format_date(date_from)}")
    elif date_to:
        parts.append(f"until {format_date(date_to)}")
    return ", ".join(parts)
