"""``run_serve`` / ``run_sync`` exits, and command sync in ``setup_hook`` — all without a network."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.config import Settings
from bot.discord import runner
from bot.discord.client import CmsBot, QuestionLimiter
from bot.engine import Engine

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.secret-token-value-never-shown"


@pytest.fixture
def no_logging_setup(monkeypatch: pytest.MonkeyPatch) -> None:
    """run_serve configures logging for real; keep pytest's handlers (caplog) in charge."""
    monkeypatch.setattr(runner, "_setup_logging", lambda settings: None)


@pytest.fixture
def rejected_login(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Discord answering 401 to the login, without any request being made."""
    attempts: list[str] = []

    async def static_login(self: discord.http.HTTPClient, token: str) -> Any:
        attempts.append(token)
        raise discord.LoginFailure("Improper token has been passed.")

    monkeypatch.setattr(discord.http.HTTPClient, "static_login", static_login)
    return attempts


@pytest.mark.parametrize("entry", [runner.run_serve, runner.run_sync])
def test_missing_token_is_one_clear_line_and_exit_code_2(entry: Any, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert entry(Settings(data_dir=tmp_path / "d")) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "DISCORD_TOKEN" in err and "Traceback" not in err
    assert not (tmp_path / "d").exists()


def test_serve_with_a_rejected_token_exits_2_without_traceback_or_token(
    tmp_path: Path, engine: Engine, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
    rejected_login: list[str], no_logging_setup: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(runner, "_open_engine", lambda settings: engine)  # the real engine, already open
    caplog.set_level(logging.DEBUG)
    settings = Settings(data_dir=tmp_path / "d", discord_token=TOKEN)
    assert runner.run_serve(settings, sync_guild=123) == 2
    assert rejected_login == [TOKEN]  # the login was attempted, and refused
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "rejected the token" in err
    assert "Traceback" not in out + err
    assert "secret-token" not in out + err + caplog.text
    assert TOKEN not in repr(settings)


def test_sync_with_a_rejected_token_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            caplog: pytest.LogCaptureFixture, rejected_login: list[str],
                                            no_logging_setup: None) -> None:
    caplog.set_level(logging.DEBUG)
    assert runner.run_sync(Settings(data_dir=tmp_path / "d", discord_token=TOKEN), guild=42) == 2
    out, err = capsys.readouterr()
    assert "rejected the token" in err and "Traceback" not in out + err
    assert "secret-token" not in out + err + caplog.text


def test_serve_opens_the_real_corpus_before_logging_in(tmp_path: Path, rejected_login: list[str],
                                                       no_logging_setup: None) -> None:
    settings = Settings(corpus_dir=CORPUS, index_path=tmp_path / "index.npz", data_dir=tmp_path / "d",
                        discord_token=TOKEN)
    assert runner.run_serve(settings) == 2
    assert (tmp_path / "index.npz").exists()  # the engine was opened (and its index saved) first


def test_serve_with_a_missing_corpus_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             no_logging_setup: None) -> None:
    settings = Settings(corpus_dir=tmp_path / "nope", data_dir=tmp_path / "d", discord_token=TOKEN)
    assert runner.run_serve(settings) == 1
    out, err = capsys.readouterr()
    assert "cannot open the corpus" in err and "Traceback" not in err and "secret-token" not in out + err


async def _setup(bot: CmsBot, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    synced: list[Any] = []

    async def sync(*, guild: Any = None) -> list[Any]:
        synced.append(guild)
        return []

    monkeypatch.setattr(bot.tree, "sync", sync)
    await bot._async_setup_hook()
    await bot.setup_hook()
    return synced


async def test_sync_guild_syncs_that_guild_in_setup_hook(settings: Settings, engine: Engine,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    bot = CmsBot(settings=settings, engine=engine, store=None, sync_guild=1234)
    synced = await _setup(bot, monkeypatch)
    assert [g.id for g in synced] == [1234]
    guild_commands = {c.name for c in bot.tree.get_commands(guild=discord.Object(id=1234))}
    assert {"ask", "search", "meeting", "latest", "source", "about", "reindex", "settings"} <= guild_commands


async def test_no_sync_at_all_on_a_plain_start(settings: Settings, engine: Engine,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    bot = CmsBot(settings=settings, engine=engine, store=None)
    assert await _setup(bot, monkeypatch) == []
    assert isinstance(bot, discord.AutoShardedClient)
    assert bot.allowed_mentions is not None and bot.allowed_mentions.to_dict() == {"parse": []}


def test_limiter_allows_rate_then_reports_a_sensible_wait() -> None:
    limiter = QuestionLimiter(rate=2, per=30.0)
    assert limiter.hit(1) is None and limiter.hit(1) is None
    wait = limiter.hit(1)
    assert wait is not None and 0 < wait <= 30.0
    assert limiter.hit(2) is None
    assert QuestionLimiter(rate=1, per=0).hit(1) is None  # cooldown disabled
