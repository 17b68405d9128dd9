"""Reading a question: type, meetings, dates and periods, kinds, exact symbols, paragraphs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.cms.meetings import MeetingRegistry
from bot.model import DateSpan
from bot.question.query import parse_question, question_type

REPO = Path(__file__).resolve().parents[2]
MEETINGS = MeetingRegistry.load(REPO / "corpus" / "meetings.yaml")


@pytest.mark.parametrize("question, qtype", [
    ("When did COP14 open?", "when"), ("On what day will COP14 adopt its decisions?", "when"),
    ("Where was the eleventh COP held", "where"), ("Which city hosted the first CMS COP?", "where"),
    ("Who is the press contact?", "who"), ("How many species were proposed for listing?", "how_many"),
    ("By how much did visits increase?", "how_much"), ("How old is World Migratory Bird Day?", "how_old"),
    ("Which resolution covers World Migratory Bird Day?", "reference"), ("What is Doc.19 about?", "about"),
    ("Under which agenda item is Doc.19?", "reference"), ("In what document is the budget?", "reference"),
    ("What day is celebrated on 23 October?", "thing"), ("What day did COP14 open?", "when"),
    ("decision 14.BB", "other"),
])
def test_question_types(question: str, qtype: str):
    assert question_type(question) == qtype


@pytest.mark.parametrize("question, word, idiom", [
    ("when will the new CMS website go live?", "launch", "live"),
    ("When did the site went live", "launch", "went"),
    ("When did COP14 kick off?", "open", "kick"),
    ("was belarus one of the parties that turned up?", "attend", "turn"),
    ("how many ministers showed up?", "attend", "show"),
    ("are those waterbird populations getting better or worse?", "improv", "better"),
    ("is the situation of vultures getting worse?", "declin", "wors"),
])
def test_idioms_are_searched_as_the_texts_word(question: str, word: str, idiom: str):
    terms = parse_question(question, MEETINGS).terms
    assert word in terms and idiom not in terms


def test_a_search_for_a_headline_keeps_its_idiom():
    assert "kick" in parse_question("COP11 kicks off in Quito", MEETINGS).terms


def test_meetings_by_number_ordinal_and_city():
    assert parse_question("What happened at the Quito COP?", MEETINGS).meetings == (11,)
    assert parse_question("news from the eleventh COP and COP 14", MEETINGS).meetings == (11, 14)
    assert parse_question("Where will COP16 be held?", MEETINGS).unknown_meeting == 16
    # a revision mark is part of a resolution's number, not a meeting asked about
    assert parse_question("What is Resolution 12.4 (Rev.COP14) about?", MEETINGS).meetings == ()


def test_about_the_meeting_itself():
    assert parse_question("When did COP14 open?", MEETINGS).about_meeting
    assert parse_question("where was the eleventh COP held", MEETINGS).about_meeting
    assert not parse_question("When was the Polar Bear proposal at COP11?", MEETINGS).about_meeting


@pytest.mark.parametrize("question, span", [
    ("what happened in November 2014?", DateSpan(date(2014, 11, 1), date(2014, 11, 30))),
    ("news from 7 November 2014", DateSpan.day(date(2014, 11, 7))),
    ("press releases in 2024", DateSpan(date(2024, 1, 1), date(2024, 12, 31))),
    ("what was said before COP14", DateSpan(date.min, date(2024, 2, 11))),
    ("anything after 1 January 2024", DateSpan(date(2024, 1, 2), date.max)),
])
def test_dates_and_periods(question: str, span: DateSpan):
    assert parse_question(question, MEETINGS).span == span


def test_a_year_inside_a_name_is_not_a_filter():
    assert parse_question("What does the Strategic Plan for 2024-2032 say?", MEETINGS).span is None


def test_kinds_latest_symbols_and_paragraphs():
    q = parse_question("latest press release from Samarkand", MEETINGS)
    assert (q.kind_filter, q.kind_from_text, q.latest) == ("press_release", True, True)
    assert parse_question("What does decision 14.AA ask?", MEETINGS).exact_terms == ("14.aa",)
    assert "unep/cms/cop14/doc.19" in parse_question("What is UNEP/CMS/COP14/Doc.19 about?", MEETINGS).exact_terms
    assert parse_question("What does paragraph 12 of Doc.19 say?", MEETINGS).locator == "para. 12"
    explicit = parse_question("Champions night", MEETINGS, meeting=14, kind="news_listing")
    assert (explicit.meeting_filter, explicit.kind_filter, explicit.kind_from_text) == (14, "news_listing", False)


def test_mentions_are_not_searched_for():
    q = parse_question("<@123> @everyone when did COP14 open?", MEETINGS)
    assert "everyon" not in q.terms and "123" not in q.terms


def test_how_many_counts_the_whole_noun_phrase_up_to_its_head() -> None:
    query = parse_question("When COP12 opened, how many listing proposals from how many countries were on the table?", MEETINGS)
    assert query.counted_terms == ("list", "propos")
    assert parse_question("how many Parties attended?", MEETINGS).counted_terms == ("parti",)
    assert parse_question("how many species need international action", MEETINGS).counted_terms == ("speci",)


def test_asking_whether_there_is_anything_searches_what_it_is_about() -> None:
    registry = MeetingRegistry.load(Path(__file__).resolve().parents[2] / "corpus" / "meetings.yaml")
    query = parse_question("was there anything on sharks at COP11?", registry)
    assert query.content_terms == ("shark",)
    assert "someth" not in parse_question("did they send something to the climate talks?", registry).content_terms


def test_a_first_plan_asked_is_no_question_for_the_meetings_table():
    query = parse_question("When was COP14 originally supposed to take place in Samarkand?", MEETINGS)
    assert not query.about_meeting and query.prospective
    assert not {"origin", "suppos"} & set(query.content_terms)
    # "initiative" keeps its word
    assert "initi" in parse_question("What initiative did the Parties adopt on 8 November 2014?", MEETINGS).content_terms
    assert parse_question("When will COP15 take place?", MEETINGS).about_meeting


def test_fillers_and_saying_verbs_are_not_searched_in_french_spanish_and_portuguese():
    fr = parse_question("l'AEWA protège quels oiseaux par exemple ? le secrétaire en cite quelques-uns", MEETINGS)
    assert fr.lang == "fr" and not {"exempl", "quelqu", "cit"} & set(fr.content_terms) and "oiseau" in fr.content_terms
    es = parse_question("en la cop11 de quito, ¿qué dijeron los expertos?", MEETINGS)
    assert es.lang == "es" and es.content_terms == ("expert",)
    pt = parse_question("quais países vão ser convidados como observadores?", MEETINGS)
    assert pt.lang == "pt" and not {"vao", "ser"} & set(pt.content_terms) and "convid" in pt.content_terms
