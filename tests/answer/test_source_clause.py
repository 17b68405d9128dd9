"""A question naming where the fact was read ("according to the Biodiversity Management Bureau"):
the source's words choose the document; within it, the passage with the question's own words leads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.question.query import parse_question

PAGES = {
    "press/bmb-cop12.md": (12, "2017-11-02", "Philippines hosts COP12",
                           "The Philippine government hosted COP12 on 22-28 October 2017 at the Philippine"
                           " International Convention Center, Manila.\n\n"
                           "The Biodiversity Management Bureau (BMB) is the focal point of the Department of"
                           " Environment in coordinating the commitments of the Philippines under the Convention;"
                           " the Bureau thanked its partners."),
    "press/denr-cop12.md": (12, "2017-10-29", "COP12 ends",
                            "Director Lim of the Biodiversity Management Bureau said the Philippine government will"
                            " work towards the commitments of the Convention and its newly approved resolutions."),
    "press/other.md": (None, "2018-01-10", "Birds", "The Secretariat published a report on migratory birds."),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, corpus_writer: Callable[[Path, dict], Path]) -> Engine:
    return Engine.open(corpus_writer(tmp_path_factory.mktemp("corpus"), PAGES), None, notify=lambda _m: None)


def test_the_source_clause_words_are_the_query_s_source_terms(engine: Engine) -> None:
    query = parse_question("According to the Biodiversity Management Bureau, when did the Philippines host COP12?",
                           engine.meetings)
    assert set(query.source_terms) >= {"biodivers", "manag", "bureau"}
    assert "philippin" not in query.source_terms  # the main clause has it too
    assert parse_question("When did the Philippines host COP12?", engine.meetings).source_terms == ()


def test_the_passage_with_the_question_s_words_leads_not_the_one_naming_the_source(engine: Engine) -> None:
    answer = engine.ask("According to the Biodiversity Management Bureau, on which dates did the Philippines host"
                        " COP12, and in which venue?")
    assert answer.found
    assert "22-28 October 2017" in answer.citations[0].quote
