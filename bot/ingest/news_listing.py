"""A CMS news listing page: repeated (title, teaser, date) items amid page chrome.

Each item ends at its standalone date line; the block before the date is the teaser and the
one before that the title. A title that is a link (``[Title](https://…)``, as on the page) gives
the item its own address; otherwise the item is cited with the listing's. Anything earlier in the first item's stretch is page chrome
("The list below contains…", "Please read more in our") and is dropped.
"""

from __future__ import annotations

from bot.cms.dates import parse_date
from bot.ingest.parsed import Parsed, PassageDraft
from bot.ingest.text import blocks, find_dateline, paragraph_text, title_link


def parse(body: str) -> Parsed:
    parsed = Parsed()
    pending: list[str] = []
    items: list[tuple[list[str], object]] = []
    for block in blocks(body):
        day = parse_date(block) if "\n" not in block else None
        if day is None:
            pending.append(block)
            continue
        items.append((pending, day))
        pending = []
    parsed.dropped.extend(pending)  # text after the last date belongs to no item

    for number, (stretch, day) in enumerate(items, start=1):
        if not stretch:
            parsed.dropped.append(f"date line without an item: {day}")
            continue
        if len(stretch) == 1:
            title, summary_blocks = stretch[0], []
        elif number == 1:
            parsed.dropped.extend(stretch[:-2])
            title, summary_blocks = stretch[-2], stretch[-1:]
        else:
            title, summary_blocks = stretch[0], stretch[1:]
        title_text = paragraph_text(title)
        summary = "\n\n".join(paragraph_text(b) for b in summary_blocks) or title_text
        dateline = find_dateline(summary)
        parsed.passages.append(PassageDraft(
            locator=f"item {number}",
            text=summary,
            title=title_text,
            date=day,  # type: ignore[arg-type]
            place=dateline.place if dateline else None,
            url=title_link(title),
        ))
    if items:
        parsed.meta["date"] = max(day for _, day in items)  # type: ignore[type-var]
    return parsed
