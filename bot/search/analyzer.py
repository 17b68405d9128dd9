"""The text analyzer used for passages *and* questions, one per language, so BM25 terms line up.

``analyze(text, lang="en")``: English, French, Spanish and Portuguese each have their own Snowball
stemmer and stopwords (``bot/search/stopwords.py``); every other step is shared, so symbols and
meeting codes ("UNEP/CMS/COP14/Doc.19", "14.AA", "COP 14", "CdP14") give the same terms in every
language. Latin accents are folded after stemming ("réunion" and "reunion" → ``reunion``); quotes
are cut from the original text, so they keep theirs. French elisions (l', d', qu'…) are dropped.

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

from bot.cms.meetings import INTL_ORDINAL_NUMBERS, INTL_ORDINAL_WORDS
from bot.search.marks import combining_marks
from bot.text.stopwords import STOPWORDS_BY_LANG, fold_accents

__all__ = ["ANALYZER_LANGS", "ANALYZER_VERSION", "STOPWORDS", "Analyzer", "analyze", "analyze_with_spans", "analyzer",
           "fold"]

ANALYZER_VERSION = "cms-analyzer-3-multilingual"
#: Languages with their own stemmer and stopwords; any other language is analyzed as English.
ANALYZER_LANGS: tuple[str, ...] = ("en", "fr", "es", "pt")

MAX_TOKEN_LEN = 64
"""Longer terms (base64 blobs, runaway symbols) are not emitted; their parts may be."""

_CACHE_LIMIT = 300_000
_CACHEABLE_LEN = 120

#: The English list (kept as it was, so English analysis is unchanged).
STOPWORDS: frozenset[str] = STOPWORDS_BY_LANG["en"]


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


# A word: runs of \w, continued by combining marks / ZWNJ / ZWJ (tested only where
# a \w run ends, which keeps the common case fast). Marks never start a word.
_W = r"\w+(?:[" + combining_marks() + r"\u200c\u200d]+\w*)*"
# Joiners kept inside a raw token when a word follows: . / @ - ‐ ‑ ‒ – ' ’, and a
# comma only as a thousands separator ("1,189").
_JOIN = r"(?:[./@'\u2019\-\u2010-\u2013]|(?<=\d),(?=\d{3}(?!\d)))"
_WORD = _W + r"(?:" + _JOIN + _W + r")*"
_ORDINAL_WORD = r"\d{1,2}(?:st|nd|rd|th)|" + "|".join(_ORDINALS)

# French, Spanish, Portuguese ordinals: "14e", "14ème", "15ª", "12.ª", "quatorzième", "decimocuarta".
_INTL_ORDINAL_WORDS = sorted(
    {w for w in INTL_ORDINAL_NUMBERS if " " not in w} | {w for n, ws in INTL_ORDINAL_WORDS.items() for w in ws
                                                          if " " not in w},
    key=len, reverse=True,
)
_INTL_ORDINAL = (r"\d{1,2}(?:e|è|ème|eme|ᵉ|er|re|ª|º|\.ª|\.º)|" + "|".join(re.escape(w) for w in _INTL_ORDINAL_WORDS))
_PHRASE = (
    # "14e réunion de la Conférence des Parties", "decimocuarta reunión de la Conferencia de las Partes",
    # "15ª Conferência das Partes", "la 11ème CdP".
    r"(?i:(?<!\w)(?:" + _INTL_ORDINAL + r")\s+"
    r"(?:(?:r[ée]union|reuni[óo]n|reuni[ãa]o|session|sesi[óo]n)\s+(?:de\s+la|da|de)\s+)?"
    r"(?:conf[ée]rence\s+des\s+parties|conferencia\s+de\s+(?:las\s+)?partes|confer[êe]ncia\s+das\s+partes"
    r"|cdp|cop)(?!\w))|"
    # "14th Meeting of the Conference of the Parties", "Fourteenth COP", "11th COP".
    r"(?i:(?<!\w)(?=[\dfstne])(?:" + _ORDINAL_WORD + r")\s+"
    r"(?:(?:meeting\s+of\s+(?:the\s+)?)?conference\s+of\s+(?:the\s+)?parties|cop)(?!\w))"
    # "COP 14" (hyphen and no-space forms are normalised inside a raw token).
    r"|(?i:(?<!\w)(?=[cm])(?:[cm]op|cdp)[ \u00a0]\d{1,2}(?!\w))"
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
_COP_SPACE_RE = re.compile(r"(?i:[cm]op|cdp)\s\d{1,2}")
# Raw tokens that may open one of the multi-word constructs above.
_OPENER_RE = re.compile(r"(?i:[cm]op|cdp|" + _ORDINAL_WORD + r"|" + _INTL_ORDINAL + r")")
_PHRASE_HEAD_RE = re.compile(r"\w+")
_COP_RE = re.compile(r"(?<![^\W\d_])([cm]op|cdp)[ \-]?(\d{1,2})(?!\d)")
_TRANSLATE = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2019": "'", "\u02bc": "'", "_": " "}
)
_HAS_DIGIT = re.compile(r"\d")
_SPACE_RE = re.compile(r"\s")
_PCT_ESC = re.compile(r"%[0-9a-fA-F]{2}")
_NUMERIC_DOTTED = re.compile(r"\d+(?:\.(?:\d+|[^\W\d_]{1,3}))+")  # 13.138, 11.8, 14.aa: whole only
_PREFIXED_NUMBER = re.compile(r"([^\W\d_]+)\.(\d+(?:\.\d+)*)")  # doc.13.2

Span = tuple[str, int, int]

_STEMMER_NAMES = {"en": "english", "fr": "french", "es": "spanish", "pt": "portuguese"}
# French elided articles and pronouns: "l'initiative" is searched as "initiative".
_ELISION_RE = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=\w)")
# French inverted subject pronouns: "a-t-elle été présentée", "se tiendra-t-elle" are "a", "tiendra".
_INVERSION_RE = re.compile(r"(?<=\w)(?:-t)?-(?:il|elle|ils|elles|on)$")


# --------------------------------------------------------------------------- normalising a raw token


def _cop(m: re.Match[str]) -> str:
    return ("cop" if m.group(1) == "cdp" else m.group(1)) + m.group(2)


def _norm(raw: str) -> str:
    """NFKC + case fold; typographic hyphens/apostrophes to ASCII, '_' to space, COP-14/CdP 14 -> cop14."""
    if raw.isascii():
        s = raw.lower()
    else:
        s = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", raw).casefold())
        s = s.replace("i\u0307", "i")  # casefold("İ") keeps a combining dot; drop it
    return _COP_RE.sub(_cop, s.translate(_TRANSLATE))


def fold(term: str) -> str:
    """Latin accents folded: what makes "réunion" and "reunion" one term."""
    return fold_accents(term)


class Analyzer:
    """One language's analyzer: its stemmer and stopwords, and caches of what it has seen.

    Every other rule is shared; a raw token's terms depend only on its own string (and the
    language), so they are cached.
    """

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang if lang in ANALYZER_LANGS else "en"
        self.stopwords = STOPWORDS_BY_LANG[self.lang]
        self._stemmer = Stemmer.Stemmer(_STEMMER_NAMES[self.lang])
        self._elide = self.lang == "fr"
        # Romance stemmers strip a final -s even from acronyms; short words are left whole there.
        self._keep_len = 0 if self.lang == "en" else 3
        self._cache: dict[str, tuple[tuple[str, ...], tuple[Span, ...]]] = {}
        self._chunk_cache: dict[str, tuple[str, ...] | list] = {}

    # ----------------------------------------------------------------------- terms of one word

    def _stem(self, word: str) -> str:
        try:
            return self._stemmer.stemWord(word)
        except Exception:  # noqa: BLE001 - unencodable input must never break analysis
            return word

    def _plain(self, word: str) -> list[str]:
        """A word without joiners (it may hold an apostrophe: Snowball drops 's)."""
        if self._elide and "'" in word:
            word = _ELISION_RE.sub("", word)
        if not word or word in self.stopwords or len(word) > MAX_TOKEN_LEN:
            return []
        if _HAS_DIGIT.search(word):
            return [word]
        if word == "cdp":  # the French and Spanish "COP"
            return ["cop"]
        if len(word) <= self._keep_len:  # "cms", "ong": French plural rules would make "cm"
            return [word]
        stem = self._stem(word)
        return [stem] if stem and stem not in self.stopwords else []

    def _part(self, word: str) -> list[str]:
        """A part of a larger symbol: like ``_plain``, but single letters are noise."""
        if len(word) == 1 and not word.isdigit():
            return []
        return self._plain(word)

    def _whole(self, token: str) -> list[str]:
        return [token] if token and len(token) <= MAX_TOKEN_LEN and token not in self.stopwords else []

    def _dotted(self, atom: str) -> list[str]:
        """``doc.19`` -> doc.19, doc, 19; ``13.138`` -> 13.138; ``www.cms.int`` -> cms.int, cms."""
        if "," in atom and "." not in atom:
            return self._whole(atom) + self._whole(atom.replace(",", ""))
        if "." not in atom:
            return self._plain(atom)
        if _NUMERIC_DOTTED.fullmatch(atom):
            return self._whole(atom)
        prefixed = _PREFIXED_NUMBER.fullmatch(atom)
        if prefixed:  # not 13 and 2 for Doc.13.2
            return self._whole(atom) + self._part(prefixed.group(1)) + self._whole(prefixed.group(2))
        labels = [x for x in atom.split(".") if x]
        if labels and labels[0] == "www":
            labels = labels[1:]
        parts = labels
        if len(labels) >= 2 and labels[-1] in _TLDS and all(x.isalpha() for x in labels):
            parts = labels[:-1]  # a domain name: the TLD is noise
        if len(labels) < 2:
            return self._plain(labels[0]) if labels else []
        out = self._whole(".".join(labels))
        for label in parts:
            out.extend(self._part(label))
        return out

    def _segment(self, seg: str) -> list[str]:
        """A slash-free piece: a hyphen compound gives its stemmed whole, then each part."""
        if self._elide and "-" in seg:
            seg = _INVERSION_RE.sub("", seg)
        atoms = [a for a in seg.split("-") if a] if "-" in seg else [seg]
        if len(atoms) < 2:
            return self._dotted(atoms[0]) if atoms else []
        if self._elide and "'" in atoms[0]:
            atoms[0] = _ELISION_RE.sub("", atoms[0])
        out = self._whole("-".join(a if _HAS_DIGIT.search(a) or "." in a else self._stem(a) for a in atoms))
        for a in atoms:
            out.extend(self._dotted(a))
        return out

    def _word(self, s: str) -> list[str]:
        """Terms of one normalised, joiner-connected word (no whitespace inside)."""
        if "/" not in s and "@" not in s:
            return self._segment(s)
        if "/" not in s and s.count("@") == 1:  # e-mail address
            local, domain = s.split("@")
            return self._whole(s) + self._segment(local) + self._dotted(domain)
        segs = [x for x in re.split(r"[/@]", s) if x]
        out = self._whole(s) if len(segs) > 1 else []
        for seg in segs:
            out.extend(self._segment(seg) if "." in seg or "-" in seg or "," in seg else self._part(seg))
        return out

    def _url(self, s: str) -> list[str]:
        """Host (minus www/TLD) and path words; scheme, query string and fragment dropped."""
        s = re.sub(r"^[a-z]+://", "", s)
        s = re.split(r"[?#]", s, maxsplit=1)[0]
        host, _, path = s.partition("/")
        host = host.rpartition("@")[2].partition(":")[0]
        out = [t for w in _INNER_RE.findall(host) for t in self._word(w)]
        for piece in _PCT_ESC.sub(" ", path).split("/"):
            if len(piece) <= 2 or len(piece) > 40:
                continue  # language codes like "en"; hashes and ids
            for w in _INNER_RE.findall(piece):
                out.extend(self._word(w))
        return out

    def _terms(self, norm: str) -> list[str]:
        """Terms of a normalised raw token; re-split, as NFKC may have produced separators."""
        if norm.startswith(("http://", "https://", "www.")):
            return self._url(norm)
        out: list[str] = []
        for w in _INNER_RE.findall(norm):
            out.extend(self._word(w))
        return out

    # ----------------------------------------------------------------------- raw tokens

    def _phrase(self, raw: str) -> list[Span]:
        """Ordinal phrase: its own words with narrowed spans, plus ``copN`` after the ordinal."""
        head = _PHRASE_HEAD_RE.match(raw)
        if head is None:
            return []
        first = head.group().casefold()
        digits = re.match(r"\d+", first)
        number = int(digits.group()) if digits else (
            _ORDINALS.get(first) or INTL_ORDINAL_NUMBERS.get(fold_accents(first), 0))
        spans: list[Span] = []
        for i, m in enumerate(_INNER_RE.finditer(raw)):
            spans.extend((t, m.start(), m.end()) for t in self._terms(_norm(m.group())))
            if i == 0 and number:
                spans.append((f"cop{number}", 0, len(raw)))
        return spans

    def _expand(self, raw: str) -> tuple[tuple[str, ...], tuple[Span, ...]]:
        """Terms and raw-relative spans of one raw token (cached by raw string)."""
        hit = self._cache.get(raw)
        if hit is not None:
            return hit
        if _SPACE_RE.search(raw) is not None and _COP_SPACE_RE.fullmatch(raw) is None:
            spans = self._phrase(raw)
        else:
            n = len(raw)
            spans = [(t, 0, n) for t in self._terms(_norm(raw))]
        if not raw.isascii():
            spans = [(fold_accents(t), a, b) for t, a, b in spans]
        seen: set[str] = set()
        uniq = [sp for sp in spans if not (sp[0] in seen or seen.add(sp[0]))]
        result = (tuple(sp[0] for sp in uniq), tuple(uniq))
        if len(raw) <= _CACHEABLE_LEN:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[raw] = result
        return result

    def _chunk(self, chunk: str) -> tuple[str, ...] | list:
        """Terms of a whitespace-free chunk, or ``[terms, next_initials, head_terms, offset]``.

        Only "COP 14" and "14th meeting of the…" raw tokens cross whitespace. One can
        only start at a chunk's last raw token ("COP", "14th", "fourteenth") at
        ``offset``, and only if the next chunk starts with one of ``next_initials``
        (empty: a digit). ``head_terms`` are the terms of the chunk before it.
        """
        expand = self._expand
        matches = list(_RAW_RE.finditer(chunk))
        terms = tuple(t for m in matches for t in expand(m.group())[0])
        result: tuple[str, ...] | list = terms
        if matches and matches[-1].end() == len(chunk) and _OPENER_RE.fullmatch(matches[-1].group()):
            last = matches[-1]
            head = tuple(t for m in matches[:-1] for t in expand(m.group())[0])
            result = [terms, "" if last.group()[-1] in "pP" else "mMcCrRsS", head, last.start()]
        if len(chunk) <= _CACHEABLE_LEN:
            if len(self._chunk_cache) >= _CACHE_LIMIT:
                self._chunk_cache.clear()
            self._chunk_cache[chunk] = result
        return result

    def analyze(self, text: str) -> list[str]:
        """Terms of ``text`` in text order (a symbol's whole form first, then its parts).

        Fast path: whitespace chunks looked up in a cache. A text where a multi-word
        construct may start ("COP 14", "14th meeting of…") goes through ``_analyze_phrases``.
        """
        if not text:
            return []
        out: list[str] = []
        extend = out.extend
        get = self._chunk_cache.get
        initials = None  # set after an opener chunk: what the next chunk must start with
        for chunk in text.split():
            terms = get(chunk)
            if terms is None:
                terms = self._chunk(chunk)
            if initials is not None:
                if chunk[0] in initials if initials else chunk[0].isdigit():
                    return self._analyze_phrases(text)
                initials = None
            if terms.__class__ is list:
                initials = terms[1]
                terms = terms[0]
            extend(terms)
        return out

    def _analyze_phrases(self, text: str) -> list[str]:
        """``analyze`` with chunk offsets, trying a phrase match at each opener."""
        out: list[str] = []
        extend = out.extend
        get = self._chunk_cache.get
        search = _NONSPACE_RE.search
        pos = 0
        while (m := search(text, pos)) is not None:
            chunk = m.group()
            terms = get(chunk)
            if terms is None:
                terms = self._chunk(chunk)
            pos = m.end()
            if terms.__class__ is list:
                phrase = _PHRASE_RE.match(text, m.start() + terms[3])
                if phrase is not None:
                    extend(terms[2])
                    extend(self._expand(phrase.group())[0])
                    pos = phrase.end()  # the rest of that chunk is scanned on its own
                    continue
                terms = terms[0]
            extend(terms)
        return out

    def analyze_with_spans(self, text: str) -> list[Span]:
        """Like :meth:`analyze`, with (start, end) offsets into the original ``text``.

        Parts of a symbol share the symbol's span; words of a phrase keep their own.
        """
        if not text:
            return []
        out: list[Span] = []
        append = out.append
        get = self._cache.get
        for m in _RAW_RE.finditer(text):
            raw = m.group()
            hit = get(raw) or self._expand(raw)
            base = m.start()
            for t, a, b in hit[1]:
                append((t, base + a, base + b))
        return out


_ANALYZERS: dict[str, Analyzer] = {lang: Analyzer(lang) for lang in ANALYZER_LANGS}


def analyzer(lang: str | None = "en") -> Analyzer:
    """The analyzer for ``lang``; a language without its own (German, None, …) is analyzed as English."""
    return _ANALYZERS.get(lang or "en") or _ANALYZERS["en"]


def analyze(text: str, lang: str | None = "en") -> list[str]:
    """Terms of ``text`` analyzed as ``lang`` (en, fr, es, pt; anything else as English)."""
    return (_ANALYZERS.get(lang) or _ANALYZERS["en"]).analyze(text) if lang != "en" else _EN.analyze(text)


def analyze_with_spans(text: str, lang: str | None = "en") -> list[Span]:
    """Terms of ``text`` with (start, end) offsets into it, analyzed as ``lang``."""
    return analyzer(lang).analyze_with_spans(text)


_EN = _ANALYZERS["en"]
