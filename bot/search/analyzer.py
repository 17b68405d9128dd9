"""The one text analyzer used for passages *and* questions, so BM25 terms line up.

A compiled regex cuts the ORIGINAL text into raw tokens: words joined by
``. / - ' @`` (symbols such as ``UNEP/CMS/COP14/Doc.19``, ``1,189``, ``high-level``),
URLs, "COP 14", and "14th meeting of the Conference of the Parties". Each raw token
is NFKC-normalised, case-folded and expanded into terms: the whole symbol first,
then its useful parts; plain words are Snowball-stemmed; stopwords are dropped.

A raw token's expansion depends only on its own string, so it is cached; the
``analyze`` hot path is ``str.split`` plus one dict lookup per chunk.
"""

from __future__ import annotations

import re
import unicodedata

import Stemmer

__all__ = ["ANALYZER_VERSION", "STOPWORDS", "analyze", "analyze_with_spans"]

ANALYZER_VERSION = "cms-analyzer-1"

MAX_TOKEN_LEN = 64
"""Longer terms (base64 blobs, runaway symbols) are not emitted; their parts may be."""

_CACHE_LIMIT = 300_000
_CACHEABLE_LEN = 120

# Usual English list (NLTK's, with contractions) plus a few extras. "i" is left
# out on purpose: in CMS texts it is mostly the Roman numeral of "Appendix I".
STOPWORDS: frozenset[str] = frozenset(
    """
    me my myself we our ours ourselves you you're you've you'll you'd your yours
    yourself yourselves he him his himself she she's her hers herself it it's its
    itself they them their theirs themselves what which who whom this that that'll
    these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down
    in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so
    than too very s t can will just don don't should should've now d ll m o re ve y
    ain aren aren't couldn couldn't didn didn't doesn doesn't hadn hadn't hasn
    hasn't haven haven't isn isn't ma mightn mightn't mustn mustn't needn needn't
    shan shan't shouldn shouldn't wasn wasn't weren weren't won won't wouldn
    wouldn't i'm i've i'd i'll let's
    many much also would could whose whether upon via etc e.g i.e and/or
    http https www amp nbsp
    """.split()
)

_STEMMER = Stemmer.Stemmer("english")

_TLDS = frozenset(
    "int org com net edu gov info io eu uk de fr ch nl be it es ca us au nz uz ec ke za br jp cn ru".split()
)
_ORDINALS = {
    w: i
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(),
        start=1,
    )
}


def _combining_marks() -> str:
    """Regex class body for BMP combining marks (Mn/Mc/Me), which ``\\w`` lacks.

    Without them Devanagari, Thai, vowelled Arabic… words break at every vowel sign.
    """
    ranges: list[tuple[int, int]] = []
    for cp in range(0x300, 0x10000):
        if unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me"):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return "".join(f"\\u{a:04x}-\\u{b:04x}" if a != b else f"\\u{a:04x}" for a, b in ranges)


# A word: runs of \w, continued by combining marks / ZWNJ / ZWJ (tested only where
# a \w run ends, which keeps the common case fast). Marks never start a word.
_W = r"\w+(?:[" + _combining_marks() + r"\u200c\u200d]+\w*)*"
# Joiners kept inside a raw token when a word follows: . / @ - ‐ ‑ ‒ – ' ’, and a
# comma only as a thousands separator ("1,189").
_JOIN = r"(?:[./@'\u2019\-\u2010-\u2013]|(?<=\d),(?=\d{3}(?!\d)))"
_WORD = _W + r"(?:" + _JOIN + _W + r")*"
_ORDINAL_WORD = r"\d{1,2}(?:st|nd|rd|th)|" + "|".join(_ORDINALS)

