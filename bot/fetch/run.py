"""A fetch run: read every listing, fetch new or changed items, write validated corpus files, report.

Each item ends in exactly one of new / changed / unchanged / failed; nothing raises past
``fetch_all`` except a sources.yaml that cannot be used (SourcesError).
"""

from __future__ import annotations

import asyncio
import hashlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from bot.config import Settings
from bot.fetch.extract import ExtractError, ListingLink, decode_html, html_item, item_kind, listing_links, pdf_item, slug_for
from bot.fetch.http import HTML_TYPES, PDF_TYPES, FetchError, PoliteClient
from bot.fetch.report import FetchedItem, FetchReport
from bot.fetch.sources import FetchOptions, Source, SourcesConfig, load_sources
from bot.fetch.store import FetchStore
from bot.fetch.write import Candidate, current_document, prepare, same_as_current, worse_reason, write_atomic
from bot.cms.meetings import MeetingRegistry, MeetingsFileError

#: ``progress(status, item, done, total)``; status is "new", "changed", "unchanged" or "failed".
Progress = Callable[[str, FetchedItem, int, int], None]


def stderr_progress(status: str, item: FetchedItem, done: int, total: int) -> None:
    """One line per item on stderr: ``[3/12] new        fetched/cms-news/x.md``."""
    where = item.path or item.url
    extra = f" — {item.reason}" if item.reason else ""
    print(f"[{done}/{total}] {status:<9} {where}{extra}", file=sys.stderr, flush=True)


def load_meetings(corpus_dir: Path) -> MeetingRegistry:
    """The corpus's meetings.yaml, or an empty registry when there is none."""
    path = corpus_dir / "meetings.yaml"
    if not path.is_file():
        return MeetingRegistry([])
    try:
        return MeetingRegistry.load(path)
    except MeetingsFileError:
        return MeetingRegistry([])


@dataclass(frozen=True)
class _Job:
    source: Source
    link: ListingLink
    rel_path: str  # where the item's file goes, relative to the corpus


