"""`cmsbot web`: the engine as a small read-only JSON API over HTTP (aiohttp.web), as thin as the CLI.

    GET /                                         {"service", "version", "endpoints": {path: what it does}}
    GET /health                                   {"status": "ok", "version", "documents", "passages", "index": {…}}
    GET /ask?q=…[&meeting=&kind=&from=&to=&limit=] the answer, as `cmsbot ask --json` prints it
    POST /ask  {"q": …, "meeting": …, …}          the same, for a question too long for a URL
    GET /search?q=…[&meeting=&kind=&from=&to=&limit=&offset=]
                                                  {"query", "total", "offset", "hits": [{id, ref, title, …, "snippet", "score"}]}
    GET /source?id=…  or  GET /source/{ref}       one passage, whole, with its citation fields
    GET /latest[?meeting=&kind=&limit=]           {"passages": [...]}, newest first

``meeting`` is a number, code or host city ("14", "COP14", "Samarkand"); ``kind`` one of the
corpus kinds; ``from``/``to`` ISO dates (``from`` not after ``to``). A passage's ``ref`` is its id
with ``#`` as ``~``, safe in a URL (``/source/press/cop14-opening-2024-02-12~para-4``); ``/source``
takes either. Every error is JSON too, ``{"error": "…"}``: 400 for a bad parameter (saying which),
404 for an unknown passage or path, 405, and 500 (logged) if the engine fails — also for a request
aiohttp cannot parse (bad request line, header or chunking), which it answers itself before any
middleware (:class:`JsonErrorServer`). Text from the request is cleaned of lone surrogates before it
is echoed, so no input can make a response unencodable. Answers and searches run in the default
executor, off the event loop.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
import uuid
import logging
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime, timezone
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from bot import __version__
from bot.answer.render import answer_json, passage_json
from bot.question.context import Conversations
from bot.cms.meetings import UnknownMeeting
from bot.model import KINDS
from bot.safetext import clean
from bot.snippet import snippet

if TYPE_CHECKING:
    from bot.engine import Engine

log = logging.getLogger(__name__)

ENGINE: web.AppKey[Engine] = web.AppKey("engine")
CONVERSATIONS: web.AppKey[Conversations] = web.AppKey("conversations")
_CONVERSATION_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
MAX_LIMIT = 20


class BadParameter(web.HTTPBadRequest):
    def __init__(self, name: str, problem: str) -> None:
        super().__init__(text=json.dumps({"error": f"{name}: {problem}"}), content_type="application/json")


def _dumps(data: Any) -> str:
    # clean(): a lone surrogate anywhere in the data (a file name, an echoed value) would make the
    # UTF-8 body unencodable — a 500 after the handler had already succeeded.
    return clean(json.dumps(data, ensure_ascii=False))


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=_dumps)


Params = Mapping[str, str]


def _text(params: Params, name: str, *, required: bool = False) -> str | None:
    value = clean(str(params.get(name) or "")).strip()
    if not value:
        if required:
            raise BadParameter(name, "missing")
        return None
    return value


def _number(params: Params, name: str, default: int, low: int, high: int) -> int:
    raw = _text(params, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(name, f"not a whole number: {raw[:40]!r}") from None
    if not low <= value <= high:
        raise BadParameter(name, f"must be from {low} to {high}")
    return value


def _meeting(params: Params, engine: Engine) -> int | None:
    raw = _text(params, "meeting")
    if raw is None:
        return None
    try:
        return engine.meetings.number_of(raw)
    except (UnknownMeeting, ValueError) as exc:
        raise BadParameter("meeting", clean(str(exc))[:200]) from None


def _kind(params: Params) -> str | None:
    raw = _text(params, "kind")
    if raw is not None and raw not in KINDS:
        raise BadParameter("kind", f"one of {', '.join(KINDS)}")
    return raw


def _date(params: Params, name: str) -> date | None:
    raw = _text(params, name)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(name, f"not an ISO date (YYYY-MM-DD): {raw[:40]!r}") from None


async def _body_params(request: web.Request) -> dict[str, str]:
    """A POST body's ``{"q": …, "meeting": …}`` as parameters; 400 naming what is wrong with it."""
    raw = await request.read()
    try:
        body = json.loads(raw.decode(request.charset or "utf-8"))
    except LookupError:
        raise BadParameter("body", f"unknown charset {clean(request.charset or '')[:40]!r}") from None
    except RecursionError:
        raise BadParameter("body", "JSON nested too deeply") from None
    except ValueError:  # also UnicodeDecodeError: bytes that are not the declared charset
        raise BadParameter("body", "not JSON") from None
    if not isinstance(body, dict):
        raise BadParameter("body", 'a JSON object like {"q": "When did COP14 open?"}')
    params: dict[str, str] = {}
    for key, value in body.items():
        if isinstance(value, (dict, list)):
            raise BadParameter(clean(key)[:40], "must be a string or a number, not a JSON " + type(value).__name__)
        if value is not None:
            params[key] = str(value)
    return params


