"""Links and linked documents, absolute and without fragments."""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml.html import HtmlElement

from .models import Link

DOCUMENT_SUFFIXES = (".pdf",)
_SPACES = re.compile(r"\s+")


def extract_links(tree: HtmlElement, url: str) -> list[Link]:
    """Every http(s) link in document order, once each, resolved against <base href>."""
    base = tree.xpath("//base/@href")
    base_url = urljoin(url, base[0].strip()) if base else url
    seen: dict[str, Link] = {}
    for a in tree.xpath("//a[@href]"):
        href = a.get("href", "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        absolute, _ = urldefrag(urljoin(base_url, href))
        if urlsplit(absolute).scheme not in ("http", "https") or absolute in seen:
            continue
        seen[absolute] = Link(url=absolute, text=_SPACES.sub(" ", a.text_content()).strip())
    return list(seen.values())


def is_document(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(DOCUMENT_SUFFIXES)
