"""Published and updated dates as Finnish, Swedish and English council pages write them.

htmldate reads "Päivitetty 12 maaliskuu 2021" as 2021-01-01 and likes the footer's
"© 2026", so dates come first from cue words ("Päivitetty", "Julkaistu", "Uppdaterat",
"Published") followed by a full day-month-year date in the page's own content, then from
machine-readable markup (meta tags, microdata on any element, JSON-LD read leniently), then
from a bare date in a byline or right under the <h1>, then from <time> elements, and only
then from htmldate (markup first, the publication date) — and htmldate's answer counts only
when the page shows that date where a date of the page can be: in markup, or in a line of
its own content that is no period, no list entry and no chrome. Sidebars, footers and news
lists carry other pages' dates and never count; nor does a year alone, a period such as
2021–2027 or a date in the URL.
"""

from __future__ import annotations

import json
import re
from collections import deque
from contextlib import suppress
from datetime import date

from htmldate import find_date
from lxml.html import HtmlElement

from .date_formats import ANY_DATE, parse_date, to_date, value_date
from .html import PageParts, block_lines, in_chrome, is_chrome, page_parts
from .vocabulary import (
    CLOCK,
    CUE_STEMS,
    PUBLISHED_CUES,
    SPACES,
    UPDATED_CUES,
    WEEKDAYS,
    alternation,
)

__all__ = ["find_dates", "parse_date"]


_PUBLISHED_CUES = alternation(PUBLISHED_CUES)
_UPDATED_CUES = alternation(UPDATED_CUES)
# Cue, then up to 60 characters without another date (author names, weekday, "klo"), then
# the date. "Kirjoittanut perjantai, 18 joulukuu 2020" and "Julkaistu: 22.08.2023" both fit.
_CUED = re.compile(
    rf"(?P<cue>{_UPDATED_CUES}|{_PUBLISHED_CUES})\s*:?\s*(?:[^\d\n]{{0,60}}?{WEEKDAYS},?\s*)?"
    rf"(?:[^\d\n]{{0,40}}?)?{ANY_DATE}",
    re.I,
)
_UPDATED_RE = re.compile(rf"^(?:{_UPDATED_CUES})$", re.I)
# A byline that is a date: optional weekday, the date, an optional time, then at most a
# separator and an author ("15.7.2021 | Paula Heikkilä"), never digits (a second date).
_BYLINE = re.compile(
    rf"^(?:{WEEKDAYS},?\s*)?{ANY_DATE}(?:,?\s*(?:klo\.?|kl\.?|at)?\s*(?:{CLOCK}))?"
    r"\s*(?:[|·•/,–—-]\s*[^\d|]*)?$",
    re.I,
)
_DATE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:date|dates|posted-on|posted|byline|entry-meta|post-meta|article-meta|"
    r"meta|pubdate|published|datum|paivays|paivamaara|julkaistu|time|timestamp)(?:$|[\s_-])",
    re.I,
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_ANY_DATE_RE = re.compile(ANY_DATE, re.I)
_SLASHED = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)(?![\d/])")
_COPYRIGHT = re.compile(r"©|\(c\)|copyright", re.I)
# Meta names (property, name, itemprop or http-equiv; compared lower-case) and microdata
# properties, in order of trust.
_META_PUBLISHED = (
    "article:published_time",
    "datepublished",
    "og:published_time",
    "og:article:published_time",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.created",
    "dc.date.created",
    "datecreated",
    "pubdate",
    "publish-date",
    "publish_date",
    "publishdate",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "citation_publication_date",
    "date",
)
_META_UPDATED = (
    "article:modified_time",
    "datemodified",
    "og:updated_time",
    "og:article:modified_time",
    "dcterms.modified",
    "dc.date.modified",
    "last-modified",
    "article.updated",
    "lastmod",
)
_META_RANK = {name: rank for rank, name in enumerate(_META_PUBLISHED)}
_META_RANK.update({name: rank for rank, name in enumerate(_META_UPDATED)})
_MARKUP = "//meta[@content] | //body//*[@itemprop]"
_JSONLD_KEYS = {"datePublished": 0, "dateCreated": 0, "dateModified": 1}
# What browsers and CMSes leave around JSON-LD: comments, CDATA, a trailing semicolon.
_JSONLD_WRAPPER = re.compile(
    r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>|;)\s*$"
)
_JSONLD_FIELD = re.compile(r'"(datePublished|dateCreated|dateModified)"\s*:\s*"([^"]{6,40})"')
_ITEMS = ("li", "tr")


