"""A question → a :class:`Query`: search terms plus what the question says about meetings,
dates, kinds, exact symbols and the kind of fact wanted."""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.answer import intl
from bot.cms.dates import find_dates
from bot.cms.meetings import MeetingRegistry
from bot.model import DateSpan
from bot.cms.synonyms import SYNONYMS
from bot.question.kinds import BY_NAME, QuestionKind, detect
from bot.question.kinds.base import fold_phrase
from bot.question.kinds.reference import MODIFIERS
from bot.search.analyzer import analyze, analyze_with_spans
from bot.text import question_words
from bot.text.lang import detect_language
from bot.text.stopwords import STOPWORDS_BY_LANG

#: Questions are cut here: a question of any length is answered, but only its start is read.
MAX_QUESTION_CHARS = 1000

_KIND_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("press_release", re.compile(r"\bpress[\s-]+releases?\b", re.IGNORECASE)),
    ("news_listing", re.compile(r"\bnews\b", re.IGNORECASE)),
    ("cop_document", re.compile(r"\b(?:cop\s+|meeting\s+|official\s+)?documents?\b", re.IGNORECASE)),
)
_LATEST = re.compile(r"\b(?:latest|most\s+recent|recent(?:ly)?|newest|lately|last\s+update|up\s+to\s+date)\b", re.IGNORECASE)
_UNKNOWN_COP = re.compile(r"\b(?:CMS[\s-]*)?CoP[\s-]?(?P<num>\d{1,3})\b", re.IGNORECASE)
_YEAR_FILTER = re.compile(r"\b(?P<rel>in|during|before|after|since|of)\s+(?P<year>(?:19|20)\d{2})\b(?![-/.]\d)", re.IGNORECASE)
_DATE_RELATION = re.compile(r"\b(?P<rel>before|after|since|until|till|by)\s*$", re.IGNORECASE)
_REVISION = re.compile(r"\bRev\.?\s*$", re.IGNORECASE)
_MEETING_RELATION = re.compile(r"\b(?P<rel>before|after|since)\s+(?:the\s+)?$", re.IGNORECASE)
_SMALL_TALK = re.compile(
    r"^\W*(?:hi|hello|hey|hiya|yo|thanks?(?:\s+you)?(?:\s+(?:so|very)\s+much)?|thx|ty|cheers|ok(?:ay)?|cool|great|nice"
    r"|good\s+(?:morning|afternoon|evening|night)|bye|goodbye|help|test(?:ing)?)(?:\s+(?:cmsbot|bot|there|all))?\W*$",
    re.IGNORECASE,
)
#: A request's opening words ("name some of the species …", "tell me about …", "give me …"): they
#: say what to do, not what to find.
_REQUEST = re.compile(r"^\W*(?:(?:and|so|ok|now|please)\s+)*(?:can\s+you\s+|could\s+you\s+)?(?P<words>name|list|give\s+me|"
                      r"tell\s+me(?:\s+about)?|show\s+me|mention)\s+(?=\w)", re.IGNORECASE)
#: Words asking for a building, which no meetings-table row names ("in which venue was it held?").
_VENUE_WORDS = frozenset(analyze("venue venues centre center building hall hotel auditorium"))
#: How many of a thing are asked for ("which three species …"): the answer's size, not a word it holds.
_COUNT_WORDS = frozenset(analyze("two three four five six seven eight nine ten eleven twelve"))
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
@functools.lru_cache(maxsize=8)
def meeting_words(lang: str) -> frozenset[str]:
    """Words that only say "the meeting itself" in a language: English's, and the event verbs
    (open, close, be held) of ``bot.text.question_words`` in that language."""
    if lang == "en":
        return MEETING_WORDS
    extra = (question_words.event_terms(event, lang) for event in ("open", "close", "held"))
    return MEETING_WORDS | frozenset().union(*extra) | frozenset(
        analyze("cop cdp conférence conferencia conferência réunion reunión reunião partes parties", lang))


