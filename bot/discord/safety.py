"""Safe by default: no pings, escaped user text, and Discord's size limits enforced in one place.

Every embed the bot sends goes through :func:`fit_embed` and every message body through
:func:`fit_content`, so nothing the corpus or a user writes can make Discord reject a reply
(HTTP 400) or ping a role.
"""

from __future__ import annotations

import discord

#: Discord's documented limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_LIMIT = 256
EMBED_TOTAL_LIMIT = 6000
#: Select option labels/descriptions, button labels, modal titles.
LABEL_LIMIT = 100
MODAL_TITLE_LIMIT = 45
THREAD_NAME_LIMIT = 100

ELLIPSIS = "…"


def no_mentions() -> discord.AllowedMentions:
    """A fresh ``AllowedMentions.none()``: nobody is pinged, not even the person replied to."""
    return discord.AllowedMentions.none()


def truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in an ellipsis when cut (at a word if one is near)."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    if limit == 1:
        return ELLIPSIS
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 0.8:
        cut = cut[:space]
    # Never leave half a markdown bold marker or a dangling escape behind.
    cut = cut.rstrip()
    if cut.count("**") % 2:
        cut = cut[: cut.rfind("**")].rstrip()
    if cut.endswith("\\"):
        cut = cut[:-1]
    return cut + ELLIPSIS


def escape_user_text(text: str) -> str:
    """User-supplied text made inert for echoing: markdown escaped, mentions defused."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def clean_user_text(text: str, limit: int) -> str:
    """Escaped (see :func:`escape_user_text`), whitespace collapsed, and truncated to ``limit``."""
    collapsed = " ".join(text.split())
    # Truncate before escaping too, so escaping a 10,000-character question stays cheap.
    return truncate(escape_user_text(truncate(collapsed, limit)), limit)


def fit_content(text: str | None) -> str | None:
    """A message body within Discord's 2000-character limit."""
    return None if text is None else truncate(text, CONTENT_LIMIT)


def embed_size(embed: discord.Embed) -> int:
    """The characters Discord counts towards the 6000 total (title, description, fields, footer, author)."""
    return len(embed)


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """Make ``embed`` satisfy every Discord limit, in place, and return it.

    Fields beyond 25 are dropped; then, while the total exceeds 6000, the last fields go first
    (they are the least relevant citations), then the description shrinks.
    """
    if embed.title:
        embed.title = truncate(embed.title, TITLE_LIMIT)
    if embed.description:
        embed.description = truncate(embed.description, DESCRIPTION_LIMIT)
    if embed.author and embed.author.name:
        embed.set_author(name=truncate(embed.author.name, AUTHOR_LIMIT), url=embed.author.url, icon_url=embed.author.icon_url)
    if embed.footer and embed.footer.text:
        embed.set_footer(text=truncate(embed.footer.text, FOOTER_LIMIT), icon_url=embed.footer.icon_url)

    fields = [(f.name or "\u200b", f.value or "\u200b", f.inline) for f in embed.fields][:FIELD_COUNT_LIMIT]
    embed.clear_fields()
    for name, value, inline in fields:
        embed.add_field(name=truncate(name, FIELD_NAME_LIMIT), value=truncate(value, FIELD_VALUE_LIMIT), inline=inline)

    overflow = len(embed) - EMBED_TOTAL_LIMIT
    while overflow > 0 and len(embed.fields) > 1:
        embed.remove_field(len(embed.fields) - 1)
        overflow = len(embed) - EMBED_TOTAL_LIMIT
    if overflow > 0 and embed.description:
        keep = max(len(embed.description) - overflow, 0)
        embed.description = truncate(embed.description, keep) or None
        overflow = len(embed) - EMBED_TOTAL_LIMIT
    if overflow > 0 and embed.fields:
        field = embed.fields[0]
        embed.set_field_at(0, name=field.name, value=truncate(field.value or "", max(len(field.value or "") - overflow, 1)),
                           inline=field.inline)
        overflow = len(embed) - EMBED_TOTAL_LIMIT
    if overflow > 0 and embed.footer and embed.footer.text:
        embed.set_footer(text=truncate(embed.footer.text, max(len(embed.footer.text) - overflow, 0)) or None)
    return embed


def check_embed(embed: discord.Embed) -> list[str]:
    """Every limit ``embed`` breaks (empty when it is sendable); used by tests and as a last assertion."""
    problems = []
    if embed.title and len(embed.title) > TITLE_LIMIT:
        problems.append("title")
    if embed.description and len(embed.description) > DESCRIPTION_LIMIT:
        problems.append("description")
    if len(embed.fields) > FIELD_COUNT_LIMIT:
        problems.append("field count")
    for i, field in enumerate(embed.fields):
        if not field.name or len(field.name) > FIELD_NAME_LIMIT:
            problems.append(f"field {i} name")
        if not field.value or len(field.value) > FIELD_VALUE_LIMIT:
            problems.append(f"field {i} value")
    if embed.footer and embed.footer.text and len(embed.footer.text) > FOOTER_LIMIT:
        problems.append("footer")
    if embed.author and embed.author.name and len(embed.author.name) > AUTHOR_LIMIT:
        problems.append("author")
    if len(embed) > EMBED_TOTAL_LIMIT:
        problems.append("total")
    return problems
