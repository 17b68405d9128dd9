"""The shipped sources.yaml against a fake cms.int built like the real templates: every item once, in
the configured language, with the front matter the listing told; a second pass fetches nothing;
a new item is fetched and announced once."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from cmssite import MEETING_PATH, CmsSite, News
from fetchsite import FAST_OPTIONS, REPO, Site

from bot.config import Settings
from bot.fetch import FetchStore, fetch_all
from bot.fetch.run import load_meetings
from bot.ingest import frontmatter
from bot.ingest.corpus import load_corpus


def shipped_sources_on(site: Site, settings: Settings, *, languages: dict[str, list[str]] | None = None, **options: Any) -> Path:
    """corpus/sources.yaml pointed at the fake site: its enabled sources whose listing the site serves."""
    raw = yaml.safe_load((REPO / "corpus" / "sources.yaml").read_text(encoding="utf-8"))
    kept = []
    for source in raw["sources"]:
        if source.get("enabled", True) is False:
            continue
        source["listing"] = source["listing"].replace("https://www.cms.int", site.base)
        if source["listing"].replace("{lang}", "en").split(site.base, 1)[1].split("?")[0] in site.routes:
            source.update({"languages": languages[source["name"]]} if languages and source["name"] in languages else {})
            kept.append(source)
    raw["fetch"] = {**FAST_OPTIONS, "recheck_hours": raw["fetch"]["recheck_hours"], **options}
    path = settings.corpus_dir / "sources.yaml"
    path.write_text(yaml.safe_dump({"fetch": raw["fetch"], "sources": kept}, sort_keys=False), encoding="utf-8")
    return path


def _names(items: list[Any]) -> list[str]:
    return sorted(Path(i.path).name for i in items)


def _item_requests(site: Site, cms: CmsSite, since: int = 0) -> Counter[str]:
    items = {n.path for n in cms.news + cms.notifications} | {d.file_path(lang) for d in cms.docs + cms.resolutions for lang in d.languages}
    return Counter(p for p in site.paths()[since:] if p in items)


async def test_a_pass_fetches_every_item_once_with_what_the_listing_told(site: Site, settings: Settings) -> None:
    cms = CmsSite()
    cms.install(site)
    shipped_sources_on(site, settings)

    report = await fetch_all(settings, quiet=True)

    assert report.failed == []
    news_files = {f"{n.slug}.md" for n in cms.news + cms.notifications}
    doc_files = {f"{d.files}_e.pdf" for d in cms.docs} | {f"{d.slug}.pdf" for d in cms.resolutions}  # named as the page
    assert set(_names(report.new)) == news_files | doc_files  # 15 news + 1 notification + 3 documents + 2 resolutions
    assert len(report.new) == 21
    requests = _item_requests(site, cms)
    assert max(requests.values()) == 1  # each item fetched once (the section pages never)
    assert not [p for p in site.paths() if p.endswith(("_f.pdf", "_s.pdf"))]  # English only, by default
    assert not {"/en/news/op-ed", "/en/news/media-watch"} & set(site.paths())
    by_name = {Path(i.path).name: i for i in report.new}
    assert by_name["eel-migration-report.md"].kind == "press_release"
    assert by_name["eel-migration-report.md"].path.startswith("fetched/cms-press-releases/")
    assert by_name["resolution-strategic-plan.pdf"].title == "Strategic Plan for Migratory Species 2024-2032"  # the row's

    corpus = settings.corpus_dir
    doc31 = yaml.safe_load((corpus / "fetched/cop14-documents/cms_cop14_doc.31_soaring-birds_e.yaml").read_text())
    assert doc31 == {"url": site.url("/sites/default/files/document/cms_cop14_doc.31_soaring-birds_e.pdf"),
                     "date": date(2023, 12, 15), "kind": "cop_document", "symbol": "UNEP/CMS/COP14/Doc.31", "meeting": 14,
                     "lang": "en"}
    res = yaml.safe_load((corpus / "fetched/cop-resolutions/resolution-conservation-soaring-birds.yaml").read_text())
    assert res["symbol"] == "12.26" and res["url"].endswith("/cms_res.12.26_soaring-birds_e.pdf")  # read off the document's page
    meta, body = frontmatter.split((corpus / "fetched/cms-news/bats-and-buildings.md").read_text(encoding="utf-8"))
    assert meta == {"url": site.url("/en/news/bats-and-buildings"), "date": date(2024, 2, 7), "lang": "en"}  # kind: the text's
    assert body.startswith("Bats and buildings\n")
    unprefixed = next(n for n in cms.news if n.unprefixed)
    assert frontmatter.split((corpus / f"fetched/cms-news/{unprefixed.slug}.md").read_text())[0]["url"] == site.url(unprefixed.path)

    loaded = load_corpus(corpus, load_meetings(corpus))
    assert [p for p in loaded.problems if p.skipped] == []
    docs = {d.source: d for d in loaded.documents}
    pdf = docs["fetched/cop14-documents/cms_cop14_doc.31_soaring-birds_e.pdf"]
    assert (pdf.kind, pdf.symbol, pdf.meeting) == ("cop_document", "UNEP/CMS/COP14/Doc.31", 14)
    kinds = {source: d.kind for source, d in docs.items()}
    assert kinds["fetched/cms-press-releases/eel-migration-report.md"] == "press_release"
    assert kinds["fetched/cms-notifications/2024005-call-nominations-scientific-council.md"] == "notification"
    assert kinds["fetched/cop-resolutions/resolution-strategic-plan.pdf"] == "resolution"
    assert kinds["fetched/cms-news/bats-and-buildings.md"] in {"news_item", "press_release"}  # the ingestion's reading of the text


async def test_a_second_pass_fetches_nothing_and_a_new_item_is_fetched_and_announced_once(site: Site, settings: Settings) -> None:
    cms = CmsSite()
    cms.install(site)
    shipped_sources_on(site, settings)
    first = await fetch_all(settings, quiet=True)
    with FetchStore.in_data_dir(settings.data_dir) as store:
        store.mark_announced(*(i.url for i in store.pending_announcements(first.new)))
    before = len(site.paths())

    second = await fetch_all(settings, quiet=True)

    assert (second.new, second.changed, second.failed) == ([], [], [])
    assert len(second.skipped) == 21 - 5  # all but the 5 on news page 2, which is not read again
    asked = site.paths()[before:]
    assert _item_requests(site, cms, since=before) == Counter()
    assert "/en/news?page=1" not in asked  # page 0 held nothing new: the walk stopped there

    cms.add_news(site, News("cop15-opens", "COP15 opens in Campo Grande", date(2026, 3, 23), place="Campo Grande"))
    third = await fetch_all(settings, quiet=True)

    assert _names(third.new) == ["cop15-opens.md"] and third.failed == []
    assert third.new[0].date == date(2026, 3, 23)
    with FetchStore.in_data_dir(settings.data_dir) as store:
        pending = store.pending_announcements()
        assert [i.url for i in pending] == [site.url("/en/news/cop15-opens")]
        store.mark_announced(pending[0].url)
        assert store.pending_announcements() == []


async def test_languages_give_one_document_per_language(site: Site, settings: Settings) -> None:
    cms = CmsSite()
    cms.install(site)
    shipped_sources_on(site, settings, languages={"cop14-documents": ["en", "fr"], "cop-resolutions": ["fr"]})

    report = await fetch_all(settings, quiet=True)

    docs = sorted(i.path for i in report.new if i.path.startswith(("fetched/cop14", "fetched/cop-res")))
    assert docs == [
        "fetched/cop-resolutions/resolution-conservation-soaring-birds.fr.pdf",
        "fetched/cop-resolutions/resolution-strategic-plan.fr.pdf",
        "fetched/cop14-documents/cms_cop14_doc.19_strategic-plan_e.pdf",
        "fetched/cop14-documents/cms_cop14_doc.19_strategic-plan_f.pdf",
        "fetched/cop14-documents/cms_cop14_doc.31_soaring-birds_e.pdf",
        "fetched/cop14-documents/cms_cop14_doc.31_soaring-birds_f.pdf",
        "fetched/cop14-documents/cms_cop14_inf.3_sharks_e.pdf",  # published in English only
    ]
    french = yaml.safe_load((settings.corpus_dir / "fetched/cop14-documents/cms_cop14_doc.31_soaring-birds_f.yaml").read_text())
    assert french["lang"] == "fr" and french["symbol"] == "UNEP/CMS/COP14/Doc.31"
    assert not [p for p in site.paths() if p.endswith("_s.pdf")]


async def test_news_in_french_on_request_is_its_own_document(site: Site, settings: Settings) -> None:
    cms = CmsSite()
    cms.install(site)
    shipped_sources_on(site, settings, languages={"cms-news": ["en", "fr"]})

    report = await fetch_all(settings, quiet=True)

    first = cms.news[0].slug
    french = settings.corpus_dir / f"fetched/cms-news/{first}.fr.md"
    meta, body = frontmatter.split(french.read_text(encoding="utf-8"))
    assert meta["lang"] == "fr" and meta["url"] == site.url(f"/fr/news/{first}") and body.startswith(cms.news[0].title + " (FR)")
    english = next(i for i in report.new if i.url == site.url(cms.news[0].path))
    assert english.path != f"fetched/cms-news/{first}.fr.md"  # the English page keeps its own file
    assert len([i for i in report.new if "/fr/news/" in i.url]) == 3


async def test_the_old_shipped_addresses_miss_the_meeting_page(site: Site, settings: Settings) -> None:
    """/en/cop14 is not an address the site documents: the meeting page is under /en/meeting/."""
    CmsSite().install(site)
    assert MEETING_PATH in site.routes and "/en/cop14" not in site.routes
