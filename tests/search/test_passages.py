"""The saved passage table (columns, read lazily) and the corpus fingerprint that skips unchanged files."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from bot.engine import Engine
from bot.ingest import walk
from bot.ingest.walk import CorpusState, corpus_state, fingerprint
from bot.model import Passage
from bot.search.passages import PassageTable, column, meetings, ordinals, to_arrays

REPO = Path(__file__).resolve().parents[2]


def _passages() -> list[Passage]:
    return [
        Passage(id="a#p1", source="a.md", kind="news_item", title="Tí’tle", document_title="Doc", date=date(2024, 2, 12),
                locator="para. 1", text="Samarkand – 12 February 2024 … “quoted”", position=0, url="https://x.org/a",
                symbol=None, meeting=14, place="Samarkand", context=None, lang="en"),
        Passage(id="a#p2", source="a.md", kind="page", title="", document_title="", date=None, locator="para. 2",
                text="a NUL \0 inside, and a lone surrogate \udc80", position=1, meeting=None, lang="fr"),
        Passage(id="b#p1", source="b.md", kind="cop_document", title="T", document_title="D", date=date(1, 1, 1),
                locator="", text="", position=7, symbol="UNEP/CMS/COP14/Doc.19", meeting=0, context="Section 2"),
    ]


def test_the_table_gives_back_every_passage_field_for_field() -> None:
    passages = _passages()
    t = PassageTable(to_arrays(passages))
    assert len(t) == 3 and list(t) == passages
    assert t[1] is t[1] and t[-1] == passages[-1] and t[0:2] == passages[:2]
    with pytest.raises(IndexError):
        t[3]
    assert t[1].symbol is None and t[0].title == "Tí’tle" and t[2].title == "T" and t[1].title == ""
    # whole columns, no passage made; a NUL inside a value is read value by value
    fresh = PassageTable(to_arrays(passages))
    assert column(fresh, "text") == [p.text for p in passages]
    assert column(fresh, "symbol") == [None, None, "UNEP/CMS/COP14/Doc.19"]
    assert column(fresh, "date") == [p.date for p in passages] and column(fresh, "meeting") == [14, None, 0]
    assert ordinals(fresh).tolist() == [date(2024, 2, 12).toordinal(), 0, 1] and meetings(fresh).tolist() == [14, -1, 0]
    assert fresh._made == [None, None, None]
    assert column(passages, "kind") == ["news_item", "page", "cop_document"]  # a plain list works the same


def test_an_empty_table_and_a_damaged_one() -> None:
    assert list(PassageTable(to_arrays([]))) == []
    arrays = to_arrays(_passages())
    arrays["passages.text.offsets"] = arrays["passages.text.offsets"][:-1]
    with pytest.raises(ValueError, match="'text'"):
        PassageTable(arrays)
    arrays = to_arrays(_passages())
    arrays["passages.position"] = np.zeros(2, dtype=np.int64)
    with pytest.raises(ValueError, match="'position'"):
        PassageTable(arrays)


def test_a_loaded_engine_is_the_built_one(tmp_path: Path) -> None:
    index = tmp_path / "index.npz"
    built = Engine.open(REPO / "corpus", index, notify=lambda m: None)
    messages: list[str] = []
    loaded = Engine.open(REPO / "corpus", index, notify=messages.append)
    assert messages == [] and isinstance(loaded.passages, PassageTable)
    assert loaded.stats() == built.stats() and loaded.meeting_stats(14) == built.meeting_stats(14)
    assert list(loaded.passages) == list(built.passages)
    first = built.passages[3]
    assert loaded.passage(first.id) == first and loaded.passage(first.id.replace("#", "~")) == first
    assert loaded.passage("meetings#cop14") == built.passage("meetings#cop14") and loaded.passage("nope") is None
    for q in ("When did COP14 open?", "Who is Stanley Johnson?", "What is the budget of the moon?"):
        assert loaded.ask(q) == built.ask(q)


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    return corpus


def test_the_fingerprint_reads_only_files_changed_since_it_was_taken(tmp_path: Path, monkeypatch) -> None:
    corpus = _corpus(tmp_path)
    state = corpus_state(corpus)
    assert state.digest == fingerprint(corpus) and "meetings.yaml" in state.files
    stored = CorpusState.from_arrays(state.to_arrays())
    assert stored is not None and stored.files == state.files and stored.taken_ns == state.taken_ns
    reads: list[str] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name) or real(self))
    # Taken long after the files last changed: none is read again.
    later = replace(stored, taken_ns=state.taken_ns + 10 * walk.RACY_NS)
    assert corpus_state(corpus, known=later).digest == state.digest and reads == []
    # Taken right after they changed ("racily clean"): every file is read again.
    assert corpus_state(corpus, known=stored).digest == state.digest and len(reads) == len(state.files)
    # A file rewritten with other bytes of the same size: its times moved, so it is read and the digest changes.
    reads.clear()
    page = corpus / "press" / "cop14-opening-2024-02-12.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("Samarkand", "Samarkanz", 1), encoding="utf-8")
    changed = corpus_state(corpus, known=later)
    assert reads == [page.name] and changed.digest != state.digest and changed.digest == fingerprint(corpus)
    # A missing or damaged stored table is no table.
    arrays = state.to_arrays()
    assert CorpusState.from_arrays({}) is None
    assert CorpusState.from_arrays({**arrays, "corpus.sha256": arrays["corpus.sha256"][:-1]}) is None


def test_a_file_changed_right_after_the_index_was_saved_is_seen(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    index = tmp_path / "index.npz"
    Engine.open(corpus, index, notify=lambda m: None)
    page = corpus / "press" / "cop14-opening-2024-02-12.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Samarkand", "Samarkanz", 1), encoding="utf-8")
    messages: list[str] = []
    Engine.open(corpus, index, notify=messages.append)
    assert messages and "corpus changed" in messages[-1]


def test_files_written_just_before_a_build_are_trusted_once_they_settle(tmp_path: Path, monkeypatch) -> None:
    corpus = _corpus(tmp_path)
    state = corpus_state(corpus)  # just copied: every file is racy
    assert walk.settled(corpus, state) is state  # still within RACY_NS of now: nothing trusted yet
    with monkeypatch.context() as m:  # as if RACY_NS had passed since the copy
        m.setattr(walk.time, "time_ns", lambda: state.taken_ns + 10**9)
        m.setattr(walk, "RACY_NS", 10**6)
        racy = replace(state, taken_ns=min(max(e[1], e[2]) for e in state.files.values()))  # all racy
        calm = walk.settled(corpus, racy)
    assert calm.digest == state.digest and calm.files == state.files and calm.taken_ns == state.taken_ns + 10**9
    # A racy file whose bytes differ from its stored hash keeps the state as it was (never trusted).
    page = corpus / "press" / "cop14-opening-2024-02-12.md"
    wrong = dict(racy.files)
    wrong["press/cop14-opening-2024-02-12.md"] = (*wrong["press/cop14-opening-2024-02-12.md"][:4], b"\0" * 32)
    bad = replace(racy, files=wrong)
    with monkeypatch.context() as m:
        m.setattr(walk.time, "time_ns", lambda: state.taken_ns + 10**9)
        m.setattr(walk, "RACY_NS", 10**6)
        assert walk.settled(corpus, bad) is bad
        # A file changed since (its times moved): unchanged too.
        page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        m.setattr(walk.time, "time_ns", lambda: max(page.stat().st_mtime_ns, page.stat().st_ctime_ns) + 10**9)
        assert walk.settled(corpus, racy) is racy


def test_each_documents_passages_come_from_the_source_column_without_making_passages(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    built = Engine.build(corpus)
    built.save(tmp_path / "index.npz")
    opened = Engine.open(corpus, tmp_path / "index.npz")
    expected: dict[str, list[int]] = {}
    for i, p in enumerate(built.passages):
        expected.setdefault(p.source, []).append(i)
    for engine in (built, opened):
        held = engine._source_passages
        assert {k: v.tolist() for k, v in held.items()} == expected and len(expected) > 1
        assert all(v.dtype == np.int64 for v in held.values())
    assert all(made is None for made in opened.passages._made)  # type: ignore[attr-defined]
