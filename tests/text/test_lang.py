"""Language of documents and questions: front matter, then URL, then detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cms.meetings import MeetingRegistry
from bot.ingest.corpus import load_corpus
from bot.text.lang import (
    UnknownLanguage, detect_language, document_language, normalize_lang, url_language,
)


@pytest.mark.parametrize("text, lang", [
    ("quand a commencé la COP14 ?", "fr"),
    ("où se tient la CdP14 ?", "fr"),
    ("¿cuándo empezó la COP14?", "es"),
    ("dónde fue la cop 11", "es"),
    ("quando começou a COP14?", "pt"),
    ("quantas espécies migratórias a convenção protege hoje?", "pt"),
    ("When did COP14 open?", "en"),
    ("wann begann die COP14?", "de"),
])
def test_short_questions(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["cop14 slogan", "UNEP/CMS/COP14/Doc.19", "COP 14", "14.AA", ""])
def test_symbols_and_codes_alone_say_nothing_so_the_default_or_hint_wins(text: str) -> None:
    assert detect_language(text) == "en"
    assert detect_language(text, hint="fr") == "fr"
    assert detect_language(text, hint="pt-BR") == "pt"


def test_a_clear_question_beats_the_hint() -> None:
    assert detect_language("quand a commencé la conférence de Samarcande ?", hint="en-US") == "fr"


def test_a_bad_hint_is_ignored() -> None:
    assert detect_language("cop14", hint="klingon") == "en"


@pytest.mark.parametrize("url, lang", [
    ("https://www.cms.int/fr/news/lancement-de-linitiative", "fr"),
    ("https://www.cms.int/es/news/un-gran-impulso", "es"),
    ("https://www.gov.br/mma/pt-br/noticias/cms-abre-chamada", "pt"),
    ("https://www.cms.int/sites/default/files/document/cms_cop14_doc.19_f.pdf", "fr"),
    ("https://www.cms.int/sites/default/files/document/cms_cop14_doc.19_s.pdf", "es"),
    ("https://www.cms.int/sites/default/files/document/cms_cop14_doc.19_e.pdf", "en"),
    ("https://www.cms.int/en/news/x", "en"),
    ("https://www.cms.int/news/x", None),
    ("https://fr.example.org/", None),
    ("https://www.cms.int/fr", "fr"),
    ("https://example.org/news/fr", None),  # a last segment is a page name, not a language folder
    (None, None),
])
def test_url_language(url: str | None, lang: str | None) -> None:
    assert url_language(url) == lang


def test_document_language_order() -> None:
    french = "La Conférence des Parties s'est ouverte à Samarcande le 12 février 2024."
    assert document_language({"lang": "es"}, "https://www.cms.int/fr/news/x", french) == "es"
    assert document_language({}, "https://www.cms.int/pt/news/x", french) == "pt"
    assert document_language({}, None, french) == "fr"
    with pytest.raises(UnknownLanguage):
        document_language({"lang": "xx"}, None, french)


@pytest.mark.parametrize("value, lang", [("FR", "fr"), ("fr-CA", "fr"), ("pt_BR", "pt"), ("Spanish", "es"),
                                         ("français", "fr"), ("de", "de")])
def test_normalize_lang(value: str, lang: str) -> None:
    assert normalize_lang(value) == lang


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_ingest_sets_lang_on_documents_and_passages(tmp_path: Path) -> None:
    body = "\n\n".join([
        "1. La Conférence des Parties s'est ouverte à Samarcande le 12 février 2024.",
        "2. Les Parties ont adopté le budget et les résolutions présentées par le Secrétariat.",
    ])
    _write(tmp_path / "fr.md", f"---\ntitle: Rapport\nkind: cop_document\nsymbol: UNEP/CMS/COP14/Doc.1\n---\n{body}\n")
    _write(tmp_path / "bad.md", f"---\ntitle: Rapport\nkind: cop_document\nlang: klingon\n---\n{body}\n")
    _write(tmp_path / "url.md", "---\ntitle: Rapport\nkind: cop_document\n"
           "url: https://www.cms.int/es/document/x\n---\n" + body + "\n")
    loaded = load_corpus(tmp_path, MeetingRegistry([]))
    langs = {d.source: d.lang for d in loaded.documents}
    assert langs == {"bad.md": "fr", "fr.md": "fr", "url.md": "es"}
    assert {p.lang for p in loaded.passages if p.source == "url.md"} == {"es"}
    warning = [p for p in loaded.problems if p.path == "bad.md" and "lang" in p.reason]
    assert warning and not warning[0].skipped and "klingon" in warning[0].reason


def test_cmsbot_index_says_each_documents_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json
    import shutil

    from bot.cli import main

    repo = Path(__file__).resolve().parents[2]
    corpus = tmp_path / "corpus"
    shutil.copytree(repo / "corpus", corpus)
    _write(corpus / "news" / "fr.md", "---\nurl: https://www.cms.int/fr/news/x\ndate: 2024-02-12\n---\n"
           "La COP14 s'est ouverte à Samarcande le 12 février 2024. Les Parties ont adopté le budget.\n")
    _write(corpus / "news" / "es.md", "---\ndate: 2014-11-09\n---\n"
           "La XI Conferencia de las Partes se clausuró en Quito el 9 de noviembre de 2014 con la inclusión "
           "de 21 especies de tiburones y rayas.\n")
    assert main(["--corpus", str(corpus), "--index", str(tmp_path / "i.npz"), "index", "--json"]) == 0
    languages = json.loads(capsys.readouterr().out)["languages"]
    assert languages["news/fr.md"] == "fr" and languages["news/es.md"] == "es"
    assert {languages[k] for k in languages if k not in ("news/fr.md", "news/es.md")} == {"en"}
    assert main(["--corpus", str(corpus), "--index", str(tmp_path / "i.npz"), "index"]) == 0
    assert "languages 3 en, 1 es, 1 fr" in capsys.readouterr().out


def test_a_pages_text_overrules_its_address_language() -> None:
    from bot.text.lang import document_language

    english = "The Eleventh Meeting of the Conference of the Parties took place in Quito, Ecuador. " * 8
    assert document_language({}, "http://www.cms.int/es/node/4498", english) == "en"
    assert document_language({}, "http://www.cms.int/es/node/4498", "COP11") == "es"  # too little text
