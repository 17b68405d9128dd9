"""Who-questions: a person (with their role) from the sentence — a speaker line, "said NAME",
"ROLE, NAME" — or a decision's addressee."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.cms.countries import country_names
from bot.answer import intl
from bot.answer.sentences import Reading, finish, holds_plain_words
from bot.cms.synonyms import SYNONYMS
from bot.search.analyzer import analyze
from bot.text import question_words
from bot.question.kinds.base import LEAD, OTHER_LANGS, QuestionKind, fold_phrase

if TYPE_CHECKING:
    from bot.question.query import Query

_NAME_WORD = r"(?:[A-Z][a-zà-ÿ’'-]+|[A-Z]\.)"
_PARTICLE = r"(?:\s+(?:de|da|del|van|von|der|bin|al)\b)?"
NAME = rf"(?:(?:H\.E\.|Dr\.?|Mr\.?|Ms\.?|Mrs\.?|Prof\.?|Sir|Minister|President|Secretary)\s+)*{_NAME_WORD}(?:{_PARTICLE}\s+{_NAME_WORD}){{1,3}}"
_NAME_FIRST = re.compile(rf"^(?P<name>{NAME}),\s+(?P<role>[^:\n]+?)(?:,?\s+(?:said|says|stated|added|noted)\s*:|\s*$)")
#: "ROLE, NAME": the role must name a position ("CMS Ambassador, Stanley Johnson"), not any capitalised words.
_ROLE_NOUN = (r"(?:Ambassador|Minister|Secretary|Director|President|Chair|Chairperson|Officer|Executive|Head|Coordinator"
              r"|Commissioner|Governor|Mayor|Envoy|Patron|Champion|Deputy|Administrator|Manager|Spokesperson|Representative)")
_ROLE_THEN_NAME = re.compile(rf"(?P<role>(?:[A-Z][\w-]*\s+){{0,3}}{_ROLE_NOUN}(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+(?:and\s+)?[A-Z][\w-]*){{0,4}})?)"
                             rf",\s+(?P<name>{NAME})(?P<tail>,\s+[^,.;]+)?")
#: "CoW Chair Colin Galbraith (UK)": a position right before a name.
_ROLE_NAME = re.compile(rf"\b(?P<role>(?:[A-Z][\w-]*\s+){{0,2}}(?:Chair|Chairperson|President|Minister|Secretary|Director"
                        rf"|Ambassador|Commissioner|Governor|Mayor|Executive Secretary)(?:\s+of\s+(?:the\s+)?[A-Z][\w-]*)?)"
                        rf"\s+(?P<name>{NAME}|{_NAME_WORD}(?![\w’'-]|\s+[A-Z]))")
_SAID_NAME = re.compile(rf"[”\"’']\s*,?\s*(?:said|says|added|noted|stated|explained|declared)\s+(?P<name>{NAME})(?P<tail>,\s+[^,.;”\"]+)?")
_NAME_SAID = re.compile(rf"(?P<name>{NAME})(?P<tail>,\s+[^,.;”\"]+,)?,?\s+(?:said|says|added|noted|stated|declared|told)\b")
_ACCORDING = re.compile(rf"\baccording\s+to\s+(?P<name>{NAME})(?P<tail>,\s+[^,.;”\"]+)?")
#: How far a quotation may run on after the sentence that answers, to reach its "said NAME".
_QUOTATION_SENTENCES = 6
#: "Who said …", "who called …": the question asks for a quotation's speaker.
_SAID_QUESTION = re.compile(r"\bwho\s+(?:said|called|described|stated|declared|told|added|noted)\b", re.IGNORECASE)
_NOT_PERSON = re.compile(r"^(?:The|This|That|CMS|COP|UN|UNEP|Conference|Secretariat|Parties|Convention)\b")
#: Words of institutions, places and topics, never of a person's name.
_INSTITUTION_WORDS = frozenset("""Protection Environment Environmental Ecology Climate Change Ministry Minister Committee
    Conference Convention Species Parties Secretariat Programme Nations United Agreement Council Union Commission
    Department Agency Office Government Republic Kingdom States Wildlife Nature Conservation Fund Society Day
    Migratory Animals Wild Birds Unit Initiative Declaration Plan Strategy Development Affairs Resources""".split())


#: The roles a who-question may ask for, analyzed ("chairs" → chair).
_ROLE_TERMS = frozenset(analyze("chair chairs chaired chairperson president minister secretary director ambassador"
                                " commissioner governor mayor envoy patron champion coordinator head"))


def _role_tail(tail: str | None) -> str:
    """The role after a name (", Executive Secretary of CMS"), or nothing for a fragment the page
    was cut off in ("…, said Bradnee Chambers, E")."""
    tail = (tail or "").rstrip(",")
    return tail if len(tail.strip(" ,")) >= 3 else ""


def _is_person(name: str) -> bool:
    words = [w.strip(".,") for w in name.split()]
    return not _NOT_PERSON.match(name) and not any(w in _INSTITUTION_WORDS for w in words) \
        and not (words and words[0] in country_names("en"))


def _role(query: Query, reading: Reading) -> str | None:
    """"Who is NAME?": NAME's role from a speaker line or "ROLE, NAME"."""
    asked = query.asked_name
    for line in reading.passage.text.split("\n"):
        m = _NAME_FIRST.match(line.strip())
        if m and asked in m.group("name"):
            return finish(f"{m.group('name')}, {m.group('role')}")
    for sentence in reading.sentences:
        for m in _ROLE_THEN_NAME.finditer(sentence.text):
            if asked in m.group("name") and _is_person(m.group("name")):
                return finish(f"{m.group('role')}, {m.group('name')}{m.group('tail') or ''}")
    return None


