"""A short verbatim excerpt of a passage around the words a search matched (for search hits and lists)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.search.analyzer import analyze, analyze_with_spans

#: Characters a snippet keeps at most (without its ellipses).
WIDTH = 240


def snippet(text: str, query: str | Iterable[str] = (), width: int = WIDTH) -> str:
    """``text`` on one line, cut to about ``width`` characters at word boundaries around the first
    word matching ``query`` (a question, or its analyzed terms); "…" marks each cut. Verbatim apart
    from whitespace, so it can be quoted."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    wanted = set(analyze(query) if isinstance(query, str) else query)
    first = next((a for t, a, _ in analyze_with_spans(flat) if t in wanted), 0)
    start = max(0, first - width // 4)
    if start:
        space = flat.rfind(" ", 0, start + 1)
        start = space + 1 if space >= 0 else 0
    end = min(len(flat), start + width)
    if end < len(flat):
        space = flat.rfind(" ", start, end + 1)
        end = space if space > start else end
    return ("…" if start else "") + flat[start:end].strip() + ("…" if end < len(flat) else "")
