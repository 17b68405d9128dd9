"""Answer speed: warm `Engine.ask` (parse + search + compose) and a cold `cmsbot ask` process, on
the shipped corpus, or — with ``--questions`` a dev-set file — on its pages built as fetched.
Prints a table and JSON; asserts nothing.

    python bench/bench_answer.py [--rounds 20] [--cold 5] [--questions ../shared/devset/questions.yaml]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.engine import Engine  # noqa: E402
from bot.devset import build_corpus, docs_dir_for  # noqa: E402
from bot.evaluate import load_questions  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20, help="passes over the evaluation questions")
    parser.add_argument("--cold", type=int, default=5, help="cold `cmsbot ask` runs")
    parser.add_argument("--questions", type=Path, default=REPO / "tests" / "eval" / "questions.yaml",
                        help="questions to time; a dev-set file is asked on its pages built as fetched")
    args = parser.parse_args()

    loaded = load_questions(args.questions)
    questions = [q.q for q in loaded]
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index.npz"
        corpus = REPO / "corpus"
        if any(q.docs for q in loaded):
            corpus = build_corpus(docs_dir_for(args.questions), REPO / "corpus" / "meetings.yaml", Path(tmp) / "corpus")
        engine = Engine.open(corpus, index, notify=lambda m: None)
        for q in questions:  # warm caches once
            engine.ask(q)
        warm = []
        for _ in range(args.rounds):
            for q in questions:
                start = time.perf_counter()
                engine.ask(q)
                warm.append((time.perf_counter() - start) * 1000)

        command = [sys.executable, "-m", "bot.cli", "ask", "--corpus", str(corpus), "--index", str(index),
                   "When did COP14 open?"]
        cold = []
        for _ in range(args.cold):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, cwd=REPO)
            cold.append(time.perf_counter() - start)
        index.unlink()
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=REPO)
        cold_build = time.perf_counter() - start

    result = {
        "corpus": "shipped" if corpus == REPO / "corpus" else str(args.questions),
        "passages": len(engine.passages),
        "questions": len(questions),
        "warm_answers": len(warm),
        "warm_p50_ms": round(statistics.median(warm), 3),
        "warm_p95_ms": round(percentile(warm, 0.95), 3),
        "warm_max_ms": round(max(warm), 3),
        "cold_ask_saved_index_s_median": round(statistics.median(cold), 3),
        "cold_ask_saved_index_s_max": round(max(cold), 3),
        "cold_ask_building_index_s": round(cold_build, 3),
    }
    print(f"{'measure':<36}{'value':>12}")
    for key, value in result.items():
        print(f"{key:<36}{value:>12}")
    print(json.dumps(result))
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    name = "answer.json" if result["corpus"] == "shipped" else f"answer-{args.questions.stem}.json"
    (out / name).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
