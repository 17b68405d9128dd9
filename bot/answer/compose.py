"""Ranked passages → citations: the sentence(s) that answer, quoted verbatim, matched words marked."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.model import Citation, Passage
from bot.search import facts
from bot.search.analyzer import analyze, analyze_with_spans

ELLIPSIS = "…"
#: A passage this short is quoted whole.
WHOLE_PASSAGE_CHARS = 360
#: A quote grows with neighbouring sentences up to about this length.
QUOTE_TARGET_CHARS = 560

_ABBREVIATIONS = frozenset("h.e mr mrs ms dr prof st no nos rev doc e.g i.e etc vs art para fig approx inc ltd co jr sr".split())
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


@dataclass(frozen=True)
class Unit:
    """A sentence or list item: ``text[start:end]`` of the passage."""

    start: int
    end: int


def units(text: str) -> list[Unit]:
    """Sentences and list items, as offsets into ``text``; abbreviations do not end a sentence."""
    return list(_units(text))


@functools.lru_cache(maxsize=8192)
def _units(text: str) -> tuple[Unit, ...]:
    """``units``, cached: a passage's sentences are cut again for every quote and extractor."""
    return tuple(_cut_units(text))


def _cut_units(text: str) -> list[Unit]:
    out: list[Unit] = []
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        cut = line_start + (len(line) - len(line.lstrip()))
        for m in _BOUNDARY.finditer(text, cut, line_end):
            before = text[cut:m.start()].rstrip("\"”’)").rsplit(None, 1)[-1].rstrip(".").lower() if text[cut:m.start()].strip() else ""
            if before in _ABBREVIATIONS or re.fullmatch(r"[a-z]", before):
                continue
            end = m.start() + len(m.group(0).rstrip())
            out.append(Unit(cut, end))
            cut = m.end()
        if text[cut:line_end].strip():
            out.append(Unit(cut, line_end))
        line_start = line_end + 1
    return out


@functools.lru_cache(maxsize=4096)
def unit_tokens(text: str, lang: str = "en") -> tuple[tuple[Unit, frozenset[str]], ...]:
    """Each sentence of a passage with its token set, analyzed in the passage's language (cached:
    passages are quoted again and again)."""
    return tuple((unit, frozenset(analyze(text[unit.start:unit.end], lang))) for unit in _units(text))


def _unit_scores(text: str, parts: Sequence[Unit], weights: dict[str, float], lang: str = "en") -> list[float]:
    tokens_of = dict(unit_tokens(text, lang))
    return [sum(w for term, w in weights.items() if term in tokens_of[unit]) for unit in parts]


def best_span(text: str, weights: dict[str, float], lang: str = "en") -> tuple[int, int, int]:
    """``(start, end, best_unit_start)``: the best sentence, grown with its neighbours while short."""
    if len(text) <= WHOLE_PASSAGE_CHARS:
        parts = _units(text)
        scores = _unit_scores(text, parts, weights, lang) if parts else []
        best = parts[max(range(len(parts)), key=lambda i: (scores[i], -i))].start if parts else 0
        return 0, len(text), best
    parts = _units(text)
    if not parts:
        return 0, len(text), 0
    scores = _unit_scores(text, parts, weights, lang)
    best = max(range(len(parts)), key=lambda i: (scores[i], -i))
    lo = hi = best
    # A lead-in ending in ':' brings its list; a list item brings its lead-in.
    if text[parts[best].start:parts[best].end].rstrip().endswith(":") and best + 1 < len(parts):
        hi = best + 1
    if text[parts[best].start:].startswith(("- ", "• ")) and best > 0:
        lead = best - 1
        while lead > 0 and text[parts[lead].start:].startswith(("- ", "• ")):
            lead -= 1
        if text[parts[lead].start:parts[lead].end].rstrip().endswith(":"):
            lo = lead
    while parts[hi].end - parts[lo].start < QUOTE_TARGET_CHARS:
        grow_right = hi + 1 < len(parts) and scores[hi + 1] > 0
        grow_left = lo > 0 and scores[lo - 1] > 0
        if grow_right and (not grow_left or scores[hi + 1] >= scores[lo - 1]):
            if parts[hi + 1].end - parts[lo].start > QUOTE_TARGET_CHARS * 1.5:
                break
            hi += 1
        elif grow_left:
            if parts[hi].end - parts[lo - 1].start > QUOTE_TARGET_CHARS * 1.5:
                break
            lo -= 1
        else:
            break
    # A sentence that goes on from the last one quoted ("These include the Asian elephant, …")
    # belongs with it.
    while (hi + 1 < len(parts) and _CONTINUES.match(text, parts[hi + 1].start)
           and parts[hi + 1].end - parts[lo].start <= QUOTE_TARGET_CHARS * 1.5):
        hi += 1
    return parts[lo].start, parts[hi].end, parts[best].start


_CONTINUES = re.compile(r"[\"“]?(?:These|Those|They|This|It|Its|Their|He|She|His|Her|Such|Both|All\s+of\s+them)\b")


