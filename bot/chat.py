"""`cmsbot chat`: an interactive terminal session over the engine (history, :source, :more, :quit)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable

from bot.answer.render import passage_text, render_text
from bot.engine import Engine
from bot.model import Answer

HELP = """Ask a question about CMS meetings, or:
  :more         more sources for the last answer
  :source ID    the whole passage with that id
  :help         this text
  :quit         leave (or Ctrl-D)"""


def _enable_history() -> None:
    try:
        import readline  # noqa: F401 - importing it gives input() line editing and history
    except ImportError:  # pragma: no cover - not on every platform
        pass


def chat_lines(engine: Engine, lines: Iterable[str], write: Callable[[str], None]) -> None:
    """Answer each line; separated from the terminal so tests can drive it."""
    last: Answer | None = None
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if line in {":quit", ":q", ":exit"}:
            return
        if line == ":help":
            write(HELP)
        elif line == ":more":
            if last is None or not last.more:
                write("No more sources for the last answer.")
            else:
                write(render_text(Answer(last.question, True, None, last.more[:5]), color=sys.stdout.isatty()))
                last = Answer(last.question, True, None, (), more=last.more[5:])
        elif line.startswith(":source"):
            wanted = line[len(":source"):].strip()
            passage = engine.passage(wanted) if wanted else None
            write(passage_text(passage) if passage else f"No passage with id {wanted!r}." if wanted else "Usage: :source ID")
        elif line.startswith(":"):
            write(f"Unknown command {line.split()[0]!r}. " + HELP)
        else:
            last = engine.ask(line)
            write(render_text(last, color=sys.stdout.isatty()))
        write("")


def _terminal_lines() -> Iterable[str]:
    while True:
        try:
            yield input("cmsbot> " if sys.stdin.isatty() else "")
        except EOFError:
            return


def run_chat(engine: Engine) -> int:
    _enable_history()
    stats = engine.stats()
    print(f"cmsbot — {stats.documents} documents, {stats.passages} passages. :help for commands, :quit to leave.\n")
    chat_lines(engine, _terminal_lines(), print)
    return 0
