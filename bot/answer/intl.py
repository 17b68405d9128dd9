"""What the direct-answer recognisers and sentence rules need in French, Spanish and Portuguese.

The English rules live with each question kind (``bot.question.kinds.*``) and in
``bot.answer.sentences``; each calls in here with one line when the text (or the question) is in
another language. Everything here is data per language plus the few functions that read it:

- ``hedged``: a plan, proposal or expectation ("sera", "devrait", "propuesto", "prevista",
  "deverá", a future tense) is no fact for a question about what happened;
- ``count_pattern``: counts with their counted noun ("130 espèces", "cerca de 1.189 espécies",
  "entre 2 mil e 3 mil representantes", "onze espèces");
- ``counted_noun``: what a question counts ("combien d'espèces", "cuántas especies", "quantas vezes");
- ``day_month``: a day and month without a year ("le 6 novembre", "24 de julio");
- places: the words after "à"/"en"/"em" that are not places (months, weekdays, "Conférence" …);
- persons: "a été ouverte par NAME", "inaugurada por NAME", "NAME, ministre …", "a déclaré NAME";
- ``countries``: country names in each language, from Babel's CLDR data.
"""

from __future__ import annotations

import functools
import re

from bot.lazyre import lazy
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.answer.sentences import Reading
    from bot.question.query import Query

__all__ = [
    "AGENT", "LANGS", "NOT_PLACES", "ROLE_NOUNS", "SAID_AFTER", "SAID_BEFORE", "count_pattern", "counted_noun",
    "countries", "day_month", "generic_counted", "hedged", "not_a_count", "prospective",
]

LANGS: tuple[str, ...] = ("fr", "es", "pt")

# ---------------------------------------------------------------- plans, proposals, expectations

#: Words that make a statement a plan, a proposal or an expectation, per language. Futures and
#: conditionals are matched by their endings where these are unambiguous (French "-era"/"-ront",
#: Spanish and Portuguese "-rá"/"-rán"/"-rão" on a lower-case word: "Pará" is a state).
_HEDGES: dict[str, str] = {
    "fr": r"(?i:\b(?:sera|seront|serait|seraient|aura|auront|devrait|devraient|devra|devront|pourrait|pourraient"
          r"|pourra|pourront|doit|doivent|va|vont|ira|iront|prévu|prévue|prévus|prévues|prévoit|prévoient|prévoir"
          r"|propos\w*|envisag\w*|projet|projets|attendu|attendue|attendus|attendues|invité|invitée|invités|invitées"
          r"|vise\s+à|visent\s+à|potentiel\w*|éventuel\w*|candidat\w*)\b)"
          r"|\b[a-zà-ÿ]\w{2,}(?:era|iera|ira|dra|rra|vra|eront|ront)\b",
    "es": r"(?i:\b(?:será|serán|sería|serían|debería|deberían|deberá|deberán|podría|podrían|podrá|podrán|tendría"
          r"|habría|va\s+a|van\s+a|prevé|prevén|prevista|previsto|previstas|previstos|prevean|propuest\w*"
          r"|propon\w*|propuso|propusieron|se\s+espera|espera\s+que|esperan\s+que|esperado|esperada|planea\w*"
          r"|proyecto|posible|posibles|probablemente|candidat\w*)\b)"
          r"|\b[a-zñ]\w+(?:rá|rán)(?!\w)",
    "pt": r"(?i:\b(?:será|serão|seria|seriam|deverá|deverão|deveria|deveriam|poderá|poderão|poderia|poderiam"
          r"|teria|teriam|vai|vão|irá|irão|prevista|previsto|previstas|previstos|prevê|preveem|propost\w*"
          r"|propõe|propõem|propôs|propuseram|espera-se|esperado|esperada|esperados|esperadas|expectativa"
          r"|pretende\w*|planej\w*|projeto|possível|possíveis|provavelmente|candidat\w*)\b)"
          r"|\b[a-zç]\w+(?:rá|rão)(?!\w)",
}


@functools.lru_cache(maxsize=None)
def _hedge(lang: str) -> re.Pattern[str] | None:
    body = _HEDGES.get(lang)
    return re.compile(body) if body else None


