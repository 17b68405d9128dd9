"""Where-questions: a place after "in"/"at" in a sentence about the event asked."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.answer.sentences import Reading, finish
from bot.text import question_words
from bot.question.kinds.base import LEAD, OTHER_LANGS, QuestionKind

if TYPE_CHECKING:
    from bot.question.query import Query
from bot.search.analyzer import analyze

_PLACE = re.compile(r"\b(?:in|at|en|à|em|no|na)\s+(?:the\s+)?(?P<place>[A-Z][\w’'-]+(?:,?\s+(?:de\s+|del\s+|do\s+|da\s+)?[A-Z][\w’'-]+){0,4})")
_NOT_PLACES = frozenset("The This That These CMS COP Conference Parties Appendix Appendices January February March April May June July August September October November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())


def extract(query: Query, reading: Reading) -> str | None:
    asked = query.text.casefold()
    for sentence in reading.answering():
        # A place the question already names ("what venue in Durban …?") is not its answer.
        found = [(m.start("place"), m.end("place"), m.group("place")) for m in _PLACE.finditer(sentence.text)
                 if m.group("place").split()[0].strip(",") not in _NOT_PLACES
                 and m.group("place").split()[0].strip(",").casefold() not in asked]
        if found:
            return finish(reading.closest(found, sentence.text))
    return None


KIND = QuestionKind(
    name="where",
    answer_type="place",
    patterns=(
        question_words.pattern("where", OTHER_LANGS),
        re.compile(LEAD + r"(?:where|(?:in\s+)?(?:what|which)\s+(?:city|country|place|venue|location))\b"),
        re.compile(r"\b(?:where|which\s+(?:city|country|venue)|what\s+(?:city|country|venue))\b"),
        re.compile(r"(?<!\w)(?:où|dans\s+quelle\s+ville|dónde|donde|en\s+qué\s+ciudad|onde|em\s+que\s+cidade)(?!\w)"),
    ),
    type_words=frozenset(analyze("place location city country venue")),
    extract=extract,
    facts_only=True,
    strict_event=True,
    examples=("Where was COP11 held?", "où se tient la COP15 ?"),
)
