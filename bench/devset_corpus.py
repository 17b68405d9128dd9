"""Build a corpus from the dev set's pages "as fetched", then report what ingestion made of it.

    python bench/devset_corpus.py [--docs ../shared/devset/docs] [--out DIR] [--show]

Each page's stored header (``url:``, ``kind:``, ``date:``) is turned into front matter holding
ONLY ``url`` and, where the header has one other than ``unknown``, ``date`` — never ``kind``.
``corpus/meetings.yaml`` is copied beside the pages. The script then loads the corpus and prints:
pages indexed of all, skipped pages with their reasons, how many inferred kinds agree with the
header's (mapped onto cmsbot's kinds, see ``_AGREES``), dates equal to the header's, and the
time of ``load_corpus`` + index build. The header's ``kind:`` is used only for that comparison.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.devset import shared_dir  # noqa: E402

#: cmsbot kinds that count as agreeing with each header kind of the dev set.
_AGREES = {
    "news": {"news_item", "notification", "meeting_report", "news_listing", "statement"},
    "press_release": {"press_release", "statement"},
    "meeting_page": {"meeting_page", "news_listing"},
    "cop_document": {"cop_document", "resolution", "meeting_report"},
}


def build(docs: Path, out: Path) -> dict[str, dict[str, str]]:
    """Write the as-fetched corpus into ``out`` (``bot.devset.build_corpus``, the one ``cmsbot eval``
    uses); returns every page's header by file name, for the comparison."""
    from bot.devset import build_corpus, read_page

    build_corpus(docs, REPO / "corpus" / "meetings.yaml", out)
    return {path.name: read_page(path)[0] for path in sorted(docs.glob("*.txt"))}


def report(out: Path, headers: dict[str, dict[str, str]], show: bool) -> None:
    from bot.cms.meetings import MeetingRegistry
    from bot.engine import Engine
    from bot.ingest.corpus import load_corpus

    meetings = MeetingRegistry.load(out / "meetings.yaml")
    started = time.perf_counter()
    loaded = load_corpus(out, meetings)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    Engine.build(out)
    build_s = time.perf_counter() - started

    documents = {d.source: d for d in loaded.documents}
    kinds_ok = dates_ok = dates_known = 0
    for name, header in headers.items():
        doc = documents.get(name)
        if doc is None:
            continue
        kinds_ok += doc.kind in _AGREES.get(header.get("kind", ""), set())
        if header.get("date", "unknown") != "unknown":
            dates_known += 1
            dates_ok += doc.date is not None and doc.date.isoformat() == header["date"]
    skipped = [p for p in loaded.problems if p.skipped]
    print(f"pages indexed        {len(documents)} of {len(headers)}")
    print(f"passages             {len(loaded.passages)}")
    print(f"kinds agreeing       {kinds_ok} of {len(documents)} indexed (header kind mapped, see _AGREES)")
    print(f"dates = header date  {dates_ok} of {dates_known} pages whose header has a date")
    print(f"load_corpus          {load_s:.3f} s")
    print(f"Engine.build         {build_s:.3f} s (load + analyze + BM25 build)")
    for problem in skipped:
        print(f"  skipped  {problem}")
    if show:
        for name, header in headers.items():
            doc = documents.get(name)
            if doc is None:
                print(f"{name}: SKIPPED")
                continue
            n = sum(p.source == name for p in loaded.passages)
            print(f"{name}\n    kind {doc.kind:<15} (header {header.get('kind')})  date {doc.date} (header {header.get('date')})"
                  f"  meeting {doc.meeting}  place {doc.place}  symbol {doc.symbol}  passages {n}\n    title {doc.title!r}")
        for problem in loaded.problems:
            if not problem.skipped:
                print(f"  warning  {problem}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=Path, default=shared_dir(REPO) / "devset" / "docs")
    parser.add_argument("--out", type=Path, help="corpus folder to write (default: a temporary one)")
    parser.add_argument("--show", action="store_true", help="print each page's kind, date, meeting, title")
    args = parser.parse_args()
    if not args.docs.is_dir():
        parser.error(f"{args.docs}: no such folder")
    if args.out is not None:
        report_dir = args.out
        report(report_dir, build(args.docs, report_dir), args.show)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "corpus"
        report(out, build(args.docs, out), args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
