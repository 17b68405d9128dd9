"""Where-questions: a place after "in"/"at" in a sentence about the event asked."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.answer.sentences import Reading, finish
from bot.text import question_words
from bot.question.kinds.base import LEAD, OTHER_LANGS, QuestionKind

if TYPE_CHECKING:
    from bot.question.query import Query
from bot.cms.synonyms import SYNONYMS
from bot.search.analyzer import analyze

#: A geographic feature named "of" something ("the Bay of Fundy", "the Gulf of Oman", "the Republic of Korea").
_OF_PLACE = r"(?:Bay|Gulf|Sea|Isle|Islands?|Republic|Strait|Straits|Cape|Lake|Coast|Bight)\s+of\s+(?:the\s+)?"
_PLACE = re.compile(r"\b(?:in|at|en|à|em|no|na)\s+(?:the\s+)?(?P<place>(?:" + _OF_PLACE + r")?[A-Z][\w’'-]+(?:,?\s+(?:de\s+|del\s+|do\s+|da\s+)?[A-Z][\w’'-]+|\s+and\s+[A-Z][\w’'-]+){0,6})")
#: Last words of a capitalised phrase after "in"/"at" that make it a region or a body, not a place.
_NOT_PLACE_ENDINGS = frozenset("""Region Regions Area Areas Zone Zones Network Networks Secretariat Ministry Agreement
    Convention Conference Committee Council Programme Parties Union Session Sessions Meeting Plenary""".split())
_NOT_PLACES = frozenset("The This That These CMS COP Conference Parties Appendix Appendices January February March April May June July August September October November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())


def _named_by(query: Query, place: str) -> bool:
    """Whether half or more of a place's words are the question's own (a synonym counting)."""
    words = analyze(place)
    asked = set(query.content_terms)  # not "city", "venue": they say what kind of place is asked
    own = sum(1 for t in words if t in asked or any(s in asked for s in SYNONYMS.get(t, ())))
    return bool(words) and own * 2 >= len(words)


def extract(query: Query, reading: Reading) -> str | None:
    asked = query.text.casefold()
    for sentence in reading.answering():
        # A place the question already names ("what venue in Durban …?", "the convention centre")
        # is not its answer.
        found = [(m.start("place"), m.end("place"), m.group("place")) for m in _PLACE.finditer(sentence.text)
                 if m.group("place").split()[0].strip(",") not in _NOT_PLACES
                 and m.group("place").split()[0].strip(",").casefold() not in asked
                 and m.group("place").split()[-1].strip(",") not in _NOT_PLACE_ENDINGS
                 and not _named_by(query, m.group("place"))]
        if found:
            return finish(reading.closest(found, sentence.text))
    if query.asked_noun in {"country", "nation"}:
        # "Which country became the 81st Party?": a country that acted, not a place something was in
        from bot.question.kinds.thing import country

        return country(query, reading)
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
