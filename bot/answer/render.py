"""An Answer rendered for people (terminal text, Markdown) and for scripts (JSON).

The Discord embed lives with the Discord frontend (bot/discord/embeds.py): the engine never
imports discord.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.model import KIND_LABELS, Answer, Citation, Passage, format_date

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


def citation_label(p: Passage) -> str:
    """``Title — press release, 12 February 2024, COP14, para. 8``."""
    parts = [KIND_LABELS.get(p.kind, p.kind.replace("_", " ")), format_date(p.date)]
    if p.meeting is not None:
        parts.append(f"COP{p.meeting}")
    if p.symbol:
        parts.append(p.symbol)
    parts.append(p.locator)
    return f"{p.title} — " + ", ".join(parts)


def render_text(answer: Answer, *, color: bool = False, show_more: bool = False) -> str:
    """The answer as a person reads it in a terminal."""
    lines: list[str] = []
    if not answer.found:
        lines.append(answer.note or "I couldn't find that.")
        if answer.looked_for:
            lines.append(f"I looked for: {answer.looked_for}.")
        return "\n".join(lines)
    if answer.answer:
        lines.append(answer.answer)
        lines.append("")
    citations: Sequence[Citation] = list(answer.citations) + (list(answer.more) if show_more else [])
    for number, c in enumerate(citations, start=1):
        quote = mark(c.quote, c.highlights, BOLD, RESET) if color else c.quote
        lines.append(f"[{number}] {citation_label(c.passage)}")
        lines.extend("    " + line if line else "" for line in f"“{quote}”".split("\n"))
        where = c.passage.url or c.passage.source
        lines.append(f"    {where} · id {c.passage.id}")
        lines.append("")
    if answer.more and not show_more:
        lines.append(f"({len(answer.more)} more sources: :more)")
    return "\n".join(lines).rstrip()


def passage_json(p: Passage) -> dict[str, Any]:
    """What cites a passage: id, title, kind, date (ISO), meeting, symbol, url, locator."""
    return {
        "id": p.id,
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
    return data


def passage_text(p: Passage) -> str:
    """A whole passage with its citation (for :source / /source)."""
    where = p.url or p.source
    return f"{citation_label(p)}\n\n{p.text}\n\n{where} · id {p.id}"
