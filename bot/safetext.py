"""Text that can always be written out: no lone surrogates, whatever the input was.

Python smuggles undecodable bytes through ``str`` as lone surrogates (``surrogateescape`` for
file names, argv and stdin under C.UTF-8; ``"\\ud800"`` escapes in JSON). Printed or sent as
UTF-8 they raise ``UnicodeEncodeError`` (a traceback, a 500) or leak raw bytes into JSON. Every
text that came from outside goes through :func:`clean` before it is echoed.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: str) -> str:
    """``text`` with undecodable bytes and lone surrogates as U+FFFD (unchanged if there are none)."""
    if not _SURROGATE.search(text):
        return text
    try:  # bytes smuggled by surrogateescape: back to bytes, then decode what is valid UTF-8
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that stands for no byte (a JSON "\ud800" escape)
        return _SURROGATE.sub("\ufffd", text)


def decode(raw: bytes) -> str:
    """Bytes from outside (a line of stdin, a request body) as text; invalid UTF-8 becomes U+FFFD."""
    return raw.decode("utf-8", "replace")
