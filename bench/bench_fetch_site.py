"""The shipped sources.yaml against a fake cms.int built like the real templates, and offline.

    .venv/bin/python bench/bench_fetch_site.py                         # this checkout
    PYTHONPATH=/path/to/old/checkout .venv/bin/python bench/bench_fetch_site.py --sources /path/to/old/checkout/corpus/sources.yaml

Part 1 serves the fake site of tests/fetch/cmssite.py (15 news items in pages of 10, section pages,
an RSS feed, 2 press releases, a notification, a COP14 meeting page with 3 documents in 3 languages,
2 resolutions) on 127.0.0.1, points the sources' cms.int addresses at it and runs one fetch pass and
a second one; it prints what was fetched. Part 2 points them at www.cms.int.invalid (a name that
never resolves) and prints how long the pass took and what it printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE / "tests" / "fetch"))

from cmssite import CmsSite  # noqa: E402
from fetchsite import Site, serving  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.fetch import fetch_all, format_report  # noqa: E402

FAST = {"per_host_delay_seconds": 0, "per_host_concurrency": 4, "timeout_seconds": 5, "max_retries": 0, "backoff_seconds": 0.01}


def pointed(sources: Path, base: str, host: str, **options: Any) -> dict[str, Any]:
    """sources.yaml with https://www.cms.int replaced by ``base`` (in listings and link patterns)."""
    raw = yaml.safe_load(sources.read_text(encoding="utf-8"))
    escaped = re.escape("https://www.cms.int")
    kept = []
    for source in raw["sources"]:
        if source.get("enabled", True) is False or "www.cms.int" not in source["listing"]:
            continue
        source["listing"] = source["listing"].replace("https://www.cms.int", base)
        pattern = (source.get("links") or {}).get("pattern")
        if pattern:
            source["links"] = {**source["links"], "pattern": pattern.replace("^" + escaped, "^" + re.escape(base)).replace(escaped, re.escape(base))}
        kept.append(source)
    fetch = {k: v for k, v in (raw.get("fetch") or {}).items() if k not in {"output_dir"}}
    fetch.update({"allowed_domains": [host], **options})
    return {"fetch": fetch, "sources": kept}


def settings_in(tmp: Path, config: dict[str, Any]) -> Settings:
    corpus = tmp / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    meetings = HERE / "corpus" / "meetings.yaml"
    if meetings.is_file():
        (corpus / "meetings.yaml").write_bytes(meetings.read_bytes())
    (corpus / "sources.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return Settings(corpus_dir=corpus, data_dir=tmp / "data")


async def on_fake_site(sources: Path) -> None:
    cms = CmsSite()
    async with serving(Site()) as site:
        cms.install(site)
        with tempfile.TemporaryDirectory() as tmp:
            settings = settings_in(Path(tmp), pointed(sources, site.base, "127.0.0.1", **FAST))
            first = await fetch_all(settings, quiet=True)
            asked_first = len(site.paths())
            second = await fetch_all(settings, quiet=True)
    news = {n.path for n in cms.news}
    docs = {d.file_path(lang) for d in cms.docs for lang in d.languages}
    written = [Path(i.path).name for i in first.new]
    fetched_news = sum(1 for n in cms.news if f"{n.slug}.md" in written)
    fetched_docs = sum(1 for d in cms.docs if any(name.startswith(d.files) for name in written))
    sections = [w for w in written if w.split(".")[0] in {"press-releases", "op-ed", "notifications", "media-watch", "feed"}]
    print(f"fake site: {len(news)} news items, {len(cms.docs)} meeting documents ({len(docs)} files in 3 languages), "
          f"{len(cms.resolutions)} resolutions, {len(cms.notifications)} notification")
    print(f"  first pass: {len(first.new)} files written, {len(first.failed)} failed; news items {fetched_news}/{len(news)}, "
          f"meeting documents {fetched_docs}/{len(cms.docs)}, section pages saved as items {len(sections)}; {asked_first} requests")
    for item in first.failed:
        print(f"    failed {item.url.replace(site.base, '')}: {item.reason}")
    kinds = Counter(i.kind for i in first.new)
    print(f"  kinds: {dict(sorted(kinds.items()))}")
    print(f"  second pass: {len(second.new)} new, {len(second.changed)} changed, {len(getattr(second, 'skipped', []))} skipped, "
          f"{len(second.unchanged)} unchanged (revalidated), {len(second.failed)} failed")


async def offline(sources: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = pointed(sources, "https://www.cms.int.invalid", "www.cms.int.invalid")
        for key in ("per_host_delay_seconds",):
            config["fetch"].pop(key, None)
        settings = settings_in(Path(tmp), config)
        err = io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stderr(err):
            report = await fetch_all(settings)
        took = time.perf_counter() - started
    summary = format_report(report)
    print(f"offline ({len(config['sources'])} sources, DNS failure): {took:.2f} s, "
          f"{len(err.getvalue().splitlines())} progress lines, summary of {len(summary.splitlines())} line(s):")
    print("  " + summary.splitlines()[0] + (" …" if len(summary.splitlines()) > 1 else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=HERE / "corpus" / "sources.yaml")
    args = parser.parse_args()
    import bot

    print(f"code: {Path(bot.__file__).parent.parent}  sources: {args.sources}")
    asyncio.run(on_fake_site(args.sources))
    asyncio.run(offline(args.sources))


if __name__ == "__main__":
    main()
