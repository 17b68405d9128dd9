"""Issue 15 items 6 and 7 on the command line: `--meeting ³` is a one-line error, and `ask --json -`
prints one valid JSON line per input line whatever bytes come in and whatever the locale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"

HOSTILE_STDIN = (
    b"When did COP14 open?\n"
    b"\xff\xfe invalid UTF-8 \xc3\n"
    b"\n"
    b"   \n"
    b"Who is the press contact?\r\n"
    b"\xed\xa0\x80 an encoded surrogate\n"
    b"nul \x00 byte\n"
    b"\xc0\xaf overlong slash\n"
    b"last line, no newline \xe2\x82"
)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("index") / "index.npz"
    assert main(["index", "--corpus", str(CORPUS), "--index", str(path), "--quiet", "--json"]) == 0
    return path


@pytest.mark.parametrize("meeting", ["³", "²⁰", "9" * 5000])
def test_cli_meeting_with_odd_digits_is_one_line_exit_2(index: Path, meeting: str, capsys) -> None:
    assert main(["ask", "--corpus", str(CORPUS), "--index", str(index), "--meeting", meeting, "hello"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cmsbot: --meeting: ") and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("environment", [
    {"LC_ALL": "C.UTF-8"},                                    # stdin decodes with surrogateescape
    {"LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8:strict"},  # stdin decodes strictly
    {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": "ascii:strict"},  # stdout cannot hold non-ASCII
])
def test_json_lines_from_hostile_stdin_under_any_locale(index: Path, environment: dict[str, str]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIO", "PYTHONUTF8"))}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "--corpus", str(CORPUS), "--index", str(index), "--json", "-"],
        input=HOSTILE_STDIN, capture_output=True, env={**env, **environment}, timeout=60)
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr.decode("utf-8", "replace")
    lines = result.stdout.split(b"\n")
    assert lines[-1] == b""
    answers = [json.loads(line.decode("utf-8")) for line in lines[:-1]]  # strict UTF-8, valid JSON
    assert len(answers) == HOSTILE_STDIN.count(b"\n") + 1, "one line out per line in"
    assert answers[0]["found"] and answers[0]["question"] == "When did COP14 open?"
    assert answers[1]["question"] == "\ufffd\ufffd invalid UTF-8 \ufffd"
    assert answers[2]["question"] == answers[3]["question"] == "" and answers[2]["found"] is False
    assert answers[4]["question"] == "Who is the press contact?" and answers[4]["found"]
    assert all("\ufffd" in answers[i]["question"] for i in (5, 7, 8))
    for answer in answers:
        assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in json.dumps(answer, ensure_ascii=False))


def test_a_question_in_argv_that_is_not_utf8(index: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "--corpus", str(CORPUS), "--index", str(index), "--json",
         os.fsdecode(b"When did COP14 open? \xff")],
        capture_output=True, env={**os.environ, "LC_ALL": "C.UTF-8"}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.decode("utf-8"))["question"] == "When did COP14 open? \ufffd"


def test_text_mode_skips_blank_lines(index: Path, capsys, monkeypatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"\n  \nWhen did COP14 open?\n\n"), encoding="utf-8"))
    assert main(["ask", "--corpus", str(CORPUS), "--index", str(index), "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("COP14 opened on 12 February 2024") and "couldn't tell" not in out
