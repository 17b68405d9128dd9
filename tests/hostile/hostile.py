"""Hypothesis strategies for hostile input: questions, front matter, file names, HTTP requests.

Shared by the property suite (tests/hostile/test_hostile_properties.py); each strategy mixes
CMS words the engine reacts to with the characters and shapes that break parsers.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

#: Words that steer the question parser, the meeting resolver, Discord and Markdown.
TRIGGERS = [
    "When", "did", "COP14", "COP 11", "CoP-14", "open", "Samarkand", "Quito", "Bonn", "eleventh", "14th",
    "press release", "Resolution 11.33", "UNEP/CMS/COP14/Doc.19", "para. 4", "who", "where", "how many",
    "between 2014 and 2024", "12 February 2024", "last week", "yesterday", "@everyone", "@here", "<@123>",
    "<#456>", "```", "**", "||spoiler||", "http://", "javascript:", "<script>", "${jndi:x}", "%s%n", "\\",
    "'", '"', "--", ";", "COP³", "²⁰", "١٤", "𝟏𝟒", "∞", "NaN", "-0", "9" * 30, "\u202e", "\u200b", "\ufeff",
    "\x00", "\x1b[31m", "\r", "\t", "\u2028", "\ud800", "\udcff", "🦅", "🏳️‍🌈", "Ω", "ǅ", "ﬁ", "İ", "ß",
]

#: Any code point but surrogates, and any code point, a lone surrogate now and then (st.text() never
#: makes those; JSON escapes, non-UTF-8 file names and argv do).
CHAR = st.characters(codec="utf-8")
ANY_CHAR = st.one_of(CHAR, CHAR, CHAR, st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, categories=["Cs"]))


@st.composite
def questions(draw: st.DrawFn) -> str:
    """A question a clumsy user or an attacker might type."""
    parts = draw(st.lists(st.one_of(st.sampled_from(TRIGGERS), st.text(ANY_CHAR, max_size=20)), max_size=12))
    text = " ".join(parts)
    if draw(st.booleans()):
        text = text * draw(st.integers(1, 200))
    return text


def scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(), st.booleans(), st.integers(-(10**30), 10**30),
        st.floats(allow_nan=True, allow_infinity=True), st.text(CHAR, max_size=40),
        st.sampled_from(TRIGGERS).filter(lambda s: "\ud800" not in s and "\udcff" not in s),
        st.dates(), st.datetimes(), st.binary(max_size=20),
    )


def yaml_values() -> st.SearchStrategy[Any]:
    return st.recursive(scalars(), lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=8)


FIELDS = ["title", "kind", "date", "url", "meeting", "symbol", "place", "subtitle", "agenda_item"]


def front_matter() -> st.SearchStrategy[dict[str, Any]]:
    """A mapping of known (and unknown) front-matter fields to any YAML value."""
    valid_ish = {
        "kind": st.sampled_from(["press_release", "news_listing", "cop_document", "tweet", ""]),
        "date": st.one_of(st.dates(), st.sampled_from(["2024-02-12", "12 February 2024", "2024-13-45", "soon"])),
        "meeting": st.one_of(st.integers(-5, 30), st.sampled_from(["COP14", "14", "³", "Atlantis", "Samarkand"])),
    }
    keys = st.one_of(st.sampled_from(FIELDS), st.text(min_size=1, max_size=10))
    return st.dictionaries(keys, yaml_values(), max_size=6).flatmap(
        lambda base: st.fixed_dictionaries({}, optional={k: st.one_of(v, yaml_values()) for k, v in valid_ish.items()})
        .map(lambda extra: {**base, **extra}))


def raw_front_matter() -> st.SearchStrategy[str]:
    """Front-matter text that need not be valid YAML at all."""
    return st.one_of(
        st.text(CHAR, max_size=200),
        st.sampled_from([
            "title: [unclosed", "title: {a: b", "- a list\n- not a mapping", "!!python/object:os.system ls",
            "title: &a [x]\nsubtitle: *a", "? complex\n: key", "title: 'x'\ntitle: 'y'", "\t\ttabs: here",
            "date: 2024-02-30", "date: 99999-01-01", "meeting: .nan", "meeting: 0x0E", "kind: !!binary aGk=",
        ]),
    )


#: Path segment bytes: anything but "/" and NUL (what a POSIX file system holds).
_NAME_BYTES = st.binary(min_size=1, max_size=60).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_"))


def file_names() -> st.SearchStrategy[bytes]:
    """A corpus file name as bytes: not UTF-8, spaces, newlines, dashes, dots, odd suffixes."""
    suffix = st.sampled_from([b".md", b".txt", b".html", b".htm", b".MD", b".md.bak", b"", b".pdf", b".yaml"])
    stem = st.one_of(_NAME_BYTES, st.text(st.characters(codec="utf-8", exclude_characters="/\0"),
                                          min_size=1, max_size=30).map(lambda t: t.encode("utf-8")))
    return st.tuples(stem, suffix).map(lambda t: (t[0] + t[1])[:200]).filter(lambda n: n not in (b".", b".."))


def percent(text: str) -> str:
    """``text`` percent-encoded as UTF-8 (a lone surrogate as its 3 encoded bytes, as a sloppy client would)."""
    from urllib.parse import quote

    return quote(text.encode("utf-8", "surrogatepass"), safe="")


PARAMS = ["q", "meeting", "kind", "limit", "offset", "from", "to", "id"]
PATHS = ["/ask", "/search", "/source", "/latest", "/health", "/", "/ask/", "/ASK", "/%2e%2e/etc/passwd",
         "/ask%00", "/source/../health", "//ask"]
METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE", "BREW", "get"]
CONTENT_TYPES = ["application/json", "application/json; charset=utf-8", "application/json; charset=latin-1",
                 "application/json; charset=nope", "text/plain", "multipart/form-data; boundary=x",
                 "application/x-www-form-urlencoded", ""]


def param_values() -> st.SearchStrategy[str]:
    return st.one_of(questions(), st.sampled_from(["", " ", "0", "-1", "20", "21", "1e3", "0x10", "²", "³", "١٤",
                                                    "9" * 5000, "2024-02-12", "2024-02-30", "COP14", "tweet",
                                                    "news/cms-news-cop11-2014#item-4"]))


@st.composite
def http_requests(draw: st.DrawFn) -> tuple[str, str, bytes | None, dict[str, str]]:
    """``(method, path with query, body, headers)``, the path ASCII as it goes on the wire."""
    method = draw(st.sampled_from(METHODS))
    path = draw(st.one_of(st.sampled_from(PATHS), st.text(max_size=20).map(lambda t: "/" + percent(t)),
                          questions().map(lambda t: "/source/" + percent(t[:200]))))
    params = draw(st.lists(st.tuples(st.one_of(st.sampled_from(PARAMS), st.text(max_size=6)), param_values()),
                           max_size=5))
    query = "&".join(f"{percent(k)}={percent(v)}" for k, v in params)
    body: bytes | None = None
    headers: dict[str, str] = {}
    if method in ("POST", "PUT", "PATCH") or draw(st.booleans()):
        headers["Content-Type"] = draw(st.sampled_from(CONTENT_TYPES))
        body = draw(st.one_of(
            st.dictionaries(st.one_of(st.sampled_from(PARAMS), st.text(ANY_CHAR, max_size=6)),
                            st.one_of(param_values(), yaml_values().map(_jsonable)), max_size=5)
            .map(lambda d: json.dumps(d).encode()),
            st.binary(max_size=200),
            st.integers(1, 5000).map(lambda n: b"[" * n + b"]" * n),
            st.just(b'{"q": "When did COP14 open?"}'),
        ))
    return method, path + ("?" + query if query else ""), body, headers


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (bytes, dt.date)):
        return repr(value)
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value



def examples(n: int) -> settings:
    """``n`` examples under the derandomized ``ci`` profile; the profile's own count when exploring."""
    current = settings.default
    return settings(max_examples=n if current.derandomize else current.max_examples)