def hedged(sentence: str, lang: str) -> bool:
    """Whether a French, Spanish or Portuguese sentence states a plan, proposal or expectation."""
    pattern = _hedge(lang)
    return pattern is not None and pattern.search(sentence) is not None


def prospective(question: str, lang: str) -> bool:
    """Whether a question asks about a plan or proposal ("les espèces proposées", "¿se celebrará…?")."""
    return hedged(question, lang)


# ---------------------------------------------------------------- counts

_NUMBER_WORDS: dict[str, str] = {
    "fr": "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize dix-sept dix-huit"
          " dix-neuf vingt trente quarante cinquante soixante soixante-dix quatre-vingts quatre-vingt-dix cent cents"
          " mille dizaine dizaines douzaine centaine centaines milliers millions",
    "es": "dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis diecisiete"
          " dieciocho diecinueve veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa cien ciento"
          " cientos centenar centenares docena decenas mil miles millones",
    "pt": "dois duas três quatro cinco seis sete oito nove dez onze doze treze catorze quatorze quinze dezesseis"
          " dezessete dezoito dezenove vinte trinta quarenta cinquenta sessenta setenta oitenta noventa cem cento"
          " centenas dezena dezenas dúzia mil milhares milhões",
}
#: Words after a number that multiply it ("2 mil", "86 milhões", "3 millions").
_MULTIPLIERS = r"(?:mil|mille|millions?|milliards?|millones|millón|mil\s+millones|milhões|milhão|bilhões|bilhão)"
_QUALIFIERS: dict[str, str] = {
    "fr": r"plus\s+de|plus\s+d['’]|moins\s+de|près\s+de|environ|quelque|au\s+moins|jusqu['’]\s*à|pas\s+moins\s+de"
          r"|un\s+total\s+de|au\s+total|presque|seulement|quasiment|entre",
    "es": r"más\s+de|menos\s+de|cerca\s+de|alrededor\s+de|aproximadamente|unos|unas|al\s+menos|hasta|casi|solo|sólo"
          r"|un\s+total\s+de|entre",
    "pt": r"mais\s+de|menos\s+de|cerca\s+de|aproximadamente|uns|umas|pelo\s+menos|até|quase|apenas|só"
          r"|um\s+total\s+de|entre",
}
#: Words that end a counted noun phrase (articles, prepositions, verbs of being).
_NOT_NOUN: dict[str, str] = {
    "fr": "de du des d en à au aux et ou par pour sur dans avec qui que le la les l un une est sont ont a été sera ne se",
    "es": "de del en a al y o e por para con que el la los las lo un una es son fue fueron ha han se no",
    "pt": "de do da dos das em no na nos nas a ao o e ou por para com que os as um uma é são foi foram há se não",
}
_RANGE_WORDS = {"fr": r"à|a|et|ou", "es": r"a|y|o", "pt": r"a|e|ou"}


@functools.lru_cache(maxsize=None)
def number(lang: str) -> str:
    """A number as ``lang`` writes it: "1 189", "1.189", "2,5", "onze", "2 mil", "86 milhões"."""
    words = "|".join(sorted(_NUMBER_WORDS[lang].split(), key=len, reverse=True))
    return (rf"(?:\d{{1,3}}(?:[.\u00a0\u202f ]\d{{3}})+(?!\d)|\d+(?:,\d+)?|(?:{words})(?!\w))"
            rf"(?:\s+(?:de\s+)?{_MULTIPLIERS}(?!\w))?")


@functools.lru_cache(maxsize=None)
def count_pattern(lang: str) -> re.Pattern[str]:
    """A count and the (up to three) words after it, ``noun``, as the English ``COUNT`` reads them."""
    n = number(lang)
    stop = "|".join(re.escape(w) for w in _NOT_NOUN[lang].split())
    return re.compile(
        rf"(?<!\w)(?:(?:{_QUALIFIERS[lang]})\s+)?{n}(?:\s*(?:{_RANGE_WORDS[lang]}|-|–)\s*{n})?"
        r"(?:\s*(?:pour\s+cent|por\s+ciento|por\s+cento|%))?"
        rf"(?P<noun>(?:\s+(?!(?:{stop})(?!\w))[^\W\d_][\w’'-]*){{0,3}})",
        re.IGNORECASE,
    )


_YEARLIKE = lazy(r"^(?:19|20)\d{2}$")


