"""Words CMS texts use for what people ask in other words ("listing" a species = adding it to the
Appendices; British and American spellings), as analyzed terms."""

from __future__ import annotations

from bot.search.analyzer import analyze


def _synonym_table(groups: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for group in groups:
        terms = tuple(dict.fromkeys(analyze(group)))
        for term in terms:
            table[term] = tuple(t for t in terms if t != term)
    return table


#: Words CMS texts use for what people ask in other words: "listing" a species means adding it
#: to the Appendices; British and American spellings.
SYNONYMS: dict[str, tuple[str, ...]] = _synonym_table((
    "listing appendix appendices",
    "organisation organization",
    "analyse analyze analysis",
    "centre center",
    "programme program",
    "recognised recognized",
    "endorse adopt",
    "slogan motto tagline",
    "enter entry",  # "entered into force" = "entry into force"
    "delegate participant attendee",  # who a meeting expects or brings together
    "postpone move reschedule",  # a meeting moved to new dates
))
