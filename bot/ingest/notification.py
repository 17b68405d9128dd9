"""A CMS Notification to the Parties ("2023/019: …", "NOTIFICATION TO THE PARTIES No. 2019/010").

Contract: as a news item, plus ``symbol`` = ``Notification 2023/019`` from the title line, the
"Notification No." line or the cms.int slug (``/en/news/2023019-…``, see ``sites.py``); the
title keeps the page's words ("2014/002: Dates and Venue of CMS COP11"). A notification rarely
prints its date: front matter, then "Last updated on …" (a change date, reported as such).
"""

from __future__ import annotations

import re

from bot.ingest.article import parse_article
from bot.ingest.parsed import Parsed, PassageDraft

NUMBER = re.compile(r"(?<![\d/])(?P<year>(?:19|20)\d{2})/(?P<num>\d{3})(?![\d/])")
_TITLE_NUMBER = re.compile(r"^(?:notification\s+(?:no\.?\s*)?)?(?P<year>(?:19|20)\d{2})/(?P<num>\d{3})\s*[:–-]", re.IGNORECASE)
_MARKER = re.compile(r"notification\s+to\s+(?:the\s+)?parties\b[^\n]{0,40}?(?:no\.?\s*)?(?P<year>(?:19|20)\d{2})/(?P<num>\d{3})", re.IGNORECASE)


def symbol_from_text(title: str, body: str) -> str | None:
    m = _TITLE_NUMBER.match(title) or _MARKER.search(body[:3000])
    return f"Notification {m.group('year')}/{m.group('num')}" if m else None


def parse(body: str) -> Parsed:
    parsed = parse_article(body)
    title = parsed.meta.get("title", "")
    if _MARKER.match(title) and parsed.passages and parsed.passages[0].locator == "highlights":
        lines = parsed.passages[0].text.split("\n")
        parsed.meta["title"] = lines[0]  # the notification's own title, under its number line
        if lines[1:]:
            parsed.passages[0] = PassageDraft("highlights", "\n".join(lines[1:]), context="Highlights")
        else:
            parsed.passages.pop(0)
    symbol = symbol_from_text(title, body)
    if symbol:
        parsed.meta["symbol"] = symbol
    return parsed
