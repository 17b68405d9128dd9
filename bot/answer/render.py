"""An Answer rendered for people (terminal text, Markdown) and for scripts (JSON).

The Discord embed lives with the Discord frontend (bot/discord/embeds.py): the engine never
imports discord.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.model import KIND_LABELS, Answer, Citation, Passage, passage_ref
from bot.text.i18n import N_, format_date, ngettext, translate

BOLD = "\033[1m"
RESET = "\033[0m"


def mark(text: str, spans: Sequence[tuple[int, int]], before: str, after: str) -> str:
    """``text`` with each span wrapped in ``before``/``after``."""
    out, cursor = [], 0
    for start, end in spans:
        if start < cursor or end > len(text):
            continue
        out.append(text[cursor:start])
        out.append(before + text[start:end] + after)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


#: How a citation names each kind of source, inside its parentheses.
_KIND_PHRASES = {"news_listing": N_("CMS news"), "press_release": N_("CMS press release"),
                 "cop_document": N_("COP document")}
#: Kind labels as frontends show them (marked for the catalogue in bot.model).
KIND_NAMES = KIND_LABELS


def kind_name(kind: str, lang: str = "en") -> str:
    """``press release`` / ``communiqué de presse`` …: a kind as a reader calls it."""
    label = KIND_NAMES.get(kind) or KIND_LABELS.get(kind) or kind.replace("_", " ")
    return translate(label, lang)


def citation_label(p: Passage, lang: str = "en") -> str:
    """A citation header that reads like a reference, each fact once:

    ``“Champions Night” (CMS news, COP11, 4 November 2014), item 6``;
    ``UNEP/CMS/COP14/Doc.19, “Communication and Information Management” (COP document, 19 December 2023), para. 8``;
    ``Meetings of the Conference of the Parties, COP14 (meetings table)``.
    """
    if p.kind == "meetings_table":
        return f"{p.title}, {p.locator} ({kind_name('meetings_table', lang)})"
    head = f"“{p.title}”"
    if p.symbol and p.symbol.casefold() not in p.title.casefold():
        head = f"{p.symbol}, {head}"
    about = [translate(_KIND_PHRASES[p.kind], lang) if p.kind in _KIND_PHRASES else kind_name(p.kind, lang)]
    code = f"COP{p.meeting}" if p.meeting is not None else None
    if code and code.casefold() not in head.replace(" ", "").casefold():
        about.append(code)
    if p.date is not None:
        about.append(format_date(p.date, lang))
    label = f"{head} ({', '.join(about)})"
    return f"{label}, {p.locator}" if p.locator else label


def link_line(p: Passage) -> str:
    """Where to read the passage: its public address (else its corpus file) and its URL-safe id."""
    return f"{p.url or p.source} · id {passage_ref(p.id)}"


def render_text(answer: Answer, *, color: bool = False, show_more: bool = False,
                more_hint: str | None = None, start: int = 1) -> str:
    """The answer as a person reads it in a terminal. Citations are numbered from ``start``;
    ``more_hint`` says how to see the further sources (each frontend has its own way), e.g.
    ``":more"`` → "(8 more sources: :more)"; without it nothing is said about them."""
    lines: list[str] = []
    lang = answer.lang
    if answer.context_note:
        lines.append(f"({answer.context_note})")
    if not answer.found:
        lines.append(answer.note or translate("I couldn't find that.", lang))
        if answer.looked_for:
            lines.append(translate("I looked for: {terms}.", lang, terms=answer.looked_for))
        return "\n".join(lines)
    if answer.answer:
        lines.append(answer.answer)
        lines.append("")
    citations: Sequence[Citation] = list(answer.citations) + (list(answer.more) if show_more else [])
    for number, c in enumerate(citations, start=start):
        quote = mark(c.quote, c.highlights, BOLD, RESET) if color else c.quote
        lines.append(f"[{number}] {citation_label(c.passage, lang)}")
        lines.extend("    " + line if line else "" for line in f"“{quote}”".split("\n"))
        lines.append(f"    {link_line(c.passage)}")
        lines.append("")
    if answer.more and not show_more and more_hint:
        lines.append(ngettext("({n} more source: {hint})", "({n} more sources: {hint})", len(answer.more), lang,
                              hint=more_hint))
    return "\n".join(lines).rstrip()


def passage_json(p: Passage) -> dict[str, Any]:
    """What cites a passage: id (and ``ref``, its URL-safe form), title, kind, date (ISO), meeting, symbol,
    url (its public address, or null when none is known), locator."""
    return {
        "id": p.id,
        "ref": passage_ref(p.id),
        "title": p.title,
        "kind": p.kind,
        "date": p.date.isoformat() if p.date else None,
        "meeting": p.meeting,
        "symbol": p.symbol,
        "url": p.url,
        "locator": p.locator,
    }


def citation_json(c: Citation) -> dict[str, Any]:
    return {**passage_json(c.passage), "quote": c.quote, "score": round(c.score, 6)}


def answer_json(answer: Answer) -> dict[str, Any]:
    """``{"question", "found", "answer", "citations": [...]}`` (+ ``note`` and ``looked_for`` when not found)."""
    data: dict[str, Any] = {
        "question": answer.question,
        "found": answer.found,
        "answer": answer.answer,
        "citations": [citation_json(c) for c in answer.citations],
    }
    if not answer.found:
        data["note"] = answer.note
        data["looked_for"] = answer.looked_for
    if answer.context_note:
        data["context"] = answer.context_note
    return data


def passage_text(p: Passage, lang: str = "en") -> str:
    """A whole passage with its citation (for :source / /source)."""
    return f"{citation_label(p, lang)}\n\n{p.text}\n\n{link_line(p)}"
