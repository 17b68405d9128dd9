"""Follow-up questions: a conversation carries the meeting, document and subject of its last answer.

"When did COP14 open?" then "and when did it close?" — the second names no meeting, refers to one
("it"), and is read as about COP14; "what about COP13?" asks the last question again of COP13; "tell
me more" asks it again. What a follow-up took from the context is said in the reply. A context is
per conversation (a Discord user in a channel, a thread, a reply chain; a chat session; a web
conversation id), expires after ``CONTEXT_TTL_SECONDS`` and is never shared between conversations.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace

from bot.cms.meetings import MeetingRegistry
from bot.question.query import Query, parse_question

#: A conversation's context is forgotten after this long without a question.
CONTEXT_TTL_SECONDS = 30 * 60

_LEAD = re.compile(r"^\W*(?:and|also|so|then|ok(?:ay)?|et|y|e)\b", re.IGNORECASE)
_WHAT_ABOUT = re.compile(r"^\W*(?:and\s+)?(?:what|how)\s+about\b|^\W*(?:and|et|y|e)\s+(?:for|at|in|pour|à|en|para|em|no|na)?\s*(?=\S+\s*\??\s*$)", re.IGNORECASE)
_MORE = re.compile(r"^\W*(?:tell\s+me\s+more|more|go\s+on|details|more\s+details|en\s+savoir\s+plus|más|mais)\b", re.IGNORECASE)
#: Words that refer back to a person: the subject carries over even when a meeting is named.
_PERSON = re.compile(r"\b(?:he|she|him|his|her|hers|they|them|their)\b", re.IGNORECASE)
_REFERS = re.compile(r"\b(?:it|its|that|this|there|then|he|she|they|them|his|her|their|the\s+meeting|the\s+conference"
                     r"|the\s+cop|il|elle|ella|ele|ela|là|allí|lá)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Context:
    """What a conversation's last answer was about."""

    question: str  # the last question as it was read (after its own follow-up resolution)
    meetings: tuple[int, ...] = ()
    source: str | None = None  # the document of the last answer's first citation
    subject: tuple[str, ...] = ()  # the last question's content terms
    shown: tuple[str, ...] = ()  # ids of the passages the last answer quoted ("tell me more" skips them)
    at: float = 0.0  # time.monotonic() when it was set

    def expired(self, now: float | None = None) -> bool:
        return (now if now is not None else time.monotonic()) - self.at > CONTEXT_TTL_SECONDS


@dataclass(frozen=True)
class FollowUp:
    """A question read in its conversation's context."""

    query: Query
    #: What was taken from the context, for the reply ("COP14, from your last question"); None when nothing.
    taken: str | None = None


def is_follow_up(query: Query) -> bool:
    """Whether a question leans on an earlier one: it starts with "and"/"what about", asks for more,
    refers back ("it", "there") without naming a meeting, or has nothing of its own to search."""
    text = query.text
    if _MORE.match(text) or _WHAT_ABOUT.match(text) or _PERSON.search(text):
        return True
    if query.meetings or query.exact_terms:
        return False
    return bool(_LEAD.match(text) or _REFERS.search(text) or not query.content_terms)


def resolve(question: str, context: Context | None, registry: MeetingRegistry, **options: object) -> FollowUp:
    """The question parsed, with what it takes from ``context`` when it is a follow-up."""
    query = parse_question(question, registry, **options)  # type: ignore[arg-type]
    if context is None or context.expired() or query.small_talk or not is_follow_up(query):
        return FollowUp(query)
    if _MORE.match(query.text):  # "tell me more": the last question again
        again = parse_question(context.question, registry, **options)  # type: ignore[arg-type]
        return FollowUp(replace(again, prefer_source=context.source, skip_ids=context.shown), "your last question")
    if query.meetings and not _PERSON.search(query.text) and (_WHAT_ABOUT.match(query.text) or not query.content_terms):
        # "what about COP13?": the last question, asked of this meeting.
        last = parse_question(context.question, registry, **options)  # type: ignore[arg-type]
        return FollowUp(replace(last, meetings=query.meetings, about_meeting=last.about_meeting or not last.content_terms,
                                terms=tuple(t for t in last.terms if not re.fullmatch(r"cop\d+", t))
                                + tuple(f"cop{n}" for n in query.meetings)),
                        "the question before, for " + ", ".join(f"COP{n}" for n in query.meetings))
    taken = []
    meetings = query.meetings
    if not meetings and context.meetings:
        meetings = context.meetings
        taken.append(", ".join(f"COP{n}" for n in meetings))
    subject = tuple(t for t in context.subject if t not in query.terms)
    content = query.content_terms or subject
    if subject and not query.content_terms:
        taken.append("its subject")
    terms = query.terms + subject + tuple(f"cop{n}" for n in meetings if f"cop{n}" not in query.terms)
    about = query.about_meeting or (bool(meetings) and not query.content_terms and query.qtype in {"when", "where"})
    resolved = replace(query, meetings=meetings, terms=terms, content_terms=content, about_meeting=about,
                       prefer_source=context.source)
    if context.source:
        taken.append("the same source")
    return FollowUp(resolved, ", ".join(taken) + ", from your last question" if taken else None)


def next_context(followup: FollowUp, source: str | None, meetings: tuple[int, ...],
                 shown: tuple[str, ...] = ()) -> Context:
    """The context a reply leaves: its question as read, its meetings, its first source, what it quoted."""
    q = followup.query
    return Context(question=q.text if followup.taken is None else _restated(q), meetings=q.meetings or meetings,
                   source=source, subject=q.content_terms, shown=shown + q.skip_ids, at=time.monotonic())


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