#: Adverbs that only insist ("where was it actually located?") and words that only say "now" ("who
#: chairs it at the moment?"): never searched; written out so that a typo of one is known too.
INSISTING_WORDS = "actually really exactly precisely basically indeed moment nowadays currently yet already"
#: Words that only say where the asker read or heard it ("according to", "what did X say"): not searched.
SOURCE_WORDS = frozenset(analyze("according say said says tell told give gave given mention mentioned describe described"
                                 # and words asking for an opinion or a recommendation, which texts never give
                                 " best good nice cheap cheapest top favourite favorite recommend recommended"
                                 # and "expected", which asks what was planned: texts say "will gather", "will attend"
                                 " expect expected"
                                 # and words asking what was planned at first ("was supposed to"), likewise
                                 " supposed meant"
                                 # and words asking whether there is one, not what it is ("was there anything …?")
                                 " anything something anyone someone anybody somebody"
                                 " " + INSISTING_WORDS))


#: "When was COP14 originally supposed to take place?": a plan that changed is asked.
_FORMER_PLAN = re.compile(r"\b(?:originally|initially|supposed\s+to|meant\s+to|first\s+(?:planned|scheduled))\b", re.IGNORECASE)


#: The same in French, Spanish and Portuguese: saying verbs, "for example", "some of them", and
#: auxiliaries of the future ("vão ser convidados"); never searched in a question of that language.
_SOURCE_WORDS_INTL = {
    "fr": "dit dire disent a-t-il dit cite citer cité exemple quelques-uns quelques-unes certains selon",
    "es": "dijo dijeron dice dicen decir cita citó ejemplo algunos algunas según",
    "pt": "disse disseram diz dizem dizer cita citou exemplo alguns algumas segundo vão vai irão ser",
}


@functools.lru_cache(maxsize=8)
def filler_words(lang: str) -> frozenset[str]:
    """Words only saying where the fact was read, or filling, in ``lang`` (analyzed in it)."""
    return SOURCE_WORDS | frozenset(analyze(_SOURCE_WORDS_INTL.get(lang, ""), lang))


#: Idioms of questions, searched as the word CMS texts use ("when will the website go live?"
#: is about when it is launched).
_IDIOMS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "originally", "initially" ask for a first plan (``_FORMER_PLAN``), not for words: the stems
    # would be those of "original" and "initiative"
    (re.compile(r"\b(?:originally|initially)\b", re.IGNORECASE), " "),
    # "when did it come out?": when it was published, not a meeting that "came to a conclusion"
    (re.compile(r"\b(?:come|comes|came|coming)\s+out\b", re.IGNORECASE), "published"),
    (re.compile(r"\b(?:go|goes|going|gone|went)\s+live\b", re.IGNORECASE), "launch"),
    (re.compile(r"\bkick(?:s|ed|ing)?\s+off\b", re.IGNORECASE), "open"),
    (re.compile(r"\b(?:were|was|is|are|be)\s+on\s+the\s+table\b", re.IGNORECASE), "were considered"),
    (re.compile(r"\b(?:take|takes|took|taken|taking)\s+part\b", re.IGNORECASE), "participated"),
    (re.compile(r"\b(?:put|placed)\s+(?=(?:on|in|under)\s+(?:the\s+)?(?:cms\s+)?appendi)", re.IGNORECASE), "listed "),
    (re.compile(r"\b(?:turn|turns|turned|turning|show|shows|showed|shown|showing)\s+up\b", re.IGNORECASE), "attended"),
    # "are they getting better or worse?": a trend, which texts write as improved or declined
    (re.compile(r"\b(?:getting|get|gets|got|gotten)\s+better\s+or\s+worse\b", re.IGNORECASE), "improving or declining"),
    (re.compile(r"\b(?:getting|get|gets|got|gotten)\s+better\b", re.IGNORECASE), "improving"),
    (re.compile(r"\b(?:getting|get|gets|got|gotten)\s+worse\b", re.IGNORECASE), "declining"),
)
#: A phrase the question quotes ('made borders disappear'): the words of a text it was read in.
_QUOTED_PHRASE = re.compile(r"(?:^|[\s(])[\"“‘'](?P<phrase>[^\"“”‘’']{4,120}?)[\"”’'](?=[\s?.,!)]|$)")


def _plain_words(text: str) -> str:
    for pattern, word in _IDIOMS:
        text = pattern.sub(word, text)
    return text


_ASKED_NOUN = re.compile(
    r"^\W*(?:(?:and|so)\s+)?(?:(?:under|in|at|from|by|for|on|to|with|of)\s+)?(?:which|what)(?:'s|s|\s+is|\s+was|\s+are|\s+were)?"
    r"\s+(?:the\s+|its\s+|a\s+)?(?:(?:kind|type|sort)s?\s+of\s+(?:a\s+|an\s+)?)?(?:(?:cms|cop\s?\d+|official|new|main)\s+)*"
    r"(?P<noun>agenda\s+item|[a-z]{3,})\b")
