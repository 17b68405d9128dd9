"""Patterns compiled on first use behave as compiled ones."""

from __future__ import annotations

import re

import pytest

from bot.cms import dates_intl
from bot.lazyre import LazyPattern, lazy


def test_a_lazy_pattern_compiles_once_on_first_use_and_answers_as_the_compiled_one() -> None:
    p = lazy(r"(?P<n>\d+)\s+(species|Parties)", re.IGNORECASE)
    assert isinstance(p, LazyPattern) and p.pattern.startswith("(?P<n>")
    with pytest.raises(AttributeError):  # the slot itself, without compiling: not compiled before use
        LazyPattern.compiled.__get__(p, LazyPattern)  # type: ignore[attr-defined]
    real = re.compile(p.pattern, re.IGNORECASE)
    text = "31 SPECIES and 133 Parties"
    assert p.search(text).group("n") == real.search(text).group("n") == "31"  # type: ignore[union-attr]
    assert p.compiled is p.compiled  # compiled once
    assert [m.span() for m in p.finditer(text)] == [m.span() for m in real.finditer(text)]
    assert p.sub("N", text) == real.sub("N", text) and p.split(text) == real.split(text)
    assert p.findall(text) == real.findall(text) and p.fullmatch("2 parties") is not None
    assert p.flags == real.flags and p.groups == 2 and dict(p.groupindex) == {"n": 1}
    assert p.match("x") is None


def test_unknown_attributes_are_errors_and_nothing_is_compiled_for_them() -> None:
    p = LazyPattern("a")
    try:
        p.nothing  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError:
        pass
    else:  # pragma: no cover
        raise AssertionError("no error")
    assert repr(p) == "lazy('a', 0)"


def test_the_intl_date_patterns_still_read_dates() -> None:
    (found,) = dates_intl.intl_dates("La COP14 se tiendra du 12 au 17 février 2024 à Samarcande.")
    assert (found[0].start.isoformat(), found[0].end.isoformat()) == ("2024-02-12", "2024-02-17")
