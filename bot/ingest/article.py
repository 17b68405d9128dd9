"""The shared reading of a web page of prose (news item, statement, notification, report, page).

``parse_article`` gives a ``Parsed`` whose meta holds what the page says about itself:
``title`` (its headline), ``date`` with ``date_source`` (``dateline`` or ``printed``),
``updated`` (a "Last updated on" change date, used for the date only when nothing else dates
the page — see ``corpus.load_document``), ``place`` (from the dateline), ``highlights`` (the
sub-headlines between the title and the text). The dateline is cut off the first paragraph it
opens, so a quote starts with the story's words, and kept as that passage's place.
"""

from __future__ import annotations

import re

from bot.ingest.datelines import find_dateline, find_glued_dateline
from bot.ingest.page import Page, first_sentence_title, page_passages, read_page, title_case
from bot.ingest.parsed import Parsed, PassageDraft


_MEETING_NAME = re.compile(r"\b(?:COP\s?-?\d{1,2}|CoP\d{1,2}|MOP\s?\d{1,2}|Meeting\s+of\s+the|Conference\s+of\s+the\s+Parties)\b", re.IGNORECASE)
_PLACE_LINE = re.compile(r"^[A-Z][\w'’.-]*(?: [A-Za-z][\w'’.-]*){0,3}, [A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}$")


def _top_of_page(page: Page, parsed: Parsed) -> tuple[str | None, str | None, list[str]]:
    """Title, a standalone place line, and sub-headlines from the short lines above the text;
    those lines are taken out of ``page.units`` (they are not paragraphs' headings)."""
    top: list[str] = []
    while page.units and page.units[0].role == "heading":
        top.append(page.units.pop(0).text)
    place = next((line for line in top if _PLACE_LINE.match(line)), None)
    lines = [line for line in top if line != place]
    names_meeting = [line for line in lines if _MEETING_NAME.search(line)]
    if page.doubled and page.doubled[0] in lines and names_meeting and lines.index(names_meeting[0]) < lines.index(page.doubled[0]):
        parsed.dropped.append(page.doubled[0])  # the line naming the meeting is the title; the doubled one a caption
        lines = [line for line in lines if line != page.doubled[0]]
    elif page.doubled and page.doubled[0] in lines:
        at = lines.index(page.doubled[0])
        parsed.dropped.extend(lines[:at])  # above a headline printed twice: image alt texts, labels
        lines = lines[at:]
    elif page.doubled:
        lines.insert(0, page.doubled[0])
    # a section label ("News", "Notícias") or an ALL-CAPS kicker above the headline is not the title
    skipped: list[str] = []
    while len(lines) > 1 and (len(lines[0].split()) <= 2 or (lines[0].isupper() and not lines[1].isupper())):
        skipped.append(lines.pop(0))
    parsed.dropped.extend(s for s in skipped if len(s.split()) <= 2)
    title = lines[0] if lines else None
    if title and title.isupper() and len(title) > 24:
        title = title_case(title)
    return title, place, [s for s in skipped if len(s.split()) > 2] + lines[1:]


def parse_article(body: str, *, year_hint: int | None = None, page: Page | None = None) -> Parsed:
    parsed = Parsed()
    page = page or read_page(body)
    parsed.dropped.extend(page.dropped)
    meta = parsed.meta
    title, place_line, highlights = _top_of_page(page, parsed)
    if title:
        meta["title"] = title
    if place_line:
        meta["place"] = place_line
    if page.printed_date:
        meta["date"], meta["date_source"] = page.printed_date, "printed"
        year_hint = year_hint or page.printed_date.year
    if page.updated:
        meta["updated"] = page.updated
        year_hint = year_hint or page.updated.year

    # the dateline: at the start of one of the first paragraphs
    dateline_place = None
    paras_seen = 0
    for unit in page.units:
        if unit.role != "para":
            continue
        paras_seen += 1
        line = find_dateline(unit.text, year_hint) or find_glued_dateline(unit.text)
        if line is not None:
            if line.date is not None:
                meta["date"], meta["date_source"] = line.date, "dateline"
            if line.place:
                meta["place"] = dateline_place = line.place
            if line.agency:
                meta["agency"] = line.agency
            rest = unit.text[line.end:].strip()
            if rest:
                unit.text = rest[0].upper() + rest[1:] if rest[0].islower() else rest
            break
        if paras_seen >= 3:
            break

    drafts = page_passages(page)
    if highlights:
        parsed.passages.append(PassageDraft("highlights", "\n".join(highlights), context="Highlights"))
    for draft in drafts:
        if dateline_place and draft is drafts[0]:
            draft = PassageDraft(draft.locator, draft.text, draft.title, draft.date, dateline_place, draft.context)
        parsed.passages.append(draft)
    if "title" not in meta:
        first = next((d.text for d in parsed.passages if d.locator.startswith("para")), None)
        if first:
            meta["title"] = first_sentence_title(first)
            meta["title_source"] = "first sentence"
    return parsed
