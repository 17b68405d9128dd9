"""A meeting page: a COP's (or another CMS meeting's) own page — what, when, where, theme,
associated meetings, documents, media contacts; also event listings for one meeting.

Contract: as a news item, plus the label blocks such pages print in large type ("THEME" /
"WHEN" / "23 - 28" / "October" / "2017" / "WHERE" / "Manila" …) read as one passage,
``key facts``, one line per label ("WHEN 23 - 28 October 2017"). A meeting page has no
publication date of its own; dates it states are the meeting's.
"""

from __future__ import annotations

import re

from bot.ingest.article import parse_article
from bot.ingest.parsed import Parsed, PassageDraft

_LABEL = re.compile(r"^(?:THEME|SLOGAN|WHEN|WHERE|DATES?|VENUE|HOST(?:ED BY)?|LOCATION|CITY|COUNTRY|REGION)\s*:?\s*$")


def _label_blocks(body: str) -> tuple[str, list[str]]:
    """The body without its label blocks, and those blocks as ``LABEL value value`` lines."""
    lines = body.split("\n")
    facts: list[str] = []
    keep: list[str] = []
    i = 0
    while i < len(lines):
        if _LABEL.match(lines[i].strip()):
            label = lines[i].strip().rstrip(":")
            values: list[str] = []
            j = i + 1
            while j < len(lines):
                line = lines[j].strip()
                if _LABEL.match(line) or len(line) > 80:
                    break
                if line:
                    values.append(line)
                j += 1
            # a value block ends at the first line that reads as text (or a logo / caption)
            if values:
                facts.append(f"{label} " + " ".join(values))
            i = j
            continue
        keep.append(lines[i])
        i += 1
    return "\n".join(keep), facts


def parse(body: str) -> Parsed:
    rest, facts = _label_blocks(body)
    parsed = parse_article(rest)
    if facts:
        cleaned = [re.sub(r"\s+\S+(?:\s+\S+)?\s+Logo$", "", f, flags=re.IGNORECASE) for f in facts]
        parsed.passages.insert(0, PassageDraft("key facts", "\n".join(cleaned), context="Key facts"))
    parsed.meta.pop("date", None)
    parsed.meta.pop("date_source", None)
    return parsed
