"""Date formats: the forms Finnish, Swedish and English pages and their markup write.

Day first with dots ("3.07.2019"), with a month name in any Finnish case or in Swedish or
English ("12. maaliskuuta 2021", "12 mars 2021", "3rd February 2021", "Feb. 3, 2021"),
ISO and year-first ("2021-02-03", "2021/02/03"), and in attribute values also RFC 822
("Tue, 03 Feb 2021 14:05:33 +0200"). Years outside 1990–2100 and impossible days are no date.
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_tz

from .vocabulary import FI_MONTHS, OTHER_MONTHS

_MONTH_STEMS = {
    # Finnish: nominative (tammikuu), genitive (tammikuun), partitive (tammikuuta), short (tammi).
    "tammi": 1,
    "helmi": 2,
    "maalis": 3,
    "huhti": 4,
    "touko": 5,
    "kesä": 6,
    "heinä": 7,
    "elo": 8,
    "syys": 9,
    "loka": 10,
    "marras": 11,
    "joulu": 12,
    # Swedish
    "januari": 1,
    "februari": 2,
    "mars": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "augusti": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
    # English
    "january": 1,
    "february": 2,
    "march": 3,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "october": 10,
}
_MONTH_WORD = rf"(?P<mword>{FI_MONTHS}|{OTHER_MONTHS})"
_SHORT_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

_NUMERIC = r"(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>(?:19|20)\d\d)(?!\d)"
_ORDINAL = r"(?:st|nd|rd|th)?"
_TEXTUAL = (
    rf"(?P<d2>\d{{1,2}}){_ORDINAL}\.?\s+(?:of\s+)?{_MONTH_WORD}\.?,?\s+(?P<y2>(?:19|20)\d\d)(?!\d)"
)
_TEXTUAL_EN = (
    rf"(?P<mword3>{OTHER_MONTHS})\.?\s+(?P<d3>\d{{1,2}}){_ORDINAL},?\s+(?P<y3>(?:19|20)\d\d)(?!\d)"
)
# ISO, and year-first with slashes or dots ("2021/02/03", "2021.02.03"), never day-first
# with slashes: "03/02/2021" is March 2nd on American pages.
_ISO = r"(?P<y4>(?:19|20)\d\d)(?P<sep>[-/.])(?P<m4>\d\d?)(?P=sep)(?P<d4>\d\d?)(?!\d)"
ANY_DATE = rf"(?:{_NUMERIC}|{_TEXTUAL}|{_TEXTUAL_EN}|{_ISO})"
_ANY_DATE_RE = re.compile(ANY_DATE, re.I)
_ISO_PREFIX = re.compile(r"\s*((?:19|20)\d\d)-(\d\d)-(\d\d)")
_RFC_822 = re.compile(r"^\s*(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\b")


def value_date(value: str) -> date | None:
    """The date an attribute or JSON value gives: ISO first (with or without its time),
    then RFC 822, then any written form."""
    match = _ISO_PREFIX.match(value)
    if match:
        try:
            return _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    if _RFC_822.match(value):
        parsed = parsedate_tz(value)
        if parsed:
            try:
                return _valid(parsed[0], parsed[1], parsed[2])
            except ValueError:
                return None
    return parse_date(value)


def parse_date(text: str) -> date | None:
    """The first full day-first date in `text` ('12 maaliskuu 2021', '3.07.2019'), or None."""
    match = _ANY_DATE_RE.search(text)
    return to_date(match) if match else None


def to_date(match: re.Match[str]) -> date | None:
    """The day a match of `ANY_DATE` names (any of its forms), or None when no such day exists."""
    g = match.groupdict()
    try:
        if g.get("d"):
            return _valid(int(g["y"]), int(g["m"]), int(g["d"]))
        if g.get("d2"):
            return _valid(int(g["y2"]), _month_number(g["mword"]), int(g["d2"]))
        if g.get("d3"):
            return _valid(int(g["y3"]), _month_number(g["mword3"]), int(g["d3"]))
        if g.get("y4"):
            return _valid(int(g["y4"]), int(g["m4"]), int(g["d4"]))
    except (TypeError, ValueError):
        return None
    return None


def _month_number(word: str) -> int | None:
    word = word.lower()
    if word in _SHORT_MONTHS:
        return _SHORT_MONTHS[word]
    for stem, number in _MONTH_STEMS.items():
        if word.startswith(stem):
            return number
    return None


def _valid(year: int, month: int | None, day: int) -> date | None:
    if month is None or not 1990 <= year <= 2100:
        return None
    return date(year, month, day)
