"""Any other question (what is…, tell me about…, keywords): quoted passages only."""

from __future__ import annotations

import re

from bot.question.kinds.base import QuestionKind

KIND = QuestionKind(name="other", answer_type="none", patterns=(re.compile(r"(?!)"),),
                    examples=("shark listings Quito", "What is the Gandhinagar Declaration?"))
