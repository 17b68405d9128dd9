"""Follow-up questions: a conversation carries the meeting, document and subject of its last answer.

"When did COP14 open?" then "and when did it close?" — the second names no meeting, refers to one
("it"), and is read as about COP14; "what about COP13?" asks the last question again of COP13; "tell
me more" reads the last answer's document on, "tell me more - how long did it last?" asks its own
question of the same document first; "what did he do at cop11" after a "who" answer is about the
person it named; "the summary mentions …" is read in the summary the last answer quoted. A question
with no marker at all ("how many people were expected?") is read in the context too, and alone when
that finds nothing (``FollowUp.implicit``, ``FollowUp.otherwise``; the engine chooses). What a
follow-up took from the context is said in the reply, in the question's language. A context is per
conversation (a Discord user in a channel, a thread, a reply chain; a chat session; a web
conversation id), expires after ``CONTEXT_TTL_SECONDS`` and is never shared between conversations.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.cms.meetings import MeetingRegistry
from bot.model import Meeting
from bot.question.query import Query, parse_question, question_language
from bot.search.analyzer import analyze
from bot.text import messages as msg
from bot.text.i18n import translate

#: A conversation's context is forgotten after this long without a question.
CONTEXT_TTL_SECONDS = 30 * 60

_LEAD = re.compile(r"^\W*(?:and|n|an|also|so|then|ok(?:ay)?|et|y|e)\b", re.IGNORECASE)
_WHAT_ABOUT = re.compile(r"^\W*(?:and\s+|&\s*)?(?:what|wat|wht|waht|whta|hwat|how)\s+(?:about|abt|abut|abotu)\b|^\W*(?:et\s+)?(?:quid\s+de|qu'en\s+est-il\s+de)\b"
                         r"|^\W*(?:and|et|y|e)\s+(?:for|at|in|pour|à|en|para|em|no|na)?\s*"
                         r"(?:the|le|la|l'|les|el|los|las|o|a|os|as)?\s*(?=\S+\s*\??\s*$)", re.IGNORECASE)
_MORE = re.compile(r"^\W*(?:tell\s+me\s+more|more|go\s+on|details|more\s+details|en\s+savoir\s+plus|dis[- ]m'en\s+plus|más|cuéntame\s+más|mais|conte\s+mais)\b", re.IGNORECASE)
#: What may separate "tell me more" from a question of its own ("tell me more - how long …").
_MORE_REST = re.compile(r"^[\s,;:.!?–—-]*(?:about\s+)?")
#: Words that refer back to a person: the subject carries over even when a meeting is named.
_PERSON = re.compile(r"\b(?:he|she|him|his|her|hers|they|them|their)\b", re.IGNORECASE)
#: … in French, Spanish, Portuguese ("qu'a-t-il fait", "¿qué hizo ella?"): also "it" there, so they
#: refer to a person only after an answer that named one.
_PERSON_INTL = re.compile(r"\b(?:il|elle|lui|él|ella|ele|ela|dele|dela)\b", re.IGNORECASE)
_REFERS = re.compile(r"\b(?:it|its|that|this|there|then|he|she|they|them|his|her|their|the\s+meeting|the\s+conference"
                     r"|the\s+cop|il|elle|ella|ele|ela|là|allí|lá)\b", re.IGNORECASE)
#: Words that refer back to the last answer's subject.
_THING = re.compile(r"\b(?:it|its|that|this|these|those|they|them|their|ça|cela|il|elle|ils|elles|eso|esto|él|ella|ellos"
                    r"|ellas|isso|isto|ele|ela|eles|elas)\b", re.IGNORECASE)
#: "on it", "in that": the last answer's document is meant.
_IN_IT = re.compile(r"\b(?:on|in|from|by)\s+(?:it|that|this)\b(?!\s+\w+\s+(?:was|were|is|are))", re.IGNORECASE)
#: "the summary", "this report": a document named by what it is, meant as the last answer's one
#: when that document's title or file name has the word.
_THE_DOCUMENT = re.compile(
    r"\b(?:the|that|this|its|le|la|ce|cette|el|esta|este|o|a|esse|essa)\s+(?P<noun>summary|report|statement|press\s+release|"
    r"release|article|story|piece|notification|document|page|newsletter|listing|declaration|declarations?"
    r"|résumé|rapport|communiqué|article|informe|resumen|comunicado|relatório|resumo)\b", re.IGNORECASE)
#: "the article", "the announcement", "that story": a document named by no title word, meant as the last
#: answer's one whatever its title — when nothing follows the noun that makes it a word of the question
#: ("the document deadlines"): the end of the question, a verb saying what the text does, or a
#: preposition before it ("quoted in the announcement").
_GENERIC_DOCUMENT = re.compile(
    r"(?:\b(?:in|on|from|by|of|to|according\s+to)\s+(?:the|that|this|its)\s+(?P<after>article|story|piece|text|document"
    r"|page|announcement|post|item|news\s+item)\b(?!\s+[a-z])"
    r"|\b(?:the|that|this)\s+(?P<before>article|story|piece|text|document|page|announcement|post|item|news\s+item)"
    r"(?=\s*(?:[?.!,;:]|$|\s+(?:says?|said|mentions?|mentioned|quotes?|quoted|names?|named|lists?|listed|describes?"
    r"|described|calls?|called|talks?|talked|refers?|referred|reports?|reported|states?|stated|claims?|claimed|cites?"
    r"|cited|gives?|gave|come|came|is|was|were|are|has|had|does|did)\b)))", re.IGNORECASE)
#: "later that year", "earlier the same month", "that year": the time of the conversation's meeting,
#: not words to search.
_THAT_TIME = re.compile(
    r"\b(?:(?:later|earlier)\s+)?(?:that|the\s+same)\s+(?:year|month|week|day)\b"
    r"|\b(?:later|earlier)\s+(?:on|in\s+the\s+(?:year|month|week))\b", re.IGNORECASE)
#: "the day before it opened", "the two days before the opening", "on the eve of it", "the day after it
#: closed": days counted from the conversation's meeting, searched as the dates texts write.
_DAYS_FROM = re.compile(
    r"\b(?:on\s+)?(?P<the>the\s+)?(?:(?P<n>a|one|two|three|four|five|[1-5])\s+)?(?P<unit>days?|eve)\s+"
    r"(?P<rel>before|ahead\s+of|prior\s+to|after|of)\s+(?P<what>it\s+(?:opened|started|began|closed|ended|finished)"
    r"|(?:the|its)\s+(?:opening|start|beginning|closing|close|end)|(?:the\s+)?(?:it|that|meeting|conference|cop)\b)",
    re.IGNORECASE)
_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
#: A "who" answer this long at most names someone ("CoW Chair, Colin Galbraith."), not a sentence.
MAX_NAME_CHARS = 80
#: Lower-case words inside a name or title ("Minister of Ecology", "Amy de la Cruz").
_NAME_LINKS = frozenset({"of", "the", "for", "and", "de", "la", "du", "des", "da", "do", "dos", "van", "von", "del"})
#: A direct answer naming someone ("CoW Chair, Colin Galbraith."): its capitalised words.
_NAME_WORDS = re.compile(r"\b[A-Z][\w’'.-]+")


@dataclass(frozen=True)
class Context:
    """What a conversation's last answer was about."""

    question: str  # the last question as it was read (after its own follow-up resolution)
    meetings: tuple[int, ...] = ()
    source: str | None = None  # the document of the last answer's first citation
    subject: tuple[str, ...] = ()  # the last question's content terms
    shown: tuple[str, ...] = ()  # ids of the passages the last answer quoted ("tell me more" skips them)
    at: float = 0.0  # time.monotonic() when it was set
    #: The person a "who" answer named (analyzed terms): "he", "she", "they" in the next question.
    person: tuple[str, ...] = ()
    person_name: str = ""  # … as the answer wrote it, for the reply
    #: Words naming the source document (its title and file name, analyzed): "the summary" is it when they hold "summary".
    source_words: frozenset[str] = frozenset()
    #: Passages a "tell me more" answer quoted whole (the next one does not quote them again).
    whole: tuple[str, ...] = ()
    lang: str = "en"  # the last question's language

    def expired(self, now: float | None = None) -> bool:
        return (now if now is not None else time.monotonic()) - self.at > CONTEXT_TTL_SECONDS


