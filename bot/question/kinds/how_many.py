"""How-many questions: a count of the thing asked about ("31 species"), never a count of something else."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.answer.compose import unit_tokens
from bot.answer.sentences import Reading, finish
from bot.model import Passage
from bot.text import question_words
from bot.search.analyzer import analyze
from bot.question.kinds.base import OTHER_LANGS, QuestionKind
from bot.question.kinds.counting import NUMBER, QUALIFIER, count_candidates, named_near
from bot.search import facts

if TYPE_CHECKING:
    from bot.question.query import Query


def counted(query: Query) -> frozenset[str]:
    """What is counted: the word after "how many" (with synonyms), else the question's content words."""
    return query.counted or frozenset(query.content_terms)


def _rank(passage: Passage, query: Query) -> float:
    # ``has_count(passage.text, …)`` and ``counts(passage.text, query.counted, …)``, from the passage's stored facts.
    if not facts.of(passage, "has_count"):
        return 0.3  # a count was asked for: passages without one fall back
    if query.counted and not query.counted & facts.of(passage, "count_terms"):
        return 0.4  # and so do counts of other things
    return 1.0


def _other_kind(query: Query, phrase: str, lang: str) -> bool:
    """Whether a count's phrase qualifies its noun otherwise than the question does: it lacks a word
    the question puts before the counted noun and has one the question lacks."""
    asked = set(query.counted_terms[:-1])
    if not asked:
        return False
    # the count's own words ("five", "over", "some") are no qualifier of its noun
    terms = [t for t in analyze(re.sub(rf"(?i)\b{QUALIFIER}{NUMBER}", " ", phrase), lang) if not any(c.isdigit() for c in t)]
    if asked <= set(terms):
        return False
    head = set(query.counted_terms[-1:])
    if not head & set(terms):
        return False  # "2,700 individuals": another noun, not another qualifier of the same one
    return any(t not in head and t not in asked and t not in query.terms for t in terms)


def extract(query: Query, reading: Reading) -> str | None:
    what = counted(query)
    units = unit_tokens(reading.passage.text, reading.passage.lang)
    index = {reading.passage.text[u.start:u.end]: i for i, (u, _) in enumerate(units)}
    # … and of those, the one nearest the question's other words ("… need international action").
    others = {t: w for t, w in reading.weights.items() if t not in what}
    for sentence in reading.answering():
        i = index.get(sentence.text, 0)
        found = count_candidates(sentence.text, what, generic=named_near(units, i, what) if units else False,
                                 lang=reading.passage.lang)
        if not found:
            continue
        # The counts that name most of what is counted ("21 shark species" over "31 species") …
        most = max(c[3] for c in found)
        # … unless the question counts part of what its first part counted ("how many of them to
        # Appendix I?"): then the count nearest its own words, however it is named.
        best = [(a, b, phrase) for a, b, phrase, named in found if named == most or query.inherited_terms]
        # A count named with another qualifier than the question's ("2 aquatic mammals" for "how many
        # land mammals") counts other things.
        best = [c for c in best if not _other_kind(query, c[2], reading.passage.lang)]
        if not best:
            continue
        if len(best) == 1 or not others:
            return finish(best[0][2])
        return finish(Reading(query, reading.passage, reading.quote, others).closest(best, sentence.text))
    return None


KIND = QuestionKind(
    name="how_many",
    answer_type="count",
    patterns=(
        question_words.pattern("how_many", OTHER_LANGS),
        re.compile(r"\bhow\s+many\b|^\W*(?:what\s+(?:is|was|were)\s+)?the\s+(?:total\s+)?number\s+of\b"),
        re.compile(r"(?<!\w)(?:combien|cuántos|cuántas|cuantos|cuantas|quantos|quantas)(?!\w)"),
    ),
    rank=_rank,
    extract=extract,
    facts_only=True,
    needs_answer_type=True,
    examples=("How many species were added?", "combien d'espèces ?"),
)
