"""Direct answers: the fact a when/where/who/how-many question asks for, taken from the cited
sentence (or the meetings table) — never made up. No extractable fact, no direct answer."""

from __future__ import annotations

import functools
import re
from datetime import date

from bot.answer.compose import WHOLE_PASSAGE_CHARS, Unit, unit_tokens
from bot.ingest.cop_document import SYMBOL
from bot.cms.dates import find_dates
from bot.model import MONTHS, Meeting, Passage, format_date
from bot.search.analyzer import analyze, analyze_with_spans
from bot.question.query import SYNONYMS, Query

_MONTH_NAMES = "|".join(MONTHS)
_DAY_MONTH = re.compile(rf"\b(?:(?:the\s+)?(?:evening|morning|afternoon|night)\s+of\s+)?\d{{1,2}}\s+(?:{_MONTH_NAMES})\b(?!\s+\d{{4}})")
_YEAR_PHRASE = re.compile(r"\b(?:in|since|from|during)\s+((?:early|mid|late)[\s-])?(?:19|20)\d{2}\b")
_RELATIVE_PHRASE = re.compile(
    r"\b(?:on\s+)?the\s+eve\s+of\s+[^,.;]+|\b(?:before|after|during|since|ahead\s+of)\s+(?:the\s+)?COP\s?\d+\b"
    r"|\b(?:before|after|during)\s+the\s+(?:opening|start|end|close)\s+of\s+[^,.;]+",
    re.IGNORECASE,
)
_TODAY = re.compile(r"\b(?:today|this\s+morning|this\s+evening|tonight)\b", re.IGNORECASE)

_NUMBER_WORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|a\s+hundred|hundreds|hundred|a\s+dozen|dozen"
    r"|thousands|millions|billions)\b"
)
_NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{_NUMBER_WORD})(?:\s+(?:million|billion|thousand|hundred))?"
_QUALIFIER = r"(?:(?:more\s+than|less\s+than|fewer\s+than|over|under|close\s+to|about|around|nearly|almost|some|only|at\s+least|up\s+to|approximately|roughly)\s+)?"
_COUNT = re.compile(
    rf"\b{_QUALIFIER}{_NUMBER}(?:\s*(?:to|and|-|–)\s*{_NUMBER})?(?:\s*(?:per\s+cent|percent|%))?"
    r"(?P<noun>(?:\s+(?!(?:of|in|to|and|by|for|on|at|from|with|that|which|the|a|an|is|are|was|were|have|has)\b)[A-Za-z][\w’'-]*){0,3})",
    re.IGNORECASE,
)
_AGE = re.compile(r"\b(?P<n>\d+|" + _NUMBER_WORD + r")[\s-]years?(?:[\s-]old)?(?:\s+ago)?\b|\b(?P<n2>\d+)[\s-]year[\s-]history\b", re.IGNORECASE)
_YEARLIKE = re.compile(r"^(?:19|20)\d{2}$")

_NAME_WORD = r"(?:[A-Z][a-z’'-]+|[A-Z]\.)"
_NAME = rf"(?:H\.E\.\s+|Dr\.?\s+|Mr\.?\s+|Ms\.?\s+|Prof\.?\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}}"
_NAME_FIRST = re.compile(rf"^(?P<name>{_NAME}),\s+(?P<role>[^:\n]+?)(?:,?\s+(?:said|says|stated|added|noted)\s*:|\s*$)")
_WHO_IS = re.compile(rf"^\W*(?i:who)\s+(?i:is|was|are|were)\s+(?P<name>{_NAME})\W*$")
_ROLE_THEN_NAME = re.compile(rf"(?P<role>(?:[A-Z][\w-]*\s+){{0,3}}[A-Z][\w-]*),\s+(?P<name>{_NAME})(?P<tail>,\s+[^,.;]+)?")


