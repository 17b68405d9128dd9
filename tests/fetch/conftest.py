"""Fixtures for fetch tests: a real aiohttp server on 127.0.0.1 playing the CMS website, and a scratch corpus."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fetchsite import REPO, Site, serving

from bot.config import Settings


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    async with serving(Site()) as running:
        yield running


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REPO / "corpus" / "meetings.yaml", corpus / "meetings.yaml")
    return Settings(corpus_dir=corpus, data_dir=tmp_path / "data")


