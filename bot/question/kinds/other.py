"""Any other question (what is…, tell me about…, keywords): quoted passages only — except "what's
the latest …?", answered by the newest cited text's opening sentence with its date."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.answer.compose import unit_tokens
from bot.answer.sentences import Reading, finish
from bot.model import format_date
from bot.question.kinds.base import QuestionKind

if TYPE_CHECKING:
    from bot.question.query import Query

#: Where a text's opening sentence may be: its headline or its first paragraph.
LEDE_LOCATORS = ("headline", "para. 1")
_DATELINE = re.compile(r"^\W*[A-Z][A-Za-z .’'-]{1,40},\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4}\s*[–-]\s*")


def latest(query: Query, reading: Reading) -> str | None:
    """"What's the latest …?": the dated opening sentence of the newest text cited (its lede)."""
    passage = reading.passage
    if not query.latest or passage.date is None or passage.locator not in LEDE_LOCATORS:
        return None
    units = unit_tokens(passage.text)
    if not units:
        return None
    first = passage.text[units[0][0].start:units[0][0].end]
    if " ".join(first.split()) not in " ".join(reading.quote.split()):
        return None  # the reader must see it
    return f"{format_date(passage.date)}: {finish(_DATELINE.sub('', first))}"


KIND = QuestionKind(name="other", answer_type="news", patterns=(re.compile(r"(?!)"),), extract=latest,
                    asks_typed=lambda query: query.latest,
                    examples=("shark listings Quito", "What is the Gandhinagar Declaration?"))