def meeting_answer(query: Query, meeting: Meeting, today: date) -> str:
    """From meetings.yaml: when/where a COP was (or is to be) held."""
    ended = meeting.end < today
    lowered = query.text.lower()
    place = f"{meeting.city}, {meeting.country}"
    if re.search(r"\b(?:open|opened|opening|start|started|starts|begin|began|begins|kick)", lowered):
        verb = "opened" if ended else "opens"
        return f"{meeting.code} {verb} on {format_date(meeting.start)} in {place}."
    if re.search(r"\b(?:end|ended|ends|close|closed|closes|finish|finished|conclude)", lowered):
        verb = "closed" if ended else "closes"
        return f"{meeting.code} {verb} on {format_date(meeting.end)} in {place}."
    when = _range_words(meeting)
    if ended:
        return f"{meeting.code} took place in {place}, {when}."
    return f"{meeting.code} is scheduled to take place in {place}, {when}."


def _range_words(meeting: Meeting) -> str:
    s, e = meeting.start, meeting.end
    if s.year == e.year and s.month == e.month:
        return f"from {s.day} to {e.day} {MONTHS[e.month - 1]} {e.year}"
    return f"from {format_date(s)} to {format_date(e)}"


def matched_weight(weights: dict[str, float], tokens: frozenset[str]) -> float:
    """The weight of the question's words found among ``tokens``, a synonym counting for its word."""
    return sum(w for t, w in weights.items() if t in tokens or any(s in tokens for s in SYNONYMS.get(t, ())))


def _best_unit(passage: Passage, weights: dict[str, float]) -> tuple[str, float]:
    """The passage's best-matching sentence and the share of the question's weight it covers."""
    total = sum(weights.values()) or 1.0
    best, best_score = "", -1.0
    for unit, tokens in unit_tokens(passage.text):
        score = matched_weight(weights, tokens)
        if score > best_score:
            best, best_score = passage.text[unit.start:unit.end], score
    return best, best_score / total


