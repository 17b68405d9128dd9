"""Every user error is one line on stderr naming what is wrong, exit code 2, no traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bot.cli import main

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"


@pytest.fixture()
def args(tmp_path: Path) -> list[str]:
    return ["--corpus", str(CORPUS), "--index", str(tmp_path / "index.npz")]


def run(argv: list[str]) -> int:
    """``main`` as the shell sees it: argparse's usage errors exit through SystemExit."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err and err.startswith("cmsbot")
    return err


def eval_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "questions.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("make_argv, expected", [
    (lambda t: ["eval", str(t / "nope.yaml")], "nope.yaml: No such file or directory"),
    (lambda t: ["eval", eval_file(t, "- q: [unclosed\n")], "not valid YAML"),
    (lambda t: ["eval", eval_file(t, "- {q: 'When?', who: media, colour: red}\n")], "unknown key(s) colour"),
    (lambda t: ["ask", "--data-dir", "/proc/nope", "hello"], "cannot use /proc/nope as the data folder"),
    (lambda t: ["ask", "--index", "/proc/x.npz", "hello"], "cannot write the index /proc/x.npz"),
    (lambda t: ["ask", "--limit", "-1", "hello"], "argument --limit: must be from 1 to 12, got -1"),
    (lambda t: ["ask", "--limit", "0", "hello"], "argument --limit: must be from 1 to 12, got 0"),
    (lambda t: ["ask", "--from", "2024-13-45", "hello"], "'2024-13-45' is not a valid date"),
    (lambda t: ["ask", "--from", "2024-02-12", "--to", "2014-01-01", "x"], "--from 2024-02-12 is after --to 2014-01-01"),
    (lambda t: ["web", "--port", "99999"], "argument --port: must be from 1 to 65535, got 99999"),
    (lambda t: ["web", "--host", "203.0.113.7", "--port", "8089"], "cannot listen on 203.0.113.7 port 8089: not an address of this machine"),
    (lambda t: ["source", "press/nothing#para-1"], "no passage with id 'press/nothing#para-1'"),
    (lambda t: ["meeting", "Atlantis"], "meeting: no meeting matches 'Atlantis'"),
])
def test_user_errors_are_one_line_exit_2(tmp_path, capsys, monkeypatch, make_argv, expected):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CMSBOT_CORPUS", raising=False)
    argv = make_argv(tmp_path)
    if "--index" not in argv and "--data-dir" not in argv:
        argv += ["--index", str(tmp_path / "index.npz")]
    assert run(argv) == 2
    assert expected in one_line_error(capsys)


@pytest.mark.parametrize("command", ["ask", "search", "latest", "source", "meeting", "index", "fetch", "serve", "eval", "web"])
def test_every_command_names_a_missing_corpus_folder(tmp_path, capsys, command):
    extra = {"ask": ["q"], "search": ["q"], "source": ["x"], "meeting": ["14"]}.get(command, [])
    assert run([command, "--corpus", str(tmp_path / "nowhere"), "--index", str(tmp_path / "i.npz"), *extra]) == 2
    assert one_line_error(capsys) == (f"cmsbot: corpus folder {tmp_path / 'nowhere'} not found "
                                      "(set it with --corpus DIR or CMSBOT_CORPUS)\n")


def test_web_on_a_port_in_use_is_one_line_and_never_claims_to_listen(args, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["web", *args, "--host", "127.0.0.1", "--port", str(port)]) == 2
    err = one_line_error(capsys)
    assert err == f"cmsbot: cannot listen on 127.0.0.1 port {port}: the port is already in use\n"


def test_eval_below_its_thresholds_exits_1_and_says_so(args, tmp_path, capsys):
    questions = eval_file(tmp_path, "- {q: 'When did COP14 open?', who: media, fact: ['a fact no text holds'], source: news, date: 2014-11-04}\n")
    assert main(["eval", *args, questions]) == 1
    captured = capsys.readouterr()
    assert "Thresholds: NOT MET" in captured.out
    assert captured.err == "cmsbot: eval: below the CI thresholds (see 'Thresholds' above)\n"


def test_a_corrupt_index_is_rebuilt_without_numpys_advice(tmp_path, capsys):
    index = tmp_path / "index.npz"
    index.write_bytes(b"\x93NUMPY\x01\x00v\x00{'descr': '|O', 'fortran_order': False, 'shape': (1,), }" + b" " * 60)
    assert main(["ask", "--corpus", str(CORPUS), "--index", str(index), "When did COP14 open?"]) == 0
    err = capsys.readouterr().err
    assert f"Rebuilding the index: {index}: unreadable or corrupt index file" in err
    assert "allow_pickle" not in err and "unsafely" not in err


def test_an_invalid_date_in_front_matter_says_the_date_is_invalid(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "meetings.yaml").write_text((CORPUS / "meetings.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / "x.md").write_text("---\ntitle: X\nkind: press_release\ndate: 2024-13-45\n---\nText.\n", encoding="utf-8")
    assert main(["index", "--corpus", str(corpus), "--index", str(tmp_path / "i.npz"), "--json"]) == 0
    import json

    skipped = json.loads(capsys.readouterr().out)["skipped"]
    assert skipped == [{"file": "x.md", "reason": "date: '2024-13-45' is not a valid date"}]
