"""Every answer's every field, written down, to check that a speed change leaves answers as they were.

    python bench/answer_digest.py --out before.jsonl [--workdir DIR] [--documents 6000] [--questions 400]
    python bench/answer_digest.py --out after.jsonl  [same options]
    python bench/answer_digest.py --compare before.jsonl after.jsonl

Answers varied questions (``bench_answer_scale.variants``: the dev sets' and tests/eval questions
with their meetings and years changed) on the generated corpus of ``bench/bench_answer_scale.py``
(the same ``--workdir``, corpus and saved index; the index is built if missing or outdated), each
question alone and, one in four, as a follow-up to the question before it (the first answer's
context passed on). One JSON line per answer: found, direct answer, looked-for text, note, language,
context note, and for every citation (shown and "more") its passage id, quote, score (repr) and
highlights. Also runs ``cmsbot eval FILE --json`` on every question file (dev set, multilingual dev
set, tests/eval/*.yaml) and stores the outputs verbatim in the same file. ``--compare`` prints the
differences (none expected) and exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_answer_scale import variants  # noqa: E402
from scale_corpus import generate, shared_dir  # noqa: E402


def eval_files() -> list[Path]:
    shared = shared_dir()
    return [shared / "devset" / "questions.yaml", shared / "devset" / "multilingual" / "questions.yaml",
            *sorted((REPO / "tests" / "eval").glob("*.yaml"))]


def citation(c: Any) -> dict[str, Any]:
    return {"passage": c.passage.id, "quote": c.quote, "score": repr(c.score), "highlights": list(map(list, c.highlights))}


def record(question: str, answer: Any, follow: bool) -> dict[str, Any]:
    return {"q": question, "follow": follow, "found": answer.found, "answer": answer.answer,
            "looked_for": answer.looked_for, "note": answer.note, "lang": answer.lang,
            "context_note": answer.context_note, "citations": [citation(c) for c in answer.citations],
            "more": [citation(c) for c in answer.more]}


def run_evals() -> dict[str, str]:
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="cmsbot-digest-") as state:
        for path in eval_files():
            if not path.exists():
                continue
            proc = subprocess.run([sys.executable, "-m", "bot.cli", "eval", str(path), "--json", "--data-dir", state],
                                  cwd=REPO, capture_output=True, text=True)
            out[str(path.relative_to(path.parents[1]))] = f"exit {proc.returncode}\n{proc.stdout}"
    return out


def dump(args: argparse.Namespace) -> None:
    from bot.engine import Engine
    from bot.ingest.walk import corpus_state

    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    corpus, index = work / "corpus", work / f"index-{args.documents}-{args.seed}.npz"
    stamp = work / "corpus.json"
    made = json.loads(stamp.read_text()) if stamp.exists() else None
    if made is None or made.get("documents") != args.documents or made.get("seed") != args.seed:
        import shutil
        if corpus.exists():
            shutil.rmtree(corpus)
        kinds = generate(corpus, args.documents, args.seed)
        stamp.write_text(json.dumps({"documents": args.documents, "seed": args.seed, "kinds": kinds}))
        for old in work.glob("index-*.npz"):
            old.unlink()
    start = time.perf_counter()
    if not index.exists():
        state = corpus_state(corpus)
        Engine.build(corpus).save(index, state)
    engine = Engine.open(corpus, index, notify=lambda m: print(m, file=sys.stderr))
    print(f"engine ready in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    lines: list[dict[str, Any]] = []
    previous = None
    for i, q in enumerate(variants(args.questions, args.seed + 5)):
        answer = engine.ask(q)
        lines.append(record(q, answer, False))
        if previous is not None and i % 4 == 3:
            lines.append(record(q, engine.ask(q, context=previous.context), True))
        previous = answer
    evals = {} if args.no_eval else run_evals()
    with open(args.out, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
        for name, text in evals.items():
            f.write(json.dumps({"eval": name, "output": text}, ensure_ascii=False) + "\n")
    found = sum(1 for line in lines if line["found"])
    print(f"{len(lines)} answers ({found} found), {len(evals)} eval files -> {args.out}", file=sys.stderr)


def compare(a: Path, b: Path) -> int:
    left = a.read_text(encoding="utf-8").splitlines()
    right = b.read_text(encoding="utf-8").splitlines()
    differ = 0
    if len(left) != len(right):
        print(f"{len(left)} lines against {len(right)}")
        differ += 1
    for i, (x, y) in enumerate(zip(left, right)):
        if x != y:
            differ += 1
            if differ <= 10:
                print(f"line {i + 1} differs:\n  - {x[:600]}\n  + {y[:600]}")
    print(f"{differ} differences in {len(left)} lines")
    return 1 if differ else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "cmsbot-scale")
    parser.add_argument("--documents", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--questions", type=int, default=400)
    parser.add_argument("--no-eval", action="store_true", help="skip the `cmsbot eval` files")
    args = parser.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare))
    if args.out is None:
        parser.error("--out or --compare is required")
    dump(args)


if __name__ == "__main__":
    main()
