"""CMS document symbols: ``UNEP/CMS/COP14/Doc.19``, ``UNEP/CMS/COP13/Report``, ``UNEP/CMS/ScC-SC5/Doc.7``."""

from __future__ import annotations

import re

SYMBOL = re.compile(r"\bUNEP/CMS/(?:COP|ScC|StC|CoP|Resolution|Res)[\w.-]*(?:/(?:Doc|Inf|Res|Dec|Report|Rev)[\w./-]*\w|/Report\b)?",
                    re.IGNORECASE)
