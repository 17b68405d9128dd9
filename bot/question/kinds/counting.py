"""Number recognisers shared by how-many, how-much and how-old: counts with their noun, percentages, ages."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from bot.answer import intl
from bot.answer.compose import Unit, unit_tokens
from bot.cms.dates import find_dates
from bot.search.analyzer import analyze, analyze_with_spans

NUMBER_WORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|a\s+hundred|hundreds|hundred|a\s+dozen|dozen"
    r"|thousands|millions|billions)\b"
)
NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{NUMBER_WORD})(?:\s+(?:million|billion|thousand|hundred))?"
QUALIFIER = (r"(?:(?:more\s+than|less\s+than|fewer\s+than|over|under|close\s+to|about|around|nearly|almost|some|only"
             r"|at\s+least|up\s+to|approximately|roughly|a\s+total\s+of|a\s+record)\s+)?")
COUNT = re.compile(
    rf"\b{QUALIFIER}{NUMBER}(?:\s*(?:to|and|-|–)\s*{NUMBER})?(?:\s*(?:per\s+cent|percent|%))?"
    r"(?P<noun>(?:\s+(?!(?:of|in|to|and|by|for|on|at|from|with|that|which|the|a|an|is|are|was|were|have|has)\b)[A-Za-z][\w’'-]*){0,3})",
    re.IGNORECASE,
)
PERCENT = re.compile(rf"\b{QUALIFIER}{NUMBER}\s*(?:per\s+cent|percent|%)", re.IGNORECASE)
AGE = re.compile(r"\b(?P<n>\d+|" + NUMBER_WORD + r")[\s-]years?(?:[\s-]old)?(?:\s+ago)?\b|\b(?P<n2>\d+)[\s-]year[\s-]history\b"
                 r"|\b(?P<n3>\d+)(?:st|nd|rd|th)\s+anniversary\b", re.IGNORECASE)
_YEARLIKE = re.compile(r"^(?:19|20)\d{2}$")
#: A count of these counts what the question names when that sentence or the one before names it.
GENERIC_COUNTED = frozenset(analyze("individuals animals specimens"))


def _not_a_count(match: re.Match[str]) -> bool:
    first = match.group(0).split()[0].strip(",.")
    return bool(_YEARLIKE.match(first) or re.match(r"^\d+\.\d+$", first))


#: "… species, including 1,189 that have been recognized …": a count whose noun is the one before it.
BARE_COUNT = re.compile(rf"\b{QUALIFIER}(?P<number>\d{{1,3}}(?:,\d{{3}})+|\d+)\s+(?=(?:that|which|who|of\s+them|of\s+these)\b)",
                        re.IGNORECASE)


#: "… 14 new species …, including 10 to Appendix I": a part of what the sentence counted before.
PART_COUNT = re.compile(rf"\b(?:including|which\s+include[sd]?|of\s+which|of\s+whom|among\s+them)\s+{QUALIFIER}"
                        rf"(?P<number>\d{{1,3}}(?:,\d{{3}})+|\d+|{NUMBER_WORD})(?P<rest>\s+(?:to|in|on|under|for)\s+[^,;:.]{{1,40}})?",
                        re.IGNORECASE)


def _counts_in(sentence: str, lang: str) -> Iterator[re.Match[str]]:
    """The counts of a sentence in its language (English ``COUNT``, else ``bot.answer.intl``'s)."""
    if lang == "en":
        return (m for m in COUNT.finditer(sentence) if not _not_a_count(m))
    return (m for m in intl.count_pattern(lang).finditer(sentence) if not intl.not_a_count(m))


def _generic(lang: str) -> frozenset[str]:
    return GENERIC_COUNTED if lang == "en" else intl.generic_counted(lang)


_NOUN_GOES_ON = re.compile(r"(?:,\s*|\s+and\s+|\s+)(?P<word>[A-Za-z][\w'-]*)")


def count_candidates(sentence: str, counted: frozenset[str], generic: bool,
                     lang: str = "en") -> list[tuple[int, int, str, int]]:
    """Every count in ``sentence`` of what is counted, as (start, end, phrase, how many of the counted
    words it names): counts with their noun ("31 species"), and bare counts after that noun in a
    relative clause ("species, including 1,189 that …"), which name what the sentence named before."""
    out = []
    for m in _counts_in(sentence, lang):
        noun = m.group("noun") or ""
        tokens = analyze_with_spans(noun, lang)
        if lang != "en":
            tokens = tokens[:1]  # "130 países participem": the noun comes first (its adjectives after it)
        hits = [e for t, s, e in tokens if t in counted or (generic and t in _generic(lang))]
        if hits:
            end = max(hits)
            while lang == "en" and (more := re.match(r"\s+[A-Za-z][\w'-]*s\b", noun[end:])) is not None:
                end += more.end()
            stop = m.start("noun") + end
            # "21 shark and ray species": the noun goes on while its words are what is counted
            while lang == "en" and (more := _NOUN_GOES_ON.match(sentence, stop)) is not None \
                    and set(analyze(more.group("word"))) & counted:
                stop = more.end()
            named = len({t for t, s, e in analyze_with_spans(sentence[m.start("noun"):stop], lang) if t in counted})
            out.append((m.start(), stop, sentence[m.start():stop].strip(" ,."), named))
    spans = analyze_with_spans(sentence, lang)
    for m in BARE_COUNT.finditer(sentence) if lang == "en" else ():
        before = {t for t, s, _ in spans if t in counted and s < m.start()}
        if before and not any(a <= m.start() < b for a, b, _, _ in out):
            out.append((m.start(), m.end(), m.group(0).strip(), len(before)))
    for m in PART_COUNT.finditer(sentence) if lang == "en" else ():
        before = {t for t, s, _ in spans if t in counted and s < m.start()}
        if not before:
            continue
        # "… 31 species, which included 21 shark, ray and sawfish species": up to the counted noun
        later = [e for t, s, e in spans if t in counted and m.end("number") < s <= m.end("number") + 60
                 and not re.search(r"[;:.]", sentence[m.end("number"): s])]
        end = min(later) if m.group("rest") is None and later else m.end()
        out = [c for c in out if not c[0] <= m.start("number") < c[1]]
        out.append((m.start("number"), end, sentence[m.start("number"): end].strip(), len(before)))
    return sorted(out)


def count_phrase(sentence: str, counted: frozenset[str], generic: bool, lang: str = "en") -> str | None:
    """The count in ``sentence`` whose noun names most of what is counted (the first of equals), up
    to that noun and the plural nouns right after it ("more than 100 media outlets")."""
    best: tuple[int, str] | None = None
    for noun, spans, whole, at in _count_pieces(sentence, lang):
        hits = [(t, e) for t, s, e in spans if t in counted or (generic and t in _generic(lang))]
        if hits:
            end = max(e for _, e in hits)
            while lang == "en" and (more := re.match(r"\s+[A-Za-z][\w'-]*s\b", noun[end:])) is not None:
                end += more.end()
            named = len({t for t, _ in hits})
            if best is None or named > best[0]:
                best = (named, whole[: at + end].strip(" ,."))
    return best[1] if best else None


@functools.lru_cache(maxsize=32768)
def _count_pieces(sentence: str, lang: str) -> tuple[tuple[str, tuple[tuple[str, int, int], ...], str, int], ...]:
    """Each count in ``sentence`` as (its noun, the noun's terms and spans, the whole match, where the
    noun starts in it): cached, since they depend on the sentence alone and ``count_phrase`` reads a
    passage's sentences again for every question's counted words."""
    pieces = []
    for m in _counts_in(sentence, lang):
        noun = m.group("noun") or ""
        pieces.append((noun, tuple(analyze_with_spans(noun, lang)), m.group(0), m.start("noun") - m.start()))
    return tuple(pieces)


def named_near(units: tuple[tuple[Unit, frozenset[str]], ...], i: int, counted: frozenset[str]) -> bool:
    return bool(counted & units[i][1]) or (i > 0 and bool(counted & units[i - 1][1]))


@functools.lru_cache(maxsize=8192)
def counts(text: str, counted: frozenset[str], lang: str = "en") -> bool:
    """Whether a text states a count of ``counted`` ("133 Parties"), sentence by sentence."""
    units = unit_tokens(text, lang)
    return any(count_phrase(text[unit.start:unit.end], counted, generic=named_near(units, i, counted), lang=lang)
               for i, (unit, _) in enumerate(units))


@functools.lru_cache(maxsize=8192)
def count_terms(text: str, lang: str = "en") -> frozenset[str]:
    """The terms ``counts`` finds a count of: ``counts(text, counted, lang)`` is whether ``counted``
    holds one of them — each count's noun terms, and where a noun is generic ("individuals") the
    terms of its sentence and of the one before (a passage fact, bot/search/facts.py)."""
    units = unit_tokens(text, lang)
    generic = _generic(lang)
    out: set[str] = set()
    for i, (unit, tokens) in enumerate(units):
        nouns = {t for _noun, spans, _whole, _at in _count_pieces(text[unit.start:unit.end], lang) for t, _s, _e in spans}
        out |= nouns
        if nouns & generic:
            out |= tokens
            if i > 0:
                out |= units[i - 1][1]
    return frozenset(out)


@functools.lru_cache(maxsize=8192)
def has_count(text: str, lang: str = "en") -> bool:
    """Whether a text states a count (a number that is not a year or a date)."""
    for m in _counts_in(text, lang):
        if not find_dates(text[max(0, m.start() - 3): m.end() + 12]):
            return True
    return False


#: How many words around a percentage may name what it is a share of.
WINDOW = 20


def share_phrase(sentence: str, counted: frozenset[str], lang: str = "en") -> str | None:
    """The percentage closest to the words of what is asked about, before it ("page views by 10 per
    cent") or after it ("51% of Key Biodiversity Areas", "(44%) show population declines"), within
    its clause; nearer words count more."""
    tokens = analyze_with_spans(sentence, lang)
    best: tuple[float, str] | None = None
    shares = list(PERCENT.finditer(sentence))
    for i, m in enumerate(shares):
        # Within the percentage's own clause, and not past its neighbours: "… protected status, and
        # 58% of …" is not about status.
        start = max([sentence.rfind(p, 0, m.start()) for p in ",;:"] + [shares[i - 1].end() if i else 0])
        ends = [j for j in (sentence.find(p, m.end()) for p in ",;:") if j >= 0]
        end = min(ends + ([shares[i + 1].start()] if i + 1 < len(shares) else []) + [len(sentence)])
        before = [t for t, s, e in tokens if start <= s and e <= m.start()][::-1][:WINDOW]
        after = [t for t, s, e in tokens if s >= m.end() and e <= end][:WINDOW]
        score = sum(1 / (1 + min([i for i, t in enumerate(before) if t == c] + [i for i, t in enumerate(after) if t == c]))
                    for c in counted if c in before or c in after)
        if score and (best is None or score > best[0]):
            best = (score, m.group(0).strip())
    return best[1] if best else None


def has_age(text: str) -> bool:
    return AGE.search(text) is not None
