"""Offline evaluation: score the engine's answers against hand-written questions.

The question set lives in ``tests/eval/questions.yaml``; each entry names the fact a
correct reply must show, the source and date it should cite, and optionally the
string the direct answer must contain. ``evaluate`` asks every question, scores the
replies and returns an :class:`EvalReport` whose :meth:`EvalReport.thresholds_met`
is what CI checks.

Matching of expected strings (``fact``, ``direct``) against what the reader sees:

* whitespace runs collapse to one space, curly quotes/apostrophes become straight,
  every dash (hyphen, en dash, em dash, minus) becomes ``-`` with no spaces around it,
  and a leading zero on a day before a month name is dropped (``03 November`` ==
  ``3 November``);
* comparison is case-insensitive;
* an expected string that starts or ends with a letter or digit must not be glued
  to another letter or digit in the text: ``4 November 2014`` does not match inside
  ``14 November 2014``, nor ``14`` inside ``COP14``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.model import Answer, Citation, MONTHS

#: CI thresholds.
SOURCE_AT_3_MIN = 0.9
FACT_SHOWN_MIN = 0.8

#: How many leading citations count for fact/source/date scoring.
TOP_K = 3

WHO: tuple[str, ...] = ("media", "staff", "community")
SOURCES: tuple[str, ...] = ("news", "press", "doc19", "meetings")
QUESTION_TYPES: tuple[str, ...] = (
    "when", "where", "who", "how-many", "what", "which",
    "symbol", "decision", "date", "latest", "yes-no",
)
_KEYS = frozenset(
    {"q", "who", "fact", "direct", "source", "date", "locator", "type", "unanswerable", "note"}
)


class QuestionFileError(ValueError):
    """The questions file is malformed; the message names the question index."""


# --------------------------------------------------------------------------- questions


@dataclass(frozen=True)
class EvalQuestion:
    """One evaluation question, validated."""

    index: int  # 0-based position in the file
    q: str
    who: str
    fact: tuple[str, ...] = ()
    direct: tuple[str, ...] = ()
    source: str | None = None
    #: Acceptable dates of the cited passage (usually one).
    dates: tuple[date, ...] = ()
    locator: str | None = None
    type: str | None = None
    unanswerable: bool = False
    note: str | None = None
    #: Dev-set format: facts that must ALL be shown, each a tuple of acceptable spellings.
    key: tuple[tuple[str, ...], ...] = ()
    #: Dev-set format: file names (in the corpus folder) any of which must be among the first citations.
    docs: tuple[str, ...] = ()
    #: A follow-up exchange: the conversation's first question, asked before this one (not scored).
    first: str | None = None

    @property
    def expects_direct(self) -> bool:
        """Whether this question's direct answer is scored (a ``direct`` list, or the dev set's key)."""
        return bool(self.direct or self.key)


def load_questions(path: str | Path) -> list[EvalQuestion]:
    """Read and validate a questions YAML file (a list, or a mapping with ``questions:``)."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise QuestionFileError(f"{path}: not valid YAML: {exc}") from exc
    if isinstance(data, dict) and "questions" in data:
        data = data["questions"]
    if not isinstance(data, list) or not data:
        raise QuestionFileError(f"{path}: expected a non-empty list of questions")
    if is_devset(data):
        from bot.devset import parse_devset_questions

        return parse_devset_questions(data, origin=str(path))
    return parse_questions(data, origin=str(path))


def is_devset(entries: Sequence[Any]) -> bool:
    """Whether loaded entries are in the dev set's format (``id``/``question``/``key``), not ours."""
    return all(isinstance(e, dict) and "question" in e and "q" not in e for e in entries)


def parse_questions(entries: Sequence[Any], origin: str = "questions") -> list[EvalQuestion]:
    """Validate already-loaded entries; errors name ``origin`` and the 0-based index."""
    questions = [_parse_entry(i, entry, origin) for i, entry in enumerate(entries)]
    _check_duplicates(questions, origin)
    return questions


