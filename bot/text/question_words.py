"""Question words and meeting/event verbs in English, French, Spanish and Portuguese, per question kind.

The question-kinds registry (``bot.question.kinds``) reads these so a kind is detected in every
language: ``pattern("when")`` matches "when", "quand", "cuándo", "quando" (accents optional) as whole
words in a casefolded question. ``EVENT_VERBS`` lists the verbs that name what a meeting does
(opens, closes, is held, adopts…) in every form a chat question uses, and ``event_terms`` gives
their analyzed stems per language, to compare with analyzed passages.
"""

from __future__ import annotations

import functools
import re

from bot.text.stopwords import fold_accents

__all__ = ["EVENT_VERBS", "KINDS", "LANGS", "QUESTION_WORDS", "event_terms", "kind_of", "pattern"]

LANGS: tuple[str, ...] = ("en", "fr", "es", "pt")

#: kind → language → question words/phrases, lower case, with their accents (matching folds them).
QUESTION_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "how_old": {
        "en": ("how old", "what age", "how long ago", "since when"),
        "fr": ("quel âge", "depuis quand", "depuis combien de temps", "il y a combien de temps"),
        "es": ("qué edad", "cuántos años tiene", "cuántos años tenía", "desde cuándo", "hace cuánto"),
        "pt": ("que idade", "quantos anos tem", "quantos anos tinha", "desde quando", "há quanto tempo"),
    },
    "how_often": {
        "en": ("how often", "how frequently", "how regularly", "at what interval", "at what intervals"),
        "fr": ("à quelle fréquence", "avec quelle fréquence", "tous les combien", "à quel rythme"),
        "es": ("con qué frecuencia", "cada cuánto", "cada cuánto tiempo", "con qué periodicidad"),
        "pt": ("com que frequência", "de quanto em quanto tempo", "a cada quanto tempo", "com que periodicidade"),
    },
    "how_much": {
        "en": ("how much", "what did it cost", "what does it cost", "what budget", "what amount"),
        "fr": ("combien coûte", "combien a coûté", "combien va coûter", "combien d'argent", "quel budget",
               "quel montant", "à combien"),
        "es": ("cuánto", "cuánta", "cuánto costó", "cuánto cuesta", "qué presupuesto", "qué monto", "qué cantidad de dinero"),
        "pt": ("quanto", "quanta", "quanto custou", "quanto custa", "quanto vai custar", "qual orçamento", "qual o valor"),
    },
    # How long something lasts: no kind of its own yet, but not how much ("quanto tempo dura …?").
    "how_long": {
        "en": ("how long",),
        "fr": ("combien de temps", "pendant combien de temps", "quelle durée"),
        "es": ("cuánto tiempo", "cuánto dura", "cuánto duran", "qué duración"),
        "pt": ("quanto tempo", "quanto dura", "quanto duram", "qual a duração", "qual é a duração"),
    },
    "how_many": {
        "en": ("how many", "what number of", "number of"),
        "fr": ("combien", "combien de", "combien d'", "quel nombre de", "nombre de"),
        "es": ("cuántos", "cuántas", "qué número de", "número de"),
        "pt": ("quantos", "quantas", "qual o número de", "número de"),
    },
    "when": {
        "en": ("when", "what date", "which date", "what day", "which day", "what year", "which year", "until when"),
        "fr": ("quand", "quelle date", "à quelle date", "quel jour", "quelle année", "en quelle année",
               "jusqu'à quand", "depuis quand"),
        "es": ("cuándo", "qué fecha", "en qué fecha", "qué día", "qué año", "en qué año", "hasta cuándo"),
        "pt": ("quando", "que data", "em que data", "que dia", "que ano", "em que ano", "até quando"),
    },
    "where": {
        "en": ("where", "in which city", "in what city", "which city", "which country", "what venue", "which venue"),
        "fr": ("où", "dans quelle ville", "quelle ville", "dans quel pays", "quel lieu", "à quel endroit"),
        "es": ("dónde", "adónde", "en qué ciudad", "qué ciudad", "en qué país", "qué lugar", "en qué lugar"),
        "pt": ("onde", "aonde", "em que cidade", "qual cidade", "que cidade", "em que país", "que local"),
    },
    "who": {
        "en": ("who", "whom", "whose"),
        "fr": ("qui", "qui est", "qui a", "de qui", "à qui"),
        "es": ("quién", "quiénes", "de quién", "a quién"),
        "pt": ("quem", "de quem", "a quem"),
    },
    "which": {
        "en": ("which", "what resolution", "what decision", "what document"),
        "fr": ("quel", "quelle", "quels", "quelles", "lequel", "laquelle", "lesquels", "lesquelles"),
        "es": ("cuál", "cuáles", "qué", "qué resolución", "qué decisión", "qué documento"),
        "pt": ("qual", "quais", "que resolução", "que decisão", "que documento"),
    },
    "what_called": {
        "en": ("what is it called", "what was it called", "what is the name", "what was the name", "what slogan",
               "what theme", "what motto", "under what slogan", "under what theme"),
        "fr": ("comment s'appelle", "comment s'appelait", "quel est le nom", "quel était le nom", "quel slogan",
               "quel thème", "quelle devise", "c'est quoi le thème", "c'est quoi le slogan", "sous quel slogan",
               "sous quel thème"),
        "es": ("cómo se llama", "cómo se llamaba", "cuál es el nombre", "cuál era el nombre", "qué lema",
               "qué tema", "cuál es el lema", "cuál fue el lema", "bajo qué lema"),
        "pt": ("como se chama", "como se chamava", "qual é o nome", "qual era o nome", "qual o nome", "que lema",
               "qual é o lema", "qual foi o lema", "qual o tema", "qual é o tema", "sob que lema"),
    },
    "yes_no": {
        "en": ("is", "was", "are", "were", "does", "did", "do", "has", "have", "had", "can", "will", "is it true that"),
        "fr": ("est-ce que", "est-ce qu'", "est-il vrai que", "y a-t-il", "n'est-ce pas"),
        "es": ("es cierto que", "es verdad que", "acaso", "hay", "existe"),
        "pt": ("é verdade que", "será que", "há", "existe"),
    },
    "what_happened": {
        "en": ("what happened", "what took place", "what went on", "what was decided", "what was adopted",
               "what's new", "what is new", "any news"),
        "fr": ("que s'est-il passé", "qu'est-ce qui s'est passé", "que s'est il passé", "quoi de neuf",
               "qu'a-t-on décidé", "qu'est-ce qui a été adopté", "quelles nouvelles"),
        "es": ("qué pasó", "qué ocurrió", "qué sucedió", "qué se decidió", "qué se adoptó", "qué hay de nuevo",
               "qué novedades"),
        "pt": ("o que aconteceu", "o que houve", "o que se passou", "o que foi decidido", "o que foi adotado",
               "quais as novidades", "o que há de novo"),
    },
}
KINDS: tuple[str, ...] = tuple(QUESTION_WORDS)

