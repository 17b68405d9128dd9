"""A meeting report: Earth Negotiations Bulletin daily and summary reports, curtain raisers,
"Highlights and images for …" pages, and other narrative reports of a meeting's sessions.

Contract: as a news item (headings are the agenda items that give each paragraph its context);
the date is the day the report is "for" ("Daily report for 13 February 2024"); the title is
the page's headline, or the report line with the meeting it reports on ("Summary report,
15–22 February 2020 — 13th Meeting of the Conference of the Parties …").
"""

from __future__ import annotations

import re

from bot.ingest.article import parse_article
from bot.ingest.parsed import Parsed

REPORT_LINE = re.compile(
    r"^(?:summary\s+report|daily\s+report|highlights(?:\s+and\s+images)?\s+for|curtain[\s-]+raiser|"
    r"earth\s+negotiations\s+bulletin|enb\s+(?:summary|daily))\b",
    re.IGNORECASE | re.MULTILINE,
)


def parse(body: str) -> Parsed:
    parsed = parse_article(body)
    title = parsed.meta.get("title", "")
    printed = next((line.strip() for line in body.split("\n")[:12] if REPORT_LINE.match(line.strip())), None)
    if printed and not REPORT_LINE.match(title) and parsed.meta.get("title_source") != "first sentence":
        parsed.meta["title"] = f"{printed} — {title}" if title else printed
        return parsed
    if REPORT_LINE.match(title) and parsed.passages:
        first = parsed.passages[0]
        if first.locator == "highlights":
            event = first.text.split("\n", 1)[0]
        elif len(first.text) <= 180 and "\n" not in first.text and not first.text.endswith("."):
            event = first.text
        else:
            event = ""
        if event:
            parsed.meta["title"] = f"{title} — {event}"
    return parsed