_PHRASE = (
    # "14th Meeting of the Conference of the Parties", "Fourteenth COP", "11th COP".
    r"(?i:(?<!\w)(?=[\dfstne])(?:" + _ORDINAL_WORD + r")\s+"
    r"(?:(?:meeting\s+of\s+(?:the\s+)?)?conference\s+of\s+(?:the\s+)?parties|cop)(?!\w))"
    # "COP 14" (hyphen and no-space forms are normalised inside a raw token).
    r"|(?i:(?<!\w)(?=[cm])[cm]op[ \u00a0]\d{1,2}(?!\w))"
)
_RAW_RE = re.compile(
    r"(?=\w)(?:"  # every alternative starts at a word character: fail fast elsewhere
    # URLs: scheme or www., trailing sentence punctuation excluded.
    r"(?i:\b(?=[hw])(?:https?://|www\.))[^\s<>()\[\]{}\"'`|\\^]*[^\s<>()\[\]{}\"'`|\\^.,;:!?*]"
    r"|" + _PHRASE + r"|" + _WORD + r")"
)
_PHRASE_RE = re.compile(_PHRASE)
_NONSPACE_RE = re.compile(r"\S+")
_INNER_RE = re.compile(_WORD)
_COP_SPACE_RE = re.compile(r"(?i:[cm]op)\s\d{1,2}")
# Raw tokens that may open one of the multi-word constructs above.
_OPENER_RE = re.compile(r"(?i:[cm]op|" + _ORDINAL_WORD + r")")
_PHRASE_HEAD_RE = re.compile(r"\w+")
_COP_RE = re.compile(r"(?<![^\W\d_])([cm]op)[ \-]?(\d{1,2})(?!\d)")
_TRANSLATE = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2019": "'", "\u02bc": "'", "_": " "}
)
_HAS_DIGIT = re.compile(r"\d")
_SPACE_RE = re.compile(r"\s")
_PCT_ESC = re.compile(r"%[0-9a-fA-F]{2}")
_NUMERIC_DOTTED = re.compile(r"\d+(?:\.(?:\d+|[^\W\d_]{1,3}))+")  # 13.138, 11.8, 14.aa: whole only
_PREFIXED_NUMBER = re.compile(r"([^\W\d_]+)\.(\d+(?:\.\d+)*)")  # doc.13.2

Span = tuple[str, int, int]
_CACHE: dict[str, tuple[tuple[str, ...], tuple[Span, ...]]] = {}
_CHUNK_CACHE: dict[str, tuple[str, ...] | list] = {}


# --------------------------------------------------------------------------- terms of one word


def _norm(raw: str) -> str:
    """NFKC + case fold; typographic hyphens/apostrophes to ASCII, '_' to space, COP-14 -> cop14."""
    if raw.isascii():
        s = raw.lower()
    else:
        s = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", raw).casefold())
        s = s.replace("i\u0307", "i")  # casefold("İ") keeps a combining dot; drop it
    return _COP_RE.sub(r"\1\2", s.translate(_TRANSLATE))


def _stem(word: str) -> str:
    try:
        return _STEMMER.stemWord(word)
    except Exception:  # noqa: BLE001 - unencodable input must never break analysis
        return word


def _plain(word: str) -> list[str]:
    """A word without joiners (it may hold an apostrophe: Snowball drops 's)."""
    if not word or word in STOPWORDS or len(word) > MAX_TOKEN_LEN:
        return []
    if _HAS_DIGIT.search(word):
        return [word]
    stem = _stem(word)
    return [stem] if stem and stem not in STOPWORDS else []


def _part(word: str) -> list[str]:
    """A part of a larger symbol: like ``_plain``, but single letters are noise."""
    if len(word) == 1 and not word.isdigit():
        return []
    return _plain(word)


def _whole(token: str) -> list[str]:
    return [token] if token and len(token) <= MAX_TOKEN_LEN and token not in STOPWORDS else []


