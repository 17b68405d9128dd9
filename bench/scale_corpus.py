"""A generated corpus at the scale of all of CMS, recombined from the dev set's real pages.

    python bench/scale_corpus.py --out DIR [--documents 6000] [--seed 11]

Every generated file is a page "as fetched": front matter with ``url`` and (where its template has
one) ``date`` only, then a body. Bodies are the real pages of ``../shared/devset/docs`` and
``../shared/devset/multilingual/docs`` taken apart and put back together with a fixed seed:

- a *template* page (its kind, site, URL pattern, headline lines, datelines, "WHEN/WHERE" blocks,
  "Last updated on" and taxonomy lines) is kept around a new run of paragraphs;
- each paragraph is a real paragraph of the same language, or 2–5 real sentences of that language
  joined into one;
- everything is moved to a target meeting: ``COP11`` / ``11th`` / ``Eleventh`` → the target's number,
  the source meeting's city and country → the target's, years shifted by the meetings' distance;
  people's names and Latin species names swapped for others from the pages, counts ("34 proposals")
  varied;
- a share of the documents are COP documents built in the shape the ingester reads: symbol, date,
  "nth MEETING OF THE CONFERENCE OF THE PARTIES", place and dates, agenda item, title, summary,
  numbered paragraphs, an annex of draft decisions with their addressees. Titles come from the
  document and resolution lists of the real pages.

``corpus/meetings.yaml`` is copied beside the pages. The mix (news, press releases, meeting pages,
COP documents, fr/es/pt pages) and the paragraph counts are set so that 6,000 documents give
about 80,000 passages.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402


def shared_dir() -> Path:
    """The shared data folder: beside the checkout, or beside the folder of worktrees."""
    for parent in REPO.parents:
        if (parent / "shared" / "devset").is_dir():
            return parent / "shared"
    return REPO.parent / "shared"


_ORDINALS = ["", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
             "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth"]
_SUFFIX = {1: "st", 2: "nd", 3: "rd"}
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_COP = re.compile(r"\b(COP|CoP)(\s?-?\s?)(\d{1,2})\b")
_YEAR = re.compile(r"(?<![\d/.])(19[89]\d|20[0-3]\d)(?![\d/])")
_COUNT = re.compile(r"(?<![\d.,/-])\b(\d{1,3})(?= [a-z]{3,})")
_NAME = re.compile(
    r"\b(?:Mr\.?|Ms\.?|Mrs\.?|Dr\.?|H\.E\.|Minister|Secretary|Prof\.?|Professor)\s+((?:[A-Z][a-zé]+\s){1,2}[A-Z][a-zé]+)"
    r"|\b((?:[A-Z][a-zé]+\s)[A-Z][a-zé]{2,}),\s+(?:the\s+)?(?:CMS\s+)?(?:Executive|Minister|Director|Head|Chair|President|Secretary|Deputy)"
    r"|\bsaid\s+((?:[A-Z][a-zé]+\s)[A-Z][a-zé]{2,})\b")
_BINOMIAL = re.compile(r"\(([A-Z][a-z]+ [a-z]{3,})\)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class Page:
    name: str
    url: str
    kind: str
    day: date | None
    lang: str
    blocks: list[str]
    meeting: int | None


@dataclass
class Meeting:
    number: int
    city: str
    country: str
    start: date
    end: date


@dataclass
class Pools:
    pages: list[Page]
    paragraphs: dict[str, list[tuple[str, int | None, str]]] = field(default_factory=dict)  # lang → (text, meeting, kind)
    sentences: dict[str, list[tuple[str, int | None]]] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    species: list[str] = field(default_factory=list)
    doc_titles: list[str] = field(default_factory=list)


def read_page(path: Path, lang: str, header: dict[str, str] | None = None) -> Page:
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    meta = dict(header or {})
    for line in head.splitlines():
        key, _, value = line.partition(":")
        meta.setdefault(key.strip(), value.strip())
    raw_date = meta.get("date", "unknown")
    day = date.fromisoformat(raw_date) if raw_date not in ("", "unknown") else None
    blocks = [b.strip("\n") for b in re.split(r"\n[ \t]*\n+", body) if b.strip()]
    counts = Counter(int(m.group(3)) for m in _COP.finditer(body + " " + meta.get("url", "")))
    meeting = counts.most_common(1)[0][0] if counts else None
    return Page(path.name, meta.get("url", ""), meta.get("kind", "news"), day, lang, blocks, meeting)


def _is_prose(block: str) -> bool:
    return len(block) >= 120 and block.rstrip().endswith((".", "”", '"', ")", "!", "?")) and "\n" not in block.strip()


def load_pools(shared: Path) -> Pools:
    pages = [read_page(p, "en") for p in sorted((shared / "devset" / "docs").glob("*.txt"))]
    ml = shared / "devset" / "multilingual"
    for path in sorted((ml / "docs").glob("*.txt")):
        lang = path.name.split("_")[1] if path.name.count("_") >= 2 else "en"
        pages.append(read_page(path, lang))
    pools = Pools(pages)
    names: set[str] = set()
    species: set[str] = set()
    titles: set[str] = set()
    for page in pages:
        for block in page.blocks:
            for m in _NAME.finditer(block):
                names.add(m.group(1) or m.group(2) or m.group(3))
            species.update(m.group(1) for m in _BINOMIAL.finditer(block))
            for line in block.split("\n"):
                if m := re.match(r"^(?:UNEP/CMS/COP\d+/Doc\.[\w.]+(?:/Rev\.\d)?|Resolution \d+\.\d+(?: \(Rev\.COP\d+\))?)\s+(.{8,90})$", line.strip()):
                    titles.add(m.group(1).strip())
            for line in block.split("\n"):
                if not _is_prose(line):
                    continue
                pools.paragraphs.setdefault(page.lang, []).append((line, page.meeting, page.kind))
                for sentence in _SENTENCE.split(line):
                    if 40 <= len(sentence) <= 500 and sentence.rstrip().endswith((".", "”", '"', ")")):
                        pools.sentences.setdefault(page.lang, []).append((sentence, page.meeting))
    pools.names = sorted(n for n in names if len(n.split()) >= 2 and not {"Union", "Minister", "Secretary", "Executive"} & set(n.split()))
    pools.species = sorted(species)
    pools.doc_titles = sorted(titles)
    return pools


def load_meetings(path: Path) -> dict[int, Meeting]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {r["number"]: Meeting(r["number"], r["city"], r["country"], r["start"], r["end"]) for r in rows}


class Varier:
    """Moves a text from one meeting to another and swaps names, species and counts."""

    def __init__(self, rng: random.Random, meetings: dict[int, Meeting], pools: Pools) -> None:
        self.rng = rng
        self.meetings = meetings
        self.pools = pools
        self._names = re.compile("|".join(re.escape(n) for n in sorted(pools.names, key=len, reverse=True))) \
            if pools.names else None

    def move(self, text: str, source: int | None, target: int) -> str:
        rng = self.rng
        src = self.meetings.get(source) if source is not None else None
        dst = self.meetings[target]
        if src is not None and src.number != dst.number:
            shift = dst.start.year - src.start.year
            text = _YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
            text = _COP.sub(lambda m: f"{m.group(1)}{m.group(2)}{dst.number if int(m.group(3)) == src.number else m.group(3)}", text)
            text = re.sub(rf"\b{_ORDINALS[src.number]}\b", _ORDINALS[dst.number], text)
            text = re.sub(rf"\b{_ORDINALS[src.number].upper()}\b", _ORDINALS[dst.number].upper(), text)
            text = re.sub(rf"\b{src.number}\s?(?:st|nd|rd|th)\b", f"{dst.number}{_SUFFIX.get(dst.number % 10 if dst.number > 13 else 0, 'th')}", text)
            for old, new in ((src.city, dst.city), (src.country, dst.country)):
                text = text.replace(old, new)
        if self._names is not None:
            text = self._names.sub(lambda m: rng.choice(self.pools.names) if rng.random() < 0.7 else m.group(0), text)
        if self.pools.species:
            text = _BINOMIAL.sub(lambda m: f"({rng.choice(self.pools.species)})" if rng.random() < 0.5 else m.group(0), text)
        return _COUNT.sub(lambda m: str(max(2, int(int(m.group(1)) * rng.uniform(0.5, 1.8)))) if rng.random() < 0.5 else m.group(0), text)


class Generator:
    """Pages of every kind for a target meeting, from the pools."""

    def __init__(self, seed: int, pools: Pools, meetings: dict[int, Meeting]) -> None:
        self.rng = random.Random(seed)
        self.pools = pools
        self.meetings = meetings
        self.varier = Varier(self.rng, meetings, pools)
        self.templates: dict[str, list[Page]] = {}
        for page in pools.pages:
            key = page.lang if page.lang != "en" else page.kind
            self.templates.setdefault(key, []).append(page)

    def target_meeting(self) -> int:
        # More texts about recent meetings, as on the sites.
        return self.rng.choices(range(9, 16), weights=[1, 1, 2, 2, 3, 4, 3])[0]

    def paragraph(self, lang: str, target: int, kind: str | None = None) -> str:
        rng = self.rng
        pool = self.pools.paragraphs.get(lang) or self.pools.paragraphs["en"]
        if rng.random() < 0.45:
            same = [p for p in pool if p[2] == kind] if kind else []
            text, source, _ = rng.choice(same if same and rng.random() < 0.6 else pool)
            return self.varier.move(text, source, target)
        sentences = self.pools.sentences.get(lang) or self.pools.sentences["en"]
        picked = [rng.choice(sentences) for _ in range(rng.randint(2, 5))]
        return " ".join(self.varier.move(s, source, target) for s, source in picked)

    def page_from_template(self, key: str, index: int) -> tuple[str, str, date | None]:
        """(url, body, date) of a page shaped like a real one of ``key`` (a kind, or a language)."""
        rng = self.rng
        template = rng.choice(self.templates[key])
        target = self.target_meeting()
        blocks = template.blocks
        prose = [i for i, b in enumerate(blocks) if _is_prose(b)]
        first, last = (prose[0], prose[-1]) if prose else (min(2, len(blocks)), min(2, len(blocks)) - 1)
        head = [self.varier.move(b, template.meeting, target) for b in blocks[:first]]
        tail = [self.varier.move(b, template.meeting, target) for b in blocks[last + 1:]]
        count = {"news": rng.randint(4, 12), "press_release": rng.randint(5, 12),
                 "meeting_page": rng.randint(5, 14)}.get(template.kind, rng.randint(4, 10))
        middle = [self.paragraph(template.lang, target, template.kind) for _ in range(count)]
        if template.kind == "meeting_page" and rng.random() < 0.5:
            middle.append("\n".join(f"UNEP/CMS/COP{target}/Doc.{rng.randint(4, 30)}.{rng.randint(1, 9)} {rng.choice(self.pools.doc_titles)}"
                                    for _ in range(rng.randint(3, 12))))
        body = "\n\n".join(head + middle + tail) + "\n"
        day = None
        if template.day is not None:
            src = self.meetings.get(template.meeting) if template.meeting else None
            shift = (self.meetings[target].start.year - src.start.year) if src else rng.randint(-3, 3)
            day = _safe_date(template.day.year + shift, template.day.month, template.day.day)
            day = day + timedelta(days=rng.randint(-20, 20))
        return _url_variant(template.url, target, index), body, day

    def cop_document(self, index: int) -> tuple[str, str, date]:
        """A COP document in the shape of UNEP/CMS/COPnn/Doc.x: cover, summary, numbered paragraphs, annex."""
        rng = self.rng
        target = self.target_meeting()
        m = self.meetings[target]
        item = f"{rng.randint(4, 32)}.{rng.randint(1, 9)}"
        symbol = f"UNEP/CMS/COP{target}/Doc.{item}" + (f"/Rev.{rng.randint(1, 2)}" if rng.random() < 0.15 else "")
        day = m.start - timedelta(days=rng.randint(30, 150))
        title = rng.choice(self.pools.doc_titles) if self.pools.doc_titles else "Report of the Secretariat"
        lines = [
            "CONVENTION ON MIGRATORY SPECIES",
            symbol,
            f"{day.day} {_MONTHS[day.month - 1]} {day.year}",
            "Original: English",
            "",
            f"{_ORDINALS[target].upper()} MEETING OF THE CONFERENCE OF THE PARTIES",
            f"{m.city}, {m.country}, {m.start.day} - {m.end.day} {_MONTHS[m.end.month - 1]} {m.end.year}"
            if m.start.month == m.end.month else
            f"{m.city}, {m.country}, {m.start.day} {_MONTHS[m.start.month - 1]} - {m.end.day} {_MONTHS[m.end.month - 1]} {m.end.year}",
            f"Agenda Item {item}",
            "",
            title.upper(),
            "",
            f"(Prepared by the {rng.choice(['Secretariat', 'Scientific Council', 'Standing Committee', 'Government of ' + m.country])})",
            "",
            "Summary:",
            "",
            self.paragraph("en", target),
            "",
        ]
        number = 1
        for section in rng.sample(["BACKGROUND", "INTRODUCTION", "Implementation", "Discussion and analysis",
                                   "Progress since the last meeting", "Recommended actions"], rng.randint(2, 4)):
            lines += [section, ""]
            for _ in range(rng.randint(3, 9)):
                lines += [f"{number}. {self.paragraph('en', target, 'cop_document')}", ""]
                number += 1
        if rng.random() < 0.7:
            lines += [f"ANNEX {rng.randint(1, 3)}", "", "DRAFT DECISIONS", ""]
            for letter in range(rng.randint(2, 6)):
                who = rng.choice(["Parties", "the Secretariat", "the Scientific Council", "the Standing Committee",
                                  "Parties and non-Parties"])
                code = chr(ord("A") + letter) * 2
                lines += [f"Directed to {who}", "", f"{target}.{code} {self.paragraph('en', target, 'cop_document')}", ""]
        slug = _SLUG.sub("_", title.lower()).strip("_")[:60]
        url = f"https://www.cms.int/sites/default/files/document/cms_cop{target}_doc.{item}_{slug}_{index}_e.pdf"
        return url, "\n".join(lines) + "\n", day


def _safe_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, 28)


def _url_variant(url: str, target: int, index: int) -> str:
    """The template's address, moved to the target meeting and made unique."""
    url = re.sub(r"cop-?\d{1,2}", lambda m: re.sub(r"\d+", str(target), m.group(0)), url, flags=re.IGNORECASE)
    base, dot, ext = url.rpartition(".")
    if dot and ext.lower() in ("html", "htm", "ghtml", "pdf", "php"):
        return f"{base}-{index}.{ext}"
    return f"{url.rstrip('/')}-{index}"


