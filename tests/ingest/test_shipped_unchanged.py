"""The shipped corpus' passages — ids, texts, contexts, titles, dates, places — exactly as they
were before the kinds for any page were added (fixtures/shipped_passages.json)."""

from __future__ import annotations

import json
from pathlib import Path

from bot.cms.meetings import MeetingRegistry
from bot.ingest.corpus import load_corpus

REPO = Path(__file__).resolve().parents[2]
SNAPSHOT = Path(__file__).parent / "fixtures" / "shipped_passages.json"


def test_shipped_passages_are_unchanged():
    corpus = REPO / "corpus"
    loaded = load_corpus(corpus, MeetingRegistry.load(corpus / "meetings.yaml"))
    now = [
        {k: getattr(p, k) for k in ("id", "kind", "title", "locator", "text", "context", "place", "meeting")}
        | {"date": p.date.isoformat() if p.date else None}
        for p in loaded.passages
    ]
    assert now == json.loads(SNAPSHOT.read_text(encoding="utf-8"))
