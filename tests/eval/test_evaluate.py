"""Unit tests of the evaluation scorer, with hand-built answers (no engine needed)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.evaluate import (
    EvalQuestion,
    QuestionFileError,
    contains,
    evaluate,
    format_report,
    load_questions,
    normalise,
    parse_questions,
)
from bot.model import Answer, Citation, Passage

QUESTIONS_FILE = Path(__file__).parent / "questions.yaml"

SOURCES = {
    "news": ("news/cms-news-cop11-2014.md", "news_listing"),
    "press": ("press/cop14-opening-2024-02-12.md", "press_release"),
    "doc19": ("documents/unep-cms-cop14-doc19.md", "cop_document"),
    "meetings": ("meetings.yaml", "meetings_table"),
}


def passage(source: str, day: date, locator: str, text: str) -> Passage:
    path, kind = SOURCES[source]
    return Passage(
        id=f"{path}#{locator}", source=path, kind=kind, title="t", document_title="t",
        date=day, locator=locator, text=text, position=0,
    )


def cite(source: str, day: date, locator: str, text: str) -> Citation:
    return Citation(passage=passage(source, day, locator, text), quote=text, score=1.0)


STANLEY = EvalQuestion(
    index=0, q="Who is Stanley Johnson?", who="media", fact=("CMS Ambassador",),
    direct=("CMS Ambassador",), source="news", dates=(date(2014, 11, 4),), type="who",
)
NORWAY = EvalQuestion(
    index=1, q="What did Norway propose?", who="staff",
    fact=("Norway’s proposal to add the Polar Bear",), source="news", dates=(date(2014, 11, 6),),
)
FUTURE = EvalQuestion(index=2, q="Where will COP16 be held?", who="media", unanswerable=True)
IMCA = EvalQuestion(
    index=3, q="Which unit handles communication?", who="staff",
    fact=("Information Management, Communication and Awareness-raising Unit",),
    source="doc19", dates=(date(2023, 12, 19),), locator="para. 4",
)

STANLEY_TEXT = ("Master of Ceremonies of the event was CMS Ambassador, Stanley Johnson, "
                "the environmental journalist and writer.")


def ask_from(answers: dict[str, Answer]):
    return lambda q: answers[q]


def test_correct_answer_scores_one() -> None:
    answer = Answer(
        question=STANLEY.q, found=True, answer="Stanley Johnson is the CMS Ambassador.",
        citations=(cite("news", date(2014, 11, 4), "item 6", STANLEY_TEXT),),
    )
    report = evaluate([STANLEY], ask_from({STANLEY.q: answer}))
    assert report.fact_shown == 1.0
    assert report.source_at_3 == 1.0
    assert report.date_at_3 == 1.0
    assert report.direct_correct == 1.0
    assert report.direct_wrong_count == 0
    assert report.failures == ()
    assert report.thresholds_met()


def test_wrong_source_scores_zero() -> None:
    answer = Answer(
        question=STANLEY.q, found=True, answer=None,
        citations=(cite("press", date(2024, 2, 12), "para. 1", "CMS Ambassador mentioned here"),),
    )
    report = evaluate([STANLEY], ask_from({STANLEY.q: answer}))
    assert report.source_at_3 == 0.0
    assert report.date_at_3 == 0.0
    assert report.fact_shown == 1.0
    assert not report.thresholds_met()
    assert "source" in report.results[0].failures


def test_only_first_three_citations_count() -> None:
    filler = tuple(cite("press", date(2024, 2, 12), f"para. {i}", "nothing") for i in range(3))
    answer = Answer(question=STANLEY.q, found=True, answer=None,
                    citations=(*filler, cite("news", date(2014, 11, 4), "item 6", STANLEY_TEXT)))
    result = evaluate([STANLEY], ask_from({STANLEY.q: answer})).results[0]
    assert (result.fact_shown, result.source_ok, result.date_ok) == (False, False, False)


def test_unanswerable_with_found_true_is_a_failure() -> None:
    answer = Answer(question=FUTURE.q, found=True, answer="Bonn",
                    citations=(cite("meetings", date(1985, 10, 21), "COP1", "COP1 Bonn"),))
    report = evaluate([FUTURE], ask_from({FUTURE.q: answer}))
    assert report.unanswerable_handled == 0
    assert not report.thresholds_met()
    assert "answered-unanswerable" in report.results[0].failures


def test_unanswerable_with_found_false_is_handled() -> None:
    answer = Answer(question=FUTURE.q, found=False, answer=None)
    report = evaluate([FUTURE], ask_from({FUTURE.q: answer}))
    assert report.unanswerable_handled == 1
    assert report.thresholds_met()


def test_curly_and_straight_apostrophes_match() -> None:
    straight = "Quito, 6 November 2014 - Norway's proposal to add the Polar Bear to CMS Appendix II"
    answer = Answer(question=NORWAY.q, found=True, answer=None,
                    citations=(cite("news", date(2014, 11, 6), "item 4", straight),))
    assert evaluate([NORWAY], ask_from({NORWAY.q: answer})).fact_shown == 1.0
    assert contains("State of the World’s Migratory Species", "State of the World's")


@pytest.mark.parametrize(
    ("text", "expected", "hit"),
    [
        ("12 – 17 February 2024", "12-17 February 2024", True),
        ("the  period\n2024–2032", "period 2024-2032", True),
        ("03 November 2014", "3 November 2014", True),
        ("14 November 2014", "4 November 2014", False),
        ("UNEP/CMS/COP14/Doc.19", "14", False),
        ("NATURE KNOWS NO BORDERS", "Nature Knows No Borders", True),
        ("“Nature Knows No Borders”", '"Nature Knows No Borders"', True),
        (None, "x", False),
    ],
)
def test_contains_normalisation(text: str | None, expected: str, hit: bool) -> None:
    assert contains(text, expected) is hit


def test_normalise_folds_whitespace_quotes_dashes() -> None:
    assert normalise("Asia’s  Migratory\u00a0Mammals — 2014") == "asia's migratory mammals-2014"


def test_wrong_direct_answer_is_counted_apart_from_missing() -> None:
    citation = cite("news", date(2014, 11, 4), "item 6", STANLEY_TEXT)
    wrong = Answer(question=STANLEY.q, found=True, answer="An environmental minister.",
                   citations=(citation,))
    none = Answer(question=STANLEY.q + " ", found=True, answer=None, citations=(citation,))
    other = replace(STANLEY, index=1, q=STANLEY.q + " ")
    report = evaluate([STANLEY, other], ask_from({STANLEY.q: wrong, other.q: none}))
    assert report.direct_correct == 0.0
    assert report.direct_wrong_count == 1
    assert report.results[0].failures == ("direct-wrong",)
    assert report.results[1].failures == ("direct-missing",)


def test_locator_checked_when_given() -> None:
    text = "the Secretariat, through its Joint CMS/AEWA Information Management, Communication and Awareness-raising Unit (IMCA)"
    good = Answer(question=IMCA.q, found=True, answer=None,
                  citations=(cite("doc19", date(2023, 12, 19), "para. 4", text),))
    bad = Answer(question=IMCA.q, found=True, answer=None,
                 citations=(cite("doc19", date(2023, 12, 19), "para. 10", text),))
    assert evaluate([IMCA], ask_from({IMCA.q: good})).locator_at_3 == 1.0
    assert evaluate([IMCA], ask_from({IMCA.q: bad})).locator_at_3 == 0.0


def test_exception_in_ask_fails_only_that_question() -> None:
    def ask(q: str) -> Answer:
        if q == STANLEY.q:
            raise NotImplementedError("engine not ready")
        return Answer(question=q, found=False, answer=None)

    report = evaluate([STANLEY, FUTURE], ask)
    assert report.errors == 1
    assert report.results[0].failures[0] == "error"
    assert report.unanswerable_handled == 1
    assert "NotImplementedError" in format_report(report)


def test_report_formats_and_serialises() -> None:
    answer = Answer(question=STANLEY.q, found=False, answer=None)
    report = evaluate([STANLEY, FUTURE], ask_from({STANLEY.q: answer, FUTURE.q: answer}))
    text = format_report(report)
    assert "source@3" in text and "fact shown" in text and "Failures (1)" in text
    assert "NOT MET" in text
    data = json.loads(json.dumps(report.to_json()))
    assert data["metrics"]["source_at_3"] == 0.0
    assert data["thresholds"]["met"] is False
    assert data["results"][0]["failures"]


# --------------------------------------------------------------------------- loading


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    return path


VALID = """
- q: "When did COP14 open?"
  who: media
  fact: ["12 February 2024"]
  source: press
  date: 2024-02-12