_REFERENCE_NOUN = re.compile(r"\b(?:which|what)\s+(?:(?:is|was|are|were)\s+the\s+)?" + MODIFIERS + r"(?P<noun>resolution|decision|document|agenda\s+item)s?\b"
                             # "what's the number of the CMS resolution on bycatch?"
                             r"|\bwhat(?:'s|’s|\s+is|\s+was)\s+the\s+(?:symbol|number)\s+of\s+(?:the\s+|a\s+)?(?:cms\s+|cop\s?\d+\s+)?"
                             r"(?P<noun2>resolution|decision|document|agenda\s+item)s?\b")
_CALLED = re.compile(r"^\W*what(?:'s|\s+is|\s+are|\s+was)\s+.+?\s+(?:called|known\s+as)\b")
_NOUN_ANYWHERE = re.compile(r"\b(?P<noun>slogan|theme|motto|tagline|headline|symbol)s?\b|\b(?P<noun2>document)\s+number\b")
_QUESTION_WORD = r"(?:when|where|who|whom|which|what|how\s+many|how\s+much|how\s+old|in\s+which|in\s+what|(?:was|were|is|are|did|does|do|has|have|had)\s+(?:there|it|they|he|she|any|the)\b|quand|où|qui|combien|cuándo|dónde|quién|cuántos|cuántas|quando|onde|quem|quantos|quantas)\b"
_SECOND_PART = re.compile(r"(?:,\s*|\s+)(?:and|et|y|e)\s+(?=(?:(?:by|in|at|for|from|of|on|to|with|since|until|under)\s+)?"
                          + _QUESTION_WORD + ")", re.IGNORECASE)
_JOINED_WORDS = re.compile(r"^\W*(?P<a>when|where|who)\s+and\s+(?P<b>when|where|who)\b(?P<rest>.*)$", re.IGNORECASE | re.S)


#: Words that end the noun phrase after "which": auxiliaries, prepositions, wh-words and common
#: irregular past tenses (regular ones end in -ed).
_PHRASE_END = frozenset("""is are was were be been being did do does has have had will would can could should may
    might must shall of on in at to for from by with about under over during between into as than that which who
    whom whose where when and or but not also first last became began took held gave made met won chose led saw said
    sent set got came went brought told wrote ran rose fell left paid put read spoke""".split())
_NOUN_PHRASE_WORD = re.compile(r"\s*(?P<word>[a-z][a-z'-]*)\b")


def _past(word: str) -> bool:
    return word.endswith("ed") and len(word) > 4


def noun_phrase(first: str, rest: str, longest: int = 3) -> str:
    """The noun phrase that starts with ``first`` up to its head ("listing proposals" of "how many
    listing proposals from …"); a plural first word is the head itself ("how many species need …")."""
    if first.endswith("s") and not first.endswith("ss"):
        return first
    head = noun_phrase_head(first, rest, longest)
    end = re.search(rf"\b{re.escape(head)}\b", rest) if head != first else None
    phrase, tail = (f"{first} {rest[: end.end()].strip()}", rest[end.end():]) if end else (first, rest)
    joined = re.match(r"\s+and\s+(?P<word>[a-z][\w'-]*)", tail)
    if joined:  # "shark and ray species": modifiers joined before one head
        other = noun_phrase(joined.group("word"), tail[joined.end():], longest)
        if other != joined.group("word"):
            return f"{phrase} and {other}"
    return phrase


#: Endings of English adjectives ("migratory", "marine", "terrestrial", "endangered"): a word after one is
#: still in the noun phrase.
_ADJECTIVE_ENDINGS = ("ory", "ine", "al", "ic", "ive", "ous", "ful", "ern", "ian", "ered", "ened")


