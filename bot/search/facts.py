"""Facts about each passage that depend on its text alone, computed once when the index is saved.

Ranking hints used to read a passage's sentences the first time a question met it (cut them,
analyze each, match counts and dates): 3–6 ms of a first-seen answer at 80k passages. The same
functions run once per passage at save time instead, and their results are stored beside the
index as arrays (``facts.*``); a ``Passage`` made by a loaded table carries its row, and
:func:`of` returns the stored value, or computes it (a passage built in memory, or an index
whose facts are missing or stale). So the values are the very functions' results, whichever way
they come.

Each fact is ``compute(text, lang)`` of a function named in :data:`FACTS`, and of the code it runs.
The saved index records a digest of the source files of the modules those functions import
(transitively, in ``bot``); when that code has changed since, the stored facts are not used (and
are recomputed by the next ``cmsbot index``): they could differ from what the code computes now.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from bot.model import DateSpan, Passage

log = logging.getLogger(__name__)

PREFIX = "facts."
#: Attribute a loaded table's passage carries: (its table's facts, its row).
ATTR = "_facts"
#: Below this many passages the facts are computed in this process only.
PARALLEL_FROM = 4000


@dataclass(frozen=True)
class Fact:
    """One fact: ``module:function`` giving it from (text, lang), and how it is stored:
    ``bool``, ``terms`` (a frozenset of analyzer terms) or ``spans`` (a tuple of ``DateSpan``)."""

    name: str
    function: str
    kind: str


FACTS: tuple[Fact, ...] = (
    Fact("has_count", "bot.question.kinds.counting:has_count", "bool"),
    Fact("count_terms", "bot.question.kinds.counting:count_terms", "terms"),
    Fact("says_time", "bot.question.kinds.when:says_time", "bool"),
    Fact("timed_terms", "bot.question.kinds.when:timed_terms", "terms"),
    Fact("dates", "bot.search.facts:date_spans", "spans"),
    Fact("states_amount", "bot.question.kinds.how_much:states_amount", "bool"),
    Fact("token_set", "bot.answer.compose:token_set", "terms"),
)
BY_NAME: dict[str, Fact] = {f.name: f for f in FACTS}
_FUNCTIONS: dict[str, Callable[[str, str], Any]] = {}


def compute(name: str, text: str, lang: str) -> Any:
    """The fact ``name`` of a text, computed."""
    function = _FUNCTIONS.get(name)
    if function is None:
        module, _, attr = BY_NAME[name].function.partition(":")
        function = _FUNCTIONS[name] = getattr(importlib.import_module(module), attr)
    return function(text, lang or "en")


def date_spans(text: str, lang: str = "en") -> tuple[DateSpan, ...]:
    """Every date or range ``text`` mentions (``bot.search.retrieve.dates_in``, which ``mentions`` reads)."""
    from bot.cms.dates import find_dates

    return tuple(f.span for f in find_dates(text))


def of(passage: Passage, name: str) -> Any:
    """The fact ``name`` of a passage: stored with the index when its table has it, else computed."""
    held = passage.__dict__.get(ATTR)
    if held is not None:
        value = held[0].value(name, held[1])
        if value is not None:
            return value
    return compute(name, passage.text, passage.lang)


# ---------------------------------------------------------------------- which code computes them

def _imports(tree: Any) -> list[str]:
    """Modules an AST imports (``from a.b import c`` names ``a.b`` and ``a.b.c``), those only type
    checkers read excepted."""
    import ast  # only to save an index: not imported to answer

    out: list[str] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                out.extend(a.name for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                out.append(child.module)
                out.extend(f"{child.module}.{a.name}" for a in child.names)
            visit(child)

    visit(tree)
    return out


def source_modules() -> list[str]:
    """The ``bot`` modules the facts' functions run: theirs and what they import, transitively."""
    seen: dict[str, str] = {}
    todo = [f.function.partition(":")[0] for f in FACTS] + [__name__]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        origin = _origin(name)
        if origin is None:
            continue
        seen[name] = origin
        import ast

        with open(origin, encoding="utf-8") as fh:
            tree = ast.parse(fh.read())
        todo.extend(n for n in _imports(tree) if (n == "bot" or n.startswith("bot.")) and n not in seen)
    return sorted(seen)


