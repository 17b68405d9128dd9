"""YAML front matter: a ``---`` fenced mapping at the top of a text file."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import yaml

#: libyaml's loader when PyYAML was built with it (the usual wheels are): same results, ~10x faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = re.compile(r"\A---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


#: Front matter (or a PDF sidecar) larger than this is refused: real metadata is a few lines.
MAX_BYTES = 64 * 1024


class FrontMatterError(ValueError):
    """The front matter is unterminated, not YAML, not a mapping, too large, or uses aliases."""


def _refuse_aliases(text: str) -> None:
    """YAML anchors and aliases can expand a 1 KB file into gigabytes ("billion laughs"); front
    matter never needs them, so any is refused before the document is built (the scan is linear)."""
    if "&" not in text and "*" not in text:
        return
    try:
        for token in yaml.scan(text, Loader=_LOADER):
            if isinstance(token, (yaml.AliasToken, yaml.AnchorToken)):
                raise FrontMatterError("front matter uses YAML anchors/aliases (& / *), which are not allowed")
    except yaml.YAMLError:
        return  # the load reports the syntax error with its line


def load_mapping(block: str) -> dict[str, Any]:
    """A YAML mapping from front-matter text, within the size limit and without aliases."""
    size = len(block.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise FrontMatterError(f"front matter is {size // 1024} KB (limit {MAX_BYTES // 1024} KB)")
    _refuse_aliases(block)
    try:
        meta = yaml.load(block, Loader=_LOADER)  # noqa: S506 - a safe loader
    except ValueError:  # PyYAML builds YYYY-MM-DD values itself, and fails on 2024-13-45
        raise FrontMatterError(_bad_date(block)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise FrontMatterError(f"front matter is not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FrontMatterError(f"front matter must be a mapping of fields, got {type(meta).__name__}")
    return {str(k): v for k, v in meta.items()}


def split(text: str) -> tuple[dict[str, Any], str]:
    """``(metadata, body)``; a text without front matter gives ``({}, text)`` unchanged."""
    opening = _OPEN.match(text)
    if not opening:
        return {}, text
    closing = _CLOSE.search(text, opening.end())
    if not closing:
        raise FrontMatterError("front matter opened with '---' is never closed")
    meta = load_mapping(text[opening.end():closing.start()])
    body = text[closing.end():]
    if body.startswith("\r\n"):
        body = body[2:]
    elif body.startswith("\n"):
        body = body[1:]
    return meta, body


_DATE_FIELD = re.compile(r"^[ \t]*([\w-]+)[ \t]*:[ \t]*['\"]?(\d{4}-\d{1,2}-\d{1,2})\b", re.MULTILINE)


def _bad_date(block: str) -> str:
    """Which field holds the date that is not a calendar day."""
    for m in _DATE_FIELD.finditer(block):
        try:
            date.fromisoformat("-".join(part.zfill(2) for part in m.group(2).split("-")))
        except ValueError:
            return f"{m.group(1)}: {m.group(2)!r} is not a valid date"
    return "front matter holds a value that is not a valid date"


def dump(meta: dict[str, Any], body: str) -> str:
    """A text file with ``meta`` as front matter above ``body`` (None values left out)."""
    fields = {k: v for k, v in meta.items() if v is not None}
    header = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=1000).strip()
    return f"---\n{header}\n---\n{body}"
