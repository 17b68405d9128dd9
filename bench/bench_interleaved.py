"""Two checkouts' answer speed at CMS scale, measured in turns (a shared VM's load moves between runs).

    python bench/bench_interleaved.py BEFORE_DIR:BEFORE_WORKDIR AFTER_DIR:AFTER_WORKDIR [--rounds 3] [--cold 6]

Each DIR is a checkout of cmsbot, each WORKDIR a ``bench_answer_scale.py --workdir`` it has already
filled (corpus and saved index, built by that checkout). For ``--rounds`` rounds, in turn: a fresh
process of each checkout opens its index and answers ``bench_answer_scale``'s questions (60 warm-up
questions, then 300 first-seen, then the same 300 again: CPU time of each ``Engine.ask``), and
``--cold`` whole ``cmsbot ask`` processes of each, alternating. Prints each round's figures and the
medians over rounds; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_answer_scale import _COLD_ENV, cold_ask  # noqa: E402

_WARM = r"""
import json, statistics, sys, time
sys.path.insert(0, "bench")
from pathlib import Path
from bench_answer_scale import percentile, variants
from bot.engine import Engine, settle
from bot.text.lang import preload
work = Path(sys.argv[1])
engine = Engine.open(work / "corpus", next(work.glob("index-*.npz")))
settle()
preload()
for q in variants(60, 12):
    engine.ask(q)
out = {}
qs = variants(300, 13)
for name in ("first", "repeat"):
    times = []
    for q in qs:
        t = time.thread_time()
        engine.ask(q)
        times.append((time.thread_time() - t) * 1000)
    out[name] = [round(statistics.median(times), 2),
                 round(percentile(times, 0.95), 2), round(percentile(times, 0.99), 2), round(max(times), 1)]
held = getattr(engine.passages, "facts", None)
out["facts"] = held is not None and held.usable()
print(json.dumps(out))
"""


def warm(checkout: Path, work: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", _WARM, str(work)], cwd=checkout, capture_output=True, text=True,
                          env=_COLD_ENV, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs=2, help="CHECKOUT:WORKDIR, before then after")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cold", type=int, default=6)
    args = parser.parse_args()
    trees = [tuple(Path(x) for x in t.split(":", 1)) for t in args.trees]
    names = ("before", "after")
    warms: dict[str, list[dict]] = {n: [] for n in names}
    colds: dict[str, list[tuple[float, float]]] = {n: [] for n in names}
    for r in range(args.rounds):
        for name, (checkout, work) in zip(names, trees):
            w = warm(checkout, work)
            warms[name].append(w)
            print(f"round {r + 1} {name:6} warm CPU ms first p50/p95/p99/max {w['first']}, repeat {w['repeat']}, "
                  f"facts in use: {w['facts']}", flush=True)
        for _ in range(args.cold):
            for name, (checkout, work) in zip(names, trees):
                index = next(work.glob("index-*.npz"))
                wall, _rss, _code, cpu = _cold_in(checkout, work, index)
                colds[name].append((wall, cpu))
    print()
    for name in names:
        first = [statistics.median(w["first"][k] for w in warms[name]) for k in range(4)]
        repeat = [statistics.median(w["repeat"][k] for w in warms[name]) for k in range(4)]
        walls = sorted(c[0] for c in colds[name])
        cpus = sorted(c[1] for c in colds[name])
        print(f"{name:6} medians over {args.rounds} rounds: first p50/p95/p99/max {first} ms, repeat {repeat} ms; "
              f"cold ask ({len(walls)} runs) wall median {statistics.median(walls):.3f} s (min {walls[0]:.3f}), "
              f"CPU median {statistics.median(cpus):.3f} s (min {cpus[0]:.3f})")


def _cold_in(checkout: Path, work: Path, index: Path) -> tuple[float, float, int, float]:
    """``bench_answer_scale.cold_ask`` run from ``checkout`` (its REPO is this file's checkout)."""
    import bench_answer_scale as scale

    saved = scale.REPO
    scale.REPO = checkout
    try:
        return cold_ask(work / "corpus", index, work / "state", "When did COP14 open?")
    finally:
        scale.REPO = saved


if __name__ == "__main__":
    main()
