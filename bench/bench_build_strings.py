"""from_tokens with shared vs distinct string objects, forked vs serial build.

The index bench's token lists share one string object per word; an analyzer's output has a new
string per token, whose refcount and hash writes copy memory pages after the fork. Prints one
line per build; asserts nothing.

    python bench/bench_build_strings.py --passages 250000
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import bot.search.build as build  # noqa: E402
from bench_index import make_corpus, token_lists  # noqa: E402
from bot.search.index import BM25Index  # noqa: E402


def timed_build(docs: list[list[str]]) -> float:
    gc.collect()
    start = time.perf_counter()
    BM25Index.from_tokens(docs)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passages", type=int, default=250_000)
    args = parser.parse_args()
    flat, doc_len, terms = make_corpus(args.passages)
    shared = token_lists(flat, doc_len, terms)
    distinct = [[(w + "x")[:-1] for w in doc] for doc in shared]  # a new str object per token
    print(f"{args.passages:,} passages, {int(doc_len.sum()):,} tokens")
    for mode in ("forked", "serial"):
        if mode == "serial":
            build._PARALLEL_MIN_TOKENS = 1 << 62  # never fork
        for name, docs in (("shared", shared), ("distinct", distinct)):
            print(f"{mode:7s} {name:9s} {timed_build(docs):6.2f} s", flush=True)


if __name__ == "__main__":
    main()
