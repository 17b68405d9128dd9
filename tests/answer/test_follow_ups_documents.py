"""Follow-ups pointing at the last answer's document, through the engine on a small corpus: named
("the summary mentions …", "on it", "in the announcement"), it is where to look — its passage answers
with less of the question than a question asked alone needs; referred to ("there", "it"), it reads on
when it holds most of the question."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine import Engine

PAGES = {
    "press/cop13-summary.md": (13, "2020-02-22", "COP13 summary report",
                               "The thirteenth meeting adopted the proposed Gandhinagar Declaration and added seven species"
                               " to Appendix I, among them the Asian elephant and the jaguar.\n\n"
                               "COP13 was the first in a series of international biodiversity conferences in 2020,"
                               " which will culminate with the UN Biodiversity Conference in Kunming, China, in"
                               " October."),
    "press/cop13-energy.md": (13, "2020-02-20", "Renewable energy and wildlife",
                              "Delegates discussed wildlife-friendly renewable energy and biodiversity in energy"
                              " policy at a side event and proposed guidelines for wind farms."),
    "press/cop14-opens.md": (14, "2024-02-12", "COP14 opens in Samarkand",
                             "COP14 opened today in Samarkand under the slogan Nature Knows No Borders.\n\n"
                             "- Proposals for new Concerted Actions for seven species.\n"
                             "- Amendments to the Appendices to include fourteen additional species, including"
                             " the Eurasian lynx and the Pallas's cat.\n"
                             "- Measures against the illegal taking of migratory birds."),
    "press/cop14-ngo.md": (14, "2024-02-17", "NGO statement on COP14",
                           "We welcome the listing of the sand tiger shark: of the species proposed for listing,"
                           " the species proposals we supported were listed, and we thank the governments that"
                           " proposed these species for listing."),
    "press/cop14-report.md": (14, "2024-02-12", "Migratory species report launched",
                              "The first report on the state of migratory species was launched today at COP14: one"
                              " in five listed species is threatened with extinction.\n\n"
                              "Inger Andersen, Executive Director of the United Nations Environment Programme,"
                              " said: \"The report shows us that human activities are jeopardizing the future of"
                              " migratory species.\""),
    "press/cop11-page.md": (11, "2014-11-10", "COP11 meeting page",
                            "COP11 was held in Quito, Ecuador, from 4 to 9 November 2014.\n\n"
                            "Delegates adopted a new Strategic Plan for Migratory Species in November 2014.\n\n"
                            "A High Level Ministerial Panel took place on 3 November, with ministers from the region."),
    "docs/whale-shark-action.md": (13, "2020-02-22", "Concerted Action for the Whale Shark",
                                   "The Concerted Action for the Whale Shark was proposed by the Government of the"
                                   " Philippines and first adopted for the whale shark at COP12, then extended for"
                                   " the whale shark at COP13. The government proposed that the concerted action for"
                                   " the whale shark cover research, tourism guidelines and the bycatch of whale"
                                   " sharks in purse-seine fisheries, and that range states report on the whale shark"
                                   " to the Scientific Council before each meeting. The whale shark has a circumtropical distribution"
                                   " through all tropical and warm temperate seas, apart from the Mediterranean, and"
                                   " its core distribution lies between about 30 degrees north and 35 degrees south."
                                   " The northernmost records are from the Bay of Fundy, Canada, and the Sea of"
                                   " Okhotsk off Japan; the southernmost are from Victoria, Australia."),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, corpus_writer: Callable[[Path, dict], Path]) -> Engine:
    corpus = corpus_writer(tmp_path_factory.mktemp("corpus"), PAGES)
    return Engine.open(corpus, None, notify=lambda _m: None)


def test_a_named_document_answers_with_less_of_the_question(engine: Engine) -> None:
    question = "the summary mentions a bigger biodiversity conference later that year - where?"
    assert not engine.ask(question).found  # alone, too little of it is anywhere
    first = engine.ask("Which seven species were added to Appendix I at COP13?")
    assert first.context is not None and first.context.source == "press/cop13-summary.md"
    follow = engine.ask(question, context=first.context)
    assert follow.found and "Kunming" in follow.citations[0].quote
    assert follow.answer is None  # quoted, not read as a one-line answer from so little
    # Not named, the document gets no lower bar.
    assert not engine.ask("a bigger biodiversity conference later that year - where?", context=first.context).found


def test_a_question_referring_back_reads_on_in_the_last_document(engine: Engine) -> None:
    question = "name some of the species proposed for listing there"
    alone = engine.ask(question)
    assert alone.found and alone.citations[0].passage.source != "press/cop14-opens.md"  # more of its words elsewhere
    first = engine.ask("When did COP14 open, and under what slogan?")
    assert first.context is not None and first.context.source == "press/cop14-opens.md"
    follow = engine.ask(question, context=first.context)
    # its passage holding most of the question, though another document holds all of it
    assert follow.citations[0].passage.source == "press/cop14-opens.md"
    assert "Eurasian lynx" in follow.citations[0].quote


def test_who_was_quoted_in_it_finds_who_said_it(engine: Engine) -> None:
    first = engine.ask("When was the first report on the state of migratory species launched?")
    assert first.context is not None and first.context.source == "press/cop14-report.md"
    follow = engine.ask("which UNEP head was quoted on it?", context=first.context)
    assert follow.found and "Inger Andersen" in follow.citations[0].quote


def test_the_day_before_it_opened_finds_what_the_texts_date_then(engine: Engine) -> None:
    first = engine.ask("When and where was COP11 held?")
    follow = engine.ask("was there anything the day before it opened?", context=first.context)
    assert follow.found and "Ministerial Panel" in follow.citations[0].quote


def test_the_last_subject_does_not_steer_the_quote_away_from_the_questions_words(engine: Engine) -> None:
    first = engine.ask("Which government proposed the concerted action for the whale shark?")
    assert first.context is not None and first.context.source == "docs/whale-shark-action.md"
    follow = engine.ask("where are its northernmost records from?", context=first.context)
    assert follow.citations[0].passage.source == "docs/whale-shark-action.md"
    assert "Bay of Fundy" in follow.citations[0].quote
