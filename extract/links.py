"""Links and linked documents, absolute and without fragments."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from .models import Link
from .vocabulary import SPACES

_WEB = ("http://", "https://")
# An absolute http(s) URL that urljoin would hand back as written: lower-case scheme, a
# plain host, no ';' params, no empty '?', no spaces or control characters (which urljoin
# strips or rewrites). Most links on a page are such; urljoin costs more than the rest.
_PLAIN_ABSOLUTE = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[^?;#\s\x00-\x1f]*)?(?:\?[^#\s\x00-\x1f]+)?"
)
# A root-relative path ("/sivu/ris3?id=2") urljoin hands back behind the base's origin:
# the same characters as above, and no "." or ".." segment to resolve (checked apart).
_PLAIN_ROOTED = re.compile(r"/(?!/)[^?;#\s\x00-\x1f]*(?:\?[^#\s\x00-\x1f]+)?")
_HREF = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"'#]+)""", re.I)


def extract_links(tree: HtmlElement, url: str) -> list[Link]:
    """Every http(s) link in document order, once each, resolved against <base href>."""
    base = tree.xpath("//base/@href")
    try:
        base_url = urljoin(url, base[0].strip()) if base else url
    except ValueError:  # an unparseable <base href>: resolve against the page itself
        base_url = url
    origin = _origin(base_url)
    seen: dict[str, Link] = {}
    for a in tree.xpath("//a[@href]"):
        href = a.get("href", "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        href = href.partition("#")[0]  # the fragment goes first: one urljoin, no urldefrag
        if _PLAIN_ABSOLUTE.fullmatch(href):
            absolute = href
        elif origin and _PLAIN_ROOTED.fullmatch(href) and "/." not in href.partition("?")[0]:
            absolute = origin + href
        else:
            try:
                absolute = urljoin(base_url, href)
            except ValueError:  # "http://[ccpa-preferences]": not a URL, not a link to follow
                continue
        if not absolute[:8].lower().startswith(_WEB) or absolute in seen:
            continue
        seen[absolute] = Link(url=absolute, text=SPACES.sub(" ", a.text_content()).strip())
    return list(seen.values())


def _origin(base_url: str) -> str | None:
    """ "https://host:port" of an http(s) base, which a plain rooted path joins; else None."""
    try:
        parts = urlsplit(base_url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def scan_links(body: bytes, base_url: str) -> list[str]:
    """http(s) links of a page extraction gave up on (too large, too slow, empty): a regex
    over the markup, no tree, so that what lies behind such a page is still crawled."""
    found: dict[str, None] = {}
    for href in _HREF.findall(body.decode("utf-8", "replace")):
        try:
            url = urljoin(base_url, html.unescape(href).strip())
            scheme = urlsplit(url).scheme
        except ValueError:  # "http://[not-an-address/" and the like
            continue
        if scheme in ("http", "https"):
            found[url] = None
    return list(found)
