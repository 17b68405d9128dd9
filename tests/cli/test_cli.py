"""The command line: ask (text, JSON, JSON Lines), index --json, chat, eval, and clear errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.chat import chat_lines
from bot.cli import main
from bot.engine import Engine

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"


@pytest.fixture()
def args(tmp_path: Path) -> list[str]:
    return ["--corpus", str(CORPUS), "--index", str(tmp_path / "index.npz")]


def test_ask_prints_the_direct_answer_then_cited_quotes(args, capsys):
    assert main(["ask", *args, "When did COP14 open?"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("COP14 opened on 12 February 2024 in Samarkand, Uzbekistan.")
    assert "[1] “Major UN Meeting on Migratory Species Conservation" in out and "opened today" in out
    assert "[2] Meetings of the Conference of the Parties" in out
    assert "id meetings~cop14" in out


def test_ask_json_schema(args, capsys):
    assert main(["ask", *args, "--json", "Who is Stanley Johnson?"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"question", "found", "answer", "citations"}
    assert data["found"] is True
    first = data["citations"][0]
    assert set(first) == {"id", "ref", "title", "kind", "date", "meeting", "symbol", "url", "locator", "quote", "score"}
    assert first["ref"] == "news/cms-news-cop11-2014~item-6"
    assert (first["id"], first["date"], first["locator"]) == ("news/cms-news-cop11-2014#item-6", "2014-11-04", "item 6")


def test_ask_json_lines_from_stdin(args, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("When did COP14 open?\n\nWhere will COP16 be held?\nWho is the press contact?\n"))
    assert main(["ask", *args, "--json", "-"]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    answers = [json.loads(line) for line in lines]
    assert [a["found"] for a in answers] == [True, False, False, True], "the blank line gets its line too"
    assert answers[1]["question"] == "" and answers[2]["citations"] == [] and "COP16" in answers[2]["note"]


def test_index_json_summary(args, capsys):
    assert main(["index", *args, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["documents"] == 3 and summary["passages"] == 50
    assert summary["passages_by_kind"] == {"news_listing": 10, "press_release": 22, "cop_document": 18}
    assert (summary["first_date"], summary["last_date"]) == ("2014-10-22", "2024-02-12")
    assert summary["meetings"] == ["COP11", "COP14"]
    assert summary["skipped"] == []


def test_missing_corpus_folder_is_named_with_how_to_set_it(tmp_path: Path, capsys):
    assert main(["ask", "--corpus", str(tmp_path / "nowhere"), "hello"]) == 2
    err = capsys.readouterr().err
    assert err == f"cmsbot: corpus folder {tmp_path / 'nowhere'} not found (set it with --corpus DIR or CMSBOT_CORPUS)\n"


def test_a_folder_without_meetings_yaml_is_not_a_corpus(tmp_path: Path, capsys):
    assert main(["ask", "--corpus", str(tmp_path), "hello"]) == 2
    assert capsys.readouterr().err == (f"cmsbot: {tmp_path} is not a cmsbot corpus: it has no meetings.yaml "
                                       "(set it with --corpus DIR or CMSBOT_CORPUS)\n")


def test_unknown_meeting_option(args, capsys):
    assert main(["ask", *args, "--meeting", "Atlantis", "hello"]) == 2
    assert "no meeting matches 'Atlantis'" in capsys.readouterr().err


def test_eval_passes_the_ci_thresholds(args, capsys):
    assert main(["eval", *args, str(REPO / "tests" / "eval" / "questions.yaml")]) == 0
    assert "Thresholds: MET" in capsys.readouterr().out


def test_chat_follow_ups_keep_the_conversation(tmp_path: Path):
    engine = Engine.open(CORPUS, tmp_path / "index.npz", notify=lambda m: None)
    out: list[str] = []
    chat_lines(engine, ["When did COP14 open?", "and when did it close?", "what about COP13?"], out.append)
    text = "\n".join(out)
    assert "COP14 closed on 17 February 2024" in text and "(COP14" in text
    assert "COP13 closed on 22 February 2020" in text


def test_chat_says_what_a_follow_up_took_in_the_conversations_language(tmp_path: Path):
    engine = Engine.open(CORPUS, tmp_path / "index.npz", notify=lambda m: None)
    out: list[str] = []
    chat_lines(engine, ["Quand a eu lieu la COP14 ?", "et la COP13 ?"], out.append)
    text = "\n".join(out)
    assert "(la question précédente, pour COP13)" in text and "La COP13 s'est tenue à Gandhinagar" in text


def test_chat_session(tmp_path: Path):
    engine = Engine.open(CORPUS, tmp_path / "index.npz", notify=lambda m: None)
    out: list[str] = []
    chat_lines(engine, [
        "Who is Stanley Johnson?", ":more", ":source documents/unep-cms-cop14-doc19#decision-14.aa",
        ":source nope", ":bogus", ":quit", "never asked",
    ], out.append)
    text = "\n".join(out)
    assert "CMS Ambassador, Stanley Johnson" in text
    assert "14.AA The Secretariat shall" in text
    assert ("UNEP/CMS/COP14/Doc.19, “Communication and Information Management” (COP document, 19 December 2023), "
            "Decision 14.AA") in text
    assert "No passage with id 'nope'." in text
    assert "Unknown command ':bogus'" in text
    assert "never asked" not in text
