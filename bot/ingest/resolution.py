"""Resolutions and decisions: a list of them ("Resolution 12.01 Presidency of the Conference of
Parties", one per line or table row) or the text of some ("Decisions 13.24 to 13.26 – …" then
"13.24" and its paragraph).

Contract: title = the page's heading; one passage per listed resolution/decision, located by
its number (``Resolution 12.4 (Rev.COP14)``, ``Decision 13.24``), the page's lead text and any
heading kept as ordinary ``para. N`` passages; a decision's text runs from its number to the
next number.
"""

from __future__ import annotations

import re

from bot.ingest.article import parse_article
from bot.ingest.page import is_caption, is_chrome_line, read_page
from bot.ingest.parsed import Parsed, PassageDraft

_LISTED = re.compile(
    r"^(?P<what>Resolution|Decision|Recommendation|Res\.|Dec\.)\s+(?P<num>\d{1,2}\.\s?\d{1,3}(?:\.\d+)?[A-Za-z]?|\d{1,2}\.[A-Z]{1,3})"
    r"(?P<rev>\s*\((?:Rev\.?\s*)?COP\s?\d{1,2}\))?\s*(?P<title>.*)$"
)
_DECISION_NUMBER = re.compile(r"^(?P<num>\d{1,2}\.\d{1,3}|\d{1,2}\.[A-Z]{1,3})\s*$")
_DECISION_START = re.compile(r"^(?P<num>\d{1,2}\.\d{1,3})\s+(?P<text>[A-Z(].*)$")
_WHAT = {"Res.": "Resolution", "Dec.": "Decision"}


def adopted_at(number: str) -> int | None:
    """The COP that adopted Resolution/Decision ``12.03``: the number before the dot."""
    m = re.match(r"(\d{1,2})\.", number)
    return int(m.group(1)) if m else None


def _listed(parsed: Parsed, lines: list[str]) -> bool:
    found = False
    for line in lines:
        m = _LISTED.match(line)
        if not m or not m.group("title"):
            continue
        found = True
        what = _WHAT.get(m.group("what"), m.group("what"))
        locator = f"{what} {m.group('num').replace(' ', '')}" + (f" {m.group('rev').strip()}" if m.group("rev") else "")
        parsed.passages.append(PassageDraft(locator, re.sub(r"\s+", " ", line), context=parsed.meta.get("title"), meeting=adopted_at(m.group("num"))))
    return found


def parse(body: str) -> Parsed:
    page = read_page(body)
    parsed = parse_article(body, page=page)
    # a decision's number alone on its line ("13.25") looks like page furniture to the generic filter
    lines = [line.strip() for line in body.splitlines() if line.strip() and (
        _DECISION_NUMBER.match(line.strip()) or not is_chrome_line(line.strip()) and not is_caption(line))]
    listed = sum(1 for line in lines if _LISTED.match(line))
    if listed >= 2:
        keep = [d for d in parsed.passages if not any(_LISTED.match(t) for t in d.text.split("\n"))]
        parsed.passages = keep
        _listed(parsed, lines)
        return parsed
    # decision texts: "13.24" on its own line (or starting its paragraph), then the text
    decisions: list[tuple[str, list[str]]] = []
    lead: list[str] = []
    for line in lines:
        if m := _DECISION_NUMBER.match(line):
            decisions.append((m.group("num"), []))
        elif m := _DECISION_START.match(line):
            decisions.append((m.group("num"), [line]))
        elif decisions:
            decisions[-1][1].append(line)
        else:
            lead.append(line)
    decisions = [(num, text) for num, text in decisions if text]
    if len(decisions) >= 1:
        parsed.passages = [d for d in parsed.passages if d.locator == "highlights"]
        title = parsed.meta.get("title")
        for num, text in decisions:
            parsed.passages.append(PassageDraft(f"Decision {num}", "\n".join(text), context=title, meeting=adopted_at(num)))
    return parsed
