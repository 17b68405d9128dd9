"""Reading a stored web page's text: units (paragraphs, headings, list items, rows), chrome out.

Pages arrive as a fetcher or a person stored them: paragraphs separated by blank lines or by
single newlines, sometimes hard-wrapped at ~90 characters, with photo captions, navigation words
("Share", "Please read more in our", "Last updated on …"), language switchers and mirror-site
furniture left in, and often cut off mid-sentence. ``read_page`` turns that into ``Unit``s and
the metadata the page prints about itself (title, printed date, "Last updated" date), keeping
what it dropped for the index report; ``page_passages`` cuts the units into passages:
one per paragraph with its nearest heading as context, a lead-in keeping a short list, long
lists and table rows one passage per item, short fragments merged into what follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.cms.dates import find_dates
from bot.ingest.datelines import find_glued_dateline, last_updated, printed_date
from bot.ingest.parsed import PassageDraft
from bot.ingest.text import clean_inline, smart_title

_SPACES = re.compile(r"[ \t\u00a0]+")
_TERMINAL = (".", "!", "?", '"', "”", "’", ":", ";", ")", "…", "»")
_HEADING_ENDS = (".", "!", "?", ":", ";", ",", "…", '."', ".”", "!”", "?”")
_BULLET = re.compile(r"^(?:[-*•·▪◦–]|\d{1,2}[.)]|\([a-z0-9]{1,4}\)|[a-z][.)])\s+(?=\S)")

#: Whole lines that are page furniture, never content (case-insensitive).
_CHROME = re.compile(
    r"^(?:share(?:\s+this(?:\s+(?:page|article|story|post|document))?(?:\s+with\s+a\s+friend)?)?|tweet|print(?:\s+this\s+page)?|"
    r"e-?mail|facebook|twitter|linkedin|whatsapp|read\s+more\b.*|more\s+news|please\s+read\s+more\s+in\s+our\b.*|"
    r"skip\s+to\s+(?:main\s+)?content|search|menu|home|home\s*[>›»/].*|back\s+to\s+top|top|"
    r"\+?\s*all\s+categories|story\s+highlights|embed|transcript|preview\s+only\b.*|download(?:\s*:.*)?|"
    r"views?\s*:.*|upload\s*:.*|category\s*:.*|date\s+post\s*:.*|publicidad|advertisement|anuncio|"
    r"currency\s+rates\s+from\b.*|related\s+(?:news|articles|content)|tags?\s*:.*|in\s+this\s+issue\s*:?|"
    r"follow\s+us.*|subscribe.*|cookie.*|privacy(?:\s+(?:policy|notice|statement))?|terms(?:\s+(?:of\s+(?:use|service)|and\s+conditions))?|"
    r"site\s*map|contact(?:\s+us)?|about(?:\s+us)?|copyright\b.*|all\s+rights\s+reserved.*|accessibility|disclaimer|"
    r"log\s*in|sign\s+(?:in|up)|register|back|next|previous|page\s+\d+\s+of\s+\d+|go\s+to\s+top|share\s+on\s+\w+|"
    r"(?:français|english|español|deutsch|русский|português)(?:\s*[|/]\s*(?:français|english|español|deutsch|русский|português))*|[a-z]+_[a-z0-9_]+|(?:\[[^\]\n]{2,20}\]\s*){1,6}|[\W\d_]*|\S{1,3})$",
    re.IGNORECASE,
)
#: Taxonomy fields at the foot of CMS family news pages ("Type:", "Country:" then a value line).
_FIELD_LABEL = re.compile(r"^(?:type|country|countries|region|species\s+group|species|instrument|topic|theme|tags)\s*:\s*$", re.IGNORECASE)
_CAPTION = re.compile(
    r"©|\(c\)\s+\w|^(?:photos?|pictures?|images?|fotos?|photo\s+credit|credit|caption)\b\s*(?:from\s+left\s+to\s+right)?\s*:|"
    r"\s[-–—|]\s*(?:foto|photo|crédito|credit)\s*:",
    re.IGNORECASE,
)
_LOGO = re.compile(r"\b(?:logo|banner|thumbnail|icon)\s*$", re.IGNORECASE)
_CURRENCY = re.compile(r"^[$€£¥₽₹]?\s*\d[\d.,]*\s*[–-]|^[A-Z]{3}\s*[–-]\s*[-+]?\d")


@dataclass
class Unit:
    """One reconstructed piece of a page: ``para``, ``heading``, ``item`` (list item) or ``row``."""

    role: str
    text: str


@dataclass
class Page:
    units: list[Unit] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    printed_date: date | None = None
    updated: date | None = None
    #: Units before the first paragraph that are short lines: title candidates, in order.
    top_lines: list[str] = field(default_factory=list)
    #: Short lines printed twice in a row before the first paragraph (a headline shown twice).
    doubled: list[str] = field(default_factory=list)
    #: Values of the taxonomy fields at a page's foot ("Type: Media Watch", "Country: India").
    fields: list[str] = field(default_factory=list)


def _clean(line: str) -> str:
    return _SPACES.sub(" ", clean_inline(line)).strip()


_ACRONYM = re.compile(r"^[(\[]?(?:CMS|COP\s?-?\d*|CoP\d*|MOP\d*|UNEP|UN|AEWA|ASCOBANS|EUROBATS|ACCOBAMS|IUCN|CITES|ENB|IISD|SDGs?|GBF|CBD|EU|NGOs?|IOSEA|MOU|CAMI|II|III|IV)[)\],:;.]?$")


def title_case(text: str) -> str:
    """An ALL-CAPS headline in title case, acronyms kept ("CMS COP 9 CONCLUDES" → "CMS COP 9 Concludes")."""
    cased = smart_title(text).split()
    original = text.split()
    if len(cased) != len(original):
        return smart_title(text)
    return " ".join(o if _ACRONYM.match(o) or any(ch.isdigit() for ch in o) else c for o, c in zip(original, cased))


def is_heading_like(line: str, *, top: bool = False) -> bool:
    """A short line with no sentence end, starting with a capital or digit: a heading or label
    (``top``: before the page's first paragraph, where headlines run longer)."""
    words = line.split()
    most_words, most_chars = (26, 180) if top else (16, 120)
    return (
        0 < len(words) <= most_words and len(line) <= most_chars and not line.endswith(_HEADING_ENDS)
        and (line[0].isupper() or line[0].isdigit() or line[0] in "“\"'‘(")
    )


def _is_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped prose: most lines (last excepted) close to the longest one."""
    if len(lines) < 3:
        return False
    width = max(len(line) for line in lines)
    if width < 50:
        return False
    near = sum(1 for line in lines[:-1] if len(line) >= 0.7 * width)
    return near >= 0.6 * (len(lines) - 1)


def _units_of_block(block_lines: list[str]) -> list[str]:
    """A block's lines regrouped into paragraphs: wrapped prose joined, single-newline paragraphs split."""
    lines = [line for line in block_lines if line]
    if not lines:
        return []
    out: list[str] = []
    if _is_wrapped(lines):
        width = max(len(line) for line in lines)
        current: list[str] = []
        for line in lines:
            if _BULLET.match(line) and current:
                out.append(" ".join(current))
                current = []
            current.append(line)
            if line.endswith(_TERMINAL) and len(line) < 0.7 * width:
                out.append(" ".join(current))
                current = []
        if current:
            out.append(" ".join(current))
        return out
    for line in lines:
        if out and not out[-1].endswith(_TERMINAL + (",",)) and line[0].islower() and not _BULLET.match(line) and not is_chrome_line(line):
            out[-1] = out[-1] + " " + line  # a sentence broken across lines
        elif out and out[-1].endswith(",") and not _BULLET.match(line) and not is_heading_like(out[-1]):
            out[-1] = out[-1] + " " + line
        else:
            out.append(line)
    return out


#: Image names a page prints in place of its pictures, glued: "pre cop12 1pre cop12 2".
_IMAGE_NAMES = re.compile(r"^(?P<name>[a-z][a-z0-9 _-]{1,30}?)\s?\d{1,3}(?:(?P=name)\s?\d{1,3})+$")


def is_chrome_line(line: str) -> bool:
    """Navigation words, share buttons, mirror-site furniture, "Last updated on …", image names."""
    return bool(_CHROME.match(line)) or bool(_CURRENCY.match(line)) or last_updated(line) is not False \
        or bool(_IMAGE_NAMES.match(line))


def is_caption(line: str) -> bool:
    """Photo credits and captions, logos and banners."""
    if _CAPTION.search(line):
        return True
    return len(line.split()) <= 6 and bool(_LOGO.search(line))


def read_page(body: str) -> Page:
    """The page's units and self-description; see the module docstring."""
    page = Page()
    raw_units: list[str] = []
    for block in re.split(r"\n[ \t]*\n+", body.replace("\r\n", "\n").replace("\r", "\n")):
        raw_units.extend(_units_of_block([_clean(line) for line in block.split("\n")]))

    seen_para = False
    skip_field_value = False
    caption_next = False
    previous: str | None = None
    for index, text in enumerate(raw_units):
        if _IMAGE_NAMES.match(text):
            page.dropped.append(text)
            caption_next = True  # what follows pictures' names is their caption: text, not a heading
            continue
        if caption_next:
            caption_next = False
            if len(text) <= 200 and not is_chrome_line(text) and not _BULLET.match(text):
                page.units.append(Unit("para", text))
                seen_para = True
                previous = text
                continue
        if skip_field_value:
            skip_field_value = False
            if is_heading_like(text):
                page.fields.append(text)  # "Type:" / "Media Watch": kept apart, not quoted
                page.dropped.append(text)
                continue
        if _FIELD_LABEL.match(text):
            page.dropped.append(text)
            skip_field_value = True
            continue
        updated = last_updated(text)
        if updated is not False:
            if isinstance(updated, date):
                page.updated = updated
            page.dropped.append(text)
            continue
        if is_chrome_line(text) or is_caption(text):
            page.dropped.append(text)
            continue
        if not seen_para and (printed := printed_date(text)) is not None:
            day, rest_at = printed
            page.printed_date = page.printed_date or day
            rest = text[rest_at:].strip(" .,:–-")
            page.dropped.append(text[:rest_at])
            if not rest:
                continue
            text = rest
        elif seen_para and len(text) <= 40 and (found := find_dates(text)) and found[0].start == 0 and found[0].end >= len(text.rstrip(". ")):
            page.dropped.append(text)  # a date line amid the text (a listing's, or a caption's)
            continue
        if text == previous and len(text) <= 160:
            # printed twice in a row: a headline shown as title and heading, or an image's alt and caption
            if not seen_para:
                page.doubled.append(text)
            else:
                last = page.units.pop() if page.units and page.units[-1].text == text else None
                page.dropped.append(text if last is None else text + " (twice)")
            previous = text
            continue
        previous = text
        if _BULLET.match(text):
            page.units.append(Unit("item", _BULLET.sub("", text, count=1)))
            seen_para = True
        elif "\t" in text or text.count(" | ") >= 2:
            page.units.append(Unit("row", re.sub(r"\s*(?:\t+|\s\|\s)\s*", " | ", text).strip(" |")))
        elif is_heading_like(text, top=not seen_para):
            page.units.append(Unit("heading", text))
            if not seen_para:
                page.top_lines.append(page.units[-1].text)
        else:
            page.units.append(Unit("para", text))
            seen_para = True
    return page


def page_title(page: Page) -> str | None:
    """The page's own title: a doubled headline, else the first heading line before the text."""
    if page.doubled:
        return page.doubled[0]
    return page.top_lines[0] if page.top_lines else None


def slug_title(url: str | None) -> str | None:
    """A title spelled by a URL's last segment when its author cased it (``WCS-The-Convention-on-…``)."""
    if not url:
        return None
    from urllib.parse import unquote, urlsplit

    segments = [seg for seg in unquote(urlsplit(url).path).split("/") if seg]
    if not segments:
        return None
    slug = re.sub(r"\.(?:aspx?|html?|php|ghtml)$", "", segments[-1])
    words = [w for w in re.split(r"[-_+]+", slug) if w]
    if len(words) < 4 or not any(c.isupper() for c in slug) or sum(w.isalpha() for w in words) < 0.7 * len(words):
        return None
    return " ".join(words)


def first_sentence_title(text: str, limit: int = 110) -> str:
    """A title made from a lead sentence when a page prints none: the sentence (after any
    dateline), cut at a word."""
    from bot.ingest.datelines import find_dateline

    line = find_dateline(text) or find_glued_dateline(text)
    if line is not None and text[line.end:].strip():
        text = text[line.end:].strip()
        text = text[0].upper() + text[1:]
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", text.strip(), maxsplit=1)[0].rstrip(".")
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:–- ")
    return cut + " …"


_ROW_SYMBOL = re.compile(r"^(?:UNEP|PNUMA|PNUE)/[A-Z]+/\S+\s+\S")
_SHORT = 60  # a fragment shorter than this is merged into what follows
_LIST_KEEP = 5  # a lead-in keeps at most this many list items in its own passage
_LIST_CHARS = 700


def page_passages(page: Page, *, skip_title: str | None = None, first_number: int = 1) -> list[PassageDraft]:
    """Passages from ``page.units``: ``para. N`` (paragraphs, with a short list), ``item N``, ``row N``."""
    drafts: list[PassageDraft] = []
    heading: str | None = None
    carry: list[str] = []  # short fragments waiting for the next paragraph
    number = first_number - 1
    rows: list[str] = []
    header_row: str | None = None
    units = list(page.units)
    if skip_title is not None:
        for i, unit in enumerate(units):
            if unit.role == "heading" and unit.text == skip_title:
                del units[i]
                break
            if unit.role == "para":
                break

    def context() -> str | None:
        return heading

    def emit(locator_kind: str, text: str, ctx: str | None) -> None:
        nonlocal number
        number += 1
        drafts.append(PassageDraft(f"{locator_kind} {number}", text, context=ctx))

    def flush_rows() -> None:
        nonlocal rows, header_row
        for row in rows:
            emit("row", row, " — ".join(filter(None, (heading, header_row))) or None)
        rows, header_row = [], None

    i = 0
    while i < len(units):
        unit = units[i]
        if unit.role != "row" and rows:
            flush_rows()
        if unit.role == "heading":
            # a run of short lines: a heading, or (three or more) a list of short items
            run = [unit.text]
            while i + 1 < len(units) and units[i + 1].role == "heading":
                i += 1
                run.append(units[i].text)
            nxt = units[i + 1] if i + 1 < len(units) else None
            if sum(1 for line in run if _ROW_SYMBOL.match(line)) >= 2:
                # a documents table flattened to lines: "UNEP/CMS/COP11/Doc.4 Rules of Procedure", one row each
                header = next((line for line in run if not _ROW_SYMBOL.match(line) and re.search(r"\b(?:Title|Number|Symbol)\b", line)), None)
                if not _ROW_SYMBOL.match(run[0]) and run[0] != header:
                    heading = run[0]  # the table's title above it
                others = [line for line in run[1:] if not _ROW_SYMBOL.match(line) and line != header]
                if others:  # the table's caption lines ("Venue Quorum Quito") kept, as one passage
                    emit("para.", "\n".join(others), heading)
                for line in run:
                    if _ROW_SYMBOL.match(line):
                        emit("row", line, " — ".join(filter(None, (heading, header))) or None)
            elif nxt is None:
                carry.extend(run)  # short lines at the very end (a page cut off): kept as text
            elif len(run) >= 3:
                heading = run[0]
                emit("para.", "\n".join(run[1:]), heading)
            else:
                heading = " — ".join(run)
            i += 1
            continue
        if unit.role == "row":
            if header_row is None and not rows:
                header_row = unit.text
            else:
                rows.append(unit.text)
            i += 1
            continue
        if unit.role == "item":
            items = [unit.text]
            while i + 1 < len(units) and units[i + 1].role == "item":
                i += 1
                items.append(units[i].text)
            lead = drafts[-1] if drafts and drafts[-1].text.rstrip().endswith(":") and drafts[-1].locator.startswith("para.") else None
            if len(items) <= _LIST_KEEP and sum(map(len, items)) <= _LIST_CHARS:
                block = "\n".join("- " + item for item in items)
                if lead is not None:
                    drafts[-1] = PassageDraft(lead.locator, lead.text + "\n" + block, context=lead.context)
                else:
                    emit("para.", "\n".join(carry + [block]) if carry else block, context())
                    carry = []
            else:
                ctx = " — ".join(filter(None, (heading, lead.text if lead else None))) or None
                for item in items:
                    emit("item", item, ctx)
            i += 1
            continue
        text = unit.text
        if len(text) < _SHORT and i + 1 < len(units) and units[i + 1].role == "para":
            carry.append(text)
            i += 1
            continue
        if carry:
            text = "\n".join(carry + [text])
            carry = []
        emit("para.", text, context())
        i += 1
    if rows:
        flush_rows()
    if carry:
        emit("para.", "\n".join(carry), context())
    return drafts
