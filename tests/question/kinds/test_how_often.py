"""The how-often kind at its own level: question and sentence in, the frequency or nothing out."""

from __future__ import annotations

import pytest

from bot.question.kinds import detect
from bot.question.kinds.how_often import has_frequency
from bot.question.query import parse_question
from tests.question.kinds.test_kinds import MEETINGS, answer


@pytest.mark.parametrize("question", [
    "how often does the cms hold its conference of the parties?", "How frequently does the COP meet?",
    "à quelle fréquence se réunit la COP ?", "¿Con qué frecuencia se reúne la COP?",
    "Com que frequência a COP se reúne?", "tous les combien a lieu la COP ?",
])
def test_detected_in_four_languages(question: str) -> None:
    assert detect(" ".join(question.casefold().split())).name == "how_often"


def test_the_meeting_s_own_words_are_what_is_asked_and_the_answer_s_words_are_searched() -> None:
    query = parse_question("how often is the COP held?", MEETINGS)
    assert query.qtype == "how_often" and set(query.content_terms) == {"cop", "held"}
    assert {"everi", "year"} <= set(query.terms)
    # a question with words of its own keeps to them
    own = parse_question("How often is World Migratory Bird Day celebrated?", MEETINGS)
    assert "cop" not in own.content_terms and "everi" not in own.terms


def test_the_frequency_a_sentence_states() -> None:
    sentence = ("Every three years it holds an international meeting of all its members – the Conference of the"
                " Parties (COP) – to agree on conservation measures.")
    assert answer("how often does the CMS hold its conference of the parties?", sentence) == "Every three years."
    assert answer("How often is World Migratory Bird Day celebrated?",
                  "World Migratory Bird Day is celebrated twice a year, in May and October.") == "Twice a year."
    assert answer("À quelle fréquence se réunit la COP ?",
                  "La COP se réunit tous les trois ans.") == "Tous les trois ans."


def test_no_frequency_or_two_is_no_answer() -> None:
    assert answer("How often does the COP meet?", "The COP met in Samarkand in February 2024.") is None
    assert answer("How often does the Council meet?",
                  "The Council meets every year and its working groups every two years.") is None
    assert not has_frequency("The meeting in 2024 was attended by 2,000 people.")
    assert has_frequency("CMS holds a triennial Conference of the Parties.")