def _parse_entry(index: int, entry: Any, origin: str) -> EvalQuestion:
    def fail(message: str) -> QuestionFileError:
        preview = f" ({entry.get('q')!r})" if isinstance(entry, dict) and entry.get("q") else ""
        return QuestionFileError(f"{origin}: question {index}{preview}: {message}")

    if not isinstance(entry, dict):
        raise fail(f"expected a mapping, got {type(entry).__name__}")
    unknown = sorted(set(map(str, entry)) - _KEYS)
    if unknown:
        raise fail(f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_KEYS))}")
    q = entry.get("q")
    if not isinstance(q, str) or not q.strip():
        raise fail("'q' must be a non-empty string")
    who = entry.get("who")
    if who not in WHO:
        raise fail(f"'who' must be one of {', '.join(WHO)}, got {who!r}")
    qtype = entry.get("type")
    if qtype is not None and qtype not in QUESTION_TYPES:
        raise fail(f"'type' must be one of {', '.join(QUESTION_TYPES)}, got {qtype!r}")
    unanswerable = entry.get("unanswerable", False)
    if not isinstance(unanswerable, bool):
        raise fail("'unanswerable' must be true or false")
    note = _optional_str(entry, "note", fail)
    if unanswerable:
        present = sorted(k for k in ("fact", "direct", "source", "date", "locator") if k in entry)
        if present:
            raise fail(f"an unanswerable question must not have {', '.join(present)}")
        return EvalQuestion(index, q.strip(), who, type=qtype, unanswerable=True, note=note)
    source = entry.get("source")
    if source not in SOURCES:
        raise fail(f"'source' must be one of {', '.join(SOURCES)}, got {source!r}")
    return EvalQuestion(
        index=index,
        q=q.strip(),
        who=who,
        fact=_strings(entry, "fact", fail, required=True),
        direct=_strings(entry, "direct", fail, required=False),
        source=source,
        dates=_dates(entry.get("date"), fail),
        locator=_optional_str(entry, "locator", fail),
        type=qtype,
        note=note,
    )


def _strings(entry: dict, key: str, fail: Callable[[str], Exception], required: bool) -> tuple[str, ...]:
    value = entry.get(key)
    if value is None:
        if required:
            raise fail(f"'{key}' is required: a list of acceptable verbatim strings")
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise fail(f"'{key}' must be a non-empty list of strings")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise fail(f"'{key}' must contain only non-empty strings, got {item!r}")
    return tuple(value)


def _optional_str(entry: dict, key: str, fail: Callable[[str], Exception]) -> str | None:
    value = entry.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise fail(f"'{key}' must be a non-empty string")
    return value


def _dates(value: Any, fail: Callable[[str], Exception]) -> tuple[date, ...]:
    if value is None:
        raise fail("'date' is required (YYYY-MM-DD, or a list of them)")
    items = value if isinstance(value, list) else [value]
    if not items:
        raise fail("'date' must not be an empty list")
    return tuple(_one_date(item, fail) for item in items)


def _one_date(value: Any, fail: Callable[[str], Exception]) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise fail(f"'date' must be YYYY-MM-DD, got {value!r}")


def _check_duplicates(questions: list[EvalQuestion], origin: str) -> None:
    seen: dict[str, int] = {}
    for question in questions:
        key = normalise(question.q)
        if key in seen:
            raise QuestionFileError(
                f"{origin}: question {question.index} ({question.q!r}): duplicate of question {seen[key]}"
            )
        seen[key] = question.index


# --------------------------------------------------------------------------- matching

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ",
})
_SPACED_DASH = re.compile(r"\s*-\s*")
_LEADING_ZERO_DAY = re.compile(r"\b0(\d)(?=\s+(?:" + "|".join(m.lower() for m in MONTHS) + r")\b)")


def normalise(text: str) -> str:
    """Fold the differences a reader would not count: case, whitespace, quote and dash styles."""
    text = " ".join(text.translate(_QUOTES).split()).casefold()
    text = _SPACED_DASH.sub("-", text)
    return _LEADING_ZERO_DAY.sub(r"\1", text)


def contains(text: str | None, expected: str) -> bool:
    """Whether ``expected`` appears in ``text`` (normalised, not glued to a neighbouring alnum)."""
    if not text:
        return False
    needle = normalise(expected)
    if not needle:
        return False
    head = r"(?<![0-9a-z])" if needle[0].isalnum() else ""
    tail = r"(?![0-9a-z])" if needle[-1].isalnum() else ""
    return re.search(head + re.escape(needle) + tail, normalise(text)) is not None


def contains_any(texts: Iterable[str | None], expected: Iterable[str]) -> bool:
    wanted = tuple(expected)
    return any(contains(text, item) for text in texts for item in wanted)


