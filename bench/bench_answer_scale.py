"""Answer speed at the scale of all of CMS: a generated corpus of ~6,000 documents / ~80,000 passages.

    python bench/bench_answer_scale.py [--documents 6000] [--questions 300] [--cold 3] [--workdir DIR]

1. Writes the corpus of ``bench/scale_corpus.py`` (recombined from the dev set's real pages, fixed
   seed) into a temp folder (or ``--workdir``, kept and reused by the next run).
2. Index build: ``Engine.build`` (load_corpus + analyze + BM25) and ``save``, timed; then the saved
   index loaded by ``Engine.open``, as a restarted bot does.
3. Warm ``Engine.ask`` p50/p95/p99/max over a few hundred questions (after ``bot.engine.settle()``,
   as the long-running frontends call it): the dev questions' texts (dev
   set, multilingual dev set, tests/eval) with their meetings and years varied. Two passes: "first"
   (each question new to the engine, after a warm-up on other variants) and "repeat".
4. Cold ``cmsbot ask`` (a whole ``python -m bot.cli ask`` process on the saved index, bytecode
   cached as in an installed cmsbot): wall time, CPU time (wall time on a loaded machine is mostly
   waiting for a CPU) and peak RSS, and, in this process, what opening costs (fingerprint, index load, passage
   table, Engine/Retriever construction, first answer).
5. A cProfile of warm answers to fresh variants, the time of every function attributed gprof-style
   to a stage by the module that runs it (``--profile-top`` lists the heaviest functions).

Prints tables and JSON (also ``bench/results/answer_scale.json``); asserts nothing. Targets (issue 11):
warm p50 ≤ 1 ms, p99 ≤ 10 ms, cold ask ≤ 0.5 s.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import yaml  # noqa: E402

from scale_corpus import generate, shared_dir  # noqa: E402

TARGETS = {"warm_p50_ms": 1.0, "warm_p99_ms": 10.0, "cold_ask_s": 0.5}
_COP = re.compile(r"\b(COP|CoP|cop)(\s?-?\s?)(\d{1,2})\b")
_YEAR = re.compile(r"\b(20[0-3]\d)\b")
_ORDINALS = ["", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
             "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth"]
_ORDINAL = re.compile(r"\b(" + "|".join(_ORDINALS[9:]) + r")\b")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def base_questions() -> list[str]:
    """Every question text of the dev sets and of tests/eval (deduplicated, in file order)."""
    shared = shared_dir()
    files = [shared / "devset" / "questions.yaml", shared / "devset" / "multilingual" / "questions.yaml",
             *sorted((REPO / "tests" / "eval").glob("*.yaml"))]
    texts: list[str] = []
    for path in files:
        if not path.exists():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            data = data.get("questions", [])
        for entry in data or []:
            if isinstance(entry, dict):
                text = entry.get("q") or entry.get("question")
                if isinstance(text, str) and text.strip():
                    texts.append(text.strip())
                follow = entry.get("followup") or entry.get("follow_up")
                if isinstance(follow, str) and follow.strip():
                    texts.append(follow.strip())
    return list(dict.fromkeys(texts))


def vary(question: str, rng: random.Random) -> str:
    """The question about another meeting and another year (kept as asked one time in four)."""
    if rng.random() < 0.25:
        return question
    meeting = rng.randint(9, 15)
    out = _COP.sub(lambda m: f"{m.group(1)}{m.group(2)}{meeting}", question)
    out = _ORDINAL.sub(_ORDINALS[meeting], out)
    shift = rng.randint(-4, 4)
    return _YEAR.sub(lambda m: str(int(m.group(1)) + shift), out)


def variants(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    bases = base_questions()
    out = []
    while len(out) < count:
        for q in rng.sample(bases, len(bases)):
            out.append(vary(q, rng))
            if len(out) >= count:
                break
    return out


# ---------------------------------------------------------------------- profile attribution

#: Stage of a function by its file (and for some, its name); other functions inherit their callers'.
def stage_of(key: tuple[str, int, str]) -> str | None:
    path, _line, name = key
    path = path.replace("\\", "/")
    if "/bot/" not in path:
        return None
    rel = path.split("/bot/", 1)[1]
    if rel in ("search/index.py", "search/build.py"):
        return "BM25 (index.py: top_k, get_scores, idf)"
    if rel == "search/retrieve.py":
        if name in ("expanded", "complete", "correct", "_deletions", "_vocabulary"):
            return "parsing (question, expansion, follow-up)"
        return "re-ranking (retrieve.py)"
    if rel == "answer/policy.py":
        return "policy (answer/policy.py)"
    if rel == "answer/compose.py":
        return "quotes (answer/compose.py)"
    if rel in ("answer/extract.py", "answer/sentences.py"):
        return "extraction (answer/extract.py, sentences.py)"
    if rel in ("question/query.py", "question/context.py"):
        if name == "describe":
            return "answer text (looked for, notes)"
        return "parsing (question, expansion, follow-up)"
    if rel == "engine.py":
        if name == "_ranking":
            return "ranking setup (Engine._ranking: masks)"
        if name in ("_meeting_row",):
            return "extraction (answer/extract.py, sentences.py)"
        if name in ("coverage_note", "_not_found", "_not_found_note", "_before_search", "_language_note", "_stats", "stats"):
            return "answer text (looked for, notes)"
        return "engine (ask, _answer)"
    return None


def attribute(stats: pstats.Stats, root_name: str = "ask") -> tuple[dict[str, float], float, list[tuple[float, str, str]]]:
    """Each function's own time shared out to stages: a function of a staged module is its stage;
    any other (analyzer, regexes, numpy, builtins) inherits its callers' stages in proportion to
    the time spent under each caller (gprof's assumption). Only what runs under ``Engine.ask``."""
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    roots = [k for k in table if k[2] == root_name and k[0].replace("\\", "/").endswith("bot/engine.py")]
    memo: dict[Any, dict[str, float] | None] = {}
    by_file: dict[str, list[Any]] = {}
    for k in table:
        if not k[2].startswith("<"):
            by_file.setdefault(k[0], []).append(k)

    def enclosing(key: Any) -> Any | None:
        """The function a comprehension, generator expression or lambda is written in: its callers
        are often hubs such as ``any`` or ``sorted``, which every stage calls."""
        if not key[2].startswith("<") or key[0] == "~":
            return None
        before = [k for k in by_file.get(key[0], ()) if k[1] <= key[1]]
        return max(before, key=lambda k: k[1]) if before else None

    def dist(key: Any, depth: int = 0) -> dict[str, float] | None:
        if key in memo:
            return memo[key]
        outer = enclosing(key)
        if outer is not None and outer != key and depth < 200:
            memo[key] = None
            memo[key] = dist(outer, depth + 1)
            return memo[key]
        if key in roots:
            memo[key] = {"engine (ask, _answer)": 1.0}
            return memo[key]
        own = stage_of(key)
        memo[key] = None  # cycle guard
        callers = table[key][4]
        mixed: dict[str, float] = {}
        weight = 0.0
        for caller, edge in callers.items():
            if caller not in table or depth > 200:
                continue
            d = dist(caller, depth + 1)
            if d is None:
                continue
            w = edge[3] or edge[2] or 1e-9
            weight += w
            for stage, share in d.items():
                mixed[stage] = mixed.get(stage, 0.0) + share * w
        if weight == 0.0:
            memo[key] = None  # not under Engine.ask
            return None
        memo[key] = {own: 1.0} if own is not None else {s: v / weight for s, v in mixed.items()}
        return memo[key]

    totals: dict[str, float] = {}
    heavy: list[tuple[float, str, str]] = []
    for key, (_cc, _nc, tt, _ct, _callers) in table.items():
        d = dist(key)
        if d is None:
            continue
        for stage, share in d.items():
            totals[stage] = totals.get(stage, 0.0) + tt * share
        where = f"{Path(key[0]).name}:{key[1]}({key[2]})" if key[0] != "~" else key[2]
        heavy.append((tt, where, max(d, key=d.get)))
    root_ct = sum(table[k][3] for k in roots)
    heavy.sort(reverse=True)
    return totals, root_ct, heavy


def cumulative(stats: pstats.Stats, names: list[tuple[str, str]]) -> list[tuple[str, float, int]]:
    """Inclusive time and calls of chosen functions (file suffix, name)."""
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    out = []
    for suffix, name in names:
        ct = sum(v[3] for k, v in table.items() if k[2] == name and k[0].replace("\\", "/").endswith(suffix))
        nc = sum(v[1] for k, v in table.items() if k[2] == name and k[0].replace("\\", "/").endswith(suffix))
        out.append((f"{suffix.rsplit('/', 1)[-1]}:{name}", ct, nc))
    return out


# ---------------------------------------------------------------------- cold

#: The process's own peak RSS: VmHWM of its memory map. ``getrusage`` (in the child, or ``wait4`` in
#: the parent) is no good here: Linux folds the high-water mark of the memory map a child was
#: vforked from, this bench's, into the child's ``ru_maxrss`` at exec.
_PEAK = "int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])"
#: ``python -m bot.cli`` that writes its own peak RSS last.
_COLD = r"""
import runpy, sys
sys.argv = ["cmsbot", *sys.argv[1:]]
code = 0
try:
    runpy.run_module("bot.cli", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
sys.stdout.flush()
print(f"PEAK_RSS_KB {__PEAK__}", file=sys.stderr)
sys.exit(code)
""".replace("__PEAK__", _PEAK)


#: The cold process runs as an installed cmsbot does: with its modules' bytecode cached (pip compiles
#: it on install; PYTHONDONTWRITEBYTECODE, set in some shells, would make every start compile ~100
#: modules from source). One untimed run first writes the cache.
_COLD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def cold_ask(corpus: Path, index: Path, data_dir: Path, question: str) -> tuple[float, float, int, float]:
    """(wall seconds, peak RSS MB, exit code, CPU seconds) of one ``python -m bot.cli ask`` process."""
    command = [sys.executable, "-c", _COLD, "ask", "--corpus", str(corpus), "--index", str(index),
               "--data-dir", str(data_dir), question]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_COLD_ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = re.search(r"PEAK_RSS_KB (\d+)", proc.stderr)
    if proc.returncode != 0:
        print(f"cold ask failed ({proc.returncode}): {proc.stderr[-500:]}", file=sys.stderr)
    return wall, int(peak.group(1)) / 1024 if peak else float("nan"), proc.returncode, cpu


def open_breakdown(corpus: Path, index: Path) -> dict[str, float]:
    """What ``Engine.open`` on the saved index and the first answer cost, step by step (in a child
    process, so nothing is imported or cached yet)."""
    code = r"""
import json, sys, time
t0 = time.perf_counter()
from bot.engine import Engine, _Stored
from bot.cms.meetings import MeetingRegistry
from bot.ingest.walk import CorpusState, corpus_state
from bot.search.index import BM25Index
from pathlib import Path
t1 = time.perf_counter()
corpus, index = Path(sys.argv[1]), Path(sys.argv[2])
meetings = MeetingRegistry.load(corpus / "meetings.yaml")
t2 = time.perf_counter()
idx = BM25Index.load(index)
t3 = time.perf_counter()
fp = corpus_state(corpus, known=CorpusState.from_arrays(idx.extra)).digest
t4 = time.perf_counter()
stored = Engine._check_meta(idx, fp)
t5 = time.perf_counter()
engine = Engine(corpus, meetings, idx, stored, index)
t6 = time.perf_counter()
engine.ask("When did COP14 open?")
t7 = time.perf_counter()
engine.ask("Which species were added to the appendices at COP13?")
t8 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "meetings_s": t2 - t1, "index_load_s": t3 - t2, "fingerprint_s": t4 - t3,
                  "passage_table_s": t5 - t4, "engine_init_s": t6 - t5, "first_ask_s": t7 - t6,
                  "second_ask_s": t8 - t7, "peak_rss_mb": __PEAK__ / 1024}))
"""
    code = code.replace("__PEAK__", _PEAK)
    out = subprocess.run([sys.executable, "-c", code, str(corpus), str(index)], cwd=REPO, capture_output=True,
                         text=True, check=True, env=_COLD_ENV)
    return {k: round(v, 3) for k, v in json.loads(out.stdout.strip().splitlines()[-1]).items()}


# ---------------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=6000, help="generated documents (default 6000)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--questions", type=int, default=300, help="varied questions per pass")
    parser.add_argument("--cold", type=int, default=3, help="cold `cmsbot ask` processes")
    parser.add_argument("--profile-questions", type=int, default=300, help="fresh variants answered under cProfile")
    parser.add_argument("--profile-top", type=int, default=15, help="heaviest functions listed")
    parser.add_argument("--workdir", type=Path, help="keep corpus and index here and reuse them (default: a temp folder)")
    args = parser.parse_args()

    from bot.engine import Engine
    from bot.ingest.walk import corpus_state

    tmp = None
    if args.workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="cmsbot-scale-")
        work = Path(tmp.name)
    else:
        work = args.workdir
        work.mkdir(parents=True, exist_ok=True)
    corpus, index, data_dir = work / "corpus", work / f"index-{args.documents}-{args.seed}.npz", work / "state"
    stamp = work / "corpus.json"
    result: dict[str, Any] = {"documents_asked": args.documents, "seed": args.seed, "cpus": os.cpu_count(),
                              "load_average_before": round(os.getloadavg()[0], 2)}
    try:
        made = json.loads(stamp.read_text()) if stamp.exists() else None
        if made is None or made.get("documents") != args.documents or made.get("seed") != args.seed:
            if corpus.exists():
                import shutil
                shutil.rmtree(corpus)
            start = time.perf_counter()
            kinds = generate(corpus, args.documents, args.seed)
            result["generate_s"] = round(time.perf_counter() - start, 2)
            stamp.write_text(json.dumps({"documents": args.documents, "seed": args.seed, "kinds": kinds}))
            for old in work.glob("index-*.npz"):
                old.unlink()
        result["generated"] = json.loads(stamp.read_text())["kinds"]
        result["corpus_mb"] = round(sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file()) / 1e6, 1)
        print(f"corpus: {corpus} ({result['corpus_mb']} MB) {result['generated']}", flush=True)

        if not index.exists():
            print("building the index (load_corpus + analyze + BM25) …", flush=True)
            start = time.perf_counter()
            state = corpus_state(corpus)
            built = Engine.build(corpus)
            result["index_build_s"] = round(time.perf_counter() - start, 2)
            start = time.perf_counter()
            built.save(index, state)
            result["index_save_s"] = round(time.perf_counter() - start, 2)
            skipped = [p for p in built.problems if p.skipped]
            result["skipped_files"] = len(skipped)
            del built
            gc.collect()
        else:
            result["index_build_s"] = "reused (--workdir)"
        result["index_mb"] = round(index.stat().st_size / 1e6, 1)
        start = time.perf_counter()
        engine = Engine.open(corpus, index, notify=lambda m: print(m, file=sys.stderr))
        result["engine_open_s"] = round(time.perf_counter() - start, 2)
        held = getattr(engine.passages, "facts", None)  # bot/search/facts.py: stale after a code change
        result["passage_facts"] = "in use" if held is not None and held.usable() else \
            "stale (computed by other code: delete the index to rebuild it)" if held is not None else "none"
        from bot.engine import settle
        settle()  # as the long-running frontends (serve, web, chat) do once their engine is open
        stats = engine.stats()
        result["indexed_documents"] = stats.documents
        result["passages"] = stats.passages
        result["terms"] = len(engine.index.terms)
        result["passages_by_kind"] = stats.passages_by_kind
        print(f"index: {stats.documents} documents, {stats.passages} passages, {result['terms']} terms; "
              f"build {result['index_build_s']} s, open {result['engine_open_s']} s", flush=True)

        # ------------------------------------------------ warm
        warmup = variants(60, args.seed + 1)
        measured = variants(args.questions, args.seed + 2)
        from bot.text.lang import preload
        start = time.perf_counter()
        preload()  # the language detector loads lazily on the first question it is needed for
        result["language_model_load_s"] = round(time.perf_counter() - start, 3)
        for q in warmup:
            engine.ask(q)
        passes: dict[str, list[float]] = {"first": [], "repeat": [], "first_cpu": [], "repeat_cpu": []}
        found = 0
        for name in ("first", "repeat"):
            for q in measured:
                cpu, start = time.thread_time(), time.perf_counter()
                answer = engine.ask(q)
                passes[name].append((time.perf_counter() - start) * 1000)
                passes[name + "_cpu"].append((time.thread_time() - cpu) * 1000)
                found += name == "first" and answer.found
        for name, times in passes.items():
            result[f"warm_{name}_p50_ms"] = round(statistics.median(times), 3)
            result[f"warm_{name}_p95_ms"] = round(percentile(times, 0.95), 3)
            result[f"warm_{name}_p99_ms"] = round(percentile(times, 0.99), 3)
            result[f"warm_{name}_max_ms"] = round(max(times), 3)
        result["warm_questions"] = len(measured)
        result["warm_found"] = found
        slow = sorted(zip(passes["first"], measured), reverse=True)[:5]
        result["slowest_first"] = [(round(ms, 1), q) for ms, q in slow]
        print(f"warm: {len(measured)} questions ({found} found); first pass p50 {result['warm_first_p50_ms']} ms, "
              f"p95 {result['warm_first_p95_ms']}, p99 {result['warm_first_p99_ms']}", flush=True)

        # ------------------------------------------------ profile
        fresh = variants(args.profile_questions, args.seed + 3)
        profiler = cProfile.Profile()
        profiler.enable()
        for q in fresh:
            engine.ask(q)
        profiler.disable()
        pstat = pstats.Stats(profiler)
        totals, root_ct, heavy = attribute(pstat)
        result["profile_questions"] = len(fresh)
        result["profile_total_s"] = round(root_ct, 3)
        result["profile_shares"] = {s: round(t / root_ct, 3) for s, t in sorted(totals.items(), key=lambda st: -st[1])}
        result["profile_heaviest"] = [(round(tt, 3), where, stage) for tt, where, stage in heavy[: args.profile_top]]
        result["profile_inclusive"] = [(n, round(ct, 3), nc) for n, ct, nc in cumulative(pstat, [
            ("bot/engine.py", "ask"), ("question/context.py", "resolve"), ("search/retrieve.py", "expanded"),
            ("bot/engine.py", "_ranking"), ("search/retrieve.py", "rank"), ("search/index.py", "top_k"),
            ("search/index.py", "get_scores"), ("search/retrieve.py", "with_exact"), ("search/retrieve.py", "mask"),
            ("search/retrieve.py", "support"), ("search/retrieve.py", "tokens_of"), ("search/retrieve.py", "preference"),
            ("answer/policy.py", "refusal"), ("answer/compose.py", "cite"), ("answer/extract.py", "direct_answer"),
            ("bot/engine.py", "coverage_note"), ("question/query.py", "describe"), ("question/query.py", "parse_question"),
        ])]
        del engine
        gc.collect()

        # ------------------------------------------------ cold
        cold_questions = ["When did COP14 open?", "Who is the Executive Secretary of CMS?",
                          "Which species were added to the appendices at COP13?"]
        cold_ask(corpus, index, data_dir, cold_questions[0])  # writes the bytecode cache (see _COLD_ENV)
        runs = [cold_ask(corpus, index, data_dir, cold_questions[i % len(cold_questions)]) for i in range(args.cold)]
        result["cold_ask_s"] = [round(w, 3) for w, _, _, _ in runs]
        result["cold_ask_s_median"] = round(statistics.median(w for w, _, _, _ in runs), 3)
        result["cold_ask_cpu_s"] = [round(c, 3) for _, _, _, c in runs]
        result["cold_ask_peak_rss_mb"] = round(max(r for _, r, _, _ in runs), 1)
        result["cold_ask_exit_codes"] = sorted({c for _, _, c, _ in runs})
        result["cold_open_breakdown"] = open_breakdown(corpus, index)
        result["load_average_after"] = round(os.getloadavg()[0], 2)
        result["bench_peak_rss_mb"] = round(eval(_PEAK) / 1024, 1)
    finally:
        if tmp is not None:
            tmp.cleanup()

    report(result)
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "answer_scale.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))


