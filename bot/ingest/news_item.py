"""A news item: one story on one page (CMS family news, a newspaper, a wire or a knowledge hub).

Contract: title = the page's headline (else its lead sentence, said so); date from a dateline
("Manila, 28 October 2017 – …") or a printed date ("10 November 2014", "date 2017-10-26");
place from the dateline; passages one per paragraph (``para. N``) with the nearest heading as
context, sub-headlines as ``highlights``, long lists one ``item N`` each; photo captions and
navigation words dropped.
"""

from __future__ import annotations

from bot.ingest.article import parse_article
from bot.ingest.parsed import Parsed


def parse(body: str) -> Parsed:
    return parse_article(body)
