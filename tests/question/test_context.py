"""Follow-up questions read in their conversation's context."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from bot.cms.meetings import MeetingRegistry
from bot.question.context import CONTEXT_TTL_SECONDS, Context, Conversations, is_follow_up, next_context, resolve
from bot.question.query import parse_question

MEETINGS = MeetingRegistry.load(Path(__file__).resolve().parents[2] / "corpus" / "meetings.yaml")
COP14 = Context(question="When did COP14 open?", meetings=(14,), source="press/x.md", subject=(), at=time.monotonic())


def setup_function() -> None:
    global COP14
    COP14 = replace(COP14, at=time.monotonic())  # each test starts with a fresh context


def test_what_is_a_follow_up() -> None:
    for text in ("and when did it close?", "who opened it?", "what about COP13?", "tell me more", "where was that?"):
        assert is_follow_up(parse_question(text, MEETINGS)), text
    for text in ("When did COP13 close?", "Who is Stanley Johnson?", "UNEP/CMS/COP14/Doc.19 date"):
        assert not is_follow_up(parse_question(text, MEETINGS)), text


def test_a_follow_up_takes_the_meeting_and_says_so() -> None:
    follow = resolve("and when did it close?", COP14, MEETINGS)
    assert follow.query.meetings == (14,) and follow.query.about_meeting
    assert follow.taken is not None and "COP14" in follow.taken


def test_what_about_asks_the_last_question_of_another_meeting() -> None:
    for text in ("what about COP13?", "wat about cop13", "& what abt cop13?"):  # typed fast, in chat
        follow = resolve(text, COP14, MEETINGS)
        assert follow.query.meetings == (13,) and follow.query.qtype == "when", text


def test_a_person_carries_over_even_with_a_meeting_named() -> None:
    johnson = replace(COP14, question="Who is Stanley Johnson?", meetings=(), subject=("stanley", "johnson"))
    follow = resolve("what did he do at cop11", johnson, MEETINGS)
    assert follow.query.meetings == (11,) and {"stanley", "johnson"} <= set(follow.query.content_terms)


def test_no_context_when_expired_or_for_a_self_contained_question() -> None:
    old = replace(COP14, at=time.monotonic() - CONTEXT_TTL_SECONDS - 1)
    assert resolve("and when did it close?", old, MEETINGS).taken is None
    assert resolve("When did COP11 open?", COP14, MEETINGS).taken is None


def test_conversations_are_kept_apart_and_expire() -> None:
    store = Conversations(ttl=60, limit=2)
    fresh = replace(COP14, at=time.monotonic())
    store.set((1, 10), fresh)
    assert store.get((1, 10)) is fresh and store.get((2, 10)) is None
    store.set((1, 11), fresh)
    store.set((1, 12), fresh)
    assert len(store) == 2 and store.get((1, 10)) is None  # the oldest went first
    store.set((3, 3), replace(COP14, at=time.monotonic() - 61))
    assert store.get((3, 3)) is None


def test_tell_me_more_with_a_question_of_its_own_asks_it_of_the_same_document() -> None:
    sharks = replace(COP14, question="What was decided at the Sharks MOU meeting?", meetings=(), source="040_x.txt",
                     subject=("decid", "shark", "mou"))
    follow = resolve("tell me more - how long did the talks last?", sharks, MEETINGS)
    assert follow.same_document and "talk" in follow.query.content_terms
    assert "shark" not in follow.query.content_terms  # its own words are what it asks about
    assert follow.otherwise is not None and follow.otherwise.query.text == sharks.question  # else more of the last
    again = resolve("tell me more", sharks, MEETINGS)
    assert again.query.text == sharks.question and again.query.skip_ids == sharks.shown


def test_what_about_another_meeting_leaves_the_first_meetings_place_behind() -> None:
    gandhinagar = replace(COP14, question="How many delegates were expected at CMS COP13 in Gandhinagar?",
                          meetings=(13,), subject=("deleg", "expect"))
    follow = resolve("what about cop14 in samarkand?", gandhinagar, MEETINGS)
    assert follow.query.meetings == (14,) and follow.query.qtype == "how_many"
    assert "gandhinagar" not in follow.query.terms and {"samarkand", "cop14"} <= set(follow.query.terms)
    assert follow.taken is not None and "COP14" in follow.taken


def test_a_document_named_by_what_it_is_is_the_last_answers_document() -> None:
    summary = replace(COP14, source="021_cop13-summary-enb.txt", meetings=(13,),
                      source_words=frozenset({"summari", "cop13", "enb"}))
    follow = resolve("the summary mentions a bigger biodiversity conference - where?", summary, MEETINGS)
    assert follow.same_document and "summari" not in follow.query.terms
    assert "biodivers" in follow.query.content_terms
    # A report the last answer did not quote is a word to search.
    other = resolve("and the report on the biodiversity conference?", summary, MEETINGS)
    assert not other.same_document and "report" in other.query.terms
    assert resolve("which UNEP head was quoted on it?", summary, MEETINGS).same_document


def test_a_who_answer_names_the_person_he_or_she_refers_to() -> None:
    who = resolve("Who chaired the Committee of the Whole at CMS COP14?", None, MEETINGS)
    context = next_context(who, "030_x.txt", (14,), answer="CoW Chair, Colin Galbraith.")
    assert {"colin", "galbraith"} <= set(context.person)
    follow = resolve("what did he do at cop11", context, MEETINGS)
    assert follow.query.meetings == (11,) and {"colin", "galbraith"} <= set(follow.query.content_terms)
    assert follow.taken is not None and "Colin Galbraith" in follow.taken
    in_2023 = resolve("what did he announce in july 2023?", context, MEETINGS)
    assert in_2023.query.meetings == () and {"colin", "galbraith"} <= set(in_2023.query.content_terms)
    french = resolve("qu'a-t-il fait à la COP11 ?", replace(context, lang="fr"), MEETINGS)
    assert french.query.meetings == (11,) and {"colin", "galbraith"} <= set(french.query.content_terms)
    johnson = next_context(resolve("Who is Stanley Johnson?", None, MEETINGS), None, (),
                           answer="CMS Ambassador, Stanley Johnson, the environmental journalist and writer.")
    assert johnson.person_name == "CMS Ambassador, Stanley Johnson"
    # Not a "who" answer, no person: a sentence-long answer names no one.
    when = next_context(resolve("When did COP14 open?", None, MEETINGS), None, (14,), answer="On 12 February 2024.")
    assert when.person == ()


def test_a_question_without_a_marker_may_lean_on_the_context() -> None:
    bergen = replace(COP14, question="When and where was CMS COP10 held?", meetings=(10,), source="037_x.txt")
    follow = resolve("how many people were expected?", bergen, MEETINGS)
    assert follow.implicit and follow.otherwise is not None and follow.otherwise.query.meetings == ()
    assert follow.query.meetings == (10,) and follow.taken is not None and "COP10" in follow.taken
    # Naming its own meeting, symbol or period, it stands alone.
    for text in ("how many people were expected at COP11?", "UNEP/CMS/COP14/Doc.19 date", "what happened in 2019?"):
        assert not resolve(text, bergen, MEETINGS).implicit, text


def test_the_last_subject_is_searched_only_when_referred_to() -> None:
    slogan = replace(COP14, question="When did COP14 open, and under what slogan?", subject=("slogan",))
    assert "slogan" not in resolve("name the species proposed for listing there", slogan, MEETINGS).query.terms
    assert "slogan" in resolve("who chose it?", slogan, MEETINGS).query.terms
    mop9 = replace(COP14, question="Qui a ouvert la MOP9 de l'ASCOBANS ?", meetings=(), subject=("mop9", "ascoban"),
                   lang="fr")
    assert "ascoban" in resolve("et où devait-elle se tenir à l'origine ?", mop9, MEETINGS).query.terms


def test_what_was_taken_is_said_in_the_questions_language() -> None:
    follow = resolve("et quand a-t-elle fermé ?", COP14, MEETINGS)
    assert follow.query.lang == "fr" and follow.query.meetings == (14,)
    assert follow.taken == "COP14, la même source, d'après votre question précédente"
    assert resolve("y cuándo se clausuró?", COP14, MEETINGS).taken == "COP14, la misma fuente, de su pregunta anterior"


def test_and_the_meeting_asks_the_last_question_of_it_in_any_language() -> None:
    for text, lang, note in (("and the COP13?", "en", "the question before, for COP13"),
                             ("et la COP13 ?", "fr", "la question précédente, pour COP13"),
                             ("y la COP13?", "es", "la pregunta anterior, para COP13")):
        # Too short to tell its language, a follow-up is in the conversation's.
        follow = resolve(text, replace(COP14, lang=lang), MEETINGS)
        assert follow.query.meetings == (13,) and follow.query.qtype == "when" and follow.taken == note, text
    # One that says its language keeps it.
    assert resolve("and when did it close?", replace(COP14, lang="fr"), MEETINGS).query.lang == "en"


def test_a_document_named_by_no_title_word_is_the_last_answers_document() -> None:
    # "the announcement", "the article", "that story": whatever the last answer's document is called
    campo = replace(COP14, source="034_cop15-campo-grande-press-release.txt", meetings=(15,),
                    source_words=frozenset({"campo", "grand", "press", "releas"}))
    for text in ("which minister was quoted in the announcement?", "what does the article say about the Pantanal?",
                 "which newspaper did that story come from?"):
        follow = resolve(text, campo, MEETINGS)
        assert follow.same_document, text
    assert "announc" not in resolve("which minister was quoted in the announcement?", campo, MEETINGS).query.terms
    # … but a noun that goes on into the question's own words is one of them
    deadlines = resolve("and the document deadlines for it?", campo, MEETINGS)
    assert not deadlines.same_document and "document" in deadlines.query.content_terms
    # with no document in the conversation, there is nothing to point at
    assert not resolve("which minister was quoted in the announcement?", replace(campo, source=None), MEETINGS).same_document


def test_later_that_year_is_the_conversations_time_not_words_to_search() -> None:
    summary = replace(COP14, source="021_cop13-summary-enb.txt", meetings=(13,),
                      source_words=frozenset({"summari", "cop13", "enb"}))
    follow = resolve("the summary mentions a bigger biodiversity conference later that year - where?", summary, MEETINGS)
    assert follow.query.meetings == (13,)
    assert not {"later", "year"} & set(follow.query.terms) and "biodivers" in follow.query.content_terms
    same_month = resolve("what else happened earlier the same month?", summary, MEETINGS)
    assert "month" not in same_month.query.terms and "earlier" not in same_month.query.terms
    # a year of its own is searched
    assert "year" in resolve("what is the year of the next meeting?", summary, MEETINGS).query.terms


def test_a_question_referring_back_says_so() -> None:
    slogan = replace(COP14, question="When did COP14 open, and under what slogan?", subject=("slogan",))
    assert resolve("name some of the species proposed for listing there", slogan, MEETINGS).refers
    assert resolve("who opened it?", slogan, MEETINGS).refers
    leaning = resolve("how many people were expected?", slogan, MEETINGS)
    assert leaning.implicit and not leaning.refers
    assert not resolve("who opened it?", replace(slogan, source=None), MEETINGS).refers  # no document to read on
    chair = next_context(resolve("Who chaired the Committee of the Whole at CMS COP14?", None, MEETINGS), "030_x.txt",
                         (14,), answer="CoW Chair, Colin Galbraith.")
    assert not resolve("what did he do at cop11", chair, MEETINGS).refers  # another meeting's texts
    assert resolve("what did he receive at the close?", chair, MEETINGS).refers


def test_days_counted_from_the_conversations_meeting() -> None:
    from datetime import date

    from bot.question.context import days_from_meeting

    cop13 = MEETINGS.get(13)  # 17-22 February 2020
    assert cop13 is not None
    assert days_from_meeting("was there anything the day before it opened?", cop13) == [date(2020, 2, 16)]
    assert days_from_meeting("what was scheduled for the two days before the opening?", cop13) == [
        date(2020, 2, 15), date(2020, 2, 16)]
    assert days_from_meeting("what happened two days before the opening?", cop13) == [date(2020, 2, 15)]
    assert days_from_meeting("and the day after it closed?", cop13) == [date(2020, 2, 23)]
    assert days_from_meeting("what happened the day after the conference?", cop13) == [date(2020, 2, 23)]
    assert days_from_meeting("and the day after the opening?", cop13) == [date(2020, 2, 18)]
    assert days_from_meeting("what took place on the eve of the conference?", cop13) == [date(2020, 2, 16)]
    assert days_from_meeting("how many days did it last?", cop13) == []
    assert days_from_meeting("what was decided on the last day?", cop13) == []


def test_the_day_before_it_opened_is_searched_as_its_date() -> None:
    cop11 = replace(COP14, question="When and where was CMS COP11 held?", meetings=(11,), source="001_x.txt")
    follow = resolve("was there anything the day before it opened?", cop11, MEETINGS)
    assert {"3", "novemb"} <= set(follow.query.terms) and follow.query.content_terms == ("novemb",)
    assert not {"day", "open", "anyth"} & set(follow.query.content_terms)
    eve = resolve("what happened on the eve of it?", cop11, MEETINGS)  # texts say "on the eve" too
    assert "eve" in eve.query.content_terms and "3" in eve.query.terms and "novemb" not in eve.query.content_terms


def test_the_last_subject_ranks_but_the_quote_is_cut_around_the_questions_own_words() -> None:
    shark = replace(COP14, question="Which government proposed the concerted action for the whale shark?",
                    meetings=(13,), subject=("whale", "shark"))
    follow = resolve("where are its northernmost records from?", shark, MEETINGS)
    assert {"whale", "shark"} <= set(follow.query.terms) and follow.ranks_only == ("whale", "shark")
    # with no words of its own, the subject is what is asked, and quoted around
    alone = resolve("and when was that?", shark, MEETINGS)
    assert alone.ranks_only == () and "whale" in alone.query.content_terms