#: event → language → the verb's forms a question or a text uses (infinitive, participles, finite forms).
EVENT_VERBS: dict[str, dict[str, tuple[str, ...]]] = {
    "open": {
        "en": ("open", "opens", "opened", "opening", "start", "starts", "started", "begin", "begins", "began",
               "kick off", "kicked off", "commence", "commenced"),
        "fr": ("ouvrir", "ouvre", "ouvert", "ouverte", "ouverture", "s'ouvre", "s'est ouverte", "commencer",
               "commence", "commencé", "débuter", "débute", "débuté", "démarrer", "démarré"),
        "es": ("abrir", "abre", "abrió", "abierta", "apertura", "inaugurar", "inauguró", "inaugurada",
               "inauguración", "empezar", "empieza", "empezó", "comenzar", "comienza", "comenzó", "iniciar",
               "inició", "inicio"),
        "pt": ("abrir", "abre", "abriu", "aberta", "abertura", "inaugurar", "inaugurou", "inaugurada",
               "começar", "começa", "começou", "iniciar", "iniciou", "início"),
    },
    "close": {
        "en": ("close", "closes", "closed", "closing", "end", "ends", "ended", "conclude", "concluded",
               "finish", "finished", "wrap up", "wrapped up"),
        "fr": ("clôturer", "clôture", "clôturé", "clôturée", "fermer", "fermé", "terminer", "termine",
               "terminé", "terminée", "s'est terminée", "finir", "fini", "achever", "achevé", "s'est achevée",
               "conclure", "conclu"),
        "es": ("cerrar", "cierra", "cerró", "clausura", "clausurar", "clausuró", "terminar", "termina",
               "terminó", "finalizar", "finaliza", "finalizó", "concluir", "concluyó", "acabar", "acabó"),
        "pt": ("encerrar", "encerra", "encerrou", "encerramento", "fechar", "fechou", "terminar", "termina",
               "terminou", "acabar", "acabou", "concluir", "concluiu", "finalizar", "finalizou"),
    },
    "held": {
        "en": ("held", "hold", "holds", "take place", "took place", "takes place", "hosted", "host", "hosts", "meet", "met"),
        "fr": ("tenir", "se tenir", "tenu", "tenue", "s'est tenue", "se tient", "avoir lieu", "a eu lieu",
               "aura lieu", "accueillir", "accueilli", "accueille", "se réunir", "réuni"),
        "es": ("celebrar", "celebró", "celebrada", "se celebra", "tener lugar", "tuvo lugar", "tendrá lugar",
               "realizar", "realizó", "realizada", "acoger", "acogió", "albergar", "albergó", "sede"),
        "pt": ("realizar", "realizou", "realizada", "acontecer", "aconteceu", "acontece", "sediar", "sediou",
               "sede", "receber", "recebeu", "ter lugar", "teve lugar"),
    },
    "adopt": {
        "en": ("adopt", "adopted", "adopts", "approve", "approved", "agree", "agreed", "decide", "decided", "list", "listed"),
        "fr": ("adopter", "adopté", "adoptée", "adoptées", "adoptés", "approuver", "approuvé", "convenir",
               "convenu", "décider", "décidé", "inscrire", "inscrit", "inscrites"),
        "es": ("adoptar", "adoptó", "adoptada", "adoptadas", "aprobar", "aprobó", "aprobada", "aprobadas",
               "acordar", "acordó", "decidir", "decidió", "incluir", "incluyó", "incluidas"),
        "pt": ("adotar", "adotou", "adotada", "adotadas", "aprovar", "aprovou", "aprovada", "aprovadas",
               "decidir", "decidiu", "incluir", "incluiu", "incluídas"),
    },
    "launch": {
        "en": ("launch", "launched", "launches", "present", "presented", "unveil", "unveiled", "publish", "published"),
        "fr": ("lancer", "lancé", "lancée", "lancement", "présenter", "présenté", "présentée", "publier", "publié", "dévoiler", "dévoilé"),
        "es": ("lanzar", "lanzó", "lanzado", "lanzamiento", "presentar", "presentó", "presentado", "publicar", "publicó"),
        "pt": ("lançar", "lançou", "lançado", "lançamento", "apresentar", "apresentou", "apresentado", "publicar", "publicou"),
    },
    "elect": {
        "en": ("elect", "elected", "choose", "chose", "chosen", "select", "selected", "appoint", "appointed"),
        "fr": ("élire", "élu", "élue", "choisir", "choisi", "choisie", "sélectionner", "sélectionné", "nommer", "nommé"),
        "es": ("elegir", "eligió", "elegido", "elegida", "escoger", "escogió", "seleccionar", "seleccionó", "nombrar", "nombró"),
        "pt": ("eleger", "elegeu", "eleito", "eleita", "escolher", "escolheu", "escolhido", "selecionar", "nomear", "nomeou"),
    },
}


