"""A small French/Spanish/Portuguese → English glossary of the words CMS questions use, for searching
English texts when a question's own language has no answer ("quand a commencé la COP14 ?" →
``open``, ``start``, …).

Each concept lists the forms a chat question uses in each language (accents optional, whole words)
and its English gloss; :func:`english_terms` returns, per concept the question names, the English
gloss analyzed as English, so the terms line up with English passages. Meeting codes, symbols,
numbers and names need no glossary: they are the same terms in every language already.
"""

from __future__ import annotations

import functools
import re

from bot.text.question_words import EVENT_VERBS, _alternative

__all__ = ["CONCEPTS", "concepts_in", "english_terms"]

#: concept → language → forms; "en" is the gloss searched in English texts (its first words weigh most).
CONCEPTS: dict[str, dict[str, tuple[str, ...]]] = {
    **{event: {**forms, "en": forms["en"][:6]} for event, forms in EVENT_VERBS.items()},
    "species": {"en": ("species",), "fr": ("espèce", "espèces"), "es": ("especie", "especies"),
                "pt": ("espécie", "espécies")},
    "migratory": {"en": ("migratory",), "fr": ("migratrice", "migratrices", "migrateur", "migrateurs"),
                  "es": ("migratoria", "migratorias", "migratorio", "migratorios"),
                  "pt": ("migratória", "migratórias", "migratório", "migratórios")},
    "meeting": {"en": ("meeting",), "fr": ("réunion", "réunions"), "es": ("reunión", "reuniones"),
                "pt": ("reunião", "reuniões")},
    "conference": {"en": ("conference",), "fr": ("conférence",), "es": ("conferencia",), "pt": ("conferência",)},
    "parties": {"en": ("parties",), "fr": ("parties",), "es": ("partes",), "pt": ("partes",)},
    "convention": {"en": ("convention",), "fr": ("convention",), "es": ("convención",), "pt": ("convenção",)},
    "city": {"en": ("city",), "fr": ("ville",), "es": ("ciudad",), "pt": ("cidade",)},
    "country": {"en": ("country",), "fr": ("pays",), "es": ("país", "países"), "pt": ("país", "países")},
    "host": {"en": ("host",), "fr": ("hôte", "pays hôte", "ville hôte"), "es": ("anfitrión", "anfitriona", "sede"),
             "pt": ("anfitrião", "anfitriã", "sede")},
    "theme": {"en": ("theme",), "fr": ("thème",), "es": ("tema",), "pt": ("tema",)},
    "slogan": {"en": ("slogan", "motto"), "fr": ("slogan", "devise"), "es": ("lema", "eslogan"),
               "pt": ("lema", "slogan")},
    "date": {"en": ("date", "dates"), "fr": ("date", "dates"), "es": ("fecha", "fechas"), "pt": ("data", "datas")},
    "resolution": {"en": ("resolution",), "fr": ("résolution", "résolutions"), "es": ("resolución", "resoluciones"),
                   "pt": ("resolução", "resoluções")},
    "decision": {"en": ("decision",), "fr": ("décision", "décisions"), "es": ("decisión", "decisiones"),
                 "pt": ("decisão", "decisões")},
    "document": {"en": ("document",), "fr": ("document", "documents"), "es": ("documento", "documentos"),
                 "pt": ("documento", "documentos")},
    "report": {"en": ("report",), "fr": ("rapport",), "es": ("informe",), "pt": ("relatório",)},
    "secretariat": {"en": ("secretariat",), "fr": ("secrétariat",), "es": ("secretaría",), "pt": ("secretariado",)},
    "executive_secretary": {"en": ("executive secretary",), "fr": ("secrétaire exécutive", "secrétaire exécutif"),
                            "es": ("secretaria ejecutiva", "secretario ejecutivo"),
                            "pt": ("secretária executiva", "secretário executivo")},
    "minister": {"en": ("minister",), "fr": ("ministre",), "es": ("ministro", "ministra"), "pt": ("ministro", "ministra")},
    "government": {"en": ("government",), "fr": ("gouvernement",), "es": ("gobierno",), "pt": ("governo",)},
    "cost": {"en": ("cost", "budget"), "fr": ("coût", "coûte", "coûté", "budget"),
             "es": ("costo", "coste", "costó", "cuesta", "presupuesto"),
             "pt": ("custo", "custa", "custou", "custar", "orçamento")},
    "delegates": {"en": ("delegates",), "fr": ("délégués",), "es": ("delegados",), "pt": ("delegados",)},
    "side_event": {"en": ("side event",), "fr": ("manifestation parallèle", "événement parallèle"),
                   "es": ("evento paralelo", "eventos paralelos"), "pt": ("evento paralelo", "eventos paralelos")},
    "proposal": {"en": ("proposal",), "fr": ("proposition",), "es": ("propuesta",), "pt": ("proposta",)},
    "appendix": {"en": ("appendix",), "fr": ("annexe",), "es": ("apéndice",), "pt": ("apêndice", "anexo")},
    "sharks": {"en": ("sharks",), "fr": ("requin", "requins"), "es": ("tiburón", "tiburones"), "pt": ("tubarão", "tubarões")},
    "birds": {"en": ("birds",), "fr": ("oiseau", "oiseaux"), "es": ("ave", "aves", "pájaros"), "pt": ("ave", "aves", "pássaros")},
    "news": {"en": ("news",), "fr": ("nouvelles", "actualités"), "es": ("noticias",), "pt": ("notícias",)},
    "press_release": {"en": ("press release",), "fr": ("communiqué",), "es": ("comunicado",), "pt": ("comunicado",)},
}


@functools.lru_cache(maxsize=None)
def _pattern(concept: str, lang: str) -> re.Pattern[str] | None:
    forms = CONCEPTS[concept].get(lang)
    if not forms:
        return None
    body = "|".join(_alternative(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(r"(?<!\w)(?:" + body + r")(?!\w)")


def concepts_in(text: str, lang: str) -> list[str]:
    """The concepts ``text`` (in ``lang``) names, in glossary order."""
    folded = " ".join(text.casefold().split())
    return [c for c in CONCEPTS if (p := _pattern(c, lang)) is not None and p.search(folded)]


def english_terms(text: str, lang: str) -> dict[str, tuple[str, ...]]:
    """concept → its English gloss analyzed as English, for every concept ``text`` names (nothing for English)."""
    if lang == "en":
        return {}
    from bot.search.analyzer import analyze

    out: dict[str, tuple[str, ...]] = {}
    for concept in concepts_in(text, lang):
        terms = tuple(dict.fromkeys(t for gloss in CONCEPTS[concept]["en"] for t in analyze(gloss, "en")))
        if terms:
            out[concept] = terms
    return out
