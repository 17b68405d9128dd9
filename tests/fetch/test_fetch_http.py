"""The polite client against a real server on 127.0.0.1: retries, Retry-After, timeouts, redirects,
size cap, content type and robots.txt."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import pytest
from aiohttp import web
from fetchsite import FAST_OPTIONS, Site, sequence, serving, static

from bot.fetch.http import HTML_TYPES, PDF_TYPES, FetchError, PoliteClient, retry_after_seconds
from bot.fetch.sources import FetchOptions, Origin, origin_of


def _options(**overrides: Any) -> FetchOptions:
    values = {**FAST_OPTIONS, **overrides}
    values["allowed_domains"] = tuple(values["allowed_domains"])
    return FetchOptions(**values)


def _origins(site: Site) -> list[Origin]:
    """The fake site's own scheme, host and port, as a source listing there would allow."""
    here = origin_of(site.base)
    assert here is not None
    return [here]


class _Waits:
    """Stands in for asyncio.sleep in the client's retry loop: records each wait, sleeps none."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


async def _get(site: Site, path: str, *, waits: _Waits | None = None, accept: Any = HTML_TYPES, **options: Any) -> Any:
    async with PoliteClient(_options(**options), _origins(site)) as client:
        if waits is not None:
            client.sleep = waits
        return await client.get(site.url(path), accept=accept)


async def test_plain_get_sends_user_agent(site: Site) -> None:
    site.serve("/page", "<p>hello</p>")
    response = await _get(site, "/page")
    assert response.status == 200 and response.body == b"<p>hello</p>"
    assert site.hits("/page")[0]["User-Agent"].startswith("cmsbot/")


async def test_404_is_an_error_without_retries(site: Site) -> None:
    with pytest.raises(FetchError) as caught:
        await _get(site, "/missing")
    assert caught.value.status == 404 and "HTTP 404" in caught.value.reason
    assert len(site.hits("/missing")) == 1


async def test_500_then_success_is_retried(site: Site) -> None:
    site.routes["/flaky"] = sequence(static("oops", "text/plain", status=500), static("<p>ok</p>"))
    waits = _Waits()
    response = await _get(site, "/flaky", waits=waits)
    assert response.body == b"<p>ok</p>"
    assert len(site.hits("/flaky")) == 2
    assert waits.waits == [pytest.approx(FAST_OPTIONS["backoff_seconds"])]


async def test_persistent_503_gives_up_after_max_retries_with_backoff(site: Site) -> None:
    site.serve("/down", "busy", "text/plain", status=503)
    waits = _Waits()
    with pytest.raises(FetchError) as caught:
        await _get(site, "/down", waits=waits, max_retries=3, backoff_seconds=0.5, retry_after_cap_seconds=10)
    assert "HTTP 503 (after 4 attempts)" in caught.value.reason
    assert waits.waits == [0.5, 1.0, 2.0]  # exponential backoff


async def test_429_honours_retry_after_seconds(site: Site) -> None:
    site.routes["/busy"] = sequence(static("slow down", "text/plain", status=429, headers={"Retry-After": "3"}), static("<p>ok</p>"))
    waits = _Waits()
    response = await _get(site, "/busy", waits=waits, backoff_seconds=0.01, retry_after_cap_seconds=60)
    assert response.status == 200
    assert waits.waits == [3.0]


async def test_retry_after_is_capped(site: Site) -> None:
    site.routes["/busy"] = sequence(static("slow down", "text/plain", status=429, headers={"Retry-After": "86400"}), static("<p>ok</p>"))
    waits = _Waits()
    await _get(site, "/busy", waits=waits, retry_after_cap_seconds=0.05)
    assert waits.waits == [0.05]


async def test_429_with_real_sleep_stays_fast(site: Site) -> None:
    site.routes["/busy"] = sequence(static("slow down", "text/plain", status=429, headers={"Retry-After": "1"}), static("<p>ok</p>"))
    response = await _get(site, "/busy")  # the capped wait (0.05 s) is really slept
    assert response.status == 200 and len(site.hits("/busy")) == 2


def test_retry_after_http_date_and_garbage() -> None:
    now = datetime(2024, 2, 12, 10, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == pytest.approx(90)
    assert retry_after_seconds(format_datetime(now - timedelta(seconds=90), usegmt=True), now) == 0
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


async def test_slow_response_times_out(site: Site) -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.Response(text="too late")

    site.routes["/slow"] = slow
    with pytest.raises(FetchError, match=r"timed out after 0.2s \(after 1 attempt\)"):
        await _get(site, "/slow", timeout_seconds=0.2, max_retries=0)


async def test_redirect_within_allowed_domain_is_followed(site: Site) -> None:
    site.serve("/old", "", status=301, headers={"Location": "/new"})
    site.serve("/new", "<p>moved here</p>")
    response = await _get(site, "/old")
    assert response.final_url == site.url("/new") and response.body == b"<p>moved here</p>"


async def test_redirect_to_another_domain_is_refused_and_not_fetched(site: Site) -> None:
    elsewhere = site.url("/elsewhere").replace("127.0.0.1", "localhost")
    site.serve("/away", "", status=302, headers={"Location": elsewhere})
    site.serve("/elsewhere", "<p>should never be fetched</p>")
    with pytest.raises(FetchError, match="redirect to .*localhost.* refused"):
        await _get(site, "/away")
    assert not site.hits("/elsewhere")


async def test_redirect_to_another_port_on_an_allowed_host_is_refused(site: Site) -> None:
    async with serving(Site()) as other:  # same host 127.0.0.1, another port
        other.serve("/elsewhere", "<p>should never be fetched</p>")
        site.serve("/away", "", status=302, headers={"Location": other.url("/elsewhere")})
        with pytest.raises(FetchError, match="redirect to .* refused: not an allowed scheme, host and port"):
            await _get(site, "/away")
        assert not other.requests


async def test_a_listed_host_and_port_is_allowed_and_a_bare_host_means_the_default_port(site: Site) -> None:
    async with serving(Site()) as other:
        other.serve("/elsewhere", "<p>listed</p>")
        site.serve("/away", "", status=302, headers={"Location": other.url("/elsewhere")})
        port = other.base.rsplit(":", 1)[1]
        assert (await _get(site, "/away", allowed_domains=[f"127.0.0.1:{port}"])).body == b"<p>listed</p>"
    options = FetchOptions(allowed_domains=("www.cms.int", "http://odata.example:8080"))
    assert options.allows("https://www.cms.int/en") and options.allows("http://www.cms.int/en")
    assert not options.allows("https://www.cms.int:8443/en") and not options.allows("ftp://www.cms.int/")
    assert options.allows("http://odata.example:8080/svc") and not options.allows("https://odata.example:8080/svc")


async def test_an_unreachable_host_is_tried_once_and_named_in_one_line() -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    options = _options(max_retries=3, backoff_seconds=5)
    waits = _Waits()
    async with PoliteClient(options, [origin_of(dead)]) as client:  # type: ignore[list-item]
        client.sleep = waits
        for path in ("/a", "/b"):
            with pytest.raises(FetchError) as caught:
                await client.get(dead + path)
            assert caught.value.reason == "cannot reach 127.0.0.1"
    assert waits.waits == []  # no retries, no backoff


async def test_redirect_loop_is_bounded(site: Site) -> None:
    site.serve("/loop", "", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="more than 2 redirects"):
        await _get(site, "/loop", max_redirects=2)


async def test_declared_oversized_body_is_refused(site: Site) -> None:
    site.serve("/big", "x" * 300_000)
    with pytest.raises(FetchError, match="too large"):
        await _get(site, "/big", max_bytes=100_000)


async def test_streamed_oversized_body_stops_reading(site: Site) -> None:
    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(100):  # 6.4 MB if nobody stopped reading
            await response.write(b"y" * 65536)
        await response.write_eof()
        return response

    site.routes["/stream"] = endless
    with pytest.raises(FetchError, match="stopped reading"):
        await _get(site, "/stream", max_bytes=100_000)


async def test_wrong_content_type_is_refused(site: Site) -> None:
    site.serve("/doc.pdf", "<html>not a pdf</html>")
    with pytest.raises(FetchError, match="wrong content type 'text/html' \\(expected application/pdf"):
        await _get(site, "/doc.pdf", accept=PDF_TYPES)


async def test_domain_not_allowed_is_refused_before_any_request(site: Site) -> None:
    async with PoliteClient(_options(allowed_domains=["www.cms.int"])) as client:
        with pytest.raises(FetchError, match="not an allowed scheme, host and port"):
            await client.get(site.url("/page"))
    assert not site.requests


async def test_robots_disallow_is_honoured(site: Site) -> None:
    site.serve("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    site.serve("/private/page", "<p>secret</p>")
    site.serve("/public", "<p>open</p>")
    async with PoliteClient(_options(), _origins(site)) as client:
        with pytest.raises(FetchError, match="disallowed by robots.txt"):
            await client.get(site.url("/private/page"))
        assert (await client.get(site.url("/public"))).status == 200
    assert not site.hits("/private/page")
    assert len(site.hits("/robots.txt")) == 1  # cached per host


async def test_robots_5xx_disallows_the_host_for_the_run(site: Site) -> None:
    site.serve("/robots.txt", "down", "text/plain", status=503)
    site.serve("/public", "<p>open</p>")
    with pytest.raises(FetchError, match=r"robots.txt unavailable \(HTTP 503.*disallowed for this run"):
        await _get(site, "/public")
    assert not site.hits("/public")


async def test_missing_robots_allows_everything(site: Site) -> None:
    site.serve("/public", "<p>open</p>")
    assert (await _get(site, "/public")).status == 200
    assert len(site.hits("/robots.txt")) == 1


async def test_per_host_concurrency_limit(site: Site) -> None:
    in_flight = 0
    peak = 0

    async def counted(request: web.Request) -> web.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.02)
        in_flight -= 1
        return web.Response(text="<p>ok</p>", content_type="text/html")

    for n in range(6):
        site.routes[f"/p{n}"] = counted
    async with PoliteClient(_options(per_host_concurrency=2), _origins(site)) as client:
        await asyncio.gather(*(client.get(site.url(f"/p{n}")) for n in range(6)))
    assert peak <= 2
