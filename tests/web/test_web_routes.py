"""`cmsbot web` routes for a newcomer: GET / lists the endpoints, /health says version, corpus size and
index age, /search hits carry a snippet and the total, ids work in a URL, from>to is a 400."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot import __version__
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


async def test_root_lists_every_endpoint(client: TestClient) -> None:
    data = await get(client, "/")
    assert data["version"] == __version__
    paths = {key.split()[1].split("?")[0] for key in data["endpoints"]}
    assert paths == {"/ask", "/search", "/source", "/latest", "/health"}
    for route in client.server.app.router.routes():  # and nothing the server serves is left out
        path = route.resource.canonical if route.resource else ""
        assert path == "/" or path.split("/{")[0] in paths


async def test_health_gives_version_corpus_size_and_index_age(client: TestClient, engine: Engine) -> None:
    assert engine.index_path is not None
    an_hour_ago = time.time() - 3600
    os.utime(engine.index_path, (an_hour_ago, an_hour_ago))
    data = await get(client, "/health")
    assert (data["version"], data["documents"], data["passages"]) == (__version__, 3, 50)
    assert 3590 <= data["index"]["age_seconds"] <= 3700
    assert data["index"]["built"].endswith("+00:00")


async def test_search_hits_carry_a_snippet_and_the_total(client: TestClient) -> None:
    data = await get(client, "/search", q="light pollution", limit="2")
    assert data["total"] > 2 and len(data["hits"]) == 2 and data["offset"] == 0
    for hit in data["hits"]:
        assert "light pollution" in hit["snippet"].lower() and len(hit["snippet"]) <= 245
        assert hit["ref"] == hit["id"].replace("#", "~")
    page2 = await get(client, "/search", q="light pollution", limit="2", offset="2")
    assert page2["total"] == data["total"] and page2["hits"][0]["id"] not in {h["id"] for h in data["hits"]}


@pytest.mark.parametrize("path", ["/search", "/ask"])
async def test_from_after_to_is_a_400_naming_it(client: TestClient, path: str) -> None:
    data = await get(client, path, status=400, q="species", **{"from": "2024-02-12", "to": "2014-01-01"})
    assert data == {"error": "from: 2024-02-12 is after to=2014-01-01"}


async def test_ask_bounds_its_period_with_from_and_to(client: TestClient) -> None:
    data = await get(client, "/ask", q="species", **{"from": "2024-01-01", "to": "2024-12-31"})
    assert data["citations"] and all(c["date"].startswith("2024") for c in data["citations"])


async def test_a_passage_id_survives_a_url_as_its_ref(client: TestClient) -> None:
    asked = await get(client, "/ask", q="When did COP14 open?")
    ref = next(c["ref"] for c in asked["citations"] if c["kind"] == "press_release")
    assert "#" not in ref and "~" in ref
    by_query = await client.get(f"/source?id={ref}")  # written by hand into a URL, unencoded
    by_path = await client.get(f"/source/{ref}")
    assert by_query.status == by_path.status == 200
    assert (await by_query.json()) == (await by_path.json())
    assert (await by_path.json())["ref"] == ref
    missing = await get(client, "/source/press/nothing~para-1", status=404)
    assert "no passage" in missing["error"]


async def test_every_answer_citation_carries_its_public_address(client: TestClient) -> None:
    data = await get(client, "/ask", q="COP14 species", limit="12")
    assert data["citations"] and all(c["url"].startswith("https://") for c in data["citations"])
