"""Analyzer speed: ``bot.search.analyzer.analyze`` over the shipped corpus's passages (their
searchable text: title, metadata and text, as the index gets them). Prints a table and JSON;
asserts nothing.

    python bench/bench_analyzer.py [--rounds 50]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.engine import searchable_text  # noqa: E402
from bot.ingest.corpus import load_corpus  # noqa: E402
from bot.cms.meetings import MeetingRegistry  # noqa: E402
from bot.search.analyzer import analyze  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=50, help="passes over the corpus's passages")
    args = parser.parse_args()

    corpus = REPO / "corpus"
    texts = [searchable_text(p) for p in load_corpus(corpus, MeetingRegistry.load(corpus / "meetings.yaml")).passages]
    words = sum(len(t.split()) for t in texts)
    tokens = sum(len(analyze(t)) for t in texts)  # also warms the stemmer
    per_round = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for text in texts:
            analyze(text)
        per_round.append(time.perf_counter() - start)
    median = statistics.median(per_round)
    result = {
        "passages": len(texts), "words": words, "tokens": tokens, "rounds": args.rounds,
        "us_per_passage": median / len(texts) * 1e6,
        "us_per_100_words": median / words * 100 * 1e6,
        "words_per_s": words / median,
    }
    print(f"{'measure':<22}{'value':>14}")
    for key, value in result.items():
        print(f"{key:<22}{value:>14,.1f}" if isinstance(value, float) else f"{key:<22}{value:>14,}")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
