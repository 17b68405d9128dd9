"""Question words and event verbs per language: every kind in every language, detected as whole words."""

from __future__ import annotations

import pytest

from bot.search.analyzer import analyze
from bot.text.question_words import EVENT_VERBS, KINDS, LANGS, QUESTION_WORDS, event_pattern, event_terms, kind_of, pattern


def test_every_kind_and_event_has_words_in_every_language() -> None:
    for table in (QUESTION_WORDS, EVENT_VERBS):
        for name, by_lang in table.items():
            assert set(by_lang) == set(LANGS), name
            assert all(by_lang[lang] for lang in LANGS), name
    assert {"when", "where", "who", "how_many", "how_much", "how_old", "which", "what_called", "yes_no",
            "what_happened"} <= set(KINDS)


@pytest.mark.parametrize("question, kind", [
    ("quand a commencé la COP14 ?", "when"),
    ("¿cuándo empezó la COP14?", "when"),
    ("quando começou a COP14?", "when"),
    ("cuando empezo la cop14", "when"),  # no accents
    ("où se tient la CdP14 ?", "where"),
    ("ou se tient la cop15", None),  # "ou" is "or": without its accent it is no question word
    ("dónde fue la cop 11", "where"),
    ("onde foi a cop 11", "where"),
    ("qui a ouvert la réunion ?", "who"),
    ("¿quién abrió la reunión?", "who"),
    ("quem abriu a reunião?", "who"),
    ("combien de Parties ?", "how_many"),
    ("¿cuántas Partes hay?", "how_many"),
    ("quantas espécies migratórias a convenção protege hoje?", "how_many"),
    ("Quanto a organização da COP15 em Campo Grande vai custar ao governo federal?", "how_much"),
    ("¿cuánto le costó al gobierno de Ecuador organizar la COP11 en Quito?", "how_much"),
    ("quel âge a la CMS ?", "how_old"),
    ("C'est quoi le thème de la MOP9 de l'AEWA à Bonn", "what_called"),
    ("¿cuál fue el lema de la COP14?", "what_called"),
    ("qual é o animal mascote da COP15 de Campo Grande?", "which"),
    ("que s'est-il passé à la COP13 ?", "what_happened"),
    ("o que aconteceu na COP11", "what_happened"),
    ("When did COP14 open?", "when"),
    ("How many species were listed?", "how_many"),
])
def test_kind_of(question: str, kind: str | None) -> None:
    assert kind_of(question) == kind


def test_a_language_can_be_asked_alone() -> None:
    assert kind_of("quand a commencé la COP14 ?", "es") is None
    assert pattern("when", ("fr",)).search("quand") and not pattern("when", ("fr",)).search("cuándo")


def test_words_are_whole_words() -> None:
    assert not pattern("who").search("quilt quemado")  # neither "qui" nor "quem" inside a word
    assert pattern("who").search("quem")


@pytest.mark.parametrize("text, event", [
    ("la COP14 s'est ouverte le 12 février", "open"),
    ("la conferencia se inauguró en Samarcanda", "open"),
    ("a COP15 começou em Campo Grande", "open"),
    ("la reunión se clausuró el viernes", "close"),
    ("elle s'est achevée le vendredi 11 septembre 2020", "close"),
    ("a COP15 será realizada em Campo Grande", "held"),
    ("Ecuador fue elegido como anfitrión", "elect"),
])
def test_event_verbs(text: str, event: str) -> None:
    assert event_pattern(event).search(text.casefold())


def test_event_terms_are_analyzed_per_language() -> None:
    assert analyze("inauguró", "es")[0] in event_terms("open", "es")
    assert analyze("commencé", "fr")[0] in event_terms("open", "fr")
    assert analyze("opened")[0] in event_terms("open", "en")


@pytest.mark.parametrize("lang", ["fr", "es", "pt"])
def test_single_question_words_are_stopwords(lang: str) -> None:
    single = {w for kind in ("when", "where", "who", "how_many", "which") for w in QUESTION_WORDS[kind][lang]
              if " " not in w and "'" not in w}
    assert single
    kept = {w: analyze(w, lang) for w in single if analyze(w, lang)}
    assert not kept
