"""robots.txt, fetched once per host per run and asked before every request.

A 4xx (typically 404) robots.txt allows everything; a 5xx, a timeout or a refused redirect makes
the whole host disallowed for this run (RFC 9309: an unreachable robots.txt means "assume
complete disallow"), and the reason is reported with each URL refused.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from urllib.robotparser import RobotFileParser

from bot.fetch.http import FetchError, host_key

if TYPE_CHECKING:
    from bot.fetch.http import PoliteClient


class RobotsCache:
    def __init__(self, client: PoliteClient) -> None:
        self._client = client
        #: host → parser, or a reason string when the host is off limits for this run.
        self._rules: dict[str, RobotFileParser | str] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def check(self, url: str) -> None:
        """Raise FetchError when robots.txt forbids ``url`` (or could not be read)."""
        rules = await self._rules_for(url)
        if isinstance(rules, str):
            raise FetchError(rules)
        if not rules.can_fetch(self._client.options.user_agent, url):
            raise FetchError("disallowed by robots.txt")

    async def _rules_for(self, url: str) -> RobotFileParser | str:
        host = host_key(url)
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            if host not in self._rules:
                self._rules[host] = await self._load(host)
            return self._rules[host]

    async def _load(self, host: str) -> RobotFileParser | str:
        robots_url = f"{host}/robots.txt"
        parser = RobotFileParser(robots_url)
        try:
            response = await self._client.get(robots_url, check_robots=False)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                parser.parse([])  # no robots.txt: everything allowed
                return parser
            if exc.reason.startswith("cannot reach "):
                return exc.reason
            return f"robots.txt unavailable ({exc.reason}); host treated as disallowed for this run"
        parser.parse(response.body.decode("utf-8", errors="replace").splitlines())
        delay = parser.crawl_delay(self._client.options.user_agent)
        if delay:
            gate = self._client.gate(host)
            gate.delay = max(gate.delay, min(float(delay), self._client.options.retry_after_cap_seconds))
        return parser