def _dotted(atom: str) -> list[str]:
    """``doc.19`` -> doc.19, doc, 19; ``13.138`` -> 13.138; ``www.cms.int`` -> cms.int, cms."""
    if "," in atom and "." not in atom:
        return _whole(atom) + _whole(atom.replace(",", ""))
    if "." not in atom:
        return _plain(atom)
    if _NUMERIC_DOTTED.fullmatch(atom):
        return _whole(atom)
    prefixed = _PREFIXED_NUMBER.fullmatch(atom)
    if prefixed:  # not 13 and 2 for Doc.13.2
        return _whole(atom) + _part(prefixed.group(1)) + _whole(prefixed.group(2))
    labels = [x for x in atom.split(".") if x]
    if labels and labels[0] == "www":
        labels = labels[1:]
    parts = labels
    if len(labels) >= 2 and labels[-1] in _TLDS and all(x.isalpha() for x in labels):
        parts = labels[:-1]  # a domain name: the TLD is noise
    if len(labels) < 2:
        return _plain(labels[0]) if labels else []
    out = _whole(".".join(labels))
    for label in parts:
        out.extend(_part(label))
    return out


def _segment(seg: str) -> list[str]:
    """A slash-free piece: a hyphen compound gives its stemmed whole, then each part."""
    atoms = [a for a in seg.split("-") if a] if "-" in seg else [seg]
    if len(atoms) < 2:
        return _dotted(atoms[0]) if atoms else []
    out = _whole("-".join(a if _HAS_DIGIT.search(a) or "." in a else _stem(a) for a in atoms))
    for a in atoms:
        out.extend(_dotted(a))
    return out


def _word(s: str) -> list[str]:
    """Terms of one normalised, joiner-connected word (no whitespace inside)."""
    if "/" not in s and "@" not in s:
        return _segment(s)
    if "/" not in s and s.count("@") == 1:  # e-mail address
        local, domain = s.split("@")
        return _whole(s) + _segment(local) + _dotted(domain)
    segs = [x for x in re.split(r"[/@]", s) if x]
    out = _whole(s) if len(segs) > 1 else []
    for seg in segs:
        out.extend(_segment(seg) if "." in seg or "-" in seg or "," in seg else _part(seg))
    return out


def _url(s: str) -> list[str]:
    """Host (minus www/TLD) and path words; scheme, query string and fragment dropped."""
    s = re.sub(r"^[a-z]+://", "", s)
    s = re.split(r"[?#]", s, maxsplit=1)[0]
    host, _, path = s.partition("/")
    host = host.rpartition("@")[2].partition(":")[0]
    out = [t for w in _INNER_RE.findall(host) for t in _word(w)]
    for piece in _PCT_ESC.sub(" ", path).split("/"):
        if len(piece) <= 2 or len(piece) > 40:
            continue  # language codes like "en"; hashes and ids
        for w in _INNER_RE.findall(piece):
            out.extend(_word(w))
    return out


def _terms(norm: str) -> list[str]:
    """Terms of a normalised raw token; re-split, as NFKC may have produced separators."""
    if norm.startswith(("http://", "https://", "www.")):
        return _url(norm)
    out: list[str] = []
    for w in _INNER_RE.findall(norm):
        out.extend(_word(w))
    return out


# --------------------------------------------------------------------------- raw tokens


def _phrase(raw: str) -> list[Span]:
    """Ordinal phrase: its own words with narrowed spans, plus ``copN`` after the ordinal."""
    head = _PHRASE_HEAD_RE.match(raw)
    if head is None:
        return []
    first = head.group().casefold()
    digits = re.match(r"\d+", first)
    number = int(digits.group()) if digits else _ORDINALS.get(first, 0)
    spans: list[Span] = []
    for i, m in enumerate(_INNER_RE.finditer(raw)):
        spans.extend((t, m.start(), m.end()) for t in _terms(_norm(m.group())))
        if i == 0 and number:
            spans.append((f"cop{number}", 0, len(raw)))
    return spans


