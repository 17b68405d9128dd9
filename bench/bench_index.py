"""Benchmark bot.search.index.BM25Index against rank_bm25 (reference) and bm25s (speed reference).

Synthetic Zipf corpus (s=1.0 over a 50k-word vocabulary, 40-120 tokens per passage); queries
are 3-8 tokens drawn from random passages, so they are stopword-heavy. Query time is
``top_k(query, 10)`` end to end. Prints a table and JSON (also bench/results/index.json).
Never asserts on time.

    python bench/bench_index.py --sizes 10000,100000,1000000 --queries 200
"""

from __future__ import annotations

import argparse
import statistics
import gc
import json
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.search.index import BM25Index  # noqa: E402  (direct import: works while the analyzer is in flux)

VOCAB = 50_000
RANK_BM25_MAX = 100_000
PARITY_MAX = 100_000


def make_corpus(n_docs: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Flat Zipf token ids, passage lengths and the vocabulary strings."""
    rng = np.random.default_rng(seed)
    doc_len = rng.integers(40, 121, n_docs)
    cdf = np.cumsum(1.0 / np.arange(1, VOCAB + 1))
    cdf /= cdf[-1]
    flat = np.searchsorted(cdf, rng.random(int(doc_len.sum()))).astype(np.int32)
    terms = [f"w{i:05d}" for i in range(VOCAB)]
    return flat, doc_len, terms


def token_lists(flat: np.ndarray, doc_len: np.ndarray, terms: list[str]) -> list[list[str]]:
    words = np.array(terms, dtype=object)[flat].tolist()
    bounds = np.concatenate([[0], np.cumsum(doc_len)]).tolist()
    return [words[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def make_queries(docs: list[list[str]], n: int, seed: int = 1) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        d = docs[int(rng.integers(len(docs)))]
        out.append([d[i] for i in rng.integers(0, len(d), int(rng.integers(3, 9)))])
    return out


def pct(times: list[float]) -> dict[str, float]:
    ms = np.array(times) * 1e3
    return {"p50_ms": float(np.percentile(ms, 50)), "p95_ms": float(np.percentile(ms, 95)),
            "mean_ms": float(ms.mean())}


def timed(fn, *args):
    t = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t


def traced(fn, *args) -> tuple[Any, int, int]:
    """Run fn under tracemalloc: (result, bytes still held from it, peak bytes during it)."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    out = fn(*args)
    gc.collect()
    cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return out, cur - base, peak - base


def query_times(fn, queries: list[list[str]], repeat: int = 1) -> list[float]:
    times = []
    for q in queries:
        best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            fn(q)
            best = min(best, time.perf_counter() - t)
        times.append(best)
    return times


def reference_top(scores: np.ndarray, touched: np.ndarray, k: int) -> list[int]:
    cand = np.flatnonzero(touched)
    order = np.lexsort((cand, -scores[cand]))[:k]
    return cand[order].tolist()


def bench_ours(n: int, flat, doc_len, terms, docs, queries, workdir: Path,
               build_repeats: int = 1) -> tuple[BM25Index, dict[str, Any]]:
    r: dict[str, Any] = {}
    builds = []
    for _ in range(build_repeats):  # the first build in a fresh process pays page faults; report the median
        gc.collect()
        idx, seconds = timed(BM25Index.from_tokens, docs)
        builds.append(seconds)
        del idx
    r["build_from_tokens_s"] = statistics.median(builds)
    r["build_from_tokens_all_s"] = builds
    gc.collect()
    idx, r["build_from_token_ids_s"] = timed(BM25Index.from_token_ids, flat, doc_len, terms)
    _, r["build_retained_mb"], r["build_peak_mb"] = traced(BM25Index.from_token_ids, flat, doc_len, terms)
    path = workdir / f"bm25_{n}.npz"
    _, r["save_s"] = timed(idx.save, path, {"bench": True})
    r["file_mb"] = path.stat().st_size / 1e6
    loads = []
    for _ in range(3):
        gc.collect()
        loaded, t = timed(BM25Index.load, path)
        loads.append(t)
        del loaded
    r["load_s"] = min(loads)
    loaded, r["load_retained_mb"], r["load_peak_mb"] = traced(BM25Index.load, path)
    del loaded
    path.unlink()
    r["index_array_mb"] = idx.nbytes() / 1e6
    r["dense_terms"] = int(np.count_nonzero(idx._dense_row >= 0))
    for key in ("build_retained_mb", "build_peak_mb", "load_retained_mb", "load_peak_mb"):
        r[key] /= 1e6
    for q in queries[:20]:
        idx.top_k(q, 10)  # warm up
    r["query"] = pct(query_times(lambda q: idx.top_k(q, 10), queries))
    lo, hi = int(0.3 * n), int(0.55 * n)
    meeting = np.zeros(n, dtype=bool)
    meeting[lo:hi] = True  # a contiguous block, like one meeting's passages
    r["query_filtered_25pct"] = pct(query_times(lambda q: idx.top_k(q, 10, meeting), queries))
    sparse = np.zeros(n, dtype=bool)
    sparse[lo : lo + max(1, n // 100)] = True
    r["query_filtered_1pct"] = pct(query_times(lambda q: idx.top_k(q, 10, sparse), queries))
    return idx, r


def bench_rank_bm25(docs, queries, idx: BM25Index | None) -> dict[str, Any]:
    from rank_bm25 import BM25Okapi

    r: dict[str, Any] = {}
    ref, r["build_s"] = timed(BM25Okapi, docs)
    times, same_scores, same_top = [], 0, 0
    for q in queries:
        t = time.perf_counter()
        scores = ref.get_scores(q)
        np.argsort(scores)[::-1][:10]  # what BM25Okapi.get_top_n does
        times.append(time.perf_counter() - t)
        if idx is not None:
            same_scores += bool(np.array_equal(idx.get_scores(q), scores))
            qs = set(q)
            touched = np.fromiter((not qs.isdisjoint(d) for d in ref.doc_freqs), dtype=bool, count=len(docs))
            same_top += [i for i, _ in idx.top_k(q, 10)] == reference_top(scores, touched, 10)
    r["query"] = pct(times)
    if idx is not None:
        r["parity"] = {"queries": len(queries), "bit_identical_scores": same_scores, "identical_top10": same_top}
    return r


def bench_bm25s(docs, queries) -> dict[str, Any]:
    import bm25s

    r: dict[str, Any] = {"method": "robertson"}
    retriever = bm25s.BM25(method="robertson", k1=1.5, b=0.75)
    _, r["build_s"] = timed(lambda: retriever.index(docs, show_progress=False))
    for q in queries[:10]:
        retriever.retrieve([q], k=10, show_progress=False)
    r["query"] = pct(query_times(lambda q: retriever.retrieve([q], k=10, show_progress=False), queries))
    return r


def run_size(n: int, n_queries: int, workdir: Path, build_repeats: int = 1) -> dict[str, Any]:
    print(f"\n== {n:,} passages", flush=True)
    (flat, doc_len, terms), t_gen = timed(make_corpus, n)
    docs = token_lists(flat, doc_len, terms)
    queries = make_queries(docs, n_queries)
    out: dict[str, Any] = {"passages": n, "tokens": int(doc_len.sum()), "queries": n_queries,
                           "corpus_gen_s": t_gen}
    idx, out["ours"] = bench_ours(n, flat, doc_len, terms, docs, queries, workdir, build_repeats)
    out["postings"] = idx.n_postings
    print(json.dumps(out["ours"]), flush=True)
    if n <= RANK_BM25_MAX:
        out["rank_bm25"] = bench_rank_bm25(docs, queries, idx if n <= PARITY_MAX else None)
        print(json.dumps(out["rank_bm25"]), flush=True)
    del idx
    gc.collect()
    try:
        out["bm25s"] = bench_bm25s(docs, queries)
        print(json.dumps(out["bm25s"]), flush=True)
    except ImportError:
        out["bm25s"] = None
    out["max_rss_mb_so_far"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def table(results: list[dict[str, Any]]) -> str:
    rows = [("passages", "impl", "build s", "p50 ms", "p95 ms", "filt25 p50", "filt1 p50", "retained MB",
             "peak MB", "save s", "load s", "parity")]
    for r in results:
        o = r["ours"]
        par = r.get("rank_bm25", {}).get("parity")
        ptxt = f"{par['bit_identical_scores']}/{par['queries']} scores, {par['identical_top10']} top10" if par else "-"
        rows.append((f"{r['passages']:,}", "BM25Index",
                     f"{o['build_from_tokens_s']:.2f} ({o['build_from_token_ids_s']:.2f} ids)",
                     f"{o['query']['p50_ms']:.3f}", f"{o['query']['p95_ms']:.3f}",
                     f"{o['query_filtered_25pct']['p50_ms']:.3f}", f"{o['query_filtered_1pct']['p50_ms']:.3f}",
                     f"{o['load_retained_mb']:.0f} (build {o['build_retained_mb']:.0f})",
                     f"{o['build_peak_mb']:.0f}", f"{o['save_s']:.2f}", f"{o['load_s']:.3f}", ptxt))
        for name in ("rank_bm25", "bm25s"):
            x = r.get(name)
            if x:
                label = name if name == "rank_bm25" else f"bm25s ({x['method']})"
                rows.append((f"{r['passages']:,}", label, f"{x['build_s']:.2f}", f"{x['query']['p50_ms']:.3f}",
                             f"{x['query']['p95_ms']:.3f}", "-", "-", "-", "-", "-", "-", "-"))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--build-repeats", type=int, default=1, help="from_tokens builds per size; the median is reported")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "results" / "index.json"))
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            results.append(run_size(n, args.queries, Path(tmp), args.build_repeats))
    report = {"machine": {"python": platform.python_version(), "numpy": np.__version__,
                          "processor": platform.processor() or platform.machine()},
              "memory_note": "retained/peak MB = tracemalloc (numpy buffers + Python objects) over a build "
                             "from token ids and over a load from disk; max_rss is the whole process",
              "results": results}
    print()
    print(table(results))
    print()
    print(json.dumps(report, indent=2))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
