"""Shared by the engine tests on small corpora: a corpus folder written from pages (front matter and
text) beside the meetings table."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: name → (meeting or None, date, title, body)
Pages = dict[str, tuple[int | None, str, str, str]]


def write_corpus(corpus: Path, pages: Pages) -> Path:
    """``pages`` as press releases under ``corpus`` (made if missing), beside ``corpus/meetings.yaml``."""
    corpus.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "corpus" / "meetings.yaml", corpus / "meetings.yaml")
    for name, (meeting, day, title, body) in pages.items():
        path = corpus / name
        path.parent.mkdir(parents=True, exist_ok=True)
        front = f"title: {title}\nkind: press_release\ndate: {day}\n" + (f"meeting: {meeting}\n" if meeting else "")
        path.write_text(f"---\n{front}---\n\n{body}\n", encoding="utf-8")
    return corpus


@pytest.fixture(scope="session")
def corpus_writer() -> Callable[[Path, Pages], Path]:
    return write_corpus
