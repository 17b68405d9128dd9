"""How-often questions: a frequency ("every three years", "annually", "tous les trois ans")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.answer.sentences import Reading, finish
from bot.model import Passage
from bot.question.kinds.base import QuestionKind
from bot.search.analyzer import analyze
from bot.text import question_words

if TYPE_CHECKING:
    from bot.question.query import Query

_NUMBER = (r"\d{1,2}|two|three|four|five|six|ten|deux|trois|quatre|cinq|six|dix|dos|tres|cuatro|cinco|seis|diez|"
           r"dois|duas|três|quatro|cinco|seis|dez")
_UNIT = r"years?|months?|weeks?|days?|ans|années|mois|semaines|jours|años|meses|semanas|días|anos|dias"
#: A frequency as texts write it, in English, French, Spanish and Portuguese.
FREQUENCY = re.compile(
    r"(?i)(?<!\w)(?:"
    rf"(?:once|twice|three\s+times)\s+(?:a|per|every)\s+(?:year|month|week|decade)|"
    rf"every\s+(?:(?:{_NUMBER})\s+)?(?:{_UNIT})|each\s+(?:year|month)|"
    rf"(?:annual(?:ly)?|yearly|biennial(?:ly)?|triennial(?:ly)?|biannual(?:ly)?)|"
    rf"tous\s+les\s+(?:(?:{_NUMBER})\s+)?(?:{_UNIT})|chaque\s+(?:année|an|mois)|annuel(?:le)?(?:ment)?|triennal(?:e)?|"
    rf"(?:a\s+)?cada\s+(?:(?:{_NUMBER})\s+)?(?:{_UNIT})|anual(?:mente)?|trienal"
    r")(?!\w)")


def has_frequency(text: str) -> bool:
    return FREQUENCY.search(text) is not None


def _rank(passage: Passage, query: Query) -> float:
    return 1.0 if has_frequency(passage.text) else 0.4


def extract(query: Query, reading: Reading) -> str | None:
    """The frequency the best answering sentence states; one sentence stating two: none."""
    for sentence in reading.answering():
        found = {m.group(0).casefold() for m in FREQUENCY.finditer(sentence.text)}
        if len(found) == 1:
            return finish(next(FREQUENCY.finditer(sentence.text)).group(0))
        if found:
            return None
    return None


KIND = QuestionKind(
    name="how_often",
    answer_type="frequency",
    patterns=(question_words.pattern("how_often"),),
    type_words=frozenset(analyze("often frequently frequency regularly interval intervals")),
    rank=_rank,
    extract=extract,
    needs_answer_type=True,
    asks_of_meetings=True,
    search_words={"en": "every years annual", "fr": "tous les ans annuel", "es": "cada años anual",
                  "pt": "cada anos anual"},
    examples=("How often does CMS hold its Conference of the Parties?",),
)

__all__ = ["FREQUENCY", "KIND", "has_frequency"]
