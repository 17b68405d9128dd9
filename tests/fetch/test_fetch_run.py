"""fetch_all end to end against a fake CMS site: files written, validated and ingestible; conditional
requests; announcements once across restarts; failures reported; good files never made worse."""

from __future__ import annotations

import json
import socket
from datetime import date

import pytest
from aiohttp import web
from fetchsite import (
    Site,
    cop_document_pdf,
    documents_html,
    documents_source,
    fixture_text,
    listing_html,
    news_source,
    sequence,
    serve_news,
    static,
    write_sources,
)

from bot.config import Settings
from bot.fetch import FetchReport, FetchStore, fetch_all, format_report, run_fetch
from bot.fetch.run import load_meetings
from bot.ingest import frontmatter
from bot.ingest.corpus import load_corpus

PDF_PATH = "/sites/default/files/document/cms_cop14_doc.31_e.pdf"


def _serve_documents(site: Site, pdf: bytes | None = None, content_type: str = "application/pdf") -> None:
    site.serve("/en/cop14", documents_html([(PDF_PATH, "UNEP/CMS/COP14/Doc.31", "Migratory soaring birds")]))
    site.serve(PDF_PATH, cop_document_pdf() if pdf is None else pdf, content_type, etag='"doc31-v1"')


def _statuses(report: FetchReport) -> dict[str, list[str]]:
    return {status: sorted(item.url.rsplit("/", 1)[-1] for item in getattr(report, status)) for status in ("new", "changed", "unchanged", "failed")}


async def test_fetch_writes_files_that_ingest_with_the_right_metadata(site: Site, settings: Settings) -> None:
    serve_news(site, ["cop14-closes", "state-of-species"])
    _serve_documents(site)
    write_sources(settings, [news_source(site), documents_source(site)])

    report = await fetch_all(settings, quiet=True)

    assert _statuses(report) == {
        "new": ["cms_cop14_doc.31_e.pdf", "cop14-closes", "state-of-species"], "changed": [], "unchanged": [], "failed": [],
    }
    corpus = settings.corpus_dir
    assert (corpus / "fetched/cms-news/cop14-closes.md").is_file()
    assert (corpus / "fetched/cop14-documents/cms_cop14_doc.31_e.pdf").read_bytes().startswith(b"%PDF-")
    assert (corpus / "fetched/cop14-documents/cms_cop14_doc.31_e.yaml").is_file()
    assert not [p for p in corpus.rglob("*") if p.name.startswith(".")]  # no temp files left

    loaded = load_corpus(corpus, load_meetings(corpus))
    assert [p for p in loaded.problems if p.skipped] == []
    docs = {d.source: d for d in loaded.documents}
    closes = docs["fetched/cms-news/cop14-closes.md"]
    assert closes.kind == "press_release"
    assert closes.title == "UN Wildlife Conference Closes with Major Decisions to Protect Migratory Species"
    assert closes.date == date(2024, 2, 17) and closes.meeting == 14 and closes.place == "Samarkand"
    assert closes.url == site.url("/en/news/cop14-closes")
    assert "tracking" not in closes.body and "Skip to main content" not in closes.body and "Related" not in closes.body
    species = docs["fetched/cms-news/state-of-species.md"]
    assert species.date == date(2024, 2, 15) and species.meeting == 14
    pdf = docs["fetched/cop14-documents/cms_cop14_doc.31_e.pdf"]
    assert pdf.kind == "cop_document" and pdf.symbol == "UNEP/CMS/COP14/Doc.31"
    assert pdf.title == "Conservation of Migratory Soaring Birds"
    assert pdf.date == date(2023, 12, 15) and pdf.meeting == 14
    locators = [p.locator for p in loaded.passages if p.source == pdf.source]
    assert {"para. 1", "para. 2", "para. 3"} <= set(locators)

    meta, _body = frontmatter.split((corpus / "fetched/cms-news/cop14-closes.md").read_text(encoding="utf-8"))
    assert set(meta) == {"date", "url", "lang"}  # what the listing told; kind and title the ingestion reads in the text
    item = next(i for i in report.new if i.url.endswith("cop14-closes"))
    assert (item.path, item.kind, item.date, item.meeting) == ("fetched/cms-news/cop14-closes.md", "press_release", date(2024, 2, 17), 14)


