"""Dates as CMS texts write them, and every way a meeting is named."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from bot.cms.dates import coerce_date, find_dates, parse_date, parse_span
from bot.cms.meetings import MeetingRegistry, MeetingsFileError, UnknownMeeting
from bot.model import DateSpan, format_date

REPO = Path(__file__).resolve().parents[2]
MEETINGS = MeetingRegistry.load(REPO / "corpus" / "meetings.yaml")


@pytest.mark.parametrize("text, start, end", [
    ("08 November 2014", date(2014, 11, 8), date(2014, 11, 8)),
    ("Saturday, 17 February 2024", date(2024, 2, 17), date(2024, 2, 17)),
    ("12-17 February 2024", date(2024, 2, 12), date(2024, 2, 17)),
    ("12 – 17 February 2024", date(2024, 2, 12), date(2024, 2, 17)),
    ("1 March 2020 – 12 December 2023", date(2020, 3, 1), date(2023, 12, 12)),
    ("30 October – 4 November 2023", date(2023, 10, 30), date(2023, 11, 4)),
    ("early 2022", date(2022, 1, 1), date(2022, 4, 30)),
    ("October 2017", date(2017, 10, 1), date(2017, 10, 31)),
    ("2024-02-12", date(2024, 2, 12), date(2024, 2, 12)),
])
def test_parse_span(text, start, end):
    assert parse_span(text) == DateSpan(start, end)


def test_parse_date_is_for_single_days_only():
    assert parse_date("08 November 2014") == date(2014, 11, 8)
    assert parse_date("12-17 February 2024") is None
    assert parse_date("31 February 2024") is None
    assert parse_date("Quito, Ecuador") is None


def test_find_dates_in_running_text_longest_first():
    text = ("the current intersessional period (1 March 2020 – 12 December 2023) has increased; "
            "adoption on Saturday, 17 February 2024; a P3 officer recruited in early 2022.")
    found = [(f.text, f.span) for f in find_dates(text)]
    assert found == [
        ("1 March 2020 – 12 December 2023", DateSpan(date(2020, 3, 1), date(2023, 12, 12))),
        ("Saturday, 17 February 2024", DateSpan.day(date(2024, 2, 17))),
        ("early 2022", DateSpan(date(2022, 1, 1), date(2022, 4, 30))),
    ]


def test_coerce_date_from_front_matter():
    assert coerce_date(date(2024, 2, 12)) == date(2024, 2, 12)
    assert coerce_date("12 February 2024") == date(2024, 2, 12)
    assert coerce_date(None) is None
    with pytest.raises(ValueError):
        coerce_date("next week")


def test_dates_render_one_way():
    assert format_date(date(2014, 11, 8)) == "8 November 2014"
    assert str(DateSpan(date(2024, 2, 12), date(2024, 2, 17))) == "12 February 2024 – 17 February 2024"


@pytest.mark.parametrize("text, number", [
    ("COP14", 14), ("COP 14", 14), ("CMS COP11", 11), ("CoP14", 14), ("COP-14", 14),
    ("14th Meeting of the Conference of the Parties", 14),
    ("Eleventh Meeting of the Conference of the Parties", 11),
    ("the eleventh COP", 11), ("the Samarkand COP", 14), ("in Quito", 11), ("the first CMS COP", 1),
])
def test_meeting_names_resolve(text, number):
    assert MEETINGS.resolve(text).number == number


def test_cities_that_hosted_several_cops_name_none_alone():
    assert MEETINGS.resolve("Geneva") is None
    assert MEETINGS.resolve("COP5 in Geneva").number == 5


def test_unknown_meetings_do_not_resolve():
    assert MEETINGS.resolve("COP16") is None
    assert MEETINGS.resolve("the migratory species of Asia") is None


@pytest.mark.parametrize("value, number", [(14, 14), ("14", 14), (" COP14 ", 14), ("Samarkand", 14), ("the Quito COP", 11)])
def test_a_meeting_named_by_number_code_or_city(value, number):
    assert MEETINGS.number_of(value) == number


@pytest.mark.parametrize("value, message", [
    ("Atlantis", "no meeting matches 'Atlantis'"), (99, "COP99 is not in meetings.yaml"),
    ("COP99", "no meeting matches 'COP99'"), (True, "not a meeting: True"),
])
def test_an_unknown_meeting_says_why(value, message):
    with pytest.raises(UnknownMeeting, match=re.escape(message)):
        MEETINGS.number_of(value)


def test_meetings_table_facts():
    cop14 = MEETINGS.get(14)
    assert (cop14.city, cop14.country, cop14.start, cop14.end) == ("Samarkand", "Uzbekistan", date(2024, 2, 12), date(2024, 2, 17))
    assert MEETINGS.covering(date(2014, 11, 6)).number == 11
    assert len(MEETINGS.all()) == 15


def test_malformed_meetings_file_is_a_clear_error(tmp_path: Path):
    bad = tmp_path / "meetings.yaml"
    bad.write_text("- {number: 1, city: Bonn}\n")
    with pytest.raises(MeetingsFileError, match="entry 1: missing 'country'"):
        MeetingRegistry.load(bad)
    with pytest.raises(MeetingsFileError, match="file not found"):
        MeetingRegistry.load(tmp_path / "absent.yaml")