def _speaker(reading: Reading) -> str | None:
    """"Who said …?" of a quotation that runs over several sentences: the attribution after the
    quotation closes ("…,” said Ms. Marina Silva, Minister …"), read from the sentence that answers
    the question onwards, within the same quotation."""
    sentences = list(reading.sentences)
    if not sentences:
        return None
    phrases = reading.query.phrases
    holding = [i for i, s in enumerate(sentences) if phrases and any(p in fold_phrase(s.text) for p in phrases)]
    best = holding[0] if holding else max(range(len(sentences)), key=lambda i: (sentences[i].own, -i))
    if not holding and sentences[best].own < 0.5:
        return None
    for i, sentence in enumerate(sentences[best: best + _QUOTATION_SENTENCES]):
        if i and re.match(r"^\W*[“\"]", sentence.text):
            return None  # another quotation began: its speaker is not the one asked about
        m = _SAID_NAME.search(sentence.text) or _NAME_SAID.search(sentence.text)
        if m and _is_person(m.group("name")):
            return finish(f"{m.group('name')}{_role_tail(m.groupdict().get('tail'))}")
    return None


_ITEM = r"(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w’'-]*)*"
#: "The Champions awarded for COP 12 are Germany, Monaco, … and the Philippines": who they are.
_NAMED_LIST = re.compile(rf"\s(?:are|were)\s+(?P<items>{_ITEM}(?:,\s+(?:and\s+)?{_ITEM})+(?:,?\s+and\s+{_ITEM})?)\s*[.;]?\s*$")


_LIST_DID = re.compile(rf"(?P<items>{_ITEM}(?:,\s+{_ITEM})*,?\s+and\s+{_ITEM})\s+(?:were|are)\s+(?P<verb>[a-z]+)\b")


#: A labelled field of a document's cover ("Proponent: Government of the Philippines").
_FIELD = re.compile(r"(?:^|[\s(.])(?P<label>[A-Z][a-z]+(?:\s+[a-z]+)?):\s+(?P<value>[A-Z][^.:;()\n]{2,80}?)(?=\s*(?:\(|[.;\n]|$))")


def _named_by_question(name: str, query: Query) -> bool:
    """Whether the question itself names this person (by their surname)."""
    surname = name.split()[-1].strip(".,")
    return bool(re.search(rf"\b{re.escape(surname)}\b", query.text, re.IGNORECASE))


def _field(query: Query, reading: Reading) -> str | None:
    """A cover's field whose label is what the question asks ("who proposed …?" → "Proponent: …")."""
    for sentence in reading.answering():
        for m in _FIELD.finditer(sentence.text):
            if holds_plain_words(query, frozenset(analyze(m.group("label")))):
                return finish(m.group("value"))
    return None


