"""What kind of client a designer is, read from what the profile already holds.

Nothing is asked for this: an organisation number's first digit names its legal form (2 is
the state, a region or a municipality; 5, 6, 7, 8, 9 are companies, partnerships and
associations), and a student e-mail address ("…@student.lu.se") names a student. Anything
else is unknown, which the model treats as neutral, never as a refusal.
"""

from __future__ import annotations

import re

from matching.models import ClientKind

_DIGITS = re.compile(r"\D")
_PUBLIC = "2"
_COMPANIES = frozenset("56789")


def client_kind(*, org_number: str | None, email: str | None) -> ClientKind | None:
    """The designer's kind of client, or ``None`` when the profile does not say.

    >>> client_kind(org_number="212000-1355", email=None).value
    'public_sector'
    >>> client_kind(org_number="556677-8899", email=None).value
    'companies'
    >>> client_kind(org_number=None, email="kim@student.chalmers.se").value
    'students'
    >>> client_kind(org_number=None, email="kim@example.se") is None
    True
    """
    digits = _DIGITS.sub("", org_number or "")
    if len(digits) in (10, 12):
        first = digits[-10]
        if first == _PUBLIC:
            return ClientKind.PUBLIC_SECTOR
        if first in _COMPANIES:
            return ClientKind.COMPANIES
    domain = (email or "").rpartition("@")[2].casefold()
    if domain and ("student" in domain.split(".") or domain.startswith("student")):
        return ClientKind.STUDENTS
    return None
