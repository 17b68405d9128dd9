"""Found or not found: whether the best ranked passages answer the question at all.

Calibrated on real questions (see README "Found / not found"): the best passage must cover at
least ``MIN_COVERAGE`` of the question's content-word weight (IDF; words the corpus never uses
weigh ``UNKNOWN_TERM_SHARE`` of the rarest word), unless it holds a symbol the question names.
Beyond that, a reply is refused when its best passage is explicitly about another meeting than
the one asked, when a year the question names is nowhere in it, and — for kinds that need a
typed answer (a count) — when no leading passage states one: a count where no passage states
one is no answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.model import Passage
from bot.question.query import Query
from bot.search.retrieve import Retriever

MIN_COVERAGE = 0.45
#: The lower bar for a passage that states the kind of fact asked in a sentence with the question's
#: words, about the meeting asked (a date for "when", a count of the thing for "how many"): long
#: questions say more than their answer does. No unanswerable question of the dev set and our own
#: files reaches it (README "Found / not found").
MIN_TYPED_COVERAGE = 0.2
#: Share a further passage must cover to be cited beside the best one.
MIN_SUPPORT = 0.3
#: A passage holding this share of the question answers it even without the typed fact (a count).
FULL_COVERAGE = 0.75
#: How many leading passages a typed answer (a count) is looked for in.
TYPED_LOOKAHEAD = 3

#: A meeting code of a CMS body or agreement ("mop10", "mos3", "scc18"): exact, like a symbol.
_CODE = re.compile(r"(?:mop|mos|scc|stc|cop|cdp)\d{1,3}")
_YEAR = re.compile(r"(?<![\w./-])((?:19|20)\d{2})(?:\s*[-–]\s*((?:19|20)\d{2}))?(?![\w/]|\.\d)")


def named_years(query: Query) -> list[int]:
    """Years a question names beyond its period ("the budget for 2027")."""
    if query.span is not None:
        return []
    return sorted({int(y) for m in _YEAR.finditer(query.text) for y in m.groups() if y})


def years_of(passage: Passage) -> frozenset[int]:
    """The passage's year and every year its text names, ranges ("2024-2026") filled in."""
    years = {passage.date.year} if passage.date else set()
    for m in _YEAR.finditer(passage.text):
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else first
        years.update(range(first, max(first, last) + 1))
    return frozenset(years)


def _states_what_is_asked(query: Query, passage: Passage, retriever: Retriever) -> bool:
    """Whether the passage holds the kind of fact asked beside the question's words (its kind's rank
    is full), about the meeting the question names."""
    kind = query.kind
    if kind.rank is None or not kind.typed(query) or kind.rank(passage, query) < 1.0:
        return False
    return not query.meetings or any(retriever.about_meeting(passage, n) for n in query.meetings)


def refusal(query: Query, ranked: Sequence[tuple[Passage, float]], retriever: Retriever) -> str | None:
    """Why the ranked passages do not answer the question (a message id), or None when they do."""
    if not ranked:
        return "not_found"
    content = query.content_terms
    best = ranked[0][0]
    exact_hit = (bool(query.exact_terms) and any(t in retriever.tokens_of(best) for t in query.exact_terms)) \
        or retriever.holds_phrase(best, query)
    if not content:
        if query.meetings or query.span or query.latest or query.kind_filter or query.meeting_filter \
                or query.exact_terms or query.locator:
            return None
        return "vague"
    if exact_hit:
        return None
    if any(_CODE.fullmatch(t) and retriever.index.idf(t) == 0.0 for t in content):
        return "not_found"  # "MOP10", "MOS3": a meeting of a body no text names is no answer
    support = retriever.support(best, content)
    if support < MIN_COVERAGE and not (support >= MIN_TYPED_COVERAGE and _states_what_is_asked(query, best, retriever)):
        return "not_found"
    if query.meetings and query.meeting_filter is None \
            and not any(retriever.about_meeting(best, n) for n in query.meetings):
        return "other_meeting"
    missing = [y for y in named_years(query) if y not in years_of(best)]
    if missing:
        return f"other_year:{missing[0]}"
    kind = query.kind
    # A meeting of another body named by its code ("MOP7"): the typed fact must be about it too.
    codes = [t for t in content if _CODE.fullmatch(t) and not t.startswith(("cop", "cdp"))]
    if kind.needs_answer_type and kind.rank is not None and kind.typed(query) and not any(
            kind.rank(p, query) >= 1.0 and (not query.meetings or any(retriever.about_meeting(p, n) for n in query.meetings))
            and all(c in retriever.tokens_of(p) for c in codes)
            for p, _ in ranked[:TYPED_LOOKAHEAD]):
        return "no_typed_answer"  # a count where no passage (about the meeting asked) states one is no answer
    return None
