"""Issue 15, "Done when": a property-based suite (Hypothesis) of hostile questions, front matter, file
names and HTTP requests against the CLI, the engine and the web API. Bounded: the ``ci`` profile
(tests/hostile/conftest.py) runs a fixed few dozen examples per property with a per-example deadline.

Every property is what the team guide promises: bad input gets an answer or a clear error and loses
nothing — no exception, no 5xx, no non-JSON error, no unencodable output, good passages kept.
"""

from __future__ import annotations

import asyncio
import http.client
import io
import json
import os
import shutil
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
import yaml
from aiohttp import web
from hostile import examples, file_names, front_matter, http_requests, questions, raw_front_matter
from hypothesis import example, given
from hypothesis import strategies as st

from bot.answer.compose import ELLIPSIS
from bot.answer.render import answer_json, passage_json
from bot.cli import main
from bot.cms.meetings import MeetingRegistry
from bot.engine import Engine
from bot.ingest.corpus import load_corpus
from bot.model import KINDS, Answer
from bot.web import JsonErrorRunner, make_app

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
GOOD = CORPUS / "press" / "cop14-opening-2024-02-12.md"
SURROGATES = range(0xD800, 0xE000)


def encodable(text: str) -> bool:
    return not any(ord(ch) in SURROGATES for ch in text)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return Engine.open(CORPUS, tmp_path_factory.mktemp("index") / "index.npz", notify=lambda _m: None)


@pytest.fixture(scope="module")
def meetings() -> MeetingRegistry:
    return MeetingRegistry.load(CORPUS / "meetings.yaml")


def check_answer(answer: Answer, limit: int) -> None:
    """What every answer keeps: JSON-able, verbatim quotes, at most ``limit`` citations."""
    json.dumps(answer_json(answer))
    assert isinstance(answer.found, bool) and len(answer.citations) <= limit
    assert not answer.found or answer.citations or answer.answer, "found means something to show"
    for citation in answer.citations:
        for piece in citation.quote.split(ELLIPSIS):
            assert piece.strip() in citation.passage.text, "every quote is verbatim"


# ---------------------------------------------------------------------------------------- engine


@given(question=questions(), meeting=st.sampled_from([None, 11, 14, 1]), kind=st.sampled_from([None, *KINDS]),
       limit=st.integers(1, 20))
def test_the_engine_answers_any_question(engine: Engine, question: str, meeting, kind, limit: int) -> None:
    check_answer(engine.ask(question, meeting=meeting, kind=kind, limit=limit), limit)


@given(query=questions(), kind=st.sampled_from([None, *KINDS]), limit=st.integers(1, 20), offset=st.integers(0, 100),
       dates=st.tuples(st.none() | st.dates(), st.none() | st.dates()))
def test_search_honours_its_filters_on_any_query(engine: Engine, query: str, kind, limit: int, offset: int,
                                                 dates) -> None:
    date_from, date_to = dates
    hits = engine.search(query, kind=kind, date_from=date_from, date_to=date_to, limit=limit, offset=offset)
    assert len(hits) <= limit
    for hit in hits:
        json.dumps(passage_json(hit.passage))
        assert kind is None or hit.passage.kind == kind
        assert date_from is None or (hit.passage.date is not None and hit.passage.date >= date_from)
        assert date_to is None or (hit.passage.date is not None and hit.passage.date <= date_to)


@given(value=st.one_of(questions(), st.integers(-(10**20), 10**20), st.text(st.characters(categories=["Nd", "No"]))))
def test_a_meeting_name_resolves_or_is_unknown_meeting(meetings: MeetingRegistry, value) -> None:
    from bot.cms.meetings import UnknownMeeting

    try:
        number = meetings.number_of(value)
    except UnknownMeeting as exc:
        assert str(exc)
    else:
        assert meetings.get(number) is not None


# ---------------------------------------------------------------------------------------- CLI


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "index.npz"
    Engine.open(CORPUS, path, notify=lambda _m: None)
    return path


def run_cli(argv: list[str], stdin: bytes = b"", encoding: str = "utf-8") -> tuple[int, bytes, str]:
    """``main(argv)`` with byte-level stdin/stdout, as a shell gives them."""
    stdin_stream = io.TextIOWrapper(io.BytesIO(stdin), encoding=encoding, errors="strict")
    out = io.BytesIO()
    stdout_stream = io.TextIOWrapper(out, encoding=encoding, errors="strict", write_through=True)
    err = io.StringIO()
    with mock.patch.object(sys, "stdin", stdin_stream), mock.patch.object(sys, "stdout", stdout_stream), \
            mock.patch.object(sys, "stderr", err):
        code = main(argv)
        stdout_stream.flush()
    return code, out.getvalue(), err.getvalue()


