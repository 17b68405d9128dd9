"""A CMS news listing page: repeated (title, teaser, date) items amid page chrome.

Each item ends at its standalone date line; the block before the date is the teaser and the
one before that the title. A title that is a link (``[Title](https://…)``, as on the page) gives
the item its own address; otherwise the item is cited with the listing's. Anything earlier in the first item's stretch is page chrome
("The list below contains…", "Please read more in our") and is dropped. A listing without dates
whose items end in "Read more" (a newsletter) is read item by item the same way.
"""

from __future__ import annotations

import re

from datetime import date

from bot.cms.dates import parse_date
from bot.ingest.parsed import Parsed, PassageDraft
from bot.ingest.page import is_heading_like
from bot.ingest.text import blocks, find_dateline, paragraph_text, title_link


_READ_MORE = re.compile(r"^\s*(?:read\s+more|more|continue\s+reading|lire\s+la\s+suite|leer\s+más|leia\s+mais)\s*(?:»|›|→|\.\.\.)?\s*$", re.IGNORECASE)


def _read_more_items(body: str) -> Parsed:
    """A newsletter or teaser listing without dates: each item (title, teaser) ends at "Read more"."""
    parsed = Parsed()
    stretch: list[str] = []
    number = 0
    for block in blocks(body) + ["Read more"]:  # the last item may be cut off before its link
        if not _READ_MORE.match(block):
            stretch.append(block)
            continue
        at = next((i for i in range(len(stretch) - 2, -1, -1) if is_heading_like(stretch[i].strip())), None)
        if at is None:
            parsed.dropped.extend(stretch)
        else:
            parsed.dropped.extend(stretch[:at])
            number += 1
            parsed.passages.append(PassageDraft(
                locator=f"item {number}",
                text="\n\n".join(paragraph_text(b) for b in stretch[at + 1:]),
                title=paragraph_text(stretch[at]),
                url=title_link(stretch[at]),
            ))
        stretch = []
    if parsed.passages:
        parsed.meta["title"] = parsed.passages[0].title  # a newsletter is named by its lead story
    return parsed


def parse(body: str) -> Parsed:
    if sum(1 for block in blocks(body) if _READ_MORE.match(block)) >= 2 and not any(
        parse_date(block) for block in blocks(body) if "\n" not in block
    ):
        return _read_more_items(body)
    parsed = Parsed()
    pending: list[str] = []
    items: list[tuple[list[str], date]] = []
    for block in blocks(body):
        day = parse_date(block) if "\n" not in block else None
        if day is None:
            pending.append(block)
            continue
        items.append((pending, day))
        pending = []
    tail: list[str] = []
    if items and len(pending) >= 2 and is_heading_like(pending[0].strip()):
        tail = pending  # a last item cut off before its date (a page stored in part): kept, undated
    else:
        parsed.dropped.extend(pending)  # text after the last date belongs to no item
    first = blocks(body)[:1]
    if first and items and len(items[0][0]) >= 3 and "\n" not in first[0] and len(first[0]) <= 80 and not first[0].rstrip().endswith((".", ":")):
        parsed.meta["title"] = paragraph_text(first[0])  # the listing's own heading ("Press releases")

    for number, (stretch, day) in enumerate(items, start=1):
        if not stretch:
            parsed.dropped.append(f"date line without an item: {day}")
            continue
        if len(stretch) == 1:
            title, summary_blocks = stretch[0], []
        elif number == 1:
            # page chrome, then the item's title (a heading-like block), then its teaser paragraphs
            at = next((i for i in range(len(stretch) - 2, -1, -1) if is_heading_like(stretch[i].strip())), len(stretch) - 2)
            parsed.dropped.extend(stretch[:at])
            title, summary_blocks = stretch[at], stretch[at + 1:]
        else:
            title, summary_blocks = stretch[0], stretch[1:]
        title_text = paragraph_text(title)
        summary = "\n\n".join(paragraph_text(b) for b in summary_blocks) or title_text
        dateline = find_dateline(summary)
        parsed.passages.append(PassageDraft(
            locator=f"item {number}",
            text=summary,
            title=title_text,
            date=day,
            place=dateline.place if dateline else None,
            url=title_link(title),
        ))
    if tail:
        parsed.passages.append(PassageDraft(
            locator=f"item {len(items) + 1}",
            text="\n\n".join(paragraph_text(b) for b in tail[1:]),
            title=paragraph_text(tail[0]),
            url=title_link(tail[0]),
        ))
    if items:
        parsed.meta["date"] = max(day for _, day in items)
    return parsed
