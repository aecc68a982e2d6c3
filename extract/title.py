"""Title: the page's own heading, not the <title> with the site name glued on."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

# " – Kymenlaakson liitto", " | Päijät-Hämeen liitto", " - Site": the suffix after the last
# separator is the site name when the part before it is long enough to stand alone.
_SITE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s*\|\s*")
_SPACES = re.compile(r"\s+")


# Headings that are page chrome: Liferay's hidden "Navigaatiovalikko", site-name logos.
_CHROME = re.compile(
    r"(?:^|\s)(?:hide-accessible|sr-only|screen-reader-text|visually-hidden|"
    r"site-title|site-name|logo|portlet-title)(?:\s|$)"
)
_CHROME_ANCESTORS = "ancestor::*[self::nav or self::header or self::footer or self::aside]"


def extract_title(tree: HtmlElement) -> str | None:
    """The first content <h1>, else og:title, else <title> without the site suffix."""
    for xpath in ("//main//h1", "//article//h1", "//*[@role='main']//h1", "//h1"):
        for h1 in tree.xpath(xpath):
            if _CHROME.search(h1.get("class", "")) or h1.xpath(_CHROME_ANCESTORS):
                continue
            text = _SPACES.sub(" ", h1.text_content()).strip()
            if text:
                return text
    og = tree.xpath("//meta[@property='og:title']/@content")
    if og and og[0].strip():
        return strip_site_name(og[0])
    title = tree.findtext(".//title")
    if title and title.strip():
        return strip_site_name(title)
    return None


def strip_site_name(title: str) -> str:
    """'Älykäs erikoistuminen – Kymenlaakson liitto' -> 'Älykäs erikoistuminen'."""
    title = _SPACES.sub(" ", title).strip()
    parts = _SITE_SEPARATOR.split(title)
    if len(parts) > 1 and len(parts[0]) >= 4:
        return parts[0].strip()
    return title
