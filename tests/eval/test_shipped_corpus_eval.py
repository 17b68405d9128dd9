"""The evaluation on the real engine over the shipped corpus: the CI quality gate."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluate import evaluate, format_report, load_questions

REPO = Path(__file__).resolve().parents[2]
QUESTIONS_FILE = Path(__file__).parent / "questions.yaml"
HELDOUT_FILE = Path(__file__).parent / "heldout.yaml"
HELDOUT2_FILE = Path(__file__).parent / "heldout2.yaml"


@pytest.mark.parametrize("questions", [QUESTIONS_FILE, HELDOUT_FILE, HELDOUT2_FILE],
                         ids=["questions", "heldout", "heldout2"])
def test_shipped_corpus_meets_eval_thresholds(tmp_path: Path, questions: Path) -> None:
    from bot.engine import Engine

    engine = Engine.open(REPO / "corpus", index_path=tmp_path / "index.npz")
    report = evaluate(load_questions(questions), engine.ask)
    print(format_report(report))
    assert report.thresholds_met(), "\n" + format_report(report)
    wrong = [r.question.q for r in report.answerable if r.direct_wrong]
    assert not wrong, f"wrong direct answers (worse than none): {wrong}"
