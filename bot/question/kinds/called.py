"""What-is-it-called questions (slogan, theme, motto, title, name): the quoted words after that noun,
or a document's printed title when it is named by symbol."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.answer.sentences import Reading, finish
from bot.text import question_words
from bot.question.kinds.base import OTHER_LANGS, QuestionKind
from bot.question.kinds.when import symbol_terms

if TYPE_CHECKING:
    from bot.question.query import Query

#: Nouns asked about, and the nouns texts use for them.
NOUNS = {"slogan": "slogan|motto|tagline", "motto": "slogan|motto|tagline", "tagline": "slogan|motto|tagline",
         "theme": "theme", "title": "title|titled|entitled", "name": "name|named|called", "headline": "headline"}
_QUOTED = r"[^\"“”.;]{0,40}?[\"“‘'](?P<name>[^\"“”‘’]{3,200}?)[,.]?[\"”’']"


def extract(query: Query, reading: Reading) -> str | None:
    noun = query.asked_noun or ""
    passage = reading.passage
    if noun == "title" and symbol_terms(query, passage) and passage.document_title \
            and passage.document_title.lower() in passage.text.lower():
        return f"{passage.symbol} is titled “{passage.document_title}”."
    spelled = NOUNS.get(noun)
    if spelled is None:
        return None
    pattern = re.compile(rf"\b(?:{spelled})s?\b(?:\s+(?:is|was|of|for|will\s+be))?\s*:?\s*{_QUOTED}"
                         rf"|[\"“](?P<before>[^\"“”]{{3,200}}?)[,.]?[\"”]\s+(?:is|was|will\s+be)\s+the\s+(?:{spelled})\b",
                         re.IGNORECASE)
    for sentence in reading.sentences:  # the quoted name may sit in any sentence the reader sees
        if sentence.cover < 0.3:
            continue
        m = pattern.search(sentence.text)
        if m:
            return finish((m.group("name") or m.group("before")).strip())
    return None


KIND = QuestionKind(
    name="called",
    answer_type="quoted name",
    patterns=(
        question_words.pattern("what_called", OTHER_LANGS),
        re.compile(r"\b(?:slogan|theme|motto|tagline|headline)s?\b"),
        re.compile(r"^\W*(?:what|which)(?:'s|s|\s+is|\s+was|\s+are|\s+were)?\s+(?:the\s+|its\s+)?(?:[\w./-]+\s+){0,2}?(?:title|name)\b"),
        re.compile(r"(?<!\w)(?:thème|lema|eslogan|tema|slogan)(?!\w)"),
    ),
    extract=extract,
    asks_typed=lambda query: (query.asked_noun or "") in NOUNS,
    examples=("What was the slogan of CMS COP12?", "cop14 slogan"),
)
