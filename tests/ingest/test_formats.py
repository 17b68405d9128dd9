"""HTML and PDF sources, and metadata inferred when front matter is missing (front matter wins)."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.ingest.corpus import load_corpus, load_document
from bot.ingest.formats import html_to_text
from bot.cms.meetings import MeetingRegistry

REPO = Path(__file__).resolve().parents[2]
MEETINGS = MeetingRegistry.load(REPO / "corpus" / "meetings.yaml")

PAGE = """<!doctype html><html><head><title>CMS | COP14 closes</title>
<meta property="og:title" content="Nature Knows No Borders: COP14 Closes">
<meta name="date" content="2024-02-17T18:00:00Z">
<link rel="canonical" href="https://www.cms.int/en/news/cop14-closes">
<script>var tracking = "Samarkand, 1 January 2000 – not text";</script>
<style>.x{}</style></head>
<body>
<header><nav><a href="/">Home</a> | <a href="/news">News</a></nav></header>
<div class="breadcrumb">Home › News</div>
<main>
<h1>Nature Knows No Borders: COP14 Closes</h1>
<p><strong>PRESS RELEASE</strong></p>
<p>Samarkand, 17 February 2024 – The 14th Meeting of the Conference of the Parties <b>closed</b> today.</p>
<p>Parties adopted decisions including:</p>
<ul><li>new listings of species;</li><li>the Samarkand Strategic Plan.</li></ul>
<p>"This is a milestone," said the Executive Secretary.</p>
</main>
<aside class="sidebar">Related news</aside>
<footer>© CMS</footer>
</body></html>"""


def test_html_main_text_only():
    title, text, hints = html_to_text(PAGE)
    assert title == "Nature Knows No Borders: COP14 Closes"
    assert hints == {"date": "2024-02-17", "url": "https://www.cms.int/en/news/cop14-closes"}
    assert "Samarkand, 17 February 2024 – The 14th Meeting of the Conference of the Parties closed today." in text
    assert "- new listings of species;" in text
    for chrome in ("tracking", "Home", "Related news", "© CMS", ".x{}"):
        assert chrome not in text


def test_html_file_becomes_a_press_release_with_inferred_metadata(tmp_path: Path):
    (tmp_path / "closing.html").write_text(PAGE, encoding="utf-8")
    document, parsed, warnings = load_document(tmp_path / "closing.html", tmp_path, MEETINGS)
    assert warnings == []
    assert document.kind == "press_release"
    assert document.date == date(2024, 2, 17)
    assert document.place == "Samarkand"
    assert document.meeting == 14
    assert document.url == "https://www.cms.int/en/news/cop14-closes"
    paragraphs = [p.text for p in parsed.passages]
    assert any(t.startswith("Parties adopted decisions including:\n\n- new listings of species;") for t in paragraphs)


def test_front_matter_overrides_what_html_says(tmp_path: Path):
    (tmp_path / "closing.html").write_text("---\ntitle: Official title\ndate: 2024-02-18\nmeeting: COP14\n---\n" + PAGE, encoding="utf-8")
    document, _, _ = load_document(tmp_path / "closing.html", tmp_path, MEETINGS)
    assert document.title == "Official title"
    assert document.date == date(2024, 2, 18)


def _cop_document_pdf() -> bytes:
    reportlab = pytest.importorskip("reportlab")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    del reportlab
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle("Bycatch")
    lines = [
        "UNEP/CMS/COP14/Doc.28.1",
        "",
        "8 December 2023",
        "",
        "14th MEETING OF THE CONFERENCE OF THE PARTIES",
        "Samarkand, Uzbekistan, 12 – 17 February 2024",
        "Agenda Item 28.1",
        "",
        "BYCATCH",
        "",
        "Background",
        "1. Bycatch is one of the main threats to migratory marine",
        "species listed on the CMS Appendices.",
        "2. The Scientific Council reviewed the matter in 2023.",
    ]
    y = 800
    for line in lines:
        pdf.drawString(60, y, line)
        y -= 16
    pdf.showPage()
    for line in ["3. The Secretariat proposes new work on gillnets."]:
        pdf.drawString(60, 800, line)
    pdf.save()
    return buffer.getvalue()


def test_pdf_cop_document_keeps_paragraph_numbers(tmp_path: Path):
    (tmp_path / "doc28.pdf").write_bytes(_cop_document_pdf())
    document, parsed, _ = load_document(tmp_path / "doc28.pdf", tmp_path, MEETINGS)
    assert document.kind == "cop_document"
    assert document.symbol == "UNEP/CMS/COP14/Doc.28.1"
    assert document.date == date(2023, 12, 8)
    assert document.meeting == 14
    assert document.agenda_item == "28.1"
    paras = {p.locator: p.text for p in parsed.passages}
    assert paras["para. 1"] == "Bycatch is one of the main threats to migratory marine species listed on the CMS Appendices."
    assert paras["para. 3"] == "The Secretariat proposes new work on gillnets."


def test_pdf_sidecar_yaml_is_its_front_matter(tmp_path: Path):
    (tmp_path / "doc28.pdf").write_bytes(_cop_document_pdf())
    (tmp_path / "doc28.yaml").write_text("title: Bycatch (official)\nurl: https://www.cms.int/doc28.pdf\n")
    document, _, _ = load_document(tmp_path / "doc28.pdf", tmp_path, MEETINGS)
    assert document.title == "Bycatch (official)"
    assert document.url == "https://www.cms.int/doc28.pdf"


def test_seed_metadata_is_inferred_without_front_matter(tmp_path: Path):
    """The shipped front matter only confirms what the parsers find in the text itself."""
    shutil.copy(REPO / "corpus" / "meetings.yaml", tmp_path / "meetings.yaml")
    for source in ("news/cms-news-cop11-2014.md", "press/cop14-opening-2024-02-12.md", "documents/unep-cms-cop14-doc19.md"):
        body = (REPO / "corpus" / source).read_text(encoding="utf-8").split("---\n", 2)[2]
        (tmp_path / Path(source).name).write_text(body, encoding="utf-8")
    result = load_corpus(tmp_path, MEETINGS)
    docs = {d.source: d for d in result.documents}
    assert docs["unep-cms-cop14-doc19.md"].kind == "cop_document"
    assert docs["unep-cms-cop14-doc19.md"].symbol == "UNEP/CMS/COP14/Doc.19"
    assert docs["unep-cms-cop14-doc19.md"].date == date(2023, 12, 19)
    assert docs["cop14-opening-2024-02-12.md"].kind == "press_release"
    assert docs["cop14-opening-2024-02-12.md"].title == "Major UN Meeting on Migratory Species Conservation Opens in Uzbekistan"
    assert docs["cop14-opening-2024-02-12.md"].date == date(2024, 2, 12)
    assert docs["cop14-opening-2024-02-12.md"].meeting == 14
    assert docs["cms-news-cop11-2014.md"].kind == "news_listing"
    assert docs["cms-news-cop11-2014.md"].date == date(2014, 11, 8)
    assert docs["cms-news-cop11-2014.md"].meeting == 11
    # The listing has no title of its own: reported, not invented.
    assert any(p.path == "cms-news-cop11-2014.md" and "no title" in p.reason for p in result.problems)