def report(r: dict[str, Any]) -> None:
    def target(key: str, value: float) -> str:
        return f"  (target ≤ {TARGETS[key]})" if key in TARGETS else ""

    print()
    print(f"corpus      {r['indexed_documents']} documents, {r['passages']} passages, {r['terms']} terms, "
          f"{r['corpus_mb']} MB; index file {r['index_mb']} MB")
    print(f"machine     {r['cpus']} CPUs, load average {r['load_average_before']} before, {r['load_average_after']} after")
    print(f"build       {r['index_build_s']} s (Engine.build: load_corpus + analyze + BM25), save {r.get('index_save_s', '-')} s, "
          f"open saved {r['engine_open_s']} s")
    print(f"passage facts (bot/search/facts.py): {r['passage_facts']}")
    print(f"language detector loaded before the warm pass: {r['language_model_load_s']} s "
          "(paid by the first question that needs it; a cold `cmsbot ask` in French pays it too)")
    print(f"{'warm Engine.ask':<22}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for name in ("first", "repeat", "first_cpu", "repeat_cpu"):
        print(f"  {name.replace('_cpu', ' (CPU time)') + ' pass':<20}" + "".join(f"{r[f'warm_{name}_{p}_ms']:>9}" for p in ("p50", "p95", "p99", "max")))
    print(f"  targets: p50 ≤ {TARGETS['warm_p50_ms']} ms, p99 ≤ {TARGETS['warm_p99_ms']} ms; "
          f"{r['warm_questions']} questions, {r['warm_found']} found")
    print("  slowest (first pass): " + "; ".join(f"{ms} ms {q!r}" for ms, q in r["slowest_first"][:3]))
    print(f"cold ask    {r['cold_ask_s']} s (median {r['cold_ask_s_median']}{target('cold_ask_s', 0)}), "
          f"CPU {r['cold_ask_cpu_s']} s, peak RSS {r['cold_ask_peak_rss_mb']} MB, exit {r['cold_ask_exit_codes']}")
    print("  open, step by step (s): " + ", ".join(f"{k.removesuffix('_s')} {v}" for k, v in r["cold_open_breakdown"].items()))
    print(f"profile     {r['profile_questions']} fresh questions, {r['profile_total_s']} s under cProfile "
          f"(cProfile inflates Python-call-heavy code)")
    for stage, share in r["profile_shares"].items():
        print(f"  {share * 100:5.1f} %  {stage}")
    print("  inclusive (s, calls): " + "; ".join(f"{n} {ct} ({nc})" for n, ct, nc in r["profile_inclusive"]))
    print("  heaviest own time:")
    for tt, where, stage in r["profile_heaviest"]:
        print(f"    {tt:7.3f} s  {where}  [{stage}]")
    print(json.dumps(r, ensure_ascii=False))


if __name__ == "__main__":
    main()