@examples(15)
@given(lines=st.lists(st.one_of(questions().map(lambda q: q.encode("utf-8", "surrogatepass")),
                                st.binary(max_size=40)).map(lambda b: b.replace(b"\n", b" ")), max_size=6),
       encoding=st.sampled_from(["utf-8", "ascii"]))
def test_ask_json_stdin_gives_one_valid_json_line_per_line(index: Path, lines: list[bytes], encoding: str) -> None:
    stdin = b"\n".join(lines) + (b"\n" if lines else b"")
    code, out, err = run_cli(["ask", "--corpus", str(CORPUS), "--index", str(index), "--json", "-"], stdin, encoding)
    assert code == 0, err
    printed = out.split(b"\n")
    assert printed[-1] == b"" and len(printed) - 1 == len(lines)
    for raw in printed[:-1]:
        data = json.loads(raw.decode("utf-8"))
        assert encodable(data["question"]) and isinstance(data["found"], bool)


@examples(15)
@given(meeting=questions(), question=questions())
def test_ask_with_any_meeting_option_answers_or_exits_2_in_one_line(index: Path, meeting: str, question: str) -> None:
    args = ["ask", "--corpus", str(CORPUS), "--index", str(index), "--json", f"--meeting={meeting}", "--", question or "?"]
    code, out, err = run_cli(args)
    assert code in (0, 2) and "Traceback" not in err
    if code == 2:
        assert err.startswith("cmsbot: --meeting: ") and err.count("\n") >= 1
    else:
        json.loads(out.decode("utf-8"))


@examples(25)
@given(command=st.sampled_from(["search", "latest", "source", "meeting", "ask"]), text=questions(),
       as_json=st.booleans(), options=st.lists(st.tuples(
           st.sampled_from(["--meeting", "--kind", "--limit", "--offset", "--from", "--to"]),
           st.one_of(questions(), st.sampled_from(["0", "-1", "3", "99999", "²", "2024-02-30", "2024-02-12", "COP14"]))),
           max_size=2))
def test_every_command_answers_or_fails_in_one_line(index: Path, command: str, text: str, as_json: bool,
                                                   options: list[tuple[str, str]]) -> None:
    argv = ["--corpus", str(CORPUS), "--index", str(index), command, *(["--json"] if as_json else [])]
    if command != "source" and command != "meeting":
        argv += [f"{flag}={value}" for flag, value in options]
    argv += ["--", text or "?"]
    try:
        code, out, err = run_cli(argv)
    except SystemExit as exc:  # argparse refusing an option: its own usage line and exit 2
        code, out, err = exc.code, b"", ""
    assert code in (0, 1, 2) and "Traceback" not in err, err
    if code == 0 and as_json:
        for line in out.decode("utf-8").splitlines():  # strict UTF-8: nothing unencodable got out
            json.loads(line)
    elif code == 0:
        out.decode("utf-8")


# ---------------------------------------------------------------------------------------- corpus


def corpus_with(tmp: Path, files: dict[bytes, bytes]) -> Path:
    """A scratch corpus: meetings.yaml, the shipped COP14 press release, and ``files`` under press/."""
    if tmp.exists():
        shutil.rmtree(tmp)
    (tmp / "press").mkdir(parents=True)
    shutil.copy(CORPUS / "meetings.yaml", tmp / "meetings.yaml")
    shutil.copy(GOOD, tmp / "press" / "good.md")
    for name, data in files.items():
        with open(os.path.join(os.fsencode(tmp / "press"), name), "wb") as fh:
            fh.write(data)
    return tmp


@pytest.fixture(scope="module")
def good_passages(meetings: MeetingRegistry, tmp_path_factory: pytest.TempPathFactory) -> int:
    loaded = load_corpus(corpus_with(tmp_path_factory.mktemp("good"), {}), meetings)
    assert not loaded.problems
    return len(loaded.passages)


def check_corpus(corpus: Path, meetings: MeetingRegistry, good_passages: int) -> None:
    loaded = load_corpus(corpus, meetings)  # never raises
    kept = [p for p in loaded.passages if p.source == "press/good.md"]
    assert len(kept) == good_passages, "every good passage is kept beside a broken file"
    for problem in loaded.problems:
        assert problem.path and problem.reason and encodable(problem.path + problem.reason)
    for passage in loaded.passages:
        assert encodable(passage.id + passage.source), "ids and names are printable text"