def noun_phrase_head(first: str, rest: str, longest: int = 3) -> str:
    """The head of the noun phrase that starts with ``first`` ("which conference centre hosted…" →
    "centre", "which seven species were…" → "species"): the last word before a verb, an auxiliary or
    a preposition. Adjectives and numbers before the head only qualify what is asked."""
    head = first
    if first.endswith("s") and not first.endswith(("ss", "us", "is")) and first != "species":
        return first  # a plural is the head: what follows is its verb ("which animals live there?")
    for _ in range(longest):
        m = _NOUN_PHRASE_WORD.match(rest)
        if m is None:
            break
        word = m.group("word")
        if word in _PHRASE_END or _past(word) or word in STOPWORDS_BY_LANG["en"]:
            break
        after = _NOUN_PHRASE_WORD.match(rest[m.end():])
        # A word in -s is a plural head only when a verb follows ("birds were"), not an object ("hosts COP15").
        if word.endswith("s") and not word.endswith("ss") and not (
                after and (after.group("word") in _PHRASE_END or _past(after.group("word")))) \
                and not head.endswith(_ADJECTIVE_ENDINGS):
            break  # (after an adjective it is the head: "which migratory animals live there?")
        head, rest = word, rest[m.end():]
        if word.endswith("s") and not word.endswith("ss"):
            break  # a plural is the head: what follows is its verb ("animals live", "birds were")
    return head


def asks_one(head: str, folded: str) -> bool:
    """Whether the question asks for one thing ("which species was …"), not several: its noun is
    followed by a singular verb."""
    m = re.search(rf"\b{re.escape(head)}\s+(?P<verb>[a-z]+)\b", folded)
    return m is not None and m.group("verb") in {"was", "is", "has", "does"}


_TWO_COUNTED = re.compile(r"^(?P<lead>.*?\bhow\s+many\s+)(?P<a>[A-Za-z][\w'-]*)\s+and\s+(?P<b>[A-Za-z][\w'-]*)(?P<rest>\s.*)?$",
                          re.IGNORECASE | re.S)


def question_parts(text: str) -> tuple[str, ...]:
    """The parts of a question that asks two things, each a question of its own; () for one."""
    joined = _JOINED_WORDS.match(text)
    if joined:
        rest = joined.group("rest")
        return (joined.group("a") + rest, joined.group("b") + rest)
    counted = _TWO_COUNTED.match(text)
    after = _NOUN_PHRASE_WORD.match((counted.group("rest") or "").casefold()) if counted else None
    if counted and not (after and after.group("word") not in _PHRASE_END and not _past(after.group("word"))):
        # "how many resolutions and recommendations did it adopt?": a count of each (not "how many
        # shark and ray species …", one noun)
        lead, rest = counted.group("lead"), counted.group("rest")
        return (f"{lead}{counted.group('a')}{rest or ''}", f"{lead}{counted.group('b')}{rest or ''}")
    pieces = _SECOND_PART.split(text, maxsplit=1)
    if len(pieces) == 2 and pieces[0].strip() and pieces[1].strip():
        return (pieces[0].strip(), pieces[1].strip())
    return ()


_PROSPECTIVE = re.compile(r"(?i:\b(?:will|would|shall|going\s+to|(?:was|were|is|are)\s+to\s+be|plan(?:s|ned)?|expected|scheduled|supposed|due|"
                         r"propos(?:e|ed|es|al|als)|consider(?:ed)?|draft|next|upcoming|future)\b)")
#: A clause naming where the asker read it: "according to the '100 days to go' announcement",
#: "as reported on the CMS press release page".
_SOURCE_CLAUSE = re.compile(r"(?i:\b(?:according\s+to|as\s+(?:reported|stated|published|posted)\s+(?:by|on|in)|as\s+reported)"
                            r"\s+(?P<source>[^,?;]{3,120}))")
#: "What dates did the notification give?": the question asks what a text stated, so a plan it
#: announced ("will take place from 15 to 22 February") is its answer.
_ASKS_WHAT_TEXT_SAID = re.compile(r"(?i:\b(?:did|does|do)\s+(?:the\s+|its\s+|a\s+)?(?:[\w/.-]+\s+){0,4}?"
                                  r"(?:give|say|announce|state|set\s+out|mention)\b)")