def find_dates(tree: HtmlElement, parts: PageParts | None = None) -> tuple[str | None, str | None]:
    """(published, updated) as ISO dates.

    Cue words in the main content first, then machine-readable markup, then cue words
    elsewhere outside sidebars and footers, then a bare byline date, then <time> elements,
    then htmldate's publication date when the page shows it in a place of its own.
    Sidebar news lists ("Julkaistu 4.11.2024") carry other pages' dates, so chrome never
    counts.
    """
    main, body, _ = parts or page_parts(tree)
    primary = main if main is not None else body if body is not None else tree
    published, updated = _cued(primary)
    markup_published, markup_updated = _from_markup(tree)
    published = published or markup_published
    updated = updated or markup_updated
    if main is not None and body is not None and not (published and updated):
        elsewhere_published, elsewhere_updated = _cued(body)
        published = published or elsewhere_published
        updated = updated or elsewhere_updated
    if published is None:
        published = _byline_date(primary)
    if published is None:
        published = _from_time_elements(tree)
    if published is None:
        published = _from_htmldate(tree, body if body is not None else tree, updated)
    return (
        published.isoformat() if published else None,
        updated.isoformat() if updated else None,
    )


def _region_lines(region: HtmlElement) -> list[str]:
    return block_lines(region, skip=is_chrome)


def _cued(region: HtmlElement) -> tuple[date | None, date | None]:
    # Walking a region's lines is the stage's main cost: skip it when the region's text
    # holds no cue word at all (text_content holds every line's text).
    if not _has_cue(region.text_content()):
        return None, None
    published = updated = None
    for line in _region_lines(region):
        # cheap tests first: most lines hold no date and no cue at all
        if not (_YEAR.search(line) and _has_cue(line)):
            continue
        for match in _CUED.finditer(line):
            found = to_date(match)
            if found is None:
                continue
            if _UPDATED_RE.match(match.group("cue")):
                updated = updated or found
            else:
                published = published or found
    return published, updated


def _has_cue(text: str) -> bool:
    folded = text.lower()
    return any(stem in folded for stem in CUE_STEMS)


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
        following = _next_element(h1)
        parent = h1.getparent()
        if following is None and parent is not None and len(parent) == 1:
            following = _next_element(parent)  # the h1 alone in its <header>
        return _bare_date(following) if following is not None else None
    return None


def _next_element(element: HtmlElement) -> HtmlElement | None:
    """The next sibling that is an element: comments and processing instructions between
    a heading and its byline are not the byline."""
    following = element.getnext()
    while following is not None and not isinstance(following.tag, str):
        following = following.getnext()
    return following


def _bare_date(element: HtmlElement) -> date | None:
    if not isinstance(element.tag, str):  # a comment or processing instruction
        return None
    if element.xpath("ancestor-or-self::li") or in_chrome(element):
        return None
    match = _BYLINE.match(SPACES.sub(" ", element.text_content()).strip())
    return to_date(match) if match else None


def _from_markup(tree: HtmlElement) -> tuple[date | None, date | None]:
    """(published, updated) from meta tags and microdata, then JSON-LD.

    Microdata may sit on any element, its value in `content`, `datetime` or `title` or in
    its text; in the body, an item in chrome or in a list is another page's (a teaser).
    """
    best: list[tuple[int, date] | None] = [None, None]
    for element in tree.xpath(_MARKUP):
        for key in ("property", "name", "itemprop", "http-equiv"):
            name = (element.get(key) or "").strip().lower()
            if name in _META_RANK:
                break
        else:
            continue
        kind = 1 if name in _META_UPDATED else 0
        rank = _META_RANK[name]
        if best[kind] is not None and best[kind][0] <= rank:
            continue
        found = _markup_value(element)
        if found is not None and (_in_head(element) or _page_own(element)):
            best[kind] = (rank, found)
    published, updated = (entry[1] if entry else None for entry in best)
    if published is None or updated is None:
        from_jsonld = _jsonld_dates(tree)
        published = published or from_jsonld[0]
        updated = updated or from_jsonld[1]
    return published, updated


def _markup_value(element: HtmlElement) -> date | None:
    for attribute in ("content", "datetime", "title"):
        value = element.get(attribute)
        if value and (found := value_date(value)):
            return found
    if element.tag == "meta":
        return None
    return value_date(SPACES.sub(" ", element.text_content()).strip()[:80])


def _in_head(element: HtmlElement) -> bool:
    """Markup of the document itself; the same tags in the body may be a teaser's."""
    return not any(ancestor.tag == "body" for ancestor in element.iterancestors())