async def test_second_fetch_sends_conditional_requests_and_gets_304(site: Site, settings: Settings) -> None:
    serve_news(site, ["cop14-closes"])
    site.routes["/en/news/cop14-closes"] = static(
        fixture_text("article-cop14-closes.html"), etag='"v1"', headers={"Last-Modified": "Sat, 17 Feb 2024 12:00:00 GMT"},
    )
    write_sources(settings, [news_source(site)])
    first = await fetch_all(settings, quiet=True)
    assert len(first.new) == 1
    assert "If-None-Match" not in site.hits("/en/news/cop14-closes")[0]

    second = await fetch_all(settings, quiet=True)

    sent = site.hits("/en/news/cop14-closes")[-1]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Sat, 17 Feb 2024 12:00:00 GMT"
    assert _statuses(second)["unchanged"] == ["cop14-closes"] and not second.new and not second.changed
    assert second.unchanged[0].title == first.new[0].title  # the stored item, fully described


async def test_unchanged_body_without_validators_is_unchanged_by_hash_and_a_new_body_is_changed(site: Site, settings: Settings) -> None:
    serve_news(site, ["cop14-closes"], etags=False)
    write_sources(settings, [news_source(site)])
    await fetch_all(settings, quiet=True)
    path = settings.corpus_dir / "fetched/cms-news/cop14-closes.md"

    again = await fetch_all(settings, quiet=True)
    assert _statuses(again)["unchanged"] == ["cop14-closes"]

    revised = fixture_text("article-cop14-closes.html").replace(
        "</article>", "<p>The meeting also adopted a new budget for the 2024-2026 triennium.</p></article>"
    )
    site.serve("/en/news/cop14-closes", revised)
    changed = await fetch_all(settings, quiet=True)
    assert _statuses(changed)["changed"] == ["cop14-closes"]
    assert "2024-2026 triennium" in path.read_text(encoding="utf-8")


async def test_listing_gains_an_item_which_is_announced_once_across_restarts(site: Site, settings: Settings) -> None:
    serve_news(site, ["cop14-closes", "state-of-species"])
    write_sources(settings, [news_source(site)])
    store_path = settings.data_dir / "fetch.sqlite3"

    first = await fetch_all(settings, quiet=True)
    with FetchStore(store_path) as store:
        pending = store.pending_announcements(first.new)
        assert sorted(i.url.rsplit("/", 1)[-1] for i in pending) == ["cop14-closes", "state-of-species"]
        store.mark_announced(*(i.url for i in pending))

    serve_news(site, ["sharks-guidance", "cop14-closes", "state-of-species"])  # a new item on top
    second = await fetch_all(settings, quiet=True)
    assert _statuses(second)["new"] == ["sharks-guidance"]
    assert _statuses(second)["unchanged"] == ["cop14-closes", "state-of-species"]
    with FetchStore(store_path) as store:
        pending = store.pending_announcements(second.new + second.unchanged)
        assert [i.url for i in pending] == [site.url("/en/news/sharks-guidance")]
        assert pending[0].date == date(2024, 3, 1) and pending[0].kind == "press_release"
        store.mark_announced(pending[0].url)

    with FetchStore(store_path) as store:  # a restart: state comes from disk
        assert store.pending_announcements(second.new) == []
        assert store.pending_announcements() == []
    third = await fetch_all(settings, quiet=True)
    assert not third.new
    with FetchStore(store_path) as store:
        assert store.pending_announcements(third.new + third.unchanged) == []


async def test_unannounced_items_survive_a_restart(site: Site, settings: Settings) -> None:
    serve_news(site, ["cop14-closes"])
    write_sources(settings, [news_source(site)])
    await fetch_all(settings, quiet=True)
    with FetchStore(settings.data_dir / "fetch.sqlite3") as store:  # the poster crashed before posting
        assert [i.path for i in store.pending_announcements()] == ["fetched/cms-news/cop14-closes.md"]


