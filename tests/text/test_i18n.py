"""The message catalogue: every message the code marks is translated in fr/es/pt, with the same fields."""

from __future__ import annotations

import re
import string
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from bot.answer.render import citation_label, render_text
from bot.model import Answer, Passage
from bot.text import messages
from bot.text.i18n import catalog, format_date, lang_from_locale, ngettext, po_path, translate

REPO = Path(__file__).resolve().parents[2]
KEYWORDS = {"translate": None, "N_": None, "t": None, "ngettext": (1, 2)}


def _marked() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            REPO / "bot", method_map=[("**.py", "python")], keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


MARKED = _marked()


def test_the_code_marks_the_bots_words() -> None:
    assert messages.NOT_FOUND in MARKED
    assert "More sources" in MARKED and ("{n} passage", "{n} passages") in MARKED
    assert "Ask about a CMS Conference of the Parties; answers quote the sources." in MARKED  # a command description


@pytest.mark.parametrize("lang", ["fr", "es", "pt"])
def test_every_marked_message_is_translated_with_the_same_fields(lang: str) -> None:
    cat = catalog(lang)
    assert cat is not None and po_path(lang).exists()
    problems = []
    for msgid in MARKED:
        message = cat.get(msgid)
        if message is None or message.fuzzy or not message.string or (
                isinstance(message.string, tuple) and not all(message.string)):
            problems.append(f"untranslated: {msgid!r}")
            continue
        ids = (msgid,) if isinstance(msgid, str) else msgid
        strings = (message.string,) if isinstance(message.string, str) else message.string
        want = set().union(*(_fields(i) for i in ids))
        problems += [f"fields differ: {msgid!r} → {s!r}" for s in strings if _fields(s) != want]
    assert not problems, "\n".join(problems)


def test_translate_fills_fields_and_falls_back_to_english() -> None:
    assert translate("I looked for: {terms}.", "fr", terms="cop14") == "J'ai cherché : cop14."
    assert translate("I looked for: {terms}.", "en", terms="cop14") == "I looked for: cop14."
    assert translate("I looked for: {terms}.", "de", terms="cop14") == "I looked for: cop14."
    assert translate("A message no catalogue has", "fr") == "A message no catalogue has"


def test_plurals_follow_each_language() -> None:
    assert ngettext("{n} passage", "{n} passages", 0, "fr") == "0 passage"  # French 0 is singular
    assert ngettext("{n} passage", "{n} passages", 0, "en") == "0 passages"
    assert ngettext("{n} passage", "{n} passages", 2, "es") == "2 pasajes"
    assert ngettext("{n} passage", "{n} passages", 1, "pt") == "1 trecho"


def test_dates_in_each_language() -> None:
    day = date(2024, 2, 12)
    assert [format_date(day, lang) for lang in ("en", "fr", "es", "pt")] == [
        "12 February 2024", "12 février 2024", "12 de febrero de 2024", "12 de fevereiro de 2024"]
    assert format_date(None, "es") == "sin fecha"


@pytest.mark.parametrize("locale, lang", [("fr", "fr"), ("es-ES", "es"), ("es-419", "es"), ("pt-BR", "pt"),
                                          ("en-US", "en"), ("de", "en"), (None, "en")])
def test_discord_locales(locale: str | None, lang: str) -> None:
    assert lang_from_locale(locale) == lang


def _passage() -> Passage:
    return Passage(id="press/x#para-1", source="press/x.md", kind="press_release", title="COP14 opens",
                   document_title="COP14 opens", date=date(2024, 2, 12), locator="para. 1",
                   text="La COP14 s'est ouverte.", position=0, meeting=14, lang="fr")


def test_renderers_speak_the_answers_language() -> None:
    not_found = Answer(question="q", found=False, answer=None, looked_for="cop14, slogan", lang="es")
    assert render_text(not_found) == "No encontré eso.\nBusqué: cop14, slogan."
    assert citation_label(_passage(), "fr") == "“COP14 opens” (communiqué de presse de la CMS, 12 février 2024), para. 1"
    assert citation_label(_passage()) == "“COP14 opens” (CMS press release, 12 February 2024), para. 1"


def test_po_files_are_package_data() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"locale/\*/LC_MESSAGES/\*\.po"', pyproject)
