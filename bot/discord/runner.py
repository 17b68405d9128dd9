"""Entry points for ``cmsbot serve`` and ``cmsbot sync``: exit codes, never a traceback for a bad token.

Exit codes: 0 ok, 1 the corpus/index could not be opened or Discord is unreachable, 2 no token or the token was rejected.
The token is never printed or logged.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.discord.client import CmsBot
from bot.state.fetch import FetchStore
from bot.state.feedback import Store

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.discord.client import CmsBotBase
    from bot.engine import Engine

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_ENGINE = 1
EXIT_TOKEN = 2

NO_TOKEN = "cmsbot: no Discord token — set DISCORD_TOKEN in the environment or in .env (see docs/discord.md)"
BAD_TOKEN = "cmsbot: Discord rejected the token in DISCORD_TOKEN — reset it in the Developer Portal (Bot → Reset Token)"
NO_INTENTS = "cmsbot: Discord refused the requested intents — see docs/discord.md (cmsbot needs no privileged intents)"
MALFORMED_TOKEN = ("cmsbot: DISCORD_TOKEN holds a line break, space or other character no token has — "
                   "copy it again from the Developer Portal (Bot → Reset Token)")

# Gateway close codes that mean "this token or these intents will never work": no retry, exit 2.
_TOKEN_CLOSE_CODES = {4004: BAD_TOKEN, 4013: NO_INTENTS, 4014: NO_INTENTS}
_TOKEN_CHARS = re.compile(r"[!-~]+")  # printable ASCII, no spaces: what a token is made of


def token_problem(token: str | None) -> str | None:
    """The one-line message for a missing or malformed token (sent as an HTTP header, CR/LF in it
    would raise deep inside aiohttp), or None when it is worth trying."""
    if not token:
        return NO_TOKEN
    if not _TOKEN_CHARS.fullmatch(token):
        return MALFORMED_TOKEN
    return None


def _setup_logging(settings: Settings) -> None:
    discord.utils.setup_logging(level=getattr(logging, settings.log_level, logging.INFO), root=True)


def _open_engine(settings: Settings) -> Engine | None:
    from bot.engine import Engine, settle

    try:
        engine = Engine.open(settings.corpus_dir, index_path=settings.resolved_index_path)
        settle()  # a bot answers for days: no full garbage collection pauses over the engine
        return engine
    except Exception as exc:  # the engine reports its own clear messages; keep them on one line
        log.debug("engine failed to open", exc_info=True)
        print(f"cmsbot: cannot open the corpus {settings.corpus_dir}: {exc}", file=sys.stderr)
        return None


def _run(bot: CmsBotBase, coro_factory: object) -> int:
    """Run ``coro_factory(bot)`` with the bot's session open; map login failures to exit code 2."""
    async def main() -> None:
        async with bot:  # type: ignore[attr-defined]
            await coro_factory(bot)  # type: ignore[operator]

    try:
        asyncio.run(main())
    except discord.LoginFailure:
        print(BAD_TOKEN, file=sys.stderr)
        return EXIT_TOKEN
    except discord.PrivilegedIntentsRequired:
        print(NO_INTENTS, file=sys.stderr)
        return EXIT_TOKEN
    except discord.ConnectionClosed as exc:  # the gateway hung up: 4004 is a token it will not take
        log.debug("gateway closed the connection", exc_info=True)
        if exc.code in _TOKEN_CLOSE_CODES:
            print(_TOKEN_CLOSE_CODES[exc.code], file=sys.stderr)
            return EXIT_TOKEN
        print(f"cmsbot: Discord closed the connection (gateway close code {exc.code})", file=sys.stderr)
        return EXIT_ENGINE
    except KeyboardInterrupt:
        return EXIT_OK
    except (discord.HTTPException, discord.GatewayNotFound, aiohttp.ClientError, OSError) as exc:
        log.debug("connection to Discord failed", exc_info=True)
        print(f"cmsbot: cannot talk to Discord: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ENGINE
    except Exception as exc:  # noqa: BLE001 - one line, not a traceback; its text could hold the token
        log.debug("the Discord client failed", exc_info=True)
        print(f"cmsbot: the Discord client failed ({type(exc).__name__}); "
              "CMSBOT_LOG_LEVEL=DEBUG logs the details", file=sys.stderr)
        return EXIT_ENGINE
    return EXIT_OK


def run_serve(settings: Settings, *, sync_guild: int | None = None) -> int:
    """Serve until interrupted. ``sync_guild``: sync the slash commands to that server at start (development);
    global sync happens only through :func:`run_sync`."""
    if (problem := token_problem(settings.discord_token)) is not None:
        print(problem, file=sys.stderr)
        return EXIT_TOKEN
    _setup_logging(settings)
    engine = _open_engine(settings)
    if engine is None:
        return EXIT_ENGINE
    store = Store.in_dir(settings.data_dir)
    fetch_store = FetchStore.in_data_dir(settings.data_dir)  # subscriptions; fetch state when fetching is on
    bot = CmsBot(settings=settings, engine=engine, store=store, sync_guild=sync_guild, fetch_store=fetch_store)
    token = settings.discord_token

    async def serve(b: CmsBotBase) -> None:
        await b.start(token)  # type: ignore[attr-defined]

    try:
        return _run(bot, serve)
    finally:
        fetch_store.close()
        store.close()


def run_sync(settings: Settings, *, guild: int | None = None) -> int:
    """Register the slash commands with Discord — globally (can take up to an hour to appear) or to one guild."""
    if (problem := token_problem(settings.discord_token)) is not None:
        print(problem, file=sys.stderr)
        return EXIT_TOKEN
    _setup_logging(settings)
    bot = CmsBot(settings=settings, engine=None, store=None)
    token = settings.discord_token
    synced: list[object] = []

    async def sync(b: CmsBotBase) -> None:
        await b.login(token)  # type: ignore[attr-defined]  # runs setup_hook, which loads the cogs
        tree = b.tree  # type: ignore[attr-defined]
        if guild is None:
            synced.extend(await tree.sync())
        else:
            target = discord.Object(id=guild)
            tree.copy_global_to(guild=target)
            synced.extend(await tree.sync(guild=target))

    code = _run(bot, sync)
    if code == EXIT_OK:
        where = f"guild {guild}" if guild is not None else "all servers (global; may take up to an hour to show)"
        names = ", ".join(sorted(f"/{c.name}" for c in synced))  # type: ignore[attr-defined]
        print(f"Synced {len(synced)} commands to {where}: {names}")
    return code
