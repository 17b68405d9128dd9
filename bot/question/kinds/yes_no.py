"""Yes/no questions ("Was the Manila COP the first in Asia?"): no direct yes or no is ever
inferred; the passages that settle it are quoted."""

from __future__ import annotations

import re

from bot.question.kinds.base import LEAD, QuestionKind

KIND = QuestionKind(
    name="yes_no",
    answer_type="none",
    patterns=(re.compile(LEAD + r"(?:is|was|are|were|did|does|do|has|have|had|can|could|will|would|should)\s+"
                         r"(?!there\s+be\b)[\w'-]+"),
              re.compile(r"^\W*(?:est-ce\s+que|¿?es\s+cierto|é\s+verdade)\b")),
    examples=("Was the Manila conference the first CMS COP in Asia?",),
)
