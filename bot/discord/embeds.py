"""Engine results → Discord embeds. Every builder ends in :func:`bot.discord.safety.fit_embed`.

Corpus text is escaped for markdown too: quotes are verbatim, so a ``*`` or ``_`` in a COP
document must show as itself, not restyle the rest of the quote.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import discord

from bot.discord.safety import (
    DESCRIPTION_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    TITLE_LIMIT,
    clean_user_text,
    fit_embed,
    truncate,
)
from bot.answer.render import kind_name
from bot.model import Answer, Citation, CorpusStats, Hit, Meeting, Passage, passage_ref
from bot.text.i18n import N_, format_date, ngettext, translate
from bot.snippet import snippet

if TYPE_CHECKING:
    from bot.fetch.report import FetchedItem

COLOUR = discord.Colour(0x1B6AA5)
NOT_FOUND_COLOUR = discord.Colour(0x8A8F98)
FOOTER = N_("cmsbot · quotes are verbatim from CMS texts · check the source before publishing")
ANNOUNCE_FOOTER = N_("cmsbot · new from the CMS website · /unsubscribe stops these posts")
#: Room kept at the end of a citation field for its source line.
_SOURCE_LINE_ROOM = 300


def escape(text: str) -> str:
    """Corpus text made literal for Discord markdown (mentions are inert in embeds and harmless here)."""
    return discord.utils.escape_markdown(text, as_needed=False)


def highlight(quote: str, spans: Sequence[tuple[int, int]]) -> str:
    """``quote`` escaped, with the matched words in bold."""
    out: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, len(quote))
        if start >= end:
            continue
        out.append(escape(quote[pos:start]))
        word = quote[start:end]
        stripped = word.strip()
        if stripped:
            lead = word[: len(word) - len(word.lstrip())]
            trail = word[len(word.rstrip()):]
            out.append(f"{lead}**{escape(stripped)}**{trail}")
        else:
            out.append(word)
        pos = end
    out.append(escape(quote[pos:]))
    return "".join(out)


def safe_url(url: str) -> str:
    """A URL that cannot break out of a markdown link."""
    return url.replace(" ", "%20").replace(")", "%29").replace("(", "%28").replace(">", "%3E")


def kind_label(kind: str, lang: str = "en") -> str:
    return kind_name(kind, lang)


def source_line(passage: Passage, lang: str = "en") -> str:
    """``— para. 8 · UNEP/CMS/COP14/Doc.19 · [source](url) · `id```: where the quote sits (title and date are
    in the field name above it)."""
    parts = [escape(passage.locator)]
    if passage.symbol:
        parts.append(escape(passage.symbol))
    if passage.url:
        label = translate("source", lang)
        parts.append(f"[{label}]({safe_url(passage.url)})")
    parts.append(f"`{passage_ref(passage.id)}`")
    return "— " + " · ".join(parts)


def citation_field(number: int, citation: Citation, lang: str = "en") -> tuple[str, str]:
    """One numbered citation as an embed field (name, value), each within its limit."""
    passage = citation.passage
    kind = kind_label(passage.kind, lang)
    name = truncate(f"[{number}] {passage.title} ({kind}, {format_date(passage.date, lang)})", FIELD_NAME_LIMIT)
    source = truncate(source_line(passage, lang), _SOURCE_LINE_ROOM)
    room = FIELD_VALUE_LIMIT - len(source) - 4
    quote = truncate(f"> {highlight(citation.quote, citation.highlights)}".replace("\n", "\n> "), room)
    return name, f"{quote}\n{source}"


def answer_embed(answer: Answer, citations: Sequence[Citation], *, first_number: int = 1, page: int = 0,
                 pages: int = 1) -> discord.Embed:
    """The reply to a question: direct answer first, then the cited passages of one page (in ``answer.lang``)."""
    lang = answer.lang
    title = clean_user_text(answer.question, TITLE_LIMIT) or translate("Your question", lang)
    if answer.found:
        lines = ([f"**{escape(answer.answer)}**"] if answer.answer
                 else [translate("Here is what the CMS texts I hold say:", lang)])
        colour = COLOUR
        if answer.note:
            lines.append(f"-# {escape(answer.note)}")
    else:
        # The engine's note says what it holds ("I couldn't find that … I hold 3 documents …").
        lines = [escape(answer.note) if answer.note else translate("I couldn't find that in the CMS texts I hold.", lang)]
        if answer.looked_for:
            lines.append("-# " + translate("I looked for: {terms}.", lang, terms=escape(answer.looked_for)))
        colour = NOT_FOUND_COLOUR
    if answer.context_note:
        lines.append(f"-# ({escape(answer.context_note)})")
    embed = discord.Embed(title=title, description="\n".join(lines), colour=colour)
    for offset, citation in enumerate(citations):
        name, value = citation_field(first_number + offset, citation, lang)
        embed.add_field(name=name, value=value, inline=False)
    footer = translate(FOOTER, lang)
    if pages > 1:
        footer = translate("Sources page {page} of {pages}", lang, page=page + 1, pages=pages) + f" · {footer}"
    embed.set_footer(text=footer)
    return fit_embed(embed)


def passage_embed(passage: Passage, lang: str = "en") -> discord.Embed:
    """A whole passage with its full citation (/source, "Full passage")."""
    embed = discord.Embed(
        title=truncate(passage.title, TITLE_LIMIT),
        description=escape(passage.text),
        colour=COLOUR,
        url=passage.url or None,
    )
    def t(msgid: str, **kw: object) -> str:
        return translate(msgid, lang, **kw)

    embed.add_field(name=t("Document"), value=escape(passage.document_title), inline=False)
    embed.add_field(name=t("Date"), value=format_date(passage.date, lang), inline=True)
    embed.add_field(name=t("Where"), value=escape(passage.locator), inline=True)
    embed.add_field(name=t("Kind"), value=kind_label(passage.kind, lang), inline=True)
    if passage.symbol:
        embed.add_field(name=t("Symbol"), value=escape(passage.symbol), inline=True)
    if passage.place:
        embed.add_field(name=t("Place"), value=escape(passage.place), inline=True)
    if passage.meeting is not None:
        embed.add_field(name=t("Meeting"), value=f"COP{passage.meeting}", inline=True)
    embed.add_field(name=t("Cite as"), value=t("`{id}` (file `{source}`)", id=passage_ref(passage.id),
                                               source=passage.source), inline=False)
    embed.set_footer(text=t("Verbatim from the source") + " · " + (passage.url or passage.source))
    return fit_embed(embed)


def search_embed(query: str, hits: Sequence[Hit], *, page: int, has_next: bool, filters: str = "",
                 first_number: int = 1, lang: str = "en") -> discord.Embed:
    title = translate("Search: {query}", lang, query=clean_user_text(query, TITLE_LIMIT - 10))
    if not hits:
        description = translate("No passages match.", lang) if page == 0 else translate("No more passages.", lang)
    elif filters:
        description = translate("Passages matching your search ({filters}), best first.", lang, filters=filters)
    else:
        description = translate("Passages matching your search, best first.", lang)
    embed = discord.Embed(title=title, description=description, colour=COLOUR if hits else NOT_FOUND_COLOUR)
    for offset, hit in enumerate(hits):
        p = hit.passage
        name = truncate(f"[{first_number + offset}] {p.title} ({format_date(p.date, lang)})", FIELD_NAME_LIMIT)
        source = truncate(source_line(p, lang), _SOURCE_LINE_ROOM)
        excerpt = truncate(escape(snippet(p.text, query)), min(300, FIELD_VALUE_LIMIT - len(source) - 2))
        embed.add_field(name=name, value=f"{excerpt}\n{source}", inline=False)
    footer = [translate("Page {page}", lang, page=page + 1)]
    if has_next:
        footer.append(translate("more on the next page", lang))
    footer.append(translate("/source ID shows a whole passage", lang))
    embed.set_footer(text=" · ".join(footer))
    return fit_embed(embed)


def passages_list_embed(title: str, passages: Sequence[Passage], *, empty: str, description: str | None = None,
                        lang: str = "en") -> discord.Embed:
    """Newest items (/latest): title, date, kind, a snippet and the id."""
    embed = discord.Embed(title=truncate(title, TITLE_LIMIT), description=description or (None if passages else empty),
                          colour=COLOUR if passages else NOT_FOUND_COLOUR)
    for p in passages:
        kind = kind_label(p.kind, lang)
        name = truncate(f"{format_date(p.date, lang)} — {p.title} ({kind})", FIELD_NAME_LIMIT)
        source = truncate(source_line(p, lang), _SOURCE_LINE_ROOM)
        excerpt = truncate(escape(" ".join(p.text.split())), min(240, FIELD_VALUE_LIMIT - len(source) - 2))
        embed.add_field(name=name, value=f"{excerpt}\n{source}", inline=False)
    embed.set_footer(text=translate("Newest first", lang) + " · " + translate("/source ID shows a whole passage", lang))
    return fit_embed(embed)


def meeting_embed(meeting: Meeting, documents: int, passages: int, latest: Sequence[Passage],
                  lang: str = "en") -> discord.Embed:
    description = translate("Meeting of the Conference of the Parties to CMS.", lang)
    if not meeting.verified:
        description = translate("Meeting of the Conference of the Parties to CMS "
                                "(dates not yet verified against an official source).", lang)
    embed = discord.Embed(title=f"{meeting.code} — {meeting.place}", description=description, colour=COLOUR)
    dates = (format_date(meeting.start, lang) if meeting.start == meeting.end
             else f"{format_date(meeting.start, lang)} – {format_date(meeting.end, lang)}")
    embed.add_field(name=translate("Dates", lang), value=dates, inline=True)
    embed.add_field(name=translate("Place", lang), value=escape(meeting.place), inline=True)
    embed.add_field(name=translate("What I hold", lang),
                    value=ngettext("{n} document", "{n} documents", documents, lang) + ", "
                    + ngettext("{n} passage", "{n} passages", passages, lang), inline=True)
    if latest:
        lines = [f"{format_date(p.date, lang)} — {escape(truncate(p.title, 120))} (`{passage_ref(p.id)}`)"
                 for p in latest]
        embed.add_field(name=translate("Latest items", lang), value="\n".join(lines), inline=False)
    elif not documents:
        embed.add_field(name=translate("Latest items", lang),
                        value=translate("I hold no texts about this meeting yet.", lang), inline=False)
    if meeting.source:
        embed.set_footer(text=translate("Dates: {source}", lang, source=meeting.source))
    return fit_embed(embed)


def about_embed(stats: CorpusStats, meetings: Sequence[Meeting], version: str, lang: str = "en") -> discord.Embed:
    by_kind = ", ".join(
        f"{count} {kind_label(kind, lang)}" for kind, count in sorted(stats.documents_by_kind.items()) if count
    )
    held = {m.number: m for m in meetings}
    covered = ", ".join(
        f"{held[n].code} ({held[n].city})" if n in held else f"COP{n}" for n in stats.meetings
    ) or translate("none yet", lang)
    span = (f"{format_date(stats.first_date, lang)} – {format_date(stats.last_date, lang)}"
            if stats.first_date and stats.last_date else translate("undated", lang))
    embed = discord.Embed(
        title=translate("About cmsbot", lang),
        description=(
            translate("I answer questions about the Conferences of the Parties of the Convention on the Conservation "
                      "of Migratory Species of Wild Animals (CMS) from the Convention's own news, press releases and "
                      "COP documents: a short answer first, then verbatim quotes with their source and date.", lang)
            + "\n" + translate("Ask with `/ask`, mention me, or send me a DM.", lang)
            + "\n" + translate("I understand English, French, Spanish and Portuguese.", lang)
        ),
        colour=COLOUR,
    )
    embed.add_field(name=translate("Documents", lang), value=f"{stats.documents}" + (f" ({by_kind})" if by_kind else ""),
                    inline=False)
    embed.add_field(name=translate("Passages", lang), value=str(stats.passages), inline=True)
    embed.add_field(name=translate("Dates covered", lang), value=span, inline=True)
    embed.add_field(name=translate("Meetings covered", lang), value=covered, inline=False)
    embed.set_footer(text=translate("cmsbot {version} · answers only from the texts above; not an official CMS channel",
                                    lang, version=version))
    return fit_embed(embed)


def digest_embed(items: Sequence[FetchedItem]) -> discord.Embed:
    """Many new items at once, in one message: a line each (date, kind, linked title)."""
    lines = []
    for item in items:
        link = safe_url(item.url) if item.url.startswith(("https://", "http://")) else None
        title = escape(truncate(" ".join((item.title or item.url).split()), 150))
        lines.append(f"• {format_date(item.date)} · {kind_label(item.kind)} · " + (f"[{title}]({link})" if link else title))
    shown, size = [], 0
    for line in lines:  # whole lines only, within the description limit
        if size + len(line) + 1 > DESCRIPTION_LIMIT - 40:
            break
        shown.append(line)
        size += len(line) + 1
    if len(shown) < len(lines):
        shown.append(f"… and {len(lines) - len(shown)} more (see `/latest`).")
    embed = discord.Embed(title=f"{len(items)} more new items from the CMS website", description="\n".join(shown),
                          colour=COLOUR)
    embed.set_footer(text=ANNOUNCE_FOOTER)
    return fit_embed(embed)


def announcement_embed(item: FetchedItem, *, meeting: Meeting | None = None, excerpt: Passage | None = None
                       ) -> discord.Embed:
    """A newly fetched item, posted once to the channels that asked with ``/subscribe``."""
    link = safe_url(item.url) if item.url.startswith(("https://", "http://")) else None
    lines = []
    if excerpt is not None:
        lines.append(truncate(escape(" ".join(excerpt.text.split())), 400))
    if link:
        lines.append(f"[Read it at the source]({link})")
    embed = discord.Embed(
        title=truncate(item.title or item.url, TITLE_LIMIT),
        url=link,
        description="\n\n".join(lines) or None,
        colour=COLOUR,
    )
    embed.set_author(name=f"New {kind_label(item.kind)}")
    embed.add_field(name="Date", value=format_date(item.date), inline=True)
    if item.meeting is not None:
        where = f"COP{item.meeting}" + (f" — {escape(meeting.place)}" if meeting is not None else "")
        embed.add_field(name="Meeting", value=where, inline=True)
    embed.add_field(name="Kind", value=kind_label(item.kind), inline=True)
    if excerpt is not None:
        embed.add_field(name="Ask about it", value=f"`/ask` · `/source {passage_ref(excerpt.id)}`", inline=False)
    embed.set_footer(text=ANNOUNCE_FOOTER)
    return fit_embed(embed)
