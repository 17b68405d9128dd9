"""Language detection: accuracy on short chat questions and on pages, time per question, memory.

    python bench/bench_lang_detect.py [--devset ../shared/devset] [--candidates]

Always measures cmsbot's own ``bot.text.lang.detect_language`` (what the engine uses: the chosen
library restricted to en/fr/es/pt/de, plus the short-text rules). ``--candidates`` also measures
every candidate library that is installed (``pip install -e ".[bench]"`` brings them):
lingua-language-detector, langdetect and py3langid, each restricted to en/fr/es/pt/de.
Prints a table; never asserts on time.
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import os
import statistics
import sys
import time
import subprocess
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LANGS = ("en", "fr", "es", "pt", "de")


def _devset_questions(devset: Path) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    english = devset / "questions.yaml"
    if english.exists():
        out += [(q["question"], "en") for q in yaml.safe_load(english.read_text(encoding="utf-8"))]
    ml = devset / "multilingual" / "questions.yaml"
    if ml.exists():
        for q in yaml.safe_load(ml.read_text(encoding="utf-8")):
            out.append((q["question"], _ml_lang(q)))
    return out


def _ml_lang(q: dict) -> str:
    """The multilingual set's header: m03, m05, m10 are asked in English; else fr m01-06, m16; es m07-11, m17; pt."""
    n = int(q["id"][1:])
    if n in (3, 5, 10):
        return "en"
    if n <= 6 or n == 16:
        return "fr"
    if n <= 11 or n == 17:
        return "es"
    return "pt"


def _own_questions() -> list[tuple[str, str]]:
    data = yaml.safe_load((ROOT / "bench" / "data" / "lang_questions.yaml").read_text(encoding="utf-8"))
    return [(text, lang) for lang, texts in data.items() for text in texts]


def _pages(devset: Path) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for path in sorted((devset / "docs").glob("*.txt")):
        out.append((_body(path), "en"))
    for path in sorted((devset / "multilingual" / "docs").glob("*.txt")):
        out.append((_body(path), path.name.split("_")[1]))
    return out


def _body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("\n\n", 1)[1] if "\n\n" in text else text


# ------------------------------------------------------------------ candidates


def _cmsbot() -> Callable[[str], str]:
    from bot.text.lang import detect_language

    return detect_language


def _lingua() -> Callable[[str], str]:
    from lingua import Language, LanguageDetectorBuilder

    langs = [Language.ENGLISH, Language.FRENCH, Language.SPANISH, Language.PORTUGUESE, Language.GERMAN]
    det = LanguageDetectorBuilder.from_languages(*langs).with_preloaded_language_models().build()
    codes = {lang: lang.iso_code_639_1.name.lower() for lang in langs}

    def detect(text: str) -> str:
        found = det.detect_language_of(text)
        return codes[found] if found is not None else "en"

    return detect


def _lingua_low() -> Callable[[str], str]:
    from lingua import Language, LanguageDetectorBuilder

    langs = [Language.ENGLISH, Language.FRENCH, Language.SPANISH, Language.PORTUGUESE, Language.GERMAN]
    det = (LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode()
           .with_preloaded_language_models().build())
    codes = {lang: lang.iso_code_639_1.name.lower() for lang in langs}

    def detect(text: str) -> str:
        found = det.detect_language_of(text)
        return codes[found] if found is not None else "en"

    return detect


def _langdetect() -> Callable[[str], str]:
    import langdetect
    from langdetect.detector_factory import DetectorFactory, PROFILES_DIRECTORY
    from langdetect.lang_detect_exception import LangDetectException

    factory = DetectorFactory()
    factory.load_json_profile([Path(PROFILES_DIRECTORY, code).read_text(encoding="utf-8") for code in LANGS])
    factory.set_seed(0)
    del langdetect

    def detect(text: str) -> str:
        try:
            d = factory.create()
            d.append(text)
            return d.detect()
        except LangDetectException:
            return "en"

    return detect


def _py3langid() -> Callable[[str], str]:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    ident.set_languages(list(LANGS))

    def detect(text: str) -> str:
        return ident.classify(text)[0]

    return detect


