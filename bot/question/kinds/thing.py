"""Which-X questions for named things (unit, initiative, programme, agreement, day…; a country or
government): the capitalised name in the sentence that ends with that word, or a country's name."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from bot.cms.countries import country_names
from bot.answer import intl
from bot.answer.sentences import Reading, finish, holds_plain_words
from bot.cms.synonyms import SPELLINGS
from bot.question.kinds.counting import NUMBER_WORD
from bot.search.analyzer import analyze
from bot.text import question_words
from bot.question.kinds.base import OTHER_LANGS, QuestionKind

if TYPE_CHECKING:
    from bot.question.query import Query

#: Kinds of thing whose names end with the kind ("… Unit", "… Initiative"). Not "species":
#: "… Migratory Species" is a title.
NAMED_KINDS = frozenset("""unit initiative programme program organisation organization agreement partnership
    campaign project plan framework network fund society committee secretariat office agency alliance
    council panel award day week conference convention memorandum centre center declaration report
    strategy action""".split())
#: Nouns answered by an organisation's name ("which body took the decision?" → "the Standing Committee").
BODY_KINDS = frozenset("body organisation organization institution entity".split())
#: Last words of an organisation's name.
_BODY_ENDINGS = ("Committee|Council|Secretariat|Commission|Bureau|Agency|Ministry|Department|Programme|Union|Society"
                 "|Fund|Foundation|Organization|Organisation|Network|Panel|Group|Board|Office|Conference of the Parties")
#: Nouns answered by a country's name.
COUNTRY_KINDS = frozenset("country government nation state party".split())
_COUNTRIES_PLURAL = frozenset("countries governments nations states parties".split())


@functools.lru_cache(maxsize=1)
def _countries() -> re.Pattern[str]:
    """Country names in English (``bot.cms.countries``), longest first, whole words."""
    alternatives = "|".join(sorted((re.escape(n) for n in country_names("en")), key=len, reverse=True))
    return re.compile(rf"\b(?:the\s+)?(?:{alternatives})\b")


_AS_PLACE = re.compile(r"\b(?:in|at|to|from|across|throughout)\s+(?:the\s+)?$")
_AFTER_CITY = re.compile(r"\b(?P<city>[A-Z][\w’'-]+),\s*$")


def _as_place(before: str) -> bool:
    """Whether a country follows "in"/"at" or a city ("Quito, Ecuador"), so names where, not who."""
    if _AS_PLACE.search(before):
        return True
    city = _AFTER_CITY.search(before)
    return city is not None and not _countries().fullmatch(city.group("city"))


def _named(noun: str, reading: Reading) -> str | None:
    word = r"[A-Z][\w/&’'-]*"
    name = re.compile(rf"\b{word}(?:,?\s+(?:(?:of|and|for|the|on|to|in)\s+)?{word})*?\s+{noun.capitalize()}s?\b(?:\s+\([A-Z]{{2,}}\))?")
    for sentence in reading.answering():
        found = [(m.start(), m.end(), re.sub(r"^(?:The|A|An)\s+", "", m.group(0))) for m in name.finditer(sentence.text)]
        if found:
            return finish(reading.closest(found, sentence.text))
    return None


def country(query: Query, reading: Reading, several: bool = False) -> str | None:
    """The country a sentence about what is asked names as acting; ``several``: every one it names
    so ("which countries were recognized …?" → "Germany, Monaco and the Philippines")."""
    if reading.passage.lang != "en":
        return None if several else intl.country(query, reading)
    asked = query.text.lower()
    for sentence in reading.answering():
        # A country named as a place ("in Ecuador", "Quito, Ecuador") is where, not who.
        found = [(m.start(), m.end(), m.group(0)) for m in _countries().finditer(sentence.text)
                 if m.group(0).lower() not in asked and not _as_place(sentence.text[: m.start()])]
        if found and several:
            names = list(dict.fromkeys(text for _, _, text in found))
            if len(names) < 2:
                return None  # one country where several are asked: the sentence may not say all
            return finish(", ".join(names[:-1]) + " and " + names[-1])
        if found:
            return finish(reading.closest(found, sentence.text))
    return None


#: A quoted name: “Living Planet, Connected Planet”, 'Kolam'.
_QUOTED = re.compile(r"[“\"‘'](?P<name>[A-Z](?:[^“”\"‘’']|[’'](?=\w)){1,150}?)[,.]?[”\"’'](?!\w)")
#: Words that introduce a name given to the noun before them ("a report …, entitled “…”").
_NAMING = re.compile(r"\b(?:entitled|titled|called|named|dubbed|known\s+as)\s*,?\s*$", re.IGNORECASE)
#: What introduces the members of a plural noun ("extinct species, such as the Asiatic cheetah").
_LISTING = re.compile(r"\b(?:such\s+as|including|includes?|included|namely)\s+(?P<items>(?:the\s+)?[A-Za-z][^;:]*)")
_THESE_INCLUDE = re.compile(r"^\W*(?:These|They|Those|Among\s+them|This)\s+(?:include[sd]?|are|were)\b", re.IGNORECASE)
#: A list stops at a clause that says something about it ("…, which once lived …").
_LIST_END = re.compile(r",?\s+(?:which|who|that|whose|to|for|in\s+order|as\s+well)\b.*$|[.;]\s*$")


def _noun_tokens(noun: str) -> frozenset[str]:
    return frozenset(analyze(noun))


def _quoted_name(noun: str, reading: Reading) -> str | None:
    """The quoted name the sentence gives the asked noun: "'Kolam', a traditional art form",
    "a report …, entitled “Living Planet, Connected Planet …”"."""
    nouns = _noun_tokens(noun)
    for sentence in reading.answering():
        if not nouns & sentence.tokens:
            continue
        text = sentence.text
        found = []
        for m in _QUOTED.finditer(text):
            before, after = text[: m.start()], text[m.end():]
            named = _NAMING.search(before) and nouns & frozenset(analyze(before[-160:]))
            appositive = re.match(rf",\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}{re.escape(noun)}s?\b", after, re.IGNORECASE)
            if named or appositive:
                found.append((m.start(), m.end(), m.group("name").strip()))
        if found:
            return finish(reading.closest(found, text))
    return None


def _members(noun: str, reading: Reading) -> str | None:
    """The members a sentence lists for a plural noun ("which seven species …?" → "These include the
    Asian elephant, jaguar, …"): after "such as", "including", "include", in the sentence that holds
    the noun or in the one right after it that says "These include"."""
    nouns = _noun_tokens(noun)
    sentences = list(reading.sentences)
    answering = {s.text for s in reading.answering()}
    for i, sentence in enumerate(sentences):
        if sentence.text not in answering:
            continue
        own = nouns & frozenset(analyze(sentence.text))
        follows = i > 0 and nouns & frozenset(analyze(sentences[i - 1].text)) and _THESE_INCLUDE.match(sentence.text)
        if not (own or follows):
            continue
        m = _LISTING.search(sentence.text) or (follows and re.search(r"\b(?:include[sd]?|are|were)\s+(?P<items>.+)$",
                                                                       sentence.text))
        if not m or (own and not follows and not _noun_before(nouns, sentence.text[: m.start()])):
            continue
        items = _LIST_END.sub("", m.group("items")).strip()
        if items and not items[0].isdigit() and ("," in items or " and " in items or len(items.split()) <= 6):
            return finish(items)
    return None


def _noun_before(nouns: frozenset[str], before: str) -> bool:
    """Whether the noun, in lower case (a capitalised one is a title's: "Migratory Species"), ends the
    text before the list, a few words at most ("extinct species, such as …")."""
    from bot.search.analyzer import analyze_with_spans

    tail = before[-40:]
    return any(t in nouns and tail[s].islower() and not re.search(r"[.;:]", tail[e:])
               for t, s, e in analyze_with_spans(tail))


_BODY = re.compile(rf"\b(?:the\s+)?(?P<name>(?:[A-Z][\w’'-]*\s+){{0,5}}(?:{_BODY_ENDINGS}))\b")


def _body(query: Query, reading: Reading) -> str | None:
    """An organisation's name in a sentence about what the question asks ("… was taken by the
    Standing Committee"), not one the question names itself."""
    return _first_named(_BODY, "name", query, reading)


def _first_named(pattern: re.Pattern[str], group: str | int, query: Query, reading: Reading,
                 also_named: frozenset[str] = frozenset()) -> str | None:
    """The match of ``pattern`` nearest the question's words in the best answering sentence that has
    one the question does not already name (spacing and case aside; ``also_named``: further names it
    stands for, folded the same way)."""
    asked = query.text.casefold().replace(" ", "")
    for sentence in reading.answering():
        found = [(m.start(), m.end(), m.group(group)) for m in pattern.finditer(sentence.text)
                 if (name := m.group(group).casefold().replace(" ", "")) not in asked
                 and not any(name.replace("-", "").endswith(other) for other in also_named)]
        if found:
            return finish(reading.closest(found, sentence.text))
    return None


#: Nouns answered by a meeting ("at which COP was it first adopted?" → "the 12th Meeting of the
#: Conference of the Parties").
MEETING_KINDS = frozenset("cop meeting session conference".split())
_MEETING_NAMED = re.compile(r"\b(?:CMS\s+)?COP\s?-?\d{1,2}\b|\b\d{1,2}(?:st|nd|rd|th)\s+(?:Meeting|Session|meeting|session)\s+of\s+the"
                            r"\s+Conference\s+of\s+(?:the\s+)?Parties\b"
                            # a body's own numbered meeting: "The Standing Committee considered, at its 52nd meeting, …"
                            r"|(?<=\bits\s)\d{1,3}(?:st|nd|rd|th)\s+(?:meeting|session)\b")


def _meeting(query: Query, reading: Reading) -> str | None:
    """The meeting a sentence about what is asked names, one the question does not name — nor the one
    it is about ("CMS COP 11" is no answer to which meeting was held before COP11 opened, named or
    taken from the conversation)."""
    return _first_named(_MEETING_NAMED, 0, query, reading, frozenset(f"cop{n}" for n in query.meetings))


#: Nouns answered by a person in that role ("which President of Uzbekistan addressed …?").
ROLE_KINDS = frozenset("president minister secretary chair chairperson director ambassador commissioner".split())
#: A sentence that opens with the members it says something about: "The Urial sheep, smooth hammerhead
#: shark, and the tope shark were listed …".
_LISTED_FIRST = re.compile(r"^\W*(?P<items>(?:[Tt]he\s+)?[\w’'-]+(?:\s+[\w’'-]+){0,4}(?:,\s+(?:and\s+)?(?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+){0,4})+)"
                           r"\s+(?:were|are|have\s+been)\s+(?P<verb>[a-z]+)\b")


def _listed_first(query: Query, reading: Reading) -> str | None:
    """The members a sentence opens with, when its verb is the question's ("which three species were
    listed on Appendix II?")."""
    for sentence in reading.answering():
        m = _LISTED_FIRST.match(sentence.text)
        if m and query.plain_terms and holds_plain_words(query, frozenset(analyze(m.group("verb")))):
            items = m.group("items")
            if "," in items and len(items) <= 200:
                return finish(items)
    return None


#: Words that only count or contrast the asked noun ("three", "other", "new"), never part of its name.
_NOT_A_NAME = frozenset("other another new additional same such more most further latest first last next this that "
                        "these those its their his her our".split())
#: A time named before the noun ("Today's report", "this year's theme") is no part of its name either.
_WHEN_WORD = re.compile(r"(?i)^(?:today|yesterday|tomorrow|tonight|week|month|year|decade|monday|tuesday|wednesday|"
                        r"thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|"
                        r"september|october|november|december)(?:[’']s)?$")
#: A count before the noun ("three dolphin species", "several"): no part of a name.
_COUNT_WORD = re.compile(rf"(?i)(?:{NUMBER_WORD}|(?:several|many|few|some|all|both|dozens|thousand)\b)")
_WORD_BEFORE = re.compile(r"([\w’'-]+)\s+$")


_TITLE_LINKS = frozenset("of the and for on".split())


def _capital_ahead(before: str) -> bool:
    """Whether the first word before ``before``'s end that is no title link is capitalised."""
    for _ in range(3):
        ahead = _WORD_BEFORE.search(before)
        if ahead is None:
            return False
        if ahead.group(1) not in _TITLE_LINKS:
            return ahead.group(1)[:1].isupper()
        before = before[:ahead.start()]
    return False


def _capitalised(words: list[str]) -> bool:
    return bool(words) and all(w[:1].isupper() or w in _TITLE_LINKS for w in words)


def _kind_member(noun: str, query: Query, reading: Reading) -> str | None:
    """The one member of the asked noun's kind a sentence names by its modifiers ("which manatee …?" →
    "the West African manatee"; "besides the saker falcon, which other falcon …?" → "red-footed
    falcon"): the words right before the noun, those the question has left out; two such: no answer."""
    asked = set(analyze(query.text))
    # the asked phrase's own modifiers ("whale" of "which whale population") must be the member's
    modifiers = {t for word in (query.asked_phrase or noun).split()[:-1] if word not in _NOT_A_NAME
                 for t in analyze(word)}
    spellings = [noun, *SPELLINGS.get(noun, ())]
    pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, spellings))})(?:s|es)?\b", re.IGNORECASE)
    for sentence in reading.answering():
        found: dict[str, tuple[int, int, str]] = {}
        for m in pattern.finditer(sentence.text):
            start, words = m.start(), list[str]()
            while len(words) < 3 + 3 * _capitalised(words) and (w := _WORD_BEFORE.search(sentence.text[:start])):
                word = w.group(1)
                if word in _TITLE_LINKS and _capitalised(words) and _capital_ahead(sentence.text[:w.start()]):
                    # inside a capitalised name: "State of the World's Migratory Species report"
                    words.insert(0, word)
                    start = w.start()
                    continue
                if not analyze(word) or word.casefold() in _NOT_A_NAME or any(c.isdigit() for c in word) \
                        or _COUNT_WORD.fullmatch(word) or _WHEN_WORD.match(word) \
                        or (word.islower() and "-" not in word and word.endswith(("ing", "ed"))):
                    break  # a count or a verb ("including three dolphin species") is no part of a name
                words.insert(0, word)
                start = w.start()
            if not words or set(analyze(" ".join(words))) <= asked:
                continue
            name, end = f"{' '.join(words)} {m.group(0)}", m.end()
            if missing := modifiers - set(analyze(name)):
                # "which whale population" → "the Mediterranean population of Cuvier's beaked whales"
                of = re.match(r"\s+of\s+((?:[\w’'-]+\s*){1,5})", sentence.text[end:])
                tail = of.group(1).split() if of else []
                size = next((n for n in range(1, len(tail) + 1) if missing <= set(analyze(" ".join(tail[:n])))), 0)
                if not size:
                    continue
                name = f"{name} of {' '.join(tail[:size])}"
                end += len(sentence.text[end:].split(tail[size - 1], 1)[0]) + len(tail[size - 1])
            if aside := re.match(r"\s*\((?P<aside>[A-Z][a-z]+ [a-z]+(?: [a-z]+)?)\)", sentence.text[end:]):
                name += f" ({aside.group('aside')})"  # its scientific name: "(Falco vespertinus)"
            found.setdefault(name.casefold(), (start, end, name))
        if len(found) == 1:
            return finish(next(iter(found.values()))[2])
        if found:
            return None
    return None


