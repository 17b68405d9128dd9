"""A list of people cut into passages: "who were the press contacts?" over a contacts list, a panel,
a list of speakers — one name per paragraph ("Florian Keil, Coordinator …", then "Veronika Lenarz,
Public Information …"). A plural who-question whose cited passage is one entry of such a list is
shown the entries that follow it in its document, not the first name alone."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.model import Passage

#: A question asking for several people: "who were …", "who are …", "who will be …".
_PLURAL_WHO = re.compile(r"\bwho\s+(?:were|are|will\s+be|have\s+been)\b", re.IGNORECASE)
#: A label line over a list's entries ("At the UNEP/CMS Secretariat:").
_LABEL = re.compile(r"^[^\n.!?]{1,80}:\s*$")
#: An entry naming a person: an optional label line, a title, two to four capitalised words, a comma.
_ENTRY = re.compile(r"^(?:[^\n.!?]{1,80}:\s*\n+)?(?:(?:Mr|Ms|Mrs|Dr|Prof|H\.E)\.?\s+)?"
                    r"[A-Z][\w’'.-]+(?:\s+(?:de|da|van|von|del|la)?\s*[A-Z][\w’'.-]+){1,3},")
#: How many further entries are shown at most.
MAX_ENTRIES = 4


def asks_for_people(question: str) -> bool:
    return bool(_PLURAL_WHO.search(question))


def is_entry(passage: Passage) -> bool:
    """Whether the passage is one person's entry of a list ("Veronika Lenarz, Public Information, …")."""
    return bool(_ENTRY.match(passage.text))


def entries_after(passage: Passage, document: Sequence[Passage]) -> list[Passage]:
    """The entries that follow ``passage`` in its document (``document``: its passages in order),
    label lines skipped, up to the first passage that is neither."""
    at = next((k for k, p in enumerate(document) if p.id == passage.id), None)
    if at is None or not is_entry(passage):
        return []
    out: list[Passage] = []
    for p in document[at + 1:]:
        if _LABEL.match(p.text):
            continue
        if not is_entry(p) or len(out) >= MAX_ENTRIES:
            break
        out.append(p)
    return out
