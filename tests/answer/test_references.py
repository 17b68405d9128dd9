"""Questions naming a decision or resolution by its number, on a decisions page as cms.int prints it
(each number alone on its line): the decision itself leads, not its neighbours citing it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.engine import Engine

REPO = Path(__file__).resolve().parents[2]

DECISIONS = """---
url: https://www.cms.int/page/decisions-1324-1326-conservation-status-migratory-species
---

Decisions 13.24 to 13.26 - Conservation Status of Migratory Species
decision_n13
13.24
The Secretariat, subject to the availability of resources, is requested to further develop the preliminary review of the conservation status of migratory species.
13.25
Parties, intergovernmental and non-governmental organizations are encouraged to provide financial and technical support to the Secretariat in undertaking the activities foreseen in Decision 13.24.
13.26
The Scientific Council is requested to review the progress made in implementing Decision 13.24 and to report to COP14.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    corpus = tmp_path_factory.mktemp("corpus")
    shutil.copy(REPO / "corpus" / "meetings.yaml", corpus / "meetings.yaml")
    (corpus / "decisions.txt").write_text(DECISIONS, encoding="utf-8")
    for i in range(9):  # enough other texts for the decisions' words to be rare (a positive IDF)
        (corpus / f"other{i}.md").write_text(f"---\ntitle: Other {i}\nkind: news_item\ndate: 2019-01-0{i + 1}\n---\n\n"
                                             f"The Secretariat published report number {i} on birds.\n", encoding="utf-8")
    return Engine.open(corpus, None, notify=lambda _m: None)


@pytest.mark.parametrize("question, locator", [
    ("What does Decision 13.24 request?", "Decision 13.24"),
    ("What does Decision 13.25 encourage?", "Decision 13.25"),
    ("Decision 13.26", "Decision 13.26"),
])
def test_the_decision_named_leads(engine: Engine, question: str, locator: str) -> None:
    answer = engine.ask(question)
    assert answer.found and answer.citations[0].passage.locator == locator
