"""`cmsbot web`: the JSON API over a real aiohttp server on 127.0.0.1, on the shipped corpus."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.answer.render import answer_json
from bot.engine import Engine
from bot.web import make_app

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return Engine.open(REPO / "corpus", tmp_path_factory.mktemp("index") / "index.npz", notify=lambda _m: None)


@pytest.fixture
async def client(engine: Engine) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(make_app(engine), host="127.0.0.1")) as running:
        yield running


async def get(client: TestClient, path: str, status: int = 200, **params: str) -> dict:
    response = await client.get(path, params=params)
    assert response.status == status, await response.text()
    assert response.content_type == "application/json"
    return await response.json()


async def test_health_counts_what_is_held(client: TestClient) -> None:
    data = await get(client, "/health")
    assert {k: data[k] for k in ("status", "documents", "passages")} == {"status": "ok", "documents": 3, "passages": 50}


async def test_ask_answers_as_the_command_line_does(client: TestClient, engine: Engine) -> None:
    data = await get(client, "/ask", q="When did COP14 open?")
    conversation = data.pop("conversation")
    assert data == answer_json(engine.ask("When did COP14 open?"))
    assert data["found"] and data["answer"] == "COP14 opened on 12 February 2024 in Samarkand, Uzbekistan."
    assert all(c["date"] for c in data["citations"]), "every citation carries its date"
    # A follow-up in the same conversation is read in its context; another conversation's is not.
    follow = await get(client, "/ask", q="and when did it close?", conversation=conversation)
    assert follow["answer"] == "COP14 closed on 17 February 2024 in Samarkand, Uzbekistan."
    assert "COP14" in follow["context"] and follow["conversation"] == conversation
    other = await get(client, "/ask", q="and when did it close?")
    assert other["conversation"] != conversation and "context" not in other


async def test_a_conversation_says_what_it_took_in_its_language(client: TestClient) -> None:
    first = await get(client, "/ask", q="Quand a eu lieu la COP14 ?")
    follow = await get(client, "/ask", q="et la COP13 ?", conversation=first["conversation"])
    assert follow["context"] == "la question précédente, pour COP13"
    assert follow["answer"].startswith("La COP13 s'est tenue à Gandhinagar")


async def test_a_bad_conversation_id_is_a_400(client: TestClient) -> None:
    response = await client.get("/ask", params={"q": "When did COP14 open?", "conversation": "x y"})
    assert response.status == 400 and "conversation" in (await response.json())["error"]


async def test_ask_filters_and_limits(client: TestClient) -> None:
    data = await get(client, "/ask", q="species listing", meeting="Samarkand", kind="press_release", limit="1")
    assert len(data["citations"]) == 1
    assert data["citations"][0]["meeting"] == 14 and data["citations"][0]["kind"] == "press_release"


async def test_not_found_is_an_answer_not_an_error(client: TestClient) -> None:
    data = await get(client, "/ask", q="Where will COP16 be held?")
    assert data["found"] is False and data["citations"] == [] and "COP16" in data["note"]


@pytest.mark.parametrize("params, message", [
    ({}, "q: missing"),
    ({"q": "   "}, "q: missing"),
    ({"q": "x", "meeting": "Atlantis"}, "meeting: no meeting matches 'Atlantis'"),
    ({"q": "x", "meeting": "99"}, "meeting: COP99 is not in meetings.yaml"),
    ({"q": "x", "kind": "tweet"}, "kind: one of"),
    ({"q": "x", "limit": "lots"}, "limit: not a whole number"),
    ({"q": "x", "limit": "0"}, "limit: must be from 1 to 20"),
])
async def test_a_bad_parameter_is_a_400_that_says_which(client: TestClient, params: dict, message: str) -> None:
    data = await get(client, "/ask", 400, **params)
    assert data["error"].startswith(message)


async def test_any_question_is_answered_without_crashing(client: TestClient) -> None:
    for question in ["@everyone " * 2000, "💥" * 4000, "<script>alert(1)</script>", "?" * 10]:
        data = await get(client, "/ask", q=question)
        assert data["question"] == question.strip() and isinstance(data["found"], bool)
    # Longer than any URL: POST it.
    question = "When did COP14 open? " + "blah " * 100_000
    response = await client.post("/ask", json={"q": question, "limit": 1})
    assert response.status == 200
    data = await response.json()
    assert data["question"] == question.strip() and isinstance(data["found"], bool) and len(data["citations"]) <= 1


@pytest.mark.parametrize("body, message", [
    (b"not json", "body: not JSON"), (b'["a list"]', "body: a JSON object"), (b'{"limit": 2}', "q: missing"),
])
async def test_a_bad_post_body_is_a_400(client: TestClient, body: bytes, message: str) -> None:
    response = await client.post("/ask", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 400 and (await response.json())["error"].startswith(message)


async def test_search_with_filters_and_paging(client: TestClient) -> None:
    data = await get(client, "/search", q="polar bear Appendix")
    assert data["hits"][0]["id"] == "news/cms-news-cop11-2014#item-4"
    assert data["hits"][0]["date"] == "2014-11-06" and data["hits"][0]["score"] > 0
    dated = await get(client, "/search", q="migratory species", **{"from": "2024-01-01", "to": "2024-12-31"})
    assert dated["hits"] and all(h["date"].startswith("2024") for h in dated["hits"])
    first, second = [await get(client, "/search", q="migratory", limit="1", offset=str(n)) for n in (0, 1)]
    assert len(first["hits"]) == len(second["hits"]) == 1 and first["hits"][0]["id"] != second["hits"][0]["id"]
    bad = await get(client, "/search", 400, q="x", **{"from": "last week"})
    assert bad["error"].startswith("from: not an ISO date")


async def test_source_gives_the_whole_passage(client: TestClient) -> None:
    data = await get(client, "/source", id="documents/unep-cms-cop14-doc19#para-4")
    assert data["locator"] == "para. 4" and data["symbol"] == "UNEP/CMS/COP14/Doc.19"
    assert "Joint CMS/AEWA Information Management, Communication and Awareness-raising Unit (IMCA)" in data["text"]
    missing = await get(client, "/source", 404, id="documents/nothing#para-1")
    assert "no passage with id" in missing["error"]


async def test_latest_is_newest_first(client: TestClient) -> None:
    data = await get(client, "/latest", limit="3")
    dates = [p["date"] for p in data["passages"]]
    assert len(dates) == 3 and dates == sorted(dates, reverse=True) and dates[0] == "2024-02-12"
    cop11 = await get(client, "/latest", meeting="COP11", limit="2")
    assert [p["meeting"] for p in cop11["passages"]] == [11, 11]


async def test_unknown_paths_and_methods_are_json_errors(client: TestClient) -> None:
    assert (await get(client, "/nowhere", 404))["error"] == "Not Found"
    response = await client.delete("/ask")
    assert response.status == 405 and "GET" in response.headers["Allow"]
    assert (await response.json())["error"] == "Method Not Allowed"


async def test_an_engine_failure_is_a_logged_500(client: TestClient, engine: Engine,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("index on fire")

    monkeypatch.setattr(engine, "ask", broken)
    with caplog.at_level(logging.ERROR):
        data = await get(client, "/ask", 500, q="When did COP14 open?")
    assert data == {"error": "internal error"}
    assert "index on fire" in caplog.text and "/ask" in caplog.text
