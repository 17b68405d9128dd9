"""A COP document (UNEP/CMS/COPnn/Doc.x): header, summary, numbered paragraphs, annexed decisions.

Works line by line so it reads Markdown conversions and PDF text alike: a numbered paragraph
runs from its "8." to the next number in sequence, a heading, or the annex; hard-wrapped and
page-broken lines are joined. In an annex each draft decision ("14.AA The Secretariat shall…")
is its own passage and keeps the "Directed to …" line above it as its addressee.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.cms.dates import find_dates, parse_date
from bot.ingest.parsed import Parsed, PassageDraft
from bot.ingest.text import clean_inline, join_lines, smart_title

SYMBOL = re.compile(r"\bUNEP/CMS/(?:COP|ScC|StC|CoP)[\w.-]*/(?:(?:Doc|Inf|Res|Dec)[\w./-]*\w|Report(?:[\w./-]*\w)?)", re.IGNORECASE)
#: Symbols other documents carry on their cover: concerted actions, resolutions, the Spanish and
#: French prefixes (PNUMA/CMS/…, PNUE/CMS/…). Kept apart from SYMBOL, which questions are matched on.
COVER_SYMBOL = re.compile(
    r"\b(?:UNEP|PNUMA|PNUE)/CMS/(?:(?:Concerted\s+Action|Resolution|Decision)\s+\d{1,2}\.\d{1,3}(?:\s*\(Rev\.\s?COP\s?\d{1,2}\))?"
    r"|(?:COP|ScC|StC|CoP)[\w.-]*/(?:(?:Doc|Inf|Res|Dec)[\w./-]*\w|Report(?:[\w./-]*\w)?))",
    re.IGNORECASE,
)
_INLINE_NUMBER = re.compile(r"(?<=[\s.;:”\"')])(?P<num>\d{1,3})\.\s+(?=[A-Z“\"(])")
_COVER_BREAKS = re.compile(
    r"\s(?=(?:Original|Distribution|Distribución|Distribution)\s*:)|\s(?=Agenda\s+Item\b)|\s(?=Punto\s+\d)"
    r"|(?<!THE)(?<!the)\s(?=\d{1,2}\s?(?:st|nd|rd|th|ª|a|e|ème)?\s+(?:MEETING|REUNIÓN|RÉUNION|SESSION)\b)|\s(?=INTRODUCTION\b)|\s(?=REPORT\s+OF\s+THE\b)|(?<=\d{4})\s(?=[A-Z]{3,}\s+[A-Z]{2,})|\s(?=(?:Summary|Sumario|Résumé)\s)"
)
_NUMBERED = re.compile(r"^(?P<num>\d{1,3})\.\s+(?P<text>\S.*)$")
_DECISION = re.compile(r"^(?:[-*•]\s*)?(?P<num>\d{1,2}\.(?:[A-Z]{1,3}|\d{1,3}))\s+(?P<text>\S.*)$")
_ADDRESSEE = re.compile(r"^(?:[-*•]\s*)?Directed\s+to\s+(?P<who>.+?)\s*$", re.IGNORECASE)
_ANNEX = re.compile(r"^ANNEX\b\s*(?P<label>[\w.]*)", re.IGNORECASE)
_AGENDA = re.compile(r"\bAgenda\s+Item\s+(?P<item>[\w.]+)", re.IGNORECASE)
_MEETING_LINE = re.compile(r"\bMEETING\s+OF\s+THE\s+CONFERENCE\s+OF\s+THE\s+PARTIES\b", re.IGNORECASE)
_SUMMARY = re.compile(r"^Summary\s*:?\s*$", re.IGNORECASE)
_PREPARED = re.compile(r"^\((?P<who>(?:Prepared|Submitted)\s+by\s+.+)\)$", re.IGNORECASE)


@dataclass
class _Open:
    """The passage being accumulated."""

    locator: str
    context: str | None
    lines: list[str] = field(default_factory=list)


def is_flattened(body: str) -> bool:
    """A document's text stored on one line (mirror sites): a long line that opens with its cover."""
    return any(len(line) >= 600 and COVER_SYMBOL.search(line[:300]) for line in body.split("\n"))


