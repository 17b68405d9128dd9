"""Ranked passages for a parsed question: explicit filters as masks, what the question's words say
(meeting, period, kind) as preferences, and each question kind's ranking hint.

A preference is not a wall: a meeting, period or kind read from the question's words moves passages
up or down but never hides one, so a later text about that period still answers ("What did World
Migratory Bird Day highlight in 2022?" from a December 2023 document). Filters the user sets
explicitly (``--meeting``, ``/ask meeting:``, ``--kind``) stay filters.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import numpy as np

from bot.cms.dates import find_dates
from bot.cms.synonyms import SYNONYMS
from bot.model import KINDS, DateSpan, Passage
from bot.question.kinds.base import fold_phrase
from bot.question.query import INSISTING_WORDS, Query
from bot.search import facts
from bot.search import passages as table
from bot.search.analyzer import analyze
from bot.search.index import BM25Index
from bot.text.stopwords import STOPWORDS_BY_LANG

#: Weight of a question word the corpus never uses, as a share of the rarest possible word's IDF.
UNKNOWN_TERM_SHARE = 0.7
#: Preference factors.
MEETING_BOOST, OTHER_MEETING = 1.3, 0.7
#: A passage of another meeting's page that names the meeting asked ("… listing it at COP 10").
MENTION_BOOST = 1.1
PERIOD_BOOST, OUT_OF_PERIOD = 1.5, 0.7
KIND_BOOST = 1.15
SOURCE_BOOST = 1.3
#: The kinds a question's word for a kind means ("news" is a listing, a news item or a notification).
KIND_FAMILIES: dict[str, tuple[str, ...]] = {
    "news_listing": ("news_listing", "news_item", "notification", "press_release"),
    "press_release": ("press_release", "statement"),
    "cop_document": ("cop_document", "resolution", "meeting_report"),
}
PHRASE_BOOST = 2.0
#: A passage located by the resolution or decision number the question names ("Decision 13.24").
LOCATED_BOOST = 4.0
_NUMBERED = ("Resolution ", "Decision ", "Recommendation ")
#: Terms whose holding documents are remembered before that memo is cleared.
DOCUMENT_TERMS_REMEMBERED = 20_000
#: How much a passage's page counts towards its support for a question (see ``Retriever.support``).
PAGE_SHARE = 0.6
#: A passage whose document holds none of the words naming the source ("according to …") keeps this
#: share of its score; one whose document holds them all keeps all of it.
SOURCE_FLOOR = 0.4


def searchable_text(p: Passage) -> str:
    """What BM25 sees for a passage: its text plus its title and metadata."""
    from bot.model import KIND_LABELS

    meeting = f"COP{p.meeting}" if p.meeting is not None else ""
    return "\n".join(filter(None, (
        p.title, p.context or "", p.locator, p.symbol or "", meeting, KIND_LABELS.get(p.kind, ""),
        publisher_words(p.url), p.text,
    )))


_HOST = re.compile(r"^[a-z]+://(?P<host>[^/:?#]+)", re.IGNORECASE)
_HOST_NOISE = frozenset("www en fr es pt com org net int gov edu info news co uk br uz in ph ec ke".split())


def publisher_words(url: str | None) -> str:
    """Who published a page, from its address: "www.ascobans.org" → "ascobans", "enb.iisd.org" →
    "enb iisd", so "the ASCOBANS website" or "IISD's report" find it."""
    m = _HOST.match(url or "")
    if not m:
        return ""
    return " ".join(w for w in m.group("host").lower().split(".") if w not in _HOST_NOISE)


@functools.lru_cache(maxsize=8192)
def dates_in(text: str) -> tuple[DateSpan, ...]:
    return tuple(f.span for f in find_dates(text))


#: English words a question never searches for (stopwords, and words that only insist or say where it
#: was read), in their written form, to recognise them mistyped.
_NEVER_SEARCHED = frozenset(STOPWORDS_BY_LANG["en"] | set(INSISTING_WORDS.split()) | {
    "according", "because", "should", "would", "could", "please", "which", "where", "there", "their", "about",
    "whether"})


def one_letter_off(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one letter left out, added, changed or two letters swapped."""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return len(long) - len(short) == 1 and any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def mentions(text: str, span: DateSpan) -> bool:
    """Whether ``text`` mentions a day or range inside ``span``."""
    return any(span.start <= d.start and d.end <= span.end for d in dates_in(text))


