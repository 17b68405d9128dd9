"""The engine every frontend (CLI, Discord) calls: the corpus, its BM25 index, and answers.

    engine = Engine.open(corpus_dir, index_path=None)   # loads the saved index or (re)builds it
    engine.ask(question, meeting=None, kind=None, limit=3) -> Answer
    engine.search(query, meeting=None, kind=None, date_from=None, date_to=None, limit=10, offset=0) -> list[Hit]
    engine.passage(passage_id) -> Passage | None
    engine.latest(meeting=None, kind=None, limit=5) -> list[Passage]
    engine.stats() -> CorpusStats ; engine.meeting_stats(n) -> (documents, passages)
    engine.meetings -> MeetingRegistry
    await engine.ask_async(...) / engine.search_async(...)   # in an executor
    engine.rebuild() -> Engine                               # fresh from the corpus, for a background swap
"""

from __future__ import annotations

import asyncio
import bisect
import functools
import logging
import re
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from bot.answer.compose import cite
from bot.answer.extract import corroborates, counts, direct_answer, has_age, has_count, meeting_answer, says_when
from bot.ingest.corpus import CorpusLoad, Problem, fingerprint, load_corpus
from bot.cms.dates import find_dates
from bot.cms.meetings import MeetingRegistry
from bot.model import KIND_LABELS, KINDS, Answer, Citation, CorpusStats, DateSpan, Hit, Meeting, Passage, format_date
from bot.model import passage_id_from_ref
from bot.search.analyzer import ANALYZER_VERSION, analyze
from bot.search.index import BM25Index, IndexFileError
from bot.question.query import SYNONYMS, Query, parse_question

log = logging.getLogger(__name__)

#: Bump when what the engine stores beside the BM25 arrays changes shape.
ENGINE_FORMAT = 1
#: Share of the question's term weight the best passage must cover to count as an answer.
MIN_COVERAGE = 0.5
#: Share a further passage must cover to be cited beside the best one.
MIN_SUPPORT = 0.3
#: How many citations "More sources" can page through.
MAX_CITATIONS = 12
MEETINGS_KIND = "meetings_table"
UNKNOWN_TERM_SHARE = 0.35
_LATEST_WORDS = frozenset(analyze("latest recent recently newest update updates news lately happened happen"))


def searchable_text(p: Passage) -> str:
    """What BM25 sees for a passage: its text plus its title and metadata."""
    meeting = f"COP{p.meeting}" if p.meeting is not None else ""
    return "\n".join(filter(None, (
        p.title, p.context or "", p.locator, p.symbol or "", meeting, KIND_LABELS.get(p.kind, ""), p.text,
    )))


def meeting_passage(m: Meeting) -> Passage:
    """A meetings.yaml row as a citable passage."""
    when = f"{format_date(m.start)} – {format_date(m.end)}"
    text = f"{m.code}: {m.city}, {m.country}, {when}."
    if m.note:
        text += f" Note: {m.note}."
    return Passage(
        id=f"meetings#cop{m.number}", source="meetings.yaml", kind=MEETINGS_KIND,
        title="Meetings of the Conference of the Parties", document_title="meetings.yaml",
        date=m.start, locator=m.code, text=text, position=-1,
        url=m.source.split()[0] if m.source and m.source.startswith("http") else None,  # "https://… (dates only)"
        meeting=m.number, place=f"{m.city}, {m.country}",
    )


def _passage_to_json(p: Passage) -> dict[str, Any]:
    data = asdict(p)
    data["date"] = p.date.isoformat() if p.date else None
    return data


def _passage_from_json(data: dict[str, Any]) -> Passage:
    data = dict(data)
    data["date"] = date.fromisoformat(data["date"]) if data["date"] else None
    return Passage(**data)


@dataclass(frozen=True)
class _Stored:
    passages: list[Passage]
    documents: list[dict[str, Any]]  # source, kind, title, date, meeting
    problems: list[Problem]