async def test_item_failures_are_reported_and_skipped(site: Site, settings: Settings) -> None:
    site.serve("/en/news", listing_html(["cop14-closes", "state-of-species", "sharks-guidance"]))
    site.serve("/en/news/cop14-closes", fixture_text("article-cop14-closes.html"))
    # state-of-species: not served → 404
    site.serve("/en/news/sharks-guidance", b"\x89PNG\r\n", "image/png")
    site.serve("/en/cop14", documents_html([
        ("/sites/default/files/document/broken.pdf", "UNEP/CMS/COP14/Doc.1", "Broken"),
        ("/sites/default/files/document/not-a-pdf.pdf", "UNEP/CMS/COP14/Doc.2", "HTML"),
        ("/sites/default/files/document/garbage.pdf", "UNEP/CMS/COP14/Doc.3", "Garbage"),
    ]))
    site.serve("/sites/default/files/document/broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntrailer\n%%EOF", "application/pdf")
    site.serve("/sites/default/files/document/not-a-pdf.pdf", "<html><p>Document moved</p></html>")
    site.serve("/sites/default/files/document/garbage.pdf", b"this is not a pdf at all", "application/pdf")
    write_sources(settings, [news_source(site), documents_source(site)])

    report = await fetch_all(settings, quiet=True)

    assert _statuses(report)["new"] == ["cop14-closes"]
    reasons = {item.url.rsplit("/", 1)[-1]: item.reason for item in report.failed}
    assert reasons["state-of-species"] == "HTTP 404"
    assert "wrong content type 'image/png'" in reasons["sharks-guidance"]
    assert "does not ingest" in reasons["broken.pdf"]
    assert "wrong content type 'text/html'" in reasons["not-a-pdf.pdf"]
    assert "no %PDF- header" in reasons["garbage.pdf"]
    written = sorted(p.name for p in settings.corpus_dir.rglob("*") if p.is_file() and "fetched" in p.parts)
    assert written == ["cop14-closes.md"]
    assert "Failed:" in format_report(report) and "HTTP 404" in format_report(report)


async def test_robots_disallowed_item_is_reported_not_fetched(site: Site, settings: Settings) -> None:
    serve_news(site, ["cop14-closes", "state-of-species"])
    site.serve("/robots.txt", "User-agent: *\nDisallow: /en/news/state-of-species\n", "text/plain")
    write_sources(settings, [news_source(site)])
    report = await fetch_all(settings, quiet=True)
    assert _statuses(report)["new"] == ["cop14-closes"]
    assert [i.reason for i in report.failed] == ["disallowed by robots.txt"]
    assert not site.hits("/en/news/state-of-species")


async def test_listing_failures_are_reported(site: Site, settings: Settings) -> None:
    site.serve("/en/news", "<html><body><main><p>Nothing here</p></main></body></html>")
    site.serve("/robots.txt", "", "text/plain", status=500)
    write_sources(settings, [news_source(site)])
    report = await fetch_all(settings, quiet=True)
    assert len(report.failed) == 1 and report.failed[0].url == site.url("/en/news")
    assert "robots.txt unavailable (HTTP 500" in report.failed[0].reason
    assert not site.hits("/en/news")

    site.serve("/robots.txt", "", "text/plain", status=404)
    (settings.corpus_dir / "sources.yaml").unlink()
    write_sources(settings, [news_source(site)])
    report = await fetch_all(settings, quiet=True)
    assert "no item links found" in report.failed[0].reason


async def test_redirect_off_domain_and_timeout_are_reported(site: Site, settings: Settings) -> None:
    site.serve("/en/news", listing_html(["cop14-closes", "state-of-species"]))
    site.serve("/en/news/cop14-closes", "", status=302, headers={"Location": site.url("/phish").replace("127.0.0.1", "localhost")})

    async def slow(request: web.Request) -> web.Response:
        import asyncio

        await asyncio.sleep(5)
        return web.Response(text="late", content_type="text/html")

    site.routes["/en/news/state-of-species"] = slow
    write_sources(settings, [news_source(site)], timeout_seconds=0.2, max_retries=0)
    report = await fetch_all(settings, quiet=True)
    reasons = {item.url.rsplit("/", 1)[-1]: item.reason for item in report.failed}
    assert "refused: not an allowed scheme, host and port" in reasons["cop14-closes"]
    assert reasons["state-of-species"].startswith("timed out")
    assert not site.hits("/phish")