class Retriever:
    """The passages, their index and the per-passage arrays filters are computed from."""

    def __init__(self, index: BM25Index, passages: Sequence[Passage],
                 city_terms: dict[int, frozenset[str]] | None = None, city_names: dict[int, str] | None = None) -> None:
        self.index = index
        #: Each meeting's host-city terms ("quito"), so a passage naming the city is about it.
        self.city_terms = city_terms or {}
        #: The cities as written, analyzed in a passage's own language when it is not English.
        self.city_names = city_names or {}
        # A loaded passage table stays lazy: the arrays below come from its columns, no passage made.
        self.passages = passages if isinstance(passages, table.PassageTable) else list(passages)
        self._tokens: dict[str, frozenset[str]] = {}
        self._weights: dict[str, float] = {}
        self._doc_holding: dict[str, frozenset[int]] = {}
        self._sources, self._doc_of = table.coded(self.passages, "source")
        self._doc_number = {source: i for i, source in enumerate(self._sources)}
        self._doc_sorted: dict[str, np.ndarray] = {}
        self._lang_masks: dict[tuple[str, ...], np.ndarray] = {}
        self._about_masks: dict[int, np.ndarray] = {}
        self._folded: dict[str, str] = {}
        self._coverages: dict[tuple[object, tuple[str, ...]], float] = {}
        self._meeting = table.meetings(self.passages)
        kinds, codes = table.coded(self.passages, "kind")
        self._kind = np.array([KINDS.index(k) if k in KINDS else -1 for k in kinds] + [-1], dtype=np.int16)[codes]
        self._ordinal = table.ordinals(self.passages)
        n = max(len(self.passages), 1)
        self.max_idf = float(np.log(n + 0.5) - np.log(0.5))

    # Arrays and maps only some questions need, made on first use.
    @functools.cached_property
    def ids(self) -> np.ndarray:
        return np.array(table.column(self.passages, "id"), dtype=object)

    @functools.cached_property
    def _locator(self) -> np.ndarray:
        return table.by_code(*table.coded(self.passages, "locator"))

    @functools.cached_property
    def _lang(self) -> np.ndarray:
        langs, codes = table.coded(self.passages, "lang")
        return table.by_code([lang or "en" for lang in langs], codes, none="en")

    @functools.cached_property
    def _index_of(self) -> dict[str, int]:
        return {pid: i for i, pid in enumerate(table.column(self.passages, "id"))}

    def index_of(self, passage_id: str) -> int | None:
        """Where the indexed passage ``passage_id`` is in ``passages`` (None: not an indexed passage)."""
        return self._index_of.get(passage_id)

    def _where(self, passage: Passage) -> int | None:
        """``index_of(passage.id)``, straight from its position when that is its place (it is in a
        corpus as loaded), without the map of every id."""
        i = passage.position
        if 0 <= i < len(self.passages) and self.passages[i] is passage:
            return i
        return self._index_of.get(passage.id)

    # ------------------------------------------------------------------ words

    def holds_phrase(self, passage: Passage, query: Query) -> bool:
        """Whether the passage holds a phrase the question quotes."""
        if not query.phrases:
            return False
        text = self._folded.get(passage.id)
        if text is None:
            text = self._folded[passage.id] = fold_phrase(passage.text)
        return any(phrase in text for phrase in query.phrases)

    def tokens_of(self, passage: Passage) -> frozenset[str]:
        """The passage's searchable tokens, analyzed once."""
        tokens = self._tokens.get(passage.id)
        if tokens is None:
            tokens = self._tokens[passage.id] = frozenset(analyze(searchable_text(passage), passage.lang))
        return tokens

    def weight(self, term: str) -> float:
        """A term's weight for coverage: its IDF; a word the corpus never uses weighs a share of the
        rarest word's IDF (most unknown question words are everyday verbs)."""
        weight = self._weights.get(term)
        if weight is None:
            idf = self.index.idf(term)
            weight = self._weights[term] = UNKNOWN_TERM_SHARE * self.max_idf if idf == 0.0 else max(idf, 0.05)
        return weight

    def documents_holding(self, term: str) -> frozenset[int]:
        """The documents (by number) one of whose passages holds ``term``, from the index's postings
        (no passage is analyzed again; remembered per term)."""
        held = self._doc_holding.get(term)
        if held is None:
            if len(self._doc_holding) > DOCUMENT_TERMS_REMEMBERED:
                self._doc_holding.clear()
            held = self._doc_holding[term] = frozenset(np.unique(self._doc_of[self.index.postings(term)]).tolist())
        return held

    def document_coverage(self, passage: Passage, terms: Sequence[str]) -> float:
        """Share of the question's weight the passage's whole document holds."""
        key = ("doc", passage.source)
        wanted = tuple(terms)
        hit = self._coverages.get((key, wanted))
        if hit is None:
            doc = self._doc_number.get(passage.source, -1)
            unique = tuple(dict.fromkeys(wanted))
            weights = [self.weight(t) for t in unique]
            total = sum(weights)
            found = sum(w for t, w in zip(unique, weights)
                        if doc in self.documents_holding(t)
                        or any(doc in self.documents_holding(x) for x in SYNONYMS.get(t, ())))
            hit = self._coverages[(key, wanted)] = found / total if total else 0.0
        return hit

    def document_coverages(self, ids: np.ndarray, terms: Sequence[str]) -> None:
        """``document_coverage`` of the indexed passages ``ids`` at once, remembered for the question:
        which of the question's words each one's document holds comes from the postings for all of
        them together; the shares are summed as ``document_coverage`` sums them, once per set of
        words held."""
        wanted = tuple(terms)
        unique = tuple(dict.fromkeys(wanted))
        if not unique or not len(ids):
            return
        docs = self._doc_of[ids]
        weights = [self.weight(t) for t in unique]
        total = sum(weights)
        held = np.zeros((len(ids), len(unique)), dtype=bool)
        for k, t in enumerate(unique):
            column = self._holding_documents(t, docs)
            for x in SYNONYMS.get(t, ()):
                column |= self._holding_documents(x, docs)
            held[:, k] = column
        shares: dict[bytes, float] = {}
        for doc, row in zip(docs.tolist(), held):
            key = (("doc", self._sources[doc]), wanted)
            if key in self._coverages:
                continue
            pattern = row.tobytes()
            share = shares.get(pattern)
            if share is None:
                found = sum(w for w, h in zip(weights, row.tolist()) if h)
                share = shares[pattern] = found / total if total else 0.0
            self._coverages[key] = share

    def _holding_documents(self, term: str, docs: np.ndarray) -> np.ndarray:
        """For each document number in ``docs``, whether one of its passages holds ``term``."""
        held = self._doc_sorted.get(term)
        if held is None:
            if len(self._doc_sorted) > DOCUMENT_TERMS_REMEMBERED:
                self._doc_sorted.clear()
            held = self._doc_sorted[term] = np.unique(self._doc_of[self.index.postings(term)])
        if not held.size:
            return np.zeros(len(docs), dtype=bool)
        at = np.searchsorted(held, docs)
        return held[np.minimum(at, held.size - 1)] == docs

    def support(self, passage: Passage, terms: Sequence[str]) -> float:
        """How much of the question a passage answers, its page counting for part: a long question's
        words are often spread over a page (its headline names the event, a paragraph gives the date)."""
        own = self.coverage(passage, terms)
        return max(own, PAGE_SHARE * self.document_coverage(passage, terms) + (1 - PAGE_SHARE) * own)

    def coverage(self, passage: Passage, terms: Sequence[str]) -> float:
        """Share of the question's term weight found in the passage (a synonym counting)."""
        wanted = tuple(terms)
        hit = self._coverages.get((passage.id, wanted))
        if hit is None:
            i = self._where(passage)
            if i is None:  # not an indexed passage (the meetings table): read its words
                return self._coverage_in(self.tokens_of(passage), wanted)
            hit = float(self.coverages(np.array([i]), wanted)[0])
        return hit

    def coverages(self, ids: np.ndarray, terms: Sequence[str]) -> np.ndarray:
        """Coverage of the indexed passages ``ids`` at once, from the index's postings (no passage is
        analyzed again), remembered for the question."""
        wanted = tuple(terms)
        unique = tuple(dict.fromkeys(wanted))
        out = np.zeros(len(ids), dtype=np.float64)
        if not unique or not len(ids):
            return out
        total = 0.0
        for t in unique:
            w = self.weight(t)
            total += w
            held = self.index.holds(t, ids)
            for synonym in SYNONYMS.get(t, ()):
                held |= self.index.holds(synonym, ids)
            out += w * held
        out /= total
        for i, value in zip(ids.tolist(), out.tolist()):
            self._coverages[(self.passages[i].id, wanted)] = value
        return out

    def new_question(self) -> None:
        """Forget the last question's memoised coverages (they are per question)."""
        self._coverages = {}

    def _coverage_in(self, have: frozenset[str], terms: Sequence[str]) -> float:
        wanted = tuple(dict.fromkeys(terms))
        if not wanted:
            return 0.0
        weights = [self.weight(t) for t in wanted]
        total = sum(weights)
        found = sum(w for t, w in zip(wanted, weights)
                    if t in have or (t in SYNONYMS and any(s in have for s in SYNONYMS[t])))
        return found / total if total else 0.0

    @functools.cached_property
    def _vocabulary(self) -> list[str]:
        return sorted(self.index.terms)

    def complete(self, term: str) -> str | None:
        """A name the corpus never uses, completed to one it does ("uzbek" → "uzbekistan"), or None."""
        if len(term) < 4 or not term.isalpha() or self.index.idf(term) != 0.0:
            return None
        i = bisect.bisect_left(self._vocabulary, term)
        if i < len(self._vocabulary) and self._vocabulary[i].startswith(term) and self._vocabulary[i].isalpha():
            return self._vocabulary[i]
        return None

    @functools.cached_property
    def _deletions(self) -> dict[str, str]:
        """Each alphabetic corpus term of six letters or more by its one-letter deletions (a typo index)."""
        index: dict[str, str] = {}
        for term in self._vocabulary:
            if len(term) >= 6 and term.isalpha():
                index.setdefault(term, term)
                for i in range(len(term)):
                    index.setdefault(term[:i] + term[i + 1:], term)
        return index

    def correct(self, term: str) -> str | None:
        """A word the corpus never uses, mistyped by one letter ("manilla", "particpants"), as the
        corpus word it stands for; or one whose stem the corpus has ("participnt" → "particip")."""
        if len(term) < 6 or not term.isalpha() or self.index.idf(term) != 0.0:
            return None
        index = self._deletions
        for variant in (term, *(term[:i] + term[i + 1:] for i in range(len(term)))):
            if variant in index:
                return index[variant]
        for cut in range(1, 4):  # a corpus stem the word starts with: "participnt" → "particip"
            stem = term[:-cut]
            if len(stem) >= 6 and self.index.idf(stem) != 0.0:
                return stem
        return None

    def expanded(self, query: Query) -> Query:
        """Unknown capitalised words completed to corpus words (a demonym to its country: "Uzbek"),
        words mistyped by a letter corrected; synonyms the corpus uses added to the search terms.
        Lower-case words are never completed: "quit" is not "Quito"."""
        capitalised = {t for word in re.findall(r"\b[A-Z][a-z]{3,}\b", query.text) for t in analyze(word)}
        mistyped = self._mistyped_function_words(query)
        if mistyped:
            query = replace(query, content_terms=tuple(t for t in query.content_terms if t not in mistyped) or query.content_terms)
        swaps = {t: e for t in dict.fromkeys(query.content_terms)
                 if (e := (self.complete(t) if t in capitalised else None) or self.correct(t)) is not None}
        terms = tuple(swaps.get(t, t) for t in query.terms)
        extra = tuple(s for t in dict.fromkeys(query.content_terms) for s in SYNONYMS.get(t, ())
                      if self.index.idf(s) != 0.0 and s not in terms)
        if not swaps and not extra:
            return query
        def fixed(held: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(swaps.get(t, t) for t in held)

        # a corrected word is corrected wherever the question holds it: what is counted, the words an
        # answering sentence must have ("how many participnts came" counts participants)
        return replace(query, terms=terms + extra, content_terms=fixed(query.content_terms),
                       counted_terms=fixed(query.counted_terms), plain_terms=fixed(query.plain_terms),
                       inherited_terms=fixed(query.inherited_terms),
                       counted=frozenset(fixed(tuple(query.counted))), asked=frozenset(fixed(tuple(query.asked))))

    def _mistyped_function_words(self, query: Query) -> frozenset[str]:
        """Question words no text has that are one letter off a word never searched ("actualy",
        "becuase", "shoud"): typed in a hurry, they would weigh as the rarest words and sink the answer."""
        if query.lang != "en":
            return frozenset()
        out = set()
        for word in re.findall(r"[a-z]{5,}", query.text.casefold()):
            stem = analyze(word)
            if len(stem) == 1 and stem[0] in query.content_terms and self.index.idf(stem[0]) == 0.0 \
                    and any(one_letter_off(word, w) for w in _NEVER_SEARCHED if abs(len(w) - len(word)) <= 1):
                out.add(stem[0])
        return frozenset(out)

    # ------------------------------------------------------------------ masks

    def mask(self, *, meeting: int | None = None, kind: str | None = None,
             date_from: date | None = None, date_to: date | None = None,
             langs: Sequence[str] | None = None) -> np.ndarray:
        mask = np.ones(len(self.passages), dtype=bool)
        if meeting is not None:
            mask &= self._meeting == meeting
        if kind is not None:
            mask &= self._kind == (KINDS.index(kind) if kind in KINDS else -2)
        if date_from is not None:
            mask &= (self._ordinal >= date_from.toordinal()) & (self._ordinal > 0)
        if date_to is not None:
            mask &= (self._ordinal <= date_to.toordinal()) & (self._ordinal > 0)
        if langs is not None:
            mask &= self._languages(tuple(langs))
        return mask

    def _languages(self, langs: tuple[str, ...]) -> np.ndarray:
        """The passages in ``langs`` (a mask computed once per set of languages)."""
        held = self._lang_masks.get(langs)
        if held is None:
            held = self._lang_masks[langs] = np.isin(self._lang, list(langs))
        return held

    def with_exact(self, mask: np.ndarray, terms: Sequence[str]) -> np.ndarray:
        """Narrow to passages holding every exact term (symbols, decision numbers); then any; else unchanged."""
        holds = [self.index.get_scores([t]) > 0 for t in terms if self.index.idf(t) != 0.0]
        if not holds:
            return mask
        every = mask & np.logical_and.reduce(holds)
        if every.any():
            return every
        some = mask & np.logical_or.reduce(holds)
        return some if some.any() else mask

    def located(self, mask: np.ndarray, locator: str | None) -> np.ndarray:
        if locator is None:
            return mask
        hit = mask & (self._locator == locator)
        return hit if hit.any() else mask

    def in_meetings(self, mask: np.ndarray, numbers: Sequence[int]) -> np.ndarray:
        return mask & np.isin(self._meeting, list(numbers))

    # ------------------------------------------------------------------ ranking

    def about_meeting(self, passage: Passage, number: int) -> bool:
        """Whether the passage is about meeting ``number``: its meeting, its code, or its host city
        (every word of it: "grandes mammifères" is not Campo Grande)."""
        if passage.meeting == number:
            return True
        i = self._where(passage)
        if i is None:  # not an indexed passage (the meetings table): read its words
            code, city = f"cop{number}", self._city_words(number, passage.lang or "en")
            tokens = self.tokens_of(passage)
            return code in tokens or bool(city) and city <= tokens
        return bool(self._about_mask(number)[i])

    def _about_mask(self, number: int) -> np.ndarray:
        """The indexed passages about meeting ``number`` — of that meeting, holding its code, or all
        the words of its host city as their language analyzes it — from the postings, once per meeting."""
        held = self._about_masks.get(number)
        if held is None:
            held = self._meeting == number
            held[self.index.postings(f"cop{number}")] = True
            langs, _codes = table.coded(self.passages, "lang")
            for lang in dict.fromkeys(lang or "en" for lang in langs):
                city = self._city_words(number, lang)
                if not city:
                    continue
                every = self._languages((lang,)).copy()
                for word in city:
                    has = np.zeros(len(self.passages), dtype=bool)
                    has[self.index.postings(word)] = True
                    every &= has
                held |= every
            self._about_masks[number] = held
        return held

    @functools.lru_cache(maxsize=1024)  # noqa: B019 - a few meetings x four languages, per retriever
    def _city_words(self, number: int, lang: str) -> frozenset[str]:
        """A meeting's host-city terms as a passage in ``lang`` is analyzed ("Quito": ``quito``, ``quit``)."""
        if lang == "en" or number not in self.city_names:
            return self.city_terms.get(number, frozenset())
        return frozenset(analyze(self.city_names[number], lang))

    def preference(self, passage: Passage, query: Query) -> float:
        """How much the question's own meeting, period and kind words favour a passage."""
        factor = 1.0
        if query.meetings and query.meeting_filter is None:
            if passage.meeting in query.meetings:
                factor *= MEETING_BOOST
            elif any(self.about_meeting(passage, n) for n in query.meetings):
                # a page about no meeting or about another one that mentions this one ("… listing it at COP 10")
                factor *= MENTION_BOOST if passage.meeting is None else OTHER_MEETING * MENTION_BOOST
            elif passage.meeting is not None:
                factor *= OTHER_MEETING
        if query.span is not None and not query.latest:
            inside = passage.date is not None and query.span.contains(passage.date)
            # ``mentions(passage.text, query.span)``, the passage's dates from its stored facts
            factor *= PERIOD_BOOST if inside or any(query.span.start <= d.start and d.end <= query.span.end
                                                    for d in facts.of(passage, "dates")) else OUT_OF_PERIOD
        if query.kind_from_text and query.kind_filter is not None \
                and passage.kind in KIND_FAMILIES.get(query.kind_filter, (query.kind_filter,)):
            factor *= KIND_BOOST
        if query.prefer_source is not None and passage.source == query.prefer_source:
            factor *= SOURCE_BOOST
        if self.holds_phrase(passage, query):
            factor *= PHRASE_BOOST
        if query.exact_terms and passage.locator.startswith(_NUMBERED) \
                and any(t in query.exact_terms for t in analyze(passage.locator)):
            # "What does Decision 13.24 request?": the decision itself, not its neighbours whose page
            # title ("Decisions 13.24 to 13.26") or text cites it
            factor *= LOCATED_BOOST
        return factor

    def rank(self, query: Query, mask: np.ndarray, k: int) -> list[tuple[Passage, float]]:
        """BM25 over the question's terms, re-ranked by coverage, preferences and the kind's hint."""
        if not mask.any() or not query.terms:
            return []
        # Words naming where the fact was read choose the document; within it, the passage is the one
        # with the question's own words (not the one that names the source most often).
        searched = [t for t in query.terms if t not in query.source_terms] or list(query.terms)
        hits = self.index.top_k(searched, max(k * 3, 30), allowed=mask)
        if hits:  # every hit's coverage, and its document's, in one pass over the postings
            self.coverages(np.array([i for i, _ in hits]), query.content_terms)
            self.document_coverages(np.array([i for i, _ in hits]), query.content_terms)
            if query.source_terms:
                self.document_coverages(np.array([i for i, _ in hits]), query.source_terms)
        hint = query.kind.rank
        own = tuple(t for t in query.content_terms if t not in query.source_terms)
        if query.source_terms and own and hits:
            self.coverages(np.array([i for i, _ in hits]), own)
            self.document_coverages(np.array([i for i, _ in hits]), own)
        ranked = []
        for i, score in hits:
            p = self.passages[i]
            # Passages holding more of the question's distinct words rise (BM25 alone lets one
            # repeated common word outrank them).
            if query.source_terms:
                # the source's words count for the passage's page only
                support = self.support(p, own) if own else self.document_coverage(p, query.content_terms)
                factor = (0.2 + support) ** 2 * self.preference(p, query)
                factor *= SOURCE_FLOOR + (1 - SOURCE_FLOOR) * self.document_coverage(p, query.source_terms)
            else:
                factor = (0.2 + self.support(p, query.content_terms)) ** 2 * self.preference(p, query)
            if hint is not None:
                factor *= hint(p, query)
            ranked.append((p, score * factor))
        if query.meetings and query.meeting_filter is None:
            # A question about a meeting is answered from that meeting's texts first.
            about = {p.id: any(self.about_meeting(p, n) for n in query.meetings) for p, _ in ranked}
            ranked.sort(key=lambda ps: (not about[ps[0].id], -ps[1], ps[0].position))
        else:
            ranked.sort(key=lambda ps: (-ps[1], ps[0].position))
        return ranked[:k]

    def by_date(self, mask: np.ndarray, newest_first: bool, k: int) -> list[tuple[Passage, float]]:
        """Passages in date order (undated last), at most ``k``: an argsort over the mask, not a Python sort."""
        chosen = np.flatnonzero(mask & (self._ordinal > 0))
        keys = -self._ordinal[chosen] if newest_first else self._ordinal[chosen]
        order = chosen[np.argsort(keys, kind="stable")][:k]
        out = [(self.passages[i], 0.0) for i in order]
        if len(out) < k:
            out += [(self.passages[i], 0.0) for i in np.flatnonzero(mask & (self._ordinal == 0))[: k - len(out)]]
        return out
