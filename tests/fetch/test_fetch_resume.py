"""Incremental and resumable: a cap per run leaves the rest for the next; an interrupted pass loses
nothing and the next one fetches only what is left; progress shows counts and an ETA."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from cmssite import CmsSite
from fetchsite import Site, write_sources

from bot.config import Settings
from bot.fetch import FetchedItem, FetchStore, fetch_all
from bot.fetch.run import StderrProgress, eta


def _news_source(site: Site, **extra: object) -> dict[str, object]:
    return {"name": "cms-news", "listing": site.url("/en/news"), "kind": "news_listing", "pages": 5,
            "links": {"selector": ".views-row h2 a", "pattern": r"/(?:en/)?news/[^/?#]+$"}, **extra}


def _article_requests(site: Site, cms: CmsSite) -> Counter[str]:
    articles = {n.path for n in cms.news}
    return Counter(p for p in site.paths() if p in articles)


async def test_a_cap_per_run_leaves_the_rest_for_the_next_runs(site: Site, settings: Settings) -> None:
    cms = CmsSite()
    cms.install(site)
    write_sources(settings, [_news_source(site, max_items=6)], recheck_hours=168)

    runs = [await fetch_all(settings, quiet=True) for _ in range(4)]

    assert [len(r.new) for r in runs] == [6, 6, 3, 0]
    assert [r.deferred for r in runs] == [9, 3, 0, 0]
    assert max(_article_requests(site, cms).values()) == 1 and len(_article_requests(site, cms)) == 15
    assert site.paths().count("/en/news?page=1") == 3  # read while items were left; not once all were in


async def test_an_interrupted_pass_resumes_where_it_stopped(site: Site, settings: Settings) -> None:
    cms = CmsSite()
    cms.install(site)
    write_sources(settings, [_news_source(site)], recheck_hours=168, per_host_concurrency=1)
    task: asyncio.Task[object] | None = None

    def stop_after_five(status: str, item: FetchedItem, done: int, total: int) -> None:
        if done == 5 and task is not None:
            task.cancel()  # Ctrl-C, a crash, a restart of the bot

    task = asyncio.ensure_future(fetch_all(settings, progress=stop_after_five))
    with pytest.raises(asyncio.CancelledError):
        await task
    with FetchStore.in_data_dir(settings.data_dir) as store:
        recorded = {n.path for n in cms.news if store.state(site.url(n.path)) is not None}
    assert 5 <= len(recorded) < 15

    resumed = await fetch_all(settings, quiet=True)

    assert resumed.failed == [] and len(resumed.new) + len(resumed.unchanged) == 15 - len(recorded)
    requests = _article_requests(site, cms)
    assert all(requests[path] == 1 for path in recorded)  # what the first pass recorded is not fetched again
    assert len(list((settings.corpus_dir / "fetched/cms-news").glob("*.md"))) == 15


def test_eta_from_the_pace_so_far() -> None:
    assert eta(10.0, 5, 20) == "  (ETA 30s)"
    assert eta(60.0, 10, 40) == "  (ETA 3m00s)"
    assert eta(0.5, 1, 10) == "" and eta(30.0, 10, 10) == "" and eta(5.0, 0, 10) == ""


def test_progress_lines_count_and_estimate_and_keep_skips_and_unreachable_hosts_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    clock = iter([0.0, 40.0, 41.0, 42.0])
    progress = StderrProgress(clock=lambda: next(clock))
    progress("new", FetchedItem(url="u1", source="s", kind="news_item", path="fetched/s/a.md"), 4, 10)
    progress("skipped", FetchedItem(url="u2", source="s", kind="news_item"), 5, 10)
    progress("failed", FetchedItem(url="u3", source="s", kind="news_item", reason="cannot reach www.cms.int"), 6, 10)
    assert capsys.readouterr().err == "[4/10] new       fetched/s/a.md  (ETA 1m00s)\n"
