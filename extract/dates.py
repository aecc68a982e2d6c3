"""Published and updated dates as Finnish, Swedish and English council pages write them.

htmldate reads "Päivitetty 12 maaliskuu 2021" as 2021-01-01 and likes the footer's
"© 2026", so dates come from cue words ("Päivitetty", "Julkaistu", "Uppdaterat",
"Published") followed by a full day-month-year date in the page's own content, then from
machine-readable markup, then from a bare date in a byline or right under the <h1>.
Sidebars, footers and news lists carry other pages' dates and never count; nor does a
year alone, a period such as 2021–2027 or a date in the URL.
"""

from __future__ import annotations

import json
import re
from datetime import date

from lxml.html import HtmlElement

from .html import block_lines, in_chrome, is_chrome, main_region
from .vocabulary import (
    FI_MONTHS,
    OTHER_MONTHS,
    PUBLISHED_CUES,
    SPACES,
    UPDATED_CUES,
    WEEKDAYS,
    alternation,
)

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
_TEXTUAL = rf"(?P<d2>\d{{1,2}})\.?\s+{_MONTH_WORD}\.?\s+(?P<y2>(?:19|20)\d\d)(?!\d)"
_TEXTUAL_EN = rf"(?P<mword3>{OTHER_MONTHS})\s+(?P<d3>\d{{1,2}}),?\s+(?P<y3>(?:19|20)\d\d)(?!\d)"
_ISO = r"(?P<y4>(?:19|20)\d\d)-(?P<m4>\d\d)-(?P<d4>\d\d)"
_ANY_DATE = rf"(?:{_NUMERIC}|{_TEXTUAL}|{_TEXTUAL_EN}|{_ISO})"

_PUBLISHED_CUES = alternation(PUBLISHED_CUES)
_UPDATED_CUES = alternation(UPDATED_CUES)
# Cue, then up to 60 characters without another date (author names, weekday, "klo"), then
# the date. "Kirjoittanut perjantai, 18 joulukuu 2020" and "Julkaistu: 22.08.2023" both fit.
_CUED = re.compile(
    rf"(?P<cue>{_UPDATED_CUES}|{_PUBLISHED_CUES})\s*:?\s*(?:[^\d\n]{{0,60}}?{WEEKDAYS},?\s*)?"
    rf"(?:[^\d\n]{{0,40}}?)?{_ANY_DATE}",
    re.I,
)
_ANY_DATE_RE = re.compile(_ANY_DATE, re.I)
_UPDATED_RE = re.compile(rf"^(?:{_UPDATED_CUES})$", re.I)
# A byline that is a date: optional weekday, the date, an optional time, then at most a
# separator and an author ("15.7.2021 | Paula Heikkilä"), never digits (a second date).
_BYLINE = re.compile(
    rf"^(?:{WEEKDAYS},?\s*)?{_ANY_DATE}(?:,?\s*(?:klo\.?|kl\.?|at)?\s*\d{{1,2}}[:.]\d{{2}})?"
    r"\s*(?:[|·•/,–—-]\s*[^\d|]*)?$",
    re.I,
)
_DATE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:date|dates|posted-on|posted|byline|entry-meta|post-meta|article-meta|"
    r"meta|pubdate|published|datum|paivays|paivamaara|julkaistu|time|timestamp)(?:$|[\s_-])",
    re.I,
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_ISO_PREFIX = re.compile(r"\s*((?:19|20)\d\d)-(\d\d)-(\d\d)")

_META_PUBLISHED = (
    "article:published_time",
    "datePublished",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "og:published_time",
    "pubdate",
    "publish-date",
)
_META_UPDATED = (
    "article:modified_time",
    "dateModified",
    "og:updated_time",
    "dcterms.modified",
    "last-modified",
)


def parse_date(text: str) -> date | None:
    """The first full day-first date in `text` ('12 maaliskuu 2021', '3.07.2019'), or None."""
    match = _ANY_DATE_RE.search(text)
    return _to_date(match) if match else None


def _to_date(match: re.Match[str]) -> date | None:
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