def not_a_count(match: re.Match[str]) -> bool:
    """A year or a section number ("7.2") read as a count."""
    first = next((w for w in match.group(0).split() if w[:1].isdigit()), "").strip(",.")
    return bool(_YEARLIKE.match(first) or re.fullmatch(r"\d+\.\d{1,2}", first))


@functools.lru_cache(maxsize=None)
def generic_counted(lang: str) -> frozenset[str]:
    """Nouns that count what the question names when the sentence names it ("individus", "ejemplares")."""
    from bot.search.analyzer import analyze

    words = {"fr": "individus animaux spécimens", "es": "individuos animales ejemplares",
             "pt": "indivíduos animais exemplares"}
    return frozenset(analyze(words.get(lang, ""), lang))


_COUNTED_QUESTION: dict[str, re.Pattern[str]] = {
    "fr": lazy(r"\b(?:combien|nombre)\s+(?:de\s+|d['’]\s*)(?:(?:la|les|l['’])\s*)?(?P<noun>[^\W\d_][\w'-]*)", re.IGNORECASE),
    "es": lazy(r"(?<!\w)(?:cu[aá]nt[oa]s|n[uú]mero\s+de)\s+(?:(?:los|las)\s+)?(?P<noun>[^\W\d_][\w'-]*)", re.IGNORECASE),
    "pt": lazy(r"(?<!\w)(?:quant[oa]s|n[uú]mero\s+de)\s+(?:(?:os|as)\s+)?(?P<noun>[^\W\d_][\w'-]*)", re.IGNORECASE),
}


def counted_noun(question: str, lang: str) -> str | None:
    """The noun a French, Spanish or Portuguese how-many question counts, as written, else None."""
    pattern = _COUNTED_QUESTION.get(lang)
    m = pattern.search(question) if pattern is not None else None
    return m.group("noun") if m else None


# ---------------------------------------------------------------- dates without a year

_MONTHS = (r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
           r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
           r"|janeiro|fevereiro|março|marco|maio|junho|julho|setembro|outubro|novembro|dezembro")
#: "6 novembre", "1er mars", "24 de julio", "24 y 25 de julio", "23 e 29 de março" (no year after it).
DAY_MONTH = lazy(rf"(?<!\w)\d{{1,2}}(?:er|º|ª)?(?:\s+(?:y|e|et|au|al|a)\s+\d{{1,2}})?\s+(?:de\s+)?(?:{_MONTHS})(?!\w)"
                       rf"(?!\s+(?:de\s+)?\d{{4}})", re.IGNORECASE)


#: "ce mardi", "este martes", "nesta terça-feira (3)": a day a news text names by its weekday.
WEEKDAY = lazy(r"(?<!\w)(?:ce|le|este|el|nesta|neste|na|no|esta|este)\s+"
                     r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|miercoles|jueves"
                     r"|viernes|sábado|sabado|domingo|segunda|terça|terca|quarta|quinta|sexta)(?:-feira)?"
                     r"(?:\s*\(\d{1,2}\))?(?!\w)", re.IGNORECASE)


def day_month(sentence: str) -> list[tuple[int, int, str]]:
    """Days and months without a year, and weekdays ("nesta terça-feira (3)"), in a French, Spanish
    or Portuguese sentence."""
    return [(m.start(), m.end(), m.group(0)) for p in (DAY_MONTH, WEEKDAY) for m in p.finditer(sentence)]


# ---------------------------------------------------------------- places

#: Capitalised words after "à"/"en"/"em" that start no place name.
NOT_PLACES = frozenset(
    """Janvier Février Mars Avril Mai Juin Juillet Août Septembre Octobre Novembre Décembre Lundi Mardi Mercredi
    Jeudi Vendredi Samedi Dimanche Enero Febrero Marzo Abril Mayo Junio Julio Agosto Septiembre Octubre Noviembre
    Diciembre Lunes Martes Miércoles Jueves Viernes Sábado Domingo Janeiro Fevereiro Março Maio Junho Julho Setembro
    Outubro Novembro Dezembro Segunda Terça Quarta Quinta Sexta Conférence Conferencia Conferência Réunion Reunión
    Reunião Convention Convención Convenção Annexe Apéndice Apêndice Anexo Partes Parties Plenário Plenária
    Plénière Plenario Secrétariat Secretaría Secretariado Comité Comisión Comissão Commission Conseil Consejo
    Conselho Ministère Ministerio Ministério Le La Les L El Los Las O Os As Um Uma Un Une Una Este Esta Esse Essa
    Ce Cette CMS COP AEWA ASCOBANS Plan Plano""".split()
)


