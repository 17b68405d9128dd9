"""Follow-ups through the engine on a small corpus built for them: a question with no marker read in
its conversation's meeting, "tell me more" reading the last answer's document on, and the note
saying what was taken (the same source only when the answer comes from it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine import Engine

REPO = Path(__file__).resolve().parents[2]

PAGES = {
    "press/cop10-dates.md": (10, "2011-03-01", "COP10 dates",
                             "The 10th Meeting of the Conference of the Parties (COP10) will take place from 20 to 25"
                             " November 2011 in Bergen, Norway.\n\nThe Norwegian minister of the environment, who"
                             " has followed the negotiations for many years and chairs the national delegation, will"
                             " open the meeting on the first day, after a welcome by the city and a cultural programme"
                             " prepared by schools of the region."),
    "press/cop10-preview.md": (10, "2011-11-15", "Bergen preview",
                               "More than 300 representatives of governments and organizations will come together"
                               " in Bergen for COP10.\n\nMinister to open exhibition: the minister will open"
                               " it."),
    "press/cop14-host.md": (14, "2023-07-03", "Samarkand host agreement",
                            "The global event is expected to be attended by about 1,200 participants. About 400"
                            " volunteers will help the delegations during the week."),
    "press/sharks.md": (None, "2018-12-14", "Sharks MOU meeting",
                        "After five days of intensive discussions, the third Meeting of the Signatories to the"
                        " Memorandum of Understanding on the Conservation of Migratory Sharks came to a successful"
                        " conclusion today in Monaco. Delegates from the Signatory States agreed on a programme of"
                        " work for the next three years and welcomed new Cooperating Partners to the memorandum,"
                        " which now covers many species of sharks and rays across the oceans of the world. The"
                        " host government thanked the participants and the Secretariat for their work during the"
                        " week, and several observers from non-governmental organizations made statements on the"
                        " importance of the memorandum for the conservation of sharks and rays in coastal waters."
                        " Side events during the week presented research on the migration routes of hammerhead"
                        " sharks, on bycatch in longline fisheries and on the trade in fins. A field visit to the"
                        " harbour closed the programme on the last afternoon, followed by a reception offered by"
                        " the city for all delegations and observers attending the session.\n\n"
                        "Eight more species of rays were added to the annex.\n\n"
                        "The next session will be hosted by a Signatory State in 2021."),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, corpus_writer: Callable[[Path, dict], Path]) -> Engine:
    corpus = corpus_writer(tmp_path_factory.mktemp("corpus"), PAGES)
    return Engine.open(corpus, None, notify=lambda _m: None)


def test_a_question_with_no_marker_is_read_in_the_conversations_meeting(engine: Engine) -> None:
    alone = engine.ask("how many people were expected?")
    assert alone.found and "1,200" in alone.citations[0].quote and alone.context_note is None
    first = engine.ask("When did COP10 take place?")
    assert first.context is not None and first.context.source == "press/cop10-dates.md"
    follow = engine.ask("how many people were expected?", context=first.context)
    assert follow.found and "300" in follow.citations[0].quote
    # COP10 was taken; the answer is not from the last answer's document, so that is not said.
    assert follow.context_note == "COP10, from your last question"


def test_the_conversations_document_breaks_ties(engine: Engine) -> None:
    alone = engine.ask("which minister will open it?")
    assert alone.citations[0].passage.source == "press/cop10-preview.md"  # more of the words, alone
    first = engine.ask("When did COP10 take place?")
    follow = engine.ask("which minister will open it?", context=first.context)
    assert follow.citations[0].passage.source == "press/cop10-dates.md"
    assert follow.context_note == "COP10, the same source, from your last question"


def test_a_count_in_a_conversation_about_one_meeting_is_not_taken_from_another(engine: Engine) -> None:
    alone = engine.ask("how many volunteers will help?")
    assert alone.found and alone.answer is not None and "400" in alone.answer
    first = engine.ask("When did COP10 take place?")
    follow = engine.ask("how many volunteers will help?", context=first.context)
    assert not follow.found and follow.context_note is not None and "COP10" in follow.context_note


def test_tell_me_more_reads_the_last_answers_document_on(engine: Engine) -> None:
    first = engine.ask("What happened at the third Meeting of the Signatories to the Sharks memorandum?")
    top = first.citations[0]
    assert top.passage.source == "press/sharks.md" and top.quote != top.passage.text  # trimmed
    more = engine.ask("tell me more", context=first.context)
    assert more.found and more.context_note == "your last question"
    assert more.citations[0].passage.id == top.passage.id and more.citations[0].quote == top.passage.text
    shown = {c.passage.id for c in first.citations}
    assert all(c.passage.id not in shown for c in more.citations[1:])  # then only what was not shown
    again = engine.ask("tell me more", context=more.context)
    assert top.passage.id not in {c.passage.id for c in again.citations}  # not quoted whole twice


def test_tell_me_more_with_its_own_question_falls_back_to_more_of_the_last(engine: Engine) -> None:
    first = engine.ask("What happened at the third Meeting of the Signatories to the Sharks memorandum?")
    follow = engine.ask("tell me more - how long did the talks go on?", context=first.context)
    assert follow.found and "five days" in " ".join(c.quote for c in follow.citations)


def test_when_the_conversations_text_came_out_is_that_texts_date(engine: Engine) -> None:
    first = engine.ask("what did the sharks memorandum meeting agree?")
    assert first.context is not None and first.context.source == "press/sharks.md"
    for question in ("when did they post that?", "when did it come out?", "when was it published?"):
        follow = engine.ask(question, context=first.context)
        assert follow.found and follow.answer == "14 December 2018.", question
        assert follow.citations[0].passage.source == "press/sharks.md"
    # asked alone, no text is "that": no date is given
    assert engine.ask("when did they post that?").answer is None
