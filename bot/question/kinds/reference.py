"""Which-resolution / decision / document / agenda-item / symbol questions: the reference the
answering sentence names (one the question does not already name)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.answer import intl
from bot.answer.sentences import Reading
from bot.cms.symbols import SYMBOL
from bot.model import Passage
from bot.question.kinds.base import QuestionKind
from bot.search.analyzer import analyze

if TYPE_CHECKING:
    from bot.question.query import Query

#: Words between "which" and the reference noun that qualify it ("which COP11 listing decision"),
#: never a verb: "which body took the decision" asks for the body.
MODIFIERS = r"(?:(?!(?:took|take|takes|taken|did|does|do|was|were|is|are|has|have|had|made|adopted|issued)\b)[\w.-]+\s+){0,3}?"

REFERENCES = {
    "resolution": re.compile(r"\bResolution\s+\d+\.\d+(?:/Annex\s*\d+)?(?:\s*\(Rev\.\s*COP\d+\))?"
                             r"|\b[A-Z]/(?:RES/)?\d+/(?:L\.)?\d+\b"),
    "decision": re.compile(r"\bDecision\s+\d+\.(?:\d+|[A-Z]{1,3})\b(?:\s*(?:-|–|to)\s*\d+\.\d+)?"),
    "document": SYMBOL,
    "symbol": SYMBOL,
    "agenda item": re.compile(r"\bAgenda\s+Item\s+\d+(?:\.\d+)*", re.IGNORECASE),
}


_DOCUMENT = re.compile(r"/(?:Doc|Inf|Report)\b", re.IGNORECASE)
#: Words that only name the kind of reference asked for.
_TYPE_WORDS = frozenset(analyze("document documents symbol number resolution resolutions decision decisions agenda item"))


def extract(query: Query, reading: Reading) -> str | None:
    pattern = REFERENCES.get(query.asked_noun or "")
    if pattern is None:
        return None
    asked = query.text.lower()
    # The thing whose reference is asked, by its name ("the Rules of Procedure"), must be the sentence's.
    required = [t for t in query.content_terms if t not in _TYPE_WORDS and t not in query.plain_terms
                and not re.fullmatch(r"cop\d+", t)]
    plural = bool(re.search(r"\b(?:documents|resolutions|decisions|symbols|agenda\s+items)\b", asked))
    sentences = [s for s in reading.answering() if all(t in s.tokens for t in required)]
    # A document's symbol is asked: one with /Doc, /Inf or /Report first, a resolution's only after.
    passes = (True, False) if query.asked_noun in {"document", "symbol"} else (False,)
    for documents_only in passes:
        for sentence in sentences:
            found = [(m.start(), m.end(), m.group(0).rstrip(".")) for m in pattern.finditer(sentence.text)
                     if m.group(0).lower().rstrip(".") not in asked
                     and (not documents_only or _DOCUMENT.search(m.group(0)))]
            if found and plural:  # "which documents …?": every one the sentence names
                return " and ".join(dict.fromkeys(text for _, _, text in found))
            if len({text for _, _, text in found}) > 1:
                # several references, one asked for: only the one right after the question's own word
                # ("a proposal for extension (…Doc.28.1.7.a) and revision (…/Add.2)") — else not this
                # sentence's to say
                found = [f for f in found if _labelled_by(query, sentence.text[max(0, f[0] - 30): f[0]])]
                if len({text for _, _, text in found}) != 1:
                    return None
            if found:
                return found[0][2]  # no full stop: it would read as part of a symbol
    return None


def _labelled_by(query: Query, before: str) -> bool:
    """Whether the words right before a reference ("… and revision (") are the question's own."""
    words = re.findall(r"[A-Za-z][\w'-]*", before)[-2:]
    return bool(set(analyze(" ".join(words))) & set(query.plain_terms))


def _rank(passage: Passage, query: Query) -> float:
    """A document's symbol was asked for: passages printing one rank first (and a reply needs one)."""
    if query.asked_noun not in {"document", "symbol"}:
        return 1.0  # "which listing decisions …?" may be answered in words
    return 1.0 if SYMBOL.search(passage.text) else 0.5


KIND = QuestionKind(
    name="reference",
    answer_type="reference",
    patterns=(
        re.compile(r"^\W*(?:(?:and|so)\s+)?(?:(?:under|in|at|from|by|for|on|to|with|of)\s+)?(?:which|what)\s+"
                   + MODIFIERS + r"(?:resolution|decision|document|agenda\s+item)s?\b"),
        re.compile(r"\b(?:document\s+)?symbol\b|\b(?:resolution|decision|document)\s+number\b"),
        re.compile(r"\bnumber\s+of\s+(?:the\s+|a\s+)?(?:cms\s+|cop\s?\d+\s+)?(?:resolution|decision|document)s?\b"),
        re.compile(intl.REFERENCE_QUESTION),  # "la cote du document", "¿qué resolución …?", "qual decisão"
    ),
    # "the document symbol of …": what kind of reference is asked, never a word its text holds
    type_words=frozenset(analyze("symbol number")) | frozenset(analyze("cote numéro symbole référence", "fr"))
    | frozenset(analyze("signatura número símbolo", "es")) | frozenset(analyze("cota número símbolo", "pt")),
    rank=_rank,
    extract=extract,
    needs_answer_type=True,
    asks_typed=lambda query: (query.asked_noun or "") in REFERENCES,
    examples=("Which resolution introduced the distinction?", "What is the document symbol of the Rules of Procedure?"),
)
