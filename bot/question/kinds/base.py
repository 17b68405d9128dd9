"""What every question kind provides: detection, the words that only say what is asked, a ranking
hint and an extractor of typed candidates. One module per kind; the registry is ``KINDS``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.model import Passage

if TYPE_CHECKING:
    from bot.answer.sentences import Reading
    from bot.question.query import Query


@dataclass(frozen=True)
class QuestionKind:
    """One kind of question.

    ``patterns`` detect the kind on the folded question (any language the kind knows); the first
    kind in registry order whose pattern matches wins. ``type_words`` are raw words that only say
    what kind of fact is wanted ("old", "age") and are not searched for. ``rank`` scores how well a
    passage can answer this kind at all (1.0 = fully, lower = falls back). ``extract`` reads the
    best quoted sentences and returns the direct answer, or None — never more than they say.
    """

    name: str
    patterns: tuple[re.Pattern[str], ...]
    answer_type: str
    type_words: frozenset[str] = frozenset()
    rank: Callable[[Passage, Query], float] | None = None
    extract: Callable[[Query, Reading], str | None] | None = None
    #: Whether a passage that cannot answer this kind at all (``rank`` below 1) makes the reply not found.
    needs_answer_type: bool = False
    examples: tuple[str, ...] = field(default=())
    #: The event asked about must be the answering sentence's: all the question's plain words in it
    #: ("When was the Initiative adopted?" is not answered by "… presented on 6 November").
    strict_event: bool = False
    #: A plan, proposal or expectation does not answer it ("expected to consider 14 species" is not
    #: how many were added), unless the question itself asks about plans.
    facts_only: bool = False
    #: The meeting's own words ("the COP", "held", "meet") are what the question asks about when it has
    #: no other ("how often is the COP held?"): then they are searched, not dropped as "the meeting itself".
    asks_of_meetings: bool = False
    #: Words an answering sentence of this kind commonly holds, per language ("every", "years" for how
    #: often), searched beside the question's own when the question's words are everywhere.
    search_words: dict[str, str] = field(default_factory=dict)
    #: Questions these match are not of this kind even when a pattern matches.
    excludes: tuple[re.Pattern[str], ...] = ()

    #: Whether a question of this kind asks for a fact of ``answer_type`` at all (a which-question may
    #: ask for a thing no recogniser knows: "which traditional art form …?"); None: whenever it extracts.
    asks_typed: Callable[[Query], bool] | None = None

    def typed(self, query: Query) -> bool:
        """Whether this question asks for a one-line fact this kind can extract."""
        if self.extract is None or self.answer_type == "none":
            return False
        return self.asks_typed(query) if self.asks_typed is not None else True

    def detects(self, folded: str) -> bool:
        return any(p.search(folded) for p in self.patterns) and not any(x.search(folded) for x in self.excludes)


def words(*alternatives: str) -> re.Pattern[str]:
    """A pattern of whole-word alternatives (regex syntax allowed inside each)."""
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


#: Languages whose question words come from ``bot.text.question_words`` (English ones are each kind's own).
OTHER_LANGS: tuple[str, ...] = ("fr", "es", "pt")

#: Leading words a chat question may start with before its question word ("and when…", "so who…").
LEAD = r"^\W*(?:(?:and|so|but|then|ok|et|y|e|puis|alors)\s+)?"


def fold_phrase(text: str) -> str:
    """A phrase as matched against passages: case, quote and dash styles and spacing folded."""
    return " ".join(re.sub(r"[\"“”‘’']", "", text).casefold().replace("–", "-").split())