def _term_positions(sentence: str, weights: dict[str, float]) -> list[int]:
    return [(s + e) // 2 for t, s, e in analyze_with_spans(sentence) if t in weights]


def _nearest(matches: list[re.Match[str]], positions: list[int]) -> re.Match[str]:
    if not positions:
        return matches[0]
    return min(matches, key=lambda m: min(abs((m.start() + m.end()) // 2 - p) for p in positions))


def _closest(candidates: list[tuple[int, int, str]], sentence: str, weights: dict[str, float]) -> str:
    """The candidate nearest the question's words, rarer words counting more."""
    occurrences: dict[str, list[int]] = {}
    for t, s, e in analyze_with_spans(sentence):
        if t in weights:
            occurrences.setdefault(t, []).append((s + e) // 2)

    def distance(c: tuple[int, int, str]) -> float:
        middle = (c[0] + c[1]) / 2
        return sum(weights[t] * min(abs(middle - p) for p in ps) for t, ps in occurrences.items())

    return min(candidates, key=lambda c: (distance(c), c[0]))[2]


_DATELINE = re.compile(r"^\W*[A-Z][\w .’'-]{1,40},\s+")
#: Time words relative to when the text was written: its dateline is then not the event's date.
_SHIFTED = re.compile(r"\b(?:tomorrow|yesterday|next\s+(?:week|month|year)|last\s+(?:week|month|year)|"
                      r"(?:this|next)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b", re.IGNORECASE)


def _when(sentence: str, passage: Passage, weights: dict[str, float]) -> str | None:
    taken: list[tuple[int, int]] = []
    candidates: list[tuple[int, int, str]] = []
    shifted = _SHIFTED.search(sentence) is not None
    for f in find_dates(sentence):
        taken.append((f.start, f.end))
        # "Bonn, 22 October 2014 - Tomorrow is …": the dateline dates the text, not the event.
        if not (shifted and _DATELINE.fullmatch(sentence[: f.start])):
            candidates.append((f.start, f.end, f.text))
    for pattern in (_DAY_MONTH, _YEAR_PHRASE, _RELATIVE_PHRASE):
        for m in pattern.finditer(sentence):
            if not any(m.start() < e and s < m.end() for s, e in taken):
                taken.append(m.span())
                candidates.append((m.start(), m.end(), m.group(0)))
    if candidates:
        phrase = _closest(candidates, sentence, weights).strip()
        return phrase[0].upper() + phrase[1:] + "."
    if _TODAY.search(sentence) and passage.date is not None:
        return f"{format_date(passage.date)}."
    return None


def _where(sentence: str, weights: dict[str, float]) -> str | None:
    found = list(re.finditer(r"\b(?:in|at)\s+(?P<place>[A-Z][\w’'-]+(?:,?\s+[A-Z][\w’'-]+){0,3})", sentence))
    if not found:
        return None
    place = _nearest(found, _term_positions(sentence, weights)).group("place")
    return place + "."


def _who(sentence: str, passage: Passage, query: Query) -> str | None:
    asked = _WHO_IS.match(query.text.strip())
    asked_names = [asked.group("name")] if asked else []
    for line in passage.text.split("\n"):
        m = _NAME_FIRST.match(line.strip())
        if m and (not asked_names or any(n in m.group("name") for n in asked_names)):
            return f"{m.group('name')}, {m.group('role')}."
    for m in _ROLE_THEN_NAME.finditer(sentence):
        if asked_names and not any(n in m.group("name") for n in asked_names):
            continue
        return f"{m.group('role')}, {m.group('name')}{m.group('tail') or ''}."
    return None


#: A count of these counts the animals the question names when that sentence or the one before
#: names them ("… the snow leopard … with only 2,700 to 3,300 individuals …").
_GENERIC_COUNTED = frozenset(analyze("individuals animals specimens"))


def _counted(query: Query) -> frozenset[str]:
    """What a how-many question counts: the word after "how many" (with its synonyms), else
    the question's content words."""
    if not query.counted_terms:
        return frozenset(query.content_terms)
    return frozenset(query.counted_terms).union(*(SYNONYMS.get(t, ()) for t in query.counted_terms))


_HOW_MUCH = re.compile(r"\bhow\s+much\b", re.IGNORECASE)
_PERCENT = re.compile(rf"\b{_QUALIFIER}{_NUMBER}\s*(?:per\s+cent|percent|%)", re.IGNORECASE)


def _share_phrase(sentence: str, counted: frozenset[str]) -> str | None:
    """"By how much …?": the first percentage whose last ten words before it name what is asked
    about ("the number of page views by 10 per cent")."""
    for m in _PERCENT.finditer(sentence):
        before = [t for t, _, _ in analyze_with_spans(sentence[: m.start()])][-10:]
        if counted & set(before):
            return m.group(0).strip() + "."
    return None


def _count_phrase(sentence: str, counted: frozenset[str], generic: bool) -> str | None:
    """The first count in ``sentence`` whose noun is what is counted, up to that noun (and the
    plural nouns right after it: "more than 100 media outlets")."""
    for m in _COUNT.finditer(sentence):
        first = m.group(0).split()[0].strip(",.")
        if _YEARLIKE.match(first) or re.match(r"^\d+\.\d+$", m.group(0).strip()):
            continue
        noun = m.group("noun") or ""
        ends = [e for t, s, e in analyze_with_spans(noun) if t in counted or (generic and t in _GENERIC_COUNTED)]
        if ends:
            end = max(ends)
            while (more := re.match(r"\s+[A-Za-z][\w'-]*s\b", noun[end:])) is not None:
                end += more.end()
            return m.group(0)[: m.start("noun") - m.start() + end].strip(" ,.") + "."
    return None


@functools.lru_cache(maxsize=8192)
def counts(text: str, counted: frozenset[str]) -> bool:
    """Whether a text states a count of ``counted`` ("133 Parties"), sentence by sentence (a count
    of "individuals" counts too when that sentence or the one before names ``counted``)."""
    units = unit_tokens(text)
    return any(_count_phrase(text[unit.start:unit.end], counted, generic=_named_near(units, i, counted))
               for i, (unit, _) in enumerate(units))


def _named_near(units: tuple[tuple[Unit, frozenset[str]], ...], i: int, counted: frozenset[str]) -> bool:
    return bool(counted & units[i][1]) or (i > 0 and bool(counted & units[i - 1][1]))


def _how_many(passage: Passage, query: Query, weights: dict[str, float], min_cover: float,
              quote: str | None) -> str | None:
    """The count the question asks for, from a sentence that covers enough of the question (alone,
    or with the passage's best sentence next to it) and that the reader sees quoted."""
    units = unit_tokens(passage.text)
    if not units:
        return None
    total = sum(weights.values()) or 1.0
    scores = [matched_weight(weights, tokens) / total for _, tokens in units]
    best = max(range(len(units)), key=lambda i: (scores[i], -i))
    counted = _counted(query)
    found: list[tuple[float, int, str]] = []
    for i, (unit, tokens) in enumerate(units):
        cover = scores[i]
        if abs(i - best) == 1:
            cover = max(cover, matched_weight(weights, tokens | units[best][1]) / total)
        if cover < min_cover:
            continue
        named_near = _named_near(units, i, counted)
        sentence = passage.text[unit.start:unit.end]
        if _HOW_MUCH.search(query.text):
            phrase = _share_phrase(sentence, counted)
        else:
            phrase = _count_phrase(sentence, counted, generic=named_near)
        if phrase and (quote is None or phrase[:-1] in " ".join(quote.split())):
            found.append((scores[i], -abs(i - best), phrase))  # the neighbour's bonus only admits it
    if not found:
        return None
    phrase = max(found)[2]
    return phrase[0].upper() + phrase[1:]


@functools.lru_cache(maxsize=8192)
def has_count(text: str) -> bool:
    """Whether a text states a count (a number that is not a year or a date)."""
    for m in _COUNT.finditer(text):
        first = m.group(0).split()[0].strip(",.")
        if _YEARLIKE.match(first) or re.match(r"^\d+\.\d+$", first):
            continue
        if not find_dates(text[max(0, m.start() - 3): m.end() + 12]):
            return True
    return False


def has_time(text: str) -> bool:
    """Whether a text says when: a date, a day and month, a year phrase, "before COP14", "today"."""
    return bool(find_dates(text) or _DAY_MONTH.search(text) or _YEAR_PHRASE.search(text)
                or _RELATIVE_PHRASE.search(text) or _TODAY.search(text))


@functools.lru_cache(maxsize=8192)
def _timed_sentences(text: str) -> tuple[bool, tuple[frozenset[str], ...]]:
    """Whether a passage says when anywhere, and the token sets of its sentences that do
    (cached: the same passages are ranked for question after question)."""
    if not has_time(text):
        return False, ()
    return True, tuple(tokens for unit, tokens in unit_tokens(text) if has_time(text[unit.start:unit.end]))


def says_when(text: str, words: frozenset[str]) -> float:
    """How well a passage can answer "when …?" about ``words``: 1.0 when one of its sentences has
    one of the words and a time, 0.8 when it has a time elsewhere, 0.5 when it has none."""
    timed, sentences = _timed_sentences(text)
    if not timed:
        return 0.5
    return 1.0 if any(tokens & words for tokens in sentences) else 0.8


def corroborates(passage: Passage, meeting: Meeting, words: frozenset[str]) -> int:
    """How plainly a passage backs a meeting's dates for "when did COPn <word>?": 2 when a sentence
    with one of ``words`` names the meeting's first or last day, 1 when such a sentence says
    "today" in a passage dated that day, else 0."""
    days = {meeting.start, meeting.end}
    best = 0
    for unit, tokens in unit_tokens(passage.text):
        if not tokens & words:
            continue
        sentence = passage.text[unit.start:unit.end]
        if any(f.span.start == f.span.end and f.span.start in days for f in find_dates(sentence)):
            return 2
        if passage.date in days and _TODAY.search(sentence):
            best = 1
    return best


def has_age(text: str) -> bool:
    """Whether a text says how old something is ("18 years ago", "a 35-year history")."""
    return _AGE.search(text) is not None


def _how_old(sentence: str) -> str | None:
    """"18 years ago", "35 years" (from "the Convention's 35-year history")."""
    m = _AGE.search(sentence)
    if not m:
        return None
    n = m.group("n") or m.group("n2")
    return f"{n} year{'' if n in {'1', 'one'} else 's'}{' ago' if m.group(0).lower().endswith('ago') else ''}."


_WHICH_REFERENCE = re.compile(
    r"^\W*(?:(?:under|in|at|from|by|for|on|to|with|of)\s+)?(?:which|what)\s+"
    r"(?P<noun>resolution|decision|document|agenda\s+item)s?\b", re.IGNORECASE)
_REFERENCES = {
    "resolution": re.compile(r"\bResolution\s+\d+\.\d+(?:/Annex\s*\d+)?(?:\s*\(Rev\.\s*COP\d+\))?"),
    "decision": re.compile(r"\bDecision\s+\d+\.(?:\d+|[A-Z]{1,3})\b"),
    "document": SYMBOL,
    "agenda item": re.compile(r"\bAgenda\s+Item\s+\d+(?:\.\d+)*", re.IGNORECASE),
}


_NAMED_ASKED = re.compile(
    r"^\W*(?:what|which)(?:'s|s|\s+is|\s+was|\s+are|\s+were)?\s+(?:the\s+|its\s+)?(?:[\w./-]+\s+){0,2}?"
    r"(?P<noun>slogan|theme|motto|tagline|title)\b", re.IGNORECASE)


def _quoted_name(sentence: str, query: Query) -> str | None:
    """"What is the slogan/theme/motto/title …?": the quoted words right after that noun in the
    sentence ("under the slogan, “Nature Knows No Borders,”")."""
    asked = _NAMED_ASKED.match(query.text)
    if not asked:
        return None
    noun = asked.group("noun").lower()
    nouns = "slogan|motto|tagline" if noun in {"slogan", "motto", "tagline"} else noun
    m = re.search(rf"\b(?:{nouns})s?\b[^\"“”.;]{{0,30}}[\"“](?P<name>[^\"“”]{{3,200}}?)[,.]?[\"”]", sentence,
                  re.IGNORECASE)
    return m.group("name").strip() + "." if m else None


def _document_title(query: Query, passage: Passage) -> str | None:
    """"What is the title of <symbol>?": the title its cover page prints."""
    asked = _NAMED_ASKED.match(query.text)
    title = passage.document_title
    if not (asked and asked.group("noun").lower() == "title" and _symbol_terms(query, passage)):
        return None
    if not title or title.lower() not in passage.text.lower():
        return None
    return f"{passage.symbol} is titled “{title}”."


_WHICH_NOUN = re.compile(
    r"^\W*(?:(?:under|in|at|from|by|for|on|to|with|of)\s+)?(?:which|what)\s+(?P<noun>[A-Za-z]{3,})\b", re.IGNORECASE)
#: Kinds of thing whose names end with the kind ("… Unit", "… Initiative"): for these, such a
#: name answers "which <kind>?". Not "species" or "countries": "… Migratory Species" is a title.
_NAMED_KINDS = frozenset("""unit initiative programme program organisation organization agreement partnership
    campaign project plan framework network fund society committee secretariat office agency alliance
    council panel award day week conference convention memorandum centre center""".split())


def _proper_name(sentence: str, query: Query, weights: dict[str, float]) -> str | None:
    """"Which unit/initiative/programme …?": the capitalised name in the sentence that ends with
    that word ("the Joint CMS/AEWA … Awareness-raising Unit (IMCA)"), nearest the question's words."""
    asked = _WHICH_NOUN.match(query.text)
    if not asked or asked.group("noun").lower() not in _NAMED_KINDS:
        return None
    noun = asked.group("noun").capitalize()
    word = r"[A-Z][\w/&’'-]*"
    name = re.compile(rf"\b{word}(?:,?\s+(?:(?:of|and|for|the|on|to|in)\s+)?{word})*?\s+{noun}s?\b(?:\s+\([A-Z]{{2,}}\))?")
    found = [(m.start(), m.end(), re.sub(r"^(?:The|A|An)\s+", "", m.group(0))) for m in name.finditer(sentence)]
    return _closest(found, sentence, weights) + "." if found else None


def _which_reference(sentence: str, query: Query, weights: dict[str, float]) -> str | None:
    """"Which resolution/decision/document …?": the reference the best sentence names."""
    m = _WHICH_REFERENCE.match(query.text)
    if not m:
        return None
    noun = " ".join(m.group("noun").lower().split())
    found = [(r.start(), r.end(), r.group(0)) for r in _REFERENCES[noun].finditer(sentence)
             if r.group(0).lower() not in query.text.lower()]
    return _closest(found, sentence, weights) if found else None  # no full stop: it would read as part of a symbol


#: Words of a question that only asks for a document's date ("When was Doc.19 issued?").
_DOCUMENT_DATE_WORDS = frozenset(analyze("issued dated published released date circulated prepared"))


def _symbol_terms(query: Query, passage: Passage) -> frozenset[str]:
    """The tokens of the passage's document symbol when the question names that document by it,
    else nothing."""
    if not (query.exact_terms and passage.symbol):
        return frozenset()
    own = frozenset(analyze(passage.symbol))
    return own if set(query.exact_terms) <= own else frozenset()


def _document_date(query: Query, passage: Passage) -> str | None:
    """"When was <symbol> issued?": the date its cover page prints, for the document named by symbol."""
    own = _symbol_terms(query, passage)
    if not own or passage.date is None or not set(query.content_terms) - own <= _DOCUMENT_DATE_WORDS:
        return None
    printed = format_date(passage.date)
    return f"{passage.symbol} is dated {printed}." if printed in passage.text else None


def _plain_words_in(query: Query, tokens: frozenset[str]) -> bool:
    """Whether every content word the question writes in lower case (its verbs and common nouns,
    not the words of a name, which texts vary) is in ``tokens``, a synonym counting."""
    plain = {t for word in re.findall(r"\b[a-z][\w'-]*", query.text) for t in analyze(word)}
    return all(t in tokens or any(s in tokens for s in SYNONYMS.get(t, ()))
               for t in query.content_terms if t in plain)


def direct_answer(query: Query, passage: Passage, weights: dict[str, float], min_cover: float = 0.5,
                  quote: str | None = None) -> str | None:
    """The fact for when/where/who/how-many (and which-resolution/document/agenda item) questions,
    or None. ``quote``, when given, is what the reader sees of the passage: a count must be in it."""
    if query.qtype not in {"when", "where", "who", "how_many", "how_old", "which", "what"}:
        return None
    if query.qtype == "how_many":
        return _how_many(passage, query, weights, min_cover, quote)
    if query.qtype == "when" and (dated := _document_date(query, passage)):
        return dated
    if query.qtype in {"what", "which"} and (titled := _document_title(query, passage)):
        return titled
    if query.qtype == "who" and passage.locator.startswith("Decision ") and passage.context:
        if passage.context.startswith("Directed to"):
            return passage.context.split(" — ")[0] + "."
    sentence, cover = _best_unit(passage, weights)
    if len(passage.text) <= WHOLE_PASSAGE_CHARS:  # a short passage is read as one sentence
        tokens = frozenset(analyze(passage.text))
        cover = max(cover, matched_weight(weights, tokens) / (sum(weights.values()) or 1.0))
    if cover < min_cover or not sentence:
        return None
    if query.qtype in {"when", "where"}:
        # The event asked about must be the sentence's: "When/where was the … Initiative adopted?"
        # is not answered by "… Initiative has been presented on 6 November in Quito".
        read = tokens if len(passage.text) <= WHOLE_PASSAGE_CHARS else frozenset(analyze(sentence))
        if not _plain_words_in(query, read):
            return None
        return _when(sentence, passage, weights) if query.qtype == "when" else _where(sentence, weights)
    if query.qtype == "who":
        return _who(sentence, passage, query)
    if query.qtype == "how_old":
        age = _how_old(sentence)
        # "18 years ago" counts from the day the text was written: say which.
        return f"{age[:-1]} (as of {format_date(passage.date)})." if age and passage.date else age
    return (_quoted_name(sentence, query) or _which_reference(sentence, query, weights)
            or _proper_name(sentence, query, weights))
