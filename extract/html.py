"""Decoding and parsing: every later stage shares the one tree built here."""

from __future__ import annotations

import re

import lxml.html
from lxml.html import HtmlElement
from w3lib.encoding import html_body_declared_encoding, html_to_unicode

from .errors import EmptyPage, NotHtml

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Text decoded with the wrong charset shows these pairs (UTF-8 read as Latin-1).
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf]")


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode like a browser: BOM, HTTP charset, <meta> charset, then a guess.

    A page whose declared charset produces replacement characters or UTF-8 mojibake is
    decoded again with the other common candidate, so mis-declared pages keep å/ä/ö.
    """
    if not body.strip():
        raise EmptyPage("no body")
    _, text = html_to_unicode(content_type, body, auto_detect_fun=_guess_encoding)
    if "\ufffd" in text or _MOJIBAKE.search(text):
        for candidate in ("utf-8", "cp1252"):
            try:
                retry = body.decode(candidate)
            except UnicodeDecodeError:
                continue
            if not _MOJIBAKE.search(retry):
                text = retry
                break
    return _CONTROL_CHARS.sub("", text)


def _guess_encoding(body: bytes) -> str:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def parse_html(text: str) -> HtmlElement:
    """Parse decoded HTML into an lxml tree; raise `NotHtml` when nothing parses."""
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        tree = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise NotHtml(str(exc)) from exc
    if tree is None or not len(tree):
        raise NotHtml("no document element")
    return tree


def declared_encoding(body: bytes) -> str | None:
    """The charset a page declares in its own markup, if any (for diagnostics)."""
    return html_body_declared_encoding(body)


def block_lines(element: HtmlElement) -> list[str]:
    """The element's visible text as lines: block elements and <br> break lines."""
    parts: list[str] = []
    _walk_lines(element, parts)
    lines = [re.sub(r"\s+", " ", line).strip() for line in "".join(parts).split("\n")]
    return [line for line in lines if line]


_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head"})


def _walk_lines(element: HtmlElement, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else None
    if tag is None or tag in _SKIP_TAGS:  # comments, processing instructions, scripts
        if element.tail:
            parts.append(element.tail)
        return
    block = tag in _BLOCK_TAGS
    if block:
        parts.append("\n")
    if tag == "br":
        parts.append("\n")
    if element.text:
        parts.append(element.text)
    for child in element:
        _walk_lines(child, parts)
    if block:
        parts.append("\n")
    if element.tail:
        parts.append(element.tail)