def _origin(name: str) -> str | None:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError, AttributeError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return spec.origin


def source_digest(modules: Sequence[str]) -> str | None:
    """A digest of the modules' source files (None when one cannot be read)."""
    digest = hashlib.sha256()
    for name in modules:
        origin = _origin(name)
        if origin is None:
            return None
        try:
            with open(origin, "rb") as fh:
                digest.update(name.encode() + b"\0" + fh.read() + b"\0")
        except OSError:
            return None
    return digest.hexdigest()


# ---------------------------------------------------------------------- computing and storing

def _row(text: str, lang: str) -> tuple[Any, ...]:
    return tuple(compute(f.name, text, lang) for f in FACTS)


def _rows(items: Sequence[tuple[str, str]]) -> list[tuple[Any, ...]]:
    return [_row(text, lang) for text, lang in items]


def _all_rows(passages: Sequence[Passage]) -> list[tuple[Any, ...]]:
    """Every passage's facts; over ``PARALLEL_FROM`` passages in two processes where Linux can fork:
    a forked child takes the second half while this process computes the first. A child that fails,
    or takes longer than twice this process's half and 10 s more (it could hang on a lock another
    thread held when it was forked), is stopped and its half computed here."""
    items = [(p.text, p.lang or "en") for p in passages]
    if len(items) < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or not hasattr(os, "fork"):
        return _rows(items)
    for fact in FACTS:  # every function imported before the fork: the child imports nothing
        compute(fact.name, "", "en")
    half = len(items) // 2
    import multiprocessing
    import time

    try:
        pool = multiprocessing.get_context("fork").Pool(1)
    except Exception as exc:  # noqa: BLE001 - no child: all computed here
        log.info("passage facts computed in one process (%s)", exc)
        return _rows(items)
    try:
        later = pool.apply_async(_rows, (items[half:],))
        start = time.monotonic()
        first = _rows(items[:half])
        try:
            return first + later.get(timeout=2 * (time.monotonic() - start) + 10)
        except Exception as exc:  # noqa: BLE001 - a failed or stuck child: its half computed here
            log.info("passage facts of the second half computed in this process (%s)", exc)
            return first + _rows(items[half:])
    finally:
        pool.terminate()


