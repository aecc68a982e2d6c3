"""Title: the page's own heading, not the <title> with the site name glued on."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from .html import PageParts, meta_values, page_parts
from .template import TITLE_MARK, block_key
from .vocabulary import HIDDEN_HEADING_CLASSES, SITE_NAME_CLASSES, SPACES, alternation

_SITE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s*\|\s*")
# A <title> part that names the site, not the page: "Kymenlaakson liitto", "Maakuntaliitto",
# "Regional Council", "Österbottens förbund" (Finnish compounds end in the organisation word).
_ORGANISATION_PART = re.compile(
    r"(?:liitto|förbund|council|landskapsregering|kaupunki|stad|kunta|kommun|city|region|"
    r"university|yliopisto)\b",
    re.I,
)
_MAX_SITE_WORDS = 6  # "Regional Council of North Karelia"
_MAX_NAME_WORDS = 2  # a bare site name without an organisation word: "Pohjois-Karjala", "ELMO"

# Headings that are page chrome: Liferay's hidden "Navigaatiovalikko", site-name logos.
_CHROME = re.compile(
    rf"(?:^|\s)(?:{alternation((*HIDDEN_HEADING_CLASSES, *SITE_NAME_CLASSES))})(?:\s|$)"
)
# A <header> is chrome unless it is an article's or the main content's own header
# (WordPress `article > header.entry-header > h1`).
_CHROME_ANCESTORS = (
    "ancestor::*[self::nav or self::footer or self::aside"
    " or (self::header and not(ancestor::article or ancestor::main"
    " or ancestor::*[@role='main']))]"
)
# Schema.org and CMS markup for the content's headline when it is not an <h1>: Joomla 3's
# `h2[itemprop=headline]`, WordPress `.entry-title`, Joomla 2.5 `.contentheading`.
_HEADLINE_CLASSES = frozenset({"entry-title", "page-title", "contentheading", "article-title"})
_XML_SPACE = str.maketrans("\t\r\n", "   ")  # what XPath's normalize-space splits on
_WORD = re.compile(r"\w+")


def extract_title(tree: HtmlElement, template_titles: frozenset[str] = frozenset()) -> str | None:
    """Content <h1>, else headline markup, else the first content heading that the <title>
    names, else og:title or <title> without the site name; a candidate the source's
    template knows (the logo or section <h1> on most of its pages) gives way to the next."""
    return choose_title(title_candidates(tree), template_titles)


def title_candidates(tree: HtmlElement, parts: PageParts | None = None) -> list[str]:
    """Every title the page offers, best first (see `extract_title`), without repeats.

    The main region's first sub-heading comes last: it is the title only when everything
    before it is the site's (a logo <h1> and a <title> that is only the site name).
    """
    parts = parts or page_parts(tree)
    meta_title = _meta_title(tree, parts.metas)
    region = parts.main
    candidates = [
        *_content_h1s(tree),
        _headline(tree),
        _heading_matching(region, meta_title),
        meta_title,
        _first_subheading(region),
    ]
    return list(dict.fromkeys(c for c in candidates if c))


def choose_title(
    candidates: list[str], template_titles: frozenset[str] = frozenset()
) -> str | None:
    """The first candidate that is not one of the source's recurring titles; when all are
    (the home page, whose only heading is the site's name), the first one."""
    for candidate in candidates:
        if TITLE_MARK + block_key(candidate) not in template_titles:
            return candidate
    return candidates[0] if candidates else None


def _content_h1s(tree: HtmlElement) -> list[str]:
    """Usable <h1>s: those in <main> first, then in an <article>, in [role=main], the rest."""
    ranked = sorted(
        (_h1_rank(h1), position, h1) for position, h1 in enumerate(tree.iter("h1")) if _usable(h1)
    )
    return [_text(h1) for _, _, h1 in ranked]


def _h1_rank(h1: HtmlElement) -> int:
    ancestors = list(h1.iterancestors())
    if any(a.tag == "main" for a in ancestors):
        return 0
    if any(a.tag == "article" for a in ancestors):
        return 1
    if any(a.get("role") == "main" for a in ancestors):
        return 2
    return 3


def _headline(tree: HtmlElement) -> str | None:
    for heading in tree.iter("h1", "h2", "h3"):
        if _is_headline(heading) and _usable(heading):
            return _text(heading)
    return None


def _is_headline(heading: HtmlElement) -> bool:
    if heading.get("itemprop") == "headline":
        return True
    classes = heading.get("class")
    return (
        heading.tag != "h1"
        and classes is not None
        and not _HEADLINE_CLASSES.isdisjoint(classes.translate(_XML_SPACE).split(" "))
    )


def _first_subheading(region: HtmlElement | None) -> str | None:
    if region is None:
        return None
    for heading in region.iter("h2", "h3"):
        if _usable(heading):
            return _text(heading)
    return None


def _heading_matching(region: HtmlElement | None, meta_title: str | None) -> str | None:
    """Liferay puts the article title in an <h2>: take the main region's first heading
    when the <title> agrees with it (the <title> is often a shortened form)."""
    if region is None or not meta_title:
        return None
    wanted = set(_WORD.findall(meta_title.casefold()))
    for heading in region.iter("h2", "h3"):
        if not _usable(heading):
            continue
        words = set(_WORD.findall(_text(heading).casefold()))
        return _text(heading) if wanted and wanted <= words else None
    return None


def _usable(heading: HtmlElement) -> bool:
    return not (
        _CHROME.search(heading.get("class", ""))
        or heading.xpath(_CHROME_ANCESTORS)
        or not _text(heading)
    )


def _meta_title(tree: HtmlElement, metas: list[HtmlElement]) -> str | None:
    for value in meta_values(metas, "property", "og:title") + [tree.findtext(".//title") or ""]:
        if value.strip():
            return strip_site_name(value)
    return None


def _text(element: HtmlElement) -> str:
    return SPACES.sub(" ", element.text_content()).strip()


def strip_site_name(title: str) -> str:
    """'KymÄES 2.0 - Kasvun alustat - Kymenlaakson liitto' -> 'KymÄES 2.0 - Kasvun alustat'.

    Parts are dropped from the end while they look like a site name: an organisation word
    or a few capitalised words ("Maakuntaliitto - Pohjois-Karjala"). The first part stays.
    """
    title = SPACES.sub(" ", title).strip()
    parts = _SITE_SEPARATOR.split(title)
    separators = _SITE_SEPARATOR.findall(title)
    keep = len(parts)
    while keep > 1 and _looks_like_site(parts[keep - 1]):
        keep -= 1
    if keep == len(parts) or len(parts[0]) < 4:
        return title
    kept = parts[0]
    for separator, part in zip(separators[: keep - 1], parts[1:keep], strict=True):
        kept += separator + part
    return kept.strip()


def _looks_like_site(part: str) -> bool:
    words = part.split()
    if not words or len(words) > _MAX_SITE_WORDS:
        return False
    if _ORGANISATION_PART.search(part):
        return True
    return len(words) <= _MAX_NAME_WORDS and all(word[0].isupper() for word in words)
