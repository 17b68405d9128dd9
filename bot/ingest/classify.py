"""Which kind a page is, from what it shows: front matter, URL, text markers, corpus folder.

Every source proposes (kind, weight, why); the heaviest wins, ties going to the earlier source:

    front matter ``kind``                                  100
    URL, specific (notification slug, ENB report, …)        50   see sites.py
    text marker, strong (NOTIFICATION TO THE PARTIES, a
      "PRESS RELEASE" line, a symbol on the cover, a
      resolutions list, repeated dated listing items)       40
    URL, section (/news/, /document/)                       30
    text marker, weak (a press dateline, "statement was
      issued by", ENB report line, WHEN/WHERE blocks)       20–25
    URL, generic path words (news, press-release, …)      10–20
    corpus folder (press/, notifications/, reports/, …)     10
    nothing: ``page``                                        0   indexed, reported as a warning
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.ingest import cop_document, meeting_report, notification, statement
from bot.ingest.datelines import find_dateline, printed_date
from bot.ingest.sites import url_signal
from bot.cms.dates import find_dates

FRONT_MATTER = 100
STRONG = 40
WEAK = 20
FOLDER = 10


@dataclass(frozen=True)
class Classification:
    kind: str
    weight: int
    why: str

    @property
    def certain(self) -> bool:
        return self.weight > 0


_PRESS_MARKER = re.compile(r"^\s*(?:\*\*)?\s*(?:press\s+release|communiqué\s+de\s+presse|comunicado\s+de\s+prensa|for\s+immediate\s+release|media\s+release|news\s+release)\b(?!s)", re.IGNORECASE | re.MULTILINE)
_NOTIFICATION_MARKER = re.compile(r"notification\s+to\s+(?:the\s+)?parties|^\s*notification\s+(?:no\.?\s*)?(?:19|20)\d\d/\d{3}|^\s*(?:19|20)\d\d/\d{3}\s*:", re.IGNORECASE | re.MULTILINE)
_RESOLUTION_ROW = re.compile(r"^\s*(?:Resolution|Decision)\s+\d{1,2}\.\d{1,3}\b", re.MULTILINE)
_DECISIONS_TITLE = re.compile(r"^\s*(?:Resolutions?|Decisions?)\s+\d{1,2}\.\d{1,3}\b", re.IGNORECASE)
_MEETING_LABELS = re.compile(r"^\s*(?:WHEN|WHERE|VENUE)\s*:?\s*$", re.MULTILINE)
_MEETING_WORDS = re.compile(r"\b(?:associated\s+meetings|information\s+note\s+for\s+participants|meeting\s+documents|provisional\s+agenda|registration\s+(?:is\s+)?(?:now\s+)?open)\b", re.IGNORECASE)
_READ_MORE = re.compile(r"^\s*read\s+more\s*$", re.IGNORECASE | re.MULTILINE)
_AGENCY_DATELINE = re.compile(r"\((?:AP|AFP|Reuters|ANI|PTI|IANS|Xinhua|dpa|EFE|ANSA|Bernama|PNA|[A-Z][\w.]*\.(?:com|net|org|uz|ph|in))\)")
_FOLDERS = {
    "press": "press_release", "press-releases": "press_release", "press_releases": "press_release", "pressreleases": "press_release",
    "news": "news_item", "articles": "news_item", "media": "news_item",
    "notifications": "notification", "notification": "notification",
    "meetings": "meeting_page", "meeting-pages": "meeting_page", "events": "meeting_page",
    "documents": "cop_document", "docs": "cop_document", "cop-documents": "cop_document",
    "resolutions": "resolution", "decisions": "resolution",
    "reports": "meeting_report", "enb": "meeting_report",
    "statements": "statement", "speeches": "statement",
    "listings": "news_listing",
}


def _standalone_dates(body: str) -> int:
    """How many lines are nothing but one date (a listing's item dates), linear in the text."""
    count = 0
    for line in body.split("\n"):
        line = line.strip()
        if 6 <= len(line) <= 40 and any(ch.isdigit() for ch in line):
            found = find_dates(line)
            if found and found[0].start == 0 and found[0].end >= len(line.rstrip(". ")):
                count += 1
    return count


def text_signals(body: str) -> list[tuple[str, int, str]]:
    """Kinds the text's own markers point to."""
    head = body[:3000]
    signals: list[tuple[str, int, str]] = []
    lines = [line.strip() for line in head.split("\n") if line.strip()]
    first_lines = "\n".join(lines[:12])
    if _NOTIFICATION_MARKER.search(first_lines):
        signals.append(("notification", STRONG, "a notification number or 'NOTIFICATION TO THE PARTIES'"))
    if _PRESS_MARKER.search(first_lines):
        signals.append(("press_release", STRONG, "a 'PRESS RELEASE' line"))
    if len(_RESOLUTION_ROW.findall(body[:20000])) >= 3 or (lines and _DECISIONS_TITLE.match(lines[0])):
        signals.append(("resolution", STRONG + 2, "a list or text of resolutions/decisions"))
    if cop_document.SYMBOL.search(head[:1500]):
        signals.append(("cop_document", STRONG, "a document symbol on the cover"))
    if _standalone_dates(body[:20000]) >= 2 or len(_READ_MORE.findall(body)) >= 3:
        signals.append(("news_listing", STRONG - 1, "repeated dated or 'Read more' items"))
    if meeting_report.REPORT_LINE.search("\n".join(lines[:6])):
        signals.append(("meeting_report", WEAK + 5, "an Earth Negotiations Bulletin report line"))
    if any(statement.speaker_of(line) for line in lines[:4]):
        signals.append(("statement", WEAK + 5, "'the following statement was issued by'"))
    if _MEETING_LABELS.search(head) or len(_MEETING_WORDS.findall(head)) >= 2:
        signals.append(("meeting_page", WEAK, "a meeting page's WHEN/WHERE or documents blocks"))
    for line in lines[:6]:
        dateline = find_dateline(line)
        if dateline is None:
            continue
        if dateline.agency or _AGENCY_DATELINE.search(line[:120]):
            signals.append(("news_item", WEAK, "a news agency's dateline"))
        elif dateline.place and dateline.date:
            signals.append(("press_release", WEAK, "a press dateline ('Bonn, 26 March 2025 –')"))
        break
    if any(printed_date(line) for line in lines[:3]) or re.search(r"^\s*last\s+updated\s+on\b", body, re.IGNORECASE | re.MULTILINE):
        signals.append(("news_item", WEAK - 8, "a printed publication date or 'Last updated on' line"))
    if notification.symbol_from_text(lines[0] if lines else "", head):
        signals.append(("notification", STRONG, "a notification number"))
    return signals


def classify(meta_kind: str | None, url: str | None, body: str, folder: str | None) -> Classification:
    """The page's kind and why; weight 0 means nothing pointed anywhere (``page``)."""
    if meta_kind:
        return Classification(meta_kind, FRONT_MATTER, "front matter")
    candidates: list[Classification] = []
    signal = url_signal(url)
    if signal is not None:
        candidates.append(Classification(signal.kind, signal.weight, signal.why))
    for kind, weight, why in text_signals(body):
        candidates.append(Classification(kind, weight, why))
    if folder:
        for part in reversed(folder.lower().split("/")):
            if part in _FOLDERS:
                candidates.append(Classification(_FOLDERS[part], FOLDER, f"the corpus folder {part}/"))
                break
    if not candidates:
        return Classification("page", 0, "nothing in the URL, text or folder names a kind")
    best = max(candidates, key=lambda c: c.weight)  # max keeps the first of equal weights
    return best
