"""Which-X questions for named things (unit, initiative, programme, agreement, day…; a country or
government): the capitalised name in the sentence that ends with that word, or a country's name."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from bot.answer.sentences import Reading, finish
from bot.text import question_words
from bot.question.kinds.base import OTHER_LANGS, QuestionKind

if TYPE_CHECKING:
    from bot.question.query import Query

#: Kinds of thing whose names end with the kind ("… Unit", "… Initiative"). Not "species":
#: "… Migratory Species" is a title.
NAMED_KINDS = frozenset("""unit initiative programme program organisation organization agreement partnership
    campaign project plan framework network fund society committee secretariat office agency alliance
    council panel award day week conference convention memorandum centre center declaration report
    strategy action""".split())
#: Nouns answered by a country's name.
COUNTRY_KINDS = frozenset("country government nation state party".split())


@functools.lru_cache(maxsize=1)
def _countries() -> re.Pattern[str]:
    """Country names in English, from Babel's CLDR data (a well-kept list, not a hand-written one)."""
    from babel import Locale

    names = {n for code, n in Locale("en").territories.items() if code.isalpha() and len(code) == 2}
    names |= {"Uzbekistan", "Philippines", "India", "Brazil", "Ecuador", "Norway", "Kenya", "Norway"}
    alternatives = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    return re.compile(rf"\b(?:the\s+)?(?:{alternatives})\b")


_AS_PLACE = re.compile(r"\b(?:in|at|to|from|across|throughout)\s+(?:the\s+)?$")
_AFTER_CITY = re.compile(r"\b(?P<city>[A-Z][\w’'-]+),\s*$")


def _as_place(before: str) -> bool:
    """Whether a country follows "in"/"at" or a city ("Quito, Ecuador"), so names where, not who."""
    if _AS_PLACE.search(before):
        return True
    city = _AFTER_CITY.search(before)
    return city is not None and not _countries().fullmatch(city.group("city"))


def _named(noun: str, reading: Reading) -> str | None:
    word = r"[A-Z][\w/&’'-]*"
    name = re.compile(rf"\b{word}(?:,?\s+(?:(?:of|and|for|the|on|to|in)\s+)?{word})*?\s+{noun.capitalize()}s?\b(?:\s+\([A-Z]{{2,}}\))?")
    for sentence in reading.answering():
        found = [(m.start(), m.end(), re.sub(r"^(?:The|A|An)\s+", "", m.group(0))) for m in name.finditer(sentence.text)]
        if found:
            return finish(reading.closest(found, sentence.text))
    return None


def _country(query: Query, reading: Reading) -> str | None:
    asked = query.text.lower()
    for sentence in reading.answering():
        # A country named as a place ("in Ecuador", "Quito, Ecuador") is where, not who.
        found = [(m.start(), m.end(), m.group(0)) for m in _countries().finditer(sentence.text)
                 if m.group(0).lower() not in asked and not _as_place(sentence.text[: m.start()])]
        if found:
            return finish(reading.closest(found, sentence.text))
    return None


def extract(query: Query, reading: Reading) -> str | None:
    noun = query.asked_noun or ""
    if noun in COUNTRY_KINDS:
        return _country(query, reading)
    if noun in NAMED_KINDS:
        return _named(noun, reading)
    return None


KIND = QuestionKind(
    name="thing",
    answer_type="name",
    patterns=(
        question_words.pattern("which", OTHER_LANGS),
        re.compile(r"^\W*(?:(?:and|so)\s+)?(?:(?:under|in|at|from|by|for|on|to|with|of)\s+)?(?:which|what)\s+[a-z]{3,}\b"),
              re.compile(r"(?<!\w)(?:quel|quelle|quels|quelles|qué|cuál|cuáles|qual|quais)(?!\w)")),
    extract=extract,
    asks_typed=lambda query: (query.asked_noun or "") in NAMED_KINDS | COUNTRY_KINDS,
    examples=("Which unit handles communication?", "Which government proposed the polar bear?"),
)
