"""Every kind of unusable file is reported with its name and reason and skipped; the rest indexes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.ingest.corpus import load_corpus
from bot.cms.meetings import MeetingRegistry

REPO = Path(__file__).resolve().parents[2]
GOOD = "---\ntitle: Good\nkind: press_release\ndate: 2024-02-13\n---\nSamarkand, 13 February 2024 – Delegates met.\n"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    shutil.copy(REPO / "corpus" / "meetings.yaml", root / "meetings.yaml")
    (root / "good.md").write_text(GOOD, encoding="utf-8")
    return root


def load(root: Path):
    return load_corpus(root, MeetingRegistry.load(root / "meetings.yaml"))


def only_problem(root: Path, name: str) -> str:
    result = load(root)
    assert [d.source for d in result.documents] == ["good.md"], "the good file must still be indexed"
    problems = [p for p in result.problems if p.path == name]
    assert len(problems) == 1 and problems[0].skipped
    return problems[0].reason


def test_empty_file(corpus: Path):
    (corpus / "empty.md").write_bytes(b"")
    assert only_problem(corpus, "empty.md") == "empty file"


def test_whitespace_only_file(corpus: Path):
    (corpus / "blank.txt").write_text("  \n\n \t\n")
    assert only_problem(corpus, "blank.txt") == "empty file"


def test_binary_file(corpus: Path):
    (corpus / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary" in only_problem(corpus, "image.md")


def test_undecodable_file(corpus: Path):
    (corpus / "latin1.md").write_bytes("---\nkind: press_release\n---\nQuito, 6 November 2014 - Caf\xe9 ".encode("latin-1"))
    reason = only_problem(corpus, "latin1.md")
    assert "not valid UTF-8" in reason and "0xe9" in reason


def test_truncated_front_matter(corpus: Path):
    (corpus / "truncated.md").write_text("---\ntitle: Cut off\nkind: press_release\n")
    assert "never closed" in only_problem(corpus, "truncated.md")


def test_truncated_body_with_no_passages(corpus: Path):
    (corpus / "cut.md").write_text("---\ntitle: Cut\nkind: news_listing\n---\nMajor Initiative Endorsed Today to Prot")
    assert "no passages" in only_problem(corpus, "cut.md")


def test_invalid_front_matter_yaml(corpus: Path):
    (corpus / "bad-yaml.md").write_text("---\ntitle: [unclosed\nkind: press_release\n---\nBody.\n")
    assert "not valid YAML" in only_problem(corpus, "bad-yaml.md")


def test_front_matter_that_is_not_a_mapping(corpus: Path):
    (corpus / "list.md").write_text("---\n- a\n- b\n---\nBody.\n")
    assert "must be a mapping" in only_problem(corpus, "list.md")


def test_unknown_kind(corpus: Path):
    (corpus / "memo.md").write_text("---\ntitle: Memo\nkind: memo\n---\nSome text.\n")
    reason = only_problem(corpus, "memo.md")
    assert "unknown kind 'memo'" in reason and "press_release" in reason


def test_a_page_of_no_known_kind_is_indexed_as_a_page_with_a_warning(corpus: Path):
    (corpus / "plain.txt").write_text("Just a note without any structure.\n")
    result = load(corpus)
    document = next(d for d in result.documents if d.source == "plain.txt")
    assert document.kind == "page"
    warnings = [p for p in result.problems if p.path == "plain.txt"]
    assert any("indexed as a generic page" in p.reason for p in warnings) and not any(p.skipped for p in warnings)


def test_bad_front_matter_date(corpus: Path):
    (corpus / "date.md").write_text("---\ntitle: T\nkind: press_release\ndate: sometime soon\n---\nBonn, 1 May 2024 – Text.\n")
    assert "not a date" in only_problem(corpus, "date.md")


def test_unknown_meeting_in_front_matter(corpus: Path):
    (corpus / "cop99.md").write_text("---\ntitle: T\nkind: press_release\nmeeting: 99\n---\nBonn, 1 May 2024 – Text.\n")
    assert "COP99 is not in meetings.yaml" in only_problem(corpus, "cop99.md")


def test_pdf_that_fails_to_parse(corpus: Path):
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ngarbage\n")
    reason = only_problem(corpus, "broken.pdf")
    assert "PDF" in reason


def test_file_that_claims_to_be_pdf_but_is_not(corpus: Path):
    (corpus / "fake.pdf").write_text("<html>an error page</html>")
    assert "not a PDF" in only_problem(corpus, "fake.pdf")


def test_unsupported_file_type(corpus: Path):
    (corpus / "notes.docx").write_bytes(b"PK\x03\x04")
    assert "unsupported file type" in only_problem(corpus, "notes.docx")


def test_hidden_files_and_yaml_metadata_are_not_documents(corpus: Path):
    (corpus / ".DS_Store").write_bytes(b"\x00\x01")
    (corpus / "sources.yaml").write_text("sources: []\n")
    result = load(corpus)
    assert result.problems == []
    assert [d.source for d in result.documents] == ["good.md"]


def test_missing_date_and_title_are_reported_not_guessed(corpus: Path):
    (corpus / "undated.md").write_text("---\nkind: news_listing\n---\nAn item\n\nIts teaser.\n\n3 March 2015\n\nAnother\n\nTeaser.\n\n2 March 2015\n")
    result = load(corpus)
    warnings = [p for p in result.problems if p.path == "undated.md"]
    assert all(not p.skipped for p in warnings)
    assert any("no title" in p.reason for p in warnings)
    document = next(d for d in result.documents if d.source == "undated.md")
    assert document.title == "undated"  # the file name, said to be so, not an invented title


def test_index_reports_skipped_files_and_strict_fails(corpus: Path, tmp_path: Path, capsys):
    (corpus / "empty.md").write_bytes(b"")
    args = ["index", "--corpus", str(corpus), "--index", str(tmp_path / "i.npz"), "--quiet"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "empty.md: empty file" in out
    assert "skipped   1 file(s)" in out
    assert main(args + ["--strict"]) == 1
