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

import functools
import json
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.answer.compose import WHOLE_PASSAGE_CHARS, cite, quote_including, whole_quote
from bot.answer.extract import corroborates, direct_answer, joined, meeting_answer, part_answer
from bot.answer.lists import asks_for_people, entries_after, is_entry
from bot.answer.policy import MIN_SUPPORT, refusal
from bot.cms.meetings import MeetingRegistry
from bot.ingest.walk import CorpusState, Problem, corpus_state, settled
from bot.model import Answer, Citation, CorpusStats, DateSpan, Hit, Meeting, Passage, format_date, passage_id_from_ref
from bot.question.context import Context, FollowUp, next_context, resolve
from bot.text import messages as msg
from bot.text.glossary import TEXT_LANGS, english_terms, translated_query
from bot.text.i18n import format_date as format_date_in, translate
from bot.text.lang import is_supported
from bot.question.kinds.when import asks_publication
from bot.question.query import Query, parse_parts
from bot.ingest import INGEST_VERSION
from bot.search.analyzer import ANALYZER_VERSION, analyze
from bot.search import facts
from bot.search import passages as table
from bot.search.index import BM25Index, IndexFileError
from bot.search.retrieve import Retriever, searchable_text

if TYPE_CHECKING:
    from bot.ingest.corpus import CorpusLoad

log = logging.getLogger(__name__)

#: Bump when what the engine stores beside the BM25 arrays changes shape.
#: 2: publisher words searchable; 3: the passage table as columns (bot/search/passages.py); 4: each
#: passage's facts (bot/search/facts.py).
ENGINE_FORMAT = 4
#: How many leading citations a direct answer may come from; beyond the first, only one holding this
#: share of the question's words.
DIRECT_FROM = 3
MIN_DIRECT_COVERAGE = 0.6
#: How many citations "More sources" can page through.
MAX_CITATIONS = 12
#: A follow-up about the last answer's document ("on it", "the summary"): that document's passages
#: holding this share of the question's words lead.
SOURCE_FIRST_COVERAGE = 0.3
#: A follow-up referring back ("name the species proposed there", "who opened it?"): the last answer's
#: document reads on — its best passage leads when it holds this share of the question's words, even
#: when another document holds more of them.
REFERS_FIRST_COVERAGE = 0.6
#: Kinds whose answer differs from meeting to meeting: a question with no meeting of its own, in a
#: conversation about one, is not answered from another meeting's text.
_MEETING_FACTS = frozenset({"how_many", "how_much", "when", "where"})
#: "Tell me more" quotes the passage the last answer trimmed whole, up to this length.
MAX_MORE_QUOTE_CHARS = 1200
MEETINGS_KIND = "meetings_table"
_LATEST_WORDS = frozenset(analyze("latest recent recently newest update updates news lately happened happen"
                                  " next upcoming coming"))
#: Not-found notes, by the policy's reason.
_REFUSALS = {"not_found": msg.NOT_FOUND, "vague": msg.NOTHING_TO_LOOK_FOR, "no_typed_answer": msg.NOT_FOUND}


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


class _LazyDocuments(Sequence[dict[str, Any]]):
    """The saved document list, parsed from its JSON on first use (a plain answer never needs it)."""

    def __init__(self, raw: np.ndarray) -> None:
        self._raw: np.ndarray | None = raw
        self._items: list[dict[str, Any]] = []

    def _all(self) -> list[dict[str, Any]]:
        if self._raw is not None:
            try:
                items = json.loads(self._raw.tobytes().decode())
            except ValueError:
                items = None
            if not isinstance(items, list) or not all(isinstance(d, dict) for d in items):
                raise IndexFileError("the saved index's document list is unreadable")
            self._items, self._raw = items, None
        return self._items

    def __len__(self) -> int:
        return len(self._all())

    def __getitem__(self, i: Any) -> Any:
        return self._all()[i]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._all())


def settle() -> None:
    """For a long-running process, once its engine is open: what is allocated so far (passages,
    caches, the index's wrappers) leaves the cyclic garbage collector's sight (``gc.freeze``), so
    a full collection stops scanning it — at 80k passages one took 150–200 ms, a stall in the
    middle of an answer. Objects are still freed when nothing refers to them."""
    import gc

    gc.collect()
    gc.freeze()


