"""Passage facts computed when the index is saved: the values the ranking hints' own functions give."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from bot.answer import compose
from bot.answer.compose import unit_tokens
from bot.cms.dates import find_dates
from bot.engine import Engine
from bot.model import DateSpan, Passage
from bot.question.kinds import counting, how_much, when
from bot.search import facts
from bot.search.analyzer import analyze
from bot.search.passages import PassageTable, to_arrays

REPO = Path(__file__).resolve().parents[2]

TEXTS = [
    ("Samarkand, 12 February 2024 – COP14 opened today with 133 Parties and 2,000 participants.", "en"),
    ("More than 4,000 species were analysed; 1,189 of them need international action.", "en"),
    ("The count found 31 shark species.\nAbout 500 individuals were tagged in 2023.", "en"),
    ("No number here, and no date.", "en"),
    ("La COP14 s'est ouverte le 12 février 2024 avec 130 pays.", "fr"),
    ("Se registraron 1.200 participantes del 17 al 22 de febrero de 2020.", "es"),
    ("Funding rose by 10 per cent to US$ 2.5 million.", "en"),
    ("A record 2,000 people came; 2,000 people came.", "en"),
    ("", "en"),
]


def _old_counts(text: str, counted: frozenset[str], lang: str) -> bool:
    """``counting.counts`` as it reads a text sentence by sentence."""
    units = unit_tokens(text, lang)
    return any(counting.count_phrase(text[u.start:u.end], counted, generic=counting.named_near(units, i, counted), lang=lang)
               for i, (u, _) in enumerate(units))


@pytest.mark.parametrize(("text", "lang"), TEXTS)
def test_the_facts_say_what_the_hints_read_sentence_by_sentence(text: str, lang: str) -> None:
    terms = counting.count_terms(text, lang)
    words = {t for _u, tokens in unit_tokens(text, lang) for t in tokens} | {"speci", "parti", "particip", "x"}
    for word in words:
        counted = frozenset({word})
        assert bool(counted & terms) == _old_counts(text, counted, lang) == counting.counts(text, counted, lang)
        asked = frozenset({word})
        timed = 0.5 if not when.says_time(text, lang) else 1.0 if asked & when.timed_terms(text, lang) else 0.8
        assert timed == when.says_when(text, asked, lang)
    assert facts.date_spans(text) == tuple(f.span for f in find_dates(text))
    amount = 1.0 if how_much.states_amount(text, lang) else 0.6 if counting.has_count(text, lang) else 0.3
    assert amount == how_much._states_amount(text, lang)
    assert compose.token_set(text, lang) == frozenset(analyze(text))


def _passages() -> list[Passage]:
    return [Passage(id=f"d{i}#p1", source=f"d{i}.md", kind="news_item", title="t", document_title="t", date=None,
                    locator="para. 1", text=text, position=i, lang=lang) for i, (text, lang) in enumerate(TEXTS)]


def test_stored_facts_are_the_computed_ones_and_ride_on_the_passages() -> None:
    passages = _passages()
    arrays, meta = facts.to_arrays(passages)
    loaded = PassageTable({**to_arrays(passages), **arrays}, meta)
    assert loaded.facts is not None and loaded.facts.usable()
    for p, q in zip(passages, loaded):
        assert q == p and q.__dict__[facts.ATTR][0] is loaded.facts
        for fact in facts.FACTS:
            stored = loaded.facts.value(fact.name, q.position)
            assert stored == facts.compute(fact.name, p.text, p.lang) == facts.of(p, fact.name) == facts.of(q, fact.name)
    assert facts.of(loaded[0], "dates") == (DateSpan(date(2024, 2, 12), date(2024, 2, 12)),)
    assert facts.of(loaded[1], "has_count") is True and "speci" in facts.of(loaded[1], "count_terms")


def test_facts_from_other_code_or_of_another_table_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    passages = _passages()
    arrays, meta = facts.to_arrays(passages)
    columns = to_arrays(passages)
    assert PassageTable(columns).facts is None  # an index without facts: computed
    assert PassageTable({**columns, **arrays}, {**meta, "passages": 3}).facts is None
    assert PassageTable({**columns, **arrays}, {**meta, "facts": ["has_count"]}).facts is None
    broken = {**arrays, "facts.count_terms.ids": arrays["facts.count_terms.ids"][:-1]}
    assert PassageTable({**columns, **broken}, meta).facts is None
    stale = PassageTable({**columns, **arrays}, {**meta, "source": "0" * 64})
    assert stale.facts is not None and not stale.facts.usable()
    # A stored value that disagreed would show: here every fact is computed again instead.
    monkeypatch.setattr(stale.facts, "_bools", {})
    assert facts.of(stale[1], "has_count") is True


def test_the_facts_digest_covers_the_code_they_run() -> None:
    modules = facts.source_modules()
    assert {"bot.question.kinds.counting", "bot.question.kinds.when", "bot.cms.dates", "bot.answer.compose",
            "bot.search.analyzer", "bot.search.facts"} <= set(modules)
    assert "bot.engine" not in modules and "bot.question.query" not in modules  # only what they import
    assert facts.source_digest(modules) == facts.source_digest(modules) is not None
    assert facts.source_digest(["bot.no_such_module"]) is None


def test_a_saved_engine_answers_from_its_stored_facts(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    built = Engine.build(corpus)
    built.save(tmp_path / "index.npz")
    opened = Engine.open(corpus, tmp_path / "index.npz")
    assert isinstance(opened.passages, PassageTable) and opened.passages.facts is not None
    for q in ("When did COP14 open?", "How many Parties does CMS have?", "What happened at COP14 in February 2024?"):
        a, b = built.ask(q), opened.ask(q)
        assert (a.answer, [(c.passage.id, c.quote, c.score) for c in a.citations]) == \
               (b.answer, [(c.passage.id, c.quote, c.score) for c in b.citations])


def test_opening_an_index_whose_facts_come_from_other_code_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    Engine.build(corpus).save(tmp_path / "index.npz")
    said: list[str] = []
    fresh = Engine.open(corpus, tmp_path / "index.npz", notify=said.append)
    assert said == [] and fresh.passages.facts.usable()  # type: ignore[attr-defined]
    monkeypatch.setattr(facts, "source_digest", lambda modules: "other code")
    stale = Engine.open(corpus, tmp_path / "index.npz", notify=said.append)
    assert len(said) == 1 and "passage facts" in said[0] and "cmsbot index" in said[0]
    assert not stale.passages.facts.usable()  # type: ignore[attr-defined]
    assert stale.ask("When did COP14 open?").answer == fresh.ask("When did COP14 open?").answer


def test_facts_computed_in_two_processes_are_the_ones_computed_in_one(monkeypatch: pytest.MonkeyPatch) -> None:
    passages = _passages() * 3
    alone, _ = facts.to_arrays(passages)
    monkeypatch.setattr(facts, "PARALLEL_FROM", 4)
    monkeypatch.setattr(facts.os, "cpu_count", lambda: 2)
    shared, _ = facts.to_arrays(passages)
    assert alone.keys() == shared.keys() and all(np.array_equal(alone[k], shared[k]) for k in alone)
    # A child that cannot do its half: the half is computed here, the same.
    real = facts._rows
    monkeypatch.setattr(facts, "_rows", lambda items: real(items))  # a lambda cannot be sent to the child
    again, _ = facts.to_arrays(passages)
    assert all(np.array_equal(alone[k], again[k]) for k in alone)
