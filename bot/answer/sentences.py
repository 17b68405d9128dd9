"""A cited passage as an extractor reads it: its sentences, which of them answer the question,
and where the question's words are — shared by every question kind's extractor.

An extractor only reads sentences that (1) the reader sees in the quote, (2) cover enough of the
question's weight, (3) hold every plain word of the question (its verbs and common nouns: the
event asked about), and (4) do not hedge what the question takes as done ("expected to consider",
"proposed") — so a direct answer never says more than its quoted sentence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.answer import intl
from bot.answer.compose import WHOLE_PASSAGE_CHARS, unit_tokens
from bot.model import Passage
from bot.cms.synonyms import SYNONYMS
from bot.search.analyzer import analyze, analyze_with_spans

if TYPE_CHECKING:
    from bot.question.query import Query

#: Share of the question's weight a sentence (with its passage's title) must cover to be read.
MIN_SENTENCE_COVER = 0.5

#: Words that make a statement a plan, proposal or expectation rather than a fact.
_HEDGE_PHRASE = re.compile(r"(?i:\b(?:expected|set|due|likely|scheduled|invited|urged)\s+to\b|\bwill\b|\bwould\b"
                           r"|\bpropos(?:e|ed|es|al|als)\b|\bconsider(?:ed|ing|ation)?\b|\bcould\b|\bmight\b"
                           r"|\bdraft\b|\bplan(?:s|ned)?\s+to\b)|\bmay\b")


_DEFINED = re.compile(r"(?P<words>[A-Z][\w-]*(?:\s+(?:of|the|and|for|on|to|[A-Z][\w-]*)){1,8})\s+\((?P<acronym>[A-Z][A-Za-z]{1,7})\)")


@functools.lru_cache(maxsize=4096)
def _acronyms(text: str, lang: str = "en") -> tuple[tuple[re.Pattern[str], frozenset[str]], ...]:
    """Acronyms a passage defines ("Committee of the Whole (CoW)"), each with its words' tokens."""
    out = []
    for m in _DEFINED.finditer(text):
        acronym = m.group("acronym")
        capitals = "".join(c for c in acronym if c.isupper())
        words = m.group("words").split()
        initials = "".join(w[0] for w in words if w[0].isupper())
        if len(capitals) >= 2 and initials.endswith(capitals):
            # the defining words: from the one whose initial starts the acronym
            start = max(i for i, w in enumerate(words) if w[0] == capitals[0] and
                        "".join(x[0] for x in words[i:] if x[0].isupper()) == capitals)
            out.append((re.compile(rf"\b{re.escape(acronym)}\b"), frozenset(analyze(" ".join(words[start:]), lang))))
    return tuple(out)


