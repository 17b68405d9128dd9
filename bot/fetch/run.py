"""A fetch run: read every listing, fetch new or changed items, write validated corpus files, report.

Each item ends in exactly one of new / changed / unchanged / failed; nothing raises past
``fetch_all`` except a sources.yaml that cannot be used (SourcesError).
"""

from __future__ import annotations

import asyncio
import hashlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.cms.meetings import MeetingRegistry, MeetingsFileError
from bot.config import Settings
from bot.fetch import listing as pages
from bot.fetch.extract import ExtractError, check_pdf, decode_html, html_item, item_is_file, item_kind, slug_for
from bot.fetch.http import FEED_TYPES, HTML_TYPES, PDF_TYPES, FetchError, PoliteClient
from bot.fetch.listing import ListingLink
from bot.fetch.report import FetchedItem, FetchReport
from bot.fetch.sources import FetchOptions, Source, SourcesConfig, load_sources
from bot.state.fetch import FetchStore
from bot.fetch.write import Candidate, current_document, prepare, same_as_current, worse_reason, write_atomic

#: ``progress(status, item, done, total)``; status is "new", "changed", "unchanged", "failed" or "skipped".
Progress = Callable[[str, FetchedItem, int, int], None]


class StderrProgress:
    """One line per item on stderr: ``[3/12] new        fetched/cms-news/x.md  (ETA 1m05s)``.

    Skipped items are counted, not printed; "cannot reach <host>" is left to the summary line.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.started = clock()

    def __call__(self, status: str, item: FetchedItem, done: int, total: int) -> None:
        if status == "skipped" or (item.reason and "cannot reach " in item.reason):
            return
        where = item.path or item.url
        extra = f" — {item.reason}" if item.reason else ""
        print(f"[{done}/{total}] {status:<9} {where}{extra}{eta(self.clock() - self.started, done, total)}",
              file=sys.stderr, flush=True)


def eta(elapsed: float, done: int, total: int) -> str:
    """``  (ETA 1m05s)`` from the pace so far; empty when finished or too early to tell."""
    if done <= 0 or done >= total or elapsed < 1:
        return ""
    left = round(elapsed / done * (total - done))
    return f"  (ETA {left // 60}m{left % 60:02d}s)" if left >= 60 else f"  (ETA {left}s)"


def stderr_progress(status: str, item: FetchedItem, done: int, total: int) -> None:
    """A one-off :class:`StderrProgress` line (no ETA)."""
    StderrProgress()(status, item, done, total)


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


@dataclass
class _Found:
    """What reading one source's listing(s) gave: item links, and failures (a page that could not be read)."""

    links: list[ListingLink]
    failures: list[FetchedItem]
    #: Every listing page was read to its end (no pager "next", or the ``pages`` cap).
    complete: bool = True


