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
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.question.query import Query

from bot.text.question_words import EVENT_VERBS, _alternative

__all__ = ["CONCEPTS", "TEXT_LANGS", "concepts_in", "english_terms", "translated_query", "translated_terms"]

#: The languages of texts a question may be searched in, in the order they are tried.
TEXT_LANGS: tuple[str, ...] = ("en", "fr", "es", "pt")

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
    # CMS instruments, bodies and the animals and regions they are about
    "signatories": {"en": ("signatories", "signatory"), "fr": ("signataires", "signataire"),
                    "es": ("signatarios", "signatario"), "pt": ("signatários", "signatário")},
    "mou": {"en": ("memorandum of understanding", "mou", "memorandum"), "fr": ("mémorandum d'entente", "mémorandum", "mde"),
            "es": ("memorando de entendimiento", "memorando", "mde"), "pt": ("memorando de entendimento", "memorando")},
    "grassland": {"en": ("grassland", "grasslands"), "fr": ("prairies", "prairie", "savanes"),
                  "es": ("pastizales", "pastizal"), "pt": ("campos", "pastagens", "campos naturais")},
    "south_america": {"en": ("south america", "south american"), "fr": ("amérique du sud", "sud-américain", "sud-américaine"),
                      "es": ("sudamérica", "suramérica", "américa del sur", "sudamericano", "sudamericana"),
                      "pt": ("américa do sul", "sul-americano", "sul-americana")},
    "central_asia": {"en": ("central asia", "central asian"), "fr": ("asie centrale",), "es": ("asia central",),
                     "pt": ("ásia central",)},
    "africa": {"en": ("africa", "african"), "fr": ("afrique", "africain", "africaine"), "es": ("áfrica", "africano", "africana"),
               "pt": ("áfrica", "africano", "africana")},
    "europe": {"en": ("europe", "european"), "fr": ("europe", "européen", "européenne"), "es": ("europa", "europeo", "europea"),
               "pt": ("europa", "europeu", "europeia")},
    "mammals": {"en": ("mammals", "mammal"), "fr": ("mammifères", "mammifère"), "es": ("mamíferos", "mamífero"),
                "pt": ("mamíferos", "mamífero")},
    "waterbirds": {"en": ("waterbirds", "waterbird"), "fr": ("oiseaux d'eau",), "es": ("aves acuáticas",),
                   "pt": ("aves aquáticas",)},
    "dolphins": {"en": ("dolphins", "dolphin"), "fr": ("dauphins", "dauphin"), "es": ("delfines", "delfín"),
                 "pt": ("golfinhos", "golfinho")},
    "porpoises": {"en": ("porpoises", "porpoise"), "fr": ("marsouins", "marsouin"), "es": ("marsopas", "marsopa"),
                  "pt": ("botos", "toninhas")},
    "whales": {"en": ("whales", "whale"), "fr": ("baleines", "baleine"), "es": ("ballenas", "ballena"), "pt": ("baleias", "baleia")},
    "turtles": {"en": ("turtles", "turtle"), "fr": ("tortues", "tortue"), "es": ("tortugas", "tortuga"),
                "pt": ("tartarugas", "tartaruga")},
    "hammerhead": {"en": ("hammerhead",), "fr": ("requin-marteau", "marteau"), "es": ("martillo",), "pt": ("martelo",)},
    "scientific_council": {"en": ("scientific council",), "fr": ("conseil scientifique",), "es": ("consejo científico",),
                           "pt": ("conselho científico",)},
    "action_plan": {"en": ("action plan",), "fr": ("plan d'action",), "es": ("plan de acción",), "pt": ("plano de ação",)},
    "strategic_plan": {"en": ("strategic plan",), "fr": ("plan stratégique",), "es": ("plan estratégico",),
                       "pt": ("plano estratégico",)},
    "senate": {"en": ("senate",), "fr": ("sénat",), "es": ("senado",), "pt": ("senado",)},
    "agreement": {"en": ("agreement",), "fr": ("accord",), "es": ("acuerdo",), "pt": ("acordo",)},
    "venue": {"en": ("venue",), "fr": ("lieu", "locaux", "centre"), "es": ("sede", "lugar", "centro"),
              "pt": ("sede", "local", "centro")},
    "environment": {"en": ("environment", "environmental"), "fr": ("environnement", "environnemental", "environnementale"),
                    "es": ("ambiente", "medio ambiente", "ambiental"), "pt": ("meio ambiente", "ambiente", "ambiental")},
    "participants": {"en": ("participants", "participant", "attendees"), "fr": ("participants", "participantes"),
                     "es": ("participantes",), "pt": ("participantes",)},
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


def translated_terms(text: str, source: str, target: str) -> list[tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]]:
    """For every concept ``text`` (in ``source``) names that ``target`` has words for: the source
    terms it replaces (analyzed in ``source``), the terms of its first ``target`` form and those of
    all its forms, analyzed in ``target`` ("side event" → ``event paralel``, for Portuguese)."""
    from bot.search.analyzer import analyze

    out = []
    for concept in concepts_in(text, source):
        forms = CONCEPTS[concept].get(target)
        if not forms:
            continue
        replaced = frozenset(t for form in CONCEPTS[concept].get(source, ()) for t in analyze(form, source))
        terms = tuple(dict.fromkeys(t for form in forms for t in analyze(form, target)))
        if terms:
            out.append((replaced, tuple(analyze(forms[0], target)) or terms[:1], terms))
    return out


def translated_query(query: Query, lang: str, known: Callable[[str], bool]) -> Query | None:
    """The question with the concepts it names in ``lang``'s words, to search ``lang``'s texts: each
    concept's source terms replaced by its ``lang`` terms (all searched; as its content word the first
    one ``known`` to the index). None when ``lang`` is the question's own or it names no concept."""
    if lang == query.lang:
        return None
    concepts = translated_terms(query.text, query.lang, lang)
    if not concepts:
        return None
    replaced = frozenset().union(*(source for source, _, _ in concepts))
    searched = tuple(t for t in query.terms if t not in replaced)
    content = tuple(t for t in query.content_terms if t not in replaced)
    own = tuple(t for _, first, terms in concepts for t in (first if all(known(t) for t in first) else
                                                             next(((t,) for t in terms if known(t)), first)))
    extra = tuple(t for _, _, terms in concepts for t in terms)
    # What a how-many question counts, in the same words ("species" → ``especi``).
    counted = frozenset(t for t in query.counted if t not in replaced).union(
        *(terms for source, _, terms in concepts if source & query.counted))
    return replace(query, terms=tuple(dict.fromkeys(searched + extra)), content_terms=tuple(dict.fromkeys(content + own)),
                   counted=counted)