@examples(20)
@given(meta=front_matter(), body=st.sampled_from(["", "PRESS RELEASE\n\nSome text.", "just words"]))
def test_any_front_matter_loses_no_good_passage(meetings: MeetingRegistry, good_passages: int, tmp_path: Path,
                                                meta: dict, body: str) -> None:
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body
    check_corpus(corpus_with(tmp_path / "c", {b"hostile.md": text.encode("utf-8", "surrogatepass")}), meetings,
                 good_passages)


@examples(20)
@given(header=raw_front_matter())
def test_any_front_matter_text_loses_no_good_passage(meetings: MeetingRegistry, good_passages: int, tmp_path: Path,
                                                     header: str) -> None:
    text = f"---\n{header}\n---\nPRESS RELEASE\n\nSome text about COP14."
    check_corpus(corpus_with(tmp_path / "c", {b"hostile.md": text.encode("utf-8")}), meetings, good_passages)


@example(meta={"symbol": 14.5})  # the issue's own case, so every run meets it
@given(meta=front_matter())
def test_an_engine_builds_from_any_front_matter(meetings: MeetingRegistry, tmp_path: Path, meta: dict) -> None:
    """Front-matter values of any type must not stop the index build (issue 15 item 1, ingest's)."""
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\nPRESS RELEASE\n\nText."
    corpus = corpus_with(tmp_path / "c", {b"hostile.md": text.encode("utf-8")})
    engine = Engine.build(corpus, meetings)
    check_answer(engine.ask("When did COP14 open?"), 3)


@examples(20)
@given(names=st.lists(file_names(), min_size=1, max_size=3, unique=True))
def test_any_file_name_loses_no_good_passage_and_answers_serialise(meetings: MeetingRegistry, good_passages: int,
                                                                   tmp_path: Path, names: list[bytes]) -> None:
    names = [n for n in names if n != b"good.md"]
    corpus = corpus_with(tmp_path / "c", {name: GOOD.read_bytes() for name in names})
    check_corpus(corpus, meetings, good_passages)
    engine = Engine.build(corpus, meetings)
    answer = engine.ask("What is the COP14 slogan?", limit=5)
    check_answer(answer, 5)
    for citation in answer.citations:
        assert engine.passage(citation.passage.id) is not None, "a cited id can be looked up again"


# ---------------------------------------------------------------------------------------- web


@pytest.fixture(scope="module")
def server(engine: Engine) -> Iterator[tuple[str, int]]:
    """The web API on 127.0.0.1 in a thread of its own, so sync Hypothesis tests can talk to it."""
    ready = threading.Event()
    loop = asyncio.new_event_loop()
    where: dict[str, object] = {}

    async def serve() -> None:
        runner = JsonErrorRunner(make_app(engine))
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        where["address"] = runner.addresses[0][:2]
        where["stop"] = stop = asyncio.Event()
        ready.set()
        await stop.wait()
        await runner.cleanup()

    thread = threading.Thread(target=lambda: loop.run_until_complete(serve()), daemon=True)
    thread.start()
    assert ready.wait(10)
    yield where["address"]  # type: ignore[misc]
    loop.call_soon_threadsafe(where["stop"].set)  # type: ignore[attr-defined]
    thread.join(10)


@examples(60)
@given(request=http_requests())
def test_no_http_request_gets_a_5xx_or_a_non_json_answer(server: tuple[str, int], request) -> None:
    method, target, body, headers = request
    connection = http.client.HTTPConnection(*server, timeout=10)
    try:
        connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    assert response.status < 500, data[:300]
    if method == "HEAD":
        return
    assert response.getheader("Content-Type", "").startswith("application/json"), (response.status, data[:200])
    parsed = json.loads(data.decode("utf-8"))
    if response.status >= 400:
        assert isinstance(parsed.get("error"), str) and parsed["error"]


@examples(30)
@given(raw=st.one_of(
    st.binary(max_size=300),
    st.tuples(st.sampled_from([b"GET", b"POST", b"G\x00T", b""]), st.binary(max_size=60),
              st.sampled_from([b"HTTP/1.1", b"HTTP/1.0", b"HTTP/2", b"HTTP/1.1\r\nHost: x\r\nContent-Length: -1"]))
    .map(lambda t: b" ".join(t) + b"\r\n\r\n"),
))
def test_raw_bytes_on_the_socket_never_get_a_5xx(server: tuple[str, int], raw: bytes) -> None:
    with socket.create_connection(server, timeout=5) as sock:
        sock.sendall(raw)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    reply = b"".join(chunks)
    if not reply:  # nothing complete was sent: closing is an answer too
        return
    status = int(reply.split(b" ", 2)[1])
    assert status < 500, reply[:300]
    head, _, body = reply.partition(b"\r\n\r\n")
    assert b"application/json" in head.lower(), reply[:300]
    assert json.loads(body.decode("utf-8"))
