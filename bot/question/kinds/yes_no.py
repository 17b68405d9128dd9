"""Yes/no questions ("Was the Manila COP the first in Asia?"): "Yes" only where a quoted sentence
states the question's whole proposition — every word of it, nothing negated, hedged or offered
as an alternative — and then with that sentence; "no" is never inferred (a text not saying
something is no evidence it did not happen)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.answer.sentences import Reading, hedged
from bot.cms.synonyms import SYNONYMS
from bot.question.kinds.base import LEAD, QuestionKind

if TYPE_CHECKING:
    from bot.question.query import Query

#: Words that turn a sentence (or a question) away from a plain "yes".
_NEGATION = re.compile(r"(?i)\b(?:not|no|never|neither|nor|without|none|n['’]t|cannot|failed|fails|rejected|withdrawn|"
                       r"instead|postponed|unlike|except|only|other\s+than|rather\s+than)\b|n['’]t\b")
#: A question offering alternatives ("… vote or adopt by consensus?") asks which, not whether.
_ALTERNATIVE = re.compile(r"(?i)\bor\b|\bwhether\b")
#: Longest sentence given after "Yes": beyond it, the quote says it better.
MAX_YES_SENTENCE = 240


def extract(query: Query, reading: Reading) -> str | None:
    if query.lang != "en" or reading.passage.lang != "en" or query.parts:
        return None
    if _NEGATION.search(query.text) or _ALTERNATIVE.search(query.text):
        return None
    own = [t for t in dict.fromkeys(query.content_terms) if t not in query.inherited_terms]
    if len(own) < 2:
        return None  # too little said to be confirmed by a sentence's words alone
    for sentence in reading.answering():
        if len(sentence.text) > MAX_YES_SENTENCE or _NEGATION.search(sentence.text):
            continue
        if not query.prospective and hedged(sentence.text, reading.passage.lang):
            continue
        if all(t in sentence.words or any(s in sentence.words for s in SYNONYMS.get(t, ())) for t in own):
            return f"Yes: {sentence.text.strip()}"
    return None


KIND = QuestionKind(
    name="yes_no",
    answer_type="affirmation",
    patterns=(re.compile(LEAD + r"(?:is|was|are|were|did|does|do|has|have|had|can|could|will|would|should)\s+"
                         r"(?!there\s+be\b)[\w'-]+"),
              re.compile(r"^\W*(?:est-ce\s+que|¿?es\s+cierto|é\s+verdade)\b")),
    extract=extract,
    facts_only=True,
    examples=("Was the Manila conference the first CMS COP in Asia?",),
)
