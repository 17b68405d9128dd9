"""A press release: headline, subtitle, dateline, paragraphs, notes to editors, contact.

Passages: the headline with its subtitle; any link bullets above the dateline; one per
paragraph, where a lead-in ending in ':' keeps the bullet list or quotation that follows it
(so a quotation keeps its speaker); after "END", one per note to editors, the contact block
on its own.
"""

from __future__ import annotations

import re

from bot.ingest.page import is_caption, read_page
from bot.ingest.parsed import Parsed, PassageDraft
from bot.ingest.text import blocks, clean_inline, find_dateline, paragraph_text

_MARKER = re.compile(r"^\s*(?:\*\*)?\s*PRESS\s+RELEASE\s*(?:\*\*)?\s*$", re.IGNORECASE)
_END = re.compile(r"^\s*(?:-\s*)?(?:END|ENDS|-\s*ends\s*-|###)\s*$", re.IGNORECASE)
_NOTES = re.compile(r"^\s*(?:\*\*)?\s*notes?\s+(?:to|for)\s+editors\s*:?\s*(?:\*\*)?\s*$", re.IGNORECASE)
_URL_ONLY = re.compile(r"^\s*<?(?:https?://|www\.)\S+>?\s*$")
_SPEAKER = re.compile(r"^(?P<speaker>.+?),?\s+(?:said|says|stated|added|noted|remarked)\s*:\s*$", re.DOTALL)
_QUOTE_START = ('"', "“", "'", "‘")


def _is_bullets(block: str) -> bool:
    lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
    return bool(lines) and all(ln.startswith(("-", "*", "•")) for ln in lines)


def _bullet_text(block: str) -> str:
    """List lines as ``- item``; lone dashes (empty items) dropped."""
    items = []
    for line in block.split("\n"):
        item = line.strip().lstrip("-*•").strip()
        if item:
            items.append("- " + paragraph_text(item))
    return "\n".join(items)


def _is_heading(block: str) -> bool:
    line = block.strip()
    return (
        "\n" not in line and len(line) <= 120 and not _URL_ONLY.match(line)
        and not line.rstrip("*").endswith((".", "!", "?", ":", ";", '"', "”"))
    )


def _render(block: str) -> str:
    return _bullet_text(block) if _is_bullets(block) else paragraph_text(block)


def _group(body_blocks: list[str]) -> list[tuple[str, str | None]]:
    """Blocks merged into passages: ``(text, context)``."""
    groups: list[tuple[str, str | None]] = []
    i = 0
    while i < len(body_blocks):
        block = body_blocks[i]
        if _URL_ONLY.match(block) and groups:
            text, previous_context = groups[-1]
            groups[-1] = (text + "\n\n" + paragraph_text(block), previous_context)
            i += 1
            continue
        parts = [_render(block)]
        context: str | None = None
        j = i + 1
        lead = clean_inline(block).strip()
        if lead.endswith(":") and j < len(body_blocks):
            speaker = _SPEAKER.match(" ".join(lead.split()))
            if speaker:
                context = speaker.group("speaker")
            follower = body_blocks[j]
            parts.append(_render(follower))
            j += 1
            if follower.lstrip().startswith(_QUOTE_START):
                while j < len(body_blocks) and body_blocks[j].lstrip().startswith(_QUOTE_START):
                    parts.append(_render(body_blocks[j]))
                    j += 1
        elif _is_heading(block) and j < len(body_blocks) and not _is_heading(body_blocks[j]):
            context = paragraph_text(block)
            parts.append(_render(body_blocks[j]))
            j += 1
        groups.append(("\n\n".join(parts), context))
        i = j
    return groups


def _needs_reading(all_blocks: list[str]) -> bool:
    """A page as stored from the web rather than a clean release: no block opens with the
    dateline, or paragraphs are separated by single newlines, or photo credits are left in."""
    if not any(find_dateline(clean_inline(block).strip()) for block in all_blocks):
        return True
    for block in all_blocks:
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        prose = [ln for ln in lines if len(ln) >= 80 and ln.endswith((".", '"', "”")) and not ln.startswith(("-", "*", "•"))]
        if len(prose) >= 2 or any(is_caption(ln) for ln in lines):
            return True
    return False


def _as_blocks(body: str) -> str:
    """A stored web page rewritten as clean blank-line blocks: captions and navigation out."""
    page = read_page(body)
    out = []
    for unit in page.units:
        out.append(("- " + unit.text) if unit.role == "item" else unit.text)
    return "\n\n".join(out)


def parse(body: str) -> Parsed:
    parsed = Parsed()
    all_blocks = blocks(body)
    reading = _needs_reading(all_blocks)
    if reading:
        page = read_page(body)
        parsed.dropped.extend(page.dropped)
        if page.updated:
            parsed.meta["updated"] = page.updated
        if page.printed_date:
            parsed.meta["date"], parsed.meta["date_source"] = page.printed_date, "printed"
        all_blocks = blocks(_as_blocks(body))
    head: list[str] = []
    rest: list[str] = []
    dateline = None
    for index, block in enumerate(all_blocks):
        dateline = find_dateline(clean_inline(block).strip())
        if dateline:
            head, rest = all_blocks[:index], all_blocks[index:]
            break
    else:
        head, rest = [], all_blocks

    headline: str | None = None
    subtitle: str | None = None
    links: list[str] = []
    for block in head:
        if reading and headline is not None and subtitle is not None and not _is_bullets(block) and _is_heading(block):
            subtitle = subtitle + "\n\n" + paragraph_text(block)  # a web page's further sub-headlines
            continue
        if _MARKER.match(block):
            parsed.meta["kind_marker"] = True
            continue
        if _is_bullets(block):
            rendered = _bullet_text(block)
            if rendered:
                links.append(rendered)
        elif headline is None:
            headline = paragraph_text(block)
        elif subtitle is None:
            subtitle = paragraph_text(block)
        else:
            links.append(paragraph_text(block))
    if headline:
        parsed.meta["title"] = headline
        parsed.passages.append(PassageDraft("headline", "\n\n".join(filter(None, (headline, subtitle)))))
    if subtitle:
        parsed.meta["subtitle"] = subtitle
    if links:
        parsed.passages.append(PassageDraft("links", "\n".join(links)))
    if dateline:
        parsed.meta["date"] = dateline.date
        parsed.meta["date_source"] = "dateline"
        parsed.meta["place"] = dateline.place

    body_blocks: list[str] = []
    notes_blocks: list[str] = []
    target = body_blocks
    for block in rest:
        if _END.match(block):
            target = notes_blocks
            continue
        if _NOTES.match(block):
            target = notes_blocks
            continue
        target.append(block)

    for number, (text, context) in enumerate(_group(body_blocks), start=1):
        parsed.passages.append(PassageDraft(f"para. {number}", text, context=context))
    note_number = 0
    for text, context in _group(notes_blocks):
        if re.search(r"\b(?:further information|contact)\b", text.split("\n", 1)[0], re.IGNORECASE):
            parsed.passages.append(PassageDraft("contact", text, context="Contact"))
        else:
            note_number += 1
            parsed.passages.append(PassageDraft(f"note {note_number}", text, context=context or "Notes to editors"))
    return parsed
