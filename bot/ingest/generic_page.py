"""A page of any other kind (``page``): indexed like a news item, reported as a warning.

Contract: the same reading as a news item (title, printed date or dateline, paragraphs with
their nearest heading, lists and table rows one passage each); nothing is assumed about what
the page is, so the index report names it for a person to check.
"""

from __future__ import annotations

from bot.ingest.article import parse_article
from bot.ingest.parsed import Parsed


def parse(body: str) -> Parsed:
    return parse_article(body)
