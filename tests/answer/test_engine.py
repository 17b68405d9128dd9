"""Answers on the shipped corpus: direct answers, verbatim dated citations, filters, not-found,
and the saved index (reuse, corrupt, outdated, changed corpus)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.model import Answer

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    return Engine.open(CORPUS, tmp_path_factory.mktemp("index") / "index.npz", notify=lambda m: None)


def assert_well_cited(answer: Answer) -> None:
    for c in answer.citations + answer.more:
        body = c.quote.removeprefix("… ").removesuffix(" …")
        assert body in c.passage.text, "quotes are verbatim"
        assert c.passage.date is not None, "every citation carries its date"
        for start, end in c.highlights:
            assert 0 <= start < end <= len(c.quote)


def test_when_did_cop14_open(engine: Engine):
    answer = engine.ask("When did COP14 open?")
    assert answer.found
    assert answer.answer == "COP14 opened on 12 February 2024 in Samarkand, Uzbekistan."
    # The press release's "… opened today" paragraph, which states the date, leads; the generated
    # meetings-table row follows it.
    assert answer.citations[0].passage.id == "press/cop14-opening-2024-02-12#para-1"
    assert "opened today" in answer.citations[0].quote
    assert answer.citations[1].passage.kind == "meetings_table"
    assert_well_cited(answer)


def test_a_meeting_date_is_backed_only_by_passages_that_state_it(engine: Engine):
    answer = engine.ask("When did COP14 close?")
    assert answer.answer == "COP14 closed on 17 February 2024 in Samarkand, Uzbekistan."
    # "close to half a billion people" (Doc.19 para. 8) says nothing about the closing.
    assert [c.passage.kind for c in answer.citations + answer.more] == ["meetings_table"]


def test_who_is_stanley_johnson(engine: Engine):
    answer = engine.ask("Who is Stanley Johnson?")
    top = answer.citations[0]
    assert top.passage.title == "Champions Night"
    assert top.passage.date == date(2014, 11, 4)
    assert "CMS Ambassador" in answer.answer
    assert "CMS Ambassador, Stanley Johnson" in top.quote
    assert_well_cited(answer)


def test_which_unit_handles_communication(engine: Engine):
    answer = engine.ask("Which unit of the Secretariat handles communication and information management?")
    top = answer.citations[0]
    assert (top.passage.symbol, top.passage.locator) == ("UNEP/CMS/COP14/Doc.19", "para. 4")
    assert "Joint CMS/AEWA Information Management, Communication and Awareness-raising Unit (IMCA)" in top.quote
    assert_well_cited(answer)


def test_light_pollution_guidelines_on_the_agenda(engine: Engine):
    answer = engine.ask("What guidelines on light pollution were on the COP14 agenda?")
    press = [c for c in answer.citations if c.passage.kind == "press_release"]
    assert press and press[0].passage.date == date(2024, 2, 12)
    assert "New global guidelines addressing the impacts of light pollution on migratory species" in press[0].quote
    assert_well_cited(answer)


@pytest.mark.parametrize("question, fact", [
    ("Who is the press contact?", "Aydin Bahramlouian"),
    ("How many species were proposed for listing at COP14?", "Fourteen additional species"),  # not "seven species"
    ("How many Parties does the Convention have?", "133 Parties"),
    ("How many Parties does CMS have?", "133 Parties"),  # "Parties", "CMS" are also meeting words
    ("how many parties", "133 Parties"),  # Decision 14.BB says "Parties" more, but counts none
    ("How many species did the State of the World's Migratory Species report analyse?", "Over 4,000 species"),
    ("how many snow leopards are left in the wild", "Only 2,700 to 3,300 individuals"),
    ("By how much did page views on the CMS website go up?", "10 per cent"),  # not the visitors' 40
    ("By how much did the number of visitors to the CMS website increase?", "40 per cent"),
    ("How many articles did CMS publish between COP13 and COP14?", "Eighty-eight articles"),
    ("How many media outlets covered the plastic pollution report?", "More than 100 media outlets"),
    ("When did CMS launch its Instagram account?", "1 January 2023"),
    ("when was the cms linkedin launched", "2022"),
    ("When was Doc.19 issued?", "UNEP/CMS/COP14/Doc.19 is dated 19 December 2023"),
    ("when will the new CMS website go live?", "After COP14"),
    ("Where was the Central Asian Mammals Initiative presented?", "Quito, Ecuador"),
    ("When did the Convention enter into force?", "1979"),  # "entry into force in 1979"
    ("Who is draft decision 14.AA directed to?", "Directed to the Secretariat"),
    ("Which resolution covers World Migratory Bird Day?", "Resolution 11.9 (Rev.COP13)"),
    ("Which document has the budget proposal for 2024-2026?", "UNEP/CMS/COP14/Doc.13.2"),
    ("Under which agenda item is communication and information management discussed at COP14?", "Agenda Item 19"),
    ("How old is World Migratory Bird Day?", "18 years ago"),  # said "(as of 19 December 2023)"
    ("whats the slogan for cop14", "Nature Knows No Borders"),
    ("Which unit of the Secretariat handles communication and information management?",
     "Joint CMS/AEWA Information Management, Communication and Awareness-raising Unit (IMCA)"),
    ("What initiative did the Parties adopt on 8 November 2014?", "Central Asia Migratory Mammal Initiative"),
    ("Which programme was launched on the eve of COP11?", "Migratory Species Champions Programme"),
    ("What's the COP14 motto?", "Nature Knows No Borders"),  # the texts say "slogan"
    ("What was the theme of the high-level segment in Samarkand?",
     "Working together for migratory species and sustainable development in Central Asia"),
    ("What is the title of Doc.19?", "Communication and Information Management"),
])
def test_direct_answers_come_from_the_cited_sentence(engine: Engine, question: str, fact: str):
    answer = engine.ask(question)
    assert answer.found and answer.answer is not None and fact in answer.answer
    # The fact is in what the reader sees quoted (or in the passage's addressee): never invented.
    fact = fact.removeprefix("UNEP/CMS/COP14/Doc.19 is dated ").lower()
    seen = " ".join(" ".join(c.quote.split()) + " " + (c.passage.context or "") for c in answer.citations).lower()
    assert fact in seen


@pytest.mark.parametrize("question", [
    "In which document is Decision 14.AA?",  # the decision's text names no document
    "Which day is International Snow Leopard Day?",  # "Bonn, 22 October 2014 - Tomorrow is …": not 22 October
    "What species are in decline?",  # "… World's Migratory Species" is a title, not a species
])
def test_no_direct_answer_rather_than_a_wrong_one(engine: Engine, question: str):
    answer = engine.ask(question)
    assert answer.found and answer.answer is None


def test_an_event_is_dated_by_the_text_that_reports_it(engine: Engine):
    # Item 3 says the Initiative was "presented on 6 November"; item 1, of 8 November, that Parties
    # "agreed today to adopt" it: the adoption's date is that item's, and its sentence is quoted.
    answer = engine.ask("When was the Central Asian Mammals Initiative adopted?")
    assert answer.answer == "8 November 2014."
    assert "agreed today to adopt" in answer.citations[0].quote
    assert engine.ask("Where was the Central Asian Mammals Initiative adopted?").answer == "Quito, Ecuador."


@pytest.mark.parametrize("question", [
    "how many concerted actions were proposed at cop14",  # the sentence counts species, not actions
    "how many people attended cop11",  # no text counts them
])
def test_a_count_no_text_states_is_not_found(engine: Engine, question: str):
    answer = engine.ask(question)
    assert not answer.found and answer.answer is None


@pytest.mark.parametrize("question", ["who won the world cup", "quit", "best hotel in samarkand"])
def test_off_topic_questions_are_not_found(engine: Engine, question: str):
    assert not engine.ask(question).found


def test_a_named_day_is_a_name_not_a_date(engine: Engine):
    assert engine.ask("What day is celebrated on 23 October?").answer == "International Snow Leopard Day."


def test_a_count_must_be_in_the_quote(engine: Engine):
    from bot.answer.extract import direct_answer
    from bot.question.query import parse_question

    query = parse_question("How many Parties does the Convention have?", engine.meetings)
    passage = engine.ask(query.text).citations[0].passage
    weights = {t: 1.0 for t in query.content_terms}
    assert direct_answer(query, passage, weights) == "133 Parties."
    assert direct_answer(query, passage, weights, quote="About the Convention on the Conservation") is None


def test_symbol_and_decision_numbers_are_matched_exactly(engine: Engine):
    about = engine.ask("What is UNEP/CMS/COP14/Doc.19 about?")
    assert all(c.passage.symbol == "UNEP/CMS/COP14/Doc.19" for c in about.citations)
    decision = engine.ask("What does draft decision 14.AA ask?")
    assert decision.citations[0].passage.locator == "Decision 14.AA"
    assert "develop a plan for the recommendations" in decision.citations[0].quote
    para = engine.ask("What does paragraph 12 of Doc.19 say?")
    assert para.citations[0].passage.locator == "para. 12"


def test_meetings_by_number_ordinal_or_city(engine: Engine):
    assert "Quito" in engine.ask("where was the eleventh COP held").answer
    assert engine.ask("When was the Rome COP?").answer == "COP9 took place in Rome, Italy, from 1 to 5 December 2008."
    quito = engine.ask("What happened at the Quito COP?")
    assert {c.passage.meeting for c in quito.citations} == {11}


def test_dates_filter_and_latest_orders(engine: Engine):
    november = engine.ask("what happened in November 2014?")
    assert november.citations and all(
        date(2014, 11, 1) <= c.passage.date <= date(2014, 11, 30) for c in november.citations + november.more)
    latest = engine.ask("What's the latest from Samarkand?")
    assert latest.citations[0].passage.date == date(2024, 2, 12)
    news = engine.ask("latest cop11 news")
    assert news.citations[0].passage.title == "Major Initiative Endorsed Today to Protect Asia’s Migratory Mammals"


def test_explicit_meeting_and_kind_filters(engine: Engine):
    answer = engine.ask("Champions night", meeting=14)
    assert answer.citations and all(c.passage.meeting == 14 for c in answer.citations + answer.more)
    answer = engine.ask("Champions night", kind="news_listing")
    assert all(c.passage.kind == "news_listing" for c in answer.citations + answer.more)


@pytest.mark.parametrize("question", [
    "What did CMS say about the Amur falcon?",
    "Where will COP16 be held?",
    "when's the 2030 cms cop",
    "What is the registration fee for observers at COP15?",
    "How many COPs have there been?",  # no passage counts meetings: no cover page quoted instead
])
def test_not_found_is_honest(engine: Engine, question: str):
    answer = engine.ask(question)
    assert not answer.found
    assert answer.answer is None and answer.citations == ()
    assert "COP11 (Quito), COP14 (Samarkand)" in answer.note
    assert answer.looked_for


@pytest.mark.parametrize("question", [
    "", "   ", "?", "@everyone <@123> <@&456> what's up", "x" * 200_000, "\x00\x01\u202e\ud800 COP14",
    "COP14 " * 5000, "🦅🐆" * 300, "SELECT * FROM passages; --",
])
def test_any_question_gets_an_answer_object(engine: Engine, question: str):
    answer = engine.ask(question)
    assert isinstance(answer, Answer)
    assert_well_cited(answer)


def test_near_duplicates_are_collapsed(tmp_path: Path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    shutil.copy(corpus / "news" / "cms-news-cop11-2014.md", corpus / "news" / "mirror.md")
    engine = Engine.open(corpus, None, notify=lambda m: None)
    answer = engine.ask("Who is Stanley Johnson?")
    champions = [c for c in answer.citations + answer.more if c.passage.title == "Champions Night"]
    assert len(champions) == 1


def test_search_with_filters(engine: Engine):
    hits = engine.search("light pollution")
    assert hits and hits == sorted(hits, key=lambda h: -h.score)
    only_press = engine.search("light pollution", kind="press_release")
    assert only_press and all(h.passage.kind == "press_release" for h in only_press)
    in_2014 = engine.search("COP", date_from=date(2014, 1, 1), date_to=date(2014, 12, 31))
    assert in_2014 and all(h.passage.date.year == 2014 for h in in_2014)
    assert engine.search("") == []


def test_latest_and_passage_lookup(engine: Engine):
    newest = engine.latest(limit=3)
    assert newest[0].date == date(2024, 2, 12)
    assert engine.passage("documents/unep-cms-cop14-doc19#para-8").locator == "para. 8"
    assert engine.passage("meetings#cop11").kind == "meetings_table"
    assert engine.passage("nope") is None


def test_stats(engine: Engine):
    stats = engine.stats()
    assert (stats.documents, stats.passages) == (3, 50)
    assert stats.meetings == (11, 14)
    assert (stats.first_date, stats.last_date) == (date(2014, 10, 22), date(2024, 2, 12))
    assert engine.meeting_stats(14) == (2, 40)


# --- the saved index --------------------------------------------------------------------------

def test_saved_index_is_reused_and_rebuilt_when_needed(tmp_path: Path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = tmp_path / "state" / "index.npz"
    messages: list[str] = []
    first = Engine.open(corpus, index, notify=messages.append)
    assert index.exists() and messages == []
    second = Engine.open(corpus, index, notify=messages.append)
    assert messages == [], "an up-to-date index is loaded, not rebuilt"
    assert [p.id for p in second.passages] == [p.id for p in first.passages]
    assert second.ask("Who is Stanley Johnson?").answer == first.ask("Who is Stanley Johnson?").answer

    (corpus / "press" / "extra.md").write_text(
        "---\ntitle: Extra\nkind: press_release\n---\nSamarkand, 14 February 2024 – Saiga news.\n", encoding="utf-8")
    third = Engine.open(corpus, index, notify=messages.append)
    assert messages and "corpus changed" in messages[-1]
    assert len(third.passages) == len(first.passages) + 1

    index.write_bytes(index.read_bytes()[:100])
    fourth = Engine.open(corpus, index, notify=messages.append)
    assert "Rebuilding the index" in messages[-1]
    assert len(fourth.passages) == len(third.passages)
    assert not list(index.parent.glob("*.tmp*")), "no half-written files left behind"


@pytest.mark.parametrize("message", ["thanks!", "hello cmsbot", "help", "Good morning"])
def test_small_talk_gets_a_pointer_not_a_passage(engine: Engine, message: str):
    answer = engine.ask(message)
    assert not answer.found and answer.citations == ()
    assert "When did COP14 open?" in answer.note


def test_a_meeting_as_a_time_bound_is_not_the_subject(engine: Engine):
    answer = engine.ask("What happened before COP14?")
    assert answer.answer is None, "not the meetings-table answer about COP14 itself"
    assert answer.citations and all(c.passage.date < date(2024, 2, 12) for c in answer.citations + answer.more)
    assert answer.citations[0].passage.date == date(2023, 12, 19), "newest first"


def test_a_period_can_be_when_it_happened_in_a_later_text(engine: Engine):
    # Doc.19 is dated December 2023; the partnership it reports grew "in March 2023".
    answer = engine.ask("Which partner joined the World Migratory Bird Day partnership in March 2023?")
    assert answer.found and answer.citations[0].passage.id == "documents/unep-cms-cop14-doc19#para-8"
    assert "East Asian-Australasian Flyway Partnership" in answer.citations[0].quote
    assert_well_cited(answer)


@pytest.mark.parametrize("question, named", [
    ("How many delegates attended COP13?", "COP13"),  # the texts are about COP11 and COP14
    ("What is the CMS budget for 2027?", "2027"),  # the budget proposal covers 2024-2026
])
def test_the_questions_meeting_and_year_must_be_the_answers_subject(engine: Engine, question: str, named: str):
    answer = engine.ask(question)
    assert not answer.found and answer.citations == () and named in (answer.note or "") + answer.looked_for


def test_a_question_about_a_meeting_is_answered_from_its_texts(engine: Engine):
    answer = engine.ask("Which species were proposed for the CMS Appendices at the Samarkand COP?")
    assert answer.found and answer.citations[0].passage.meeting == 14


def test_an_age_says_when_it_was_counted_from(engine: Engine):
    answer = engine.ask("How old is World Migratory Bird Day?")
    assert answer.answer == "18 years ago (as of 19 December 2023)."
    assert answer.citations[0].passage.locator == "para. 8"
    # "the Convention's 35-year history", in a news item of 3 November 2014
    assert engine.ask("How old is the Convention?").answer == "35 years (as of 3 November 2014)."



@pytest.mark.parametrize("question, lang, expected", [
    ("quand a commencé la COP14 ?", "fr", "La COP14 s'est ouverte le 12 février 2024 à Samarkand, Uzbekistan."),
    ("¿cuándo terminó la COP14?", "es", "La COP14 se clausuró el 17 de febrero de 2024 en Samarkand, Uzbekistan."),
    ("quando começou a COP14?", "pt", "A COP14 foi aberta em 12 de fevereiro de 2024 em Samarkand, Uzbekistan."),
    # the day of the week asked (the question word after its subject), and an insisting "yet"
    ("cop14 kicks off on what day of the week?", "en", "COP14 opened on Monday 12 February 2024 in Samarkand, Uzbekistan."),
    ("on what day of the week did COP14 close yet?", "en",
     "COP14 closed on Saturday 17 February 2024 in Samarkand, Uzbekistan."),
])
def test_meeting_answers_in_the_questions_language(engine: Engine, question: str, lang: str, expected: str):
    answer = engine.ask(question)
    assert answer.answer == expected and answer.lang == lang


def test_an_unsupported_language_is_said_in_english(engine: Engine):
    answer = engine.ask("Wann wurde die COP14 eröffnet?")
    assert not answer.found and "German" in (answer.note or "")


def test_a_french_question_answered_from_english_texts_says_so(engine: Engine):
    answer = engine.ask("quel est le slogan de la COP14 ?")
    assert answer.answer == "Nature Knows No Borders." and answer.lang == "fr"
    assert "anglais" in (answer.note or "")
    assert engine.ask("pourquoi les licornes volent ?").looked_for.startswith("mots")


@pytest.mark.parametrize("question, expected", [
    # "Featuring analysis of over 4,000 species, including 1,189 … needing international action"
    ("how many species need international action", "1,189."),
    # "… is expected to consider …: - Amendments … to include fourteen additional species": a plan
    ("how many species were added to the appendices at cop14", None),
    # "On the eve of what promises to be the best-attended COP …" is no time
    ("when did the high level panel happen at cop 11", None),
    ("how old is world migratory bird day", "18 years ago (as of 19 December 2023)."),
    ("cop14 slogan", "Nature Knows No Borders."),
    ("UNEP/CMS/COP14/Doc.19 date", "UNEP/CMS/COP14/Doc.19 is dated 19 December 2023."),
])
def test_the_issues_direct_answers(engine: Engine, question: str, expected: str | None):
    answer = engine.ask(question)
    assert answer.found and answer.answer == expected