"""


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('- q: "x"\n  who: reporter\n  fact: [a]\n  source: press\n  date: 2024-02-12\n', "'who'"),
        ('- q: "x"\n  who: media\n  source: press\n  date: 2024-02-12\n', "'fact' is required"),
        ('- q: "x"\n  who: media\n  fact: []\n  source: press\n  date: 2024-02-12\n', "'fact'"),
        ('- q: "x"\n  who: media\n  fact: [a]\n  source: web\n  date: 2024-02-12\n', "'source'"),
        ('- q: "x"\n  who: media\n  fact: [a]\n  source: press\n  date: 12 Feb 2024\n', "'date'"),
        ('- q: "x"\n  who: media\n  fact: [a]\n  source: press\n', "'date' is required"),
        ('- q: ""\n  who: media\n  fact: [a]\n  source: press\n  date: 2024-02-12\n', "'q'"),
        ('- q: "x"\n  who: media\n  facts: [a]\n  source: press\n  date: 2024-02-12\n', "unknown key"),
        ('- q: "x"\n  who: media\n  unanswerable: true\n  fact: [a]\n', "must not have fact"),
        ("- just a string\n", "expected a mapping"),
    ],
)
def test_invalid_entries_rejected_with_index(tmp_path: Path, entry: str, message: str) -> None:
    path = write(tmp_path, VALID + entry)
    with pytest.raises(QuestionFileError) as excinfo:
        load_questions(path)
    assert "question 1" in str(excinfo.value)
    assert message in str(excinfo.value)


def test_duplicate_question_rejected(tmp_path: Path) -> None:
    with pytest.raises(QuestionFileError, match="question 1 .*duplicate of question 0"):
        load_questions(write(tmp_path, VALID + VALID))


def test_not_yaml_or_empty_rejected(tmp_path: Path) -> None:
    with pytest.raises(QuestionFileError, match="not valid YAML"):
        load_questions(write(tmp_path, "- q: [unclosed\n"))
    with pytest.raises(QuestionFileError, match="non-empty list"):
        load_questions(write(tmp_path, "{}\n"))


def test_valid_entry_parsed(tmp_path: Path) -> None:
    (question,) = load_questions(write(tmp_path, VALID))
    assert question.dates == (date(2024, 2, 12),)
    assert question.fact == ("12 February 2024",)
    assert question.direct == ()
    assert parse_questions([{"q": "a", "who": "staff", "unanswerable": True}])[0].unanswerable


# --------------------------------------------------------------------------- the shipped question set


def test_shipped_questions_load_and_cover_the_corpus() -> None:
    questions = load_questions(QUESTIONS_FILE)
    answerable = [q for q in questions if not q.unanswerable]
    assert len(answerable) >= 45
    assert sum(q.unanswerable for q in questions) >= 5
    assert set(Counter(q.who for q in questions)) == {"media", "staff", "community"}
    assert set(Counter(q.source for q in answerable)) == {"news", "press", "doc19", "meetings"}
    texts = {q.q for q in questions}
    for must in ("Who is Stanley Johnson?",
                 "Which unit of the Secretariat handles communication and information management?",
                 "What guidelines on light pollution were on the COP14 agenda?"):
        assert must in texts


CORPUS = Path(__file__).resolve().parents[2] / "corpus"
CORPUS_FILES = {
    "news": CORPUS / "news" / "cms-news-cop11-2014.md",
    "press": CORPUS / "press" / "cop14-opening-2024-02-12.md",
    "doc19": CORPUS / "documents" / "unep-cms-cop14-doc19.md",
}


@pytest.mark.parametrize("source", sorted(CORPUS_FILES))
def test_facts_are_verbatim_in_the_corpus(source: str) -> None:
    """Every document fact string must appear in its corpus file (catches spelling drift)."""
    path = CORPUS_FILES[source]
    if not path.exists():
        pytest.skip(f"{path} not in the corpus yet")
    text = path.read_text(encoding="utf-8")
    text = text.replace("\\", "").replace("**", "").replace("](#)", "").replace("[", "")
    missing = [(q.index, fact) for q in load_questions(QUESTIONS_FILE)
               if q.source == source for fact in q.fact if not contains(text, fact)]
    assert not missing, f"fact strings not found in {path.name}: {missing}"
