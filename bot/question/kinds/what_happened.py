"""What-did-X-decide / what-happened questions: the decision in its own words — the clause of the
quoted sentence that says what was adopted, agreed, listed or withdrawn about the thing asked."""

from __future__ import annotations

import re

from typing import TYPE_CHECKING

from bot.answer.sentences import Reading, finish, matched_weight
from bot.text import question_words
from bot.question.kinds.base import LEAD, OTHER_LANGS, QuestionKind
from bot.search.analyzer import analyze

if TYPE_CHECKING:
    from bot.question.query import Query

#: What a decision or an outcome is said with.
DECIDED = re.compile(r"\b(?:adopt(?:ed|ion)|agree(?:d|ment)|decided|decision\s+to|urge[sd]|call(?:ed|s)\s+(?:on|for)"
                     r"|list(?:ed)|withdrawn|withdrew|reject(?:ed|ion)|approv(?:ed|al)|endors(?:ed|ement)|establish(?:ed|ment)"
                     r"|includ(?:e|ed)|add(?:ed|ition)|launch(?:ed)|elect(?:ed)|amend(?:ed|ment))\b", re.IGNORECASE)
#: Where one clause of a sentence ends and the next begins.
_CLAUSE_BREAK = re.compile(r",\s+(?:but|while|whereas|and\s+(?=[a-z]+\s+(?:was|were|is|are)\b))\s+|;\s+")
#: The longest answer: a decision is a clause, not a paragraph.
LONGEST = 240


def extract(query: Query, reading: Reading) -> str | None:
    """The clause that holds a decision word and most of what is asked about, verbatim."""
    topic = {t: w for t, w in reading.weights.items() if t not in _ASKING}
    if not topic:
        return None
    total = sum(topic.values())
    for sentence in reading.answering():
        # the clauses that say what was decided, the one with most of the topic first; a sentence
        # right after the one that names the topic ("… came to a successful conclusion today. Among
        # the main decisions reached was …") is read with it
        clauses = [c for c in _CLAUSE_BREAK.split(sentence.text) if DECIDED.search(c)]
        if not clauses:
            continue
        best = max(clauses, key=lambda c: matched_weight(topic, frozenset(analyze(c))))
        carried = sentence.own < 0.5 * sentence.cover
        if matched_weight(topic, frozenset(analyze(best))) < 0.5 * total and not carried:
            continue
        clause = best.strip()
        if len(clause) > LONGEST:
            clause = clause[:LONGEST].rsplit(" ", 1)[0].rstrip(",;:") + " …"
        return finish(clause)
    return None

#: Words that only ask what was decided, never the topic a clause must hold.
_ASKING = frozenset(analyze("decide decided decision decisions adopt adopted agree agreed happen happened do did"))


KIND = QuestionKind(
    name="what_happened",
    answer_type="decision",
    patterns=(
        question_words.pattern("what_happened", OTHER_LANGS),re.compile(LEAD + r"what\s+(?:happened|did\s+.+?\s+(?:decide|adopt|agree|do|say|announce|conclude|achieve)"
                         r"|was\s+(?:decided|agreed|adopted|announced)|were\s+the\s+(?:outcomes?|results?|decisions?))\b"),
              re.compile(r"(?<!\w)(?:qu'est-ce\s+qui\s+s'est\s+passé|qué\s+pasó|o\s+que\s+aconteceu)(?!\w)")),
    type_words=frozenset(analyze("happened happen outcome outcomes result results")),
    extract=extract,
    facts_only=True,
    examples=("What did the Samarkand COP decide about deep-sea mining?",),
)
