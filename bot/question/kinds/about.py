"""What-is-it-about questions on a reference: "What is Resolution 12.01 about?", "What is
UNEP/CMS/COP13/Doc.24 about?", "What does Decision 13.25 cover?" — the reference's title, as a list
row ("Resolution 12.01 Presidency of the Conference of Parties"), a sentence ("by Resolution 11.6 on
Review of Decisions") or the referenced document's own heading gives it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.answer.sentences import Reading, finish
from bot.cms.symbols import SYMBOL
from bot.model import Passage
from bot.question.kinds.base import QuestionKind
from bot.question.kinds.reference import REFERENCES
from bot.search.analyzer import analyze

if TYPE_CHECKING:
    from bot.question.query import Query

_REFERENCE_WORDS = r"(?:resolution|decision|recommendation|notification|document|unep/|doc\b|concerted\s+action|\d{1,2}\.\d{1,3}\b)"
_ABOUT = re.compile(r"^\W*(?:(?:and|so)\s+)?what(?:'s|’s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+)?"
                    rf"{_REFERENCE_WORDS}[^?]{{0,80}}?\s+(?:about|on)\W*$")
_COVERS = re.compile(rf"^\W*(?:(?:and|so)\s+)?what\s+(?:does|did|do)\s+(?:the\s+)?{_REFERENCE_WORDS}[^?]{{0,80}}?\s+"
                     r"(?:cover|deal\s+with|concern|address|regulate)\W*$")
#: A title as texts print it after the reference: capitalised words and the small words between them.
_TITLE = r"(?P<title>[A-Z][\w’'-]*(?:\s+(?:(?:of|and|the|on|for|to|in|with|a|an|at|from|by)\s+)*[A-Z][\w’'-]*)*)"
_TITLED = re.compile(r"^\s*(?:\((?:Rev\.?\s*)?COP\s?\d+\)\s*)?(?::|–|-|,)?\s*(?:on\s+|entitled\s+|titled\s+|[“\"])?" + _TITLE)
_NUMBERED = re.compile("|".join(p.pattern for p in (REFERENCES["resolution"], REFERENCES["decision"])) + "|" + SYMBOL.pattern,
                       re.IGNORECASE)
_SMALL = frozenset("of and the on for to in with a an at from by".split())


def asked_references(query: Query) -> frozenset[str]:
    """The question's references, analyzed: its symbols and numbers ("12.01", "2014/002")."""
    return frozenset(query.exact_terms) | {t for t in query.content_terms if re.fullmatch(r"\d{4}/\d{3}", t)}


def _names_asked(reference: str, query: Query) -> bool:
    return bool(set(analyze(reference)) & asked_references(query))


def _title_after(text: str, query: Query) -> str | None:
    """The title printed right after the asked reference in ``text``, if any."""
    for m in _NUMBERED.finditer(text):
        if not _names_asked(m.group(0), query):
            continue
        titled = _TITLED.match(text[m.end():])
        title = titled.group("title") if titled else ""
        if not titled or text[m.end() + titled.end():].lstrip().startswith(":"):
            continue  # a cover page's field label ("Original: English"), not a title
        words = title.split()
        if any(len(w) > 3 and w.isupper() for w in words):
            continue  # a cover page's running capitals ("MIGRATORY"), not a title
        while words and words[-1].casefold() in _SMALL:
            words.pop()
        if len(words) >= 2 and not set(analyze(" ".join(words))) <= set(query.terms):
            return " ".join(words)
    return None


def extract(query: Query, reading: Reading) -> str | None:
    passage = reading.passage
    # a list row or a heading that opens with the reference: "Resolution 12.01 Presidency of …"
    title = _title_after(passage.text.split("\n", 1)[0], query) if _NUMBERED.match(passage.text) else None
    if title is None:
        for sentence in reading.sentences:
            if (title := _title_after(sentence.text, query)) is not None:
                break
    if title is None and passage.symbol and _names_asked(passage.symbol, query):
        # the referenced document itself: its heading, without the number it repeats ("2014/002: …")
        heading = re.sub(r"^\s*\d{4}/\d{3}\s*:\s*", "", passage.document_title or "")
        # (not a heading the ingester re-cased from capitals: "the 13 Th Meeting" is not the page's)
        if heading and not _names_asked(heading, query) and len(heading.split()) >= 2 \
                and not re.search(r"\b\d+\s+(?:St|Nd|Rd|Th)\b", heading):
            title = heading
    return finish(title) if title else None


def _rank(passage: Passage, query: Query) -> float:
    return 1.0 if any(_names_asked(m.group(0), query) for m in _NUMBERED.finditer(passage.text)) \
        or (passage.symbol is not None and _names_asked(passage.symbol, query)) else 0.6


KIND = QuestionKind(
    name="about",
    answer_type="title",
    patterns=(_ABOUT, _COVERS),
    type_words=frozenset(analyze("about cover deal concern address")),
    rank=_rank,
    extract=extract,
    asks_typed=lambda query: bool(asked_references(query)),
    examples=("What is Resolution 12.01 about?", "What is UNEP/CMS/COP13/Doc.24 about?"),
)
