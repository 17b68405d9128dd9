"""The shared development set (``../shared/devset``) in its own format, scored "as fetched".

Its ``questions.yaml`` entries are ``{id, persona, question, key, answer, expect_doc, expect_date}``;
its ``docs/`` files are stored pages: a header (``url:``, ``kind:``, ``date:``), a blank line, the text.
:func:`build_corpus` writes the pages into a corpus folder the way a fetch would bring them in —
front matter with ``url`` and ``date`` only (the header's ``kind`` is the answer key, never an input) —
so titles, kinds, meetings, symbols and passages are the engine's own inference.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.evaluate import WHO, EvalQuestion, QuestionFileError

_KEYS = frozenset({"id", "persona", "question", "key", "answer", "expect_doc", "expect_date", "note", "first"})


def parse_devset_questions(entries: Sequence[Any], origin: str = "devset") -> list[EvalQuestion]:
    """Dev-set entries as :class:`EvalQuestion` (key: every item required, a list item any of its spellings)."""
    return [_parse(i, entry, origin) for i, entry in enumerate(entries)]


def _parse(index: int, entry: dict[str, Any], origin: str) -> EvalQuestion:
    def fail(message: str) -> QuestionFileError:
        return QuestionFileError(f"{origin}: question {index} ({entry.get('id')!r}): {message}")

    unknown = sorted(set(map(str, entry)) - _KEYS)
    if unknown:
        raise fail(f"unknown key(s) {', '.join(unknown)}")
    question = entry.get("question")
    if not isinstance(question, str) or not question.strip():
        raise fail("'question' must be a non-empty string")
    who = entry.get("persona")
    if who not in WHO:
        raise fail(f"'persona' must be one of {', '.join(WHO)}")
    note = str(entry["id"]) if entry.get("id") is not None else None
    if entry.get("key") is None:
        return EvalQuestion(index, question.strip(), who, unanswerable=True, note=note)
    key = tuple(_group(item, fail) for item in _as_list(entry["key"], fail, "key"))
    docs = tuple(str(d) for d in _as_list(entry.get("expect_doc"), fail, "expect_doc"))
    dates: tuple[date, ...] = ()
    if entry.get("expect_date") not in (None, "unknown"):
        try:
            dates = (date.fromisoformat(str(entry["expect_date"])),)
        except ValueError:
            raise fail(f"'expect_date' must be YYYY-MM-DD, got {entry['expect_date']!r}") from None
    first = entry.get("first")
    if first is not None and (not isinstance(first, str) or not first.strip()):
        raise fail("'first' must be the conversation's first question")
    return EvalQuestion(index, question.strip(), who, key=key, docs=docs, dates=dates, note=note,
                        first=first.strip() if first else None)


def _as_list(value: Any, fail: Callable[[str], Exception], name: str) -> list[Any]:
    items = value if isinstance(value, list) else [value]
    if not items or any(item is None or item == "" for item in items):
        raise fail(f"'{name}' must be a non-empty string or list")
    return items


def _group(item: Any, fail: Callable[[str], Exception]) -> tuple[str, ...]:
    spellings = item if isinstance(item, list) else [item]
    if not spellings or not all(isinstance(s, (str, int, float)) and str(s).strip() for s in spellings):
        raise fail(f"a key item must be a string or a list of strings, got {item!r}")
    return tuple(str(s) for s in spellings)


def read_page(path: Path) -> tuple[dict[str, str], str]:
    """A stored page's header fields and its text."""
    raw = path.read_text(encoding="utf-8")
    head, _, body = raw.partition("\n\n")
    fields = {}
    for line in head.splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip()] = value.strip()
    return fields, body


def build_corpus(docs_dir: Path, meetings_file: Path, out_dir: Path) -> Path:
    """Write the dev-set pages into ``out_dir`` as fetched (front matter: url, and date when known)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(docs_dir.glob("*.txt")):
        fields, body = read_page(path)
        front = {"url": fields.get("url")}
        if fields.get("date") and fields["date"] != "unknown":
            front["date"] = fields["date"]
        header = yaml.safe_dump({k: v for k, v in front.items() if v}, allow_unicode=True, sort_keys=False)
        (out_dir / path.name).write_text(f"---\n{header}---\n{body}", encoding="utf-8")
    shutil.copyfile(meetings_file, out_dir / "meetings.yaml")
    return out_dir


def shared_dir(start: Path) -> Path:
    """The ``shared`` folder (holding ``devset/``) beside ``start`` or one of its parents — beside the
    checkout in CI, beside the folder of worktrees in development."""
    for parent in Path(start).resolve().parents:
        if (parent / "shared" / "devset").is_dir():
            return parent / "shared"
    return Path(start).resolve().parent / "shared"


def docs_dir_for(questions_file: Path) -> Path:
    """The pages a dev-set questions file is about: the folder its ``docs:`` key names (relative to
    the file), else the ``docs/`` folder beside it."""
    path = Path(questions_file).resolve()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        data = None
    if isinstance(data, dict) and isinstance(data.get("docs"), str):
        return (path.parent / data["docs"]).resolve()
    return path.parent / "docs"
