"""A list of people cut into passages, one name per paragraph: a plural who-question is shown the
entries after the one it cites (bot/answer/lists.py), alone and through the engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.answer.lists import asks_for_people, entries_after, is_entry
from bot.engine import Engine
from bot.model import Passage


def _p(k: int, text: str) -> Passage:
    return Passage(id=f"media#para-{k}", source="media", kind="page", title="t", document_title="t",
                   date=None, locator=f"para. {k}", text=text, position=k)


MEDIA = [
    _p(1, "The conference is held at the Quorum Quito conference centre."),
    _p(2, "At the Secretariat:\nFlorian Keil, Coordinator of the Communication Team"),
    _p(3, "Veronika Lenarz, Public Information, Secretariat Tel: +49 228 815 2409"),
    _p(4, "At the Ministry for the Environment, Ecuador:"),
    _p(5, "Cinthia Montalvo, Director Communications, Ministry for the Environment"),
    _p(6, "Journalists are asked to register before the meeting."),
]


def test_a_plural_who_question() -> None:
    assert asks_for_people("who were the secretariat's press contacts there?")
    assert asks_for_people("Who are the speakers?")
    assert not asks_for_people("who opened the meeting?")


def test_the_entries_after_one_label_lines_skipped_up_to_the_first_other_passage() -> None:
    assert is_entry(MEDIA[1]) and is_entry(MEDIA[2]) and not is_entry(MEDIA[0]) and not is_entry(MEDIA[3])
    assert [p.id for p in entries_after(MEDIA[1], MEDIA)] == ["media#para-3", "media#para-5"]
    assert entries_after(MEDIA[0], MEDIA) == []  # not an entry: no list to go on with
    # a sentence starting with a name is no entry ("Amy Fraenkel said …" has no comma after the name)
    assert not is_entry(_p(7, "Amy Fraenkel announced the new dates on 14 July."))


PAGES = {
    "press/cop11-media.md": (11, "2014-11-01", "COP11 media page",
                             "The meeting is held at the Quorum Quito conference centre.\n\n"
                             "At the Secretariat:\n\nFlorian Keil, Coordinator of the Communication Team, press contact\n\n"
                             "Veronika Lenarz, Public Information, Secretariat Tel: +49 228 815 2409\n\n"
                             "At the Ministry:\n\n"
                             "Cinthia Montalvo, Director Communications, Ministry for the Environment\n\n"
                             "Journalists are asked to register at the Secretariat before the meeting."),
}


def test_who_were_the_contacts_shows_the_list(tmp_path: Path, corpus_writer: Callable[[Path, dict], Path]) -> None:
    engine = Engine.open(corpus_writer(tmp_path / "corpus", PAGES), None, notify=lambda _m: None)
    several = engine.ask("who were the press contacts of the secretariat at COP11?")
    shown = " ".join(c.quote for c in several.citations)
    assert "Florian Keil" in shown and "Veronika Lenarz" in shown and "Cinthia Montalvo" in shown
    assert several.answer is None  # the first name alone is no answer to "who were …"
    one = engine.ask("who was the press contact of the secretariat at COP11?")
    assert "Veronika Lenarz" not in " ".join(c.quote for c in one.citations)  # one asked, one shown
