"""What-did-X-decide / what-happened questions: quoted passages, no one-line answer (a decision is
reported in its own words)."""

from __future__ import annotations

import re

from bot.text import question_words
from bot.question.kinds.base import LEAD, OTHER_LANGS, QuestionKind
from bot.search.analyzer import analyze

KIND = QuestionKind(
    name="what_happened",
    answer_type="none",
    patterns=(
        question_words.pattern("what_happened", OTHER_LANGS),re.compile(LEAD + r"what\s+(?:happened|did\s+.+?\s+(?:decide|adopt|agree|do|say|announce|conclude|achieve)"
                         r"|was\s+(?:decided|agreed|adopted|announced)|were\s+the\s+(?:outcomes?|results?|decisions?))\b"),
              re.compile(r"(?<!\w)(?:qu'est-ce\s+qui\s+s'est\s+passé|qué\s+pasó|o\s+que\s+aconteceu)(?!\w)")),
    type_words=frozenset(analyze("happened happen outcome outcomes result results")),
    examples=("What did the Samarkand COP decide about deep-sea mining?",),
)