_PAIRED = re.compile(r"\brespectively\b", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    text: str
    tokens: frozenset[str]
    cover: float  # share of the question's weight in this sentence (title and context included)
    own: float = 0.0  # the same, from the sentence's own words only
    lead: str = ""  # a list item's lead-in ("… is expected to consider …, including:")
    words: frozenset[str] = frozenset()  # the sentence's own tokens (``tokens`` adds its context)


def matched_weight(weights: dict[str, float], tokens: frozenset[str]) -> float:
    """The weight of the question's words among ``tokens``, a synonym counting for its word."""
    return sum(w for t, w in weights.items() if t in tokens or any(s in tokens for s in SYNONYMS.get(t, ())))


@functools.lru_cache(maxsize=8192)
def _frame_tokens(passage: Passage) -> frozenset[str]:
    return frozenset(analyze(" ".join(filter(None, (passage.title, passage.context))), passage.lang))


@dataclass(frozen=True)
class Reading:
    """One cited passage, its quote and the question's weighted words."""

    query: Query
    passage: Passage
    quote: str
    weights: dict[str, float]

    @functools.cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        frame = _frame_tokens(self.passage)
        total = sum(self.weights.values()) or 1.0
        text = self.passage.text
        seen = " ".join(self.quote.split())
        out = []
        short = len(text) <= WHOLE_PASSAGE_CHARS
        lang = self.passage.lang  # sentences are read as the passage is analyzed (and indexed)
        whole = frozenset(analyze(text, lang)) if short else frozenset()
        lead_in: frozenset[str] = frozenset()
        lead_text = ""
        acronyms = _acronyms(text, lang)
        for unit, tokens in unit_tokens(text, lang):
            sentence = text[unit.start:unit.end]
            item = sentence.startswith(("- ", "• ", "* "))
            if not item:
                lead_in = tokens if sentence.rstrip().endswith(":") else frozenset()
                lead_text = sentence if sentence.rstrip().endswith(":") else ""
            if " ".join(sentence.split()) not in seen:
                continue  # the reader does not see it
            # A short passage is read as one sentence; a list item with its lead-in.
            context = tokens | frame | whole | (lead_in if item else frozenset())
            for acronym, words in acronyms:  # "CoW Chair …" after "Committee of the Whole (CoW)"
                if acronym.search(sentence):
                    context |= words
            out.append(Sentence(sentence, context, matched_weight(self.weights, context) / total,
                                matched_weight(self.weights, tokens) / total, lead_text if item else "", tokens))
        if len(out) > 1:
            # The best sentence's neighbours are read with it ("… the snow leopard … with only
            # 2,700 to 3,300 individuals …"): they may carry the fact the best one introduces.
            best = max(range(len(out)), key=lambda i: (out[i].cover, out[i].own, -i))
            for i in (best - 1, best + 1):
                if 0 <= i < len(out):
                    both = out[i].tokens | out[best].tokens
                    # never above the best sentence itself: a neighbour only shares its standing
                    cover = max(out[i].cover, min(out[best].cover, matched_weight(self.weights, both) / total))
                    out[i] = Sentence(out[i].text, out[i].tokens, cover, out[i].own, out[i].lead, out[i].words)
        return tuple(out)

    def answering(self, min_cover: float = MIN_SENTENCE_COVER) -> Iterator[Sentence]:
        """Sentences that can answer, best covered first: enough of the question; for a kind that
        asks about an event (when, where), all its plain words; no hedge the question lacks."""
        strict = self.query.kind.strict_event
        facts_only = self.query.kind.facts_only and not self.query.prospective
        # Of equals, a sentence naming the event asked by its own words comes first ("… foi assinado
        # em Nairóbi" before "O Senado ratificou nesta terça-feira …" when a signing is asked).
        for s in sorted(self.sentences, key=lambda s: (-s.cover, not (strict and holds_plain_words(self.query, s.words)),
                                                       -s.own)):
            if s.cover < min_cover:
                break
            if strict and not holds_plain_words(self.query, s.tokens):
                continue
            if _PAIRED.search(s.text):
                continue  # "by A and B, respectively": which goes with which is not a sentence's to say
            lang = self.passage.lang
            if facts_only and (hedged(s.text, lang) or (s.lead and hedged(s.lead, lang))):
                continue
            yield s

    def closest(self, candidates: list[tuple[int, int, str]], sentence: str) -> str:
        """The candidate nearest the question's words in ``sentence``, rarer words counting more."""
        occurrences: dict[str, list[int]] = {}
        for t, s, e in analyze_with_spans(sentence, self.passage.lang):
            if t in self.weights:
                occurrences.setdefault(t, []).append((s + e) // 2)

        def distance(c: tuple[int, int, str]) -> float:
            middle = (c[0] + c[1]) / 2
            return sum(self.weights[t] * min(abs(middle - p) for p in ps) for t, ps in occurrences.items())

        return min(candidates, key=lambda c: (distance(c), c[0]))[2]


def holds_plain_words(query: Query, tokens: frozenset[str]) -> bool:
    """Whether the plain words of the question (written in lower case: verbs and common nouns, not
    the words of a name, which texts vary) are among ``tokens``, a synonym counting: all of one or
    two, all but one of three or more (a long question says more than its sentence needs to)."""
    missing = sum(not (t in tokens or any(s in tokens for s in SYNONYMS.get(t, ()))) for t in query.plain_terms)
    return missing <= (len(query.plain_terms) // 3 if query.lang == "en" else intl.plain_words_missing(len(query.plain_terms)))


def hedged(sentence: str, lang: str = "en") -> bool:
    """Whether the sentence states a plan, proposal or expectation ("expected to consider",
    "proposed", "will"; "sera", "propuesto", "deverá"): no fact for a question about what happened."""
    if lang != "en":
        return intl.hedged(sentence, lang)
    # "After considering proposals …, the COP decided to list 31 species": what led to the statement
    # is no hedge of it.
    statement = _LIST_OF_TOPICS.split(_POLITE.sub("", _LEADING_CLAUSE.sub("", sentence)), maxsplit=1)[0]
    return _HEDGE_PHRASE.search(statement) is not None


#: What a statement lists after "such as", "including" or a colon are its topics: a plan among them
#: ("… such as: work towards a listing proposal to be presented at COP12") does not hedge it.
_LIST_OF_TOPICS = re.compile(r"\b(?:such\s+as|including|namely)\b|:\s")
#: A polite formula, no plan: "We would like to remind Parties of the deadlines …".
_POLITE = re.compile(r"\b(?:would|should)\s+like\s+to\b", re.IGNORECASE)


#: A sentence's opening adverbial clause ("After considering proposals submitted by Parties, …").
_LEADING_CLAUSE = re.compile(r"^\W*(?:After|Following|Having|Upon|On|Based\s+on)\b[^,;:]{0,160},\s*(?=\S)")


def finish(phrase: str) -> str:
    """A phrase as a one-line answer: capitalised, one full stop."""
    phrase = phrase.strip().rstrip(",;:")
    if not phrase:
        return phrase
    phrase = phrase[0].upper() + phrase[1:]
    return phrase if phrase.endswith((".", "!", "?", "”", '"', "…")) else phrase + "."