def unflatten(body: str) -> str:
    """A document whose PDF text was flattened onto one line (as mirror sites store them) gets its
    line breaks back: before the cover's fields, around its symbol, and before each paragraph
    number that continues the sequence (1., 2., 3. …)."""
    out: list[str] = []
    for line in body.split("\n"):
        if len(line) < 600:
            out.append(line)
            continue
        symbol = COVER_SYMBOL.search(line[:800])
        if symbol:
            line = line[:symbol.start()] + "\n" + symbol.group(0) + "\n" + line[symbol.end():]
        head_end = line.find("\n1. ") if "\n1. " in line else min(len(line), 1500)
        line = _COVER_BREAKS.sub("\n", line[:head_end]) + line[head_end:]
        pieces: list[str] = []
        last = 0
        expected = 1
        for m in _INLINE_NUMBER.finditer(line):
            if int(m.group("num")) == expected:
                pieces.append(line[last:m.start()].rstrip())
                last = m.start()
                expected += 1
        pieces.append(line[last:])
        out.append("\n".join(pieces) if expected > 2 else line)
    return "\n".join(out)


def _lines(body: str) -> list[str]:
    """Cleaned lines; a blank line becomes ``""`` so block boundaries stay visible."""
    if is_flattened(body):
        # stored from a mirror site: lines restored, the site's own furniture ("Share", "Download") out
        from bot.ingest.page import is_chrome_line

        lines = [clean_inline(line).strip() for line in unflatten(body).replace("\r\n", "\n").split("\n")]
        return [line for line in lines if not line or not is_chrome_line(line)]
    return [clean_inline(line).strip() for line in body.replace("\r\n", "\n").split("\n")]


def _is_heading(line: str, previous_complete: bool) -> bool:
    return (
        previous_complete and 0 < len(line) <= 80 and line[0].isupper()
        and not line.endswith((".", ",", ";", ":")) and not _NUMBERED.match(line)
    )


def _parse_header(lines: list[str], parsed: Parsed) -> int:
    """Fill symbol, date, meeting, place, agenda item, title; return the index where the body starts."""
    meta = parsed.meta
    i = 0
    title_lines: list[str] = []
    cover: list[str] = []
    for i, line in enumerate(lines):
        if _SUMMARY.match(line) or _NUMBERED.match(line) or (_ANNEX.match(line) and "symbol" in meta):
            if title_lines:
                meta["title"] = smart_title(" ".join(title_lines))
            _add_cover(cover, parsed)
            return i
        if "symbol" in meta or SYMBOL.search(line) or COVER_SYMBOL.search(line):
            cover.append(line)  # everything from the symbol on is the cover page; the logo above is chrome
        if not line:
            if title_lines:
                meta["title"] = smart_title(" ".join(title_lines))
                title_lines = []
            continue
        if "symbol" not in meta and (m := SYMBOL.search(line) or COVER_SYMBOL.search(line)):
            meta["symbol"] = m.group(0)
            continue
        if "date" not in meta and (day := parse_date(line)):
            meta["date"] = day
            continue
        if _MEETING_LINE.search(line):
            meta["meeting_text"] = line
            continue
        if m := _AGENDA.search(line):
            meta["agenda_item"] = m.group("item")
            continue
        if m := _PREPARED.match(line):
            meta["prepared_by"] = m.group("who")
            continue
        found = find_dates(line)
        if "meeting_text" in meta and found and "place" not in meta:
            meta["place"] = line[: found[0].start].strip(" ,")
            meta["meeting_dates"] = found[0].span
            continue
        if "title" not in meta and ("agenda_item" in meta or "place" in meta) and line.upper() == line and any(c.isalpha() for c in line):
            title_lines.append(line)
    if title_lines:
        meta["title"] = smart_title(" ".join(title_lines))
    _add_cover(cover, parsed)
    return len(lines)


