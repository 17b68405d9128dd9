"""The figures behind the found / not-found policy and the follow-up context, printed (asserts nothing).

    python bench/eval_calibration.py

1. For every question of the shared dev set and ``tests/eval/devset_own.yaml``, asked on the dev
   pages as fetched: the best passage's support (``Retriever.support``) — the figure
   ``bot/answer/policy.py``'s MIN_COVERAGE is set against — with whether the question is
   unanswerable (UN), answerable with its page among the first three (ok) or not (xx).
2. ``tests/eval/followups.yaml`` and ``followups2.yaml`` asked with the follow-up alone and in the conversation its first
   question leaves.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.answer.policy import MIN_COVERAGE, MIN_TYPED_COVERAGE  # noqa: E402
from bot.devset import build_corpus, docs_dir_for, shared_dir  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.evaluate import evaluate, load_questions  # noqa: E402
from bot.question.query import parse_question  # noqa: E402


def main() -> None:
    devset = shared_dir(REPO) / "devset" / "questions.yaml"
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.open(build_corpus(docs_dir_for(devset), REPO / "corpus" / "meetings.yaml", Path(tmp) / "c"),
                             None, notify=lambda _m: None)
        retriever = engine.retriever
        rows = []
        for path in (devset, REPO / "tests" / "eval" / "devset_own.yaml"):
            for q in load_questions(path):
                engine.retriever.new_question()
                query = retriever.expanded(parse_question(q.q, engine.meetings))
                ranked = engine._ranking(query, langs=(query.lang,))
                if not ranked or not query.content_terms:
                    continue
                label = "UN" if q.unanswerable else (
                    "ok" if any(p.source in q.docs for p, _ in ranked[:3]) else "xx")
                best = ranked[0][0]
                # the kind's rank: 1.0 when the passage states the kind of fact asked beside the question's words
                rank = query.kind.rank(best, query) if query.kind.rank is not None and query.kind.typed(query) else None
                rows.append((retriever.support(best, query.content_terms), label, rank, q.q))
        print(f"support of the best passage (policy threshold {MIN_COVERAGE}, {MIN_TYPED_COVERAGE} when the "
              f"kind's rank is full); below 0.75 shown:")
        for support, label, rank, text in sorted(rows, key=lambda r: (r[0], r[3])):
            if support < 0.75:
                print(f"  {support:.2f} {label} rank={'-' if rank is None else f'{rank:.1f}'} {text[:72]}")
        unanswerable = [s for s, label, _, _ in rows if label == "UN"]
        typed = [s for s, label, rank, _ in rows if label == "UN" and rank is not None and rank >= 1.0
                 and MIN_TYPED_COVERAGE <= s < MIN_COVERAGE]
        print(f"unanswerable: {len(unanswerable)}, highest support {max(unanswerable):.2f}; "
              f"between {MIN_TYPED_COVERAGE} and {MIN_COVERAGE} with a full rank: {len(typed)}")

        for file in ("followups.yaml", "followups2.yaml"):
            followups = load_questions(REPO / "tests" / "eval" / file)
            for name, questions in (("follow-up alone", [replace(q, first=None) for q in followups]),
                                    ("in its conversation", followups)):
                r = evaluate(questions, engine.ask)
                print(f"{file}, {name}: fact shown {r.fact_shown:.3f}, source@3 {r.source_at_3:.3f}, "
                      f"direct correct {r.direct_correct:.3f}, wrong {r.direct_wrong_count}")


if __name__ == "__main__":
    main()
