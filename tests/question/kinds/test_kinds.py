"""Each question kind at its own level: a question and a sentence in, the answer or nothing out
(no engine, no corpus — only the meetings table the question parser reads)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.answer.extract import direct_answer
from bot.cms.meetings import MeetingRegistry
from bot.model import Passage
from bot.question.kinds import KINDS, detect
from bot.question.query import parse_parts, parse_question

MEETINGS = MeetingRegistry.load(Path(__file__).resolve().parents[3] / "corpus" / "meetings.yaml")


def answer(question: str, sentence: str, day: date | None = date(2024, 2, 12)) -> str | None:
    query = parse_question(question, MEETINGS)
    passage = Passage(id="t#p1", source="t.md", kind="page", title="", document_title="", date=day,
                      locator="para. 1", text=sentence, position=0)
    weights = {t: 1.0 for t in query.content_terms}
    parts = parse_parts(query, MEETINGS)
    return direct_answer(query, passage, weights, parts=parts)


@pytest.mark.parametrize("question, kind", [
    ("When did COP14 open?", "when"), ("cop12 dates?", "when"), ("quand a commencé la COP14 ?", "when"),
    ("Where was COP11 held?", "where"), ("¿Dónde se celebró la COP11?", "where"),
    ("Who said that?", "who"), ("Quem abriu a COP15?", "who"),
    ("How many species were listed?", "how_many"), ("Combien d'espèces ?", "how_many"),
    ("By how much did visits grow?", "how_much"), ("How old is the Convention?", "how_old"),
    ("Was the Manila COP the first in Asia?", "yes_no"), ("cop14 slogan", "called"),
    ("What was the theme of COP13?", "called"), ("Which resolution covers bird day?", "reference"),
    ("What is the document symbol of the Rules of Procedure?", "reference"),
    ("Which government proposed the polar bear?", "thing"), ("What did COP14 decide about mining?", "what_happened"),
    ("shark listings Quito", "other"), ("What day is celebrated on 23 October?", "thing"),
])
def test_detection(question: str, kind: str) -> None:
    assert detect(" ".join(question.casefold().split())).name == kind


def test_every_kind_has_a_module_an_answer_type_and_an_example() -> None:
    assert len({k.name for k in KINDS}) == len(KINDS)
    for kind in KINDS:
        assert kind.answer_type and kind.examples, kind.name


def test_when_takes_the_date_of_the_event_asked() -> None:
    assert answer("When did the Champions Programme launch?",
                  "The Champions Programme was launched on 3 November 2014 in Quito.") == "3 November 2014."
    # The event asked about must be the sentence's: presented is not adopted.
    assert answer("When was the Initiative adopted?", "The Initiative was presented on 6 November in Quito.") is None
    # A plan is not a fact about what happened.
    assert answer("When did the website launch?", "The website is expected to launch on 1 March 2024.") is None
    assert answer("When will the website launch?", "The website is expected to launch on 1 March 2024.") \
        == "1 March 2024."


def test_where_takes_a_place_not_a_month_or_an_institution() -> None:
    assert answer("Where did the ministers meet?", "The ministers met in Samarkand, Uzbekistan.") \
        == "Samarkand, Uzbekistan."
    assert answer("Where did the ministers meet?", "The ministers met in February.") is None
    # a geographic feature named "of" something is one place, not its first word
    assert answer("Where are the northernmost records from?",
                  "The northernmost records are from 44°N in the Bay of Fundy, Canada.") == "Bay of Fundy, Canada."


def test_who_reads_speakers_and_roles_but_not_institutions() -> None:
    assert answer("Who said nature knows no borders?",
                  "“Nature knows no borders,” said Amy Fraenkel, CMS Executive Secretary.") \
        == "Amy Fraenkel, CMS Executive Secretary."
    assert answer("Who is Stanley Johnson?", "Master of Ceremonies was CMS Ambassador, Stanley Johnson, the writer.") \
        == "CMS Ambassador, Stanley Johnson, the writer."
    assert answer("Who reported on the species?", "Species listed as Endangered, Critically Endangered are many.") is None


def test_how_many_counts_what_is_asked_and_not_what_is_proposed() -> None:
    assert answer("How many species were listed?", "The COP listed 31 species, including 21 sharks.") == "31 species."
    assert answer("How many species were added to the appendices?",
                  "COP14 is expected to consider 14 additional species for the appendices.") is None
    assert answer("How many species need international action?",
                  "The report analysed over 4,000 species worldwide.") is None


def test_two_part_questions_need_both_parts() -> None:
    both = "The COP listed 31 species, including 21 shark species."
    assert answer("How many species were listed, and how many of them were shark species?", both) \
        == "31 species; 21 shark species."
    assert answer("Who opened the meeting, and when?", "The meeting opened on 12 February 2024.") is None


def test_how_much_and_how_old() -> None:
    assert answer("By how much did page views grow?", "Page views grew by 10 per cent in 2023.") == "10 per cent."
    assert answer("How old is World Migratory Bird Day?", "Since its inception 18 years ago, World Migratory Bird Day has grown.",
                  date(2023, 12, 19)) == "18 years ago (as of 19 December 2023)."


def test_called_takes_the_quoted_name_after_its_noun() -> None:
    assert answer("cop14 slogan", 'The conference opens under the slogan, "Nature Knows No Borders," today.') \
        == "Nature Knows No Borders."
    assert answer("What was the theme of COP13?", "COP13 was a success.") is None


def test_reference_names_the_reference_of_the_thing_asked() -> None:
    assert answer("Which resolution covers World Migratory Bird Day?",
                  "COP13 adopted Resolution 11.9 (Rev.COP13) on World Migratory Bird Day.") \
        == "Resolution 11.9 (Rev.COP13)"
    assert answer("What is the document symbol of the Rules of Procedure?",
                  "The polar bear proposal is UNEP/CMS/COP11/Doc.24.1.11.") is None
    assert answer("Which documents hold the proposals for the sandpiper and the polar bear?",
                  "The proposals for the sandpiper and the polar bear are UNEP/CMS/COP11/Doc.24.1.5 and "
                  "UNEP/CMS/COP11/Doc.24.1.11.") == "UNEP/CMS/COP11/Doc.24.1.5 and UNEP/CMS/COP11/Doc.24.1.11"


def test_thing_names_a_country_that_acted_not_one_named_as_a_place() -> None:
    assert answer("Which government proposed adding the polar bear?",
                  "At COP11 in Ecuador, Norway proposed adding the polar bear.") == "Norway."
    assert answer("Which government proposed the listings?",
                  "Listings were proposed by the Governments of Ecuador and Paraguay, respectively.") is None


def test_yes_only_where_a_sentence_states_the_whole_proposition_and_what_happened_quotes_its_clause() -> None:
    assert answer("Was the Manila COP the first in Asia?", "COP12 in Manila was the first CMS COP in Asia.") == \
        "Yes: COP12 in Manila was the first CMS COP in Asia."
    # a word of the question the sentence lacks, a negation, a plan, alternatives: no yes — and never a no
    assert answer("Was the Manila COP the first in Africa?", "COP12 in Manila was the first CMS COP in Asia.") is None
    assert answer("Was the Manila COP the first in Asia?", "COP12 in Manila was not the first CMS COP in Asia.") is None
    assert answer("Was the Manila COP the first in Asia?", "COP12 in Manila will be the first CMS COP in Asia.") is None
    assert answer("Was the Manila COP the first in Asia or in Africa?",
                  "COP12 in Manila was the first CMS COP in Asia.") is None
    assert answer("Wasn't the Manila COP the first in Asia?", "COP12 in Manila was the first CMS COP in Asia.") is None
    assert answer("What did COP14 decide about mining?", "COP14 adopted a decision on deep-sea mining.") == (
        "COP14 adopted a decision on deep-sea mining.")


def test_how_much_takes_the_share_named_in_its_own_clause() -> None:
    text = ("Half (51%) of Key Biodiversity Areas identified as necessary for CMS-listed migratory animals do not "
            "have protected status, and 58% of the monitored sites are under pressure.")
    assert answer("What percentage of key biodiversity areas lack protected status?", text) == "51%."
    two = ("While some species are improving, nearly half (44%) show population declines. "
           "Over one in five (22%) of CMS-listed species are threatened with extinction.")
    assert answer("What share of species are declining and what share are threatened with extinction?", two) \
        == "44%; 22%."


def test_a_deadline_or_a_period_is_a_when_question() -> None:
    assert answer("What was the deadline for submitting proposals?",
                  "Proposals had to be submitted by 26 May 2023 at the latest.") == "26 May 2023."
    assert answer("What period does the new Strategic Plan cover?",
                  "The new Strategic Plan for Migratory Species covers the period 2024-2032.") == "2024-2032."


@pytest.mark.parametrize("question, kind", [
    ("quand a commencé la COP14 ?", "when"), ("¿cuándo terminó la COP14?", "when"), ("quando começou a COP14?", "when"),
    ("où se tient la COP15 ?", "where"), ("¿dónde se celebró la COP11?", "where"), ("onde foi a COP15?", "where"),
    ("qui a ouvert la COP14 ?", "who"), ("¿quién inauguró la COP11?", "who"), ("quem abriu a COP15?", "who"),
    ("combien d'espèces ont été ajoutées ?", "how_many"), ("¿cuántas especies se añadieron?", "how_many"),
    ("quantas espécies foram incluídas?", "how_many"),
])
def test_question_words_in_french_spanish_and_portuguese(question: str, kind: str) -> None:
    assert detect(" ".join(question.casefold().split())).name == kind


def test_who_said_a_quotation_reads_its_attribution_where_it_closes() -> None:
    text = ("“The Pantanal will be the ideal setting for this dialogue. It is a great honour to host this "
            "conference,” said Ms. Marina Silva, Minister of the Environment of Brazil.")
    assert answer("Who said the Pantanal 'will be the ideal setting'?", text) \
        == "Ms. Marina Silva, Minister of the Environment of Brazil."
    other = ("“The Pantanal will be the ideal setting for this dialogue.” “We thank all delegates,” said "
             "Amy Fraenkel, Executive Secretary.")
    assert answer("Who said the Pantanal 'will be the ideal setting'?", other) is None


def test_an_acronym_a_passage_defines_stands_for_its_words() -> None:
    text = ("Wind did not deter the Committee of the Whole (CoW) from resuming. The CoW closed in the "
            "afternoon, with CoW Chair Colin Galbraith (UK) receiving a standing ovation.")
    assert answer("Who chaired the Committee of the Whole?", text) == "CoW Chair, Colin Galbraith."


def test_where_skips_the_questions_own_place_and_regions() -> None:
    text = ("COP12 was held at the Philippine International Convention Center in Pasay City, "
            "the first in the ASEAN Region.")
    assert answer("In which city was the convention centre located?", text) == "Pasay City."


def test_what_is_it_called_takes_the_name_it_is_known_as() -> None:
    text = "These include the endangered Whale Shark, known as the butanding in the Philippines."
    assert answer("What is the whale shark called in the Philippines?", text) == "Butanding."
    assert answer("What is the whale shark called in the Philippines?", "The whale shark was listed.") is None


def test_thing_takes_a_quoted_name_given_to_the_asked_noun() -> None:
    kolam = "The CMS COP 13 logo is inspired by 'Kolam', a traditional art form from southern India."
    assert answer("Which traditional art form inspired the CMS COP13 logo?", kolam) == "Kolam."
    report = ("A report on ecological networks, entitled “Living Planet, Connected Planet: Preventing the End of "
              "the World’s Wildlife Migrations,” was launched on 21 November.")
    assert answer("Which report on ecological networks was launched?", report) == (
        "Living Planet, Connected Planet: Preventing the End of the World’s Wildlife Migrations.")
    # a quoted name of something else is not the asked noun's
    assert answer("Which traditional art form inspired the logo?",
                  "The logo, 'Kolam', was inspired by a traditional dance.") is None


def test_thing_lists_the_members_of_a_plural_noun_but_not_for_one() -> None:
    text = ("Ten new species were added to the CMS Appendices, of which seven were added to Appendix I, which "
            "comprises endangered migratory species. These include the Asian elephant, jaguar and the oceanic "
            "white-tip shark.")
    assert answer("Which seven species were added to Appendix I?", text) == (
        "The Asian elephant, jaguar and the oceanic white-tip shark.")
    cheetah = ("The minister also said that Uzbekistan will focus on the reintroduction of extinct species, such as "
               "the Asiatic cheetah, which once lived on the Ustyurt Plateau.")
    assert answer("Which extinct species will Uzbekistan focus on reintroducing?", cheetah) == "The Asiatic cheetah."
    # "which species was …" asks for one: a list of several is no answer
    listed = "It listed 11 species on Appendix I, including three dolphin species and the West African manatee."
    assert answer("Which species was listed on Appendix I?", listed) is None
    assert answer("Which species were listed on Appendix I?", listed) == "Three dolphin species and the West African manatee."


def test_the_asked_noun_is_the_head_of_its_phrase() -> None:
    heads = {"Which conference centre hosted CMS COP11?": "centre", "Which seven species were added?": "species",
             "Which country hosts COP15?": "country", "what unit handles communication?": "unit",
             "Which migratory birds were listed at COP13?": "birds", "Which extinct species did he name?": "species"}
    assert {q: parse_question(q, MEETINGS).asked_noun for q in heads} == heads


def test_a_second_part_that_leaves_out_the_event_takes_the_first_parts() -> None:
    modi = ("Prime Minister Narendra Modi will inaugurate the key summit, scheduled to be hosted by India from "
            "February 17 to 22 in Gandhinagar.")
    assert answer("Who was scheduled to inaugurate CMS COP13, and on what date?", modi) == (
        "Prime Minister, Narendra Modi; February 17 to 22.")
    added = ("The COP also added 14 new species, subspecies, and populations to the CMS Appendices, including 10 "
             "to Appendix I: the Balkan Lynx; the Peruvian Pelican.")
    assert answer("How many species were added to the CMS Appendices, and how many of them to Appendix I?",
                  added) == "14 new species; 10 to Appendix I."
    # the same fact for both parts answers neither
    assert answer("How many species were added, and how many of them to Appendix II?",
                  "The COP added 14 new species to the Appendices.") is None


def test_which_country_acted_and_since_when() -> None:
    armenia = ("The Republic of Armenia is acceding to AEWA becoming the 81st Party on 1 July. It has been a Party "
               "to the Convention since 2011.")
    assert answer("Which country became the 81st Party to AEWA, and since when has it been a Party to CMS?",
                  armenia) == "Armenia; since 2011."


def test_irregular_verbs_match_across_tenses() -> None:
    from bot.cms.synonyms import SYNONYMS

    assert "becom" in SYNONYMS["becam"] and "held" in SYNONYMS["hold"]
    # "who was quoted on it?" — "…, said X"; "a meeting for funders" — "a Donors Meeting"
    assert "said" in SYNONYMS["quot"] and "donor" in SYNONYMS["funder"]
    assert answer("Where was the meeting held?", "The meeting will hold its sessions in Bonn.") is None  # a plan
    assert answer("Where did the minister speak?", "The minister spoke in Quito.") == "Quito."


def test_what_a_text_stated_is_answered_by_its_plan() -> None:
    notice = "COP13 and associated events will take place from 15 to 22 February 2020 in Gandhinagar."
    assert answer("What dates did notification 2019/001 give for COP13 and its associated events?", notice) == (
        "15 to 22 February 2020.")
    # a question about what happened is not answered by what was planned
    assert answer("When did the associated events take place?", notice) is None


def test_a_venue_of_several_words_and_a_symbol_asked_by_name() -> None:
    held = ("The high-level segment was held in the Mahatma Mandir Convention and Exhibition Centre, Gandhinagar, "
            "India from 17 to 22 February 2020.")
    assert answer("In which venue was the high-level segment held?", held) == (
        "Mahatma Mandir Convention and Exhibition Centre, Gandhinagar, India.")
    assert answer("where was the segment held", "The segment was held in the ASEAN Region, and Establishing it.") is None
    assert answer("What is the document symbol of the COP11 Rules of Procedure?",
                  "UNEP/CMS/COP11/Doc.4 Rules of Procedure") == "UNEP/CMS/COP11/Doc.4"


def test_what_led_to_a_statement_is_no_hedge_of_it() -> None:
    listed = ("After considering proposals submitted by Parties to amend the appendices, the COP decided to list 31 "
              "species, which included 21 shark, ray and sawfish species.")
    assert answer("How many species did the COP decide to list, and how many of them were sharks, rays and sawfish?",
                  listed) == "31 species; 21 shark, ray and sawfish species."
    assert answer("How many species were listed?", "The COP is expected to consider 31 species.") is None


def test_who_takes_the_names_a_sentence_lists_for_those_asked() -> None:
    awarded = "The Champions awarded for COP 12 are Germany, Monaco, Italy, the European Commission, and the Philippines."
    assert answer("Who are the Champions awarded for COP12?", awarded) == (
        "Germany, Monaco, Italy, the European Commission, and the Philippines.")
    recognised = ("At a special event last night several, Germany, Monaco, the Philippines and the European Commission "
                  "were recognized as Migratory Species Champions.")
    assert answer("Who were recognised as Migratory Species Champions?", recognised) == (
        "Germany, Monaco, the Philippines and the European Commission.")
    # names listed as doing something else do not answer
    assert answer("Who were recognised as Champions?", "Germany, Monaco and Italy were absent from the Champions event.") is None


def test_words_naming_where_it_was_read_are_not_what_is_asked() -> None:
    query = parse_question("How many delegates were expected, according to the '100 days to go' announcement?", MEETINGS)
    assert "announc" not in query.content_terms and "announc" in query.terms and "deleg" in query.content_terms


def test_which_body_asks_for_an_organisation_not_a_reference() -> None:
    query = parse_question("which body took the decision?", MEETINGS)
    assert query.qtype == "thing" and query.asked_noun == "body"
    assert parse_question("Which COP14 listing decisions did WCS welcome?", MEETINGS).asked_noun == "decision"
    assert answer("Which body took the decision to hold COP15 in Brazil?",
                  "The decision to hold COP15 in Brazil was taken by the Standing Committee after consultations.") == (
        "Standing Committee.")


def test_what_was_decided_is_the_clause_that_says_it() -> None:
    sharks = ("After five days of discussions, the 3rd Meeting of the Signatories to the Sharks MOU came to a "
              "successful conclusion today. Among the main decisions reached was agreement to include a further eight "
              "species on the instrument’s Annex.")
    assert answer("What was decided at the 3rd Meeting of the Signatories to the Sharks MOU?", sharks) == (
        "Among the main decisions reached was agreement to include a further eight species on the instrument’s Annex.")
    saker = ("The proposal to list the saker falcon on Appendix I was eventually withdrawn, but a resolution was "
             "adopted on the direction of future work.")
    assert answer("What happened to the saker falcon listing proposal?", saker) == (
        "The proposal to list the saker falcon on Appendix I was eventually withdrawn.")
    # a plan is not a decision, and a sentence that decides nothing answers nothing
    assert answer("What did COP14 decide about mining?", "COP14 is expected to adopt a decision on mining.") is None
    assert answer("What did COP14 decide about mining?", "Mining was discussed at length at COP14.") is None


def test_the_latest_is_the_newest_texts_opening_sentence_with_its_date() -> None:
    lede = ("BONN, 26 March 2025 – Brazil and the CMS Secretariat announced today that COP15 will be held in Campo "
            "Grande. The meeting will bring together governments.")
    assert answer("what's the latest on COP15 hosting?", lede, day=date(2025, 3, 26)) == (
        "26 March 2025: Brazil and the CMS Secretariat announced today that COP15 will be held in Campo Grande.")
    assert answer("what's the latest on COP15 hosting?", lede, day=None) is None  # undated: no "latest"


def test_a_covers_labelled_field_and_a_meeting_named_answer() -> None:
    cover = ("The Concerted Action for the Whale Shark was first adopted at the 12th Meeting of the Conference of the "
             "Parties (UNEP/CMS/COP12/Concerted Action 12.7). (i). Proponent: Government of the Philippines (ii).")
    assert answer("Who proposed the Concerted Action for the Whale Shark, and at which COP was it first adopted?",
                  cover) == "Government of the Philippines; 12th Meeting of the Conference of the Parties."
    assert parse_question("at which COP was it first adopted?", MEETINGS).asked_noun == "cop"
    # a field whose label is not what is asked answers nothing
    assert answer("Who proposed the Concerted Action?", "Concerted Action 12.7. Species: Rhincodon typus (ii).") is None
    # the meeting the question names is not its answer
    assert answer("At which COP was COP12's action revised?", "The action of COP12 was revised.") is None
    # … however the sentence spells it ("CMS COP 11" for the question's COP11)
    assert answer("Which meeting was held on 2 November at COP11?",
                  "The CMS COP 11 will take place from 4-9 November 2014. The 42nd Standing Committee will take"
                  " place 2-3 November.") is None


def test_who_never_answers_with_the_person_the_question_names() -> None:
    text = "The exhibition was opened by CMS Executive Secretary Bradnee Chambers."
    assert answer("Who was the Executive Secretary who opened the exhibition before Bradnee Chambers?", text) is None
    assert answer("Who opened the exhibition?", text) == "CMS Executive Secretary, Bradnee Chambers."


def test_a_plan_among_a_statements_topics_or_a_polite_formula_is_no_hedge() -> None:
    assert answer("how many resolutions did cop11 adopt",
                  "During the week, COP11 adopted 35 resolutions addressing issues such as: work towards a listing "
                  "proposal to be presented at COP12; the Strategic Plan.") == "35 resolutions."
    assert answer("What was the deadline for National Reports for COP14?",
                  "We would like to remind Parties of the deadlines for COP14: - National Reports – 26 April 2023 - "
                  "Proposals to amend CMS appendices – 26 May 2023") == "26 April 2023."
    assert answer("how many resolutions did cop11 adopt", "COP11 will adopt 35 resolutions.") is None


def test_which_n_things_and_which_role_holder() -> None:
    listed = ("The Urial sheep, smooth hammerhead shark, and the tope shark were listed for protection under "
              "Appendix II.")
    assert answer("Which three species were listed on Appendix II at CMS COP13?", listed) == (
        "The Urial sheep, smooth hammerhead shark, and the tope shark.")
    president = ("As the President of Uzbekistan Shavkat Mirziyoyev noted in his address at the opening of the "
                 "conference, efforts are being made.")
    assert answer("Which President of Uzbekistan addressed the opening of the Samarkand COP?", president) == (
        "President of Uzbekistan, Shavkat Mirziyoyev.")


def test_one_reference_of_several_when_the_questions_word_labels_it() -> None:
    text = ("Reports were submitted together with a proposal for extension (UNEP/CMS/COP13/Doc.28.1.7.a) and "
            "revision (UNEP/CMS/COP13/Doc.28.1.7/Add.2), which was approved.")
    assert answer("What is the document number of the revision proposal submitted to COP13?", text) == (
        "UNEP/CMS/COP13/Doc.28.1.7/Add.2")
    assert answer("What is the document number of the proposal submitted to COP13?", text) is None


def test_since_when_asks_for_a_beginning() -> None:
    assert answer("since when has uzbekistan been a party to the convention?",
                  "Uzbekistan ratified the Convention in 1998 and is home to many migratory animals.") == "In 1998."
    assert answer("since when has uzbekistan been a party to the convention?",
                  "Uzbekistan and the Convention agreed to hold COP14 on October 23-28 this year.") is None


def test_who_asked_for_a_role_is_the_person_in_that_role() -> None:
    text = ("CMS Executive Secretary Amy Fraenkel announced it after consultations with the Chairs of the Standing "
            "Committee and Scientific Council.")
    assert answer("who chairs the cms scientific council at the moment?", text) is None
    assert answer("who announced it after consultations with the Scientific Council?", text) == (
        "CMS Executive Secretary, Amy Fraenkel.")


def test_how_many_of_two_nouns_is_a_count_of_each() -> None:
    text = "The meeting adopted 17 resolutions and five recommendations."
    assert answer("how many resolutions and recommendations did the meeting adopt?", text) == (
        "17 resolutions; five recommendations.")
    assert answer("how many shark and ray species were listed?", "The COP listed 21 shark and ray species.") == (
        "21 shark and ray species.")


def test_idioms_and_keyword_questions_read_as_the_texts_words() -> None:
    assert answer("how many parties took part in cop11?",
                  "COP11 brought together hundreds of participants from more than 60 Parties.") == "More than 60 Parties."
    assert parse_question("cop14 deadline for documents without a scientific component?", MEETINGS).qtype == "when"
    assert "list" in parse_question("which bird was put on appendix II?", MEETINGS).plain_terms


def test_which_role_holder_must_hold_that_role() -> None:
    text = ("Prime Minister Modi will inaugurate the COP. \"India will host COP13,\" said Union Minister Javadekar in "
            "a press conference.")
    assert answer("Which Union Minister told the press India would host COP13?", text) == "Union Minister, Javadekar."


def test_a_speakers_role_cut_off_with_the_page_is_left_out() -> None:
    cut = "\"The Conference has been a real game changer for the Convention\", said Bradnee Chambers, E"
    assert answer("Who called the Conference 'a real game changer for the Convention'?", cut) == "Bradnee Chambers."


def test_a_scientific_name_is_the_binomial_after_the_species_named() -> None:
    text = ("With reference to the proposal for the inclusion of the semipalmated sandpiper (Calidris pusilla) in CMS "
            "Appendix I and the polar bear (Ursus maritimus) in Appendix II.")
    assert answer("whats the scientific name of the semipalmated sandpiper?", text) == "Calidris pusilla."
    assert answer("what is the scientific name of the polar bear?", text) == "Ursus maritimus."
    assert answer("what is the scientific name of the whale shark?", text) is None
    assert answer("what is the scientific name of the polar bear?",
                  "The sandpiper (Calidris pusilla) and the polar bear (Ursus maritimus) were proposed by Ecuador "
                  "and Norway, respectively.") == "Ursus maritimus."


def test_a_second_part_asking_yes_or_no_leaves_no_half_answer() -> None:
    text = "The COP was preceded by the Standing Committee meeting on 19 November 2011."
    assert answer("when did the standing committee meet before it opened, and was there some meeting for donors?",
                  text) is None
    assert answer("when did the standing committee meet before it opened?", text) == "19 November 2011."


def test_which_member_of_a_kind_a_sentence_names_by_its_modifiers() -> None:
    listed = ("Among the agreements, delegates agreed to list under Appendix I: the saker falcon (Falco cherrug),"
              " the red-footed falcon (Falco vespertinus) and the far eastern curlew.")
    # a leading clause does not hide the question; the member the question names is not its answer
    assert answer("Besides the saker falcon, which other falcon was listed on Appendix I at COP10?", listed) \
        == "Red-footed falcon (Falco vespertinus)."
    assert answer("which manatee got listed on appendix I at the rome cop?",
                  "It listed 11 species on Appendix I, including three dolphin species and the West African"
                  " manatee, as well as the cheetah.") == "West African manatee."
    # the asked phrase's own modifier must be the member's ("which whale population")
    assert answer("Apart from sharks and rays, which whale population was added to the Appendices at COP11?",
                  "The Mediterranean population of Cuvier's beaked whales (Ziphius cavirostris) and the polar bear"
                  " were added to the Appendices.") == "Mediterranean population of Cuvier's beaked whales (Ziphius cavirostris)."
    assert answer("which population was added to the Appendices at COP11?",
                  "The Mediterranean population of the whales and the Baltic population of the porpoise were"
                  " added to the Appendices.") is None  # two: no answer
    assert answer("which falcon was listed on Appendix I?", listed) is None  # saker and red-footed
    assert answer("which report was launched at COP14?", "Today’s report was launched at COP14 in Samarkand.") is None
    assert answer("which convention protects giraffes?",
                  "Giraffes, which are not safeguarded by any convention, will be considered.") is None


def test_kind_of_number_of_and_a_body_s_numbered_meeting() -> None:
    # "what kind of X": X is the noun asked
    assert answer("what kind of mechanism does the Convention now have?",
                  "Thanks to all, the Convention now has a compliance review mechanism, said the Executive Secretary.") \
        == "Compliance review mechanism."
    # "the number of the resolution on …": a reference is asked
    assert parse_question("What's the number of the CMS resolution on bycatch?", MEETINGS).qtype == "reference"
    assert answer("What's the number of the CMS resolution on bycatch?", "Resolution 12.22 Bycatch") == "Resolution 12.22"
    # a body's own numbered meeting answers "at which meeting"
    assert answer("At which meeting did the Standing Committee consider Range State consultation?",
                  "The Standing Committee considered, at its 52nd meeting, the issue of consultation of Range States.") \
        == "52nd meeting."


def test_which_countries_lists_every_country_acting_not_one_named_as_a_place() -> None:
    sentence = ("At a special event in Manila, Philippines, Germany, Monaco and the United Arab Emirates were recognized"
                " as Migratory Species Champions.")
    assert answer("which countries were recognized as champions?", sentence) == \
        "Germany, Monaco and the United Arab Emirates."
    # one country where several are asked: the sentence may not name them all
    assert answer("which countries were recognized as champions?",
                  "Germany was recognized as a Migratory Species Champion.") is None


def test_a_member_s_capitalised_name_is_read_whole_and_in_another_spelling() -> None:
    assert answer("which report was presented at COP14?",
                  "The first-ever State of the World’s Migratory Species report was presented at COP14.") == \
        "State of the World’s Migratory Species report."
    assert answer("which convention centre hosted COP12?",
                  "COP12 was held at the Philippine International Convention Center (PICC), Manila.") == \
        "Philippine International Convention Center."


def test_who_an_organisation_named_as_the_doer() -> None:
    assert answer("who made the video for the 25th anniversary?",
                  "To mark the 25th Anniversary, the Secretariat presents a new video, a production of the Cornell"
                  " Lab of Ornithology’s Center for Conservation Media.") == \
        "Cornell Lab of Ornithology’s Center for Conservation Media."
    assert answer("who organised the side event?", "The side event was organised by the Government of Brazil.") == \
        "Government of Brazil."
    # the question's verb must be the sentence's; two doers: no answer
    assert answer("who funded the side event?", "The side event was organised by the Government of Brazil.") is None
    assert answer("who organised the side event?",
                  "The side event was organised by the Government of Brazil and attended by the European Union.") is None
    # a role is no organisation: the person it names is the answer, or none
    assert answer("who headed the delegation?", "The delegation was headed by the Minister of Ecology,"
                  " Environment and Climate Change A. Abdukhakimov.") != "Minister of Ecology."


def test_reference_questions_in_french_spanish_and_portuguese() -> None:
    for question, noun in [("c'est quoi la cote du document sur l'État des espèces migratrices ?", "document"),
                           ("¿Qué signatura tiene el documento del Consejo Científico?", "document"),
                           ("quelle résolution porte sur les oiseaux ?", "resolution"),
                           ("qual decisão trata dos tubarões?", "decision")]:
        query = parse_question(question, MEETINGS)
        assert (query.qtype, query.asked_noun) == ("reference", noun), question
    # a symbol in UNEP's Spanish or French name is a document's symbol
    query = parse_question("¿Qué signatura tiene el documento del Consejo Científico con la propuesta para el tiburón"
                           " martillo?", MEETINGS)
    passage = Passage(id="t#p1", source="t.md", kind="cop_document", title="", document_title="", date=None,
                      locator="cover page", position=0, lang="es",
                      text="PNUMA/CMS/ScC18/Doc.7.2.16 Propuesta del Consejo Científico para la inclusión del tiburón martillo.")
    weights = {t: 1.0 for t in query.content_terms}
    assert direct_answer(query, passage, weights, parts=parse_parts(query, MEETINGS)) == "PNUMA/CMS/ScC18/Doc.7.2.16"


def test_a_count_qualified_otherwise_than_the_question_counts_other_things() -> None:
    added = "In addition, 5 bird species, 2 terrestrial mammals and 2 aquatic mammals were added to the Appendices."
    assert answer("how many land mammals got added to the appendices?", added) is None
    assert answer("how many aquatic mammals were added to the appendices?", added) == "2 aquatic mammals."
    assert answer("how many bird species were added to the appendices?", added) == "5 bird species."
