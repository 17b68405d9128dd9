"""Countries' names as each language writes them, from Babel's CLDR data (a well-kept list, not a
hand-written one): which-country answers, and names that start no person's name."""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=None)
def country_names(lang: str) -> frozenset[str]:
    """The CLDR names of the countries (two-letter territory codes) in ``lang``."""
    from babel import Locale

    return frozenset(n for code, n in Locale(lang).territories.items() if code.isalpha() and len(code) == 2)