def _named_list(query: Query, reading: Reading) -> str | None:
    """The names a sentence gives those the question asks about ("who were recognised as
    Champions?" → "The Champions … are Germany, Monaco, …"): several capitalised names after "are",
    the asked words before it."""
    asked = {t for t in query.content_terms if t not in query.plain_terms} or set(query.content_terms)
    for sentence in reading.answering():
        m = _NAMED_LIST.search(sentence.text)
        if m and asked & frozenset(analyze(sentence.text[: m.start()])):
            return finish(m.group("items"))
        # "Germany, Monaco, … and the European Commission were recognized as Champions"
        m = _LIST_DID.search(sentence.text)
        if m and holds_plain_words(query, frozenset(analyze(m.group("verb")))):
            return finish(m.group("items"))
    return None


def extract(query: Query, reading: Reading) -> str | None:
    if reading.passage.lang != "en":
        return intl.person(query, reading)
    if query.asked_name:
        return _role(query, reading)
    if query.phrases or _SAID_QUESTION.search(query.text):
        return _speaker(reading)  # who said it: the speaker of the quotation that holds it
    passage = reading.passage
    if passage.locator.startswith("Decision ") and passage.context and passage.context.startswith("Directed to"):
        return finish(passage.context.split(" — ")[0])
    # A role the question asks about ("who chairs …", "which minister …") must be the person's own.
    asked_role = set(query.plain_terms) & _ROLE_TERMS
    if query.asked_phrase and set(analyze(query.asked_noun or "")) & _ROLE_TERMS:
        asked_role |= set(analyze(query.asked_phrase))  # "which Union Minister …": a Union Minister
    for sentence in reading.answering():
        speaker = _NAME_FIRST.match(sentence.text.strip())
        if speaker and _is_person(speaker.group("name").replace("H.E. ", "")):
            return finish(f"{speaker.group('name')}, {speaker.group('role')}")
        found = []
        for pattern in (_SAID_NAME, _NAME_SAID, _ACCORDING, _ROLE_THEN_NAME, _ROLE_NAME):
            for m in pattern.finditer(sentence.text):
                if not _is_person(m.group("name")) or _named_by_question(m.group("name"), query):
                    continue  # not a person, or the one the question names ("who was it before NAME?")
                tail = _role_tail(m.groupdict().get("tail"))
                role = m.groupdict().get("role")
                text = f"{role}, {m.group('name')}{tail}" if role else f"{m.group('name')}{tail.rstrip(',')}"
                if asked_role and not asked_role <= set(analyze(text)):
                    continue  # "who chairs …?" is not answered by the Executive Secretary
                found.append((m.start("name"), m.end("name"), text))
        if found:
            return finish(reading.closest(found, sentence.text))
    return _named_list(query, reading) or _field(query, reading) or _agent(query, reading)


#: An organisation named as the doer of a passive or a production: "organised by the Government of
#: Brazil", "a new video production of the Cornell Lab of Ornithology’s Center for Conservation Media".
_AGENT = re.compile(r"\b(?:by|production\s+of)\s+(?:the\s+)?(?P<org>[A-Z][\w’'-]*(?:\s+(?:(?:of|for|and|on|the)\s+)*[A-Z][\w’'-]*){1,8})")


def _agent(query: Query, reading: Reading) -> str | None:
    """The organisation a sentence holding the question's verb and nouns names as the doer; one only."""
    if not query.plain_terms:
        return None
    for sentence in reading.answering():
        if not all(t in sentence.words or any(s in sentence.words for s in SYNONYMS.get(t, ())) for t in query.plain_terms):
            continue  # every word: the doer of another act is no answer
        # (a role is no organisation: "headed by the Minister of Ecology, … A. Abdukhakimov" names a person)
        found = {m.group("org") for m in _AGENT.finditer(sentence.text)
                 if not _is_person(m.group("org")) and not _named_by_question(m.group("org"), query)
                 and not set(analyze(m.group("org"))) & _ROLE_TERMS}
        if len(found) == 1:
            return finish(found.pop())
        if found:
            return None
    return None


KIND = QuestionKind(
    name="who",
    answer_type="person",
    patterns=(
        question_words.pattern("who", OTHER_LANGS),
        re.compile(LEAD + r"(?:who|whom|whose)\b"),
        re.compile(r"\bwho\b"),
        re.compile(r"(?<!\w)(?:qui|quién|quiénes|quien|quem)(?!\w)"),
    ),
    extract=extract,
    # "who chairs the Scientific Council at the moment?" is not answered by a sentence about someone
    # else's doing: the question's verb and nouns must be the sentence's
    strict_event=True,
    examples=("Who is Stanley Johnson?", "Who said that COP11 'made borders disappear'?"),
)