@dataclass(frozen=True)
class _Stored:
    passages: Sequence[Passage]  # a list when built, a lazy table (bot.search.passages) when loaded
    documents: Sequence[dict[str, Any]]  # source, kind, title, date, meeting
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
        self._table_rows = {meeting_passage(m).id: meeting_passage(m) for m in meetings.all()}
        self.retriever = Retriever(index, self.passages,
                                   {m.number: frozenset(analyze(m.city)) for m in meetings.all() if m.city},
                                   {m.number: m.city for m in meetings.all() if m.city})

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
        state = None
        if index_path is not None and Path(index_path).exists():
            try:
                index = BM25Index.load(index_path)
                # Only files whose size or times changed since the index was saved are read again.
                state = corpus_state(corpus_dir, known=CorpusState.from_arrays(index.extra))
                stored = cls._check_meta(index, state.digest)
                held = getattr(stored.passages, "facts", None)
                if held is not None and not held.usable():
                    say("The saved passage facts were computed by other code: answering without them (slower, "
                        "same answers) until the index is rebuilt (cmsbot index).")
                return cls(corpus_dir, meetings, index, stored, index_path)
            except IndexFileError as exc:
                say(f"Rebuilding the index: {exc}")
            except _Outdated as exc:
                say(f"Rebuilding the index: {exc}")
        state = state or corpus_state(corpus_dir)  # taken before the build: a file changed meanwhile shows next time
        engine = cls.build(corpus_dir, meetings, on_file=on_file)
        if index_path is not None:
            engine.save(Path(index_path), state)
        return engine

    @classmethod
    def build(cls, corpus_dir: Path, meetings: MeetingRegistry | None = None,
              on_file: Callable[[str, int, int], None] | None = None) -> Engine:
        corpus_dir = Path(corpus_dir)
        from bot.ingest.corpus import load_corpus  # the parsers: not imported to open a saved index

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

    def save(self, index_path: Path, corpus: CorpusState | str | None = None) -> None:
        """Save the index and passage table with the corpus's fingerprint: ``corpus`` as taken before
        the build (a ``CorpusState`` lets the next open skip reading unchanged files), else taken now."""
        index_path.parent.mkdir(parents=True, exist_ok=True)
        if corpus is None:
            corpus = corpus_state(self.corpus_dir)
        elif not isinstance(corpus, str):
            corpus = settled(self.corpus_dir, corpus)  # files written just before the build: trusted now
        fact_arrays, fact_meta = facts.to_arrays(self.passages)  # what ranking reads of each passage's text
        self.index.save(index_path, meta={
            "engine_format": ENGINE_FORMAT,
            "analyzer": ANALYZER_VERSION,
            "ingest": INGEST_VERSION,
            "fingerprint": corpus if isinstance(corpus, str) else corpus.digest,
            "problems": [asdict(p) for p in self.problems],
            "facts": fact_meta,
        }, extra={
            **table.to_arrays(self.passages),
            **fact_arrays,
            # The document list is read only by statistics: kept as JSON, parsed when first asked for.
            "documents.json": np.frombuffer(json.dumps(list(self.documents)).encode(), dtype=np.uint8),
            **({} if isinstance(corpus, str) else corpus.to_arrays()),
        })
        self.index_path = index_path

    @staticmethod
    def _check_meta(index: BM25Index, corpus_fingerprint: str) -> _Stored:
        meta = index.meta
        if meta.get("engine_format") != ENGINE_FORMAT:
            raise _Outdated("the saved index was written by another version of cmsbot")
        if meta.get("analyzer") != ANALYZER_VERSION:
            raise _Outdated(f"the analyzer changed ({meta.get('analyzer')} → {ANALYZER_VERSION})")
        if meta.get("ingest") != INGEST_VERSION:
            raise _Outdated(f"the ingestion changed ({meta.get('ingest')} → {INGEST_VERSION})")
        if (meta.get("facts") or {}).get("facts") != [f.name for f in facts.FACTS]:
            raise _Outdated("the saved index holds other passage facts")
        if meta.get("fingerprint") != corpus_fingerprint:
            raise _Outdated("the corpus changed since the index was built")
        try:
            return _Stored(
                passages=table.PassageTable(index.extra, meta.get("facts")),
                documents=_LazyDocuments(index.extra["documents.json"]),
                problems=[Problem(**p) for p in meta["problems"]],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise _Outdated(f"the saved index's passage table is unreadable ({exc!r})") from None

    def rebuild(self) -> Engine:
        """A fresh engine from the corpus (saved where this one was); blocking — run it in an executor."""
        state = corpus_state(self.corpus_dir)
        fresh = Engine.build(self.corpus_dir)
        if self.index_path is not None:
            fresh.save(self.index_path, state)
        return fresh

    # ------------------------------------------------------------------ lookups

    def today(self) -> date:
        return self._today or date.today()

    def passage(self, passage_id: str) -> Passage | None:
        """By id, or by its URL-safe form (``…~para-4`` for ``…#para-4``, see ``passage_ref``)."""
        wanted = passage_id.strip()
        for key in (wanted, passage_id_from_ref(wanted)):
            found = self._table_rows.get(key)
            if found is None and (i := self.retriever.index_of(key)) is not None:
                found = self.passages[i]
            if found is not None:
                return found
        return None

    def stats(self) -> CorpusStats:
        docs_by_kind: dict[str, int] = {}
        for d in self.documents:
            docs_by_kind[d["kind"]] = docs_by_kind.get(d["kind"], 0) + 1
        pass_by_kind: dict[str, int] = {}
        for kind in table.column(self.passages, "kind"):  # no passage made: the table's column
            pass_by_kind[kind] = pass_by_kind.get(kind, 0) + 1
        ordinals = table.ordinals(self.passages)
        dated = ordinals[ordinals > 0]
        numbers = table.meetings(self.passages)
        return CorpusStats(
            documents=len(self.documents), passages=len(self.passages),
            documents_by_kind=docs_by_kind, passages_by_kind=pass_by_kind,
            first_date=date.fromordinal(int(dated.min())) if dated.size else None,
            last_date=date.fromordinal(int(dated.max())) if dated.size else None,
            meetings=tuple(sorted(set(numbers[numbers >= 0].tolist()))),
        )

    def meeting_stats(self, number: int) -> tuple[int, int]:
        """(documents, passages) held for a meeting."""
        docs = sum(1 for d in self.documents if d["meeting"] == number)
        return docs, int(np.count_nonzero(table.meetings(self.passages) == number))

    @functools.cached_property
    def _stats(self) -> CorpusStats:
        return self.stats()  # the engine is immutable: corpus statistics are computed once

    def coverage_note(self, lang: str = "en") -> str:
        """What the bot holds, in the reply's language (for not-found replies)."""
        s = self._stats
        meetings = ", ".join(
            f"{m.code} ({m.city})" for n in s.meetings if (m := self.meetings.get(n)) is not None
        ) or translate(msg.NO_MEETING, lang)
        span = (translate(msg.COVERAGE_SPAN, lang, first=format_date_in(s.first_date, lang), last=format_date_in(s.last_date, lang))
                if s.first_date and s.last_date else translate(msg.NO_DATED_TEXTS, lang))
        return translate(msg.COVERAGE, lang, documents=s.documents, passages=s.passages, meetings=meetings, span=span,
                         known=max((m.number for m in self.meetings.all()), default=0))

    # ------------------------------------------------------------------ answering

    def ask(self, question: str, *, meeting: int | None = None, kind: str | None = None, limit: int = 3,
            date_from: date | None = None, date_to: date | None = None, context: Context | None = None) -> Answer:
        """A direct answer (when one can be extracted), cited passages, or an honest not-found.
        ``meeting``, ``kind`` and ``date_from``/``date_to`` are the user's explicit filters; ``context``
        is the conversation's (the last answer's ``context``), for follow-up questions."""
        self.retriever.new_question()
        followup = resolve(question, context, self.meetings, meeting=meeting, kind=kind)
        answer, followup = self._follow_up_answer(question, followup, limit, date_from, date_to)
        if answer is None:
            answer = self._read(question, followup, limit, date_from, date_to)
        query = answer.query
        if not answer.answer.found:
            # The conversation keeps its subject even when it was not found ("… at COP13?" then
            # "what about COP14?"), unless there was nothing to search.
            kept = next_context(replace(followup, query=query), None, ()) if query.content_terms else context
            return replace(answer.answer, context=kept, context_note=followup.taken)
        found = answer.answer
        top = next((c.passage for c in found.citations if c.passage.kind != MEETINGS_KIND), None)
        meetings = (top.meeting,) if top is not None and top.meeting is not None else ()
        # "the same source" is said only when the answer comes from it.
        note = followup.taken if top is None or top.source == followup.query.prefer_source \
            or followup.taken_elsewhere is None and not followup.query.prefer_source else followup.taken_elsewhere
        return replace(found, context_note=note,
                       context=next_context(replace(followup, query=query), top.source if top else None, meetings,
                                            tuple(c.passage.id for c in found.citations), answer=found.answer,
                                            source_title=top.document_title if top else "", whole=answer.whole))

    def _read(self, question: str, followup: FollowUp, limit: int, date_from: date | None,
              date_to: date | None) -> _Reading:
        """The answer to the question as ``followup`` reads it."""
        if followup.more:
            return self._more(question, followup, limit)
        query = self.retriever.expanded(followup.query)
        if date_from is not None or date_to is not None:
            query = replace(query, span=DateSpan(date_from or date.min, date_to or date.max), span_filter=True)
        source = followup.query.prefer_source
        mode = "named" if followup.same_document else "refers" if followup.refers else ""
        return _Reading(self._answer(question, query, limit, lead=(source, mode) if source else None,
                                     ranks_only=followup.ranks_only), query)

    def _follow_up_answer(self, question: str, followup: FollowUp, limit: int, date_from: date | None,
                          date_to: date | None) -> tuple[_Reading | None, FollowUp]:
        """A follow-up with another reading (the question alone, for one with no follow-up marker; the
        last question again, for "tell me more - …"): that one when this finds nothing — but not, for
        a count, date or place, one about another meeting than the conversation's. The reading kept,
        with the follow-up that made it."""
        other = followup.otherwise
        if other is None:
            return None, followup
        first = self._read(question, followup, limit, date_from, date_to)
        if first.answer.found:
            return first, followup
        alone = self._read(question, other, limit, date_from, date_to)
        if followup.implicit and alone.answer.found and followup.query.qtype in _MEETING_FACTS \
                and self._about_other_meeting(alone.answer, followup.query.meetings):
            # "how many delegates expected?" in a conversation about COP13: another COP's count is
            # no answer; not found, saying COP13 was taken.
            return first, followup
        return alone, other

    def _about_other_meeting(self, answer: Answer, meetings: tuple[int, ...]) -> bool:
        """Whether an answer's first text is about another meeting than ``meetings``."""
        top = next((c.passage for c in answer.citations if c.passage.kind != MEETINGS_KIND), None)
        return bool(meetings) and top is not None and top.meeting is not None \
            and not any(self.retriever.about_meeting(top, n) for n in meetings)

    def _more(self, question: str, followup: FollowUp, limit: int) -> _Reading:
        """"Tell me more": the last answer's document read on from its first quoted passage (that one
        whole when its quote was trimmed), then sources on the last question not shown yet."""
        query = self.retriever.expanded(followup.query)
        further = self._answer(question, query, limit)
        source = followup.query.prefer_source
        held = self._source_passages.get(source) if source else None
        shown = set(query.skip_ids)
        order = [self.passages[i] for i in held] if held is not None else []
        first = next((k for k, p in enumerate(order) if p.id in shown), None)
        if first is None:
            return _Reading(further, query)
        reading = [p for p in order[first + 1:] if p.id not in shown]
        weights = {t: self.retriever.weight(t) for t in dict.fromkeys(query.terms)}
        cited = cite([(p, 0.0) for p in reading], self.retriever.weight, query.terms, MAX_CITATIONS)
        if len(order[first].text) > WHOLE_PASSAGE_CHARS and order[first].id not in followup.whole:
            # its quote was trimmed: now the whole of it
            cited.insert(0, whole_quote(order[first], set(weights), MAX_MORE_QUOTE_CHARS))
        others = [c for c in further.citations + further.more
                  if c.passage.source != source and c.passage.id not in shown] if further.found else []
        citations = cited + others
        if not citations:  # nothing the conversation has not seen
            return _Reading(self._not_found(question, query, "not_found"), query)
        whole = followup.whole + tuple(c.passage.id for c in cited[:1] if c.passage.id == order[first].id)
        return _Reading(Answer(question=question, found=True, answer=None, citations=tuple(citations[:limit]),
                               looked_for=query.describe(self.meetings), more=tuple(citations[limit:MAX_CITATIONS]),
                               lang=query.lang), query, whole)

    def _answer(self, question: str, query: Query, limit: int, lead: tuple[str, str] | None = None,
                ranks_only: tuple[str, ...] = ()) -> Answer:
        """``lead``: a follow-up's document (the last answer's) and how the question points at it
        ("named": "on it", "the summary"; "refers": "there", "it"; "": not at all); its passages lead
        when they hold enough of the question. ``ranks_only``: a follow-up's words of the last subject,
        searched but not quoted around."""
        early = self._before_search(query, question)
        if early is not None:
            return early
        table, direct, row_meeting = self._meeting_row(query)
        # The question's own language first; every language after when its own has no answer, with
        # the question's concepts also searched in English ("espèces" as "species").
        ranked = self._ranking(query, langs=(query.lang,), lead=lead)
        named = self._named_source_holds(query, ranked, lead)
        if not table and not named and refusal(replace(query, content_terms=_searched_words(query)), ranked, self.retriever):
            query = _with_english(query)
            ranked = self._ranking(query, lead=lead)
            query, ranked = self._across_languages(query, ranked, lead)
        if row_meeting is not None and query.qtype == "when" and query.asked:
            # Beside the meetings table, only passages that state its dates ("opened today"): "close
            # to half a billion people" doesn't back "When did COP14 close?".
            tiers = {p.id: corroborates(p, row_meeting, query.asked) for p, _ in ranked}
            ranked = sorted((ps for ps in ranked if tiers[ps[0].id]), key=lambda ps: -tiers[ps[0].id])
        content = _searched_words(query)
        if content and ranked:
            # Beyond the best passage, only passages that share a fair part of the question.
            ranked = ranked[:1] + [(p, s) for p, s in ranked[1:]
                                   if self.retriever.coverage(p, content) >= MIN_SUPPORT]
        quoted = tuple(t for t in query.terms if t not in ranks_only) or query.terms
        citations = cite(ranked, self.retriever.weight, quoted, MAX_CITATIONS)
        if not table:
            reason = refusal(replace(query, content_terms=content), ranked[: len(ranked)], self.retriever)
            lowered = reason == "not_found" and named
            if lowered:
                reason = None  # the asker said where it is: quoted, with no direct answer from so little
            if reason is not None or not citations:
                return self._not_found(question, query, reason or "not_found")
            if (content or query.latest) and (not lowered or asks_publication(query)):
                # ("what's the latest from Campo Grande?" has no words beside its place: its own words)
                weights = {t: self.retriever.weight(t) for t in dict.fromkeys(content or query.terms)}
                parts = tuple(self.retriever.expanded(p) for p in parse_parts(query, self.meetings))
                direct, citations = self._direct(query, citations, weights, parts)
        if query.qtype == "who" and asks_for_people(query.text):
            listed = self._list_entries(query, citations)
            if len(listed) > len(citations):
                direct = None  # one name of several is no answer to "who were …": the list is quoted
            citations = listed
        if table and row_meeting is not None and query.qtype == "when" and citations:
            # A source stating the meeting's day ("opened today") leads; the generated table row follows.
            citations = citations[:1] + table + citations[1:]
        else:
            citations = table + citations
        return Answer(question=question, found=True, answer=direct, citations=tuple(citations[:limit]),
                      looked_for=query.describe(self.meetings), note=self._language_note(query, citations),
                      more=tuple(citations[limit:]), lang=query.lang)

    def _across_languages(self, query: Query, ranked: list[tuple[Passage, float]],
                          lead: tuple[str, str] | None) -> tuple[Query, list[tuple[Passage, float]]]:
        """No answer in the question's own language: its words searched in every language, and its
        concepts in each other language's words in that language's texts ("where was the meeting of
        signatories of the grassland birds MOU?" in a Spanish page's "reunión de signatarios del MdE
        … aves de pastizales"); of those that answer, the one whose best passage holds most of its question."""
        best: tuple[float, Query, list[tuple[Passage, float]]] | None = None
        for lang in (None, *TEXT_LANGS):
            other = query if lang is None else translated_query(
                query, lang, known=lambda t: bool(self.retriever.documents_holding(t)))
            if other is None:
                continue
            found = ranked if lang is None else self._ranking(other, langs=(lang,), lead=lead)
            searched = replace(other, content_terms=_searched_words(other))
            if found and not refusal(searched, found, self.retriever):
                support = self.retriever.support(found[0][0], searched.content_terms)
                if best is None or support > best[0]:
                    best = (support, other, found)
        return (best[1], best[2]) if best is not None else (query, ranked)

    @staticmethod
    def _language_note(query: Query, citations: list[Citation]) -> str | None:
        """Said when a question in another language is answered from English texts."""
        texts = [c for c in citations[:3] if c.passage.kind != MEETINGS_KIND]  # the table speaks every language
        if query.lang == "en" or not texts or any(c.passage.lang == query.lang for c in texts):
            return None
        return translate(msg.FROM_ENGLISH, query.lang, language=translate(msg.LANGUAGE_NAMES[query.lang], query.lang))

    def _direct(self, query: Query, citations: list[Citation], weights: dict[str, float],
                parts: tuple[Query, ...]) -> tuple[str | None, list[Citation]]:
        """The direct answer from the leading citations' quotes — the first one's, else a further one
        that holds most of the question (which then leads) — and the citations as they are to be shown."""
        for i, cited in enumerate(citations[:DIRECT_FROM]):
            if i and self.retriever.coverage(cited.passage, query.content_terms) < MIN_DIRECT_COVERAGE:
                continue
            if not self._about_asked_meeting(query, cited.passage):
                continue  # a fact of another COP is no answer about the one asked (it may still be quoted)
            direct = direct_answer(query, cited.passage, weights, quote=cited.quote, parts=parts)
            if direct is None:
                # The answer may sit in a sentence of the passage the quote left out ("…," said
                # NAME): then the quote grows to show it, so the answer is still one the reader sees.
                whole = direct_answer(query, cited.passage, weights, parts=parts)
                grown = quote_including(cited, whole) if whole else None
                if grown is not None:
                    direct, cited = whole, grown
            if direct is not None:
                return direct, [cited] + citations[:i] + citations[i + 1:]
        return self._direct_by_parts(query, citations, weights, parts)

    def _list_entries(self, query: Query, citations: list[Citation]) -> list[Citation]:
        """A plural who-question ("who were the press contacts?"): a leading quote that is one entry of
        a list of people cut into passages is followed by the entries after it (bot/answer/lists.py)."""
        for i, cited in enumerate(citations[:DIRECT_FROM]):
            held = self._source_passages.get(cited.passage.source)
            if held is None or not is_entry(cited.passage):
                continue
            shown = {c.passage.id for c in citations}
            after = [p for p in entries_after(cited.passage, [self.passages[k] for k in held]) if p.id not in shown]
            if after:
                more = cite([(p, 0.0) for p in after], self.retriever.weight, query.terms, len(after))
                return citations[:i + 1] + more + citations[i + 1:]
        return citations

    def _direct_by_parts(self, query: Query, citations: list[Citation], weights: dict[str, float],
                         parts: tuple[Query, ...]) -> tuple[str | None, list[Citation]]:
        """A two-part question whose parts the first document answers in different passages ("said
        Union Minister Javadekar …" in one, "representatives from 130 countries" in the next): each
        part from the first leading quote of that document that answers it; those quotes then lead."""
        if len(parts) < 2 or not citations:
            return None, citations
        source = citations[0].passage.source
        answers: list[str] = []
        used: list[int] = []
        for part in parts:
            for i, cited in enumerate(citations[:DIRECT_FROM]):
                if cited.passage.source != source or not self._about_asked_meeting(query, cited.passage):
                    continue
                found = part_answer(part, cited.passage, weights, cited.quote)
                if found is not None and found not in answers:
                    answers.append(found)
                    used.append(i)
                    break
            else:
                return None, citations  # a part no quote of that document answers: no half answer
        lead = list(dict.fromkeys(used))
        return joined(answers), [citations[i] for i in lead] + [c for i, c in enumerate(citations) if i not in lead]

    def _about_asked_meeting(self, query: Query, passage: Passage) -> bool:
        """Whether a passage may answer for the meetings the question names: it is about one of them,
        or about no meeting at all."""
        if not query.meetings or passage.meeting is None or passage.kind == MEETINGS_KIND:
            return True
        return passage.meeting in query.meetings

    def _not_found(self, question: str, query: Query, reason: str) -> Answer:
        lang = query.lang
        if reason == "other_meeting":
            note = translate(msg.NOT_FOUND_ABOUT, lang, named=" / ".join(f"COP{n}" for n in query.meetings))
        elif reason.startswith("other_year:"):
            note = translate(msg.NOT_FOUND_FOR, lang, missing=reason.split(":", 1)[1])
        else:
            note = translate(_REFUSALS.get(reason, msg.NOT_FOUND), lang)
        return self._not_found_note(question, query, note)

    def _before_search(self, query: Query, question: str) -> Answer | None:
        """Replies that need no search: small talk, a language the bot doesn't speak, an unknown
        meeting, only a future year."""
        lang = query.lang
        if not is_supported(lang):
            name = translate(msg.LANGUAGE_NAMES.get(lang, lang), "en")
            return Answer(question=question, found=False, answer=None, looked_for="", lang="en",
                          note=translate(msg.UNSUPPORTED_LANGUAGE, "en", language=name))
        if query.small_talk:
            return Answer(question=question, found=False, answer=None, looked_for="", lang=lang,
                          note=f"{translate(msg.SMALL_TALK, lang)} {self.coverage_note(lang)}")
        if query.unknown_meeting is not None and not query.meetings:
            known = max((m.number for m in self.meetings.all()), default=0)
            return self._not_found_note(question, query, translate(msg.UNKNOWN_MEETING, lang,
                                                                   number=query.unknown_meeting, known=known))
        if query.future_year is not None and not query.content_terms:
            return self._not_found_note(question, query, translate(msg.NOTHING_ABOUT_YEAR, lang, year=query.future_year))
        return None

    def _not_found_note(self, question: str, query: Query, note: str) -> Answer:
        return Answer(question=question, found=False, answer=None, looked_for=query.describe(self.meetings),
                      note=f"{note} {self.coverage_note(query.lang)}", lang=query.lang)

    def _meeting_row(self, query: Query) -> tuple[list[Citation], str | None, Meeting | None]:
        """For a question about a meeting itself (when/where was COPn): its meetings-table row."""
        if not (query.about_meeting and query.meeting_filter is None):
            return [], None, None
        meeting = self.meetings.get(query.meetings[0])
        if meeting is None:
            return [], None, None
        row = meeting_passage(meeting)
        return [Citation(passage=row, quote=row.text, score=0.0)], meeting_answer(query, meeting, self.today()), meeting

    def _ranking(self, query: Query, langs: tuple[str, ...] | None = None,
                 lead: tuple[str, str] | None = None) -> list[tuple[Passage, float]]:
        r = self.retriever
        explicit = query.span if query.span_filter else None
        mask = r.mask(meeting=query.meeting_filter, kind=None if query.kind_from_text else query.kind_filter,
                      date_from=explicit.start if explicit and explicit.start != date.min else None,
                      date_to=explicit.end if explicit and explicit.end != date.max else None, langs=langs)
        mask = r.located(r.with_exact(mask, query.exact_terms), query.locator)
        if not _searched_words(query):
            # Only meeting words: the named meeting's passages, ranked by those words ("open"),
            # or by date for "latest" and for a period.
            if query.meetings and query.meeting_filter is None:
                in_meeting = r.in_meetings(mask, query.meetings)
                if in_meeting.any():
                    mask = in_meeting
            if query.span is not None and not query.latest:
                start = query.span.start if query.span.start != date.min else None
                end = query.span.end if query.span.end != date.max else None
                in_span = mask & r.mask(date_from=start, date_to=end)
                if in_span.any():
                    mask = in_span
            codes = {f"cop{n}" for n in query.meetings}
            words = tuple(t for t in query.terms if t not in codes)  # every passage here has the code
            if words and not query.latest and not query.span:
                ranked = r.rank(replace(query, terms=words), mask, MAX_CITATIONS)
                if ranked:
                    return ranked
            # Newest first, except for a period with a beginning ("in November 2014"), read in order.
            chronological = query.span is not None and query.span.start != date.min and not query.latest
            return r.by_date(mask, newest_first=not chronological, k=MAX_CITATIONS)
        if query.skip_ids:
            mask = mask & ~np.isin(r.ids, list(query.skip_ids))
        ranked = r.rank(query, mask, MAX_CITATIONS * 2)
        if lead is not None:
            ranked = self._source_first(query, mask, ranked, *lead)
        if query.latest:
            ranked.sort(key=lambda ps: (-(ps[0].date.toordinal() if ps[0].date else 0), -ps[1], ps[0].position))
        return ranked

    def _named_source_holds(self, query: Query, ranked: list[tuple[Passage, float]],
                            lead: tuple[str, str] | None) -> bool:
        """A follow-up naming the last answer's document ("on it", "the summary mentions …") whose
        best passage leads from that document holding ``SOURCE_FIRST_COVERAGE`` of the question: the
        asker said where it is, so it answers even below the bar of a question asked alone."""
        if lead is not None and lead[1] in ("named", "refers") and ranked and ranked[0][0].source == lead[0] \
                and asks_publication(query):
            return True  # "when did they post that?": the conversation's text is the answer
        if lead is None or lead[1] != "named" or not ranked or ranked[0][0].source != lead[0]:
            return False
        return self.retriever.coverage(ranked[0][0], _searched_words(query)) >= SOURCE_FIRST_COVERAGE

    def _source_first(self, query: Query, mask: np.ndarray, ranked: list[tuple[Passage, float]],
                      source: str, mode: str) -> list[tuple[Passage, float]]:
        """A follow-up in the conversation's document: that document's best passage leads when it
        holds ``SOURCE_FIRST_COVERAGE`` of the question's words (the document named: "on it", "the
        summary"), ``REFERS_FIRST_COVERAGE`` (the question refers back: "there", "it") or as much as
        the best passages (otherwise)."""
        held = self._source_passages.get(source)
        if held is None:
            return ranked
        inside = np.zeros(len(self.passages), dtype=bool)
        inside[held] = True
        content = _searched_words(query)
        # When named ("on it", "the summary"), a fair share of the question is enough; otherwise the
        # document only breaks ties: its passages lead when they hold as much as the best one.
        best = max((self.retriever.coverage(p, content) for p, _ in ranked[:3]), default=0.0)
        tie = max(SOURCE_FIRST_COVERAGE, best - 1e-9)
        floor = SOURCE_FIRST_COVERAGE if mode == "named" else min(tie, REFERS_FIRST_COVERAGE) if mode == "refers" else tie
        # Of that document's passages above the floor, the one holding most of the question (the
        # best ranked among equals): "proposals … for seven species" does not hide "amendments to
        # include fourteen additional species" for "the species proposed for listing".
        if mode in ("named", "refers") and asks_publication(query):
            # "when did they post that?": the text itself, whatever its words — its passage the last
            # subject ranks first (a listing's item), else its first one
            own = self.retriever.rank(query, mask & inside, 1)  # (a follow-up's terms hold the last subject)
            first = own[0][0] if own else self.passages[int(held[0])]
            return [(first, ranked[0][1] if ranked else 0.0)] + [(p, s) for p, s in ranked if p.id != first.id]
        candidates = self.retriever.rank(query, mask & inside, MAX_CITATIONS)
        shares = [self.retriever.coverage(p, content) for p, _ in candidates]
        above = [k for k, share in enumerate(shares) if share >= floor]
        lead = [candidates[max(above, key=lambda k: (shares[k], -k))]] if above else []
        ids = {p.id for p, _ in lead}
        return lead + [(p, s) for p, s in ranked if p.id not in ids]

    @functools.cached_property
    def _source_passages(self) -> dict[str, np.ndarray]:
        """Each document's passages (positions in the index, ascending), built once, on the first
        follow-up: from the source column's codes (a loaded table makes no passage for it)."""
        sources, codes = table.coded(self.passages, "source")
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(sources) + 1)).tolist()
        return {source: order[bounds[c]:bounds[c + 1]].astype(np.int64) for c, source in enumerate(sources)}

    def search(self, query: str, *, meeting: int | None = None, kind: str | None = None,
               date_from: date | None = None, date_to: date | None = None,
               limit: int = 10, offset: int = 0) -> list[Hit]:
        """Plain ranked search (BM25 over the analyzed query), with filters; no answer composition."""
        mask = self.retriever.mask(meeting=meeting, kind=kind, date_from=date_from, date_to=date_to)
        terms = analyze(query[:1000])
        if not terms or not mask.any():
            return []
        hits = self.index.top_k(terms, offset + limit, allowed=mask)
        return [Hit(self.passages[i], score) for i, score in hits[offset:offset + limit]]

    def search_total(self, query: str, *, meeting: int | None = None, kind: str | None = None,
                     date_from: date | None = None, date_to: date | None = None) -> int:
        """How many passages :meth:`search` could return for these filters (all pages)."""
        mask = self.retriever.mask(meeting=meeting, kind=kind, date_from=date_from, date_to=date_to)
        terms = analyze(query[:1000])
        if not terms or not mask.any():
            return 0
        return int((mask & (self.index.get_scores(terms) > 0)).sum())

    def latest(self, *, meeting: int | None = None, kind: str | None = None, limit: int = 5) -> list[Passage]:
        """Newest passages first, at most one per document (its first passage of the newest date)."""
        mask = self.retriever.mask(meeting=meeting, kind=kind)
        seen: set[tuple[str, date | None, str | None]] = set()
        out = []
        for p, _ in self.retriever.by_date(mask, newest_first=True, k=len(self.passages)):
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
        import asyncio  # only the Discord frontend runs an event loop: not imported by a plain `cmsbot ask`

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, functools.partial(self.ask, question, **kwargs))

    async def search_async(self, query: str, **kwargs: Any) -> list[Hit]:
        import asyncio  # only the Discord frontend runs an event loop: not imported by a plain `cmsbot ask`

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, functools.partial(self.search, query, **kwargs))


def _with_english(query: Query) -> Query:
    """A question in another language, its concepts' English terms added (searched, and counted as
    its words when English texts are read)."""
    glosses = english_terms(query.text, query.lang)
    if not glosses:
        return query
    english = tuple(t for terms in glosses.values() for t in terms if t not in query.terms)
    return replace(query, terms=query.terms + english, content_terms=tuple(dict.fromkeys(query.content_terms + english)))


def _searched_words(query: Query) -> tuple[str, ...]:
    """The question's content words; for a "latest" question, without the words that only ask for news."""
    if query.latest:
        return tuple(t for t in query.content_terms if t not in _LATEST_WORDS)
    return query.content_terms


@dataclass(frozen=True)
class _Reading:
    """An answer with the query it was searched as."""

    answer: Answer
    query: Query
    whole: tuple[str, ...] = ()  # passages a "tell me more" quoted whole


class _Outdated(Exception):
    """The saved index does not match this corpus or this version of cmsbot."""