class _Run:
    def __init__(self, settings: Settings, config: SourcesConfig, meetings: MeetingRegistry, store: FetchStore,
                 client: PoliteClient, progress: Progress | None) -> None:
        self.corpus_dir = settings.corpus_dir
        self.data_dir = settings.data_dir
        self.options: FetchOptions = config.options
        self.config = config
        self.meetings = meetings
        self.store = store
        self.client = client
        self.progress = progress
        self.report = FetchReport()
        self.done = 0
        self.total = 0
        #: Listing URLs of every source: section pages, never items.
        self.listing_urls = {url for s in config.sources for _lang, url in s.listings()}
        #: Sources with items left for the next run: their walk is not complete yet.
        self.capped: set[str] = set()

    def finish(self, status: str, item: FetchedItem) -> None:
        self.report.add(status, item)
        self.done += 1
        if self.progress is not None:
            self.progress(status, item, self.done, self.total)

    async def run(self) -> FetchReport:
        sources = self.config.sources
        found = await asyncio.gather(*(self.safe_discover(s) for s in sources))
        failures = [f for result in found for f in result.failures]
        jobs, skipped = await asyncio.to_thread(self.plan, sources, found)  # a query or three per link: off the loop
        self.total = len(failures) + len(jobs) + len(skipped)
        for failure in failures:
            self.finish("failed", failure)
        for item in skipped:
            self.finish("skipped", item)
        await asyncio.gather(*(self.fetch_item(job) for job in jobs))
        for source, result in zip(sources, found):
            if result.complete and not result.failures and source.name not in self.capped:
                self.store.mark_walked(source.name)
        return self.report

    # ------------------------------------------------------------------ discovery

    async def safe_discover(self, source: Source) -> _Found:
        """``discover``, with a bug in reading one source costing that source only."""
        try:
            return await self.discover(source)
        except Exception as exc:
            return _Found([], [self._listing_failure(source, source.listings()[0][1], f"internal error ({type(exc).__name__}: {exc})")],
                          complete=False)

    async def discover(self, source: Source) -> _Found:
        """The source's item links from each of its listings (one per language), pager followed."""
        if source.read == "odata":
            from bot.fetch.odata import discover_odata

            return await discover_odata(self, source)
        found = _Found([], [])
        walked = self.store.walked(source.name)
        for lang, listing in source.listings():
            url: str | None = listing
            for page in range(source.pages):
                if url is None:
                    break
                try:
                    links, next_url = await self.read_page(source, url, lang)
                except FetchError as exc:
                    found.failures.append(self._listing_failure(source, url, exc.reason))
                    found.complete = False
                    break
                except ValueError as exc:  # a page the parser cannot use
                    found.failures.append(self._listing_failure(source, url, str(exc)))
                    found.complete = False
                    break
                found.links.extend(links)
                url = next_url
                # Incremental: once a full pass has been made, a page of known items ends the walk.
                if walked and links and all(self.store.state(link.key) is not None for link in links):
                    break
        if not found.links and not found.failures:
            found.failures.append(self._listing_failure(
                source, source.listings()[0][1],
                "no item links found (has the page layout changed? check links.selector / links.pattern)"))
        return found

    def _listing_failure(self, source: Source, url: str, reason: str) -> FetchedItem:
        return FetchedItem(url=url, source=source.name, kind=item_kind(source), reason=f"listing: {reason}")

    async def read_page(self, source: Source, url: str, lang: str) -> tuple[list[ListingLink], str | None]:
        """One listing page's item links and the pager's next page (None for a feed or the last page)."""
        accept = FEED_TYPES if source.read == "feed" else HTML_TYPES
        response = await self.client.get(url, accept=accept)
        allows = self.client.allows
        if source.read == "feed":
            links = await asyncio.to_thread(pages.feed_links, response.body, response.final_url, source.links.pattern, allows, lang)
            return links, None
        html = decode_html(response.body, response.headers.get("content-type"))

        def parse() -> tuple[list[ListingLink], str | None]:  # in a worker thread: CPU work, off the event loop
            tree = pages.parse_html(html)
            if source.read == "documents":
                links = pages.document_rows(tree, response.final_url, source.languages, allows, source.links.pattern)
            else:
                links = pages.listing_links(tree, response.final_url, source.links.selector, source.links.pattern, allows, lang)
            return links, pages.next_page(tree, response.final_url)

        try:
            links, next_url = await asyncio.to_thread(parse)
        except ValueError:
            raise
        except Exception as exc:  # selectolax on a pathological page
            raise ValueError(f"cannot read the page ({type(exc).__name__}: {exc})") from None
        if item_is_file(source) and source.read == "links":
            # A listing of documents links to each document's own page: its file is found there.
            links = [link if pages.is_file_url(link.url) else replace(link, via_page=True) for link in links]
        return links, next_url

    # ------------------------------------------------------------------ planning

    def plan(self, sources: tuple[Source, ...], found: list[_Found]) -> tuple[list[_Job], list[FetchedItem]]:
        """One job per distinct item (first source wins), each with a corpus path no other item owns;
        items fetched less than ``recheck_hours`` ago are skipped, and each source's jobs are capped at
        ``max_items`` (the rest wait for the next run)."""
        jobs: list[_Job] = []
        skipped: list[FetchedItem] = []
        seen: set[str] = set()
        claimed: dict[str, str] = {}
        for source, result in zip(sources, found):
            taken = 0
            for link in result.links:
                if link.key in seen or link.url in self.listing_urls:
                    continue
                seen.add(link.key)
                state = self.store.state(link.key)
                has_file = state is not None and state.path is not None and (self.corpus_dir / state.path).is_file()
                if has_file and self.store.fresh(link.key, self.options.recheck_hours):
                    known = self.store.item(link.key)
                    skipped.append(known if known is not None else FetchedItem(url=link.url, source=source.name, kind=item_kind(source)))
                    continue
                if taken >= source.max_items:
                    self.report.deferred += 1
                    self.capped.add(source.name)
                    continue
                taken += 1
                rel = state.path if state is not None and state.path else self.new_path(source, link, claimed)
                claimed[rel] = link.key
                jobs.append(_Job(source, link, rel))
        return jobs, skipped

    def new_path(self, source: Source, link: ListingLink, claimed: dict[str, str]) -> str:
        suffix = ".pdf" if item_is_file(source) else ".md"
        folder = f"{self.options.output_dir.strip('/')}/{source.name}"
        stem = slug_for(link.url)
        if link.lang and link.lang != "en" and pages.file_language(link.url) != link.lang:
            stem = f"{stem}.{link.lang}"  # one file per language, never one name for three
        rel = f"{folder}/{stem}{suffix}"
        owner = claimed.get(rel) or self.store.path_owner(rel)
        if owner is not None and owner != link.key:
            rel = f"{folder}/{stem}-{hashlib.sha1(link.key.encode()).hexdigest()[:8]}{suffix}"
        return rel

    # ------------------------------------------------------------------ items

    async def fetch_item(self, job: _Job) -> None:
        try:
            await self._fetch_item(job)
        except Exception as exc:  # a bug must cost this item only, not the run
            item = FetchedItem(url=job.link.url, source=job.source.name, kind=item_kind(job.source), path=job.rel_path,
                               reason=f"internal error ({type(exc).__name__}: {exc})")
            self.finish("failed", item)

    async def _fetch_item(self, job: _Job) -> None:
        source, link = job.source, job.link
        base = FetchedItem(url=link.url, source=source.name, kind=item_kind(source), path=job.rel_path, title=link.text, date=link.date,
                           meeting=source.meeting)
        state = self.store.state(link.key)
        has_file = (self.corpus_dir / job.rel_path).is_file()
        try:
            url = await self.file_url(link) if link.via_page else link.url
        except FetchError as exc:
            self.finish("failed", replace(base, reason=exc.reason))
            return
        headers: dict[str, str] = {}
        if state is not None and has_file:
            if state.etag:
                headers["If-None-Match"] = state.etag
            if state.last_modified:
                headers["If-Modified-Since"] = state.last_modified
        accept = PDF_TYPES if item_is_file(source) else HTML_TYPES
        try:
            response = await self.client.get(url, accept=accept, headers=headers)
        except FetchError as exc:
            self.finish("failed", replace(base, reason=exc.reason))
            return
        known = self.store.item(link.key) if has_file else None
        if response.not_modified and known is not None:
            self.store.touch(link.key)
            self.finish("unchanged", known)
            return
        digest = hashlib.sha256(response.body).hexdigest()
        if known is not None and state is not None and state.hash == digest:
            self.store.touch(link.key, etag=response.etag, last_modified=response.last_modified)
            self.finish("unchanged", known)
            return
        if not response.body.strip():
            self.finish("failed", replace(base, reason="empty body" + ("; kept the current file" if has_file else "")))
            return
        try:
            candidate = await asyncio.to_thread(self.build, job, url, response.body, response.headers.get("content-type"))
            current = await asyncio.to_thread(current_document, self.corpus_dir, job.rel_path, self.meetings)
            reason = worse_reason(candidate.document, current, self.options.min_text_ratio)
            if reason:
                raise ExtractError(reason)
        except ExtractError as exc:
            # Refused: the current file stays, and the state (hash, validators) stays the current file's.
            suffix = "; kept the current file" if has_file and "kept the current file" not in exc.reason else ""
            self.finish("failed", replace(base, reason=exc.reason + suffix))
            return
        document = candidate.document
        # The row of a document table names its document; a page's own title is in its text.
        told_title = link.text if source.read in {"documents", "odata"} else None
        title = told_title or (document.title if document.title != Path(job.rel_path).stem else (link.text or document.title))
        item = replace(base, title=title, kind=document.kind, date=document.date, meeting=document.meeting)
        unchanged = has_file and await asyncio.to_thread(same_as_current, self.corpus_dir, candidate.files)
        if not unchanged:
            try:
                await asyncio.to_thread(write_atomic, self.corpus_dir, candidate.files)  # fsync of a large PDF: off the loop
            except OSError as exc:
                self.finish("failed", replace(item, reason=f"cannot write {job.rel_path} ({exc.strerror or exc})"))
                return
        self.store.record(item, etag=response.etag, last_modified=response.last_modified, content_hash=digest, key=link.key)
        self.finish("unchanged" if unchanged else "changed" if has_file else "new", item)

    async def file_url(self, link: ListingLink) -> str:
        """A document page's link to its file in ``link.lang``."""
        page = await self.client.get(link.url, accept=HTML_TYPES)
        html = decode_html(page.body, page.headers.get("content-type"))
        found = await asyncio.to_thread(pages.page_file, html, page.final_url, link.lang or "en", self.client.allows)
        if found is None:
            raise FetchError(f"no {link.lang or 'en'} file on the document's page")
        return found

    def told(self, job: _Job, url: str, page_date: Any = None) -> dict[str, Any]:
        """The front matter the source told about the item: nothing it did not state."""
        source, link = job.source, job.link
        return {
            "url": url,
            "date": link.date or page_date,
            "kind": None if source.kind == "news_listing" else source.kind,
            "symbol": link.symbol,
            "meeting": link.meeting if link.meeting is not None else source.meeting,
            "lang": link.lang,
        }

    def build(self, job: _Job, url: str, body: bytes, content_type: str | None) -> Candidate:
        """Runs in a worker thread: parsing HTML or a PDF is CPU work."""
        fallback = item_kind(job.source)
        if job.rel_path.endswith(".pdf"):
            check_pdf(body)
            return prepare(job.rel_path, self.told(job, url), body, self.meetings, fallback_kind=fallback)
        text, page_date = html_item(decode_html(body, content_type))
        return prepare(job.rel_path, self.told(job, url, page_date), text, self.meetings, fallback_kind=fallback)


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
    reporter = progress if progress is not None else (None if quiet else StderrProgress())
    own_store = store is None
    active = store if store is not None else FetchStore.in_data_dir(settings.data_dir)
    try:
        async with PoliteClient(config.options, config.origins) as client:
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