async def test_oversized_item_is_reported(site: Site, settings: Settings) -> None:
    serve_news(site, ["cop14-closes"])
    site.serve("/en/news/cop14-closes", fixture_text("article-cop14-closes.html") + "<!--" + "x" * 300_000 + "-->")
    write_sources(settings, [news_source(site)], max_bytes=100_000)
    report = await fetch_all(settings, quiet=True)
    assert "too large" in report.failed[0].reason


async def test_500_then_success_and_429_then_success_are_fetched(site: Site, settings: Settings) -> None:
    serve_news(site, ["cop14-closes", "state-of-species"])
    site.routes["/en/news/cop14-closes"] = sequence(
        static("oops", "text/plain", status=500), static(fixture_text("article-cop14-closes.html")),
    )
    site.routes["/en/news/state-of-species"] = sequence(
        static("slow down", "text/plain", status=429, headers={"Retry-After": "1"}),
        static(fixture_text("article-state-of-species.html")),
    )
    write_sources(settings, [news_source(site)])
    report = await fetch_all(settings, quiet=True)
    assert _statuses(report)["new"] == ["cop14-closes", "state-of-species"]
    assert len(site.hits("/en/news/cop14-closes")) == 2 and len(site.hits("/en/news/state-of-species")) == 2


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (static(fixture_text("error-page.html")), "looks like an error page"),
        (static(b""), "empty body"),
        (static(fixture_text("short-page.html")), "much less text than the current file"),
        (static("<html><body><script>x()</script></body></html>"), "no text in the page"),
        (static("oops", "text/plain", status=500), "HTTP 500"),
    ],
    ids=["error-page", "empty-body", "much-shorter", "no-main-text", "http-500"],
)
async def test_a_good_file_is_never_replaced_by_a_worse_copy(site: Site, settings: Settings, bad: object, reason: str) -> None:
    serve_news(site, ["cop14-closes"], etags=False)
    write_sources(settings, [news_source(site)])
    await fetch_all(settings, quiet=True)
    path = settings.corpus_dir / "fetched/cms-news/cop14-closes.md"
    good = path.read_bytes()

    site.routes["/en/news/cop14-closes"] = bad  # type: ignore[assignment]
    report = await fetch_all(settings, quiet=True)

    assert len(report.failed) == 1 and reason in report.failed[0].reason
    assert path.read_bytes() == good


async def test_garbage_never_replaces_a_good_file_nor_becomes_the_baseline(site: Site, settings: Settings) -> None:
    import random

    serve_news(site, ["cop14-closes"], etags=False)
    write_sources(settings, [news_source(site)])
    await fetch_all(settings, quiet=True)
    path = settings.corpus_dir / "fetched/cms-news/cop14-closes.md"
    good = path.read_bytes()

    garbage = random.Random(7).randbytes(48_000)
    site.serve("/en/news/cop14-closes", garbage)  # random bytes served as text/html
    refused = await fetch_all(settings, quiet=True)
    assert len(refused.failed) == 1 and "not real text" in refused.failed[0].reason
    assert path.read_bytes() == good

    site.serve("/en/news/cop14-closes", fixture_text("article-cop14-closes.html"))  # the real page again
    again = await fetch_all(settings, quiet=True)
    assert _statuses(again)["unchanged"] == ["cop14-closes"]  # compared with the good copy, not the garbage

    revised = fixture_text("article-cop14-closes.html").replace("</article>", "<p>A budget for 2024-2026 was adopted.</p></article>")
    site.serve("/en/news/cop14-closes", revised)
    accepted = await fetch_all(settings, quiet=True)
    assert _statuses(accepted)["changed"] == ["cop14-closes"]


async def test_an_error_page_is_not_saved_as_a_new_document(site: Site, settings: Settings) -> None:
    site.serve("/en/news", listing_html(["cop14-closes"]))
    site.serve("/en/news/cop14-closes", fixture_text("error-page.html"))
    write_sources(settings, [news_source(site)])
    report = await fetch_all(settings, quiet=True)
    assert "looks like an error page" in report.failed[0].reason
    assert not (settings.corpus_dir / "fetched").exists()


