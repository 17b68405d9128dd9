"""Settings from the environment, a ``.env`` file and command-line overrides, validated once.

Precedence: command-line flag > process environment > ``.env`` in the working directory > default.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path


class ConfigError(ValueError):
    """A setting has a value cmsbot cannot use; the message names the setting."""


# A Discord bot token (three base64url parts), or any long run of letters and digits mixed, the
# shape of API keys and passwords: a token pasted into the wrong variable must not be printed.
_SECRET_LIKE = re.compile(r"[\w-]{16,}\.[\w-]{4,}\.[\w-]{16,}|(?=[\w+/=.-]*\d)(?=[\w+/=.-]*[A-Za-z])[\w+/=.-]{12,}")


def shown(raw: str) -> str:
    """``raw`` quoted for an error message — unless it could be a secret, which is never echoed."""
    if _SECRET_LIKE.search(raw) or any(not ch.isprintable() for ch in raw):
        return f"a {len(raw)}-character value (not shown: it may be a secret)"
    return repr(raw[:40] + ("…" if len(raw) > 40 else ""))


def shipped_corpus() -> Path:
    """The corpus that comes with the package (package data ``bot/corpus``), so an installed
    cmsbot answers from any folder; in a checkout it is the repository's ``corpus/``."""
    return (Path(__file__).resolve().parent / "corpus").resolve()


@dataclass(frozen=True)
class Settings:
    #: Default: the shipped corpus (``$CMSBOT_CORPUS`` or ``--corpus`` override it).
    corpus_dir: Path = field(default_factory=shipped_corpus)
    #: Where the saved index lives; default: ``<data_dir>/index.npz``.
    index_path: Path | None = None
    #: Feedback, settings, subscriptions and fetch state (SQLite) live here.
    data_dir: Path = Path(".cmsbot")
    discord_token: str | None = field(default=None, repr=False)
    #: User ids allowed to run staff commands (/reindex) in any server.
    owner_ids: frozenset[int] = frozenset()
    #: Questions per user per cooldown window.
    cooldown_rate: int = 5
    cooldown_seconds: float = 30.0
    #: Minutes between fetches while serving; 0 disables fetching.
    fetch_interval_minutes: float = 0.0
    log_level: str = "INFO"

    @property
    def resolved_index_path(self) -> Path:
        return self.index_path if self.index_path is not None else self.data_dir / "index.npz"

    def with_overrides(self, **overrides: object) -> Settings:
        """A copy with the given non-None values replaced (for command-line flags)."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def read_dotenv(path: Path) -> dict[str, str]:
    """``KEY=value`` lines; blank lines and ``#`` comments ignored; surrounding quotes stripped."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):]
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{path}:{number}: expected KEY=value")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def _int_set(name: str, raw: str) -> frozenset[int]:
    try:
        return frozenset(int(part) for part in raw.replace(",", " ").split())
    except ValueError:
        raise ConfigError(f"{name} must be a list of numeric Discord user ids, got {shown(raw)}") from None


def _number(name: str, raw: str, kind: type[int] | type[float], minimum: float) -> int | float:
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {shown(raw)}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {shown(raw)}")
    return value


def load_settings(env: dict[str, str] | None = None, dotenv: Path | None = Path(".env")) -> Settings:
    """Settings from ``env`` (default: ``os.environ``) layered over the ``.env`` file."""
    merged: dict[str, str] = {}
    if dotenv is not None:
        merged.update(read_dotenv(dotenv))
    merged.update(os.environ if env is None else env)

    def get(name: str) -> str | None:
        value = merged.get(name)
        return value if value not in (None, "") else None

    settings = Settings()
    updates: dict[str, object] = {}
    if (v := get("CMSBOT_CORPUS")) is not None:
        updates["corpus_dir"] = Path(v)
    if (v := get("CMSBOT_INDEX")) is not None:
        updates["index_path"] = Path(v)
    if (v := get("CMSBOT_DATA_DIR")) is not None:
        updates["data_dir"] = Path(v)
    if (v := get("DISCORD_TOKEN")) is not None:
        updates["discord_token"] = v.strip()  # a trailing newline from `echo … >> .env` is no part of it
    if (v := get("CMSBOT_OWNER_IDS")) is not None:
        updates["owner_ids"] = _int_set("CMSBOT_OWNER_IDS", v)
    if (v := get("CMSBOT_COOLDOWN_RATE")) is not None:
        updates["cooldown_rate"] = int(_number("CMSBOT_COOLDOWN_RATE", v, int, 1))
    if (v := get("CMSBOT_COOLDOWN_SECONDS")) is not None:
        updates["cooldown_seconds"] = float(_number("CMSBOT_COOLDOWN_SECONDS", v, float, 0))
    if (v := get("CMSBOT_FETCH_INTERVAL_MINUTES")) is not None:
        updates["fetch_interval_minutes"] = float(_number("CMSBOT_FETCH_INTERVAL_MINUTES", v, float, 0))
    if (v := get("CMSBOT_LOG_LEVEL")) is not None:
        level = v.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ConfigError(f"CMSBOT_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {shown(v)}")
        updates["log_level"] = level
    return replace(settings, **updates)
