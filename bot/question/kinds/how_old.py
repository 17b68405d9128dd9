"""How-old / how-long questions: an age, with the date it counts from."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.answer.sentences import Reading, finish
from bot.model import Passage, format_date
from bot.text import question_words
from bot.question.kinds.base import OTHER_LANGS, QuestionKind
from bot.question.kinds.counting import AGE, has_age
from bot.search.analyzer import analyze

if TYPE_CHECKING:
    from bot.question.query import Query


def _rank(passage: Passage, query: Query) -> float:
    return 1.0 if has_age(passage.text) else 0.4


def extract(query: Query, reading: Reading) -> str | None:
    for sentence in reading.answering():
        m = AGE.search(sentence.text)
        if not m:
            continue
        if m.group("n3"):
            age = f"{m.group('n3')} years"
        else:
            n = m.group("n") or m.group("n2")
            age = f"{n} year{'' if n in {'1', 'one'} else 's'}{' ago' if m.group(0).lower().endswith('ago') else ''}"
        # An age counts from the day the text was written: say which.
        when = reading.passage.date
        return finish(f"{age} (as of {format_date(when)})" if when else age)
    return None


KIND = QuestionKind(
    name="how_old",
    answer_type="age",
    patterns=(
        question_words.pattern("how_old", OTHER_LANGS),re.compile(r"\bhow\s+old\b|\bhow\s+long\s+ago\b"),
              re.compile(r"(?<!\w)(?:quel\s+âge|cuántos\s+años\s+tiene|quantos\s+anos\s+tem)(?!\w)")),
    type_words=frozenset(analyze("old age")),
    rank=_rank,
    extract=extract,
    examples=("How old is World Migratory Bird Day?",),
)
