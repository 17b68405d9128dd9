"""A statement: words issued by a person or organisation ("The following statement was issued
by Susan Lieberman, …:", "Statement by …", "STATEMENT").

Contract: as a news item, plus ``speaker`` in meta (who issued it) and that speaker as the
context of every paragraph, so "what did WCS say" finds the statement's words.
"""

from __future__ import annotations

import re

from bot.ingest.article import parse_article
from bot.ingest.parsed import Parsed, PassageDraft

_ISSUED_BY = re.compile(
    r"\b(?:statement|remarks|declaration)\s+(?:was\s+|were\s+)?(?:issued|made|delivered|given|released)\s+by\s+(?P<who>[^:.]{3,160})",
    re.IGNORECASE,
)
_BY = re.compile(r"^(?:joint\s+)?statement\s+(?:by|of|from)\s+(?P<who>.{3,160}?)\s*(?:[:.–-]|$)", re.IGNORECASE)


def statement_opening(text: str) -> bool:
    return bool(_ISSUED_BY.search(text))


def speaker_of(text: str) -> str | None:
    m = _ISSUED_BY.search(text) or _BY.match(text)
    return m.group("who").strip(" ,") if m else None


def parse(body: str) -> Parsed:
    parsed = parse_article(body)
    who = None
    for candidate in [d.text for d in parsed.passages[:3]] + [parsed.meta.get("title", "")]:
        who = speaker_of(candidate)
        if who:
            break
    if who:
        parsed.meta["speaker"] = who
        if parsed.meta.get("title_source") == "first sentence" or statement_opening(parsed.meta.get("title", "")):
            parsed.meta["title"] = f"Statement by {who}"
            parsed.meta.pop("title_source", None)
        parsed.passages = [
            PassageDraft(d.locator, d.text, d.title, d.date, d.place, " — ".join(filter(None, (d.context, f"Statement by {who}"))))
            for d in parsed.passages
        ]
    return parsed
