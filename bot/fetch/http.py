"""A polite, guarded HTTP GET on aiohttp.

Per host: a concurrency limit and a minimum delay between request starts. Per request: a timeout,
retries with exponential backoff on 429/5xx/timeouts/connection errors (Retry-After honoured, as
seconds or an HTTP date, capped), redirects followed by hand so every hop is checked against the
domain allow-list and robots.txt, the body streamed and abandoned past a size cap, and the
content type checked against what the caller expects.
"""

from __future__ import annotations

import asyncio
import email.utils
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import aiohttp

from bot.fetch.sources import FetchOptions, Origin

if TYPE_CHECKING:
    from bot.fetch.robots import RobotsCache

HTML_TYPES: tuple[str, ...] = ("text/html", "application/xhtml+xml")
FEED_TYPES: tuple[str, ...] = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
JSON_TYPES: tuple[str, ...] = ("application/json",)
PDF_TYPES: tuple[str, ...] = ("application/pdf", "application/x-pdf")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class FetchError(Exception):
    """A URL that could not be fetched; ``reason`` is for the report, ``status`` the last HTTP status."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class Response:
    url: str  # as requested
    final_url: str  # after redirects
    status: int  # 2xx or 304
    headers: dict[str, str]  # lower-cased names
    body: bytes
    content_type: str  # the MIME type, lower-cased, parameters dropped

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


def host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds to wait: ``120`` or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class _HostGate:
    """At most ``concurrency`` requests in flight to a host, starts at least ``delay`` seconds apart."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self._lock = asyncio.Lock()
        self._next_start = 0.0
        self.delay = delay

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._slots:
            async with self._lock:
                loop = asyncio.get_running_loop()
                wait = self._next_start - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._next_start = loop.time() + self.delay
            yield


class PoliteClient:
    """Use as ``async with PoliteClient(options) as client: await client.get(url, accept=HTML_TYPES)``."""

    def __init__(self, options: FetchOptions, origins: Collection[Origin] = ()) -> None:
        self.options = options
        #: Scheme, host and port always allowed (the sources' own listings), besides ``allowed_domains``.
        self.origins = frozenset(origins)
        #: Hosts that could not be reached this run (DNS failure, refused): not tried again.
        self.unreachable: set[str] = set()
        self._session: aiohttp.ClientSession | None = None
        self._gates: dict[str, _HostGate] = {}
        self.robots: RobotsCache | None = None
        #: How retry waits are slept; tests swap in a recorder.
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def __aenter__(self) -> PoliteClient:
        from bot.fetch.robots import RobotsCache

        self._session = aiohttp.ClientSession(headers={"User-Agent": self.options.user_agent})
        self.robots = RobotsCache(self)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def allows(self, url: str) -> bool:
        """Is ``url``'s scheme, host and port allowed (a source's own, or listed)?"""
        return self.options.allows(url, self.origins)

    def gate(self, url: str) -> _HostGate:
        key = host_key(url)
        if key not in self._gates:
            self._gates[key] = _HostGate(self.options.per_host_concurrency, self.options.per_host_delay_seconds)
        return self._gates[key]

    async def get(
        self,
        url: str,
        *,
        accept: Collection[str] | None = None,
        headers: dict[str, str] | None = None,
        check_robots: bool = True,
    ) -> Response:
        """GET ``url``; raises FetchError for anything but a 2xx of an accepted type or a 304."""
        current = url
        for _hop in range(self.options.max_redirects + 1):
            if not self.allows(current):
                if current == url:
                    raise FetchError(f"{host_key(current)} is not an allowed scheme, host and port")
                raise FetchError(f"redirect to {current} refused: not an allowed scheme, host and port")
            host = urlsplit(current).hostname or ""
            if host in self.unreachable:
                raise FetchError(f"cannot reach {host}")
            if check_robots and self.robots is not None:
                await self.robots.check(current)
            status, response_headers, body = await self._with_retries(current, headers or {})
            if status in _REDIRECTS:
                location = response_headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {status} redirect without a Location header", status)
                current = urljoin(current, location)
                continue
            if status == 304:
                return Response(url, current, status, response_headers, b"", "")
            if not 200 <= status < 300:
                raise FetchError(f"HTTP {status}", status)
            content_type = response_headers.get("content-type", "").split(";")[0].strip().lower()
            if accept is not None and content_type not in accept:
                raise FetchError(
                    f"wrong content type {content_type or '(none)'!r} (expected {' or '.join(accept)})", status
                )
            return Response(url, current, status, response_headers, body, content_type)
        raise FetchError(f"more than {self.options.max_redirects} redirects")

    async def _with_retries(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        opts = self.options
        last = "no attempt made"
        status: int | None = None
        for attempt in range(opts.max_retries + 1):
            wait = opts.backoff_seconds * (2 ** attempt)
            try:
                status, response_headers, body = await self._once(url, headers)
            except aiohttp.ClientConnectorError as exc:
                # DNS failure, connection refused, no route: the host is not there. One try, one line.
                host = urlsplit(url).hostname or url
                self.unreachable.add(host)
                raise FetchError(f"cannot reach {host}", None) from exc
            except asyncio.TimeoutError:
                last, status = f"timed out after {opts.timeout_seconds:g}s", None
            except aiohttp.ClientError as exc:
                last, status = f"connection failed ({type(exc).__name__}: {exc})", None
            else:
                if status != 429 and status < 500:
                    return status, response_headers, body
                last = f"HTTP {status}"
                hinted = retry_after_seconds(response_headers.get("retry-after"))
                if hinted is not None:
                    wait = hinted
            if attempt < opts.max_retries:
                await self.sleep(min(wait, opts.retry_after_cap_seconds))
        tries = opts.max_retries + 1
        raise FetchError(f"{last} (after {tries} attempt{'s' if tries != 1 else ''})", status)

    async def _once(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        assert self._session is not None, "use PoliteClient as an async context manager"
        opts = self.options
        timeout = aiohttp.ClientTimeout(total=opts.timeout_seconds)
        async with self.gate(url).slot():
            async with self._session.get(url, headers=headers, allow_redirects=False, timeout=timeout) as resp:
                response_headers = {k.lower(): v for k, v in resp.headers.items()}
                if not 200 <= resp.status < 300:
                    return resp.status, response_headers, b""
                declared = resp.content_length
                if declared is not None and declared > opts.max_bytes:
                    raise FetchError(f"response too large ({declared} bytes declared; cap {opts.max_bytes})", resp.status)
                chunks: list[bytes] = []
                size = 0
                async for chunk in resp.content.iter_chunked(64 * 1024):
                    size += len(chunk)
                    if size > opts.max_bytes:
                        raise FetchError(f"response too large (over the {opts.max_bytes}-byte cap; stopped reading)", resp.status)
                    chunks.append(chunk)
                return resp.status, response_headers, b"".join(chunks)
