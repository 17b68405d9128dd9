"""Helpers for fetch tests: a fake CMS website (routes, fixture pages, a COP-document PDF) and sources.yaml."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import io
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from aiohttp import web

from bot.config import Settings

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[2]

Handler = Callable[[web.Request], "web.StreamResponse | Awaitable[web.StreamResponse]"]

#: Tiny delays and limits so the whole module stays fast.
FAST_OPTIONS: dict[str, Any] = {
    "allowed_domains": ["127.0.0.1"],
    "timeout_seconds": 0.5,
    "per_host_concurrency": 4,
    "per_host_delay_seconds": 0,
    "max_retries": 2,
    "backoff_seconds": 0.01,
    "retry_after_cap_seconds": 0.05,
    "max_bytes": 200_000,
    "recheck_hours": 0,  # revalidate every item on every run (the conditional-request tests need it)
}

NEWS_ITEMS = {
    "cop14-closes": ("UN Wildlife Conference Closes", "COP14 closed in Samarkand.", "17 February 2024", "article-cop14-closes.html"),
    "state-of-species": ("State of the World's Migratory Species", "A landmark report.", "15 February 2024", "article-state-of-species.html"),
    "sharks-guidance": ("Guidance on migratory sharks", "New guidance after COP14.", "01 March 2024", "article-sharks.html"),
}


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def listing_html(slugs: list[str]) -> str:
    row = fixture_text("listing-item.html")
    items = "".join(
        row.replace("{{SLUG}}", slug).replace("{{TITLE}}", NEWS_ITEMS[slug][0])
        .replace("{{TEASER}}", NEWS_ITEMS[slug][1]).replace("{{DATE}}", NEWS_ITEMS[slug][2])
        for slug in slugs
    )
    return fixture_text("listing.html").replace("{{ITEMS}}", items)


def documents_html(rows: list[tuple[str, str, str]]) -> str:
    """rows: (href, symbol, title)."""
    rendered = "".join(
        f'      <tr><td>{symbol}</td><td><a href="{href}">{title}</a></td><td>15 December 2023</td></tr>\n'
        for href, symbol, title in rows
    )
    return fixture_text("documents.html").replace("{{ROWS}}", rendered)


def cop_document_pdf(number: int = 31, title: str = "CONSERVATION OF MIGRATORY SOARING BIRDS") -> bytes:
    """A PDF shaped like a COP document: symbol, date, meeting header, agenda item, numbered paragraphs."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle("")
    lines = [
        "CONVENTION ON MIGRATORY SPECIES",
        f"UNEP/CMS/COP14/Doc.{number}",
        "15 December 2023",
        "Original: English",
        "",
        "14th MEETING OF THE CONFERENCE OF THE PARTIES",
        "Samarkand, Uzbekistan, 12 - 17 February 2024",
        f"Agenda Item {number}",
        "",
        title,
        "",
        "(Prepared by the Secretariat)",
        "",
        "Background",
        "",
        "1. The Conference of the Parties adopted Resolution 12.26 on the conservation of",
        "migratory soaring birds along the Rift Valley and Red Sea flyway.",
        "2. The Secretariat has supported Range States in implementing the Action Plan and",
        "reports on progress made since COP13.",
        "3. The Conference of the Parties is invited to take note of this document and to",
        "adopt the draft decisions in the Annex.",
    ]
    y = 800
    for line in lines:
        if line:
            pdf.drawString(60, y, line)
        y -= 18
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@dataclass
class Site:
    """Routes path → handler; every request is recorded as (path, headers, host)."""

    base: str = ""
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str], str]] = field(default_factory=list)
    #: Every path requested with its query (``/en/news?page=1``), in order.
    full_paths: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        """Every path requested with its query, in order (robots.txt included)."""
        return list(self.full_paths)

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers, _host in self.requests if p == path]

    def serve(self, path: str, body: str | bytes, content_type: str = "text/html", *, etag: str | None = None,
              status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.routes[path] = static(body, content_type, etag=etag, status=status, headers=headers)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append((request.path, dict(request.headers), request.host))
        self.full_paths.append(request.path_qs)
        handler = self.routes.get(request.path_qs) or self.routes.get(request.path)
        if handler is None:
            return web.Response(status=404, text="not found")
        result = handler(request)
        return await result if inspect.isawaitable(result) else result


def static(body: str | bytes, content_type: str = "text/html", *, etag: str | None = None, status: int = 200,
           headers: dict[str, str] | None = None) -> Handler:
    """A fixed response; with ``etag``, a matching If-None-Match gets 304."""
    data = body.encode("utf-8") if isinstance(body, str) else body

    def handler(request: web.Request) -> web.Response:
        extra = dict(headers or {})
        if etag is not None:
            extra["ETag"] = etag
            if request.headers.get("If-None-Match") == etag:
                return web.Response(status=304, headers=extra)
        return web.Response(status=status, body=data, content_type=content_type, headers=extra)

    return handler


def sequence(*handlers: Handler) -> Handler:
    """Each request gets the next handler; the last one repeats."""
    remaining = list(handlers)

    def handler(request: web.Request) -> Any:
        current = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        return current(request)

    return handler


def write_sources(settings: Settings, sources: list[dict[str, Any]], **options: Any) -> Path:
    path = settings.corpus_dir / "sources.yaml"
    path.write_text(yaml.safe_dump({"fetch": {**FAST_OPTIONS, **options}, "sources": sources}, sort_keys=False), encoding="utf-8")
    return path


def news_source(site: Site, name: str = "cms-news", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "listing": site.url("/en/news"),
        "kind": "news_listing",
        "links": {"selector": ".view-content .views-row a", "pattern": r"/en/news/[^/?#]+$"},
        **extra,
    }


def documents_source(site: Site, **extra: Any) -> dict[str, Any]:
    return {
        "name": "cop14-documents",
        "listing": site.url("/en/cop14"),
        "kind": "cop_document",
        "meeting": "COP14",
        "links": {"pattern": r"/sites/default/files/document/[^?#]+\.pdf$"},
        **extra,
    }


def serve_news(site: Site, slugs: list[str], *, etags: bool = True) -> None:
    site.serve("/en/news", listing_html(slugs))
    for slug in slugs:
        site.serve(f"/en/news/{slug}", fixture_text(NEWS_ITEMS[slug][3]), etag=f'"{slug}-v1"' if etags else None)


@contextlib.asynccontextmanager
async def serving(site: Site) -> AsyncIterator[Site]:
    """Serve ``site`` with a real aiohttp server on 127.0.0.1 (a free port) while the block runs."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", site.handle)
    runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.1, access_log=None)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    site.base = f"http://127.0.0.1:{tcp._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    try:
        yield site
    finally:
        await runner.cleanup()
        await asyncio.sleep(0)