@dataclass(frozen=True)
class FollowUp:
    """A question read in its conversation's context."""

    query: Query
    #: What was taken from the context, for the reply ("COP14, from your last question"), in the
    #: question's language; None when nothing.
    taken: str | None = None
    #: … when the answer comes from another document than the last answer's ("the same source" unsaid).
    taken_elsewhere: str | None = None
    #: The reading to answer with when this one finds nothing: the question alone (a question with
    #: no follow-up marker), the last question again ("tell me more - how long did it last?").
    otherwise: FollowUp | None = None
    #: The question itself has no follow-up marker: when this reading finds nothing, ``otherwise``
    #: (the question alone) answers — but not with a count, date or place about another meeting.
    implicit: bool = False
    #: The question points at the last answer's document ("on it", "the summary", "tell me more - …"):
    #: that document's passages lead when they hold enough of the question.
    same_document: bool = False
    #: "Tell me more": the last answer's document read on, then further sources on the last question.
    more: bool = False
    #: The question refers back to the conversation ("there", "it", "that") without naming the
    #: document: the last answer's document leads when it holds most of the question.
    refers: bool = False
    #: Terms of the last subject the question refers to ("its northernmost records") beside words of
    #: its own: searched, but the quote is cut around the question's own words.
    ranks_only: tuple[str, ...] = ()
    whole: tuple[str, ...] = ()  # passages an earlier "tell me more" quoted whole