async def _in_executor(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(None, functools.partial(fn, *args, **kwargs))


#: What GET / lists: each endpoint and what it gives.
ENDPOINTS = {
    "GET /ask?q=…": "an answer with cited verbatim quotes (also meeting, kind, from, to, limit); POST /ask with {\"q\": …} for a long question",
    "GET /search?q=…": "ranked passages with a snippet each, and the total (also meeting, kind, from, to, limit, offset)",
    "GET /source?id=…": "one whole passage by its id or ref; also GET /source/{ref}",
    "GET /latest": "the newest passages, one per document (also meeting, kind, limit)",
    "GET /health": "status, version, corpus size and index age",
}


async def index(request: web.Request) -> web.Response:
    return _json({"service": "cmsbot", "version": __version__, "endpoints": ENDPOINTS})


def _index_info(engine: Engine) -> dict[str, Any]:
    """When the saved index was written and how old it is (None when the engine was never saved)."""
    path = engine.index_path
    try:
        written = Path(path).stat().st_mtime if path is not None else None
    except OSError:
        written = None
    if written is None:
        return {"built": None, "age_seconds": None}
    return {"built": datetime.fromtimestamp(written, timezone.utc).isoformat(timespec="seconds"),
            "age_seconds": max(0, round(time.time() - written))}


async def health(request: web.Request) -> web.Response:
    engine = request.app[ENGINE]
    return _json({"status": "ok", "version": __version__, "documents": len(engine.documents),
                  "passages": len(engine.passages), "index": _index_info(engine)})


def _date_range(params: Params) -> tuple[date | None, date | None]:
    date_from, date_to = _date(params, "from"), _date(params, "to")
    if date_from and date_to and date_from > date_to:
        raise BadParameter("from", f"{date_from.isoformat()} is after to={date_to.isoformat()}")
    return date_from, date_to


async def ask(request: web.Request) -> web.Response:
    params: Params = request.query
    if request.method == "POST":
        params = await _body_params(request)
    engine = request.app[ENGINE]
    question = _text(params, "q", required=True)
    assert question is not None
    meeting, kind, limit = _meeting(params, engine), _kind(params), _number(params, "limit", 3, 1, MAX_LIMIT)
    date_from, date_to = _date_range(params)
    # A follow-up names its conversation (the id an earlier reply gave); a new one gets an id.
    conversation = _text(params, "conversation")
    if conversation is not None and not _CONVERSATION_ID.fullmatch(conversation):
        raise BadParameter("conversation", "an id from an earlier reply (8-64 letters, digits, - or _)")
    conversation = conversation or uuid.uuid4().hex
    conversations = request.app[CONVERSATIONS]
    answer = await engine.ask_async(question, meeting=meeting, kind=kind, limit=limit,
                                    date_from=date_from, date_to=date_to, context=conversations.get(conversation))
    conversations.set(conversation, answer.context)
    return _json({**answer_json(answer), "conversation": conversation})


async def search(request: web.Request) -> web.Response:
    params, engine = request.query, request.app[ENGINE]
    query = _text(params, "q", required=True)
    assert query is not None
    date_from, date_to = _date_range(params)
    filters = {"meeting": _meeting(params, engine), "kind": _kind(params), "date_from": date_from, "date_to": date_to}
    offset = _number(params, "offset", 0, 0, 10_000)
    hits = await engine.search_async(query, limit=_number(params, "limit", 10, 1, MAX_LIMIT), offset=offset, **filters)
    total = await _in_executor(engine.search_total, query, **filters)
    return _json({"query": query, "total": total, "offset": offset, "hits": [
        {**passage_json(h.passage), "snippet": snippet(h.passage.text, query), "score": round(h.score, 6)}
        for h in hits]})


async def source(request: web.Request) -> web.Response:
    passage_id = request.match_info.get("ref") or _text(request.query, "id", required=True)
    assert passage_id is not None
    passage = request.app[ENGINE].passage(passage_id)
    if passage is None:
        raise web.HTTPNotFound(text=json.dumps({"error": f"no passage with id {passage_id[:200]!r}"}),
                               content_type="application/json")
    return _json({**passage_json(passage), "text": passage.text})


async def latest(request: web.Request) -> web.Response:
    params, engine = request.query, request.app[ENGINE]
    passages = await _in_executor(engine.latest, meeting=_meeting(params, engine), kind=_kind(params),
                                  limit=_number(params, "limit", 5, 1, MAX_LIMIT))
    return _json({"passages": [{**passage_json(p), "text": p.text} for p in passages]})


@web.middleware
async def json_errors(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                      ) -> web.StreamResponse:
    """Every error as ``{"error": …}``; an unexpected one is logged with its traceback."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.content_type == "application/json":
            raise
        response = _json({"error": exc.reason}, status=exc.status)
        if "Allow" in exc.headers:
            response.headers["Allow"] = exc.headers["Allow"]
        return response
    except Exception:
        log.exception("web: %s %s failed", request.method, request.path_qs[:300])
        return _json({"error": "internal error"}, status=500)


class _JsonErrorHandler(RequestHandler):
    """aiohttp's connection handler, answering requests it cannot parse with JSON, not text/plain.

    A malformed request is the client's error: logged in one line at debug level, not with a
    traceback at error level as aiohttp does (a client sending garbage would fill the log)."""

    def handle_error(self, request: Any, status: int = 500, exc: BaseException | None = None,
                     message: str | None = None) -> web.StreamResponse:
        if status >= 500:
            return super().handle_error(request, status, exc, message)  # logged with its traceback, as before
        self.logger.debug("web: bad request from %s: %s: %s", request.remote, status, exc)
        if request.writer.output_size > 0:  # as aiohttp: a response is under way, nothing more to send
            raise ConnectionError("Response is sent already, cannot send another response with the error message")
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        detail = f"{phrase}: {clean(str(exc))[:200]}" if status == 400 and exc is not None else phrase
        response = _json({"error": detail}, status=status)
        response.force_close()
        return response


class JsonErrorServer(web.Server):
    """A :class:`web.Server` whose connections use :class:`_JsonErrorHandler`."""

    def __call__(self) -> RequestHandler:
        return _JsonErrorHandler(self, loop=self._loop, **self._kwargs)


class JsonErrorRunner(web.AppRunner):
    """An AppRunner serving the app through :class:`JsonErrorServer` (run_web and the tests use it)."""

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        server.__class__ = JsonErrorServer  # same state, only the per-connection handler differs
        return server


def make_app(engine: Engine) -> web.Application:
    # Long questions fit in a URL up to 64 KiB (aiohttp's default line limit is 8 KiB); beyond, POST.
    app = web.Application(middlewares=[json_errors], handler_args={"max_line_size": 1 << 16})
    app[ENGINE] = engine
    app[CONVERSATIONS] = Conversations()
    app.router.add_get("/", index)
    app.router.add_get("/health", health)
    app.router.add_get("/ask", ask)
    app.router.add_post("/ask", ask)
    app.router.add_get("/search", search)
    app.router.add_get("/source", source)
    app.router.add_get("/source/{ref:.+}", source)
    app.router.add_get("/latest", latest)
    return app


def run_web(engine: Engine, host: str, port: int) -> None:
    """Serve until interrupted (Ctrl-C). The address is bound before the URL is printed, so a port
    in use or a host that is not this machine's raises OSError and nothing claims to be listening."""
    asyncio.run(_serve(make_app(engine), host, port))


async def _serve(app: web.Application, host: str, port: int) -> None:
    runner = JsonErrorRunner(app)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        shown = f"[{host}]" if ":" in host else host
        print(f"cmsbot web: http://{shown}:{port}/ (endpoints), http://{shown}:{port}/ask?q=When+did+COP14+open%3F"
              " (Ctrl-C to stop)", file=sys.stderr)
        await asyncio.Event().wait()  # until Ctrl-C cancels the run
    finally:
        await runner.cleanup()