# ---------------------------------------------------------------- persons

_UPPER = r"A-ZÀ-ÖØ-Þ"
_LOWER = r"a-zß-öø-ÿ"
#: A person's name: two to four capitalised words, particles allowed ("Philippe de Backer").
NAME = (rf"[{_UPPER}][{_LOWER}’'-]+(?:\s+(?:de|da|do|dos|das|del|van|von|der|la|le)\b)?"
        rf"(?:\s+(?:(?:de|da|do|dos|das|del|van|von|der)\s+)?[{_UPPER}][{_LOWER}’'-]+){{1,3}}")
#: "a été ouverte par NAME", "inaugurada por NAME", "foi aberta por NAME".
AGENT = lazy(rf"\b(?:par|por|pelo|pela)\s+(?:(?:le|la|el|o|a)\s+)?(?:(?:M\.|Mme|Mlle|Dr|Sr\.?|Sra\.?)\s+)?"
                   rf"(?P<name>{NAME})")
#: "a déclaré NAME", "explique NAME", "dijo NAME", "afirmou NAME" (after a quotation).
SAID_AFTER = lazy(
    r"(?:explique|a\s+expliqué|déclare|a\s+déclaré|affirme|a\s+affirmé|ajoute|a\s+ajouté|souligne|a\s+souligné"
    r"|dit|a\s+dit|indique|a\s+indiqué|rappelle|a\s+rappelé|dijo|afirmó|declaró|explicó|señaló|indicó|añadió|recalca"
    r"|recalcó|destacó|resaltó|subrayó|disse|afirmou|declarou|explicou|ressaltou|destacou|acrescentou|sublinhou)"
    rf"\s+(?:(?:le|la|el|o|a)\s+)?(?:[{_LOWER}]+\s+){{0,4}}?(?P<name>{NAME})")
#: "NAME a déclaré", "NAME dijo", "NAME disse".
SAID_BEFORE = lazy(
    rf"(?P<name>{NAME})(?:,\s+[^,.;«»“”\"]+,)?\s+(?:a\s+(?:déclaré|expliqué|affirmé|souligné|rappelé|ajouté|dit)"
    r"|explique|déclare|dijo|afirmó|declaró|explicó|señaló|disse|afirmou|declarou|explicou|leu)\b")
#: Role nouns before or after a name ("ministre fédéral belge", "secretario Ejecutivo", "senador").
ROLE_NOUNS = (r"(?:ministre|ministra|ministro|secrétaire\s+exécuti(?:f|ve)|secretari[oa]\s+ejecutiv[oa]"
              r"|secretári[oa]\s+executiv[oa]|président|présidente|presidente|directeur|directrice|director|directora"
              r"|diretor|diretora|sénateur|sénatrice|senador|senadora|député|députée|diputad[oa]|deputad[oa]"
              r"|ambassadeur|ambassadrice|embajador|embajadora|embaixador|embaixadora|maire|alcalde|alcaldesa|prefeit[oa]"
              r"|gouverneur|gobernador|governador|chef|jefe|chefe|coordinat(?:eur|rice)|coordinador|coordenador)")