def is_follow_up(query: Query) -> bool:
    """Whether a question leans on an earlier one: it starts with "and"/"what about", asks for more,
    refers back ("it", "there") without naming a meeting, or has nothing of its own to search."""
    text = query.text
    if _MORE.match(text) or _WHAT_ABOUT.match(text) or _PERSON.search(text):
        return True
    if query.meetings or query.exact_terms:
        return False
    return bool(_LEAD.match(text) or _REFERS.search(text) or not query.content_terms)


def _names_person(query: Query, context: Context) -> bool:
    """Whether the question refers to the person the last answer named ("what did he do at cop11")."""
    return bool(context.person) and bool(_PERSON.search(query.text) or _PERSON_INTL.search(query.text))


def _may_lean(query: Query, context: Context) -> bool:
    """A question with no follow-up marker that may still be about the conversation's meeting or
    document: it names no meeting, symbol or period of its own and has words to search."""
    return bool(query.content_terms) and not (query.meetings or query.exact_terms or query.span is not None
                                              or query.meeting_filter is not None or query.latest) \
        and bool(context.meetings or context.source)


def _codes(meetings: tuple[int, ...]) -> str:
    return ", ".join(f"COP{n}" for n in meetings)


def _from_last(parts: list[str], lang: str) -> str | None:
    return translate(msg.CONTEXT_FROM_LAST, lang, taken=", ".join(parts)) if parts else None


def _meeting_words(numbers: tuple[int, ...], registry: MeetingRegistry, lang: str) -> set[str]:
    """The words that name these meetings in a question: their codes, host cities and countries."""
    words = {f"cop{n}" for n in numbers}
    for n in numbers:
        m = registry.get(n)
        if m is not None:
            words.update(analyze(f"{m.city} {m.country}", lang))
    return words


def days_from_meeting(text: str, meeting: Meeting) -> list[date]:
    """The days a question counts from a meeting ("the two days before the opening": the two days
    before its first day; "two days before the opening": the second day before it; "the day after it
    closed": the day after its last; "the eve of it": the day before it opened), in order; [] when none."""
    m = _DAYS_FROM.search(text)
    if m is None or (m.group("unit").lower() == "eve") != (m.group("rel").lower() == "of"):
        return []
    if m.group("unit").lower() == "eve":
        return [meeting.start - timedelta(days=1)]
    word = (m.group("n") or "one").lower()
    n = _NUMBERS.get(word) or int(word)
    counted = range(1, n + 1) if m.group("the") else range(n, n + 1)  # "the two days" / "two days"
    if m.group("rel").lower() == "after":
        opening = re.search(r"open|start|began|beginning", m.group("what"), re.IGNORECASE)
        last = meeting.start if opening else meeting.end  # "the day after the conference": after it ended
        return [last + timedelta(days=k) for k in counted]
    return [meeting.start - timedelta(days=k) for k in reversed(counted)]


