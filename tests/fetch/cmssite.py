"""A fake www.cms.int on 127.0.0.1, shaped like the CMS Family's Drupal templates
(bonnconvention/family-websites: ``node--news.tpl.php`` teasers, the Bootstrap pager,
``node--meeting.tpl.php`` document panels, ``node--document.tpl.php`` file lists) and the
pages the issue describes: news in pages of 10, section pages under /en/news, an RSS feed,
press releases, notifications, a COP14 meeting page, the resolutions in effect.

Pages are written here from the templates' structure (never copied), with only the markup the
fetcher reads plus the chrome it must ignore (navigation, section tabs, pager, footer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from email.utils import format_datetime
from datetime import datetime, timezone
from html import escape

from fetchsite import Site, cop_document_pdf

PER_PAGE = 10
SECTIONS = ("press-releases", "op-ed", "notifications", "media-watch", "feed")
MEETING_PATH = "/en/meeting/fourteenth-meeting-conference-parties-cms"
LANG_WORDS = {"en": "English", "fr": "Français", "es": "Español"}
LANG_LETTER = {"en": "e", "fr": "f", "es": "s"}


@dataclass
class News:
    slug: str
    title: str
    day: date
    place: str = "Bonn"
    press_release: bool = False
    unprefixed: bool = False  # linked as /news/<slug> (the 2025–26 rebuild)

    @property
    def path(self) -> str:
        return f"/news/{self.slug}" if self.unprefixed else f"/en/news/{self.slug}"


@dataclass
class Doc:
    symbol: str
    title: str
    slug: str
    files: str  # file stem, e.g. "cms_cop14_doc.31_soaring-birds"; "_e.pdf" etc. appended
    number: int
    table: str = "Meeting Documents"
    folder: str = "/sites/default/files/document/"
    languages: tuple[str, ...] = ("en", "fr", "es")

    def file_path(self, lang: str) -> str:
        return f"{self.folder}{self.files}_{LANG_LETTER[lang]}.pdf"


def _news_items() -> list[News]:
    first = date(2024, 3, 20)
    topics = [
        "Sharks guidance adopted", "Eel migration report", "Saker falcon action plan", "Light pollution guidelines",
        "Central Asian mammals initiative", "Wind energy and birds", "Marine noise review", "Illegal killing of birds",
        "Amur falcon tracking", "Ecological connectivity", "Gorilla range states meet", "Vultures task force",
        "Argali survey results", "Turtle nesting season", "Bats and buildings",
    ]
    items = []
    for n, topic in enumerate(topics):
        slug = topic.lower().replace(" ", "-")
        items.append(News(slug=slug, title=topic, day=first - timedelta(days=3 * n), press_release=n in (1, 4),
                          unprefixed=n == 12))
    return items


@dataclass
class CmsSite:
    """The content of the fake site; ``install`` puts its routes on a :class:`Site`."""

    news: list[News] = field(default_factory=_news_items)
    docs: list[Doc] = field(default_factory=lambda: [
        Doc("UNEP/CMS/COP14/Doc.31", "Conservation of Migratory Soaring Birds", "conservation-migratory-soaring-birds",
            "cms_cop14_doc.31_soaring-birds", 31),
        Doc("UNEP/CMS/COP14/Doc.19", "Strategic Plan for Migratory Species", "strategic-plan-migratory-species",
            "cms_cop14_doc.19_strategic-plan", 19, folder="/sites/default/files/document/2026-01/"),
        Doc("UNEP/CMS/COP14/Inf.3", "Review of Migratory Sharks", "review-migratory-sharks",
            "cms_cop14_inf.3_sharks", 3, table="Information Documents", languages=("en",)),
    ])
    resolutions: list[Doc] = field(default_factory=lambda: [
        Doc("12.26", "Conservation of Migratory Soaring Birds", "resolution-conservation-soaring-birds",
            "cms_res.12.26_soaring-birds", 26, table="Resolutions"),
        Doc("14.1", "Strategic Plan for Migratory Species 2024-2032", "resolution-strategic-plan", "cms_res.14.1_strategic-plan", 1,
            table="Resolutions"),
    ])
    #: Notifications to the Parties are news pages numbered in their slug (/en/news/2024005-…).
    notifications: list[News] = field(default_factory=lambda: [
        News("2024005-call-nominations-scientific-council", "Call for nominations to the Scientific Council", date(2024, 1, 10)),
    ])

    # ------------------------------------------------------------------ chrome

    def page(self, title: str, body: str) -> str:
        tabs = "".join(f'<li><a href="/en/news/{s}">{s.replace("-", " ").title()}</a></li>' for s in SECTIONS)
        return (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | CMS</title>'
            '<link rel="alternate" type="application/rss+xml" href="/en/news/feed"></head><body>'
            '<a class="skip-link" href="#main-content">Skip to main content</a>'
            '<header role="banner"><nav class="navbar"><a href="/en">Home</a> <a href="/en/news">News</a>'
            f' <a href="{MEETING_PATH}">COP14</a> <a href="/fr/news">Français</a></nav></header>'
            f'<ul class="nav nav-tabs">{tabs}</ul>'
            f'<div class="container" id="main-content"><h1 class="page-header">{escape(title)}</h1>{body}</div>'
            '<footer role="contentinfo"><a href="/en/contact">Contact</a> <a href="mailto:cms.secretariat@cms.int">E-mail</a></footer>'
            "</body></html>"
        )

    @staticmethod
    def pager(path: str, page: int, pages: int) -> str:
        if pages <= 1:
            return ""
        items = []
        if page > 0:
            items.append(f'<li class="prev"><a title="Go to previous page" href="{path}?page={page - 1}">‹ previous</a></li>')
        for n in range(pages):
            items.append('<li class="active"><span>%d</span></li>' % (n + 1) if n == page
                         else f'<li><a title="Go to page {n + 1}" href="{path}?page={n}">{n + 1}</a></li>')
        if page + 1 < pages:
            items.append(f'<li class="next"><a title="Go to next page" href="{path}?page={page + 1}">next ›</a></li>')
            items.append(f'<li class="pager-last"><a title="Go to last page" href="{path}?page={pages - 1}">last »</a></li>')
        return f'<div class="text-center"><ul class="pagination">{"".join(items)}</ul></div>'

    @staticmethod
    def teaser(item: News) -> str:
        return (
            f'<div class="views-row"><div class="node node-news node-teaser clearfix">'
            f'<h2><a href="{item.path}">{escape(item.title)}</a></h2>'
            f'<div class="content article-body"><p>{escape(item.title)}: news from the Convention on Migratory Species.</p>'
            f'<span class="text-muted">{item.day.strftime("%d %B %Y")}</span></div></div></div>'
        )

    # ------------------------------------------------------------------ pages

    def listing(self, path: str, title: str, items: list[News], page: int) -> str:
        pages = max(1, -(-len(items) // PER_PAGE))
        shown = items[page * PER_PAGE:(page + 1) * PER_PAGE]
        body = f'<div class="view-content">{"".join(self.teaser(i) for i in shown)}</div>{self.pager(path, page, pages)}'
        return self.page(title, body)

    def article(self, item: News) -> str:
        marker = "<p><strong>PRESS RELEASE</strong></p>" if item.press_release else ""
        body = (
            f'<div class="node node-news"><div class="content article-body">{marker}'
            f"<p>{item.place}, {item.day.day} {item.day.strftime('%B %Y')} – {escape(item.title)} was announced today by the "
            "Secretariat of the Convention on the Conservation of Migratory Species of Wild Animals, together with "
            "partners from range states across the flyways.</p>"
            "<p>Governments and experts discussed how the measures agreed at the Conference of the Parties will be "
            "implemented, and which species and habitats need the most urgent attention in the coming years.</p>"
            '</div><span class="text-muted">' + item.day.strftime("%d %B %Y") + "</span></div>"
        )
        return self.page(item.title, body)

    def feed(self, count: int = 5) -> str:
        entries = "".join(
            f"<item><title>{escape(i.title)}</title><link>http://HOST{i.path}</link>"
            f"<pubDate>{format_datetime(datetime(i.day.year, i.day.month, i.day.day, 9, tzinfo=timezone.utc))}</pubDate>"
            f"<description>{escape(i.title)}</description></item>"
            for i in self.news[:count]
        )
        return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>CMS News</title>'
                f"<link>http://HOST/en/news</link>{entries}</channel></rss>")

    @staticmethod
    def file_links(doc: Doc) -> str:
        return " ".join(f'<a href="{doc.file_path(lang)}">{LANG_WORDS[lang]}</a>' for lang in doc.languages)

    def document_table(self, docs: list[Doc], *, with_files: bool = True) -> str:
        rows = "".join(
            f'<tr><td class="views-field-field-document-number">{escape(d.symbol)}</td>'
            f'<td class="views-field-title"><a href="/en/document/{d.slug}">{escape(d.title)}</a></td>'
            f"<td>15 December 2023</td><td>{self.file_links(d) if with_files else ''}</td></tr>"
            for d in docs
        )
        return ('<table class="views-table table"><thead><tr><th>Number</th><th>Title</th><th>Date</th><th>Files</th></tr></thead>'
                f"<tbody>{rows}</tbody></table>")

    def meeting(self) -> str:
        panels = []
        for n, table in enumerate(dict.fromkeys(d.table for d in self.docs)):
            docs = [d for d in self.docs if d.table == table]
            panels.append(
                f'<div class="panel panel-default"><div class="panel-heading"><h4 class="panel-title">'
                f'<a data-toggle="collapse" href="#collapse{n}" class="collapsed">{table}'
                '<span class="pull-right text-muted help-text-expand">Expand</span>'
                '<span class="pull-right text-muted help-text-collapse">Collapse</span></a></h4></div>'
                f'<div id="collapse{n}" class="panel-collapse collapse"><div class="panel-body">{self.document_table(docs)}</div></div></div>'
            )
        body = (
            '<div class="row"><div class="meeting-left profile col-md-8"><p>The 14th Meeting of the Conference of the Parties '
            'took place in Samarkand, Uzbekistan, 12 – 17 February 2024.</p></div></div>'
            '<div class="row"><div class="meeting-full-width profile col-md-12">'
            '<p class="text-center"><a class="btn btn-primary" href="/meeting/download-all-files/1/all/all">Download all files as .zip</a></p>'
            f'<div class="panel-group" id="accordion">{"".join(panels)}</div></div></div>'
        )
        return self.page("14th Meeting of the Conference of the Parties", body)

    def document_node(self, doc: Doc) -> str:
        files = "".join(f'<li><a href="{doc.file_path(lang)}" hreflang="{lang}">{doc.files}_{LANG_LETTER[lang]}.pdf</a></li>'
                        for lang in doc.languages)
        body = (f'<div class="row"><div class="document-left profile col-md-8"><ul class="field-document-files">{files}</ul></div>'
                f'<div class="col-md-4 profile"><table class="table two-columns"><tr><th>Document number</th><td>{escape(doc.symbol)}</td></tr></table></div></div>')
        return self.page(doc.title, body)

    # ------------------------------------------------------------------ routes

    def install(self, site: Site) -> None:
        site.routes.clear()
        host = site.base.split("://", 1)[1]
        news = self.news
        press = [i for i in news if i.press_release]
        for path, title, items in (("/en/news", "News", news), ("/en/news/press-releases", "Press Releases", press)):
            pages = max(1, -(-len(items) // PER_PAGE))
            for page in range(pages):
                html = self.listing(path, title, items, page)
                site.serve(f"{path}?page={page}", html)
                if page == 0:
                    site.serve(path, html)
        for section in ("op-ed", "media-watch"):
            site.serve(f"/en/news/{section}", self.page(section.title(), '<div class="view-content"></div>'))
        site.serve("/en/news/notifications", self.listing("/en/news/notifications", "Notifications", self.notifications, 0))
        site.serve("/en/news/feed", self.feed().replace("HOST", host), "application/rss+xml")
        for item in news + self.notifications:
            site.serve(item.path, self.article(item), etag=f'"{item.slug}-v1"')
        french = [News(n.slug, f"{n.title} (FR)", n.day, n.place) for n in news[:3]]
        for item in french:
            site.serve(f"/fr/news/{item.slug}", self.article(item).replace(item.path, f"/fr/news/{item.slug}"))
        site.serve("/fr/news", self.listing("/fr/news", "Actualités", french, 0).replace('href="/en/news/', 'href="/fr/news/'))
        site.serve(MEETING_PATH, self.meeting())
        site.serve("/en/documents/cop-resolutions",
                   self.page("Resolutions in effect", self.document_table(self.resolutions, with_files=False)))
        for doc in self.docs + self.resolutions:
            site.serve(f"/en/document/{doc.slug}", self.document_node(doc))
            for lang in doc.languages:
                site.serve(doc.file_path(lang), cop_document_pdf(doc.number, doc.title.upper()), "application/pdf",
                           etag=f'"{doc.files}-{lang}"')

    def add_news(self, site: Site, item: News) -> None:
        """Publish a new item on top of the news listing (and the feed)."""
        self.news.insert(0, item)
        self.install(site)
