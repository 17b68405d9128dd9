"""The about kind at its own level: a question on a reference and a sentence in, its title out."""

from __future__ import annotations

from datetime import date

import pytest

from bot.answer.extract import direct_answer
from bot.model import Passage
from bot.question.kinds import detect
from bot.question.query import parse_parts, parse_question
from tests.question.kinds.test_kinds import MEETINGS, answer


@pytest.mark.parametrize("question", [
    "What is Resolution 12.01 about?", "what's UNEP/CMS/COP13/Doc.24 about?", "What does Decision 13.25 cover?",
    "What was Notification 2014/002 about?", "and what's 12.01 about?",
])
def test_detected(question: str) -> None:
    assert detect(" ".join(question.casefold().split())).name == "about"


def test_not_for_questions_without_a_reference() -> None:
    assert detect("what is the cop about?").name != "about"
    vague = parse_question("What is the resolution about?", MEETINGS)
    assert vague.qtype == "about" and not vague.kind.typed(vague)  # no number: nothing to title


def test_the_title_a_list_row_or_a_sentence_gives() -> None:
    assert answer("what is resolution 12.01 about", "Resolution 12.01 Presidency of the Conference of Parties") \
        == "Presidency of the Conference of Parties."
    assert answer("What was Resolution 11.6 about?",
                  "The Conference of the Parties at its 11th meeting by Resolution 11.6 on Review of Decisions adopted"
                  " new definitions.") == "Review of Decisions."
    # another reference's title is no answer
    assert answer("What was Resolution 11.6 about?", "Resolution 11.7 on Review of Decisions was adopted.") is None
    # a cover page's field and running capitals are no title
    assert answer("what is UNEP/CMS/Concerted Action 12.7 (Rev.COP13) about?",
                  "CONVENTION ON UNEP/CMS/Concerted Action 12.7 (Rev.COP13) MIGRATORY Original: English SPECIES") is None


def test_the_referenced_document_s_own_heading() -> None:
    query = parse_question("What is Notification 2014/002 about?", MEETINGS)
    passage = Passage(id="n#p1", source="n.md", kind="notification", title="2014/002: Dates and Venue of CMS COP11",
                      document_title="2014/002: Dates and Venue of CMS COP11", date=date(2014, 3, 18),
                      locator="para. 1", text="The Secretariat is pleased to inform Parties of the dates.", position=0,
                      symbol="Notification 2014/002")
    weights = {t: 1.0 for t in query.content_terms}
    assert direct_answer(query, passage, weights, parts=parse_parts(query, MEETINGS)) == "Dates and Venue of CMS COP11."