def _add_cover(cover: list[str], parsed: Parsed) -> None:
    """The cover page (symbol, date, meeting, agenda item, title) as a citable passage."""
    if parsed.meta.get("flattened"):
        text = " ".join(line for line in cover if line)  # stored as one line: quoted as it was stored
    else:
        paragraphs = "\n".join(cover).strip("\n")
        text = re.sub(r"\n{2,}", "\n\n", paragraphs)
    if text:
        parsed.passages.append(PassageDraft("cover page", text, context="Cover page"))


def _paragraphs(lines: list[str]) -> str:
    """Lines joined; a blank line starts a new paragraph only where the sentence had ended
    (a page break inside a sentence, as in "has increased / by 35 per cent", is joined)."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1] and paragraphs[-1][-1].endswith((".", ":", ";", "”", '"')):
            paragraphs.append([])
    return "\n\n".join(join_lines("\n".join(p)) for p in paragraphs if p)


def parse(body: str) -> Parsed:
    parsed = Parsed()
    if is_flattened(body):
        parsed.meta["flattened"] = True
    lines = _lines(body)
    start = _parse_header(lines, parsed)
    meeting_line = parsed.meta.get("meeting_text", "")
    if "title" not in parsed.meta and re.match(r"(?:REPORT|SUMMARY\s+RECORD|PROCEEDINGS)\s+OF\s+THE\b", meeting_line):
        parsed.meta["title"] = smart_title(meeting_line.upper())  # a meeting's report: its cover line is its title
    title = parsed.meta.get("title", "")

    drafts: list[_Open] = []
    current: _Open | None = None
    section: str | None = None
    addressee: str | None = None
    annex: str | None = None
    next_para = 1
    in_summary = False

    def close() -> None:
        nonlocal current
        if current is not None and current.lines:
            drafts.append(current)
        current = None

    def complete() -> bool:
        content = [text for text in current.lines if text] if current is not None else []
        return not content or content[-1].endswith((".", ":", ";", ")", "”", '"'))

    for line in lines[start:]:
        if not line:
            if current is not None and current.lines and current.lines[-1]:
                current.lines.append("")  # a block boundary: a new paragraph if the sentence ended
            continue
        if _SUMMARY.match(line):
            close()
            in_summary = True
            current = _Open("summary", "Summary")
            continue
        if in_summary and title and smart_title(line) == title:
            close()  # the title repeated above the body ends the summary
            in_summary = False
            continue
        if m := _ANNEX.match(line):
            close()
            in_summary = False
            annex = ("Annex " + m.group("label")).strip()
            section, addressee = None, None
            continue
        if annex is not None:
            if m := _ADDRESSEE.match(line):
                close()
                addressee = "Directed to " + m.group("who")
                continue
            if m := _DECISION.match(line):
                close()
                current = _Open(f"Decision {m.group('num')}", " — ".join(filter(None, (addressee, annex))))
                current.lines.append(m.group("num") + " " + m.group("text"))
                continue
            if current is None or (line.upper() == line and complete()):
                section = smart_title(line.replace("**", ""))
                annex = f"{annex.split(' — ')[0]} — {section}"
                continue
            current.lines.append(line)
            continue
        m = _NUMBERED.match(line)
        if m and int(m.group("num")) == next_para:
            close()
            in_summary = False
            current = _Open(f"para. {next_para}", section)
            current.lines.append(m.group("text"))
            next_para += 1
            continue
        if not in_summary and _is_heading(line, complete()) and not line.startswith(("-", "•")):
            close()
            section = line
            continue
        if current is None:
            parsed.dropped.append(line)
            continue
        current.lines.append(line)
    close()

    for draft in drafts:
        parsed.passages.append(PassageDraft(draft.locator, _paragraphs(draft.lines), context=draft.context))
    return parsed
