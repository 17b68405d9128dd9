"""What-is-it-called questions (slogan, theme, motto, title, name): the quoted words after that noun,
or a document's printed title when it is named by symbol."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.answer import intl
from bot.answer.sentences import Reading, finish
from bot.text import question_words
from bot.question.kinds.base import OTHER_LANGS, QuestionKind
from bot.question.kinds.when import symbol_terms
from bot.search.analyzer import analyze, analyze_with_spans

if TYPE_CHECKING:
    from bot.question.query import Query

#: Nouns asked about, and the nouns texts use for them.
NOUNS = {"slogan": "slogan|motto|tagline", "motto": "slogan|motto|tagline", "tagline": "slogan|motto|tagline",
         "theme": "theme", "title": "title|titled|entitled", "name": "name|named|called", "headline": "headline"}
_QUOTED = r"[^\"“”.;]{0,40}?[\"“‘'](?P<name>[^\"“”‘’]{3,200}?)[,.]?[\"”’']"


#: "known as the butanding in the Philippines", "locally called 'butanding'": a thing's other name.
_KNOWN_AS = re.compile(r"\b(?:(?:also|locally|commonly|popularly)\s+)?(?:known|referred\s+to)\s+(?:locally\s+)?as\s+(?:the\s+)?"
                       r"[\"“‘']?(?!(?:the|a|an)\b)(?P<name>[\w’'-]+(?:\s+[\w’'-]+){0,3}?)[\"”’']?(?=\s+(?:in|by|among|across)\b|[,.;:)]|$)"
                       r"|\b(?:locally|also|commonly)\s+called\s+(?:the\s+)?[\"“‘']?(?!(?:the|a|an)\b)(?P<called>[\w’'-]+(?:\s+[\w’'-]+){0,3}?)[\"”’']?(?=[\s,.;:)]|$)")


def _other_name(query: Query, reading: Reading) -> str | None:
    """"What is the whale shark called in the Philippines?": the name it is "known as"."""
    subject = set(query.plain_terms) | set(query.content_terms)
    for sentence in reading.answering():
        for m in _KNOWN_AS.finditer(sentence.text):
            # The thing asked about must be named right before its other name.
            before = {t for t, _, _ in analyze_with_spans(sentence.text[max(0, m.start() - 60): m.start()])}
            if subject & before:
                return finish(m.group("name") or m.group("called"))
    return None


#: "the semipalmated sandpiper (Calidris pusilla)": a species' scientific name after its common one.
_BINOMIAL = re.compile(r"\((?P<name>[A-Z][a-z]+\s+[a-z]{3,}(?:\s+[a-z]{3,})?)\)")
_SCIENTIFIC = re.compile(r"\b(?:scientific|latin|binomial|taxonomic)\s+name\b", re.IGNORECASE)


def _scientific_name(query: Query, reading: Reading) -> str | None:
    """"What's the scientific name of the semipalmated sandpiper?": the binomial in brackets right
    after the species the question names."""
    asked = set(query.content_terms) - set(analyze("scientific latin binomial taxonomic name"))
    # (every sentence the reader sees: a name in brackets is bound to the one before it, "respectively" or not)
    for sentence in sorted(reading.sentences, key=lambda s: -s.cover):
        for m in _BINOMIAL.finditer(sentence.text):
            before = [t for t, _, _ in analyze_with_spans(sentence.text[max(0, m.start() - 40): m.start()])][-3:]
            if before and asked & set(before):
                return finish(m.group("name"))
    return None


def extract(query: Query, reading: Reading) -> str | None:
    noun = query.asked_noun or ""
    if noun == "called":
        return _other_name(query, reading)
    if noun == "name" and _SCIENTIFIC.search(query.text):
        return _scientific_name(query, reading)
    passage = reading.passage
    if noun == "title" and symbol_terms(query, passage) and passage.document_title \
            and passage.document_title.lower() in passage.text.lower():
        return f"{passage.symbol} is titled “{passage.document_title}”."
    spelled = NOUNS.get(noun)
    if spelled is None:
        return None
    if passage.lang != "en":
        return intl.quoted_name(noun, reading)
    pattern = re.compile(rf"\b(?:{spelled})s?\b(?:\s+(?:is|was|of|for|will\s+be))?\s*:?\s*{_QUOTED}"
                         rf"|[\"“](?P<before>[^\"“”]{{3,200}}?)[,.]?[\"”]\s+(?:is|was|will\s+be)\s+the\s+(?:{spelled})\b",
                         re.IGNORECASE)
    for sentence in reading.sentences:  # the quoted name may sit in any sentence the reader sees
        if sentence.cover < 0.3:
            continue
        m = pattern.search(sentence.text)
        if m:
            return finish((m.group("name") or m.group("before")).strip())
    return None


KIND = QuestionKind(
    name="called",
    answer_type="quoted name",
    patterns=(
        question_words.pattern("what_called", OTHER_LANGS),
        re.compile(r"\b(?:slogan|theme|motto|tagline|headline)s?\b"),
        re.compile(r"^\W*(?:what|which)(?:'s|s|\s+is|\s+was|\s+are|\s+were)?\s+(?:the\s+|its\s+)?(?:[\w./-]+\s+){0,2}?(?:title|name)\b"),
        re.compile(r"(?<!\w)(?:thème|lema|eslogan|tema|slogan)(?!\w)"),
        re.compile(r"^\W*what(?:'s|\s+is|\s+are|\s+was)\s+.+?\s+(?:called|known\s+as)\b"),
    ),
    extract=extract,
    asks_typed=lambda query: (query.asked_noun or "") in NOUNS or query.asked_noun == "called",
    examples=("What was the slogan of CMS COP12?", "cop14 slogan"),
)
