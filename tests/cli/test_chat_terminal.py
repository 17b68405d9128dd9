"""`cmsbot chat` at the terminal: Ctrl-C clears the line, Ctrl-D leaves on a new line, history is kept
between sessions, :source N takes a citation number, :more continues the numbering."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.chat import _enable_history, chat_lines, terminal_lines
from bot.engine import Engine

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return Engine.open(REPO / "corpus", tmp_path_factory.mktemp("i") / "index.npz", notify=lambda _m: None)


def scripted(*events: object):
    """A stand-in for input(): returns each string, raises each exception."""
    queue = list(events)

    def read(prompt: str) -> str:
        event = queue.pop(0)
        if isinstance(event, BaseException):
            raise event
        return str(event)
    return read


def test_ctrl_c_clears_the_line_and_the_session_goes_on(monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    written: list[str] = []
    lines = list(terminal_lines(scripted("first", KeyboardInterrupt(), "second", EOFError()), written.append))
    assert lines == ["first", "second"]
    assert written == ["", ""]  # a fresh line after ^C, and one after ^D


def test_history_is_kept_between_sessions(tmp_path):
    readline = pytest.importorskip("readline")
    history = tmp_path / "state" / "chat_history"
    readline.clear_history()
    save = _enable_history(history)
    readline.add_history("When did COP14 open?")
    save()
    readline.clear_history()
    _enable_history(history)
    assert readline.get_current_history_length() == 1
    assert readline.get_history_item(1) == "When did COP14 open?"
    readline.clear_history()


def test_source_takes_a_citation_number_and_more_continues_the_numbering(engine):
    out: list[str] = []
    chat_lines(engine, ["COP14 species", ":more", ":source 4", ":source 99"], out.append)
    answer, more, source, missing = [o for o in out if o]
    first_numbers = [int(n) for n in re.findall(r"^\[(\d+)\]", answer, re.MULTILINE)]
    more_numbers = [int(n) for n in re.findall(r"^\[(\d+)\]", more, re.MULTILINE)]
    assert first_numbers == [1, 2, 3] and more_numbers[0] == 4
    assert "(" in answer.splitlines()[-1] and ":more" in answer.splitlines()[-1]
    fourth = re.search(r"^\[4\] (.*)$", more, re.MULTILINE).group(1)
    assert source.startswith(fourth)
    assert missing == f"No citation [99] in the last answer (shown: [1] to [{more_numbers[-1]}])."


def test_source_before_any_answer_says_so(engine):
    out: list[str] = []
    chat_lines(engine, [":source 1"], out.append)
    assert out[0] == "No citation [1] in the last answer (shown: none yet)."