def citation_matches_doc(citation: Citation, names: Iterable[str]) -> bool:
    """Whether the cited passage comes from one of the named corpus files (by file name)."""
    name = citation.passage.source.replace("\\", "/").rsplit("/", 1)[-1]
    return name in set(names)


def citation_matches_source(citation: Citation, source: str) -> bool:
    """The mapping from a question's ``source`` to a cited passage."""
    passage = citation.passage
    if source == "meetings":
        return passage.kind == "meetings_table"
    marker = {"news": "news/", "press": "press/", "doc19": "documents/"}[source]
    return marker in passage.source.replace("\\", "/")


def _same_locator(a: str, b: str) -> bool:
    return normalise(a).replace(" ", "") == normalise(b).replace(" ", "")


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class QuestionResult:
    """How one question fared. ``None`` means the check does not apply to this question."""

    question: EvalQuestion
    found: bool
    direct_answer: str | None
    cited: tuple[str, ...]  # "source (date, locator)" of the first TOP_K citations
    fact_shown: bool | None = None
    source_ok: bool | None = None
    date_ok: bool | None = None
    locator_ok: bool | None = None
    direct_ok: bool | None = None
    direct_wrong: bool = False  # gave a direct answer lacking every expected string
    handled: bool | None = None  # unanswerable: replied found=False
    error: str | None = None

    @property
    def failures(self) -> tuple[str, ...]:
        """Short labels of what went wrong, for the failure table."""
        labels: list[str] = []
        if self.error:
            labels.append("error")
        if self.handled is False:
            labels.append("answered-unanswerable")
        if not self.question.unanswerable and not self.found and not self.error:
            labels.append("not-found")
        checks = (("fact", self.fact_shown), ("source", self.source_ok),
                  ("date", self.date_ok), ("locator", self.locator_ok))
        labels.extend(name for name, ok in checks if ok is False)
        if self.direct_wrong:
            labels.append("direct-wrong")
        elif self.direct_ok is False:
            labels.append("direct-missing")
        return tuple(labels)

    @property
    def passed(self) -> bool:
        return not self.failures

    def to_json(self) -> dict[str, Any]:
        q = self.question
        return {
            "index": q.index, "q": q.q, "who": q.who, "type": q.type, "source": q.source,
            "unanswerable": q.unanswerable, "found": self.found, "direct_answer": self.direct_answer,
            "cited": list(self.cited), "fact_shown": self.fact_shown, "source_ok": self.source_ok,
            "date_ok": self.date_ok, "locator_ok": self.locator_ok, "direct_ok": self.direct_ok,
            "direct_wrong": self.direct_wrong, "handled": self.handled, "error": self.error,
            "failures": list(self.failures),
        }


def score(question: EvalQuestion, answer: Answer) -> QuestionResult:
    """Score one reply against its question."""
    top = answer.citations[:TOP_K]
    base: dict[str, Any] = dict(question=question, found=answer.found, direct_answer=answer.answer,
                cited=tuple(_describe(c) for c in top))
    if question.unanswerable:
        return QuestionResult(**base, handled=not answer.found)
    shown = [answer.answer, *(c.quote for c in top)]
    direct_ok: bool | None = None
    direct_wrong = False
    given = bool(answer.answer and answer.answer.strip())
    if question.direct:
        direct_ok = contains_any([answer.answer], question.direct)
        direct_wrong = given and not direct_ok
    elif question.key:
        # A direct answer must hold every key fact: one that holds only some is wrong, not partial.
        direct_ok = given and all(contains_any([answer.answer], group) for group in question.key)
        direct_wrong = given and not direct_ok
    fact_shown = all(contains_any(shown, group) for group in question.key)
    if question.fact:
        fact_shown = fact_shown and contains_any(shown, question.fact)
    if question.docs:
        source_ok = any(citation_matches_doc(c, question.docs) for c in top)
    else:
        source_ok = any(citation_matches_source(c, question.source or "") for c in top)
    return QuestionResult(
        **base,
        fact_shown=fact_shown,
        source_ok=source_ok,
        date_ok=any(c.passage.date in question.dates for c in top) if question.dates else None,
        locator_ok=(any(_same_locator(c.passage.locator, question.locator) for c in top)
                    if question.locator else None),
        direct_ok=direct_ok,
        direct_wrong=direct_wrong,
    )