class Engine:
    """Corpus + index + answer composition; immutable once built, so it can be swapped atomically."""

    def __init__(self, corpus_dir: Path, meetings: MeetingRegistry, index: BM25Index, stored: _Stored,
                 index_path: Path | None = None, today: date | None = None) -> None:
        self.corpus_dir = corpus_dir
        self.index_path = index_path
        self.meetings = meetings
        self.index = index
        self.passages = stored.passages
        self.documents = stored.documents
        self.problems = stored.problems
        self._today = today
        self._by_id = {p.id: p for p in self.passages}
        self._tokens: dict[str, frozenset[str]] = {}
        for m in meetings.all():
            self._by_id[meeting_passage(m).id] = meeting_passage(m)
        n = len(self.passages)
        self._meeting = np.array([p.meeting if p.meeting is not None else -1 for p in self.passages], dtype=np.int32)
        self._kind = np.array([KINDS.index(p.kind) if p.kind in KINDS else -1 for p in self.passages], dtype=np.int8)
        self._ordinal = np.array([p.date.toordinal() if p.date else 0 for p in self.passages], dtype=np.int64)
        self._locator = np.array([p.locator for p in self.passages], dtype=object) if n else np.array([], dtype=object)

    # ------------------------------------------------------------------ building and loading

    @classmethod
    def open(
        cls,
        corpus_dir: Path,
        index_path: Path | None = None,
        *,
        notify: Callable[[str], None] | None = None,
        on_file: Callable[[str, int, int], None] | None = None,
    ) -> Engine:
        """The saved index when it matches the corpus; otherwise rebuilt (and saved), with a message."""
        corpus_dir = Path(corpus_dir)
        say = notify or (lambda message: print(message, file=sys.stderr))
        meetings = MeetingRegistry.load(corpus_dir / "meetings.yaml")
        print_ = fingerprint(corpus_dir)
        if index_path is not None and Path(index_path).exists():
            try:
                index = BM25Index.load(index_path)
                stored = cls._check_meta(index.meta, print_)
                return cls(corpus_dir, meetings, index, stored, index_path)
            except IndexFileError as exc:
                say(f"Rebuilding the index: {exc}")
            except _Outdated as exc:
                say(f"Rebuilding the index: {exc}")
        engine = cls.build(corpus_dir, meetings, on_file=on_file)
        if index_path is not None:
            engine.save(Path(index_path), print_)
        return engine

    @classmethod
    def build(cls, corpus_dir: Path, meetings: MeetingRegistry | None = None,
              on_file: Callable[[str, int, int], None] | None = None) -> Engine:
        corpus_dir = Path(corpus_dir)
        meetings = meetings or MeetingRegistry.load(corpus_dir / "meetings.yaml")
        loaded = load_corpus(corpus_dir, meetings, on_file=on_file)
        return cls.from_load(corpus_dir, meetings, loaded)

    @classmethod
    def from_load(cls, corpus_dir: Path, meetings: MeetingRegistry, loaded: CorpusLoad) -> Engine:
        index = BM25Index.from_tokens([analyze(searchable_text(p), p.lang) for p in loaded.passages])
        documents = [
            {"source": d.source, "kind": d.kind, "title": d.title,
             "date": d.date.isoformat() if d.date else None, "meeting": d.meeting, "symbol": d.symbol,
             "lang": d.lang}
            for d in loaded.documents
        ]
        return cls(corpus_dir, meetings, index, _Stored(list(loaded.passages), documents, list(loaded.problems)))

    def save(self, index_path: Path, corpus_fingerprint: str | None = None) -> None:
        index_path.parent.mkdir(parents=True, exist_ok=True)
        self.index.save(index_path, meta={
            "engine_format": ENGINE_FORMAT,
            "analyzer": ANALYZER_VERSION,
            "fingerprint": corpus_fingerprint or fingerprint(self.corpus_dir),
            "passages": [_passage_to_json(p) for p in self.passages],
            "documents": self.documents,
            "problems": [asdict(p) for p in self.problems],
        })
        self.index_path = index_path

    @staticmethod
    def _check_meta(meta: dict[str, Any], corpus_fingerprint: str) -> _Stored:
        if meta.get("engine_format") != ENGINE_FORMAT:
            raise _Outdated("the saved index was written by another version of cmsbot")
        if meta.get("analyzer") != ANALYZER_VERSION:
            raise _Outdated(f"the analyzer changed ({meta.get('analyzer')} → {ANALYZER_VERSION})")
        if meta.get("fingerprint") != corpus_fingerprint:
            raise _Outdated("the corpus changed since the index was built")
        try:
            return _Stored(
                passages=[_passage_from_json(p) for p in meta["passages"]],
                documents=list(meta["documents"]),
                problems=[Problem(**p) for p in meta["problems"]],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise _Outdated(f"the saved index's passage table is unreadable ({exc})") from None

    def rebuild(self) -> Engine:
        """A fresh engine from the corpus (saved where this one was); blocking — run it in an executor."""
        fresh = Engine.build(self.corpus_dir)
        if self.index_path is not None:
            fresh.save(self.index_path)
        return fresh

    # ------------------------------------------------------------------ lookups

    def today(self) -> date:
        return self._today or date.today()

    def passage(self, passage_id: str) -> Passage | None:
        """By id, or by its URL-safe form (``…~para-4`` for ``…#para-4``, see ``passage_ref``)."""
        wanted = passage_id.strip()
        return self._by_id.get(wanted) or self._by_id.get(passage_id_from_ref(wanted))

    def stats(self) -> CorpusStats:
        docs_by_kind: dict[str, int] = {}
        for d in self.documents:
            docs_by_kind[d["kind"]] = docs_by_kind.get(d["kind"], 0) + 1
        pass_by_kind: dict[str, int] = {}
        for p in self.passages:
            pass_by_kind[p.kind] = pass_by_kind.get(p.kind, 0) + 1
        dates = [p.date for p in self.passages if p.date]
        return CorpusStats(
            documents=len(self.documents), passages=len(self.passages),
            documents_by_kind=docs_by_kind, passages_by_kind=pass_by_kind,
            first_date=min(dates) if dates else None, last_date=max(dates) if dates else None,
            meetings=tuple(sorted({p.meeting for p in self.passages if p.meeting is not None})),
        )

    def meeting_stats(self, number: int) -> tuple[int, int]:
        """(documents, passages) held for a meeting."""
        docs = sum(1 for d in self.documents if d["meeting"] == number)
        return docs, int((self._meeting == number).sum())

    def coverage_note(self) -> str:
        s = self.stats()
        meetings = ", ".join(
            f"{m.code} ({m.city})" for n in s.meetings if (m := self.meetings.get(n)) is not None
        ) or "no meeting"
        span = f"{format_date(s.first_date)} to {format_date(s.last_date)}" if s.first_date else "no dated texts"
        return (f"I hold {s.documents} documents ({s.passages} passages) on {meetings}, dated {span}, "
                f"and the dates and places of COP1–COP{max((m.number for m in self.meetings.all()), default=0)}.")

    # ------------------------------------------------------------------ filtering and ranking

    def _mask(self, *, meeting: int | None = None, kind: str | None = None,
              date_from: date | None = None, date_to: date | None = None) -> np.ndarray:
        mask = np.ones(len(self.passages), dtype=bool)
        if meeting is not None:
            mask &= self._meeting == meeting
        if kind is not None:
            mask &= self._kind == (KINDS.index(kind) if kind in KINDS else -2)
        if date_from is not None:
            mask &= (self._ordinal >= date_from.toordinal()) & (self._ordinal > 0)
        if date_to is not None:
            mask &= (self._ordinal <= date_to.toordinal()) & (self._ordinal > 0)
        return mask

    def _with_exact(self, mask: np.ndarray, terms: tuple[str, ...]) -> np.ndarray:
        """Narrow to passages holding every exact term (symbols, decision numbers); then any; else unchanged."""
        if not terms:
            return mask
        holds = [self.index.get_scores([t]) > 0 for t in terms if self.index.idf(t) != 0.0]
        if not holds:
            return mask
        every = mask & np.logical_and.reduce(holds)
        if every.any():
            return every
        some = mask & np.logical_or.reduce(holds)
        return some if some.any() else mask

    def weight(self, term: str) -> float:
        """A term's weight for coverage: its IDF; a word the corpus never uses weighs a third of the
        rarest word's IDF (in a small corpus most unknown question words are everyday verbs)."""
        idf = self.index.idf(term)
        if idf == 0.0:
            return UNKNOWN_TERM_SHARE * self._max_idf
        return max(idf, 0.05)

    @functools.cached_property
    def _sorted_vocabulary(self) -> list[str]:
        return sorted(self.index.terms)

    def expand(self, term: str) -> str | None:
        """A word the corpus never uses, completed to one it does ("uzbek" → "uzbekistan"), or None."""
        if len(term) < 4 or not term.isalpha() or self.index.idf(term) != 0.0:
            return None
        vocabulary = self._sorted_vocabulary
        i = bisect.bisect_left(vocabulary, term)
        if i < len(vocabulary) and vocabulary[i].startswith(term) and vocabulary[i].isalpha():
            return vocabulary[i]
        return None

    def _expanded(self, query: Query) -> Query:
        """Unknown words completed to corpus words; synonyms the corpus uses added to the search terms."""
        swaps = {t: e for t in dict.fromkeys(query.content_terms) if (e := self.expand(t)) is not None}
        terms = tuple(swaps.get(t, t) for t in query.terms)
        extra = tuple(s for t in dict.fromkeys(query.content_terms) for s in SYNONYMS.get(t, ())
                      if self.index.idf(s) != 0.0 and s not in terms)
        if not swaps and not extra:
            return query
        return replace(query, terms=terms + extra, content_terms=tuple(swaps.get(t, t) for t in query.content_terms))

    @functools.cached_property
    def _max_idf(self) -> float:
        """An upper bound on any word's IDF: the value for a word in no passage at all."""
        n = max(len(self.passages), 1)
        return float(np.log(n + 0.5) - np.log(0.5))

    def tokens_of(self, passage: Passage) -> frozenset[str]:
        """The passage's searchable tokens, analyzed once per engine."""
        tokens = self._tokens.get(passage.id)
        if tokens is None:
            tokens = self._tokens[passage.id] = frozenset(analyze(searchable_text(passage), passage.lang))
        return tokens

    def coverage(self, passage: Passage, terms: tuple[str, ...]) -> float:
        """Share of the question's term weight found in the passage."""
        wanted = dict.fromkeys(terms)
        if not wanted:
            return 0.0
        have = self.tokens_of(passage)
        total = sum(self.weight(t) for t in wanted)
        found = sum(self.weight(t) for t in wanted if t in have or any(s in have for s in SYNONYMS.get(t, ())))
        return found / total if total else 0.0

    def _rank(self, query: Query, mask: np.ndarray, k: int) -> list[tuple[Passage, float]]:
        if not mask.any():
            return []
        hits = self.index.top_k(list(query.terms), max(k * 3, 30), allowed=mask)
        asked = _asked_words(query)
        counted = frozenset(query.counted_terms)
        boosted = []
        for i, score in hits:
            p = self.passages[i]
            factor = 1.25 if query.meetings and p.meeting in query.meetings else 1.0
            # Passages holding more of the question's distinct words rise (BM25 alone lets one
            # repeated common word outrank them).
            factor *= 0.3 + self.coverage(p, query.content_terms)
            if query.qtype == "how_many" and not has_count(p.text):
                factor *= 0.3  # a count was asked for: passages without one fall back
            elif query.qtype == "how_many" and counted and not counts(p.text, counted):
                factor *= 0.4  # and so do counts of other things than the one asked about
            elif query.qtype == "how_old" and not has_age(p.text):
                factor *= 0.4  # so was an age
            elif query.qtype == "when":
                factor *= says_when(p.text, asked)  # a time was asked for
            boosted.append((p, score * factor))
        boosted.sort(key=lambda ps: (-ps[1], ps[0].position))
        return boosted[:k]

    def _by_date(self, mask: np.ndarray, newest_first: bool, k: int) -> list[tuple[Passage, float]]:
        chosen = [self.passages[i] for i in np.flatnonzero(mask)]
        chosen.sort(key=lambda p: ((-(p.date.toordinal()) if newest_first else p.date.toordinal()) if p.date else 10**9, p.position))
        return [(p, 0.0) for p in chosen[:k]]

    # ------------------------------------------------------------------ answering

    def ask(self, question: str, *, meeting: int | None = None, kind: str | None = None, limit: int = 3,
            date_from: date | None = None, date_to: date | None = None) -> Answer:
        """A direct answer (when one can be extracted), cited passages, or an honest not-found.
        ``date_from``/``date_to`` bound the period as if the question had named it."""
        query = self._expanded(parse_question(question, self.meetings, meeting=meeting, kind=kind))
        if date_from is not None or date_to is not None:
            query = replace(query, span=DateSpan(date_from or date.min, date_to or date.max))
        looked_for = query.describe(self.meetings)

        def not_found(note: str) -> Answer:
            return Answer(question=question, found=False, answer=None, looked_for=looked_for,
                          note=f"{note} {self.coverage_note()}")

        if query.small_talk:
            return Answer(question=question, found=False, answer=None, looked_for="",
                          note=f"Ask me about the CMS Conferences of the Parties, e.g. “When did COP14 open?”. "
                               f"{self.coverage_note()}")
        if query.unknown_meeting is not None and not query.meetings:
            known = max((m.number for m in self.meetings.all()), default=0)
            return not_found(f"I have no record of COP{query.unknown_meeting}; I know COP1 to COP{known}.")
        if query.future_year is not None and not query.content_terms:
            return not_found(f"I have nothing about {query.future_year}.")

        table: list[Citation] = []
        direct: str | None = None
        meeting = None
        if query.about_meeting and query.meeting_filter is None:
            meeting = self.meetings.get(query.meetings[0])
            if meeting is not None:
                row = meeting_passage(meeting)
                table = [Citation(passage=row, quote=row.text, score=0.0)]
                direct = meeting_answer(query, meeting, self.today())

        ranked = self._answer_ranking(query)
        asked = _asked_words(query)
        if meeting is not None and query.qtype == "when" and asked:
            # Beside the meetings table, only passages that state its dates ("opened today"): "close
            # to half a billion people" doesn't back "When did COP14 close?".
            tiers = {p.id: corroborates(p, meeting, asked) for p, _ in ranked}
            ranked = sorted((ps for ps in ranked if tiers[ps[0].id]), key=lambda ps: -tiers[ps[0].id])
        content = _searched_words(query)
        if content and query.meetings:
            # A question about a meeting is answered from that meeting's texts first.
            ranked.sort(key=lambda ps: not any(self._is_about_meeting(ps[0], n) for n in query.meetings))
        if content and ranked:
            # Beyond the best passage, only passages that share a fair part of the question.
            ranked = ranked[:1] + [(p, s) for p, s in ranked[1:] if self.coverage(p, content) >= MIN_SUPPORT]
        citations_all = cite(ranked, self.weight, query.terms, MAX_CITATIONS)
        if not table:
            if not citations_all:
                return not_found("I couldn't find that in the CMS texts I hold.")
            exact_hit = bool(query.exact_terms) and any(
                t in self.tokens_of(citations_all[0].passage) for t in query.exact_terms)
            if content and not exact_hit and self.coverage(citations_all[0].passage, content) < MIN_COVERAGE:
                return not_found("I couldn't find that in the CMS texts I hold.")
            best = citations_all[0].passage
            if content and not exact_hit:
                # The question's own meeting and years must be the best passage's subject too:
                # a COP11 text doesn't answer a question about COP13, nor a 2024–2026 budget one about 2027.
                if query.meetings and not any(self._is_about_meeting(best, n) for n in query.meetings):
                    named = " or ".join(f"COP{n}" for n in query.meetings)
                    return not_found(f"I couldn't find that about {named} in the CMS texts I hold.")
                missing = [y for y in _named_years(query) if y not in _years_of(best)]
                if missing:
                    return not_found(f"I couldn't find that for {missing[0]} in the CMS texts I hold.")
            if not content and not (query.meetings or query.span or query.latest or query.kind_filter
                                    or query.meeting_filter or query.exact_terms or query.locator):
                return not_found("I couldn't tell what to look for.")
            if content:
                weights = {t: self.weight(t) for t in dict.fromkeys(content)}
                direct = direct_answer(query, citations_all[0].passage, weights, quote=citations_all[0].quote)
        citations_all = table + citations_all
        return Answer(
            question=question, found=True, answer=direct,
            citations=tuple(citations_all[:limit]), looked_for=looked_for,
            note=None, more=tuple(citations_all[limit:]),
        )

    def _is_about_meeting(self, passage: Passage, number: int) -> bool:
        return passage.meeting == number or f"cop{number}" in self.tokens_of(passage)

    def _answer_ranking(self, query: Query) -> list[tuple[Passage, float]]:
        date_from, date_to = _bounds(query)
        base = self._mask(meeting=query.meeting_filter, kind=query.kind_filter, date_from=date_from, date_to=date_to)
        if query.kind_from_text and not base.any():
            base = self._mask(meeting=query.meeting_filter, date_from=date_from, date_to=date_to)
        mask = self._with_exact(base, query.exact_terms)
        if query.locator is not None:
            located = mask & (self._locator == query.locator)
            if located.any():
                mask = located
        if not _searched_words(query):
            # Only meeting words: the named meeting's passages, ranked by those words ("open"),
            # or by date for "latest" and for a period.
            if query.meetings and query.meeting_filter is None:
                in_meeting = mask & np.isin(self._meeting, list(query.meetings))
                if in_meeting.any():
                    mask = in_meeting
            codes = {f"cop{n}" for n in query.meetings}
            words = tuple(t for t in query.terms if t not in codes)  # every passage here has the code
            if words and not query.latest and not query.span:
                ranked = self._rank(replace(query, terms=words), mask, MAX_CITATIONS)
                if ranked:
                    return ranked
            # Newest first, except for a period with a beginning ("in November 2014"), read in order.
            chronological = query.span is not None and query.span.start != date.min and not query.latest
            return self._by_date(mask, newest_first=not chronological, k=MAX_CITATIONS)
        ranked = self._rank(query, mask, MAX_CITATIONS * 2)
        if query.kind_from_text and not ranked:
            return self._answer_ranking(replace(query, kind_filter=None, kind_from_text=False))
        content = _searched_words(query)
        if query.span is not None and not query.latest and (
                not ranked or self.coverage(ranked[0][0], content) < MIN_COVERAGE):
            # The period may be when something happened, told in a later text ("joined in March
            # 2023" in a document of December 2023): passages that mention a date in it.
            unbounded = self._with_exact(self._mask(meeting=query.meeting_filter, kind=query.kind_filter),
                                         query.exact_terms)
            told = [(p, score) for p, score in self._rank(query, unbounded, MAX_CITATIONS * 4)
                    if _mentions(p.text, query.span)]
            if told and self.coverage(told[0][0], content) >= MIN_COVERAGE:
                return told[: MAX_CITATIONS * 2]
        if query.latest:
            ranked.sort(key=lambda ps: (-(ps[0].date.toordinal() if ps[0].date else 0), -ps[1], ps[0].position))
        return ranked

    def search(self, query: str, *, meeting: int | None = None, kind: str | None = None,
               date_from: date | None = None, date_to: date | None = None,
               limit: int = 10, offset: int = 0) -> list[Hit]:
        """Plain ranked search (BM25 over the analyzed query), with filters; no answer composition."""
        mask = self._mask(meeting=meeting, kind=kind, date_from=date_from, date_to=date_to)
        terms = analyze(query[:1000])
        if not terms or not mask.any():
            return []
        hits = self.index.top_k(terms, offset + limit, allowed=mask)
        return [Hit(self.passages[i], score) for i, score in hits[offset:offset + limit]]

    def search_total(self, query: str, *, meeting: int | None = None, kind: str | None = None,
                     date_from: date | None = None, date_to: date | None = None) -> int:
        """How many passages :meth:`search` could return for these filters (all pages)."""
        mask = self._mask(meeting=meeting, kind=kind, date_from=date_from, date_to=date_to)
        terms = analyze(query[:1000])
        if not terms or not mask.any():
            return 0
        return int((mask & (self.index.get_scores(terms) > 0)).sum())

    def latest(self, *, meeting: int | None = None, kind: str | None = None, limit: int = 5) -> list[Passage]:
        """Newest passages first, at most one per document (its first passage of the newest date)."""
        mask = self._mask(meeting=meeting, kind=kind)
        seen: set[tuple[str, date | None, str | None]] = set()
        out = []
        for p, _ in self._by_date(mask, newest_first=True, k=len(self.passages)):
            key = (p.source, p.date, p.title if p.kind == "news_listing" else None)
            if key in seen:
                continue
            seen.add(key)
            out.append(p)
            if len(out) >= limit:
                break
        return out

    # ------------------------------------------------------------------ async, for the Discord event loop

    async def ask_async(self, question: str, **kwargs: Any) -> Answer:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, functools.partial(self.ask, question, **kwargs))

    async def search_async(self, query: str, **kwargs: Any) -> list[Hit]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, functools.partial(self.search, query, **kwargs))