class _Run:
    def __init__(self, settings: Settings, config: SourcesConfig, meetings: MeetingRegistry, store: FetchStore,
                 client: PoliteClient, progress: Progress | None) -> None:
        self.corpus_dir = settings.corpus_dir
        self.options: FetchOptions = config.options
        self.config = config
        self.meetings = meetings
        self.store = store
        self.client = client
        self.progress = progress
        self.report = FetchReport()
        self.done = 0
        self.total = 0

    def finish(self, status: str, item: FetchedItem) -> None:
        self.report.add(status, item)
        self.done += 1
        if self.progress is not None:
            self.progress(status, item, self.done, self.total)

    async def run(self) -> FetchReport:
        sources = self.config.sources
        listings = await asyncio.gather(*(self.read_listing(s) for s in sources))
        failures = [result for result in listings if isinstance(result, FetchedItem)]
        jobs = self.plan(sources, [result if isinstance(result, list) else None for result in listings])
        self.total = len(failures) + len(jobs)
        for failure in failures:
            self.finish("failed", failure)
        await asyncio.gather(*(self.fetch_item(job) for job in jobs))
        return self.report

    async def read_listing(self, source: Source) -> list[ListingLink] | FetchedItem:
        """The listing's item links, or a failed item saying why there are none."""
        def failed(reason: str) -> FetchedItem:
            return FetchedItem(url=source.listing, source=source.name, kind=source.kind, reason=f"listing: {reason}")

        try:
            response = await self.client.get(source.listing, accept=HTML_TYPES)
        except FetchError as exc:
            return failed(exc.reason)
        html = decode_html(response.body, response.headers.get("content-type"))
        try:
            links = listing_links(html, response.final_url, source.links, self.options)
        except Exception as exc:  # selectolax on a pathological page
            return failed(f"cannot read the page ({type(exc).__name__}: {exc})")
        if not links:
            return failed("no item links found (has the page layout changed? check links.selector / links.pattern)")
        return links[: source.max_items]

    def plan(self, sources: tuple[Source, ...], listings: list[list[ListingLink] | None]) -> list[_Job]:
        """One job per distinct URL (first source wins), each with a corpus path no other URL owns."""
        jobs: list[_Job] = []
        seen: set[str] = set()
        claimed: dict[str, str] = {}
        for source, links in zip(sources, listings):
            for link in links or []:
                if link.url in seen:
                    continue
                seen.add(link.url)
                state = self.store.state(link.url)
                rel = state.path if state is not None and state.path else self.new_path(source, link.url, claimed)
                claimed[rel] = link.url
                jobs.append(_Job(source, link, rel))
        return jobs

    def new_path(self, source: Source, url: str, claimed: dict[str, str]) -> str:
        suffix = ".pdf" if item_kind(source) == "cop_document" else ".md"
        folder = f"{self.options.output_dir.strip('/')}/{source.name}"
        rel = f"{folder}/{slug_for(url)}{suffix}"
        owner = claimed.get(rel) or self.store.path_owner(rel)
        if owner is not None and owner != url:
            rel = f"{folder}/{slug_for(url)}-{hashlib.sha1(url.encode()).hexdigest()[:8]}{suffix}"
        return rel

    async def fetch_item(self, job: _Job) -> None:
        try:
            await self._fetch_item(job)
        except Exception as exc:  # a bug must cost this item only, not the run
            item = FetchedItem(url=job.link.url, source=job.source.name, kind=item_kind(job.source), path=job.rel_path,
                               reason=f"internal error ({type(exc).__name__}: {exc})")
            self.finish("failed", item)

    async def _fetch_item(self, job: _Job) -> None:
        source, url = job.source, job.link.url
        base = FetchedItem(url=url, source=source.name, kind=item_kind(source), path=job.rel_path, title=job.link.text, date=job.link.date)
        state = self.store.state(url)
        has_file = (self.corpus_dir / job.rel_path).is_file()
        headers: dict[str, str] = {}
        if state is not None and has_file:
            if state.etag:
                headers["If-None-Match"] = state.etag
            if state.last_modified:
                headers["If-Modified-Since"] = state.last_modified
        accept = PDF_TYPES if item_kind(source) == "cop_document" else HTML_TYPES
        try:
            response = await self.client.get(url, accept=accept, headers=headers)
        except FetchError as exc:
            self.finish("failed", replace(base, reason=exc.reason))
            return
        known = self.store.item(url) if has_file else None
        if response.not_modified and known is not None:
            self.store.touch(url)
            self.finish("unchanged", known)
            return
        digest = hashlib.sha256(response.body).hexdigest()
        if known is not None and state is not None and state.hash == digest:
            self.store.touch(url, etag=response.etag, last_modified=response.last_modified)
            self.finish("unchanged", known)
            return
        if not response.body.strip():
            self.finish("failed", replace(base, reason="empty body" + ("; kept the current file" if has_file else "")))
            return
        try:
            candidate = await asyncio.to_thread(self.build, job, response.body, response.headers.get("content-type"))
            current = await asyncio.to_thread(current_document, self.corpus_dir, job.rel_path, self.meetings)
            reason = worse_reason(candidate.document, current, self.options.min_text_ratio)
            if reason:
                raise ExtractError(reason)
        except ExtractError as exc:
            suffix = "; kept the current file" if has_file and "kept the current file" not in exc.reason else ""
            self.finish("failed", replace(base, reason=exc.reason + suffix))
            return
        document = candidate.document
        item = replace(base, title=document.title, kind=document.kind, date=document.date, meeting=document.meeting)
        unchanged = has_file and same_as_current(self.corpus_dir, candidate.files)
        if not unchanged:
            try:
                write_atomic(self.corpus_dir, candidate.files)
            except OSError as exc:
                self.finish("failed", replace(item, reason=f"cannot write {job.rel_path} ({exc.strerror or exc})"))
                return
        self.store.record(item, etag=response.etag, last_modified=response.last_modified, content_hash=digest)
        self.finish("unchanged" if unchanged else "changed" if has_file else "new", item)

    def build(self, job: _Job, body: bytes, content_type: str | None) -> Candidate:
        """Runs in a worker thread: parsing a PDF is CPU work."""
        if job.rel_path.endswith(".pdf"):
            draft = pdf_item(body, job.link.url, job.source)
            return prepare(job.rel_path, draft, body, self.meetings, fallback_title=job.link.text, fallback_date=job.link.date)
        draft, text, hinted_date = html_item(decode_html(body, content_type), job.link.url, job.source)
        return prepare(job.rel_path, draft, text, self.meetings, fallback_title=job.link.text, fallback_date=hinted_date or job.link.date)


async def fetch_all(
    settings: Settings,
    *,
    sources_path: Path | None = None,
    quiet: bool = False,
    progress: Progress | None = None,
    store: FetchStore | None = None,
) -> FetchReport:
    """Fetch every source in ``sources_path`` (default ``<corpus>/sources.yaml``) into the corpus.

    State lives in ``<data_dir>/fetch.sqlite3`` unless a ``store`` is given. Progress goes to
    ``progress`` if given, else one line per item on stderr unless ``quiet``.
    Raises SourcesError when sources.yaml is missing or invalid.
    """
    meetings = load_meetings(settings.corpus_dir)
    config = load_sources(sources_path or settings.corpus_dir / "sources.yaml", meetings)
    reporter = progress if progress is not None else (None if quiet else stderr_progress)
    own_store = store is None
    active = store if store is not None else FetchStore.in_data_dir(settings.data_dir)
    try:
        async with PoliteClient(config.options) as client:
            return await _Run(settings, config, meetings, active, client, reporter).run()
    finally:
        if own_store:
            active.close()


def run_fetch(
    settings: Settings,
    *,
    sources_path: Path | None = None,
    quiet: bool = False,
    progress: Progress | None = None,
) -> FetchReport:
    """``fetch_all`` for synchronous callers (the CLI); must not be called from a running event loop."""
    return asyncio.run(fetch_all(settings, sources_path=sources_path, quiet=quiet, progress=progress))
