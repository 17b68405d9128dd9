"""Issue 15 items 1, 2, 5, 8, 13: hostile or odd corpus entries are reported, never crash or hang."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from bot.cms.dates import find_dates
from bot.cms.meetings import MeetingRegistry
from bot.engine import Engine, searchable_text
from bot.ingest import formats
from bot.ingest.corpus import fingerprint, load_corpus

REPO = Path(__file__).resolve().parents[2]
BODY = "Samarkand, 13 February 2024 – Delegates met in Samarkand for the fourteenth COP.\n"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    shutil.copy(REPO / "corpus" / "meetings.yaml", root / "meetings.yaml")
    (root / "good.md").write_text("---\ntitle: Good\nkind: press_release\n---\n" + BODY, encoding="utf-8")
    return root


def load(root: Path):
    return load_corpus(root, MeetingRegistry.load(root / "meetings.yaml"))


def problem(result, name: str):
    found = [p for p in result.problems if p.path == name]
    assert found, f"{name} not reported: {result.problems}"
    return found[0]


# --- item 1: front-matter values of the wrong type ----------------------------------------------

def test_a_number_as_symbol_is_read_as_text_and_everything_still_indexes(corpus: Path):
    (corpus / "num.md").write_text("---\ntitle: T\nkind: press_release\nsymbol: 14.5\nplace: 2024\n---\n" + BODY)
    result = load(corpus)
    document = next(d for d in result.documents if d.source == "num.md")
    assert document.symbol == "14.5" and document.place == "2024"
    assert "read as the text '14.5'" in problem(result, "num.md").reason
    engine = Engine.build(corpus)  # searchable_text used to raise TypeError here
    assert all(isinstance(searchable_text(p), str) for p in engine.passages)


@pytest.mark.parametrize("field, value, expected", [
    ("symbol", "[a, b]", "front matter symbol: expected text, got list"),
    ("title", "{x: 1}", "front matter title: expected text, got dict"),
    ("url", "yes", "front matter url: expected text, got bool"),
    ("date", "[2024-02-12]", "front matter date: expected a date, got list"),
    ("meeting", "[14]", "front matter meeting: expected a number or a name"),
])
def test_a_list_mapping_or_boolean_skips_only_that_file_naming_the_field(corpus: Path, field: str, value: str, expected: str):
    (corpus / "bad.md").write_text(f"---\ntitle: T\nkind: press_release\n{field}: {value}\n---\n" + BODY)
    result = load(corpus)
    assert [d.source for d in result.documents] == ["good.md"]
    assert expected in problem(result, "bad.md").reason and problem(result, "bad.md").skipped


# --- item 13: YAML timestamps; encrypted PDFs with an empty password ----------------------------

@pytest.mark.parametrize("stamp", ["2024-02-13 10:30:00", "2024-02-13T10:30:00Z", "2024-02-13 10:30:00 +05:00"])
def test_a_yaml_timestamp_is_the_document_date(corpus: Path, stamp: str):
    (corpus / "stamped.md").write_text(f"---\ntitle: T\nkind: press_release\ndate: {stamp}\n---\n" + BODY)
    result = load(corpus)
    document = next(d for d in result.documents if d.source == "stamped.md")
    assert document.date is not None and document.date.isoformat() == "2024-02-13"
    assert type(document.date).__name__ == "date"  # not a datetime: dates compare with dates


def _pdf(text: str, **encrypt: str) -> bytes:
    reportlab = pytest.importorskip("reportlab")
    del reportlab
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawString(72, 720, text)
    pdf.save()
    data = buffer.getvalue()
    if not encrypt:
        return data
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=encrypt.get("user", ""), owner_password=encrypt.get("owner", "owner"),
                   algorithm=encrypt.get("algorithm", "AES-256"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_an_encrypted_pdf_with_an_empty_password_is_read(corpus: Path, algorithm: str):
    (corpus / "locked.pdf").write_bytes(_pdf("1. Parties met in Samarkand in February 2024.", algorithm=algorithm))
    (corpus / "locked.yaml").write_text("title: Locked\nkind: cop_document\n")
    result = load(corpus)
    assert "locked.pdf" in [d.source for d in result.documents], result.problems
    assert any("Samarkand" in p.text for p in result.passages if p.source == "locked.pdf")


def test_a_pdf_that_needs_a_password_is_reported(corpus: Path):
    (corpus / "secret.pdf").write_bytes(_pdf("Secret text.", user="letmein"))
    assert "needs a password" in problem(load(corpus), "secret.pdf").reason


# --- item 2: YAML bombs and oversized metadata ---------------------------------------------------

_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8)
)


def test_billion_laughs_in_front_matter_is_refused(corpus: Path):
    (corpus / "bomb.md").write_text("---\n" + _LAUGHS + "title: Bomb\n---\n" + BODY)
    result = load(corpus)
    assert [d.source for d in result.documents] == ["good.md"]
    assert "anchors/aliases" in problem(result, "bomb.md").reason


def test_billion_laughs_in_a_pdf_sidecar_is_refused(corpus: Path):
    (corpus / "doc.pdf").write_bytes(_pdf("1. Text of the document."))
    (corpus / "doc.yaml").write_text(_LAUGHS)
    assert "anchors/aliases" in problem(load(corpus), "doc.pdf").reason


def test_oversized_front_matter_is_refused(corpus: Path):
    (corpus / "big.md").write_text("---\ntitle: Big\nnote: " + "x" * 70_000 + "\n---\n" + BODY)
    assert "limit 64 KB" in problem(load(corpus), "big.md").reason


# --- item 5: dates found in linear time; a per-file size cap -------------------------------------

def test_find_dates_keeps_the_longest_reading_among_many_dates():
    text = " ".join(["On 12-17 February 2024, then 3 March 2024 and March 2025."] * 2000)
    found = find_dates(text)
    assert len(found) == 6000
    assert [f.text for f in found[:3]] == ["12-17 February 2024", "3 March 2024", "March 2025"]
    starts = [f.start for f in found]
    assert starts == sorted(starts) and all(a.end <= b.start for a, b in zip(found, found[1:]))


def test_a_file_over_the_size_cap_is_reported_with_its_size(corpus: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(formats, "MAX_TEXT_BYTES", 10_000)
    (corpus / "huge.md").write_text("---\ntitle: Huge\nkind: press_release\n---\n" + BODY * 200)
    reason = problem(load(corpus), "huge.md").reason
    assert reason.startswith("file too large:") and "limit" in reason


# --- item 8: links out of the corpus, dangling links, loops, FIFOs -------------------------------

def test_links_and_special_files_are_refused_and_reported(corpus: Path, tmp_path: Path):
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: Secret\nkind: press_release\n---\nBonn, 1 May 2024 – The secret text.\n")
    (corpus / "out.md").symlink_to(outside)
    (corpus / "dangling.md").symlink_to(tmp_path / "missing.md")
    (corpus / "loop.md").symlink_to(corpus / "loop.md")
    (corpus / "inside.md").symlink_to(corpus / "good.md")
    (corpus / "sub").mkdir()
    (corpus / "folder").symlink_to(corpus / "sub", target_is_directory=True)
    (corpus / "away").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(corpus / "pipe.md")
    result = load(corpus)
    assert sorted(d.source for d in result.documents) == ["good.md", "inside.md"]
    assert not any("secret" in p.text for p in result.passages)
    assert "outside the corpus" in problem(result, "out.md").reason
    assert "dangling" in problem(result, "dangling.md").reason
    assert "loop" in problem(result, "loop.md").reason
    assert "FIFO" in problem(result, "pipe.md").reason
    assert "folder: not followed" in problem(result, "folder").reason
    assert "outside the corpus" in problem(result, "away").reason
    assert len(fingerprint(corpus)) == 64  # hashing never opens the FIFO nor follows the links out
