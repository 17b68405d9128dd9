"""When-questions: a date, a range, a year phrase or "the eve of COP14", from a sentence about the
event asked; a document named by symbol gives its printed date."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from bot.answer import intl
from bot.answer.compose import unit_tokens
from bot.answer.sentences import Reading, finish
from bot.cms.dates import find_dates
from bot.model import MONTHS, Passage, format_date
from bot.text import question_words
from bot.question.kinds.base import LEAD, OTHER_LANGS, QuestionKind
from bot.search import facts

if TYPE_CHECKING:
    from bot.question.query import Query
from bot.search.analyzer import analyze

_MONTH_NAMES = "|".join(MONTHS)
DAY_MONTH = re.compile(rf"\b(?:(?:the\s+)?(?:evening|morning|afternoon|night)\s+of\s+)?(?:\d{{1,2}}\s*(?:-|–|to|and)\s*)?"
                       rf"\d{{1,2}}\s+(?:{_MONTH_NAMES})\b(?!\s+\d{{4}})")
#: "February 17 to 22", "October 23-28" (no year: the year is the text's).
MONTH_DAY = re.compile(rf"\b(?:{_MONTH_NAMES})\s+\d{{1,2}}(?:\s*(?:-|–|to|and)\s*\d{{1,2}})?\b(?!,?\s*\d{{4}})(?!\s*[:.]\d)")
YEAR_RANGE = re.compile(r"\b(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\b")
YEAR_PHRASE = re.compile(r"\b(?:in|since|from|during)\s+((?:early|mid|late)[\s-])?(?:19|20)\d{2}\b")
RELATIVE_PHRASE = re.compile(
    # "on the eve of COP11 / of the opening …": a time only when what it is the eve of is an event
    r"\b(?:on\s+)?the\s+eve\s+of\s+(?:the\s+)?(?:COP\s?\d+|(?-i:[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,4})"
    r"|(?:opening|start|close|conference|meeting|summit)\b[^,.;]{0,40})|\b(?:before|after|during|since|ahead\s+of)\s+(?:the\s+)?COP\s?\d+\b"
    r"|\b(?:before|after|during)\s+the\s+(?:opening|start|end|close)\s+of\s+[^,.;]+",
    re.IGNORECASE,
)
TODAY = re.compile(r"\b(?:today|this\s+morning|this\s+evening|tonight)\b", re.IGNORECASE)
_DATELINE = re.compile(r"^\W*[A-Z][\w .’'-]{1,40},\s+")
#: Time words relative to when the text was written: its dateline is then not the event's date.
_SHIFTED = re.compile(r"\b(?:tomorrow|yesterday|next\s+(?:week|month|year)|last\s+(?:week|month|year)|"
                      r"(?:this|next)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b", re.IGNORECASE)
#: Words of a question that only asks for a document's date ("When was Doc.19 issued?").
DOCUMENT_DATE_WORDS = frozenset(analyze("issued dated published released date circulated prepared"))


def has_time(text: str) -> bool:
    """Whether a text says when: a date, a day and month, a year phrase, "before COP14", "today"."""
    return bool(find_dates(text) or DAY_MONTH.search(text) or MONTH_DAY.search(text) or YEAR_PHRASE.search(text)
                or RELATIVE_PHRASE.search(text) or TODAY.search(text))


@functools.lru_cache(maxsize=32768)
def _says_time(text: str) -> bool:
    """``has_time``, cached: a passage's text and its sentences are asked about again and again."""
    return has_time(text)


def says_when(text: str, words: frozenset[str], lang: str = "en") -> float:
    """1.0 when a sentence has one of ``words`` and a time, 0.8 when a time is elsewhere, 0.5 for none.
    Only the sentences holding one of ``words`` are read for a time."""
    if not _says_time(text):
        return 0.5
    for unit, tokens in unit_tokens(text, lang):
        if tokens & words and _says_time(text[unit.start:unit.end]):
            return 1.0
    return 0.8


def says_time(text: str, lang: str = "en") -> bool:
    """``has_time`` of a passage's text (a passage fact, bot/search/facts.py)."""
    return _says_time(text)


@functools.lru_cache(maxsize=8192)
def timed_terms(text: str, lang: str = "en") -> frozenset[str]:
    """The terms of the sentences of ``text`` that say when: ``says_when`` is 1.0 for words that
    meet them (a passage fact, bot/search/facts.py)."""
    return frozenset(t for unit, tokens in unit_tokens(text, lang) if _says_time(text[unit.start:unit.end]) for t in tokens)


def _rank(passage: Passage, query: Query) -> float:
    # ``says_when(passage.text, query.asked, passage.lang)``, from the passage's stored facts.
    if not facts.of(passage, "says_time"):
        return 0.5
    return 1.0 if query.asked & facts.of(passage, "timed_terms") else 0.8