#: Share of each kind of generated document (the rest: English news).
MIX = (("cop_document", 0.25), ("press_release", 0.11), ("meeting_page", 0.07), ("fr", 0.05), ("es", 0.045), ("pt", 0.035))


def generate(out: Path, documents: int, seed: int = 11, shared: Path | None = None) -> dict[str, int]:
    """Write ``documents`` pages and meetings.yaml into ``out``; returns the count of each kind written."""
    shared = shared or shared_dir()
    pools = load_pools(shared)
    meetings = load_meetings(REPO / "corpus" / "meetings.yaml")
    gen = Generator(seed, pools, meetings)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "corpus" / "meetings.yaml", out / "meetings.yaml")
    written: Counter[str] = Counter()
    kinds = [k for k, _ in MIX] + ["news"]
    weights = [w for _, w in MIX] + [1 - sum(w for _, w in MIX)]
    for i in range(documents):
        kind = gen.rng.choices(kinds, weights=weights)[0]
        if kind == "cop_document":
            url, body, day = gen.cop_document(i)
        else:
            url, body, day = gen.page_from_template(kind, i)
        front = [f"url: {url}"] + ([f"date: {day.isoformat()}"] if day else [])
        folder = out / f"{i // 500:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"{i:05d}_{kind}.md").write_text("---\n" + "\n".join(front) + "\n---\n" + body, encoding="utf-8")
        written[kind] += 1
    return dict(written)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--documents", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    print(generate(args.out, args.documents, args.seed))


if __name__ == "__main__":
    main()
