"""The analyzer's written-out combining marks are the ones this Python's Unicode has."""

from __future__ import annotations

import unicodedata

import pytest

from bot.search import marks
from bot.search.analyzer import analyze


@pytest.mark.skipif(unicodedata.unidata_version != marks.MARKS_UNICODE, reason="another Unicode version: computed")
def test_written_out_marks_equal_the_computed_ones() -> None:
    assert marks.MARKS == marks.compute_marks()


def test_marks_are_computed_for_another_unicode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(marks, "MARKS_UNICODE", "0.0.0")
    assert marks.combining_marks() == marks.compute_marks()
    assert "\\u0300-\\u036f" in marks.combining_marks()


def test_a_word_goes_on_past_its_vowel_signs() -> None:
    assert analyze("नमस्ते दुनिया") == ["नमस्ते", "दुनिया"]
