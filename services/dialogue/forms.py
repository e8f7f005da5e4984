"""Reading what people type into the profile and request forms, forgivingly.

Pure functions, no state: the dialogue's steps (:mod:`services.dialogue.flow`) decide what to
say. Every optional step accepts the words people use to skip it; organisation numbers are
checked with their Luhn digit, and a personal identity number typed by mistake is recognised
so that it is never stored; an email domain that is a likely typo of a common one gets a
suggestion; a "name" that is really a phone number or an email is noticed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import process
from rapidfuzz.distance import OSA

from services.catalogue.validation import is_phone_number

# What people write to skip an optional question, in Swedish and English (compared
# case-insensitively, without trailing punctuation). Each step's skip button label counts too.
SKIP_WORDS = frozenset(
    {
        # Swedish
        "nej", "nej tack", "nä", "nää", "hoppa över", "hoppa", "hoppar över", "skippa",
        "inget", "ingen", "inga", "har inget", "har ingen", "har inga", "saknas", "vet ej",
        "vet inte", "ingen aning", "ej", "finns inte", "finns ej",
        # English
        "no", "no thanks", "none", "nope", "skip", "skip it", "n/a", "na", "pass", "nothing",
        "don't know", "dont know", "do not know", "not sure", "not applicable",
    }
)  # fmt: skip
_DASHES = frozenset("-–—")
_EDGE_PUNCTUATION = " .!?,;:"

EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}")


def _normal(text: str) -> str:
    return " ".join(text.casefold().split()).strip(_EDGE_PUNCTUATION)


def is_skip(text: str, *labels: str) -> bool:
    """Whether ``text`` says "skip this": a skip word, a dash, or one of the button ``labels``.

    >>> [is_skip(t) for t in ("Nej.", "hoppa över", "SKIP", "-", "–", "n/a", "Nej tack!")]
    [True, True, True, True, True, True, True]
    >>> [is_skip(t) for t in ("Nejlika AB", "556677-8899", "200", "")]
    [False, False, False, False]
    >>> is_skip("Hoppa över – hela Sverige", "Hoppa över – hela Sverige")
    True
    """
    normal = _normal(text)
    if not normal:
        return bool(text.strip()) and all(ch in _DASHES for ch in text.strip())
    if all(ch in _DASHES for ch in normal):
        return True
    return normal in SKIP_WORDS or normal in {_normal(label) for label in labels}


# -- organisation numbers -------------------------------------------------------------------


class OrgNumberCheck(StrEnum):
    VALID = "valid"
    CHECK_DIGIT = "check_digit"  # shaped like an organisation number, but the last digit is wrong
    PERSONAL = "personal"  # shaped like a personnummer or samordningsnummer: never stored
    SHAPE = "shape"  # not ten digits (or twelve with a century or the "16" prefix)


@dataclass(frozen=True, slots=True)
class OrgNumberReading:
    check: OrgNumberCheck
    number: str | None = None  # "556677-8899" when valid


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check Swedish organisation and personal identity numbers use.

    >>> luhn_valid("5566778899"), luhn_valid("5566778890")
    (True, False)
    """
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _date_shaped(digits: str) -> bool:
    """YYMMDD…: a month 01-12 and a day 01-31 (or 61-91, a samordningsnummer)."""
    month, day = int(digits[2:4]), int(digits[4:6])
    return 1 <= month <= 12 and (1 <= day <= 31 or 61 <= day <= 91)


