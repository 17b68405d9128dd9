"""Meetings and dates as French, Spanish and Portuguese texts write them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.cms.dates import find_dates, parse_date, parse_span
from bot.cms.meetings import MeetingRegistry
from bot.model import DateSpan

REPO = Path(__file__).resolve().parents[2]
MEETINGS = MeetingRegistry.load(REPO / "corpus" / "meetings.yaml")


@pytest.mark.parametrize("text, number", [
    ("CdP14", 14), ("la CdP 14", 14), ("la COP 14", 14), ("CoP 14", 14),
    ("14e réunion de la Conférence des Parties", 14),
    ("la 11ème CdP", 11),
    ("onzième réunion de la Conférence des Parties", 11),
    ("la quatorzieme conference des parties", 14),
    ("decimocuarta reunión de la Conferencia de las Partes", 14),
    ("12.ª reunión de la Conferencia de las Partes", 12),
    ("15ª Conferência das Partes da Convenção", 15),
    ("décima quinta reunião da Conferência das Partes", 15),
    ("la conférence de Samarcande", 14), ("la conferencia de Samarcanda", 14), ("em Samarcanda", 14),
    ("à Manille", 12), ("a Roma", 9), ("Ciudad del Cabo", 6),
    ("XI Conferencia de las Partes", 11), ("la XIVe Conférence des Parties", 14),
    ("la XV reunião da Conferência das Partes", 15),
    ("el país anfitrión de la XIConferencia de las Partes", 11),  # glued as a scraped page has it
])
def test_meetings_in_other_languages(text: str, number: int) -> None:
    found = MEETINGS.resolve(text)
    assert found is not None and found.number == number


def test_a_city_with_several_meetings_names_none_in_any_language() -> None:
    assert MEETINGS.resolve("à Genève") is None and MEETINGS.resolve("en Ginebra") is None


def test_number_of_takes_other_languages_names() -> None:
    assert MEETINGS.number_of("CdP14") == MEETINGS.number_of("Samarcande") == 14


def test_plain_words_are_no_meeting() -> None:
    assert MEETINGS.resolve("les 14 réunions de la semaine") is None
    assert MEETINGS.resolve("Vi la Conferencia de las Partes") is None  # lower-case letters are no numeral
    assert MEETINGS.resolve("la Conferencia de las Partes") is None


@pytest.mark.parametrize("text, start, end", [
    ("12 février 2024", date(2024, 2, 12), date(2024, 2, 12)),
    ("12 fevrier 2024", date(2024, 2, 12), date(2024, 2, 12)),
    ("12 de febrero de 2024", date(2024, 2, 12), date(2024, 2, 12)),
    ("12 de fevereiro de 2024", date(2024, 2, 12), date(2024, 2, 12)),
    ("vendredi 11 septembre 2020", date(2020, 9, 11), date(2020, 9, 11)),
    ("lunes, 12 de febrero de 2024", date(2024, 2, 12), date(2024, 2, 12)),
    ("1er mars 2020", date(2020, 3, 1), date(2020, 3, 1)),
    ("1º de março de 2020", date(2020, 3, 1), date(2020, 3, 1)),
    ("du 17 au 22 février 2020", date(2020, 2, 17), date(2020, 2, 22)),
    ("17-22 février 2020", date(2020, 2, 17), date(2020, 2, 22)),
    ("del 4 al 9 de noviembre de 2014", date(2014, 11, 4), date(2014, 11, 9)),
    ("entre os dias 23 e 29 de março de 2026", date(2026, 3, 23), date(2026, 3, 29)),
    ("entre el 4 y el 9 de noviembre de 2014", date(2014, 11, 4), date(2014, 11, 9)),
    ("les 24 et 25 juillet 2018", date(2018, 7, 24), date(2018, 7, 25)),
    ("du 30 octobre au 4 novembre 2023", date(2023, 10, 30), date(2023, 11, 4)),
    ("del 30 de octubre al 4 de noviembre de 2023", date(2023, 10, 30), date(2023, 11, 4)),
    ("février 2024", date(2024, 2, 1), date(2024, 2, 29)),
    ("noviembre de 2014", date(2014, 11, 1), date(2014, 11, 30)),
])
def test_dates_in_other_languages(text: str, start: date, end: date) -> None:
    assert parse_span(text) == DateSpan(start, end)
    found = find_dates(f"Texte : {text}, voilà.")
    assert [f.span for f in found] == [DateSpan(start, end)]


def test_in_running_text_with_english_dates_beside() -> None:
    text = "La CAMI a été lancée le 6 novembre 2014 à Quito (COP11, 4-9 November 2014)."
    assert [(f.span.start, f.span.end) for f in find_dates(text)] == [
        (date(2014, 11, 6), date(2014, 11, 6)), (date(2014, 11, 4), date(2014, 11, 9)),
    ]
    assert "6 novembre 2014" in [f.text for f in find_dates(text)][0]


def test_no_false_dates_from_english_words() -> None:
    assert find_dates("We set 2024 as the target and rolled out 2025 plans; Mars 2030.") == []
    assert parse_date("31 février 2024") is None
