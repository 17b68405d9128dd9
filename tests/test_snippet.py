"""A search hit's snippet: verbatim (but for whitespace), around the first matched word, cut at words."""

from __future__ import annotations

from bot.snippet import snippet

TEXT = " ".join(f"word{n}" for n in range(200)) + " The Eurasian lynx was listed. " + " ".join(f"tail{n}" for n in range(200))


def test_a_long_text_is_cut_around_the_first_match_with_ellipses():
    cut = snippet(TEXT, "lynx", width=120)
    assert cut.startswith("…") and cut.endswith("…") and "Eurasian lynx was listed." in cut
    inner = cut.strip("…")
    assert inner in " ".join(TEXT.split()) and len(inner) <= 120
    assert not inner.startswith(" ") and all(w.startswith(("word", "tail")) or w in "The Eurasian lynx was listed." for w in inner.split())


def test_a_short_text_is_whole_on_one_line():
    assert snippet("Two\nlines  here", "lines") == "Two lines here"


def test_no_match_starts_at_the_beginning():
    cut = snippet(TEXT, "zebra", width=50)
    assert cut.startswith("word0 ") and cut.endswith("…")
