"""InforMEA's OData service as a source, against a fake endpoint on 127.0.0.1: decisions paged with
$top/$skip, one file per wanted language, number/meeting/date from the row; meetings compared with
meetings.yaml into a proposal file, never written over it."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pytest
import yaml
from aiohttp import web
from fetchsite import Site, cop_document_pdf, write_sources

from bot.config import Settings
from bot.fetch import fetch_all, format_report
from bot.fetch import odata
from bot.fetch.odata import odata_date

SVC = "/informea.svc"


def _ms(day: date) -> str:
    return f"/Date({int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp() * 1000)})/"


def _decision(number: str, meeting: str, day: date, langs: tuple[str, ...]) -> dict[str, Any]:
    stem = f"cms_res.{number}"
    return {
        "id": f"cms-{number}", "treaty": "cms", "number": number, "type": "resolution", "status": "active",
        "meetingTitle": f"CMS {meeting}", "meetingUrl": f"https://www.cms.int/en/meeting/{meeting.lower()}",
        "published": _ms(day),
        "title": {"results": [{"language": lang, "value": f"Resolution {number} ({lang})"} for lang in langs]},
        "files": {"results": [{"url": f"/files/{stem}_{lang[0] if lang != 'es' else 's'}.pdf", "language": lang,
                               "mimeType": "application/pdf"} for lang in langs]},
    }


DECISIONS = [
    _decision("14.1", "COP14", date(2024, 2, 17), ("en", "fr")),
    _decision("14.2", "COP14", date(2024, 2, 17), ("en",)),
    _decision("13.5", "COP13", date(2020, 2, 22), ("en", "es")),
]
MEETINGS = [
    {"id": "m14", "treaty": "cms", "title": "Fourteenth Meeting of the Conference of the Parties to CMS (COP14)",
     "abbreviation": "COP14", "start": _ms(date(2024, 2, 12)), "end": _ms(date(2024, 2, 17)), "city": "Samarkand",
     "country": "Uzbekistan", "url": "https://www.cms.int/en/meeting/fourteenth-meeting-conference-parties-cms"},
    {"id": "m16", "treaty": "cms", "title": "Sixteenth Meeting of the Conference of the Parties to CMS (COP16)",
     "abbreviation": "COP16", "start": _ms(date(2029, 3, 5)), "end": _ms(date(2029, 3, 10)), "city": "Nowhere",
     "country": "Somewhere", "url": "https://www.cms.int/en/meeting/sixteenth-meeting-conference-parties-cms"},
]


def _collection(rows: list[dict[str, Any]]) -> Any:
    def handler(request: web.Request) -> web.Response:
        assert request.query.get("$filter") == "treaty eq 'cms'"
        top, skip = int(request.query["$top"]), int(request.query["$skip"])
        return web.json_response({"d": {"results": rows[skip:skip + top]}})

    return handler


def _serve(site: Site) -> None:
    site.routes[f"{SVC}/Decisions"] = _collection(DECISIONS)
    site.routes[f"{SVC}/Meetings"] = _collection(MEETINGS)
    for row in DECISIONS:
        for file in row["files"]["results"]:
            site.serve(file["url"], cop_document_pdf(), "application/pdf")


def _source(site: Site, name: str, collection: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "listing": site.url(f"{SVC}/{collection}?$filter=treaty eq 'cms'&$expand=title,files"),
            "kind": "resolution", "read": "odata", "pages": 10, **extra}


def test_odata_dates() -> None:
    assert odata_date("/Date(1707696000000)/") == date(2024, 2, 12)
    assert odata_date("/Date(1707696000000+0100)/") == date(2024, 2, 12)
    assert odata_date("2024-02-12T00:00:00") == date(2024, 2, 12)
    assert odata_date(None) is None and odata_date("soon") is None


async def test_decisions_are_paged_and_fetched_once_per_wanted_language(site: Site, settings: Settings,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(odata, "PAGE_SIZE", 2)
    _serve(site)
    write_sources(settings, [_source(site, "informea-decisions", "Decisions", languages=["en", "fr"])])

    report = await fetch_all(settings, quiet=True)

    assert report.failed == []
    assert sorted(i.path.rsplit("/", 1)[1] for i in report.new) == [
        "cms_res.13.5_e.pdf", "cms_res.14.1_e.pdf", "cms_res.14.1_f.pdf", "cms_res.14.2_e.pdf"]
    pages = [p for p in site.paths() if p.startswith(f"{SVC}/Decisions")]
    assert len(pages) == 2 and ("%24skip=2" in pages[1] or "$skip=2" in pages[1])  # 2 rows, then 1: the last page
    assert not [p for p in site.paths() if p.endswith("_s.pdf")]
    sidecar = yaml.safe_load((settings.corpus_dir / "fetched/informea-decisions/cms_res.14.1_f.yaml").read_text())
    assert sidecar == {"url": site.url("/files/cms_res.14.1_f.pdf"), "date": date(2024, 2, 17), "kind": "resolution",
                       "symbol": "14.1", "meeting": 14, "lang": "fr"}
    old = yaml.safe_load((settings.corpus_dir / "fetched/informea-decisions/cms_res.13.5_e.yaml").read_text())
    assert (old["symbol"], old["meeting"]) == ("13.5", 13)


async def test_meetings_become_a_proposal_for_review_never_an_overwrite(site: Site, settings: Settings) -> None:
    _serve(site)
    write_sources(settings, [_source(site, "informea-meetings", "Meetings")])
    registry = (settings.corpus_dir / "meetings.yaml").read_bytes()

    report = await fetch_all(settings, quiet=True)

    assert report.failed == [] and report.new == []
    assert len(report.proposals) == 1 and report.proposals[0].startswith("COP16 is new: Nowhere, 05 March 2029")
    proposed = yaml.safe_load((settings.data_dir / "meetings.proposed.yaml").read_text())
    assert [(m["number"], m["city"], m["start"]) for m in proposed] == [(16, "Nowhere", date(2029, 3, 5))]
    assert (settings.corpus_dir / "meetings.yaml").read_bytes() == registry
    assert "To review:" in format_report(report) and "COP16 is new" in format_report(report)


@pytest.mark.parametrize(
    ("body", "reason"),
    [('{"value": []}', "not an OData answer"), ("[" * 100_000 + "]" * 100_000, "nested too deeply"), ("<html>", "not JSON")],
    ids=["other-json", "deeply-nested", "not-json"],
)
async def test_an_answer_that_is_not_odata_is_a_failed_listing(site: Site, settings: Settings, body: str, reason: str) -> None:
    site.serve(f"{SVC}/Decisions", body, "application/json")
    write_sources(settings, [_source(site, "informea-decisions", "Decisions")])
    report = await fetch_all(settings, quiet=True)
    assert len(report.failed) == 1 and reason in report.failed[0].reason
