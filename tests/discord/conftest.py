from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.discord.client import CmsBot, CmsBotBase
from bot.engine import Engine
from bot.state.feedback import Store
import discord_harness as harness

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The real engine on the shipped corpus (3 documents), built once per session."""
    return Engine.open(CORPUS, index_path=tmp_path_factory.mktemp("index") / "index.npz")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(corpus_dir=CORPUS, data_dir=tmp_path / "data", owner_ids=frozenset({harness.STAFF_ID}),
                    cooldown_rate=5, cooldown_seconds=30.0)


@pytest.fixture
def store(settings: Settings) -> Store:
    s = Store.in_dir(settings.data_dir)
    yield s
    s.close()


@pytest.fixture
async def bot(settings: Settings, engine: Engine, store: Store) -> AsyncIterator[CmsBotBase]:
    """The production (sharded) bot with its cogs loaded, not connected to anything."""
    client = CmsBot(settings=settings, engine=engine, store=store)
    await client._async_setup_hook()
    harness.bot_user(client)
    await client.setup_hook()
    yield client
    for view in list(client._connection._view_store.persistent_views):
        view.stop()


@pytest.fixture
def adapter() -> harness.FakeAdapter:
    return harness.install_adapter()