def _page_own(element: HtmlElement, listings: _Listings | None = None) -> bool:
    """Not in chrome, and not an entry of a listing (a list or table of dated items)."""
    listings = listings or _Listings()
    return not (
        in_chrome(element) or any(listings.entry(a) for a in element.iterancestors(*_ITEMS))
    )


class _Listings:
    """Which list items and table rows are entries of a listing: their list holds two or
    more dated items. One dated <li> is the page's own entry meta (WordPress puts its
    byline in a list); a one-row layout table is the page."""

    def __init__(self) -> None:
        self.known: dict[HtmlElement, bool] = {}

    def entry(self, element: HtmlElement) -> bool:
        if element.tag not in _ITEMS:
            return False
        parent = element.getparent()
        if parent is None:
            return False
        if parent not in self.known:
            dated = 0
            for sibling in parent.iterchildren(element.tag):
                dated += bool(_ANY_DATE_RE.search(sibling.text_content()))
                if dated >= 2:
                    break
            self.known[parent] = dated >= 2
        return self.known[parent]


def _from_time_elements(tree: HtmlElement) -> date | None:
    """A <time> of the page itself; one in a list item dates a news listing's entry."""
    for time in tree.xpath("//article//time | //main//time | //time"):
        if in_chrome(time) or time.xpath("ancestor::li"):
            continue
        found = value_date(time.get("datetime", ""))
        if found:
            return found
    return None


def _jsonld_dates(tree: HtmlElement) -> tuple[date | None, date | None]:
    """(published, updated) from JSON-LD, parsed leniently: control characters inside
    strings, comments and CDATA around the object, and when it still does not parse
    (trailing commas, two objects in one script), the first date fields written in it."""
    found: list[date | None] = [None, None]
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        for key, value in _jsonld_fields(script):
            kind = _JSONLD_KEYS[key]
            if found[kind] is None:
                found[kind] = value_date(value)
        if found[0] and found[1]:
            break
    return found[0], found[1]


def _jsonld_fields(script: str) -> list[tuple[str, str]]:
    """(key, value) of the date fields in document order: top-level objects first."""
    text = _JSONLD_WRAPPER.sub("", script)
    try:
        data = json.loads(text, strict=False)
    except ValueError:
        return _JSONLD_FIELD.findall(text)
    fields = []
    queue = deque([data])
    while queue:
        node = queue.popleft()
        if isinstance(node, dict):
            fields.extend(
                (key, value)
                for key, value in node.items()
                if key in _JSONLD_KEYS and isinstance(value, str)
            )
            queue.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            queue.extend(node)
    return fields


def _from_htmldate(tree: HtmlElement, body: HtmlElement, updated: date | None) -> date | None:
    """htmldate's publication date (markup first: `extensive_search=False`; no URL), if the
    page shows it in a place of its own: in markup outside chrome and lists, or in a line
    of its content that is not a period, a list entry or chrome. The updated date itself,
    a footer's year and a news list's entry are not the publication date."""
    try:
        found = find_date(tree, extensive_search=False, original_date=True, url="")
    except (ValueError, TypeError):  # htmldate's own parsing of odd markup
        return None
    if not found:
        return None
    candidate = value_date(found)
    if candidate is None or candidate == updated:
        return None
    return candidate if candidate in _own_dates(tree, body) else None


def _own_dates(tree: HtmlElement, body: HtmlElement) -> set[date]:
    """Every date the page shows as its own: markup values outside chrome and listings, and
    dates in lines of its content outside chrome and listings that hold one date only. A
    slashed day and month ("05/10/2018") stands for both readings: htmldate chose one."""
    listings = _Listings()
    dates: set[date] = set()
    for element in tree.xpath("//meta[@content] | //time | //abbr[@title] | //*[@itemprop]"):
        if _in_head(element) or _page_own(element, listings):
            for attribute in ("content", "datetime", "title"):
                value = element.get(attribute)
                if value and (found := value_date(value)):
                    dates.add(found)
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        dates.update(d for _, value in _jsonld_fields(script) if (d := value_date(value)))
    for line in block_lines(body, skip=lambda el: is_chrome(el) or listings.entry(el)):
        if not _YEAR.search(line) or _COPYRIGHT.search(line):
            continue
        matches = list(_ANY_DATE_RE.finditer(line))
        slashed = _SLASHED.findall(line)
        if len(matches) + len(slashed) != 1:
            continue
        if matches and (found := to_date(matches[0])):
            dates.add(found)
        for first, second, year in slashed:
            for day, month in ((first, second), (second, first)):
                with suppress(ValueError):
                    dates.add(date(int(year), int(month), int(day)))
    return dates
