"""Reading a YAML settings file (meetings.yaml, sources.yaml) with one clear error per problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def read_yaml(path: Path, error: type[Exception], name: str | None = None) -> Any:
    """The parsed file; a missing, undecodable or invalid file raises ``error`` naming it."""
    where = name or str(path)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{where}: file not found") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise error(f"{where}: not valid YAML ({exc})") from None
