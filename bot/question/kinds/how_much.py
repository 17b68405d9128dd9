"""How-much / what-share questions: a percentage whose preceding words name what is asked about."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from bot.answer import intl
from bot.answer.sentences import Reading, finish
from bot.model import Passage
from bot.text import question_words
from bot.question.kinds.base import OTHER_LANGS, QuestionKind
from bot.question.kinds.counting import PERCENT, has_count, share_phrase
from bot.search import facts
from bot.search.analyzer import analyze

if TYPE_CHECKING:
    from bot.question.query import Query


#: An amount of money: "US$ 2.5 million", "€300,000", "R$ 10 milhões", "500,000 dollars".
MONEY = re.compile(r"(?:US\$|USD|EUR|CHF|R\$|\$|€|£)\s?\d|\d[\d.,]*\s*(?:million|billion|mil|milhões|millones|millions)?\s*"
                   r"(?:dollars|euros|dólares|reais|francs|USD|EUR|CHF)\b", re.IGNORECASE)


def _rank(passage: Passage, query: Query) -> float:
    """A share or an amount was asked for: passages stating one rank first."""
    # ``_states_amount(passage.text, passage.lang)``, from the passage's stored facts.
    if facts.of(passage, "states_amount"):
        return 1.0
    return 0.6 if facts.of(passage, "has_count") else 0.3


def states_amount(text: str, lang: str = "en") -> bool:
    """Whether a text states a share or an amount of money (a passage fact, bot/search/facts.py)."""
    return bool(PERCENT.search(text) or MONEY.search(text))


@functools.lru_cache(maxsize=8192)
def _states_amount(text: str, lang: str) -> float:
    """``_rank`` of a passage's text, cached (it depends on nothing else)."""
    if PERCENT.search(text) or MONEY.search(text):
        return 1.0
    return 0.6 if has_count(text, lang) else 0.3


def extract(query: Query, reading: Reading) -> str | None:
    if reading.passage.lang != "en":
        return intl.share_or_amount(query, reading)
    what = frozenset(query.content_terms)
    for sentence in reading.answering():
        phrase = share_phrase(sentence.text, what, reading.passage.lang)
        if phrase:
            return finish(phrase)
    return None


KIND = QuestionKind(
    name="how_much",
    answer_type="percentage",
    patterns=(
        question_words.pattern("how_much", OTHER_LANGS),re.compile(r"\b(?:how\s+much|by\s+how\s+much|what\s+(?:share|percentage|proportion|per\s*cent)"
                         r"|which\s+(?:share|percentage|proportion))\b"),
              re.compile(r"(?<!\w)(?:quel\s+pourcentage|qué\s+porcentaje|que\s+porcentagem)(?!\w)")),
    type_words=frozenset(analyze("share percentage proportion percent much")),
    rank=_rank,
    extract=extract,
    needs_answer_type=True,
    facts_only=True,
    excludes=(question_words.pattern("how_long", OTHER_LANGS),),  # "quanto tempo dura": a duration, not an amount
    examples=("By how much did page views grow?",),
)