#: A clause before the question proper: "Besides the saker falcon, which …", "In the Manila Times
#: report on the opening, who …" (casefolded text).
_LEADING_CLAUSE = re.compile(r"^[^?]{3,160}?,\s+(?=(?:and\s+)?(?:which|what|who|whom|whose|when|where|how)\b)")
_WHO_IS = re.compile(r"^\W*(?i:who)\s+(?i:is|was|are|were)\s+(?P<name>(?:[A-Z][\w’'.-]*\s*){1,4})\W*$")


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
    #: The period was set explicitly (``--from``/``--to``): a filter, not a preference.
    span_filter: bool = False
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
    #: What a how-many question counts, with synonyms (analyzed); empty for other kinds.
    counted: frozenset[str] = frozenset()
    #: The noun a which/what question asks for ("resolution", "slogan", "unit", "government").
    asked_noun: str | None = None
    #: The words of the noun asked for, up to its head ("union minister" of "which Union Minister told …").
    asked_phrase: str | None = None
    #: The question asks for one thing ("which species was …"): a list does not answer it.
    asked_one: bool = False
    #: "Since when …?": a beginning is asked (a year it started, a date it was ratified or joined).
    asks_since: bool = False
    #: Of ``content_terms``, those a part of a two-part question took from the first part: context, read
    #: with less weight than its own words.
    inherited_terms: tuple[str, ...] = ()
    #: "Who is NAME?": the name asked about.
    asked_name: str | None = None
    #: Content words written in lower case (verbs and common nouns: the event asked about); an
    #: answering sentence must hold them all.
    plain_terms: tuple[str, ...] = ()
    #: What the question asks about: its content words, else its words other than meeting codes ("open").
    asked: frozenset[str] = frozenset()
    #: The question asks about something planned or expected ("will", "is expected to", "proposed"):
    #: sentences stating plans answer it.
    prospective: bool = False
    #: A question that asks two things ("when and where", "how many … and how many of them …"): its
    #: parts, each a question of its own kind; empty for a one-part question.
    parts: tuple[str, ...] = ()
    #: Phrases the question quotes, folded for matching: a text that holds one is what the question read.
    phrases: tuple[str, ...] = ()
    #: A follow-up's preferred document: the source of the conversation's last answer.
    prefer_source: str | None = None
    #: Passages a follow-up has already been shown ("tell me more").
    skip_ids: tuple[str, ...] = ()
    #: The question's language (ISO 639-1).
    lang: str = "en"
    #: Words that only say where the fact was read ("according to the Philippine Biodiversity
    #: Management Bureau"): they choose the document, not the passage within it.
    source_terms: tuple[str, ...] = ()

    @property
    def kind(self) -> QuestionKind:
        """The question's kind in the registry."""
        return BY_NAME[self.qtype]

    def own_words(self) -> list[str]:
        """The question's content words as the user wrote them ("decided", not the stem "decid")."""
        wanted = set(self.content_terms)
        words = [self.text[s:e] for t, s, e in analyze_with_spans(self.text, self.lang) if t in wanted]
        return list(dict.fromkeys(words)) or list(dict.fromkeys(self.content_terms))

    def describe(self, registry: MeetingRegistry) -> str:
        """What was searched for, in words of the question's language, for the not-found message."""
        from bot.text import messages as msg
        from bot.text.i18n import translate

        lang = self.lang
        parts = []
        if self.content_terms:
            parts.append(translate(msg.DESCRIBE_WORDS, lang, words=", ".join(self.own_words())))
        for number in self.meetings or ((self.meeting_filter,) if self.meeting_filter else ()):
            m = registry.get(number)
            if m is not None:
                parts.append(translate(msg.DESCRIBE_MEETING, lang, meeting=f"{m.code} ({m.city})"))
        if self.unknown_meeting is not None:
            parts.append(translate(msg.DESCRIBE_MEETING, lang, meeting=f"COP{self.unknown_meeting}"))
        if self.kind_filter:
            parts.append(translate(msg.DESCRIBE_KIND, lang, kind=self.kind_filter.replace("_", " ")))
        if self.span is not None:
            parts.append(translate(msg.DESCRIBE_DATES, lang, dates=str(self.span)))
        if self.exact_terms:
            parts.append(translate(msg.DESCRIBE_EXACT, lang, terms=", ".join(self.exact_terms)))
        if self.latest:
            parts.append(translate(msg.DESCRIBE_NEWEST, lang))
        return "; ".join(parts) or translate(msg.DESCRIBE_NOTHING, lang)


_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def question_language(text: str, hint: str | None = None) -> str:
    """The question's language: plainly English chat ("cop14 slogan", "when did it open") is read as
    English at once — by its stopwords, with no word of another language's and no accent — and
    anything else goes to the language detector (whose model takes a second to load), with ``hint``
    (a conversation's language) when it says too little to tell."""
    words = [w.casefold() for w in _WORD.findall(text)]
    hits = {lang: sum(w in stop for w in words) for lang, stop in STOPWORDS_BY_LANG.items()}
    others = max((n for lang, n in hits.items() if lang != "en"), default=0)
    if text.isascii() and hits.get("en", 0) > others:
        return "en"
    if not any(hits.values()) and text.isascii():
        return hint or "en"  # keywords only ("cop14 slogan"): the corpus's main language
    return detect_language(text, hint=hint)


