"""Discord replies show each citation's public address and its URL-safe id."""

from __future__ import annotations

from pathlib import Path

from bot.discord.embeds import answer_embed, passage_embed
from bot.engine import Engine
from bot.model import passage_ref

REPO = Path(__file__).resolve().parents[2]


def test_every_cited_source_links_to_its_page_and_shows_its_ref(tmp_path: Path):
    engine = Engine.open(REPO / "corpus", tmp_path / "index.npz", notify=lambda _m: None)
    answer = engine.ask("COP14 species")
    embed = answer_embed(answer, answer.citations)
    assert len(embed.fields) == len(answer.citations) > 1
    for field, citation in zip(embed.fields, answer.citations):
        assert f"[source]({citation.passage.url})" in field.value and citation.passage.url.startswith("https://")
        assert f"`{passage_ref(citation.passage.id)}`" in field.value and "#" not in field.value.rsplit("`", 2)[-2]
    whole = passage_embed(answer.citations[0].passage)
    assert whole.url == answer.citations[0].passage.url


def test_a_search_hit_shows_the_text_around_the_match(tmp_path: Path):
    from bot.discord.embeds import search_embed

    engine = Engine.open(REPO / "corpus", tmp_path / "index.npz", notify=lambda _m: None)
    hits = engine.search("Magellanic plover", limit=1)
    embed = search_embed("Magellanic plover", hits, page=0, has_next=False)
    assert "Magellanic plover" in embed.fields[0].value and hits[0].passage.text.find("Magellanic") > 300