def _expand(raw: str) -> tuple[tuple[str, ...], tuple[Span, ...]]:
    """Terms and raw-relative spans of one raw token (cached by raw string)."""
    hit = _CACHE.get(raw)
    if hit is not None:
        return hit
    if _SPACE_RE.search(raw) is not None and _COP_SPACE_RE.fullmatch(raw) is None:
        spans = _phrase(raw)
    else:
        n = len(raw)
        spans = [(t, 0, n) for t in _terms(_norm(raw))]
    seen: set[str] = set()
    uniq = [sp for sp in spans if not (sp[0] in seen or seen.add(sp[0]))]
    result = (tuple(sp[0] for sp in uniq), tuple(uniq))
    if len(raw) <= _CACHEABLE_LEN:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[raw] = result
    return result


def _chunk(chunk: str) -> tuple[str, ...] | list:
    """Terms of a whitespace-free chunk, or ``[terms, next_initials, head_terms, offset]``.

    Only "COP 14" and "14th meeting of the…" raw tokens cross whitespace. One can
    only start at a chunk's last raw token ("COP", "14th", "fourteenth") at
    ``offset``, and only if the next chunk starts with one of ``next_initials``
    (empty: a digit). ``head_terms`` are the terms of the chunk before it.
    """
    matches = list(_RAW_RE.finditer(chunk))
    terms = tuple(t for m in matches for t in _expand(m.group())[0])
    result: tuple[str, ...] | list = terms
    if matches and matches[-1].end() == len(chunk) and _OPENER_RE.fullmatch(matches[-1].group()):
        last = matches[-1]
        head = tuple(t for m in matches[:-1] for t in _expand(m.group())[0])
        result = [terms, "" if last.group()[-1] in "pP" else "mMcC", head, last.start()]
    if len(chunk) <= _CACHEABLE_LEN:
        if len(_CHUNK_CACHE) >= _CACHE_LIMIT:
            _CHUNK_CACHE.clear()
        _CHUNK_CACHE[chunk] = result
    return result


def analyze(text: str) -> list[str]:
    """Terms of ``text`` in text order (a symbol's whole form first, then its parts).

    Fast path: whitespace chunks looked up in a cache. A text where a multi-word
    construct may start ("COP 14", "14th meeting of…") goes through ``_analyze_phrases``.
    """
    if not text:
        return []
    out: list[str] = []
    extend = out.extend
    get = _CHUNK_CACHE.get
    initials = None  # set after an opener chunk: what the next chunk must start with
    for chunk in text.split():
        terms = get(chunk)
        if terms is None:
            terms = _chunk(chunk)
        if initials is not None:
            if chunk[0] in initials if initials else chunk[0].isdigit():
                return _analyze_phrases(text)
            initials = None
        if terms.__class__ is list:
            initials = terms[1]
            terms = terms[0]
        extend(terms)
    return out


def _analyze_phrases(text: str) -> list[str]:
    """``analyze`` with chunk offsets, trying a phrase match at each opener."""
    out: list[str] = []
    extend = out.extend
    get = _CHUNK_CACHE.get
    search = _NONSPACE_RE.search
    pos = 0
    while (m := search(text, pos)) is not None:
        chunk = m.group()
        terms = get(chunk)
        if terms is None:
            terms = _chunk(chunk)
        pos = m.end()
        if terms.__class__ is list:
            phrase = _PHRASE_RE.match(text, m.start() + terms[3])
            if phrase is not None:
                extend(terms[2])
                extend(_expand(phrase.group())[0])
                pos = phrase.end()  # the rest of that chunk is scanned on its own
                continue
            terms = terms[0]
        extend(terms)
    return out


def analyze_with_spans(text: str) -> list[Span]:
    """Like :func:`analyze`, with (start, end) offsets into the original ``text``.

    Parts of a symbol share the symbol's span; words of a phrase keep their own.
    """
    if not text:
        return []
    out: list[Span] = []
    append = out.append
    get = _CACHE.get
    for m in _RAW_RE.finditer(text):
        raw = m.group()
        hit = get(raw) or _expand(raw)
        base = m.start()
        for t, a, b in hit[1]:
            append((t, base + a, base + b))
    return out
