"""Listing-link extraction on hostile listings, and the event-loop stall while a fetch reads one.

    .venv/bin/python bench/bench_fetch_listing.py [--links 100000]

Prints, for a flat listing of N teasers and for N nested <div>s around one link: the time
``bot.fetch.listing.listing_links`` takes, and the longest gap a 10 ms ticker saw on the event
loop while ``fetch_all`` read that listing from a local aiohttp server (the parsing runs in a
worker thread, so the gap stays small however long parsing takes).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fetch"))

from fetchsite import FAST_OPTIONS, Site, serving, write_sources  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.fetch import fetch_all  # noqa: E402
from bot.fetch.listing import listing_links  # noqa: E402


def flat(n: int) -> str:
    rows = "".join(f'<div class="views-row"><h2><a href="/en/news/n{i}">N{i}</a></h2><span class="text-muted">1 March 2024</span></div>'
                   for i in range(n))
    return f"<html><body><div class='view-content'>{rows}</div></body></html>"


def nested(n: int) -> str:
    return "<html><body>" + "<div>" * n + '<a href="/en/news/deep">deep</a> 1 March 2024' + "</div>" * n + "</body></html>"


async def stall(html: str) -> tuple[float, float]:
    """(seconds for fetch_all, longest event-loop gap in seconds) while fetching a listing of ``html``."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(corpus_dir=Path(tmp) / "corpus", data_dir=Path(tmp) / "data")
        settings.corpus_dir.mkdir()
        async with serving(Site()) as site:
            site.serve("/en/news", html)
            write_sources(settings, [{"name": "n", "listing": site.url("/en/news"), "kind": "news_listing",
                                      "links": {"pattern": r"/en/news/never-matches$"}}], **{**FAST_OPTIONS, "max_bytes": 50_000_000})
            gaps: list[float] = []
            done = False

            async def ticker() -> None:
                last = time.perf_counter()
                while not done:
                    await asyncio.sleep(0.01)
                    now = time.perf_counter()
                    gaps.append(now - last - 0.01)
                    last = now

            tick = asyncio.create_task(ticker())
            started = time.perf_counter()
            await fetch_all(settings, quiet=True)
            took = time.perf_counter() - started
            done = True
            await tick
            return took, max(gaps, default=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=100_000)
    n = parser.parse_args().links
    pattern = re.compile(r"/en/news/")
    for name, html in (("flat listing", flat(n)), ("nested divs", nested(n))):
        started = time.perf_counter()
        try:
            found = f"{len(listing_links(html, 'http://127.0.0.1/en/news', None, pattern, lambda url: True))} links"
        except ValueError as exc:  # refused, e.g. nested too deeply
            found = f"refused: {exc}"
        parse = time.perf_counter() - started
        took, gap = asyncio.run(stall(html))
        print(f"{name:13} n={n:>7}  {len(html) / 1e6:6.1f} MB  listing_links {parse:6.2f} s  ({found})  "
              f"fetch_all {took:6.2f} s  longest event-loop stall {gap * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
