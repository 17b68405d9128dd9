"""A question → a :class:`Query`: search terms plus what the question says about meetings,
dates, kinds, exact symbols and the kind of fact wanted."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.cms.dates import find_dates
from bot.cms.meetings import MeetingRegistry
from bot.model import DateSpan
from bot.search.analyzer import analyze, analyze_with_spans

#: Questions are cut here: a question of any length is answered, but only its start is read.
MAX_QUESTION_CHARS = 1000

_QTYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("how_many", re.compile(r"\b(?:how\s+many|how\s+much|what\s+(?:is\s+the\s+)?number\s+of|number\s+of|by\s+how\s+much)\b")),
    ("how_old", re.compile(r"\bhow\s+old\b")),
    ("when", re.compile(r"^(?:and\s+|so\s+)?(?:when|since\s+when|(?:on|in)\s+(?:what|which)\s+(?:date|day|year|month)|what\s+(?:date|day|year|month|time)|which\s+(?:date|day|year|month))\b|\bwhen(?:'s)?\b")),
    ("where", re.compile(r"^(?:and\s+|so\s+)?(?:where|(?:in\s+)?(?:what|which)\s+(?:city|country|place|venue|location))\b|\b(?:location|where|which\s+(?:city|country)|what\s+(?:city|country))\b")),
    ("who", re.compile(r"^(?:and\s+|so\s+)?(?:who|whom|whose)\b|\bwho\b")),
    ("which", re.compile(r"^(?:and\s+|so\s+)?(?:(?:under|in|at|from|by|for|on|to|with|of)\s+)?which\b")),
    ("what", re.compile(r"^(?:and\s+|so\s+)?(?:(?:under|in|at|from|by|for|on|to|with|of)\s+)?what(?:'s|s)?\b")),
)
_KIND_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("press_release", re.compile(r"\bpress[\s-]+releases?\b", re.IGNORECASE)),
    ("news_listing", re.compile(r"\bnews\b", re.IGNORECASE)),
    ("cop_document", re.compile(r"\b(?:cop\s+|meeting\s+|official\s+)?documents?\b", re.IGNORECASE)),
)
_LATEST = re.compile(r"\b(?:latest|most\s+recent|recent(?:ly)?|newest|lately|last\s+update|up\s+to\s+date)\b", re.IGNORECASE)
_UNKNOWN_COP = re.compile(r"\b(?:CMS[\s-]*)?CoP[\s-]?(?P<num>\d{1,3})\b", re.IGNORECASE)
_YEAR_FILTER = re.compile(r"\b(?P<rel>in|during|before|after|since|of)\s+(?P<year>(?:19|20)\d{2})\b(?![-/.]\d)", re.IGNORECASE)
_DATE_RELATION = re.compile(r"\b(?P<rel>before|after|since|until|till|by)\s*$", re.IGNORECASE)
_MEETING_RELATION = re.compile(r"\b(?P<rel>before|after|since)\s+(?:the\s+)?$", re.IGNORECASE)
_SMALL_TALK = re.compile(
    r"^\W*(?:hi|hello|hey|hiya|yo|thanks?(?:\s+you)?(?:\s+(?:so|very)\s+much)?|thx|ty|cheers|ok(?:ay)?|cool|great|nice"
    r"|good\s+(?:morning|afternoon|evening|night)|bye|goodbye|help|test(?:ing)?)(?:\s+(?:cmsbot|bot|there|all))?\W*$",
    re.IGNORECASE,
)
_PARAGRAPH = re.compile(r"\bpara(?:graph)?s?\.?\s*(?P<num>\d{1,3})\b", re.IGNORECASE)
_FUTURE_YEAR = re.compile(r"\b(?P<year>20[3-9]\d)\b")
_MEETING_ITSELF = frozenset({"cop", "meet", "confer", "session"})
_HOW_MANY_NOUN = re.compile(r"\bhow\s+many\s+(?:(?:of\s+)?the\s+)?(?P<noun>[A-Za-z][\w'-]*)", re.IGNORECASE)
_MENTION = re.compile(r"<@[!&]?\d+>|@(?:everyone|here)\b")

#: Words that only say "the meeting itself": a question left with nothing else is about the meeting.
MEETING_WORDS = frozenset(analyze(
    "cop cms meeting conference parties party held hold take took place open opened opening start started"
    " begin began end ended close closed date dates host hosted city country venue location located happen"
    " convene convened run ran year month day time week schedule scheduled last"
))


def _synonym_table(groups: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for group in groups:
        terms = tuple(dict.fromkeys(analyze(group)))
        for term in terms:
            table[term] = tuple(t for t in terms if t != term)
    return table


#: Words CMS texts use for what people ask in other words: "listing" a species means adding it
#: to the Appendices; British and American spellings.
SYNONYMS: dict[str, tuple[str, ...]] = _synonym_table((
    "listing appendix appendices",
    "organisation organization",
    "analyse analyze analysis",
    "centre center",
    "programme program",
    "recognised recognized",
    "endorse adopt",
    "slogan motto tagline",
    "enter entry",  # "entered into force" = "entry into force"
))

#: Idioms of questions, searched as the word CMS texts use ("when will the website go live?"
#: is about when it is launched).
_IDIOMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:go|goes|going|gone|went)\s+live\b", re.IGNORECASE), "launch"),
    (re.compile(r"\bkick(?:s|ed|ing)?\s+off\b", re.IGNORECASE), "open"),
)


def _plain_words(text: str) -> str:
    for pattern, word in _IDIOMS:
        text = pattern.sub(word, text)
    return text


#: Words that only say what kind of fact is wanted ("how old"), not what it is about.
_QTYPE_WORDS = {"how_old": frozenset(analyze("old age"))}


@dataclass(frozen=True)
class Query:
    text: str
    terms: tuple[str, ...]
    qtype: str
    meetings: tuple[int, ...] = ()  # meetings the question names (a boost)
    meeting_filter: int | None = None  # a meeting chosen explicitly (a filter)
    kind_filter: str | None = None
    kind_from_text: bool = False  # True: the kind came from the question's words, so it may be relaxed
    span: DateSpan | None = None
    latest: bool = False
    exact_terms: tuple[str, ...] = ()  # symbols and decision numbers that must match
    locator: str | None = None
    unknown_meeting: int | None = None
    future_year: int | None = None
    #: The question is about a meeting itself (when/where was COPn), answerable from meetings.yaml.
    about_meeting: bool = False
    content_terms: tuple[str, ...] = field(default=())
    #: What a how-many question counts: the word after "how many" ("Parties"), analyzed.
    counted_terms: tuple[str, ...] = ()
    #: A greeting or thanks, not a question.
    small_talk: bool = False

    def describe(self, registry: MeetingRegistry) -> str:
        """What was searched for, in words, for the not-found message."""
        parts = []
        if self.content_terms:
            parts.append("words: " + ", ".join(dict.fromkeys(self.content_terms)))
        for number in self.meetings or ((self.meeting_filter,) if self.meeting_filter else ()):
            m = registry.get(number)
            if m is not None:
                parts.append(f"meeting: {m.code} ({m.city})")
        if self.unknown_meeting is not None:
            parts.append(f"meeting: COP{self.unknown_meeting}")
        if self.kind_filter:
            parts.append("kind: " + self.kind_filter.replace("_", " "))
        if self.span is not None:
            parts.append(f"dates: {self.span}")
        if self.exact_terms:
            parts.append("exactly: " + ", ".join(self.exact_terms))
        if self.latest:
            parts.append("newest first")
        return "; ".join(parts) or "nothing searchable in the question"


_NAMED_DAY = re.compile(r"^(?:and\s+|so\s+)?(?:what|which)\s+(?:day|week|date)\b.*\b\d{1,2}\s+[a-z]+|"
                        r"^(?:and\s+|so\s+)?(?:what|which)\s+(?:day|week)\s+(?:is|was)\s+(?:celebrated|marked|held)\b")


def question_type(text: str) -> str:
    lowered = " ".join(text.lower().split())
    if _NAMED_DAY.search(lowered):
        return "what"  # "What day is celebrated on 23 October?" asks for a name, not a date
    for name, pattern in _QTYPES:
        if pattern.search(lowered):
            return name
    return "other"


def _is_exact(term: str) -> bool:
    """Symbols and decision/resolution numbers: ``unep/cms/cop14/doc.19``, ``doc.19``, ``14.aa``, ``11.9``."""
    return bool(re.fullmatch(r"(?:[a-z]+/)+[\w./]+|doc\.\d[\w.]*|\d{1,2}\.(?:[a-z]{1,3}|\d{1,3})|[a-z]/\d+/[a-z]\.\d+", term))


def _date_span(text: str, registry: MeetingRegistry) -> DateSpan | None:
    for found in find_dates(text):
        relation = _DATE_RELATION.search(text[: found.start])
        rel = relation.group("rel").lower() if relation else None
        if rel == "before" or rel in {"until", "till", "by"}:
            return DateSpan(date.min, found.span.start - timedelta(days=1) if rel == "before" else found.span.end)
        if rel in {"after", "since"}:
            return DateSpan(found.span.end + timedelta(days=1) if rel == "after" else found.span.start, date.max)
        return found.span
    if m := _YEAR_FILTER.search(text):
        year, rel = int(m.group("year")), m.group("rel").lower()
        if rel == "before":
            return DateSpan(date.min, date(year - 1, 12, 31))
        if rel in {"after", "since"}:
            return DateSpan(date(year + (rel == "after"), 1, 1), date.max)
        return DateSpan(date(year, 1, 1), date(year, 12, 31))
    for mention in registry.mentions(text):
        relation = _MEETING_RELATION.search(text[: mention.start])
        if relation:
            meeting = registry.get(mention.number)
            assert meeting is not None
            if relation.group("rel").lower() == "before":
                return DateSpan(date.min, meeting.start - timedelta(days=1))
            return DateSpan(meeting.end + timedelta(days=1), date.max)
    return None


def parse_question(
    question: str,
    registry: MeetingRegistry,
    *,
    meeting: int | None = None,
    kind: str | None = None,
) -> Query:
    """Read a question. ``meeting``/``kind`` are explicit choices (slash-command options) and filter."""
    text = _MENTION.sub(" ", question[:MAX_QUESTION_CHARS])
    qtype = question_type(text)
    # Idioms are read as the texts' word in questions only: a search for a headline's own words
    # ("COP11 kicks off") must still find that headline.
    terms = tuple(analyze(_plain_words(text) if qtype != "other" else text))
    # A meeting named as a time bound ("before COP14") sets the period, it is not the subject.
    mentions = tuple(dict.fromkeys(
        m.number for m in registry.mentions(text) if not _MEETING_RELATION.search(text[: m.start])))
    unknown = next((int(m.group("num")) for m in _UNKNOWN_COP.finditer(text) if registry.get(int(m.group("num"))) is None), None)
    future = next((int(m.group("year")) for m in _FUTURE_YEAR.finditer(text)
                   if int(m.group("year")) > max((x.end.year for x in registry.all()), default=0)), None)

    kind_filter, kind_from_text = kind, False
    if kind_filter is None:
        for name, pattern in _KIND_PATTERNS:
            if pattern.search(text):
                kind_filter, kind_from_text = name, True
                break

    span = _date_span(text, registry)
    exact = tuple(dict.fromkeys(t for t in terms if _is_exact(t)))
    para = _PARAGRAPH.search(text)
    meeting_tokens = {f"cop{n}" for n in mentions}
    for number in mentions:
        m = registry.get(number)
        if m is not None:
            meeting_tokens.update(analyze(f"{m.city} {m.country}"))
    spans = [(m.start, m.end) for m in registry.mentions(text)]
    in_mention = {t for t, s, e in analyze_with_spans(text) if any(ms <= s and e <= me for ms, me in spans)}
    asked = _QTYPE_WORDS.get(qtype, frozenset())
    # What "how many" counts is what the question is about, even a word like "Parties".
    counted = _HOW_MANY_NOUN.search(text) if qtype == "how_many" else None
    # (Not "how many COPs/meetings": those count meetings, which no passage states.)
    counted_terms = tuple(t for t in analyze(counted.group("noun")) if t not in _MEETING_ITSELF) if counted else ()
    content = tuple(
        t for t in terms
        if t in counted_terms or (t not in MEETING_WORDS and t not in meeting_tokens and t not in in_mention
                                  and t not in asked and not t.isdigit())
    )
    about_meeting = bool(mentions) and not content and not exact and qtype in {"when", "where", "which", "what", "other"}
    if qtype == "which" and mentions and not content:
        about_meeting = True
    return Query(
        text=text,
        terms=terms,
        qtype=qtype,
        meetings=mentions,
        meeting_filter=meeting,
        kind_filter=kind_filter,
        kind_from_text=kind_from_text,
        span=span,
        latest=bool(_LATEST.search(text)),
        exact_terms=exact,
        locator=f"para. {para.group('num')}" if para else None,
        unknown_meeting=unknown,
        future_year=future,
        about_meeting=about_meeting,
        content_terms=content,
        counted_terms=counted_terms,
        small_talk=bool(_SMALL_TALK.match(text)),
    )
