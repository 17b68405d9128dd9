"""Direct answers: the question kind's extractor over the cited passage's quoted sentences, or the
meetings table for when/where a COP was — never made up. No extractable fact, no direct answer."""

from __future__ import annotations

import re
from datetime import date

from bot.answer.compose import unit_tokens
from bot.answer.sentences import Reading
from bot.cms.dates import find_dates
from bot.model import Meeting, Passage
from bot.question.kinds.when import TODAY
from bot.question.query import Query
from bot.search.analyzer import analyze
from bot.text import messages as msg
from bot.text import question_words
from bot.text.i18n import format_date as format_date_in, format_weekday_date, translate

#: How much the words a part of a question takes from the part before count, beside its own.
INHERITED_WEIGHT = 0.3

_OPEN = frozenset(analyze("open opened opening opens start started starts begin began begins kick commence"))
_CLOSE = frozenset(analyze("end ended ends close closed closes closing finish finished conclude concluded"))


def direct_answer(query: Query, passage: Passage, weights: dict[str, float], quote: str | None = None,
                  parts: tuple[Query, ...] = ()) -> str | None:
    """The fact the question's kind asks for, read from what the reader sees of ``passage``
    (``quote``; the whole passage when None), or None. A question in two ``parts`` is answered
    only when both are ("31 species; 21 …"): half an answer would read as the whole."""
    seen = quote if quote is not None else passage.text
    if parts:
        # Every part must be answered with a one-line fact: half an answer would read as the whole.
        if not all(part.kind.typed(part) for part in parts):
            return None
        answers = []
        for part in parts:
            found = part_answer(part, passage, weights, seen)
            if found is None or found in answers:
                return None  # a part unanswered, or answered with the other part's fact
            answers.append(found)
        return joined(answers)
    extract = query.kind.extract
    if extract is None or not weights:
        return None
    return extract(query, Reading(query, passage, seen, weights))


_CONTINUING = re.compile(r"^(?:Since|In|From|On|At|By|Until|During|More|Over|About|Some|Nearly|Almost|One|Two|Three|Four"
                         r"|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve|Twenty|Thirty|Forty|Fifty|Hundreds|Thousands)\b")


def _continued(answer: str) -> str:
    """A later part's answer as it reads after a semicolon ("Armenia; since 2011")."""
    return answer[0].lower() + answer[1:] if _CONTINUING.match(answer) else answer


def part_answer(part: Query, passage: Passage, weights: dict[str, float], seen: str) -> str | None:
    """One part of a two-part question answered from what the reader sees of ``passage``, read for
    its own words ("declining" for one share, "threatened" for the other), without its full stop."""
    if not part.kind.typed(part) or part.kind.extract is None:
        return None
    own = {t: weights.get(t, 1.0) * (INHERITED_WEIGHT if t in part.inherited_terms else 1.0)
           for t in part.content_terms} or weights
    found = part.kind.extract(part, Reading(part, passage, seen, own)) if own else None
    return found.rstrip(".") if found else None


def joined(answers: list[str]) -> str | None:
    """The parts' answers as one line: "Armenia; since 2011."."""
    return "; ".join(answers[:1] + [_continued(a) for a in answers[1:]]) + "." if answers else None


def meeting_event(query: Query) -> str | None:
    """"open" or "close" when the question asks when a meeting opened or closed, else None."""
    words = set(query.terms)
    if words & (_OPEN | question_words.event_terms("open", query.lang)):
        return "open"
    if words & (_CLOSE | question_words.event_terms("close", query.lang)):
        return "close"
    return None


_WEEKDAY_ASKED = re.compile(r"(?i)\bday\s+of\s+the\s+week\b|\bweekday\b|\bjour\s+de\s+la\s+semaine\b"
                            r"|\bd[ií]a\s+de\s+la\s+semana\b|\bdia\s+da\s+semana\b")


def meeting_answer(query: Query, meeting: Meeting, today: date) -> str:
    """From meetings.yaml: when/where a COP was (or is to be) held, in the question's language."""
    lang = query.lang
    ended = meeting.end < today
    place = f"{meeting.city}, {meeting.country}"
    event = meeting_event(query)
    # "on what day of the week?": the day's name too
    day = format_weekday_date if _WEEKDAY_ASKED.search(query.text) else format_date_in
    if event == "open":
        return translate(msg.MEETING_OPENED if ended else msg.MEETING_OPENS, lang, code=meeting.code,
                         date=day(meeting.start, lang), place=place)
    if event == "close":
        return translate(msg.MEETING_CLOSED if ended else msg.MEETING_CLOSES, lang, code=meeting.code,
                         date=day(meeting.end, lang), place=place)
    start, end = _range_ends(meeting, lang)
    return translate(msg.MEETING_HELD if ended else msg.MEETING_SCHEDULED, lang, code=meeting.code, place=place,
                     start=start, end=end)


def _range_ends(meeting: Meeting, lang: str) -> tuple[str, str]:
    """"4" and "9 November 2014" for a range within one month, both dates in full otherwise."""
    s, e = meeting.start, meeting.end
    if s.year == e.year and s.month == e.month:
        return str(s.day), format_date_in(e, lang)
    return format_date_in(s, lang), format_date_in(e, lang)


def corroborates(passage: Passage, meeting: Meeting, words: frozenset[str]) -> int:
    """How plainly a passage backs a meeting's dates for "when did COPn <word>?": 2 when a sentence
    with one of ``words`` names the meeting's first or last day or its whole range, 1 when such a
    sentence says "today" in a passage dated that day, else 0."""
    days = {meeting.start, meeting.end}
    best = 0
    for unit, tokens in unit_tokens(passage.text, passage.lang):
        if not tokens & words:
            continue
        sentence = passage.text[unit.start:unit.end]
        spans = [f.span for f in find_dates(sentence)]
        if any((d.start == d.end and d.start in days) or (d.start, d.end) == (meeting.start, meeting.end)
               for d in spans):
            return 2  # the meeting's first or last day, or its whole range ("23 to 29 March 2026")
        if passage.date in days and TODAY.search(sentence):
            best = 1
    return best
