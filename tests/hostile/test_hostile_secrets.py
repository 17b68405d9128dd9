"""Issue 15 item 10: a setting's error never echoes a value that looks like a secret; a token Discord
will not take — closed with gateway code 4004, or holding CR/LF — is one line on stderr and exit 2.

The 4004 case runs the real discord.py client against a real aiohttp server on 127.0.0.1 playing
Discord's REST API and gateway (login succeeds, the gateway says HELLO, then closes with 4004).
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from pathlib import Path

import discord
import pytest
from aiohttp import WSMsgType, web

from bot.cli import main
from bot.config import ConfigError, Settings, load_settings
from bot.discord import runner
from bot.engine import Engine

REPO = Path(__file__).resolve().parents[2]
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.secret-token-value-never-shown"


@pytest.mark.parametrize("name", [
    "CMSBOT_OWNER_IDS", "CMSBOT_COOLDOWN_RATE", "CMSBOT_COOLDOWN_SECONDS", "CMSBOT_FETCH_INTERVAL_MINUTES",
    "CMSBOT_LOG_LEVEL",
])
@pytest.mark.parametrize("secret", [TOKEN, "ghp_16C7e42F292c6912E7710c838347Ae178B4a", "sk-AbC123dEf456",
                                    "hunter2\r\nhunter2"])
def test_a_secret_in_the_wrong_setting_is_never_echoed(name: str, secret: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({name: secret}, dotenv=None)
    message = str(caught.value)
    assert message.startswith(name) and "not shown" in message
    assert secret not in message and secret[:8] not in message and "\n" not in message


@pytest.mark.parametrize("name, value", [("CMSBOT_COOLDOWN_RATE", "lots"), ("CMSBOT_LOG_LEVEL", "loud")])
def test_a_plain_bad_value_is_still_shown(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=repr(value)):
        load_settings({name: value}, dotenv=None)


def test_the_cli_prints_the_secret_free_line_and_exits_2(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("CMSBOT_COOLDOWN_RATE", TOKEN)
    assert main(["ask", "--corpus", str(REPO / "corpus"), "hello"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "CMSBOT_COOLDOWN_RATE" in err and "secret" not in err.replace("a secret", "")
    assert TOKEN not in err and "MTIz" not in err


def test_a_token_read_with_its_newline_is_stripped() -> None:
    assert load_settings({"DISCORD_TOKEN": f"  {TOKEN}\r\n"}, dotenv=None).discord_token == TOKEN


@pytest.fixture
def no_network_login(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    attempts: list[str] = []

    async def static_login(self: discord.http.HTTPClient, token: str) -> object:
        attempts.append(token)
        raise AssertionError("a malformed token must not be sent")

    monkeypatch.setattr(discord.http.HTTPClient, "static_login", static_login)
    return attempts


@pytest.mark.parametrize("token", [f"{TOKEN[:20]}\r\n{TOKEN[20:]}", f"{TOKEN}\nX-Injected: 1", "two words", "tökén"])
@pytest.mark.parametrize("entry", [runner.run_serve, runner.run_sync])
def test_a_token_with_cr_lf_or_spaces_is_one_line_exit_2(entry, token: str, tmp_path: Path, capsys,
                                                         no_network_login: list[str]) -> None:
    assert entry(Settings(corpus_dir=REPO / "corpus", data_dir=tmp_path / "d", discord_token=token)) == 2
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "DISCORD_TOKEN" in err and "Traceback" not in out + err
    assert "secret-token" not in out + err and no_network_login == []


class FakeDiscord:
    """Discord's REST API (login, gateway URL) and a gateway that closes with ``close_code`` after IDENTIFY."""

    def __init__(self, close_code: int) -> None:
        self.close_code = close_code
        self.identified: list[str] = []
        self.port = 0
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Event | None = None

    def app(self) -> web.Application:
        def reply(data: dict) -> web.Response:  # discord.py wants exactly "application/json"
            return web.Response(body=json.dumps(data).encode(), headers={"Content-Type": "application/json"})

        async def me(_request: web.Request) -> web.Response:
            return reply({"id": "1234", "username": "cmsbot", "discriminator": "0", "avatar": None, "bot": True})

        async def gateway_url(_request: web.Request) -> web.Response:
            return reply({"url": f"ws://127.0.0.1:{self.port}/gateway", "shards": 1, "session_start_limit": {
                "total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}})

        async def application(_request: web.Request) -> web.Response:
            user = {"id": "1234", "username": "owner", "discriminator": "0", "avatar": None}
            return reply({"id": "1234", "name": "cmsbot", "icon": None, "description": "", "bot_public": True,
                          "bot_require_code_grant": False, "verify_key": "00", "flags": 0, "owner": user,
                          "team": None})

        app = web.Application()
        app.router.add_get("/api/v10/users/@me", me)
        app.router.add_get("/api/v10/oauth2/applications/@me", application)
        app.router.add_get("/api/v10/gateway/bot", gateway_url)
        app.router.add_get("/gateway", self.gateway)
        return app

    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 45000}, "s": None, "t": None})
        async for message in ws:
            if message.type == WSMsgType.TEXT and message.json().get("op") == 2:
                self.identified.append(message.json()["d"]["token"])
                await ws.close(code=self.close_code, message=b"Authentication failed.")
        return ws

    def _serve(self) -> None:
        async def main() -> None:
            runner_ = web.AppRunner(self.app())
            await runner_.setup()
            site = web.TCPSite(runner_, "127.0.0.1", 0)
            await site.start()
            self.port = runner_.addresses[0][1]
            self._stop = asyncio.Event()
            self._ready.set()
            await self._stop.wait()
            await runner_.cleanup()

        self._loop.run_until_complete(main())

    def __enter__(self) -> FakeDiscord:
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return Engine.open(REPO / "corpus", tmp_path_factory.mktemp("index") / "index.npz", notify=lambda _m: None)


@pytest.mark.parametrize("close_code, code, message", [
    (4004, 2, "rejected the token"), (4014, 2, "refused the requested intents"),
    (4011, 1, "gateway close code 4011"),
])
def test_gateway_close_codes_are_one_line(close_code: int, code: int, message: str, tmp_path: Path, engine: Engine,
                                          monkeypatch: pytest.MonkeyPatch, capsys, caplog) -> None:
    monkeypatch.setattr(runner, "_setup_logging", lambda settings: None)
    monkeypatch.setattr(runner, "_open_engine", lambda settings: engine)
    caplog.set_level(logging.DEBUG)
    with FakeDiscord(close_code) as fake:
        monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{fake.port}/api/v10")
        assert runner.run_serve(Settings(data_dir=tmp_path / "d", discord_token=TOKEN)) == code
    assert fake.identified == [TOKEN], "the real client logged in and identified to the gateway"
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and message in err and "Traceback" not in out + err
    assert "secret-token" not in out + err + caplog.text