def _error_result(question: EvalQuestion, exc: BaseException) -> QuestionResult:
    message = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    answerable = not question.unanswerable
    return QuestionResult(
        question=question, found=False, direct_answer=None, cited=(),
        fact_shown=False if answerable else None,
        source_ok=False if answerable else None,
        date_ok=False if answerable else None,
        locator_ok=(False if answerable and question.locator else None),
        direct_ok=(False if answerable and question.expects_direct else None),
        handled=None if answerable else False,
        error=message,
    )


def _describe(citation: Citation) -> str:
    p = citation.passage
    when = p.date.isoformat() if p.date else "undated"
    return f"{p.source} ({when}, {p.locator})"


def evaluate(questions: Sequence[EvalQuestion], ask: Callable[[str], Answer]) -> EvalReport:
    """Ask every question and score the replies; an exception from ``ask`` fails that question only."""
    results = []
    for question in questions:
        try:
            if question.first:  # a follow-up: asked in the context the first question leaves
                answer = ask(question.q, context=ask(question.first).context)  # type: ignore[call-arg]
            else:
                answer = ask(question.q)
        except Exception as exc:  # noqa: BLE001 - one broken question must not hide the rest
            results.append(_error_result(question, exc))
            continue
        results.append(score(question, answer))
    return EvalReport(tuple(results))


# --------------------------------------------------------------------------- report


def _rate(values: Iterable[bool | None]) -> float | None:
    """Share of True among the applicable (non-None) values; None when none apply."""
    applicable = [v for v in values if v is not None]
    return sum(applicable) / len(applicable) if applicable else None


@dataclass(frozen=True)
class EvalReport:
    results: tuple[QuestionResult, ...]
    source_at_3_min: float = SOURCE_AT_3_MIN
    fact_shown_min: float = FACT_SHOWN_MIN

    @property
    def answerable(self) -> tuple[QuestionResult, ...]:
        return tuple(r for r in self.results if not r.question.unanswerable)

    @property
    def unanswerable(self) -> tuple[QuestionResult, ...]:
        return tuple(r for r in self.results if r.question.unanswerable)

    @property
    def fact_shown(self) -> float | None:
        return _rate(r.fact_shown for r in self.answerable)

    @property
    def source_at_3(self) -> float | None:
        return _rate(r.source_ok for r in self.answerable)

    @property
    def date_at_3(self) -> float | None:
        return _rate(r.date_ok for r in self.answerable)

    @property
    def locator_at_3(self) -> float | None:
        return _rate(r.locator_ok for r in self.answerable)

    @property
    def found_rate(self) -> float | None:
        return _rate(r.found for r in self.answerable)

    @property
    def direct_correct(self) -> float | None:
        return _rate(r.direct_ok for r in self.answerable)

    @property
    def direct_wrong_count(self) -> int:
        return sum(r.direct_wrong for r in self.answerable)

    @property
    def direct_total(self) -> int:
        return sum(r.direct_ok is not None for r in self.answerable)

    @property
    def direct_given(self) -> int:
        return sum(bool(r.direct_answer) for r in self.answerable)

    @property
    def unanswerable_handled(self) -> int:
        return sum(bool(r.handled) for r in self.unanswerable)

    @property
    def errors(self) -> int:
        return sum(r.error is not None for r in self.results)

    @property
    def failures(self) -> tuple[QuestionResult, ...]:
        return tuple(r for r in self.results if not r.passed)

    def threshold_failures(self) -> list[str]:
        """Which CI thresholds are missed, in words; empty when all are met."""
        missed = []
        if self.source_at_3 is not None and self.source_at_3 < self.source_at_3_min:
            missed.append(f"source@3 {self.source_at_3:.2f} < {self.source_at_3_min:.2f}")
        if self.fact_shown is not None and self.fact_shown < self.fact_shown_min:
            missed.append(f"fact shown {self.fact_shown:.2f} < {self.fact_shown_min:.2f}")
        if self.unanswerable_handled < len(self.unanswerable):
            missed.append(f"unanswerable handled {self.unanswerable_handled}/{len(self.unanswerable)}")
        return missed

    def thresholds_met(self) -> bool:
        """CI gate: source@3 ≥ 0.9, fact shown ≥ 0.8, every unanswerable question handled."""
        return not self.threshold_failures()

    def breakdown(self, attribute: str) -> dict[str, tuple[int, int]]:
        """Per value of a question attribute (who/source/type): (answerable passed, answerable total)."""
        totals: Counter[str] = Counter()
        passed: Counter[str] = Counter()
        for r in self.answerable:
            key = str(getattr(r.question, attribute) or "-")
            totals[key] += 1
            passed[key] += r.passed
        return {key: (passed[key], totals[key]) for key in sorted(totals)}

    def to_json(self) -> dict[str, Any]:
        return {
            "questions": len(self.results),
            "answerable": len(self.answerable),
            "unanswerable": len(self.unanswerable),
            "metrics": {
                "fact_shown": self.fact_shown,
                "source_at_3": self.source_at_3,
                "date_at_3": self.date_at_3,
                "locator_at_3": self.locator_at_3,
                "found": self.found_rate,
                "direct_correct": self.direct_correct,
                "direct_total": self.direct_total,
                "direct_wrong": self.direct_wrong_count,
                "unanswerable_handled": self.unanswerable_handled,
                "errors": self.errors,
            },
            "thresholds": {
                "source_at_3_min": self.source_at_3_min,
                "fact_shown_min": self.fact_shown_min,
                "unanswerable": "all handled",
                "met": self.thresholds_met(),
                "missed": self.threshold_failures(),
            },
            "results": [r.to_json() for r in self.results],
        }


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:6.1%}"


