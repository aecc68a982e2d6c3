"""Finnish phone numbers as the councils write them, stored as E.164."""

from __future__ import annotations

import re
from typing import NamedTuple

import phonenumbers

# +358 / 00358 / a leading 0, then 6–11 more digits with spaces, dashes or brackets between:
# "+ 358 44 3719 442", "050 50 502 113", "(03) 871 940". A digit or "+" just before means
# the match would start inside another number.
PHONE = re.compile(r"(?<![\d+])(?:\+\s?358|00358|0)(?:[\s\-()]*\d){6,11}(?!\d)")
# The word written before a number: "puh.", "P.", "tel.", "tfn", "gsm", "Vaihde" ...
PHONE_CUE = re.compile(
    r"(?:\b(?:puh(?:elin)?|p|tel|tfn|telefon|phone|gsm|mob(?:ile)?|matkapuhelin|"
    r"(?:puhelin)?vaihde|växel|switchboard)\.?:?\s*)$",
    re.I,
)
_LEADING_CUE = re.compile(
    r"^(?:puh(?:elin)?|p|tel|tfn|telefon|phone|gsm|mob(?:ile)?|matkapuhelin)\.?:?\s*", re.I
)
# A switchboard belongs to the organisation, never to a person named near it.
_SWITCHBOARD = re.compile(r"(?:vaihde|växel|switchboard|exchange)\W*$", re.I)
_SWITCHBOARD_AFTER = re.compile(r"^\W*(?:vaihde|växel|switchboard|exchange)\b", re.I)


class Phone(NamedTuple):
    """A valid number in a line: where it is written (cue word included) and its E.164."""

    start: int
    end: int
    number: str
    switchboard: bool


def phones_in(text: str) -> list[Phone]:
    """Every valid Finnish number in `text`, with the span of its cue word and digits."""
    found = []
    for match in PHONE.finditer(text):
        number = normalise_phone(match.group(0))
        if number is None:
            continue
        before = text[: match.start()]
        cue = PHONE_CUE.search(before)
        start = cue.start() if cue else match.start()
        switchboard = bool(
            _SWITCHBOARD.search(before) or _SWITCHBOARD_AFTER.match(text[match.end() :])
        )
        found.append(Phone(start, match.end(), number, switchboard))
    return found


def normalise_phone(raw: str) -> str | None:
    """Any Finnish notation ('puh. + 358 44 3719 442', '050 50 502 113') -> E.164."""
    match = PHONE.search(_LEADING_CUE.sub("", raw.strip()))
    if not match:
        return None
    try:
        number = phonenumbers.parse(match.group(0), "FI")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
