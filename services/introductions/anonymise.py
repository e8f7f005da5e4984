"""Contact details out of a designer's own words, before a maker has said yes.

A brief is anonymised by construction (no name, company, email or phone fields), but the
designer's free text may still say "ring mig på 070-…" or name a website. Everything a maker
reads before *Interested* passes through :func:`without_contacts`.
"""

from __future__ import annotations

import re

REMOVED = "[…]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# A phone number starts with + or 0 ("070-174 06 05", "+46 31 390 06 00"); dates, sizes and
# quantities ("2026-12-24", "0,5 mm", "200 st") do not match.
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}|0)[\d \-()]{6,}\d(?!\w)")


def without_contacts(text: str) -> str:
    """``text`` with email addresses, web addresses and phone numbers replaced.

    >>> without_contacts("Ekbord, 12 st. Ring 070-174 06 05 eller anna@example.se, www.example.se")
    'Ekbord, 12 st. Ring […] eller […], […]'
    >>> without_contacts("Leverans 2026-12-24, plåt 0,5 mm, 200 st")
    'Leverans 2026-12-24, plåt 0,5 mm, 200 st'
    """
    for pattern in (_EMAIL, _URL, _PHONE):
        text = pattern.sub(REMOVED, text)
    return text