def _alternative(phrase: str) -> str:
    """A phrase as a regex: accents optional (é matches é or e), any run of spaces, ' or ’.

    A one-word phrase of up to 3 letters keeps its accents: unaccented "ou" is "or", not "où".
    """
    strict = len(phrase) <= 3 and " " not in phrase
    out = []
    for ch in phrase:
        base = fold_accents(ch)
        if ch == " ":
            out.append(r"\s+")
        elif ch == "'":
            out.append(r"['’]\s*")
        elif base != ch and not strict:
            out.append(f"[{re.escape(ch)}{re.escape(base)}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


@functools.lru_cache(maxsize=None)
def pattern(kind: str, langs: tuple[str, ...] = LANGS) -> re.Pattern[str]:
    """Whole-word alternatives of ``kind``'s question words in ``langs`` (longest first), for casefolded text."""
    phrases = {p for lang in langs for p in QUESTION_WORDS[kind].get(lang, ())}
    body = "|".join(_alternative(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(r"(?<!\w)(?:" + body + r")(?!\w)")


@functools.lru_cache(maxsize=None)
def event_pattern(event: str, langs: tuple[str, ...] = LANGS) -> re.Pattern[str]:
    """Whole-word forms of an event verb in ``langs``, for casefolded text."""
    forms = {p for lang in langs for p in EVENT_VERBS[event].get(lang, ())}
    body = "|".join(_alternative(p) for p in sorted(forms, key=len, reverse=True))
    return re.compile(r"(?<!\w)(?:" + body + r")(?!\w)")


@functools.lru_cache(maxsize=None)
def event_terms(event: str, lang: str) -> frozenset[str]:
    """The analyzed terms (stems, accents folded) of an event verb's forms in ``lang``."""
    from bot.search.analyzer import analyze

    return frozenset(t for form in EVENT_VERBS[event].get(lang, ()) for t in analyze(form, lang))


#: Kinds in the order a question is tested (most specific first), as the registry does.
_ORDER = ("how_often", "how_old", "how_much", "how_many", "what_called", "what_happened", "when", "where", "who", "which")


def kind_of(question: str, lang: str | None = None) -> str | None:
    """The first kind whose question words ``question`` uses (in ``lang`` only, when given), else None.

    yes/no is not guessed here: its English auxiliaries are only a kind at the start of a question.
    """
    folded = " ".join(question.casefold().split())
    langs = (lang,) if lang in LANGS else LANGS
    for kind in _ORDER:
        if pattern(kind, langs).search(folded):
            return kind
    return None