@functools.lru_cache(maxsize=None)
def countries(lang: str) -> re.Pattern[str]:
    """Country names as ``lang`` writes them (CLDR, via Babel), longest first, whole words."""
    from bot.cms.countries import country_names

    alternatives = "|".join(sorted((re.escape(n) for n in country_names(lang) if len(n) > 2), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


# ---------------------------------------------------------------- questions that ask two things

#: Question words beyond the kinds' (``bot.text.question_words``): how, why. Ambiguous words are left
#: out: Portuguese "como" is also "as", French "que" and Spanish/Portuguese "que" also "that".
_MORE_QUESTION_WORDS = {"fr": ("comment", "pourquoi", "quoi"), "es": ("cómo", "por qué", "qué"),
                        "pt": ("por que", "por quê", "o que")}
_AND = lazy(r"(?:,\s*|\s+)(?:et|y|e)\s+", re.IGNORECASE)


@functools.lru_cache(maxsize=None)
def _question_word(lang: str) -> re.Pattern[str]:
    from bot.text.question_words import QUESTION_WORDS, _alternative

    words = {w for kind, by_lang in QUESTION_WORDS.items() if kind != "yes_no" for w in by_lang.get(lang, ())}
    words |= set(_MORE_QUESTION_WORDS.get(lang, ()))
    words -= {"que", "qué"} if lang != "es" else {"que"}
    body = "|".join(_alternative(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def question_parts(text: str, lang: str) -> tuple[str, ...]:
    """The two questions a French, Spanish or Portuguese question asks ("… présentée quand, et où ?",
    "Onde e quando foi assinado …?", "¿Qué especie … y qué país …?"), else (). A question word may
    stand at the end of its clause ("elle s'est terminée quand ?"); "où et quand <rest>" is two
    questions about the same rest."""
    if lang not in LANGS:
        return ()
    words = _question_word(lang)
    for m in _AND.finditer(text):
        first, rest = text[: m.start()].strip(), text[m.end():].strip()
        if not (first and rest and words.search(first) and words.search(rest)):
            continue
        if words.fullmatch(first.strip("¿¡ ").casefold()) is not None:
            lead = words.match(rest)  # "Onde e quando foi …": both about what follows
            return (f"{first} {rest[lead.end():].strip() if lead else rest}", rest)
        return (first, rest)
    return ()


# ---------------------------------------------------------------- which country

#: "quel pays", "qué país", "qual país": the noun a which-question asks for, in the English kinds' terms.
_ASKED_NOUNS: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "fr": ((lazy(r"(?<!\w)(?:quel|quels)\s+(?:pays|état|états)(?!\w)"), "country"),
           (lazy(r"(?<!\w)th[eè]mes?(?!\w)"), "theme"), (lazy(r"(?<!\w)(?:slogan|devise)s?(?!\w)"), "slogan"),
           (lazy(r"(?<!\w)(?:quel|quelle)\s+(?:ministre|s[ée]nat(?:eur|rice)|secr[ée]taire|pr[ée]sidente?"
                       r"|direct(?:eur|rice)|ambassad(?:eur|rice)|d[ée]put[ée]e?|maire)(?!\w)"), "person"),
           (lazy(r"(?<!\w)quel\s+gouvernement(?!\w)"), "government")),
    "es": ((lazy(r"(?<!\w)(?:qu[eé]|cu[aá]l(?:es)?)\s+(?:pa[ií]s|pa[ií]ses|estado)(?!\w)"), "country"),
           (lazy(r"(?<!\w)temas?(?!\w)"), "theme"), (lazy(r"(?<!\w)(?:lema|eslogan)s?(?!\w)"), "slogan"),
           (lazy(r"(?<!\w)(?:qu[eé]|cu[aá]l)\s+(?:ministr[oa]|senador[a]?|secretari[oa]|president[ea]"
                       r"|director[a]?|embajador[a]?|diputad[oa]|alcalde(?:sa)?)(?!\w)"), "person"),
           (lazy(r"(?<!\w)(?:qu[eé]|cu[aá]l)\s+gobierno(?!\w)"), "government")),
    "pt": ((lazy(r"(?<!\w)(?:qual|quais|que)\s+(?:pa[ií]s|pa[ií]ses|estado)(?!\w)"), "country"),
           (lazy(r"(?<!\w)temas?(?!\w)"), "theme"), (lazy(r"(?<!\w)(?:lema|slogan)s?(?!\w)"), "slogan"),
           (lazy(r"(?<!\w)(?:qual|que)\s+(?:ministr[oa]|senador[a]?|secret[aá]ri[oa]|presidente"
                       r"|diretor[a]?|embaixador[a]?|deputad[oa]|prefeit[oa])(?!\w)"), "person"),
           (lazy(r"(?<!\w)(?:qual|que)\s+governo(?!\w)"), "government")),
}


#: A reference asked for in French, Spanish or Portuguese: "la cote du document", "quelle résolution",
#: "¿qué signatura tiene el documento …?", "o número da resolução" → the reference kind's nouns.
_REFERENCE_WORDS = {
    "document": r"documents?|documentos?", "resolution": r"r[eé]solutions?|resoluci[oó]n(?:es)?|resolu[cç](?:[aã]o|[oõ]es)",
    "decision": r"d[eé]cisions?|decisi[oó]n(?:es)?|decis(?:[aã]o|[oõ]es)",
}
_REFERENCE_ASKED_TEXT = {noun: (
    rf"(?<!\w)(?:(?:quel(?:le)?s?|qu[eé]|cu[aá]l(?:es)?|qual|quais)\s+(?:{words})|"
    rf"(?:cote|num[eé]ro|symbole|r[eé]f[eé]rence|signatura|s[ií]mbolo|cota)\s+(?:du|de\s+la|de\s+l['’]|del|de|do|da)\s*(?:{words}))(?!\w)")
    for noun, words in _REFERENCE_WORDS.items()}
_SIGNATURE_TEXT = r"(?<!\w)(?:qu[eé]|cu[aá]l(?:\s+es)?(?:\s+la)?)\s+signatura(?!\w)|(?<!\w)cote\s+du\s+document(?!\w)"
#: Any of those, for the reference kind's detection (casefolded question).
REFERENCE_QUESTION = "|".join([*_REFERENCE_ASKED_TEXT.values(), _SIGNATURE_TEXT])
_REFERENCE_ASKED = tuple((lazy(text), noun) for noun, text in _REFERENCE_ASKED_TEXT.items())
#: "¿Qué signatura tiene el documento …?": the symbol is asked before the document is named.
_SIGNATURE = lazy(_SIGNATURE_TEXT)


def asked_reference(folded: str, lang: str) -> str | None:
    """The kind of reference a French, Spanish or Portuguese question asks for, else None."""
    if lang not in LANGS or lang == "en":
        return None
    if _SIGNATURE.search(folded):
        return "document"
    return next((noun for pattern, noun in _REFERENCE_ASKED if pattern.search(folded)), None)


def asked_noun(folded: str, lang: str) -> str | None:
    """The noun a French, Spanish or Portuguese which-question asks for ("country"), else None."""
    return asked_reference(folded, lang) or next(
        (noun for pattern, noun in _ASKED_NOUNS.get(lang, ()) if pattern.search(folded)), None)


#: A country after one of these names where something happens, not who does it.
_AS_PLACE = lazy(r"(?<!\w)(?:en|à|au|aux|dans|em|no|na|nos|nas|a|al|de|del|desde|hacia|vers|para|do|da)\s+$",
                       re.IGNORECASE)


def country(query: Query, reading: Reading) -> str | None:
    """"¿Qué país coordinará …?": a country the answering sentence names as an actor (not "en Paraguay",
    not one the question names), nearest the question's words."""
    from bot.answer.sentences import finish

    lang = reading.passage.lang
    if lang not in LANGS:
        return None
    asked = query.text.casefold()
    for sentence in reading.answering():
        found = [(m.start(), m.end(), m.group(0)) for m in countries(lang).finditer(sentence.text)
                 if m.group(0).casefold() not in asked and not _AS_PLACE.search(sentence.text[: m.start()])]
        if found:
            return finish(reading.closest(found, sentence.text))
    return None


#: A relative pronoun after the question's first words: what follows describes a noun ("o acordo que o
#: Senado ratificou"), it is not the event asked about.
_RELATIVE = {"fr": lazy(r"\s(?:qui|que|qu['’]|dont|lequel|laquelle)\s*", re.IGNORECASE),
             "es": lazy(r"\s(?:que|quien|quienes|el\s+cual|la\s+cual|cuyo|cuya)\s", re.IGNORECASE),
             "pt": lazy(r"\s(?:que|quem|o\s+qual|a\s+qual|cujo|cuja)\s", re.IGNORECASE)}


def main_clause(question: str, lang: str) -> str:
    """The question without a relative clause after its third word, whose words need not be the
    answering sentence's ("Onde foi assinado o acordo … que o Senado ratificou?")."""
    pattern = _RELATIVE.get(lang)
    if pattern is None:
        return question
    for m in pattern.finditer(question):
        if len(question[: m.start()].split()) >= 3:
            return question[: m.start()]
    return question


def plain_words_missing(count: int) -> int:
    """How many of a French, Spanish or Portuguese question's ``count`` plain words an answering
    sentence may lack: none of up to three (their verb is often the only word naming the event:
    "foi assinado" is not "ratificou"), one of four to six, and so on."""
    return max(0, count - 1) // 3


# ---------------------------------------------------------------- who

#: Words of institutions, places and titles, never of a person's name.
_INSTITUTION_WORDS = frozenset("""Gouvernement Gobierno Governo Ministère Ministerio Ministério Secrétariat Secretaría
    Secretariado Conseil Consejo Conselho Comité Comisión Comissão Commission Organisation Organización Organização
    Nations Naciones Nações Unies Unidas Convention Convención Convenção Conférence Conferencia Conferência Fondation
    Fundación Fundação Réseau Red Rede Sénat Senado Plenário Assemblée Asamblea Assembleia Accord Acuerdo Acordo Parties
    Partes Union Unión União Programme Programa Ambiente Environnement Affaires Relations Relaciones Relações Exteriores
    Estado État República République Federal Fédéral Reservas Vida Silvestre Agência Agencia Agence Brasil Ecuador""".split())
_TITLES = lazy(r"^(?:M\.|Mme|Mlle|Dr|Sr\.?|Sra\.?|Don|Doña|Dom)\s+")
#: "qui a dit", "quién dijo", "quem disse": the speaker of a quotation is asked.
_SAID_QUESTION = lazy(r"(?<!\w)(?:qui|quién|quien|quem)\s+(?:a\s+)?(?:dit|déclaré|affirmé|dijo|afirmó|declaró"
                            r"|disse|afirmou|declarou)(?!\w)", re.IGNORECASE)
_WHO_SAID = lazy(rf"(?P<name>{NAME}),?\s+(?:qui|quien|que|quem)\s+(?:a\s+)?(?:dit|déclaré|dijo|afirmó|declaró|disse"
                       r"|afirmou|declarou)\b")
_NAME_ROLE = lazy(rf"(?P<name>{NAME}),\s+(?P<role>(?i:{ROLE_NOUNS})[^,.;«»“”\"]*)")
_ROLE_COMMA_NAME = lazy(rf"(?P<role>{ROLE_NOUNS}[^,.;«»“”\"]{{0,60}}?),\s+(?:(?:el|la|le|o|a)\s+[{_LOWER}]+\s+)?(?P<name>{NAME})")
_ROLE_NAME = lazy(rf"(?P<role>{ROLE_NOUNS}(?:\s+[{_LOWER}]+){{0,2}})\s+(?P<name>{NAME})")


def _is_person(name: str) -> bool:
    """Two name words, or a title and one ("Mme Fraenkel"), none of them an institution's."""
    bare = _TITLES.sub("", name)
    words = [w.strip(".,") for w in bare.split()]
    return (len(words) >= 2 or (bare != name and len(words) == 1)) and not any(w in _INSTITUTION_WORDS for w in words)


def person(query: Query, reading: Reading) -> str | None:
    """"Qui a rappelé …?", "¿Quién dijo …?", "Qual senador leu …?": the one person the answering sentence
    names as the actor — "par NAME", "NAME a déclaré", "explique NAME", "ROLE, NAME", "NAME, ROLE",
    "o senador NAME" — never a name the question gives, and nothing when the sentence names several
    and the question's role does not tell them apart. Only for a question in the passage's language."""
    from bot.answer.sentences import finish

    lang = reading.passage.lang
    if lang not in LANGS or query.lang != lang:
        return None
    asked = query.text.casefold()
    role_asked = re.search(ROLE_NOUNS, query.text, re.IGNORECASE)
    said = bool(query.phrases) or _SAID_QUESTION.search(query.text) is not None
    patterns = (_WHO_SAID, SAID_AFTER, SAID_BEFORE) if said else \
        (AGENT, SAID_AFTER, SAID_BEFORE, _WHO_SAID, _NAME_ROLE, _ROLE_COMMA_NAME, _ROLE_NAME)
    for sentence in reading.answering():
        found: dict[str, tuple[int, int, str]] = {}
        for pattern in patterns:
            for m in pattern.finditer(sentence.text):
                name = m.group("name").strip()
                if not _is_person(name) or name.casefold() in asked or _TITLES.sub("", name).casefold() in asked:
                    continue
                role = (m.groupdict().get("role") or "").strip()
                text = f"{name}, {role}" if role and pattern is _NAME_ROLE else (f"{role} {name}" if role else name)
                found.setdefault(name, (m.start("name"), m.end("name"), text))
        if role_asked and len(found) > 1:
            wanted = role_asked.group(0).casefold()[:5]
            found = {n: c for n, c in found.items() if wanted in c[2].casefold()}
        if len(found) == 1:
            return finish(next(iter(found.values()))[2])
        if found:
            return None  # several people, nothing in the question to tell which
    return None


# ---------------------------------------------------------------- what it is called

#: The nouns texts use for a name asked about ("theme", "slogan"), in every language.
_CALLED_NOUNS = {"theme": r"thème|theme|tema|temática", "slogan": r"slogan|devise|lema|eslogan|mote|motto",
                 "motto": r"slogan|devise|lema|eslogan|mote|motto", "tagline": r"slogan|devise|lema|eslogan",
                 "title": r"titre|intitulé|título|titulado|titulada|intitulado|intitulada",
                 "name": r"nom|nommé|nommée|nombre|llamado|llamada|nome|chamado|chamada"}
#: A quoted name, its quotes paired: « … », “ … ”, " … ".
_QUOTED = r"(?:«\s*(?P<{0}1>[^«»]{{3,200}}?)\s*[,.]?\s*»|“(?P<{0}2>[^“”]{{3,200}}?)[,.]?”|\"(?P<{0}3>[^\"]{{3,200}}?)[,.]?\")"


def quoted_name(noun: str, reading: Reading) -> str | None:
    """"C'est quoi le thème …?", "¿cuál fue el lema …?": the words in quotes (« », “ ”) right after
    that noun ("sous le thème « Unis pour les voies de migration »"), or before "est le thème"."""
    from bot.answer.sentences import finish

    nouns = _CALLED_NOUNS.get(noun)
    if nouns is None:
        return None
    pattern = re.compile(
        rf"(?<!\w)(?:{nouns})s?(?!\w)[^«“\".;]{{0,40}}?{_QUOTED.format('name')}"
        rf"|{_QUOTED.format('before')}\s+(?:est|était|es|fue|era|é|foi)\s+(?:le|la|el|o|a)\s+(?:{nouns})(?!\w)",
        re.IGNORECASE)
    for sentence in reading.sentences:  # the quoted name may sit in any sentence the reader sees
        if sentence.cover < 0.3:
            continue
        m = pattern.search(sentence.text)
        if m:
            return finish(next(v for k, v in m.groupdict().items() if v).strip())
    return None


# ---------------------------------------------------------------- how much

#: An amount of money as these languages write it: "R$ 86 milhões", "2,5 millions d'euros", "US$ 1 millón",
#: "300 000 €", with its qualifier ("cerca de", "environ").
_CURRENCY = r"(?:R\$|US\$|USD|EUR|CHF|€|\$|£)"
_AMOUNT_WORDS = r"(?:euros?|dólares|dollars?|reais|real|francs?|pesos)"


@functools.lru_cache(maxsize=None)
def _amount(lang: str) -> re.Pattern[str]:
    n = number(lang)
    q = _QUALIFIERS[lang]
    return re.compile(rf"(?<!\w)(?:(?:{q})\s+)?(?:{_CURRENCY}\s?{n}|{n}\s*(?:€|(?:de\s+|d['’]\s*)?{_AMOUNT_WORDS}(?!\w)))",
                      re.IGNORECASE)


def share_or_amount(query: Query, reading: Reading) -> str | None:
    """"Quanto vai custar …?", "quel pourcentage …?": a percentage of what is asked about (as in
    English), else the one amount of money the answering sentence states (several: which is not
    the sentence's to say)."""
    from bot.answer.sentences import finish
    from bot.question.kinds.counting import share_phrase

    lang = reading.passage.lang
    if lang not in LANGS:
        return None
    what = frozenset(query.content_terms)
    for sentence in reading.answering():
        phrase = share_phrase(sentence.text, what, lang)
        if phrase:
            return finish(phrase)
        amounts = list(dict.fromkeys(m.group(0).strip() for m in _amount(lang).finditer(sentence.text)))
        if len(amounts) == 1:
            return finish(amounts[0])
        if amounts:
            return None
    return None
