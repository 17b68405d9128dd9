"""The bot's own words in English, French, Spanish and Portuguese, from one gettext catalogue.

Messages are written in English in the code (the English text *is* the msgid, gettext style) and
translated in ``bot/locale/<lang>/LC_MESSAGES/cmsbot.po``. The ``.po`` files are read with Babel
when a language is first used (a few ms) — there are no compiled ``.mo`` files to build or keep in
step, so ``pip install -e .`` from a clean checkout has everything. A message a catalogue lacks is
shown in English.

    translate("I looked for: {terms}.", "fr", terms="…")   # "J'ai cherché : ….", or the English
    ngettext("{n} more source", "{n} more sources", 3, "es")
    N_("…")                                                  # marks a message for extraction only
    format_date(date(2024, 2, 12), "pt")                     # "12 de fevereiro de 2024"
    lang_from_locale("pt-BR")                                # Discord locale → "pt"
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable
from datetime import date
from pathlib import Path

from babel.dates import format_date as _babel_format_date
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.model import format_date as _english_date
from bot.text.lang import DEFAULT_LANG, SUPPORTED

__all__ = ["DOMAIN", "LOCALE_DIR", "N_", "_", "catalog", "format_date", "lang_from_locale", "ngettext",
           "translate"]

DOMAIN = "cmsbot"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.lru_cache(maxsize=None)
def catalog(lang: str) -> Catalog | None:
    """The parsed catalogue of ``lang``; None for English and for a language without one."""
    if lang == DEFAULT_LANG or lang not in SUPPORTED:
        return None
    path = po_path(lang)
    if not path.exists():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def _lookup(msgid: str | tuple[str, str], lang: str | None) -> str | tuple[str, ...] | None:
    cat = catalog(lang or DEFAULT_LANG)
    if cat is None:
        return None
    message = cat.get(msgid)
    if message is None or message.fuzzy or not message.string:
        return None
    if isinstance(message.string, tuple) and not all(message.string):
        return None  # a plural form left untranslated: English rather than a gap
    return message.string


def translate(msgid: str, lang: str | None = DEFAULT_LANG, /, **kw: object) -> str:
    """``msgid`` in ``lang`` (English when it has no translation), with ``{name}`` fields filled from ``kw``."""
    found = _lookup(msgid, lang)
    text = found if isinstance(found, str) else msgid
    return text.format(**kw) if kw else text


_ = translate


def ngettext(singular: str, plural: str, n: int, lang: str | None = DEFAULT_LANG, /, **kw: object) -> str:
    """The singular or plural form for ``n`` in ``lang``; ``{n}`` and ``kw`` are filled in."""
    found = _lookup(singular, lang)
    if isinstance(found, tuple):
        cat = catalog(lang or DEFAULT_LANG)
        assert cat is not None
        index = _plural_rule(lang or DEFAULT_LANG)(n)
        text = found[index] if index < len(found) else found[-1]
    else:
        text = singular if n == 1 else plural
    return text.format(n=n, **kw)


@functools.lru_cache(maxsize=None)
def _plural_rule(lang: str) -> Callable[[int], int]:
    """The catalogue's Plural-Forms expression (CLDR's, via Babel) as a function n → form index."""
    cat = catalog(lang)
    return gettext.c2py(cat.plural_expr if cat is not None else "(n != 1)")


def N_(msgid: str) -> str:
    """Mark ``msgid`` for the catalogue where it is defined (tables); translate it where it is shown."""
    return msgid


def format_date(value: date | None, lang: str | None = DEFAULT_LANG) -> str:
    """A date the way ``lang`` writes it: ``12 February 2024``, ``12 février 2024``, ``12 de febrero de 2024``."""
    if value is None:
        return translate("undated", lang)
    if lang in (None, DEFAULT_LANG) or lang not in SUPPORTED:
        return _english_date(value)
    return _babel_format_date(value, "long", locale=lang)


def format_weekday_date(value: date, lang: str | None = DEFAULT_LANG) -> str:
    """A date with its day of the week: ``Monday 23 March 2026``, ``lundi 23 mars 2026`` (Babel's CLDR names)."""
    locale = lang if lang in SUPPORTED else DEFAULT_LANG
    return f"{_babel_format_date(value, 'EEEE', locale=locale)} {format_date(value, lang)}"


def lang_from_locale(locale: object) -> str:
    """A Discord locale (``fr``, ``es-ES``, ``es-419``, ``pt-BR``, ``en-US``…) → one of SUPPORTED, else English."""
    code = str(getattr(locale, "value", locale) or "").lower()[:2]
    return code if code in SUPPORTED else DEFAULT_LANG