def to_arrays(passages: Sequence[Passage]) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The facts of ``passages`` as arrays for the index file, and what the header records of them."""
    rows = _all_rows(passages)
    n = len(rows)
    vocabulary: dict[str, int] = {}
    out: dict[str, np.ndarray] = {}
    ids_of: dict[str, list[int]] = {}
    for k, fact in enumerate(FACTS):
        values = [row[k] for row in rows]
        if fact.kind == "bool":
            out[f"{PREFIX}{fact.name}"] = np.fromiter((bool(v) for v in values), dtype=np.uint8, count=n)
            continue
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, values), dtype=np.int64, count=n), out=offsets[1:])
        out[f"{PREFIX}{fact.name}.offsets"] = offsets
        if fact.kind == "terms":
            ids_of[fact.name] = [vocabulary.setdefault(t, len(vocabulary)) for v in values for t in sorted(v)]
        else:
            spans = [(s.start.toordinal(), s.end.toordinal()) for v in values for s in v]
            out[f"{PREFIX}{fact.name}.spans"] = np.array(spans, dtype=np.int32).reshape(-1, 2)
    width = np.uint16 if len(vocabulary) <= 1 << 16 else np.int32  # term ids in 2 bytes while they fit
    for name, ids in ids_of.items():
        out[f"{PREFIX}{name}.ids"] = np.array(ids, dtype=width)
    encoded = [t.encode("utf-8", "surrogatepass") + b"\0" for t in vocabulary]
    out[f"{PREFIX}vocab"] = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    modules = source_modules()
    meta = {"facts": [f.name for f in FACTS], "modules": modules, "source": source_digest(modules), "passages": n}
    return out, meta


class FactTable:
    """The stored facts of a passage table, read row by row (each row's sets made once)."""

    def __init__(self, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any], n: int) -> None:
        self._meta = meta
        self._checked: bool | None = None
        self._bools: dict[str, memoryview] = {}
        self._lists: dict[str, tuple[memoryview, np.ndarray]] = {}
        self._memo: dict[str, dict[int, Any]] = {}
        self._vocab_bytes = arrays[f"{PREFIX}vocab"]
        self._vocab: list[str] | None = None
        if list(meta.get("facts", ())) != [f.name for f in FACTS] or meta.get("passages") != n:
            raise ValueError("the stored passage facts are not this version's")
        for fact in FACTS:
            if fact.kind == "bool":
                column = arrays[f"{PREFIX}{fact.name}"]
                if column.shape != (n,) or column.dtype != np.uint8:
                    raise ValueError(f"passage fact {fact.name!r} does not match the table")
                self._bools[fact.name] = memoryview(np.ascontiguousarray(column)).cast("B")  # type: ignore[arg-type]
                continue
            offsets = arrays[f"{PREFIX}{fact.name}.offsets"]
            body = arrays[f"{PREFIX}{fact.name}.ids" if fact.kind == "terms" else f"{PREFIX}{fact.name}.spans"]
            if offsets.shape != (n + 1,) or int(offsets[0]) != 0 or int(offsets[-1]) != body.shape[0] \
                    or body.dtype.kind not in "iu" or body.ndim != (1 if fact.kind == "terms" else 2) \
                    or (fact.kind == "spans" and body.shape[1:] != (2,)) or bool((np.diff(offsets) < 0).any()):
                raise ValueError(f"passage fact {fact.name!r} does not match the table")
            if fact.kind == "terms" and body.size and (int(body.min()) < 0 or int(body.max()) >= self._vocab_size()):
                raise ValueError(f"passage fact {fact.name!r} does not match its vocabulary")
            if fact.kind == "spans" and body.size and (int(body.min()) < 1 or int(body.max()) > date.max.toordinal()):
                raise ValueError(f"passage fact {fact.name!r} holds no dates")
            self._lists[fact.name] = (memoryview(np.ascontiguousarray(offsets, dtype=np.int64)).cast("B").cast("q"),  # type: ignore[arg-type]
                                      body)
            self._memo[fact.name] = {}

    def _vocab_size(self) -> int:
        return int(np.count_nonzero(self._vocab_bytes == 0))

    def usable(self) -> bool:
        """Whether the code that computed the facts is the code running now (checked once)."""
        if self._checked is None:
            modules = self._meta.get("modules")
            same = isinstance(modules, list) and self._meta.get("source") is not None \
                and source_digest(modules) == self._meta.get("source")
            if not same:
                log.info("the saved passage facts come from other code: computed per passage until `cmsbot index`")
            self._checked = same
        return self._checked

    def value(self, name: str, row: int) -> Any:
        """The stored fact, or None when the facts cannot be used."""
        if self._checked is not True and not self.usable():
            return None
        bools = self._bools.get(name)
        if bools is not None:
            return bool(bools[row])
        memo = self._memo[name]
        held = memo.get(row)
        if held is None:
            offsets, body = self._lists[name]
            a, b = offsets[row], offsets[row + 1]
            if BY_NAME[name].kind == "terms":
                vocab = self._words()
                held = frozenset([vocab[i] for i in body[a:b].tolist()])
            else:
                held = tuple(DateSpan(date.fromordinal(s), date.fromordinal(e)) for s, e in body[a:b].tolist())
            memo[row] = held
        return held

    def _words(self) -> list[str]:
        if self._vocab is None:
            raw = self._vocab_bytes.tobytes()
            self._vocab = raw[:-1].decode("utf-8", "surrogatepass").split("\0") if raw else []
        return self._vocab


def table(arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any] | None, n: int) -> FactTable | None:
    """The stored facts of an index (None when it has none or they do not fit its passages)."""
    if not meta or f"{PREFIX}vocab" not in arrays:
        return None
    try:
        return FactTable(arrays, meta, n)
    except (KeyError, ValueError, TypeError):
        return None
