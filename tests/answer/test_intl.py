"""Direct answers from French, Spanish and Portuguese sentences: a question and a sentence in, the
answer (or nothing) out — no engine, no corpus."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.answer import intl
from bot.answer.extract import direct_answer
from bot.cms.meetings import MeetingRegistry
from bot.model import Passage
from bot.question.query import parse_question

MEETINGS = MeetingRegistry.load(Path(__file__).resolve().parents[2] / "corpus" / "meetings.yaml")


def answer(question: str, sentence: str, lang: str) -> str | None:
    query = parse_question(question, MEETINGS, lang=lang)
    passage = Passage(id="t#p1", source="t.md", kind="page", title="", document_title="", date=date(2024, 2, 12),
                      locator="para. 1", text=sentence, position=0, lang=lang)
    weights = {t: 1.0 for t in query.content_terms}
    parts = tuple(parse_question(p, MEETINGS, lang=lang) for p in query.parts)
    return direct_answer(query, passage, weights, parts=parts)


@pytest.mark.parametrize("lang, question, sentence, expected", [
    # when: a day and month without a year, a weekday, a range
    ("fr", "Quand l'initiative a-t-elle été présentée ?",
     "L'initiative a été présentée le 6 novembre à Quito, en Équateur.", "6 novembre."),
    ("pt", "Quando o Senado ratificou o acordo?", "O Senado ratificou nesta terça-feira (3) o acordo.",
     "Nesta terça-feira (3)."),
    ("es", "¿Cuándo tuvo lugar la reunión de signatarios?",
     "La reunión de signatarios tuvo lugar el 24 y 25 de julio de 2018 en Florianópolis.", "El 24 y 25 de julio de 2018."),
    # how many: the count of what is asked, in the language's number forms
    ("pt", "quantas espécies migratórias a convenção protege?",
     "Atualmente, cerca de 1.189 espécies migratórias são protegidas pela convenção.", "Cerca de 1.189 espécies."),
    ("es", "¿Cuántos delegados asistieron?", "Asistieron aproximadamente 700 delegados de más de 119 naciones.",
     "Aproximadamente 700 delegados."),
    ("fr", "L'initiative vise combien d'espèces ?", "L'initiative vise onze espèces inscrites aux annexes.",
     "Onze espèces."),
    ("pt", "Quantos representantes participaram do evento?",
     "Entre 2 mil e 3 mil representantes de mais de 130 países participaram do evento.", "Entre 2 mil e 3 mil representantes."),
    # two things asked: both answered, each from its own words
    ("pt", "Onde e quando foi assinado o acordo?",
     "Esse acordo foi assinado em Nairóbi, no Quênia, em 21 de dezembro de 2025.", "Nairóbi; 21 de dezembro de 2025."),
    # which country: the one that acts, not the one named as a place
    ("es", "¿Qué país coordinará el MdE?",
     "Se acordó que Brasil coordinaría el MdE hasta la próxima reunión en Paraguay.", "Brasil."),
    ("fr", "Quel pays a annoncé des plans sur les prises accessoires ?",
     "Les Pays-Bas ont annoncé les plans concernant les prises accessoires.", "Pays-Bas."),
])
def test_answers_in_french_spanish_and_portuguese(lang: str, question: str, sentence: str, expected: str) -> None:
    assert answer(question, sentence, lang) == expected


@pytest.mark.parametrize("lang, question, sentence", [
    # a plan, a proposal or an expectation is no fact
    ("fr", "Où la réunion s'est-elle tenue ?", "La réunion se tiendra à Bonn, en Allemagne."),
    ("fr", "Combien d'espèces ont été inscrites ?", "La COP devrait inscrire 14 espèces."),
    ("es", "¿Dónde se celebró la reunión?", "La próxima reunión está prevista en Lima."),
    ("es", "¿Cuántas especies se incluyeron?", "Ecuador presentó una propuesta para incluir 4 especies."),
    ("pt", "Quantas espécies foram incluídas?", "A COP deverá incluir 10 espécies."),
    # a count of something else is no count of what is asked
    ("es", "¿Cuántos tiburones quedan?", "Se incluyeron 21 especies de tiburones."),
    # a year is not a count; half of a two-part question is no answer
    ("pt", "Quantos países participaram?", "Em 2026, países de todo o mundo participaram."),
    ("fr", "Elle s'est tenue comment, et elle s'est terminée quand ?",
     "La réunion s'est achevée le vendredi 11 septembre 2020."),
    # the event asked must be the sentence's: a signing is not a ratification
    ("pt", "Quando foi assinado o acordo?", "O Senado ratificou nesta terça-feira (3) o acordo."),
])
def test_no_answer_beats_a_wrong_one(lang: str, question: str, sentence: str) -> None:
    assert answer(question, sentence, lang) is None


def test_a_plan_asked_about_is_answered_from_a_plan() -> None:
    assert answer("Où la réunion se tiendra-t-elle ?", "La réunion se tiendra à Bonn, en Allemagne.", "fr") == "Bonn."


@pytest.mark.parametrize("lang, sentence", [
    ("fr", "La réunion rassemblera des experts."), ("fr", "Le projet de résolution a été présenté."),
    ("es", "Ecuador será sede de la conferencia."), ("es", "Los países prevén realizar una propuesta."),
    ("pt", "A organização deverá custar R$ 86 milhões."), ("pt", "A conferência ocorrerá em março."),
])
def test_hedges_per_language(lang: str, sentence: str) -> None:
    assert intl.hedged(sentence, lang)


@pytest.mark.parametrize("lang, sentence", [
    ("es", "La Secretaría publicó el informe."), ("pt", "O Pará recebeu a reunião."), ("fr", "Le front de mer."),
    ("pt", "Esse acordo foi assinado em Nairóbi."),
])
def test_facts_are_not_hedges(lang: str, sentence: str) -> None:
    assert not intl.hedged(sentence, lang)


def test_question_parts_and_counted_nouns() -> None:
    assert intl.question_parts("Onde e quando foi assinado o acordo?", "pt") == \
        ("Onde foi assinado o acordo?", "quando foi assinado o acordo?")
    assert intl.question_parts("¿Qué especie se añadió y qué país la propuso?", "es") == \
        ("¿Qué especie se añadió", "qué país la propuso?")
    assert intl.question_parts("Qui a ouvert la réunion ?", "fr") == ()
    assert intl.counted_noun("L'initiative vise combien d'espèces ?", "fr") == "espèces"
    assert intl.counted_noun("quantas vezes a cidade ganhou?", "pt") == "vezes"
    assert intl.main_clause("Onde foi assinado o acordo que o Senado ratificou?", "pt") == "Onde foi assinado o acordo"


@pytest.mark.parametrize("lang, question, sentence, expected", [
    ("fr", "Qui a rappelé l'engagement de Bradnee Chambers ?",
     "Le ministre a souligné l'importance de la recherche, tandis que Mme Fraenkel a rappelé l'engagement de son "
     "prédécesseur, feu Bradnee Chambers.", "Mme Fraenkel."),
    ("es", "¿Quién inauguró la exposición?", "La exposición fue inaugurada por Lorena Tapia, ministra de Ambiente.",
     "Lorena Tapia."),
    ("es", "¿Quién dijo que 'se debe pasar de la conservación al tiempo de actuar'?",
     "Lo anunció el secretario Ejecutivo, el holandés Brandee Chambers, quien dijo que ahora \"se debe pasar de la "
     "conservación al tiempo de actuar\".", "Brandee Chambers."),
    ("pt", "Quem leu o relatório no plenário?", "O senador Nelsinho Trad (PSD-MS) leu em plenário seu relatório.",
     "Senador Nelsinho Trad."),
])
def test_who_in_french_spanish_and_portuguese(lang: str, question: str, sentence: str, expected: str) -> None:
    assert answer(question, sentence, lang) == expected


def test_who_names_no_institution_and_never_guesses_between_people() -> None:
    assert answer("¿Quién presentó la propuesta?", "La propuesta fue presentada por el Gobierno de Brasil.", "es") is None
    assert answer("Qui a parlé à l'ouverture ?", "À l'ouverture, les participants ont entendu Philippe de Backer, "
                  "ministre belge, et la secrétaire exécutive, Amy Fraenkel.", "fr") is None


def test_word_families_join_a_verb_and_its_noun() -> None:
    from bot.cms.synonyms import SYNONYMS
    from bot.search.analyzer import analyze

    for lang, verb, noun in (("pt", "inscrever", "inscrições"), ("es", "proteger", "protección"),
                             ("fr", "ouvrir", "ouverture"), ("pt", "assinar", "assinatura")):
        (v,), (n,) = analyze(verb, lang), analyze(noun, lang)
        assert v != n and n in SYNONYMS[v] and v in SYNONYMS[n], (verb, noun)
    assert "appendix" in SYNONYMS["list"]  # English's stay


def test_how_long_is_not_how_much() -> None:
    from bot.question.kinds import detect

    assert detect("quanto tempo dura cada evento?").name != "how_much"
    assert detect("combien de temps dure la réunion ?").name != "how_much"
    assert detect("quanto vai custar a cop15?").name == "how_much"


@pytest.mark.parametrize("lang, question, sentence, expected", [
    ("fr", "c'était quoi le slogan de la MOP7 de l'AEWA ?",
     "Le slogan de la MOP7 « Par-delà 2020 : façonner la conservation des voies de migration pour l’avenir », met en "
     "évidence la poursuite des bonnes pratiques.", "Par-delà 2020 : façonner la conservation des voies de migration pour l’avenir."),
    ("fr", "Quel est le thème de la MOP9 de l'AEWA ?",
     "Organisée sous le thème « Unis pour les voies de migration », la MOP9 rassemblera des représentants.",
     "Unis pour les voies de migration."),
    ("es", "¿Cuál fue el lema de la COP11?", "El lema de la COP11 fue “Tiempo de actuar”.", "Tiempo de actuar."),
    ("pt", "Qual é o tema da conferência sobre espécies migratórias?",
     "A conferência sobre espécies migratórias terá como tema “Conectar a natureza”.", "Conectar a natureza."),
])
def test_what_it_is_called_in_quotes_of_each_language(lang: str, question: str, sentence: str, expected: str) -> None:
    assert answer(question, sentence, lang) == expected


def test_which_role_is_a_person_with_that_role() -> None:
    sentence = ("O senador Nelsinho Trad (PSD-MS) leu em plenário seu relatório a favor do projeto, "
                "apoiado pela ministra Marina Silva.")
    assert answer("Qual senador leu o relatório no plenário?", sentence, "pt") == "Senador Nelsinho Trad."
    assert answer("Qual ministra apoiou o relatório?", sentence, "pt") == "Ministra Marina Silva."


@pytest.mark.parametrize("lang, question, sentence, expected", [
    ("pt", "Quanto a organização da COP15 vai custar ao governo federal?",
     "A organização do encontro deverá custar ao governo federal cerca de R$ 86 milhões.", "Cerca de R$ 86 milhões."),
    ("fr", "Combien a coûté la réunion ?", "La réunion a coûté environ 2,5 millions d'euros.", "Environ 2,5 millions d'euros."),
    ("es", "¿Cuánto costó la conferencia?", "La conferencia costó 300 000 dólares y otros 20 000 dólares.", None),
    ("pt", "Quanto custou a reunião?", "A reunião deverá custar R$ 5 milhões.", None),  # a plan answers no past cost
])
def test_how_much_money(lang: str, question: str, sentence: str, expected: str | None) -> None:
    assert answer(question, sentence, lang) == expected


def test_a_count_names_the_noun_right_after_its_number() -> None:
    # "130 países" counts countries, however a verb after it ("participem") is spelt
    assert answer("Quantos participantes são esperados na COP15?",
                  "A expectativa é que mais de 130 países participem da COP15.", "pt") is None
    assert answer("Quantos participantes são esperados na COP15?",
                  "A expectativa é que mais de 3.000 participantes estejam na COP15.", "pt") == "Mais de 3.000 participantes."
