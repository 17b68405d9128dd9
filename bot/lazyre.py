"""Regular expressions compiled the first time they are used, not when their module is imported.

Python compiles a pattern in Python code (``re._parser``, ``re._compiler``): the fr/es/pt
recognisers' alternations cost tens of milliseconds at every start, while an English question
never runs most of them. ``lazy(pattern, flags)`` stands for ``re.compile(pattern, flags)``: the
same methods and attributes, the pattern compiled (once) by the first call that needs it.
It is typed as ``re.Pattern[str]``; unlike one, it cannot be handed to ``re.search(pattern, …)``
and friends (call its methods), and a match's ``.re`` is the compiled pattern, not it.
"""

from __future__ import annotations

import re
from typing import Any, cast


_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner")
_ATTRIBUTES = ("flags", "groups", "groupindex")


class LazyPattern:
    """``re.compile(pattern, flags)`` on first use. The first attribute asked for compiles it and
    stores the compiled pattern's bound methods in the object's slots, so later calls cost what
    the compiled pattern's own do."""

    __slots__ = ("pattern", "flags_given", "compiled", *_METHODS, *_ATTRIBUTES)

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags_given = flags

    def __getattr__(self, name: str) -> Any:
        # Only called for a slot not yet filled: compile, fill them all.
        if name not in _METHODS and name not in _ATTRIBUTES and name != "compiled":
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self.flags_given)
        self.compiled = compiled
        for attr in (*_METHODS, *_ATTRIBUTES):
            setattr(self, attr, getattr(compiled, attr))
        return getattr(self, name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r}, {self.flags_given!r})"


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern compiled on first use (see the module's docstring)."""
    return cast("re.Pattern[str]", LazyPattern(pattern, flags))