async def test_progress_lines_on_stderr_unless_quiet(site: Site, settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    serve_news(site, ["cop14-closes", "state-of-species"])
    write_sources(settings, [news_source(site)])
    await fetch_all(settings, quiet=True)
    assert capsys.readouterr().err == ""

    await fetch_all(settings)
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith(("[1/2] unchanged", "[2/2] unchanged")) for line in lines)

    calls: list[tuple[str, int, int]] = []
    await fetch_all(settings, progress=lambda status, item, done, total: calls.append((status, done, total)))
    assert sorted(calls) == [("unchanged", 1, 2), ("unchanged", 2, 2)]
    assert capsys.readouterr().err == ""


async def test_report_json_and_terminal_summary(site: Site, settings: Settings) -> None:
    serve_news(site, ["cop14-closes"])
    site.routes["/en/news/state-of-species"] = static("gone", "text/plain", status=410)
    site.serve("/en/news", listing_html(["cop14-closes", "state-of-species"]))
    write_sources(settings, [news_source(site)])
    report = await fetch_all(settings, quiet=True)

    data = json.loads(report.to_json())
    assert data["counts"] == {"new": 1, "changed": 0, "unchanged": 0, "failed": 1, "skipped": 0, "deferred": 0}
    assert data["new"][0]["date"] == "2024-02-17" and data["new"][0]["meeting"] == 14
    assert data["failed"][0]["reason"] == "HTTP 410"
    text = format_report(report)
    assert "new            1" in text and "failed         1" in text
    assert "UN Wildlife Conference Closes" in text and "17 February 2024" in text


async def test_same_url_on_two_listings_is_fetched_once(site: Site, settings: Settings) -> None:
    serve_news(site, ["cop14-closes"])
    site.serve("/en/press", listing_html(["cop14-closes"]))
    press = news_source(site, name="cms-press", listing=site.url("/en/press"), kind="press_release")
    write_sources(settings, [news_source(site), press])
    report = await fetch_all(settings, quiet=True)
    assert len(report.new) == 1 and len(site.hits("/en/news/cop14-closes")) == 1


def test_run_fetch_is_a_sync_wrapper(settings: Settings) -> None:
    with socket.socket() as probe:  # a port nobody listens on: every request is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    write_sources(settings, [{
        "name": "cms-news", "listing": f"http://127.0.0.1:{port}/en/news", "kind": "news_listing",
        "links": {"pattern": "/en/news/"},
    }])
    report = run_fetch(settings, quiet=True)
    assert isinstance(report, FetchReport)
    assert len(report.failed) == 1 and report.failed[0].reason == "listing: cannot reach 127.0.0.1"
    assert format_report(report) == "cannot reach 127.0.0.1 — nothing fetched"
    assert (settings.data_dir / "fetch.sqlite3").is_file()



async def test_an_unexpected_error_costs_one_item_not_the_run(site: Site, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    serve_news(site, ["cop14-closes", "state-of-species"])
    write_sources(settings, [news_source(site)])
    import bot.fetch.run as run_module

    real = run_module.html_item

    def flaky(html: str) -> object:
        if "State of the World" in html:
            raise RuntimeError("parser bug")
        return real(html)

    monkeypatch.setattr(run_module, "html_item", flaky)
    report = await fetch_all(settings, quiet=True)
    assert _statuses(report)["new"] == ["cop14-closes"]
    assert report.failed[0].reason == "internal error (RuntimeError: parser bug)"


async def test_a_bug_reading_one_source_costs_that_source_only(site: Site, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    serve_news(site, ["cop14-closes"])
    site.serve("/en/press", listing_html(["cop14-closes"]))
    import bot.fetch.run as run_module

    real = run_module._Run.read_page

    async def flaky(self: object, source: object, url: str, lang: str) -> object:
        if url.endswith("/en/press"):
            raise RuntimeError("listing parser bug")
        return await real(self, source, url, lang)  # type: ignore[arg-type]

    monkeypatch.setattr(run_module._Run, "read_page", flaky)
    write_sources(settings, [news_source(site, name="cms-press", listing=site.url("/en/press"), kind="press_release"), news_source(site)])
    report = await fetch_all(settings, quiet=True)
    assert _statuses(report)["new"] == ["cop14-closes"]
    assert [f.reason for f in report.failed] == ["listing: internal error (RuntimeError: listing parser bug)"]
