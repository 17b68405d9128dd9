"""The registry of question kinds, in detection order (the first that matches wins).

Adding a kind is one module defining ``KIND`` and one line here.
"""

from __future__ import annotations

from bot.question.kinds import (
    about, called, how_many, how_much, how_often, how_old, other, reference, thing, what_happened, when, where, who, yes_no,
)
from bot.question.kinds.base import QuestionKind

KINDS: tuple[QuestionKind, ...] = (
    how_often.KIND,
    how_old.KIND,
    how_much.KIND,
    how_many.KIND,
    yes_no.KIND,
    called.KIND,
    about.KIND,
    reference.KIND,
    when.KIND,
    where.KIND,
    who.KIND,
    what_happened.KIND,
    thing.KIND,
    other.KIND,
)
BY_NAME: dict[str, QuestionKind] = {k.name: k for k in KINDS}


def detect(folded: str) -> QuestionKind:
    """The kind of a question (casefolded, whitespace collapsed); ``other`` when none matches."""
    for kind in KINDS:
        if kind.detects(folded):
            return kind
    return other.KIND


__all__ = ["BY_NAME", "KINDS", "QuestionKind", "detect"]