def quote_passage(passage: Passage, weights: dict[str, float]) -> tuple[str, int]:
    """The verbatim quote (ellipses where trimmed) and where its best sentence starts in it."""
    text = passage.text
    start, end, best = best_span(text, weights, passage.lang)
    quote = text[start:end]
    prefix = ELLIPSIS + " " if start > 0 else ""
    suffix = " " + ELLIPSIS if end < len(text) else ""
    return prefix + quote + suffix, len(prefix) + best - start


@functools.lru_cache(maxsize=4096)
def _spans(quote: str, lang: str = "en") -> tuple[tuple[str, int, int], ...]:
    return tuple(analyze_with_spans(quote, lang))


def highlights(quote: str, terms: set[str], lang: str = "en") -> tuple[tuple[int, int], ...]:
    """Merged character spans of the quote's words whose tokens are among ``terms``."""
    spans = sorted({(s, e) for token, s, e in _spans(quote, lang) if token in terms})
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return tuple(merged)


@functools.lru_cache(maxsize=4096)
def _token_set(text: str) -> frozenset[str]:
    return frozenset(analyze(text))


def token_set(text: str, lang: str = "en") -> frozenset[str]:
    """The terms ``near_duplicate`` compares, analyzed as English whatever the text's language (a
    passage fact, bot/search/facts.py)."""
    return _token_set(text)


def near_duplicate(a: str, b: str, threshold: float = 0.8,
                   sets: tuple[frozenset[str], frozenset[str]] | None = None) -> bool:
    """Two passages saying (almost) the same: Jaccard similarity of their token sets (``sets``:
    the two texts' ``token_set``, when already at hand)."""
    ta, tb = sets or (_token_set(a), _token_set(b))
    if not ta or not tb:
        return a.strip() == b.strip()
    small, large = sorted((len(ta), len(tb)))
    if small / large < threshold:  # the similarity is at most this (rounding is monotonic): no set built
        return False
    common = len(ta & tb)
    return common / (len(ta) + len(tb) - common) >= threshold


def cite(
    ranked: Sequence[tuple[Passage, float]],
    weight_of: Callable[[str], float],
    query_terms: Sequence[str],
    limit: int,
) -> list[Citation]:
    """Citations for the ranked passages, near-duplicates collapsed, at most ``limit``."""
    weights = {t: weight_of(t) for t in dict.fromkeys(query_terms)}
    term_set = set(weights)
    citations: list[Citation] = []
    kept: list[Passage] = []
    for passage, score in ranked:
        own = facts.of(passage, "token_set")  # ``token_set(passage.text)``, stored with the index
        if any(near_duplicate(passage.text, other.text, sets=(own, facts.of(other, "token_set"))) for other in kept):
            continue
        kept.append(passage)
        quote, _ = quote_passage(passage, weights)
        citations.append(Citation(passage=passage, quote=quote, score=float(score), highlights=highlights(quote, term_set, passage.lang)))
        if len(citations) >= limit:
            break
    return citations


def whole_quote(passage: Passage, terms: set[str], limit: int) -> Citation:
    """The passage quoted whole, or its first ``limit`` characters cut at a word (an ellipsis after)."""
    text = passage.text
    if len(text) > limit:
        text = text[:limit].rsplit(None, 1)[0] + " " + ELLIPSIS
    return Citation(passage=passage, quote=text, score=0.0, highlights=highlights(text, terms))


#: A quote grown to show the sentence an answer comes from stays under this length.
MAX_GROWN_QUOTE_CHARS = 900


def quote_including(citation: Citation, answer: str) -> Citation | None:
    """The citation with its quote grown (verbatim, ellipses where trimmed) to the sentence of the
    passage that holds ``answer``; None when no sentence holds it or the quote would grow too long."""
    text = citation.passage.text
    # The sentence holding every piece of the answer ("CoW Chair, Colin Galbraith": both pieces).
    pieces = [p.strip() for p in answer.rstrip(".").split(";")[0].split(",") if p.strip()]
    parts = _units(text)
    holding = next((u for u in parts if pieces and all(p in text[u.start:u.end] for p in pieces)), None)
    if holding is None:
        return None
    shown = citation.quote.removeprefix(ELLIPSIS + " ").removesuffix(" " + ELLIPSIS)
    at = text.find(shown)
    if at < 0:
        return None
    start, end = min(at, holding.start), max(at + len(shown), holding.end)
    if end - start > MAX_GROWN_QUOTE_CHARS:
        return None
    quote = (ELLIPSIS + " " if start > 0 else "") + text[start:end] + (" " + ELLIPSIS if end < len(text) else "")
    lang = citation.passage.lang
    marked = {t for t, s, e in _spans(citation.quote, lang) if any(hs <= s and e <= he for hs, he in citation.highlights)}
    return Citation(passage=citation.passage, quote=quote, score=citation.score, highlights=highlights(quote, marked, lang))
