"""The plain data that flows through cmsbot: documents, passages, meetings, answers.

Everything here is a frozen dataclass with no behaviour beyond formatting, so each
stage (ingest → search → answer → frontends) can hand its output on without the
next stage reaching back.
"""

from __future__ import annotations

from typing import Any
from dataclasses import dataclass, field
from datetime import date

#: The kinds of document the corpus holds, as written in front matter (parsers: bot/ingest/kinds.py).
#: ``page`` is anything no other kind fits: indexed, and reported as a warning.
KINDS: tuple[str, ...] = (
    "news_listing", "press_release", "cop_document",
    "news_item", "notification", "meeting_page", "resolution", "meeting_report", "statement", "page",
)

#: How each kind is named to a reader.
def N_(msgid: str) -> str:
    """Marks a label for the message catalogue (bot/locale); frontends translate it where they show it."""
    return msgid


KIND_LABELS: dict[str, str] = {
    "news_listing": N_("news"),
    "press_release": N_("press release"),
    "cop_document": N_("COP document"),
    "news_item": N_("news item"),
    "notification": N_("notification"),
    "meeting_page": N_("meeting page"),
    "resolution": N_("resolution or decision"),
    "meeting_report": N_("meeting report"),
    "statement": N_("statement"),
    "page": N_("web page"),
    "meetings_table": N_("meetings table"),
}

MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def format_date(value: date | None) -> str:
    """Render a date the one way cmsbot shows dates: ``12 February 2024``."""
    if value is None:
        return "undated"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


@dataclass(frozen=True)
class DateSpan:
    """A day or a range of days; a single day has ``start == end``."""

    start: date
    end: date

    @classmethod
    def day(cls, value: date) -> DateSpan:
        return cls(value, value)

    def __str__(self) -> str:
        if self.start == self.end:
            return format_date(self.start)
        return f"{format_date(self.start)} – {format_date(self.end)}"

    def contains(self, value: date) -> bool:
        return self.start <= value <= self.end


@dataclass(frozen=True)
class Meeting:
    """One Conference of the Parties, as listed in ``meetings.yaml``."""

    number: int
    city: str
    country: str
    start: date
    end: date
    verified: bool = False
    source: str | None = None
    note: str | None = None

    @property
    def code(self) -> str:
        """``COP14``."""
        return f"COP{self.number}"

    @property
    def place(self) -> str:
        return f"{self.city}, {self.country}"

    @property
    def dates(self) -> DateSpan:
        return DateSpan(self.start, self.end)


@dataclass(frozen=True)
class Document:
    """One corpus file, parsed: its metadata and its body text (front matter removed)."""

    source: str  # path relative to the corpus root, with forward slashes
    kind: str
    title: str
    date: date | None
    body: str
    url: str | None = None
    symbol: str | None = None
    meeting: int | None = None
    place: str | None = None
    subtitle: str | None = None
    agenda_item: str | None = None
    #: Dates the text mentions, kept apart from the document's own date.
    mentioned_dates: tuple[DateSpan, ...] = ()
    #: Language of the text (en, fr, es, pt; de when German): front matter, URL, else detected.
    lang: str = "en"
    #: Where ``date`` came from: "front matter", "dateline", "printed", "url", "last updated"
    #: (a change date, not the publication date), or a parser's own reading ("text").
    date_source: str | None = None
    #: Every meeting the page is about, most central first (``meeting`` is the first).
    meetings: tuple[int, ...] = ()


@dataclass(frozen=True)
class Passage:
    """The unit of citation: a verbatim stretch of one document, with everything needed to cite it."""

    id: str  # stable: derived from source path + locator
    source: str
    kind: str
    title: str  # what a citation names: the item's own title for a news item, else the document title
    document_title: str
    date: date | None  # the passage's own date (a news item's date), else the document's
    locator: str  # "item 4", "para. 8", "Decision 14.AA", "headline", "para. 3"
    text: str  # verbatim from the source
    position: int  # order within the corpus (document order, then passage order)
    url: str | None = None
    symbol: str | None = None
    meeting: int | None = None
    place: str | None = None
    #: Extra searchable context that is not quoted: a section heading, an addressee, a speaker.
    context: str | None = None
    #: The document's language; the passage is analyzed (stemmed, stopwords) in it.
    lang: str = "en"


def passage_ref(passage_id: str) -> str:
    """A passage id in a form that survives a URL: ``#`` (a fragment to every HTTP client) → ``~``.
    ``press/cop14-opening-2024-02-12#para-4`` → ``press/cop14-opening-2024-02-12~para-4``."""
    return passage_id.replace("#", "~")


def passage_id_from_ref(ref: str) -> str:
    """The id a :func:`passage_ref` stands for (an id without ``#`` has its last ``~`` turned back)."""
    if "#" in ref or "~" not in ref:
        return ref
    head, _, tail = ref.rpartition("~")
    return f"{head}#{tail}"


@dataclass(frozen=True)
class Hit:
    """A ranked passage."""

    passage: Passage
    score: float


@dataclass(frozen=True)
class Citation:
    """A passage as cited in an answer: the verbatim quote (possibly trimmed with an ellipsis)."""

    passage: Passage
    quote: str
    score: float
    #: Character spans in ``quote`` of the words that matched the question.
    highlights: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Answer:
    """What the engine says to a question; frontends only render this."""

    question: str
    found: bool
    answer: str | None  # the direct answer, only when extracted from a cited sentence or the meetings table
    citations: tuple[Citation, ...] = ()
    #: What the engine searched for, for the not-found message: terms and filters in words.
    looked_for: str = ""
    #: A short note for the reader: what the bot covers (when not found), or how the question was read.
    note: str | None = None
    #: Further citations beyond the first page, for "more sources".
    more: tuple[Citation, ...] = field(default=(), repr=False)
    #: The language to reply in (the question's; en, fr, es or pt): what frontends render their own words in.
    lang: str = "en"
    #: What a follow-up took from its conversation ("COP14, from your last question"), or None.
    context_note: str | None = None
    #: The conversation context this reply leaves (a ``bot.question.context.Context``), for the next question.
    context: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class CorpusStats:
    """What the bot holds: for /about, `cmsbot index` summaries and not-found replies."""

    documents: int
    passages: int
    documents_by_kind: dict[str, int]
    passages_by_kind: dict[str, int]
    first_date: date | None
    last_date: date | None
    meetings: tuple[int, ...]  # meeting numbers the corpus has passages for