def question_type(text: str) -> str:
    """The registry name of a question's kind."""
    return detect(" ".join(text.casefold().split())).name


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
    lang: str | None = None,
) -> Query:
    """Read a question. ``meeting``/``kind`` are explicit choices (slash-command options) and filter;
    ``lang``: the question's language when known (a part of a question is in its whole's)."""
    text = _MENTION.sub(" ", question[:MAX_QUESTION_CHARS])
    folded = " ".join(text.casefold().split())
    qkind = detect(folded)
    if qkind.name == "other" and (lead := _LEADING_CLAUSE.match(folded)):
        # "Besides the saker falcon, which other falcon …?": the question after its leading clause
        main = folded[lead.end():]
        if (main_kind := detect(main)).name != "other":
            qkind, folded = main_kind, main
    qtype = qkind.name
    # Idioms are read as the texts' word in questions only: a search for a headline's own words
    # ("COP11 kicks off") must still find that headline.
    lang = lang or question_language(text)
    terms = tuple(analyze(_plain_words(text) if qtype != "other" else text, lang))
    # A meeting named as a time bound ("before COP14") sets the period, it is not the subject.
    # (Nor is a revision mark: "Resolution 12.4 (Rev.COP14)" is Resolution 12.4's number.)
    mentions = tuple(dict.fromkeys(
        m.number for m in registry.mentions(text)
        if not _MEETING_RELATION.search(text[: m.start]) and not _REVISION.search(text[: m.start])))
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
            meeting_tokens.update(analyze(f"{m.city} {m.country}", lang))
    spans = [(m.start, m.end) for m in registry.mentions(text)]
    in_mention = {t for t, s, e in analyze_with_spans(text, lang) if any(ms <= s and e <= me for ms, me in spans)}
    type_words = qkind.type_words
    # What "how many" counts is what the question is about, even a word like "Parties".
    counted_match = _HOW_MANY_NOUN.search(text) if qtype == "how_many" else None
    # (Not "how many COPs/meetings": those count meetings, which no passage states.)
    counted_noun = (noun_phrase(counted_match.group("noun").casefold(), text[counted_match.end("noun"):].casefold())
                    if counted_match else intl.counted_noun(text, lang) if qtype == "how_many" else None)
    counted_terms = tuple(t for t in analyze(counted_noun, lang) if t not in _MEETING_ITSELF) if counted_noun else ()
    which_match = None if _REFERENCE_NOUN.search(folded) else _ASKED_NOUN.match(folded)
    noun_match = _REFERENCE_NOUN.search(folded) or which_match or _NOUN_ANYWHERE.search(folded)
    asked_noun = " ".join((noun_match.group("noun") or noun_match.group("noun2")).split()) if noun_match \
        else intl.asked_noun(folded, lang)
    asked_phrase = asked_noun
    if which_match is not None and asked_noun != "agenda item":
        asked_phrase = noun_phrase(asked_noun or "", folded[which_match.end("noun"):])
        asked_noun = noun_phrase_head(asked_noun or "", folded[which_match.end("noun"):])
    asked_one = bool(asked_noun) and asks_one(asked_noun or "", folded)
    if qtype == "called" and _CALLED.match(folded):
        asked_noun = "called"  # "what is X called (in Y)?": X's other name
    noun_terms = frozenset(analyze(asked_noun, lang)) if asked_noun else frozenset()
    content = tuple(
        t for t in terms
        if t in counted_terms or (t not in meeting_words(lang) and t not in filler_words(lang) and t not in meeting_tokens
                                  and t not in in_mention
                                  and t not in type_words and not t.isdigit())
    )
    if not content and qkind.asks_of_meetings:
        content = tuple(t for t in terms if t not in type_words and t not in filler_words(lang) and not _is_exact(t))
        # the meeting's words are in every text: the words its answer is written with are searched too
        terms = terms + tuple(t for t in analyze(qkind.search_words.get(lang, ""), lang) if t not in terms)
    request = _REQUEST.match(text)
    if request and lang == "en":
        asked_words = set(analyze(request.group("words"), lang))
        content = tuple(t for t in content if t not in asked_words) or content
    # Words that only say where the fact was read ("according to the Philippine Biodiversity
    # Management Bureau") rank the passages (they stay in ``terms``) but are not what is asked.
    source_words = {t for m in _SOURCE_CLAUSE.finditer(text) for t in analyze(m.group(0), lang)} - set(exact)
    if source_words and any(t not in source_words for t in content):
        content = tuple(t for t in content if t not in source_words)
    # the words only the source clause has choose the document (``Retriever.rank``)
    only_source = source_words - set(analyze(_SOURCE_CLAUSE.sub(" ", text), lang)) if source_words else set()
    # (Not when a building is asked: the meetings table knows the city, not the venue.)
    # (Nor for a plan that changed: the table knows where and when a meeting took place, not what was first planned.)
    about_meeting = bool(mentions) and not content and not exact and qtype in {"when", "where", "thing", "other", "reference"} \
        and not set(terms) & _VENUE_WORDS and not _FORMER_PLAN.search(text)
    plain = {t for word in re.findall(r"(?<![\w'’])[^\W\d_A-Z][\w'-]*", _plain_words(intl.main_clause(text, lang))) for t in analyze(word, lang)
             if word[:1].islower()}
    who_is = _WHO_IS.match(text.strip()) if qtype == "who" else None
    counted = frozenset(counted_terms).union(*(SYNONYMS.get(t, ()) for t in counted_terms))
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
        counted=counted,
        asked_noun=asked_noun,
        asked_one=asked_one,
        asked_phrase=asked_phrase,
        asks_since=bool(re.search(r"\bsince\s+when\b", text, re.IGNORECASE)),
        asked_name=who_is.group("name").strip() if who_is else None,
        # The noun asked for ("which government") is the answer's type, not a word its sentence must hold.
        plain_terms=tuple(t for t in dict.fromkeys(content) if t in plain and not _is_exact(t) and t not in noun_terms
                          and t not in _COUNT_WORDS),
        prospective=bool(_PROSPECTIVE.search(text) or _ASKS_WHAT_TEXT_SAID.search(text)) or intl.prospective(text, lang),
        parts=intl.question_parts(text, lang) or question_parts(text),
        phrases=tuple(fold_phrase(m.group("phrase")) for m in _QUOTED_PHRASE.finditer(text)),
        lang=lang,
        source_terms=tuple(t for t in dict.fromkeys(terms) if t in only_source),
        asked=frozenset(content or [t for t in terms if not re.fullmatch(r"cop\d+", t)]),
    )


