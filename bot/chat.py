"""`cmsbot chat`: an interactive terminal session over the engine (history, :source, :more, :quit)."""

from __future__ import annotations

from typing import Any

import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from bot.answer.render import passage_text, render_text
from bot.engine import Engine
from bot.model import Answer, Citation

HELP = """Ask a question about CMS meetings, or:
  :more         more sources for the last answer
  :source N     the whole passage of citation [N] (or :source ID, the id under a quote)
  :help         this text
  :quit         leave (or Ctrl-D; Ctrl-C clears the line)"""

#: Citations :more shows at a time.
PAGE = 5
HISTORY_LENGTH = 1000


class _Session:
    """What the last answer cited, numbered as shown, so :source N and :more follow the numbering."""

    def __init__(self) -> None:
        self.shown: list[Citation] = []
        self.pending: tuple[Citation, ...] = ()
        self.question = ""
        self.context: Any = None  # the conversation's context, for follow-up questions

    def answered(self, answer: Answer) -> None:
        self.question, self.shown, self.pending = answer.question, list(answer.citations), answer.more
        self.context = answer.context

    def more(self) -> Answer | None:
        if not self.pending:
            return None
        page, self.pending = self.pending[:PAGE], self.pending[PAGE:]
        answer = Answer(self.question, True, None, page, more=self.pending)
        self.shown.extend(page)
        return answer


def chat_lines(engine: Engine, lines: Iterable[str], write: Callable[[str], None]) -> None:
    """Answer each line; separated from the terminal so tests can drive it."""
    session = _Session()
    color = sys.stdout.isatty()
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if line in {":quit", ":q", ":exit"}:
            return
        if line == ":help":
            write(HELP)
        elif line == ":more":
            start = len(session.shown) + 1
            page = session.more()
            write("No more sources for the last answer." if page is None
                  else render_text(page, color=color, more_hint=":more", start=start))
        elif line.split()[0] == ":source":
            write(_source(engine, session, line[len(":source"):].strip()))
        elif line.startswith(":"):
            write(f"Unknown command {line.split()[0]!r}. " + HELP)
        else:
            answer = engine.ask(line, context=session.context)
            session.answered(answer)
            write(render_text(answer, color=color, more_hint=":more"))
        write("")


def _source(engine: Engine, session: _Session, wanted: str) -> str:
    if not wanted:
        return "Usage: :source N (a citation number) or :source ID"
    if wanted.isdigit():
        number = int(wanted)
        if not 1 <= number <= len(session.shown):
            shown = f"[1] to [{len(session.shown)}]" if session.shown else "none yet"
            return f"No citation [{number}] in the last answer (shown: {shown})."
        cited = session.shown[number - 1].passage
        return passage_text(engine.passage(cited.id) or cited)
    passage = engine.passage(wanted)
    return passage_text(passage) if passage else f"No passage with id {wanted!r}."


def _enable_history(path: Path | None) -> Callable[[], None]:
    """Line editing, and history kept in ``path`` between sessions; returns the function that saves it."""
    try:
        import readline
    except ImportError:  # pragma: no cover - not on every platform
        return lambda: None
    if path is None:
        return lambda: None
    try:
        readline.read_history_file(path)
    except OSError:
        pass  # first session, or unreadable: start empty
    readline.set_history_length(HISTORY_LENGTH)

    def save() -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(path)
        except OSError as exc:
            print(f"cmsbot: chat history not saved to {path}: {exc.strerror or exc}", file=sys.stderr)
    return save


def terminal_lines(read: Callable[[str], str] = input, write: Callable[[str], None] = print) -> Iterator[str]:
    """Lines typed at the prompt. Ctrl-C drops the half-typed line and prompts again; Ctrl-D
    (end of input) ends the session on a fresh line."""
    prompt = "cmsbot> " if sys.stdin.isatty() else ""
    while True:
        try:
            yield read(prompt)
        except KeyboardInterrupt:
            write("")  # the interrupted line stays on screen as typed; start a clean one
        except EOFError:
            if prompt:
                write("")
            return


def run_chat(engine: Engine, history: Path | None = None) -> int:
    save = _enable_history(history if sys.stdin.isatty() else None)
    stats = engine.stats()
    print(f"cmsbot — {stats.documents} documents, {stats.passages} passages. :help for commands, :quit to leave.\n")
    try:
        chat_lines(engine, terminal_lines(), print)
    finally:
        save()
    return 0
