"""Messages the engine's answer stage says, as catalogue msgids (``bot.text.i18n.translate`` shows them
in the reply's language). Fields in braces are filled by ``translate(MSG, lang, field=…)``.
"""

from __future__ import annotations

from bot.text.i18n import N_

NOT_FOUND = N_("I couldn't find that in the CMS texts I hold.")
NOT_FOUND_ABOUT = N_("I couldn't find that about {named} in the CMS texts I hold.")
NOT_FOUND_FOR = N_("I couldn't find that for {missing} in the CMS texts I hold.")
NOTHING_TO_LOOK_FOR = N_("I couldn't tell what to look for.")
UNKNOWN_MEETING = N_("I have no record of COP{number}; I know COP1 to COP{known}.")
NOTHING_ABOUT_YEAR = N_("I have nothing about {year}.")
SMALL_TALK = N_("Ask me about the CMS Conferences of the Parties, e.g. “When did COP14 open?”.")
COVERAGE = N_("I hold {documents} documents ({passages} passages) on {meetings}, dated {span}, "
              "and the dates and places of COP1–COP{known}.")
COVERAGE_SPAN = N_("{first} to {last}")
NO_MEETING = N_("no meeting")
NO_DATED_TEXTS = N_("no dated texts")
LOOKED_FOR = N_("I looked for: {terms}.")
#: A question in a language the bot doesn't speak (German…): said in English, naming the language.
UNSUPPORTED_LANGUAGE = N_("I don't understand {language} yet; ask me in English, French, Spanish or Portuguese.")
#: Nothing in the question's own language: the answer comes from English texts (said in the question's language).
FROM_ENGLISH = N_("I found nothing in {language}; here is what the English texts say.")
LANGUAGES_NOTE = N_("I understand English, French, Spanish and Portuguese.")
#: Each language's name, as the reply's language calls it ("{language}" above).
LANGUAGE_NAMES = {
    "en": N_("English"), "fr": N_("French"), "es": N_("Spanish"), "pt": N_("Portuguese"), "de": N_("German"),
}
#: The parts of "I looked for: …" (``Query.describe``), joined with "; ".
DESCRIBE_WORDS = N_("words: {words}")
DESCRIBE_MEETING = N_("meeting: {meeting}")
DESCRIBE_KIND = N_("kind: {kind}")
DESCRIBE_DATES = N_("dates: {dates}")
DESCRIBE_EXACT = N_("exactly: {terms}")
DESCRIBE_NEWEST = N_("newest first")
DESCRIBE_NOTHING = N_("nothing searchable in the question")

#: Direct answers from the meetings table (bot/answer/extract.py): a meeting's dates and place.
MEETING_OPENED = N_("{code} opened on {date} in {place}.")
MEETING_OPENS = N_("{code} opens on {date} in {place}.")
MEETING_CLOSED = N_("{code} closed on {date} in {place}.")
MEETING_CLOSES = N_("{code} closes on {date} in {place}.")
MEETING_HELD = N_("{code} took place in {place}, from {start} to {end}.")
MEETING_SCHEDULED = N_("{code} is scheduled to take place in {place}, from {start} to {end}.")

#: What a follow-up took from its conversation (``bot/question/context.py``), said under the answer.
CONTEXT_FROM_LAST = N_("{taken}, from your last question")
CONTEXT_SUBJECT = N_("its subject")
CONTEXT_SOURCE = N_("the same source")
CONTEXT_LAST_QUESTION = N_("your last question")
CONTEXT_QUESTION_FOR = N_("the question before, for {meetings}")
