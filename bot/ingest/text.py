"""Shared text helpers for the kind parsers: blocks, inline Markdown residue, datelines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


_BLANK_LINES = re.compile(r"\n[ \t]*\n+")
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
_ANGLE_URL = re.compile(r"<((?:https?://|mailto:)[^>\s]+)>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_SPACES = re.compile(r"[ \t]+")
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][\w'’.-]*(?:[ -][A-Z][\w'’.-]*)*(?:,\s*[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*)?),\s+"
    r"(?P<date>\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4})\s*[-–—]\s+"
)


def blocks(body: str) -> list[str]:
    """Blank-line separated blocks, stripped, empty ones dropped."""
    return [b.strip("\n").rstrip() for b in _BLANK_LINES.split(body.replace("\r\n", "\n")) if b.strip()]


_WHOLE_LINK = re.compile(r"\s*\[[^\]\n]+\]\((https?://[^()\s]+)\)\s*")


def title_link(block: str) -> str | None:
    """The address a title links to when the whole title is one Markdown link: ``[Title](https://…)``."""
    m = _WHOLE_LINK.fullmatch(block)
    return m.group(1) if m else None


def clean_inline(text: str) -> str:
    """Markdown residue removed, words untouched: ``[Doc](#)`` → ``Doc``, ``\\(`` → ``(``, ``**`` dropped."""
    text = _MD_LINK.sub(r"\1", text)
    text = _ANGLE_URL.sub(r"\1", text)
    text = _ESCAPE.sub(r"\1", text)
    text = text.replace("**", "").replace("__", "")
    return text


def join_lines(text: str) -> str:
    """Hard-wrapped lines of one paragraph joined with single spaces; list items keep their own lines."""
    out: list[str] = []
    for raw in text.split("\n"):
        line = _SPACES.sub(" ", raw.strip())
        if not line:
            continue
        if out and not _is_list_line(line):
            out[-1] = out[-1] + " " + line
        else:
            out.append(line)
    return "\n".join(out)


_LIST_LINE = re.compile(r"^(?:[-*•]\s+|[a-z]\)\s+|\([a-z]\)\s+|\d+\.\d*[A-Z]*\s+)")


def _is_list_line(line: str) -> bool:
    return bool(_LIST_LINE.match(line))


def paragraph_text(block: str) -> str:
    """A block as quotable text: inline residue cleaned, wrapped lines joined."""
    return join_lines(clean_inline(block))


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", '"', "”", "’", "'", ":", ";", ")"))


@dataclass(frozen=True)
class Dateline:
    place: str
    date: date
    end: int  # offset where the dateline ends in the text


def find_dateline(text: str) -> Dateline | None:
    """``Samarkand, 12 February 2024 – …`` at the start of a paragraph: a dateline with a place
    and a full date (the grammar is ``bot.ingest.datelines``)."""
    from bot.ingest.datelines import find_dateline as read_dateline

    line = read_dateline(text)
    if line is None or line.place is None or line.date is None:
        return None
    return Dateline(place=line.place, date=line.date, end=line.end)


def smart_title(text: str) -> str:
    """An ALL-CAPS heading in title case ("COMMUNICATION AND INFORMATION MANAGEMENT" → "Communication and Information Management")."""
    if text != text.upper():
        return text
    small = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
    words = text.lower().split()
    return " ".join(w if (i and w in small) else w[:1].upper() + w[1:] for i, w in enumerate(words))
