"""CMS document symbols: ``UNEP/CMS/COP14/Doc.19``, ``UNEP/CMS/COP13/Report``,
``UNEP/CMS/ScC-SC5/Doc.7``, ``UNEP/CMS/Resolution 11.9``, ``UNEP/CMS/Concerted Action 12.7``.
A meeting code alone (``UNEP/CMS/COP12``) is not a document's symbol. Documents in Spanish and French
carry UNEP's name in theirs: ``PNUMA/CMS/ScC18/Doc.7.2.16``, ``PNUE/CMS/COP14/Doc.21``."""

from __future__ import annotations

import re

SYMBOL = re.compile(
    r"\b(?:UNEP|PNUMA|PNUE)/CMS/(?:"
    r"(?:COP|ScC|StC|CoP)[\w.-]*/(?:Doc|Inf|Res|Dec|Report|Rev)[\w./-]*\w"
    r"|(?:COP\d+/)?(?:Resolution|Decision|Concerted\s+Action)\s+\d+\.\d+(?:\s*\(Rev\.\s*COP\d+\))?"
    r")",
    re.IGNORECASE,
)
