"""find_dates skips a text without a four-digit number (no date form without a year hint lacks one)."""

from __future__ import annotations

from bot.cms import dates, dates_intl
from bot.cms.dates import find_dates


def test_every_form_read_without_a_year_hint_has_a_four_digit_year() -> None:
    # The fast path in find_dates relies on this: a new form without a year must be read only
    # with a year hint (dates._YEARLESS), or the fast path must go.
    for pattern in (*dates._PATTERNS, *dates_intl._PATTERNS):
        assert r"\d{4}" in pattern.pattern, pattern.pattern[:80]


def test_no_year_no_date_unless_a_year_is_hinted() -> None:
    assert find_dates("From 12 to 17 February, in Samarkand; on 3 March.") == []
    assert [f.text for f in find_dates("From 12 to 17 February 2024, in Samarkand.")] == ["12 to 17 February 2024"]
    assert [f.span.start.year for f in find_dates("on 23-28 October", year_hint=2017)] == [2017]
    assert [f.text for f in find_dates("du 17 au 22 février 2020")] == ["du 17 au 22 février 2020"]