def extract(query: Query, reading: Reading) -> str | None:
    noun = query.asked_noun or ""
    if noun in MEETING_KINDS:
        return _meeting(query, reading)
    if noun in ROLE_KINDS:
        from bot.question.kinds.who import extract as person

        return person(query, reading)
    if noun == "person":  # "Qual senador …?", "¿Qué ministra …?": a person with that role
        return intl.person(query, reading)
    if noun in BODY_KINDS:
        return _body(query, reading)
    if noun in COUNTRY_KINDS:
        return country(query, reading)
    if noun in _COUNTRIES_PLURAL and not query.asked_one:
        return country(query, reading, several=True)
    if noun in NAMED_KINDS:
        named = _named(noun, reading)
        if named:
            return named
    several = _plural(noun) and not query.asked_one
    return _quoted_name(noun, reading) or (_members(noun, reading) or _listed_first(query, reading) if several
                                           else _kind_member(noun, query, reading)
                                           if noun.isalpha() and noun not in {"species", "subspecies", "taxa"} else None)


def _plural(noun: str) -> bool:
    return noun in {"species", "subspecies", "taxa"} or (noun.endswith("s") and not noun.endswith("ss"))


KIND = QuestionKind(
    name="thing",
    answer_type="name",
    patterns=(
        question_words.pattern("which", OTHER_LANGS),
        re.compile(r"^\W*(?:(?:and|so)\s+)?(?:(?:under|in|at|from|by|for|on|to|with|of)\s+)?(?:which|what)\s+[a-z]{3,}\b"),
              re.compile(r"(?<!\w)(?:quel|quelle|quels|quelles|qué|cuál|cuáles|qual|quais)(?!\w)")),
    extract=extract,
    # Any noun may be answered by a quoted name or a list of members; the named kinds by their names.
    asks_typed=lambda query: bool(query.asked_noun) and query.asked_noun not in {"did", "does", "do", "is", "was"},
    examples=("Which unit handles communication?", "Which government proposed the polar bear?"),
)