def find_dates(tree: HtmlElement) -> tuple[str | None, str | None]:
    """(published, updated) as ISO dates.

    Cue words in the main content first, then machine-readable markup, then cue words
    elsewhere outside sidebars and footers, then a bare byline date, then <time> elements.
    Sidebar news lists ("Julkaistu 4.11.2024") carry other pages' dates, so chrome never
    counts.
    """
    main = main_region(tree)
    body = tree.find("body")
    primary = main if main is not None else body if body is not None else tree
    published, updated = _cued(_region_lines(primary))
    published = published or _from_markup(tree, _META_PUBLISHED, "datePublished")
    updated = updated or _from_markup(tree, _META_UPDATED, "dateModified")
    if main is not None and body is not None and not (published and updated):
        elsewhere_published, elsewhere_updated = _cued(_region_lines(body))
        published = published or elsewhere_published
        updated = updated or elsewhere_updated
    if published is None:
        published = _byline_date(primary)
    if published is None:
        published = _from_time_elements(tree)
    return (
        published.isoformat() if published else None,
        updated.isoformat() if updated else None,
    )


def _region_lines(region: HtmlElement) -> list[str]:
    return block_lines(region, skip=is_chrome)


def _cued(lines: list[str]) -> tuple[date | None, date | None]:
    published = updated = None
    for line in lines:
        if not _YEAR.search(line):  # cheap test first: most lines hold no date at all
            continue
        for match in _CUED.finditer(line):
            found = _to_date(match)
            if found is None:
                continue
            if _UPDATED_RE.match(match.group("cue")):
                updated = updated or found
            else:
                published = published or found
    return published, updated


def _byline_date(region: HtmlElement) -> date | None:
    """A date standing alone in a byline ("15.7.2021 | Paula Heikkilä") or under the <h1>.

    Only an element classed as a date or byline, or the block right after the heading,
    counts; the date must open it, and nothing but an author may follow (not a second
    date: "1.3.2020–31.12.2021" is a period). Dates in list items, or several different
    dated elements, are a news listing: each date is another page's.
    """
    classed = {
        found
        for el in region.iter()
        if isinstance(el.tag, str)
        and _DATE_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}")
        and (found := _bare_date(el))
    }
    if len(classed) == 1:
        return classed.pop()
    if classed:
        return None
    for h1 in region.iter("h1"):
        if in_chrome(h1):
            continue
        following = h1.getnext()
        parent = h1.getparent()
        if following is None and parent is not None and len(parent) == 1:
            following = parent.getnext()  # the h1 alone in its <header>
        return _bare_date(following) if following is not None else None
    return None


def _bare_date(element: HtmlElement) -> date | None:
    if element.xpath("ancestor-or-self::li") or in_chrome(element):
        return None
    match = _BYLINE.match(SPACES.sub(" ", element.text_content()).strip())
    return _to_date(match) if match else None


def _from_markup(tree: HtmlElement, meta_names: tuple[str, ...], jsonld_key: str) -> date | None:
    for name in meta_names:
        values = tree.xpath(
            "//meta[@property=$n or @name=$n or @itemprop=$n]/@content"
            " | //*[@itemprop=$n]/@datetime",
            n=name,
        )
        for value in values:
            found = _iso_date(value)
            if found:
                return found
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        found = _jsonld_date(script, jsonld_key)
        if found:
            return found
    return None


def _from_time_elements(tree: HtmlElement) -> date | None:
    """A <time> of the page itself; one in a list item dates a news listing's entry."""
    for time in tree.xpath("//article//time | //main//time | //time"):
        if in_chrome(time) or time.xpath("ancestor::li"):
            continue
        found = _iso_date(time.get("datetime", ""))
        if found:
            return found
    return None


def _iso_date(value: str) -> date | None:
    match = _ISO_PREFIX.match(value)
    if not match:
        return None
    try:
        return _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _jsonld_date(script: str, key: str) -> date | None:
    try:
        data = json.loads(script)
    except ValueError:
        return None
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            value = node.get(key)
            if isinstance(value, str) and (found := _iso_date(value)):
                return found
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None