#: A second part that refers back to the first ("how many of them …", "and when did it …").
_REFERS_BACK = re.compile(r"\b(?:of\s+them|of\s+those|of\s+these|it|its|they|them|their|this|that|there)\b", re.IGNORECASE)


def parse_parts(query: Query, registry: MeetingRegistry) -> tuple[Query, ...]:
    """The parts of a two-part question, each read as a question of its own; a part that leaves out
    what the first part said ("…, and on what date?", "how many of them to Appendix I?") takes the
    first part's words, counted noun, meetings and tense, so it asks about the same event."""
    parts = [parse_question(p, registry, lang=query.lang) for p in query.parts]
    if len(parts) < 2:
        return tuple(parts)
    first = parts[0]
    out = [first]
    for part in parts[1:]:
        elliptical = not part.plain_terms or bool(_REFERS_BACK.search(part.text))
        if elliptical:
            own_counted = part.counted_terms if part.counted_terms and not re.search(
                r"\bof\s+(?:them|those|these)\b", part.text, re.IGNORECASE) else ()
            counted_terms = own_counted or first.counted_terms
            part = dataclasses.replace(
                part,
                content_terms=tuple(dict.fromkeys(part.content_terms + first.content_terms)),
                inherited_terms=tuple(t for t in first.content_terms if t not in part.content_terms),
                # its own event words when it has some ("since when has it been a Party"), else the first's
                plain_terms=part.plain_terms or first.plain_terms,
                meetings=part.meetings or first.meetings,
                prospective=part.prospective or first.prospective,
                counted_terms=counted_terms,
                counted=frozenset(counted_terms).union(*(SYNONYMS.get(t, ()) for t in counted_terms)),
            )
        out.append(part)
    return tuple(out)