def date_candidates(sentence: str, lang: str = "en") -> list[tuple[int, int, str]]:
    """Every time expression in a sentence (the dateline of a "tomorrow" sentence excepted)."""
    taken: list[tuple[int, int]] = []
    out: list[tuple[int, int, str]] = []
    shifted = _SHIFTED.search(sentence) is not None
    for f in find_dates(sentence):
        taken.append((f.start, f.end))
        if not (shifted and _DATELINE.fullmatch(sentence[: f.start])):
            out.append((f.start, f.end, f.text))
    for pattern in (DAY_MONTH, MONTH_DAY, YEAR_RANGE, YEAR_PHRASE, RELATIVE_PHRASE):
        for m in pattern.finditer(sentence):
            if not any(m.start() < e and s < m.end() for s, e in taken):
                taken.append(m.span())
                out.append((m.start(), m.end(), m.group(0)))
    for s0, e0, text in intl.day_month(sentence) if lang != "en" else ():  # "le 6 novembre", "24 de julio"
        if not any(s0 < e and s < e0 for s, e in taken):
            out.append((s0, e0, text))
    return out


def document_date(query: Query, passage: Passage) -> str | None:
    """"When was <symbol> issued?" / "<symbol> date": the date its cover prints, for the document named."""
    own = symbol_terms(query, passage)
    content = set(query.content_terms)
    if not own or passage.date is None or not content - own <= DOCUMENT_DATE_WORDS:
        return None
    printed = format_date(passage.date)
    return f"{passage.symbol} is dated {printed}." if printed in passage.text else None


def symbol_terms(query: Query, passage: Passage) -> frozenset[str]:
    """The tokens of the passage's symbol when the question names that document by it, else nothing."""
    exact = query.exact_terms
    if not (exact and passage.symbol):
        return frozenset()
    own = frozenset(analyze(passage.symbol))
    return own if set(exact) <= own else frozenset()


#: Words that say something began: "ratified the Convention in 1998", "a Party … since 2011".
_BEGINNING = frozenset(analyze("since ratify ratified join joined accede acceded accession become became member signed "
                               "entered entry established founded"))
_SINCE_OR_IN = re.compile(r"\b(?:since|in)\b", re.IGNORECASE)


#: Words that ask when a text came out: "when did they post that?", "when was it published?".
_PUBLISHED = DOCUMENT_DATE_WORDS | frozenset(analyze("post posted put uploaded"))


def asks_publication(query: Query) -> bool:
    """Whether a when-question asks only when a text came out (its words all say publishing)."""
    return query.qtype == "when" and bool(query.content_terms) and set(query.content_terms) <= _PUBLISHED


def extract(query: Query, reading: Reading) -> str | None:
    if (dated := document_date(query, reading.passage)) is not None:
        return dated
    passage = reading.passage
    if asks_publication(query) and passage.source == query.prefer_source and passage.date:
        # "when did they post that?" of the conversation's text: that text's own date, not one it mentions
        return f"{format_date(passage.date)}."
    for sentence in reading.answering():
        candidates = date_candidates(sentence.text, reading.passage.lang)
        if query.asks_since:
            # "since when …?": when it began — a sentence that says so, the time it names with "since"/"in"
            if not sentence.tokens & _BEGINNING:
                continue
            candidates = [c for c in candidates if _SINCE_OR_IN.search(sentence.text[max(0, c[0] - 6): c[0] + 6])]
        if candidates:
            return finish(reading.closest(candidates, sentence.text))
        if TODAY.search(sentence.text) and reading.passage.date is not None:
            return finish(format_date(reading.passage.date))
    return None


KIND = QuestionKind(
    name="when",
    answer_type="date",
    patterns=(
        question_words.pattern("when", OTHER_LANGS),
        re.compile(LEAD + r"(?:when|since\s+when|(?:on|in|by)\s+(?:what|which)\s+(?:date|day|year|month)"
                   r"|what\s+(?:date|day|year|month|time)|which\s+(?:date|day|year|month))\b"),
        re.compile(r"\bwhen(?:'s)?\b|\b(?:what|which)\s+dates?\b|\bdates?\s*\??\s*$|\bdeadlines?\s+for\b"
                   # "cop15 kicks off on what day of the week?": the question word after the subject
                   r"|\b(?:on|in|by)\s+(?:what|which)\s+(?:date|day|year|month)\b"),
        # "What was the deadline for …?", "What period does the Plan cover?": a time is asked.
        re.compile(r"^\W*(?:and\s+)?(?:what|which)(?:'s|\s+(?:is|was|were|are))?\s+(?:the\s+)?(?:new\s+)?"
                   r"(?:deadline|deadlines|date|dates|day|period|year|month|time\s*frame|timeframe)\b"),
        re.compile(r"(?<!\w)(?:quand|à\s+quelle\s+date|en\s+quelle\s+année|cuándo|cuando|en\s+qué\s+fecha"
                   r"|qué\s+día|quando|em\s+que\s+data|que\s+dia)(?!\w)"),
    ),
    type_words=frozenset(analyze("date dates day year month time")),
    rank=_rank,
    extract=extract,
    facts_only=True,
    strict_event=True,
    # "What day is celebrated on 23 October?" asks for a name, not a date.
    excludes=(re.compile(r"^\W*(?:what|which)\s+(?:day|week)\s+(?:is|was)\s+(?:celebrated|marked|observed)\b"
                         r"|^\W*(?:what|which)\s+(?:day|week|date)\b.*\b\d{1,2}\s+[a-z]+"),),
    examples=("When did COP14 open?", "cop12 dates?", "quand a commencé la COP14 ?"),
)
