"""sources.yaml: the shipped file loads; every mistake is named by source and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from fetchsite import REPO

from bot.fetch.run import load_meetings
from bot.fetch.sources import FetchOptions, SourcesError, load_sources

MEETINGS = load_meetings(REPO / "corpus")


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def _source(**overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": "news",
        "listing": "https://www.cms.int/en/news",
        "kind": "news_listing",
        "links": {"pattern": r"/en/news/[^/]+$"},
    }
    entry.update(overrides)
    return {k: v for k, v in entry.items() if v is not None}


def test_shipped_sources_file_loads_with_cms_defaults() -> None:
    config = load_sources(REPO / "corpus" / "sources.yaml", MEETINGS)
    names = {s.name: s for s in config.sources}
    assert names["cms-news"].listings() == [("en", "https://www.cms.int/en/news")]
    assert names["cms-news"].links.pattern.search("https://www.cms.int/en/news/cop14-closes")
    pattern = names["cms-news"].links.pattern
    for item in ("https://www.cms.int/en/news/cop14-closes", "https://www.cms.int/news/cop14-closes"):
        assert pattern.search(item)
    for section in ("press-releases", "op-ed", "notifications", "media-watch", "feed"):
        assert not pattern.search(f"https://www.cms.int/en/news/{section}")
    docs = names["cop14-documents"]
    assert docs.kind == "cop_document" and docs.meeting == 14 and docs.read == "documents"
    assert docs.listing == "https://www.cms.int/en/meeting/fourteenth-meeting-conference-parties-cms"
    assert names["cms-feed"].read == "feed" and names["cop-resolutions"].read == "documents"
    assert {"cms.int", "www.cms.int", "odata.informea.org"} <= set(config.options.allowed_domains)


def test_defaults_allow_only_cms_int() -> None:
    options = FetchOptions()
    assert options.allows("https://www.cms.int/en/news")
    assert not options.allows("https://www.cms.int.evil.example/en/news")
    assert not options.allows("ftp://www.cms.int/file")


def test_meeting_by_name_resolves(tmp_path: Path) -> None:
    config = load_sources(_write(tmp_path, {"sources": [_source(meeting="the Samarkand COP")]}), MEETINGS)
    assert config.sources[0].meeting == 14


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"sources": [_source(kind="article")]}, "source 'news': field 'kind': expected one of"),
        ({"sources": [_source(links={"pattern": "([unclosed"})]}, "source 'news': field 'links.pattern'"),
        ({"sources": [_source(links={"selector": "a[[["})]}, "source 'news': field 'links.selector'"),
        ({"sources": [_source(links={})]}, "source 'news': field 'links'"),
        ({"sources": [_source(links=None)]}, "source 'news': field 'links': missing"),
        ({"sources": [_source(links={"regex": "x"})]}, "source 'news': field 'links.regex'"),
        ({"sources": [_source(listing="https://example.org/news")]}, "source 'news': field 'listing': host 'example.org'"),
        ({"sources": [_source(listing="not a url")]}, "source 'news': field 'listing'"),
        ({"sources": [_source(meeting="COP99")]}, "source 'news': field 'meeting'"),
        ({"sources": [_source(meeting=99)]}, "source 'news': field 'meeting': COP99 is not in meetings.yaml"),
        ({"sources": [_source(max_items=0)]}, "source 'news': field 'max_items': must be at least 1"),
        ({"sources": [_source(colour="red")]}, "source 'news': field 'colour': unknown field"),
        ({"sources": [_source(name="News Items!")]}, "source #1: field 'name'"),
        ({"sources": [_source(), _source()]}, "source 'news': field 'name': used by more than one source"),
        ({"sources": []}, "'sources' must be a non-empty list"),
        ({"sources": [_source()], "fetch": {"timeout_seconds": -1}}, "fetch: field 'timeout_seconds': must be at least"),
        ({"sources": [_source()], "fetch": {"max_retries": "many"}}, "fetch: field 'max_retries': expected a whole number"),
        ({"sources": [_source()], "fetch": {"retries": 3}}, "fetch: field 'retries': unknown option"),
        ({"sources": [_source()], "fetch": {"allowed_domains": []}}, "fetch: field 'allowed_domains'"),
        ({"sources": [_source()], "fetch": {"output_dir": "../outside"}}, "fetch: field 'output_dir'"),
        ({"sources": [_source()], "extra": 1}, "unknown top-level field 'extra'"),
    ],
)
def test_invalid_sources_are_named(tmp_path: Path, data: dict[str, Any], expected: str) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(SourcesError) as caught:
        load_sources(path, MEETINGS)
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_unreadable_files_are_clear(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="file not found"):
        load_sources(tmp_path / "missing.yaml", MEETINGS)
    with pytest.raises(SourcesError, match="not valid YAML"):
        load_sources(_write(tmp_path, "sources: [\n"), MEETINGS)
