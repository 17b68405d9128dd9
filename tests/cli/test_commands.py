"""The command line a newcomer uses: the shipped corpus from any folder, options before the subcommand,
skipped files said, `ask` filters and hints, and the `search`, `latest`, `source`, `meeting` commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings, shipped_corpus

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"


@pytest.fixture()
def args(tmp_path: Path) -> list[str]:
    return ["--corpus", str(CORPUS), "--index", str(tmp_path / "index.npz")]


def test_the_shipped_corpus_is_package_data_and_the_default():
    assert shipped_corpus() == CORPUS.resolve()
    assert (shipped_corpus() / "meetings.yaml").is_file()
    assert Settings().corpus_dir == shipped_corpus()
    # Every corpus file is matched by a package-data pattern, so the wheel carries the whole corpus.
    tomllib = pytest.importorskip("tomllib")
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]["bot"]
    packaged = {p.resolve() for pattern in patterns for p in (REPO / "bot").glob(pattern) if p.is_file()}
    shipped = {p.resolve() for p in CORPUS.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert shipped and shipped <= packaged


def test_an_installed_cmsbot_answers_from_any_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CMSBOT_CORPUS", raising=False)
    monkeypatch.delenv("CMSBOT_INDEX", raising=False)
    monkeypatch.delenv("CMSBOT_DATA_DIR", raising=False)
    assert main(["ask", "when did cop14 open"]) == 0
    assert capsys.readouterr().out.startswith("COP14 opened on 12 February 2024 in Samarkand, Uzbekistan.")
    assert (tmp_path / ".cmsbot" / "index.npz").is_file()


def test_cmsbot_corpus_still_overrides_the_shipped_corpus(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CMSBOT_CORPUS", str(tmp_path / "elsewhere"))
    assert main(["ask", "--index", str(tmp_path / "i.npz"), "hello"]) == 2
    assert f"corpus folder {tmp_path / 'elsewhere'} not found" in capsys.readouterr().err


def test_common_options_are_accepted_before_the_subcommand(args, capsys):
    assert main([*args, "ask", "When did COP14 open?"]) == 0
    assert capsys.readouterr().out.startswith("COP14 opened on")


def test_an_option_after_the_subcommand_wins_over_one_before(tmp_path, capsys):
    assert main(["--corpus", str(tmp_path / "nowhere"), "ask", "--corpus", str(CORPUS),
                 "--index", str(tmp_path / "i.npz"), "When did COP14 open?"]) == 0


def test_ask_says_how_many_files_were_skipped(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "news" / "empty.md").write_text("", encoding="utf-8")
    (corpus / "news" / "binary.md").write_bytes(b"\x00\xff\x00")
    assert main(["ask", "--corpus", str(corpus), "--index", str(tmp_path / "i.npz"), "Who is Stanley Johnson?"]) == 0
    captured = capsys.readouterr()
    assert "Stanley Johnson" in captured.out
    assert captured.err.endswith("cmsbot: 2 corpus files were skipped (`cmsbot index` shows why)\n")


def test_ask_hints_at_more_sources_with_its_own_option_not_chats(args, capsys):
    assert main(["ask", *args, "--limit", "1", "When did COP14 open?"]) == 0
    out = capsys.readouterr().out
    assert ":more" not in out
    more = out.rstrip().splitlines()[-1]
    assert more.startswith("(") and more.endswith(")") and "more source" in more
    total = int(more.split(": add --limit ")[1].rstrip(")"))
    assert main(["ask", *args, "--limit", str(total), "When did COP14 open?"]) == 0
    out = capsys.readouterr().out
    assert f"[{total}] " in out and "more source" not in out


def test_ask_from_and_to_bound_the_period(args, capsys):
    assert main(["ask", *args, "--json", "--from", "2014-11-01", "--to", "2014-11-05", "news"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["citations"] and all("2014-11-01" <= c["date"] <= "2014-11-05" for c in data["citations"])


def test_every_citation_shows_a_link(args, capsys):
    assert main(["ask", *args, "--limit", "12", "--json", "COP14 species"]) == 0
    citations = json.loads(capsys.readouterr().out)["citations"]
    assert citations and all(c["url"] and c["url"].startswith("https://") for c in citations)
    assert main(["ask", *args, "--limit", "12", "COP14 species"]) == 0
    links = [line for line in capsys.readouterr().out.splitlines() if " · id " in line]
    assert len(links) == len(citations) and all(line.strip().startswith("https://") for line in links)


def test_search_prints_the_total_snippets_and_paging(args, capsys):
    assert main(["search", *args, "--limit", "2", "light pollution"]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    total = int(first.split()[0])
    assert total > 2 and first.endswith("match “light pollution”; 1–2:")
    assert "[1] " in out and "[2] " in out and "[3] " not in out and "(more: --offset 2)" in out
    assert main(["search", *args, "--json", "--limit", "2", "--offset", "2", "light pollution"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == total and data["offset"] == 2 and all("snippet" in h and "ref" in h for h in data["hits"])


def test_latest_lists_the_newest_first(args, capsys):
    assert main(["latest", *args, "--json", "--limit", "3"]) == 0
    passages = json.loads(capsys.readouterr().out)["passages"]
    dates = [p["date"] for p in passages]
    assert len(passages) == 3 and dates == sorted(dates, reverse=True) and dates[0] == "2024-02-12"
    assert main(["latest", *args, "--meeting", "11", "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert "[1] “Major Initiative Endorsed Today to Protect Asia’s Migratory Mammals” (CMS news, COP11, 8 November 2014)" in out


@pytest.mark.parametrize("wanted", ["documents/unep-cms-cop14-doc19#decision-14.aa", "documents/unep-cms-cop14-doc19~decision-14.aa"])
def test_source_shows_a_whole_passage_by_id_or_ref(args, capsys, wanted):
    assert main(["source", *args, wanted]) == 0
    out = capsys.readouterr().out
    assert out.startswith("UNEP/CMS/COP14/Doc.19, “Communication and Information Management” (COP document, 19 December 2023), Decision 14.AA")
    assert "14.AA The Secretariat shall" in out and out.rstrip().endswith("id documents/unep-cms-cop14-doc19~decision-14.aa")


def test_meeting_gives_place_dates_source_and_what_is_held(args, capsys):
    assert main(["meeting", *args, "Samarkand"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("COP14: Samarkand, Uzbekistan, 12 February 2024 – 17 February 2024\n")
    assert "Source: https://sdg.iisd.org/events/cms-cop14/\n" in out and "Corpus: 2 documents, 40 passages about COP14" in out
    assert main(["meeting", *args, "--json", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["code"], data["city"], data["verified"], data["documents"]) == ("COP1", "Bonn", False, 0)
