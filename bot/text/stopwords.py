"""Stopwords per analyzer language, question words included ("quand", "cuándo", "quando" are dropped
from search terms like "when": the question parser reads them from the question itself).

English is the analyzer's original list, unchanged. French, Spanish and Portuguese start from the
Snowball project's lists, plus each language's question words (``bot.text.question_words``),
contractions and chat fillers. Every accented word is also listed without accents, since users
often type without them. "i" and single letters that are Roman numerals stay searchable.
"""

from __future__ import annotations

import unicodedata

__all__ = ["STOPWORDS_BY_LANG", "fold_accents"]

# Usual English list (NLTK's, with contractions) plus a few extras. "i" is left
# out on purpose: in CMS texts it is mostly the Roman numeral of "Appendix I".
_EN = frozenset(
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

_FR = """
au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me même mes moi
mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos
votre vous c d j l à m n s t y été étée étées étés étant étante étants étantes suis es est sommes êtes
sont serai seras sera serons serez seront serais serait serions seriez seraient étais était étions
étiez étaient fus fut fûmes fûtes furent sois soit soyons soyez soient fusse fusses fût fussions
fussiez fussent ayant ayante ayantes ayants eu eue eues eus ai as avons avez ont aurai auras aura
aurons aurez auront aurais aurait aurions auriez auraient avais avait avions aviez avaient eut eûmes
eûtes eurent aie aies ait ayons ayez aient eusse eusses eût eussions eussiez eussent
ceci cela ça celui celle ceux celles cet cette quel quelle quels quelles lequel laquelle lesquels
lesquelles dont où quand comment pourquoi combien quoi est-ce qu'est-ce c'est n'est s'est
très aussi plus moins tout tous toute toutes autre autres déjà encore alors donc ainsi comme si
sans sous entre vers chez depuis pendant avant après selon lors contre chaque
exactement finalement environ svp stp merci bonjour salut dis-moi dites-moi
"""

_ES = """
de la que el en y a los del se las por un para con no una su al lo como más pero sus le ya o este sí
porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos durante todos
uno les ni contra otros ese eso ante ellos e esto mí antes algunos qué unos yo otro otras otra él
tanto esa estos mucho quienes nada muchos cual poco ella estar estas algunas algo nosotros mi mis tú
te ti tu tus ellas nosotras vosotros vosotras os mío mía míos mías tuyo tuya tuyos tuyas suyo suya
suyos suyas nuestro nuestra nuestros nuestras vuestro vuestra vuestros vuestras esos esas estoy estás
está estamos estáis están esté estés estemos estéis estén estaré estarás estará estaremos estaréis
estarán estaría estarías estaríamos estaríais estarían estaba estabas estábamos estabais estaban
estuve estuviste estuvo estuvimos estuvisteis estuvieron he has ha hemos habéis han haya hayas hayamos
hayáis hayan habrá habría había habían hube hubo hubieron soy eres es somos sois son sea sean será
serán sería era eras éramos erais eran fui fuiste fue fuimos fuisteis fueron fuera fueran tengo
tiene tienen tenía tuvo
cuándo dónde quién quiénes cuál cuáles cuánto cuánta cuántos cuántas cómo adónde porqué
qué tal exactamente finalmente aproximadamente hola gracias por favor dime frente cada
"""

_PT = """
de a o que e do da em um para com não uma os no se na por mais as dos como mas ao ele das à seu sua
ou quando muito nos já eu também só pelo pela até isso ela entre depois sem mesmo aos seus quem nas
me esse eles você essa num nem suas meu às minha numa pelos elas qual nós lhe deles essas esses pelas
este dele tu te vocês vos lhes meus minhas teu tua teus tuas nosso nossa nossos nossas dela delas esta
estes estas aquele aquela aqueles aquelas isto aquilo estou está estamos estão estive esteve
estivemos estiveram estava estávamos estavam estivera estiveram esteja estejam estivesse estivessem
há havia houve hei havemos hão houvera houverá houveria sou somos são era éramos eram fui foi fomos
foram fora seja sejam fosse fossem for forem serei será seremos serão seria seriam tenho tem temos
têm tinha tínhamos tinham tive teve tivemos tiveram tivera tenha tenham tivesse tivessem terá teria
quando onde quem qual quais quanto quanta quantos quantas como porque porquê aonde
é dá pra pro exatamente finalmente aproximadamente olá oi obrigado obrigada por favor frente cada
"""


def fold_accents(word: str) -> str:
    """``réunion`` → ``reunion``: combining marks dropped from Latin letters only (not from Devanagari…)."""
    if word.isascii():
        return word
    out = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch) and out and out[-1] < "\u0250":
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _with_folded(words: str) -> frozenset[str]:
    listed = words.split()
    return frozenset(listed) | frozenset(fold_accents(w) for w in listed)


STOPWORDS_BY_LANG: dict[str, frozenset[str]] = {
    "en": _EN,
    "fr": _with_folded(_FR),
    "es": _with_folded(_ES),
    "pt": _with_folded(_PT),
}