_YEAR = re.compile(r"(?<![\w./-])((?:19|20)\d{2})(?:\s*[-–]\s*((?:19|20)\d{2}))?(?![\w/]|\.\d)")


def _named_years(query: Query) -> list[int]:
    """Years a question names beyond its period filter ("the budget for 2027")."""
    if query.span is not None:
        return []
    return sorted({int(y) for m in _YEAR.finditer(query.text) for y in m.groups() if y})


def _years_of(passage: Passage) -> frozenset[int]:
    """The passage's year and every year its text names, ranges ("2024-2026") filled in."""
    years = {passage.date.year} if passage.date else set()
    for m in _YEAR.finditer(passage.text):
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else first
        years.update(range(first, max(first, last) + 1))
    return frozenset(years)


@functools.lru_cache(maxsize=8192)
def _dates_in(text: str) -> tuple[DateSpan, ...]:
    return tuple(f.span for f in find_dates(text))


def _mentions(text: str, span: DateSpan) -> bool:
    """Whether ``text`` mentions a day or range inside ``span``."""
    return any(span.start <= d.start and d.end <= span.end for d in _dates_in(text))


def _asked_words(query: Query) -> frozenset[str]:
    """What a question asks about: its content words, else its words other than meeting codes ("open")."""
    return frozenset(query.content_terms or [t for t in query.terms if not re.fullmatch(r"cop\d+", t)])


def _searched_words(query: Query) -> tuple[str, ...]:
    """The question's content words; for a "latest" question, without the words that only ask for news."""
    if query.latest:
        return tuple(t for t in query.content_terms if t not in _LATEST_WORDS)
    return query.content_terms


def _bounds(query: Query) -> tuple[date | None, date | None]:
    """The question's period as filter bounds (open ends as None)."""
    if query.span is None:
        return None, None
    return (query.span.start if query.span.start != date.min else None,
            query.span.end if query.span.end != date.max else None)


class _Outdated(Exception):
    """The saved index does not match this corpus or this version of cmsbot."""