def read_org_number(text: str) -> OrgNumberReading:
    """What ``text`` is, as a Swedish organisation number.

    Organisation numbers have 10 digits whose 3rd and 4th make 20 or more (a personnummer's
    are its birth month), the last one a Luhn check digit. A number shaped like a personal
    identity number is reported as such, whatever its check digit, so it is never stored.

    >>> [read_org_number(t).check.value for t in
    ...  ("556677-8899", "556677-8890", "811218-9876", "19811218-9876", "12345")]
    ['valid', 'check_digit', 'personal', 'personal', 'shape']
    >>> read_org_number("16 5566778899").number
    '556677-8899'
    """
    compact = re.sub(r"[\s+-]", "", text)
    if not compact.isdigit() or len(compact) not in (10, 12):
        return OrgNumberReading(OrgNumberCheck.SHAPE)
    if len(compact) == 12:
        prefix, compact = compact[:2], compact[2:]
        if prefix in ("19", "20") and _date_shaped(compact):
            return OrgNumberReading(OrgNumberCheck.PERSONAL)
        if prefix != "16":
            return OrgNumberReading(OrgNumberCheck.SHAPE)
    if _date_shaped(compact):
        return OrgNumberReading(OrgNumberCheck.PERSONAL)
    if int(compact[2:4]) < 20:
        return OrgNumberReading(OrgNumberCheck.SHAPE)
    if not luhn_valid(compact):
        return OrgNumberReading(OrgNumberCheck.CHECK_DIGIT)
    return OrgNumberReading(OrgNumberCheck.VALID, f"{compact[:6]}-{compact[6:]}")


# -- email typos ----------------------------------------------------------------------------

# Mail domains Swedish designers commonly use. A domain one or two edits away from one of
# these (and not one of them) is most likely a typo of it: "gmial.con" → "gmail.com".
COMMON_EMAIL_DOMAINS = (
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.se", "outlook.com", "outlook.se",
    "live.com", "live.se", "msn.com", "icloud.com", "me.com", "mac.com", "yahoo.com",
    "yahoo.se", "aol.com", "mail.com", "gmx.com", "gmx.net", "protonmail.com", "proton.me",
    "pm.me", "telia.com", "telia.se", "tele2.se", "comhem.se", "bredband.net", "bredband2.com",
    "bahnhof.se", "spray.se", "passagen.se", "glocalnet.net", "ownit.nu", "telenor.se",
)  # fmt: skip
# Top-level domains that are only ever typos ("anna@studio.con").
_TLD_TYPOS = {"con": "com", "cmo": "com", "ocm": "com", "vom": "com", "xom": "com", "comm": "com"}
MAX_DOMAIN_EDITS = 2


def suggest_email(email: str) -> str | None:
    """A likely intended address for a mistyped common mail domain, else ``None``.

    >>> suggest_email("anna@gmial.con"), suggest_email("anna@hotmial.se")
    ('anna@gmail.com', 'anna@hotmail.se')
    >>> suggest_email("anna@studio.con"), suggest_email("anna@gmail.se")
    ('anna@studio.com', 'anna@gmail.com')
    >>> [suggest_email(e) for e in ("anna@gmail.com", "anna@example.se", "per@mail.com")]
    [None, None, None]
    """
    local, _, domain = email.rpartition("@")
    domain = domain.casefold()
    if not local or not domain or domain in COMMON_EMAIL_DOMAINS:
        return None
    found = process.extractOne(
        domain, COMMON_EMAIL_DOMAINS, scorer=OSA.distance, score_cutoff=MAX_DOMAIN_EDITS
    )
    # Short domains are too close to too much: "me.se" is a real domain, not "me.com".
    if found is not None and len(domain) >= 6:
        return f"{local}@{found[0]}"
    name, _, tld = domain.rpartition(".")
    endings = {d.rpartition(".")[2] for d in COMMON_EMAIL_DOMAINS if d.rpartition(".")[0] == name}
    if len(endings) == 1:  # gmail.se: Gmail is only ever gmail.com
        return f"{local}@{name}.{endings.pop()}"
    if name and tld in _TLD_TYPOS:
        return f"{local}@{name}.{_TLD_TYPOS[tld]}"
    return None


# -- names ----------------------------------------------------------------------------------


def contact_in_name(text: str) -> str | None:
    """``"email"`` or ``"phone"`` when a typed name is really contact details, else ``None``.

    >>> [contact_in_name(t) for t in ("070-174 06 05", "anna@example.se", "Anna Ek", "Anna 2")]
    ['phone', 'email', None, None]
    """
    if EMAIL.search(text):
        return "email"
    digits = sum(ch.isdigit() for ch in text)
    letters = sum(ch.isalpha() for ch in text)
    if is_phone_number(text.strip()) or (digits >= 6 and digits >= letters):
        return "phone"
    return None