def _cut(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _summary_lines(report: EvalReport) -> list[str]:
    n_un = len(report.unanswerable)
    lines = [
        f"Questions: {len(report.results)} ({len(report.answerable)} answerable, {n_un} unanswerable)",
        f"  fact shown         {_pct(report.fact_shown)}   (CI ≥ {report.fact_shown_min:.0%})",
        f"  source@3           {_pct(report.source_at_3)}   (CI ≥ {report.source_at_3_min:.0%})",
        f"  date@3             {_pct(report.date_at_3)}",
        f"  locator@3          {_pct(report.locator_at_3)}",
        f"  found              {_pct(report.found_rate)}",
        f"  direct correct     {_pct(report.direct_correct)}   "
        f"({report.direct_wrong_count} of {report.direct_total} gave a WRONG direct answer)",
        f"  unanswerable       {report.unanswerable_handled}/{n_un} handled   (CI: all)",
    ]
    if report.errors:
        lines.append(f"  errors             {report.errors} question(s) raised")
    missed = report.threshold_failures()
    lines.append("Thresholds: " + ("MET" if not missed else "NOT MET: " + "; ".join(missed)))
    return lines


def _breakdown_lines(report: EvalReport) -> list[str]:
    lines = ["Answerable passed (all checks) by:"]
    for attribute in ("who", "source", "type"):
        parts = [f"{key} {ok}/{total}" for key, (ok, total) in report.breakdown(attribute).items()]
        lines.append(f"  {attribute:<7} " + ", ".join(parts))
    return lines


def _failure_lines(report: EvalReport) -> list[str]:
    failures = report.failures
    if not failures:
        return ["No failures."]
    lines = [f"Failures ({len(failures)}):",
             f"  {'#':>3}  {'question':<48}  {'wanted':<20}  {'failed':<42}  got"]
    for r in failures:
        lines.append(f"  {r.question.index:>3}  {_cut(r.question.q, 48):<48}  {_wanted(r.question):<20}  "
                     f"{','.join(r.failures):<42}  {_got(r)}")
    return lines


def _wanted(question: EvalQuestion) -> str:
    if question.unanswerable:
        return "not found"
    first = (question.dates[0].isoformat() + ("+" if len(question.dates) > 1 else "")) if question.dates else "-"
    where = question.source or (question.docs[0][:12] + ("+" if len(question.docs) > 1 else "") if question.docs else "-")
    return f"{where} {first}"


def _got(result: QuestionResult) -> str:
    if result.error:
        return result.error
    direct = _cut(result.direct_answer, 50) if result.direct_answer else "-"
    return f"found={result.found}; direct={direct}; cited={' | '.join(result.cited) or '-'}"


def format_report(report: EvalReport) -> str:
    """A readable plain-text report: metrics against thresholds, breakdowns, failures."""
    sections = [_summary_lines(report), _breakdown_lines(report), _failure_lines(report)]
    return "\n\n".join("\n".join(section) for section in sections)
