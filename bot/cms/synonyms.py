"""Words CMS texts use for what people ask in other words ("listing" a species = adding it to the
Appendices; British and American spellings), as analyzed terms."""

from __future__ import annotations

from bot.cms.synonyms_intl import families
from bot.search.analyzer import analyze


def _synonym_table(groups: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Each term's family: every other term of every group holding it (a word in two groups — "made"
    in "make made" and "made produced" — has both)."""
    table: dict[str, tuple[str, ...]] = {}
    for group in groups:
        terms = tuple(dict.fromkeys(analyze(group)))
        for term in terms:
            table[term] = tuple(dict.fromkeys(table.get(term, ()) + tuple(t for t in terms if t != term)))
    return table


#: Forms of English irregular verbs that questions and reports use (present, past, participle).
IRREGULAR_VERBS: tuple[str, ...] = (
    "become became", "begin began begun", "bring brought", "choose chose chosen", "come came",
    "draw drew drawn", "give gave given", "go went gone", "grow grew grown", "hold held", "know knew known",
    "lead led", "make made", "meet met", "rise rose risen", "run ran", "say said", "see saw seen",
    "send sent", "speak spoke spoken", "take took taken", "tell told", "win won", "write wrote written",
    "fall fell fallen", "think thought", "seek sought", "teach taught", "buy bought",
)

#: British, American and the venues' own spellings of one word, as written (the regexes that look for
#: a word in a sentence use ``SPELLINGS``; the search uses their stems, in ``SYNONYMS``).
SPELLING_GROUPS: tuple[str, ...] = (
    "organisation organization",
    "centre center centro",  # venues keep their own language's name ("Centro de Convenciones Quorum")
    "programme program",
    "recognised recognized",
)
SPELLINGS: dict[str, tuple[str, ...]] = {
    word: tuple(w for w in group.split() if w != word) for group in SPELLING_GROUPS for word in group.split()}

#: Words CMS texts use for what people ask in other words: "listing" a species means adding it
#: to the Appendices; British and American spellings.
SYNONYMS: dict[str, tuple[str, ...]] = _synonym_table((
    "listing appendix appendices",
    *SPELLING_GROUPS,
    "analyse analyze analysis",
    "endorse adopt",
    "slogan motto tagline",
    "enter entry",  # "entered into force" = "entry into force"
    "delegate participant attendee representative people",  # who a meeting expects or brings together
    "postpone move reschedule",  # a meeting moved to new dates
    "propose proponent",  # "who proposed …?" — "Proponent: Government of the Philippines"
    "north northern northernmost", "south southern southernmost",  # "how far north" — "the northernmost records"
    "east eastern easternmost", "west western westernmost",
    "called known",  # "what is X called?" — "X, known as …"
    "made produced created production",  # "who made the video?" — "a video produced by …", "a production of …"
    # Irregular verbs, whose forms the stemmer leaves apart ("became" / "becoming", "held" / "hold"):
    # a question in one tense finds the text in another. (Not "found"/"left": other words too.)
    *IRREGULAR_VERBS,
    "donor funder",  # "a meeting for funders" — "a Donors Meeting"
    "quote say said",  # "who was quoted in it?" — "…, said Inger Andersen"
))
# French, Spanish and Portuguese word families, added beside English's.
for _term, _others in families().items():
    SYNONYMS[_term] = tuple(dict.fromkeys(SYNONYMS.get(_term, ()) + _others))
