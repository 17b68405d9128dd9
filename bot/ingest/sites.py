"""What a page's URL says about its kind, site by site.

Each rule is (site, path pattern, kind, weight, why). ``specific`` rules (weight 50) name the
kind outright (a numbered cms.int notification slug, an ENB daily report); ``section`` rules
(weight 30) only name the part of a site (``/news/``), so a marker in the text can override
them. The CMS family sites (cms.int, unep-aewa.org, ascobans.org, eurobats.org, accobams.org,
iosea-turtles.org) share one Drupal layout; IISD's ENB and SDG Knowledge Hub have theirs; any
other site falls to the generic path words (``news``, ``press-release``, ``noticia``, …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

SPECIFIC = 50
SECTION = 30
HINT = 15

CMS_FAMILY = ("cms.int", "unep-aewa.org", "ascobans.org", "eurobats.org", "accobams.org", "iosea-turtles.org")
ENB = ("enb.iisd.org", "enb-test.iisd.org", "iisd.ca")
SDG_HUB = ("sdg.iisd.org",)


@dataclass(frozen=True)
class UrlSignal:
    kind: str
    weight: int
    why: str
    #: A notification's number spelled by its slug: ``2023/019``.
    number: str | None = None


_LANG = r"(?:/(?:en|fr|es|de|ru|ar|pt|zh))?"
_FAMILY_RULES: tuple[tuple[re.Pattern[str], str, int, str], ...] = (
    (re.compile(rf"^{_LANG}/news/?$|^{_LANG}/news/(?:press-releases|all|news|latest-news|media-watch)/?$|^{_LANG}/news-?listing"), "news_listing", SPECIFIC, "a news listing's URL"),
    (re.compile(rf"^{_LANG}/news/(?P<y>(?:19|20)\d\d)(?P<n>\d{{3}})-"), "notification", SPECIFIC, "a numbered notification slug"),
    (re.compile(rf"^{_LANG}/(?:news/)?(?:press-release|pressrelease|communique-de-presse|comunicado-de-prensa)s?[-/]"), "press_release", SPECIFIC, "a press-release slug"),
    (re.compile(rf"^{_LANG}/news/(?:statement|speech|remarks)[-/]"), "statement", SPECIFIC, "a statement slug"),
    (re.compile(rf"^{_LANG}/news/"), "news_item", SECTION, "the news section"),
    (re.compile(rf"^{_LANG}/(?:cop|mop|mos)\d{{1,2}}(?:/|$)"), "meeting_page", SPECIFIC, "a meeting's own section"),
    (re.compile(rf"^{_LANG}/meeting/"), "meeting_page", SPECIFIC, "a meeting page"),
    (re.compile(rf"^{_LANG}/(?:page/)?(?:documents?/)?(?:cop-)?(?:resolutions?|decisions?)(?:[-/]|$)"), "resolution", SPECIFIC, "a resolutions/decisions page"),
    (re.compile(rf"^{_LANG}/document/.*(?:resolution|decision)"), "resolution", SPECIFIC, "a resolution/decision document"),
    (re.compile(rf"^{_LANG}/(?:document|documents)/|^/sites/default/files/document/"), "cop_document", SECTION, "the documents section"),
    (re.compile(rf"^{_LANG}/(?:event|events)/"), "meeting_page", SECTION, "the events section"),
)
_ENB_RULES: tuple[tuple[re.Pattern[str], str, int, str], ...] = (
    (re.compile(r"(?:summary|daily-report|daily|curtain-raiser|highlights|report)(?:[-/]|$)|-\d{1,2}[a-z]{3}\d{4}/?$"), "meeting_report", SPECIFIC, "an Earth Negotiations Bulletin report"),
    (re.compile(r"^/events/[^/]+/?$"), "meeting_page", SECTION, "an ENB event page"),
)
_SDG_RULES: tuple[tuple[re.Pattern[str], str, int, str], ...] = (
    (re.compile(r"^/news/"), "news_item", SECTION, "SDG Knowledge Hub news"),
    (re.compile(r"^/events/"), "meeting_page", SECTION, "an SDG Knowledge Hub event"),
    (re.compile(r"^/commentary/"), "statement", SECTION, "SDG Knowledge Hub commentary"),
)
#: Path words any site uses (news outlets, governments, UN offices, wires).
_GENERIC_RULES: tuple[tuple[re.Pattern[str], str, int, str], ...] = (
    (re.compile(r"(?:^|[/_-])(?:press-?releases?|news-?releases?|media-?releases?|pressemitteilung|communiques?-de-presse|comunicados?(?:-de-prensa)?|nota-de-prensa)(?:[/_.-]|$)", re.IGNORECASE), "press_release", HINT + 5, "a press-release path"),
    (re.compile(r"(?:^|[/_-])(?:statements?|speech(?:es)?|declaration)(?:[/_-]|$)", re.IGNORECASE), "statement", HINT, "a statement path"),
    (re.compile(r"(?:^|/)(?:news|noticias?|nota|notizie|actualites?|nouvelles|article|articles|story|stories|latest-news|news-and-features|mainmenu-news|press)(?:[/_.-]|$)", re.IGNORECASE), "news_item", HINT, "a news path"),
    (re.compile(r"^/(?:19|20)\d\d/\d{1,2}/"), "news_item", HINT, "a dated article path"),
    (re.compile(r"(?:^|/)(?:events?|meetings?|conferences?)/", re.IGNORECASE), "meeting_page", HINT - 5, "an events path"),
    (re.compile(r"(?:^|/)(?:documents?|docs?|download)/", re.IGNORECASE), "cop_document", HINT - 5, "a documents path"),
)


def _on(host: str, sites: tuple[str, ...]) -> bool:
    return any(host == site or host.endswith("." + site) for site in sites)


def url_signal(url: str | None) -> UrlSignal | None:
    """The kind the URL's site and path point to, or None when it says nothing."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    path = unquote(parts.path or "/")
    if _on(host, CMS_FAMILY):
        # family sub-sites live under a prefix: cms.int/raptors/en/news/…, cms.int/sharks/en/…
        path = re.sub(r"^/(?!en/|fr/|es/|news/|cop\d|page/|document)[a-z-]+(?=/(?:en|fr|es)/)", "", path)
        rules = _FAMILY_RULES
    elif _on(host, ENB):
        rules = _ENB_RULES
    elif _on(host, SDG_HUB):
        rules = _SDG_RULES
    else:
        rules = ()
    for pattern, kind, weight, why in rules + _GENERIC_RULES:
        m = pattern.search(path)
        if m:
            number = None
            if kind == "notification" and "y" in pattern.groupindex:
                number = f"{m.group('y')}/{m.group('n')}"
            return UrlSignal(kind, weight, f"{why} ({host}{path[:60]})", number)
    return None
