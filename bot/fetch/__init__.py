"""Fresh sources: fetch new CMS news, press releases, notifications, COP documents and resolutions
(listing pages, the RSS feed, meeting-page document tables, InforMEA OData) over HTTP into the corpus.

    report = run_fetch(settings, sources_path=None, quiet=False)      # sync, for the CLI
    report = await fetch_all(settings, sources_path=None, quiet=False, progress=None, store=None)
    report.new / .changed / .unchanged / .failed   # lists of FetchedItem
    report.to_json() ; format_report(report)
    store = FetchStore.in_data_dir(settings.data_dir)  # announcements and subscriptions (bot.state.fetch)

See docs/fetch.md.
"""

from __future__ import annotations

from bot.fetch.report import FetchedItem, FetchReport, format_report
from bot.fetch.run import fetch_all, run_fetch
from bot.fetch.sources import FetchOptions, SourcesError, load_sources
from bot.state.fetch import FetchStore, Subscription

__all__ = [
    "FetchOptions",
    "FetchReport",
    "FetchStore",
    "FetchedItem",
    "SourcesError",
    "Subscription",
    "fetch_all",
    "format_report",
    "load_sources",
    "run_fetch",
]
