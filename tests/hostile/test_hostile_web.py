"""Issue 15 item 6: no user input makes the web API answer 500 or anything but JSON.

A real aiohttp server on 127.0.0.1 (the same runner ``cmsbot web`` uses), the shipped corpus, and a
corpus holding a file whose name is not UTF-8.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import ClientSession, web

from bot.engine import Engine
from bot.web import JsonErrorRunner, make_app

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return Engine.open(REPO / "corpus", tmp_path_factory.mktemp("index") / "index.npz", notify=lambda _m: None)


async def _start(app: web.Application) -> tuple[JsonErrorRunner, str, int]:
    runner = JsonErrorRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, host, port


@pytest.fixture
async def server(engine: Engine) -> AsyncIterator[tuple[str, int]]:
    runner, host, port = await _start(make_app(engine))
    try:
        yield host, port
    finally:
        await runner.cleanup()


async def _request(server: tuple[str, int], method: str, path: str, **kwargs: object) -> tuple[int, str, dict]:
    host, port = server
    async with ClientSession() as session:
        async with session.request(method, f"http://{host}:{port}{path}", **kwargs) as response:
            body = await response.read()
            assert response.content_type == "application/json", body[:200]
            return response.status, response.content_type, json.loads(body.decode("utf-8"))


async def _raw(server: tuple[str, int], request: bytes) -> tuple[int, str, bytes]:
    """Send bytes no HTTP client would, read the status line, headers and body."""
    reader, writer = await asyncio.open_connection(*server)
    writer.write(request)
    await writer.drain()
    data = await asyncio.wait_for(reader.read(), timeout=5)
    writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    content_type = next((line.split(b":", 1)[1].strip().decode() for line in head.split(b"\r\n")[1:]
                         if line.lower().startswith(b"content-type:")), "")
    return status, content_type, body


@pytest.mark.parametrize("meeting", ["³", "²⁰", "COP³", "9" * 5000, "\u0661\u0664x"])
async def test_superscript_and_odd_digits_in_meeting_are_a_400_naming_it(server, meeting: str) -> None:
    for path in ("/ask?q=hello", "/search?q=hello", "/latest?x=1"):
        status, _, data = await _request(server, "GET", path, params={"meeting": meeting})
        assert status == 400 and data["error"].startswith("meeting: "), data


async def test_arabic_indic_digits_name_a_meeting() -> None:
    from bot.cms.meetings import MeetingRegistry

    meetings = MeetingRegistry.load(REPO / "corpus" / "meetings.yaml")
    assert meetings.number_of("\u0661\u0664") == 14  # int() reads every decimal digit, not superscripts


@pytest.mark.parametrize("body", [
    b'{"q": "\\ud800"}', b'{"q": "When did COP14 open? \\udfff"}', b'{"q": "x", "meeting": "\\ud83d"}',
    b'{"q": "x", "kind": "\\udc80"}', b'{"q": "x", "limit": "\\ud800"}', b'{"\\ud800": 1, "q": "x"}',
])
async def test_a_lone_surrogate_in_a_post_body_is_answered_or_a_400(server, body: bytes) -> None:
    status, _, data = await _request(server, "POST", "/ask", data=body, headers={"Content-Type": "application/json"})
    assert status in (200, 400), data
    if status == 200 and b'"q": "x"' not in body:
        assert "\ufffd" in data["question"]


@pytest.mark.parametrize("body, name", [
    (b"[" * 100_000 + b"]" * 100_000, "body: JSON nested too deeply"),
    (b'{"q": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "body: JSON nested too deeply"),
    (b'{"q": {"a": 1}}', "q: must be a string or a number"),
    (b'{"q": "x", "limit": [1]}', "limit: must be a string or a number"),
    (b"\xff\xfe{", "body: not JSON"),
])
async def test_deeply_nested_or_mistyped_json_is_a_400_naming_it(server, body: bytes, name: str) -> None:
    status, _, data = await _request(server, "POST", "/ask", data=body, headers={"Content-Type": "application/json"})
    assert status == 400 and data["error"].startswith(name), data


async def test_an_unknown_charset_is_a_400(server) -> None:
    status, _, data = await _request(server, "POST", "/ask", data=b'{"q": "x"}',
                                     headers={"Content-Type": "application/json; charset=klingon"})
    assert status == 400 and data["error"].startswith("body: unknown charset 'klingon'")


@pytest.mark.parametrize("request_bytes", [
    b"GET /ask?q=x HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    b"GET /ask?q=x HTTP/9.9\r\nHost: x\r\n\r\n",
    b"G@T /ask HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /ask HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
    b"POST /ask HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"GET /ask?q=" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40,  # a TLS hello to a plain port
])
async def test_a_request_aiohttp_cannot_parse_gets_a_json_error(server, request_bytes: bytes,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        status, content_type, body = await _raw(server, request_bytes)
    assert 400 <= status < 500 and content_type.startswith("application/json"), (status, body[:200])
    assert json.loads(body)["error"]
    # The client's error: one debug line, no traceback at error level for anyone to flood the log with.
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert any("bad request" in r.getMessage() for r in caplog.records)


async def test_an_error_response_with_no_json_body_becomes_json(server) -> None:
    status, _, data = await _request(server, "POST", "/ask", data=b"x" * (2 << 20),
                                     headers={"Content-Type": "application/json"})
    assert status == 413 and data["error"]


@pytest.fixture
async def odd_names_server(tmp_path: Path) -> AsyncIterator[tuple[str, int]]:
    corpus = tmp_path / "corpus"
    (corpus / "press").mkdir(parents=True)
    shutil.copy(REPO / "corpus" / "meetings.yaml", corpus / "meetings.yaml")
    text = (REPO / "corpus" / "press" / "cop14-opening-2024-02-12.md").read_bytes()
    with open(os.path.join(os.fsencode(corpus / "press"), b"caf\xe9-\xff-opening.md"), "wb") as fh:
        fh.write(text)
    engine = Engine.open(corpus, tmp_path / "index.npz", notify=lambda _m: None)
    runner, host, port = await _start(make_app(engine))
    try:
        yield host, port
    finally:
        await runner.cleanup()


async def test_an_answer_citing_a_file_whose_name_is_not_utf8(odd_names_server) -> None:
    status, _, data = await _request(odd_names_server, "GET", "/ask", params={"q": "What is the COP14 slogan?"})
    assert status == 200 and data["citations"], data
    cited = data["citations"][0]["id"]
    assert cited.startswith("press/caf\ufffd-\ufffd-opening#")
    status, _, whole = await _request(odd_names_server, "GET", "/source", params={"id": cited})
    assert status == 200 and whole["id"] == cited and whole["text"]
    status, _, hits = await _request(odd_names_server, "GET", "/search", params={"q": "Nature Knows No Borders"})
    assert status == 200 and hits["hits"][0]["id"].startswith("press/caf\ufffd")