def _date_words(days: list[date], lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Search terms for days as texts write them ("3 November", "February 15 and 16"): their numbers
    and months; the months also as words the question asks for (numbers never are)."""
    months = tuple(dict.fromkeys(t for d in days for t in analyze(_MONTHS[d.month - 1], lang)))
    numbers = tuple(dict.fromkeys(str(d.day) for d in days))
    return numbers + months, months


def resolve(question: str, context: Context | None, registry: MeetingRegistry, **options: object) -> FollowUp:
    """The question parsed, with what it takes from ``context`` when it is a follow-up."""
    query = parse_question(question, registry, **options)  # type: ignore[arg-type]
    if context is None or context.expired() or query.small_talk:
        return FollowUp(query)
    # A follow-up too short to tell its language ("y la COP13?") is in the conversation's.
    lang = question_language(query.text, hint=context.lang) if context.lang != query.lang else query.lang
    query = replace(query, lang=lang)
    more = _MORE.match(query.text)
    if more:
        rest = _MORE_REST.sub("", query.text[more.end():], count=1)
        own = parse_question(rest, registry, **options) if rest.strip() else None  # type: ignore[arg-type]
        # "tell me more": the last question again, past what was shown.
        again = parse_question(context.question, registry, **options)  # type: ignore[arg-type]
        more_of = FollowUp(replace(again, prefer_source=context.source, skip_ids=context.shown, lang=lang),
                           whole=context.whole,
                           taken=translate(msg.CONTEXT_LAST_QUESTION, lang), same_document=context.source is not None,
                           more=True)
        if own is None or not (own.content_terms or own.exact_terms or own.qtype != "other"):
            return more_of
        # "tell me more - how long did the talks last?": its own question, of the same document.
        asked = _in_context(replace(own, lang=lang), context, registry, lang, same_document=context.source is not None)
        return replace(asked, otherwise=more_of)
    elif not is_follow_up(query) and not _names_person(query, context):
        if not _may_lean(query, context):
            return FollowUp(query)
        leaning = _in_context(query, context, registry, lang, same_document=False)
        return replace(leaning, implicit=True, otherwise=FollowUp(query))
    if query.meetings and not _names_person(query, context) and not _PERSON.search(query.text) \
            and (_WHAT_ABOUT.match(query.text) or not query.content_terms):
        # "what about COP13?": the last question, asked of this meeting.
        last = parse_question(context.question, registry, **options)  # type: ignore[arg-type]
        old = _meeting_words(last.meetings or context.meetings, registry, last.lang)
        named = tuple(t for t in query.terms if t in _meeting_words(query.meetings, registry, lang))
        terms = tuple(t for t in last.terms if t not in old) + tuple(dict.fromkeys(
            named + tuple(f"cop{n}" for n in query.meetings)))
        return FollowUp(replace(last, meetings=query.meetings, about_meeting=last.about_meeting or not last.content_terms,
                                terms=terms, lang=lang),
                        translate(msg.CONTEXT_QUESTION_FOR, lang, meetings=_codes(query.meetings)))
    return _in_context(query, context, registry, lang, same_document=False)


def _in_context(query: Query, context: Context, registry: MeetingRegistry, lang: str, *,
                same_document: bool) -> FollowUp:
    """A follow-up that asks its own question: the meeting, document and subject it leaves unsaid
    taken from the context."""
    taken = []
    meetings = query.meetings
    if not meetings and context.meetings and query.span is None:  # "… in july 2023?": its own period
        meetings = context.meetings
        taken.append(_codes(meetings))
    terms, content = query.terms, query.content_terms
    document = _THE_DOCUMENT.search(query.text)
    generic = _GENERIC_DOCUMENT.search(query.text)
    noun: set[str] = set()
    if context.source and document and set(analyze(document.group("noun"), lang)) <= context.source_words:
        # "the summary mentions …": the summary is where to look, not a word to look for.
        noun = set(analyze(document.group("noun"), lang))
    elif context.source and generic:
        noun = set(analyze(generic.group("after") or generic.group("before"), lang))  # "quoted in the announcement"
    if noun:
        terms = tuple(t for t in terms if t not in noun)
        content = tuple(t for t in content if t not in noun)
        same_document = True
    if meetings:
        # "later that year": when the conversation's meeting was, not words to search
        timed = {t for m in _THAT_TIME.finditer(query.text) for t in analyze(m.group(0), lang)}
        terms = tuple(t for t in terms if t not in timed)
        content = tuple(t for t in content if t not in timed)
    if context.source and _IN_IT.search(query.text):
        same_document = True
    meeting = registry.get(meetings[0]) if len(meetings) == 1 else None
    days = days_from_meeting(query.text, meeting) if meeting is not None else []
    if days:
        # "was there anything the day before it opened?": what the texts say of those dates
        phrase = _DAYS_FROM.search(query.text)
        said = set(analyze(phrase.group(0), lang)) - {"eve"} if phrase else set()  # texts say "on the eve" too
        searched, asked = _date_words(days, lang)
        if "eve" in content:
            asked = ()  # "on the eve" is what is asked; its date only ranks
        terms = tuple(t for t in terms if t not in said) + tuple(t for t in searched if t not in terms)
        content = tuple(t for t in content if t not in said) + tuple(t for t in asked if t not in content)
    person = context.person if _names_person(query, context) else ()
    # The last subject is searched when the question refers to it ("who opened it?") or has no
    # words of its own; "name the species proposed there" is about its own words.
    carried = person or (context.subject if not content or _THING.search(query.text) else ())
    subject = tuple(t for t in carried if t not in terms)
    if person:
        content = content + subject  # "what did he do": he is what is asked about
        taken.append(context.person_name)
    elif not content:
        content = subject
        if subject:
            taken.append(translate(msg.CONTEXT_SUBJECT, lang))
    # The last subject ranks the passages; the quote is cut around the question's own words
    # ("where are its northernmost records from?" is not quoted at "the Concerted Action for the Whale Shark").
    ranks_only = subject if not person and content and any(t not in subject for t in content) else ()
    terms = terms + subject + tuple(f"cop{n}" for n in meetings if f"cop{n}" not in terms)
    about = query.about_meeting or (bool(meetings) and not content and query.qtype in {"when", "where"})
    resolved = replace(query, meetings=meetings, terms=terms, content_terms=content, about_meeting=about,
                       prefer_source=context.source)
    elsewhere = _from_last(taken, lang)
    if context.source:
        taken.append(translate(msg.CONTEXT_SOURCE, lang))
    return FollowUp(resolved, _from_last(taken, lang), elsewhere, ranks_only=ranks_only,
                    same_document=same_document and context.source is not None,
                    # (not when it names another meeting: "what did he do at cop11" reads no COP14 text on)
                    refers=context.source is not None and bool(_REFERS.search(query.text))
                    and set(query.meetings) <= set(context.meetings))


def next_context(followup: FollowUp, source: str | None, meetings: tuple[int, ...],
                 shown: tuple[str, ...] = (), *, answer: str | None = None, source_title: str = "",
                 whole: tuple[str, ...] = ()) -> Context:
    """The context a reply leaves: its question as read, its meetings, its first source, what it
    quoted, the person a "who" answer named, the words naming its source."""
    q = followup.query
    name = _name_in(answer) if answer and q.qtype == "who" else ""
    person = tuple(dict.fromkeys(t for word in _NAME_WORDS.findall(name) for t in analyze(word, q.lang)))
    words = frozenset(analyze(f"{source_title} {re.sub(r'[_.-]+', ' ', source or '')}", q.lang)) if source else frozenset()
    return Context(question=q.text if followup.taken is None else _restated(q), meetings=q.meetings or meetings,
                   source=source, subject=q.content_terms, shown=shown + q.skip_ids, at=time.monotonic(),
                   person=person, person_name=name if person else "", source_words=words,
                   whole=whole, lang=q.lang)


def _name_in(answer: str) -> str:
    """The name a "who" answer gives: its comma-separated pieces written as names ("CMS Ambassador,
    Stanley Johnson" of "CMS Ambassador, Stanley Johnson, the environmental journalist and writer.")."""
    pieces = [p.strip(" .") for p in answer.split(",")]
    named = [p for p in pieces if p and all(w[:1].isupper() or w.lower() in _NAME_LINKS for w in p.split())]
    name = ", ".join(named)
    return name if len(name) <= MAX_NAME_CHARS else ""


def _restated(query: Query) -> str:
    """A resolved follow-up as a self-contained question text (meeting codes appended)."""
    codes = " ".join(f"COP{n}" for n in query.meetings if f"cop{n}" not in query.text.lower())
    return f"{query.text} {codes}".strip()


class Conversations:
    """Contexts by conversation key (a Discord user in a channel, a thread, a web conversation id),
    expiring after ``ttl`` seconds and bounded in number; a key never sees another key's context."""

    def __init__(self, ttl: float = CONTEXT_TTL_SECONDS, limit: int = 10_000) -> None:
        self._ttl = ttl
        self._limit = limit
        self._contexts: dict[object, Context] = {}

    def get(self, key: object) -> Context | None:
        context = self._contexts.get(key)
        if context is not None and time.monotonic() - context.at > self._ttl:
            del self._contexts[key]
            return None
        return context

    def set(self, key: object, context: Context | None) -> None:
        if context is None:
            return
        self._contexts.pop(key, None)
        self._contexts[key] = context
        while len(self._contexts) > self._limit:  # the oldest first (dicts keep insertion order)
            del self._contexts[next(iter(self._contexts))]

    def __len__(self) -> int:
        return len(self._contexts)