CANDIDATES: dict[str, tuple[str, Callable[[], Callable[[str], str]]]] = {
    "lingua (high accuracy)": ("lingua-language-detector", _lingua),
    "lingua (low accuracy)": ("lingua-language-detector", _lingua_low),
    "langdetect": ("langdetect", _langdetect),
    "py3langid": ("py3langid", _py3langid),
}


def _rss() -> int:
    """This process's resident memory in bytes (Linux), 0 elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _install_size(dist: str) -> str:
    try:
        files = importlib.metadata.distribution(dist).files or []
    except importlib.metadata.PackageNotFoundError:
        return "-"
    total = 0
    for f in files:
        try:
            total += os.path.getsize(f.locate())
        except OSError:
            pass
    return f"{total / 1e6:.1f} MB"


def _measure(name: str, dist: str, make: Callable[[], Callable[[str], str]],
             questions: list[tuple[str, str]], own: list[tuple[str, str]], pages: list[tuple[str, str]]) -> dict | None:
    gc.collect()
    before = _rss()
    t0 = time.perf_counter()
    try:
        detect = make()
        detect("warm up")
    except ImportError:
        return None
    load = time.perf_counter() - t0
    row: dict = {"name": name, "load_s": load, "retained_mb": (_rss() - before) / 1e6,
                 "size": _install_size(dist) if dist else "-"}
    times = []
    wrong: list[str] = []
    for label, items in (("devset_q", questions), ("own_q", own), ("pages", pages)):
        ok = 0
        for text, lang in items:
            t = time.perf_counter()
            got = detect(text)
            if label != "pages":
                times.append(time.perf_counter() - t)
            ok += got == lang
            if got != lang and label != "pages":
                wrong.append(f"{lang}->{got}: {text[:60]}")
            elif got != lang:
                wrong.append(f"page {lang}->{got}: {text[:40]!r}")
        row[label] = (ok, len(items))
    row["p50_us"] = statistics.median(times) * 1e6
    row["p95_us"] = sorted(times)[int(len(times) * 0.95)] * 1e6
    row["wrong"] = wrong
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devset", type=Path, default=ROOT.parent.parent / "shared" / "devset")
    ap.add_argument("--candidates", action="store_true", help="also measure every installed candidate library")
    ap.add_argument("--only", help="measure just this candidate (by name prefix)")
    ap.add_argument("--show-wrong", action="store_true")
    ap.add_argument("--no-header", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    devset = args.devset if args.devset.exists() else Path("/work/shared/devset")
    questions, own, pages = _devset_questions(devset), _own_questions(), _pages(devset)
    todo: list[tuple[str, str, Callable]] = []
    if args.candidates or args.only:
        todo += [(n, d, m) for n, (d, m) in CANDIDATES.items() if not args.only or n == args.only or (n.startswith(args.only) and args.only not in CANDIDATES)]
    if not args.only or "cmsbot detect_language".startswith(args.only):
        todo.append(("cmsbot detect_language", "", _cmsbot))
    if not args.no_header:
        print(f"{len(questions)} dev-set questions, {len(own)} own short questions (incl. de), {len(pages)} pages; "
              "each detector restricted to en/fr/es/pt/de; mem = RSS growth from loading it")
        print(f"{'detector':28} {'dev q':>8} {'own q':>8} {'pages':>7} {'p50 µs/q':>9} {'p95 µs/q':>9} "
              f"{'load s':>7} {'mem MB':>7} {'install':>9}")
    if len(todo) > 1:  # one process per detector, so each one's memory is its own
        for name, _, _ in todo:
            cmd = [sys.executable, __file__, "--devset", str(devset), "--only", name, "--no-header"]
            subprocess.run(cmd + (["--show-wrong"] if args.show_wrong else []), check=False)
        return 0
    for name, dist, make in todo:
        row = _measure(name, dist, make, questions, own, pages)
        if row is None:
            print(f"{name:28} not installed")
            continue
        f = lambda ok_n: f"{ok_n[0]}/{ok_n[1]}"  # noqa: E731
        print(f"{name:28} {f(row['devset_q']):>8} {f(row['own_q']):>8} {f(row['pages']):>7} {row['p50_us']:9.0f} "
              f"{row['p95_us']:9.0f} {row['load_s']:7.2f} {row['retained_mb']:7.1f} {row['size']:>9}")
        if args.show_wrong:
            for w in row["wrong"]:
                print(f"    {w}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
