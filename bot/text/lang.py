"""Which language a document or a question is in: en, fr, es or pt (de is recognised, to say it isn't supported).

A document's language comes from its front matter ``lang``, then its URL (``/fr/``, ``/es/``,
``/pt-br/``, ``…_f.pdf``, ``…_s.pdf``), then detection. Detection is py3langid (a maintained
fork of langid.py: a naive-Bayes byte n-gram model shipped in the wheel), restricted to the
languages below; see README "Languages" for why it and not lingua or langdetect.

Short chat questions are mostly symbols and meeting codes ("cop14 slogan", "UNEP/CMS/COP14/Doc.19"):
those are removed before detection, and a text with too few letters left is given the caller's
hint (a Discord user's locale) or English.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

__all__ = [
    "DEFAULT_LANG", "DETECTABLE", "LANGUAGE_NAMES", "SUPPORTED", "UnknownLanguage",
    "detect_language", "document_language", "is_supported", "normalize_lang", "preload", "url_language",
]

#: Languages cmsbot analyzes, answers in and has messages for.
SUPPORTED: tuple[str, ...] = ("en", "fr", "es", "pt")
#: Languages detection can return: the supported ones, and German so the bot can say it doesn't speak it.
DETECTABLE: tuple[str, ...] = SUPPORTED + ("de",)
DEFAULT_LANG = "en"
#: Each language's name in English and in itself, for "I understand English, français, …".
LANGUAGE_NAMES: dict[str, tuple[str, str]] = {
    "en": ("English", "English"),
    "fr": ("French", "français"),
    "es": ("Spanish", "español"),
    "pt": ("Portuguese", "português"),
    "de": ("German", "Deutsch"),
}
#: Fewer letters than this (after symbols and codes are removed) and detection is not tried.
MIN_LETTERS = 4
#: Below this probability the hint (if any) wins over the detector.
MIN_CONFIDENCE = 0.9

_ALIASES = {
    "english": "en", "eng": "en", "en-gb": "en", "en-us": "en",
    "french": "fr", "fra": "fr", "fre": "fr", "français": "fr", "francais": "fr", "fr-fr": "fr", "fr-ca": "fr",
    "spanish": "es", "spa": "es", "español": "es", "espanol": "es", "es-es": "es", "es-419": "es",
    "portuguese": "pt", "por": "pt", "português": "pt", "portugues": "pt", "pt-br": "pt", "pt-pt": "pt",
    "german": "de", "deu": "de", "ger": "de", "deutsch": "de", "de-de": "de",
}
# /fr/, /es/, /pt/, /pt-br/, /en/ as a path segment; CMS document files end _E/_F/_S.
_URL_SEGMENT = re.compile(r"^(en|fr|es|pt)(?:[-_][a-z]{2})?$", re.IGNORECASE)
_URL_FILE = re.compile(r"_([efs])\.(?:pdf|docx?)$", re.IGNORECASE)
_FILE_LANG = {"e": "en", "f": "fr", "s": "es"}
# What says nothing about the language: URLs, symbols with digits or slashes, meeting codes.
_NOISE = re.compile(
    r"https?://\S+|www\.\S+|\S*[\d/@]\S*|(?<!\w)(?:cop|cdp|mop|mos|cms|unep|aewa|ascobans|pnue)(?!\w)",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]")

_detector: Any = None
_lock = threading.Lock()


class UnknownLanguage(ValueError):
    """A ``lang`` value that names no language cmsbot can tell."""


def normalize_lang(value: object) -> str:
    """``"fr"``, ``"FR"``, ``"fr-CA"``, ``"French"``, ``"français"`` → ``"fr"``; raises UnknownLanguage."""
    text = str(value).strip().lower().replace("_", "-")
    if text in DETECTABLE:
        return text
    if text in _ALIASES:
        return _ALIASES[text]
    if len(text) > 2 and text[2] == "-" and text[:2] in DETECTABLE:
        return text[:2]
    raise UnknownLanguage(f"unknown language {value!r} (expected one of {', '.join(SUPPORTED)})")


def is_supported(lang: str) -> bool:
    return lang in SUPPORTED


def url_language(url: str | None) -> str | None:
    """The language a URL names: a ``/fr/``-style path segment, or a CMS ``…_F.pdf`` file name."""
    if not url:
        return None
    try:
        path = unquote(urlsplit(str(url)).path)
    except ValueError:
        return None
    segments = [s for s in path.split("/") if s]
    if segments and (m := _URL_FILE.search(segments[-1])):
        return _FILE_LANG[m.group(1).lower()]
    for segment in segments[:-1] if len(segments) > 1 else segments:
        if (m := _URL_SEGMENT.match(segment)):
            return m.group(1).lower()
    return None


def _load() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(DETECTABLE))
    return ident


def preload() -> None:
    """Load the detector now (about half a second), e.g. in a thread while an index loads."""
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                _detector = _load()


def detect_language(text: str, *, hint: str | None = None, default: str = DEFAULT_LANG) -> str:
    """The language of ``text``, one of DETECTABLE.

    ``hint`` (a user's locale, say) is used when the text says too little or the detector is
    unsure; otherwise ``default``.
    """
    fallback = default
    if hint:
        try:
            fallback = normalize_lang(hint)
        except UnknownLanguage:
            pass
    words = _NOISE.sub(" ", text[:4000])
    if len(_LETTER.findall(words)) < MIN_LETTERS:
        return fallback
    preload()
    lang, confidence = _detector.classify(words)
    if hint and fallback != lang and confidence < MIN_CONFIDENCE:
        return fallback
    return lang


#: Letters of text from which the detector's reading of a page overrules its address.
TEXT_OVERRULES_URL_LETTERS = 400


def document_language(meta: Mapping[str, Any], url: str | None, text: str) -> str:
    """A document's language: front matter ``lang`` (raises UnknownLanguage if unusable), URL, then its text.

    A page's address can say one language while its text is another (cms.int serves untranslated
    pages under /es/ and /fr/): with enough text, a confident detection of another language wins."""
    if meta.get("lang") not in (None, ""):
        return normalize_lang(meta["lang"])
    from_url = url_language(url)
    if from_url is None:
        return detect_language(text)
    if len(_LETTER.findall(text[:4000])) >= TEXT_OVERRULES_URL_LETTERS:
        preload()
        lang, confidence = _detector.classify(_NOISE.sub(" ", text[:4000]))
        if lang != from_url and lang in SUPPORTED and confidence >= MIN_CONFIDENCE:
            return lang
    return from_url
