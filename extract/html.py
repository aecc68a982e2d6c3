"""Decoding and parsing: every later stage shares the one tree built here."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import NamedTuple

import lxml.html
from lxml import etree
from lxml.html import HtmlElement
from w3lib.encoding import html_to_unicode

from .errors import EmptyPage, NotHtml
from .vocabulary import (
    CHROME_CLASS_WORDS,
    CHROME_ROLES,
    CHROME_TAGS,
    MAIN_XPATH,
    NEVER_CHROME_TAGS,
    SITE_PART_CLASS_WORDS,
    SITE_PART_TAGS,
    SPACES,
    class_token_pattern,
)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])  # the same, as bytes
_CONTROL_BYTE_STRINGS = tuple(bytes([byte]) for byte in _CONTROL_BYTES)
# Charsets (w3lib's names) that write those characters as those bytes and no other
# character with a byte below 0x20: a body without such bytes decodes without them.
_ASCII_SUPERSETS = ("utf-8", "ascii", "cp125", "iso8859-", "latin")
# Text decoded with the wrong charset shows these pairs (UTF-8 read as Latin-1).
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf]")


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode like a browser: BOM, HTTP charset, <meta> charset, then a guess.

    A page whose declared charset produces replacement characters or UTF-8 mojibake is
    decoded again with the other common candidate, so mis-declared pages keep å/ä/ö.
    """
    if not body.strip():
        raise EmptyPage("no body")
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_guess_encoding)
    # "Ã" in text first: a substring test is many times cheaper than the regex over the page.
    if "\ufffd" in text or ("Ã" in text and _MOJIBAKE.search(text)):
        for candidate in ("utf-8", "cp1252"):
            try:
                retry = body.decode(candidate)
            except UnicodeDecodeError:
                continue
            if not _MOJIBAKE.search(retry):
                text = retry
                break
    if encoding.startswith(_ASCII_SUPERSETS) and not _has_control_bytes(body):
        return text  # almost every page: a control character would be one of those bytes
    return _CONTROL_CHARS.sub("", text) if _has_control_chars(text) else text


def _has_control_bytes(body: bytes) -> bool:
    """Whether `body` holds a byte `_CONTROL_BYTES` lists: one memchr each, a few µs."""
    return any(byte in body for byte in _CONTROL_BYTE_STRINGS)


def _has_control_chars(text: str) -> bool:
    """Whether `text` holds a character `_CONTROL_CHARS` removes.

    In UTF-8 those characters are single bytes below 0x20 and no other character has a
    byte below 0x80, so one C pass over the encoded text answers it; the regex search over
    the text cost 1 ms a page.
    """
    encoded = text.encode("utf-8", "surrogatepass")
    return len(encoded.translate(None, _CONTROL_BYTES)) != len(encoded)


def _guess_encoding(body: bytes) -> str:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


# lxml.html's own parser picks each element's class in a Python callback, run every time
# lxml builds an element proxy (on Trafilatura's copies of the tree, thousands a page);
# the C default lookup gives every element the same HtmlElement methods.
_HTML_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


def parse_html(text: str) -> HtmlElement:
    """Parse decoded HTML into an lxml tree; raise `NotHtml` when nothing parses."""
    text = _XML_DECLARATION.sub("", text, count=1)
    # huge_tree lifts libxml2's nesting limit of 256, past which the rest of a page (its
    # footer, the end of the article) silently vanishes; one parser per call, as lxml
    # parsers must not be shared between threads.
    parser = etree.HTMLParser(huge_tree=True)
    parser.set_element_class_lookup(_HTML_CLASSES)
    try:
        tree = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise NotHtml(str(exc)) from exc
    if tree is None or not len(tree):
        raise NotHtml("no document element")
    return tree


# ---------------------------------------------------------------- page regions

# Site chrome around the content: menus, sidebars, widgets, breadcrumbs, news lifts; the
# site's header and footer ("alaosa", "alatunniste"). Inside an article the same words name
# the article's own footer ("entry-footer" with its dates), which is content.
_CHROME_CLASS = class_token_pattern(CHROME_CLASS_WORDS)
_SITE_PART_CLASS = class_token_pattern(SITE_PART_CLASS_WORDS)


def is_chrome(element: HtmlElement) -> bool:
    """Menus, sidebars, widgets, site header and footer: text there is not the page's own.

    A <header> or <footer> inside an article or <main> belongs to the content (HTML5).
    """
    tag = element.tag
    if tag in NEVER_CHROME_TAGS:  # body classes name templates: "page-template-sidebar"
        return False
    if tag in CHROME_TAGS:
        return True
    if element.get("role") in CHROME_ROLES:
        return True
    ident, classes = element.get("id"), element.get("class")
    if tag in SITE_PART_TAGS or _SITE_PART_CLASS.search(ident, classes):
        return not element.xpath("ancestor::article or ancestor::main")
    return _CHROME_CLASS.search(ident, classes)


def in_chrome(element: HtmlElement) -> bool:
    """The element or one of its ancestors is chrome."""
    if is_chrome(element):
        return True
    return any(is_chrome(ancestor) for ancestor in element.iterancestors())


_MAIN_CANDIDATES = etree.XPath(MAIN_XPATH)
_MAIN_TRUST = (
    lambda el: el.tag == "main",
    lambda el: el.get("role") == "main",
    lambda el: el.tag == "article",
)


def main_region(tree: HtmlElement) -> HtmlElement | None:
    """The element that holds the page's own content, when the markup names one."""
    candidates = _MAIN_CANDIDATES(tree)  # one walk for the three kinds, then by trust
    for kind in _MAIN_TRUST:
        for element in candidates:
            if kind(element) and not is_chrome(element):
                return element
    return None


class PageParts(NamedTuple):
    """What several stages look up: the page's main region (`main_region`) and <body>
    (either may be missing) and its <meta> elements in document order.

    Found once a page: each search is a walk over the whole tree.
    """

    main: HtmlElement | None
    body: HtmlElement | None
    metas: list[HtmlElement]


def page_parts(tree: HtmlElement) -> PageParts:
    return PageParts(main_region(tree), tree.find("body"), list(tree.iter("meta")))


def meta_values(metas: list[HtmlElement], key: str, name: str) -> list[str]:
    """`content` of the <meta>s whose `key` is `name` (XPath's `//meta[@key='name']/@content`)."""
    return [v for m in metas if m.get(key) == name and (v := m.get("content")) is not None]


def content_headings(tree: HtmlElement, parts: PageParts | None = None) -> list[str]:
    """Section headings of the page's own content (h2–h4), outside chrome.

    A heading that is all link is a teaser for another page ("Älykäs erikoistuminen" on a
    home page's lift-up card), not a section of this one.
    """
    main, body, _ = parts or page_parts(tree)
    region = main if main is not None else body
    if region is None:
        return []
    headings = []
    for heading in region.iter("h2", "h3", "h4"):
        text = SPACES.sub(" ", heading.text_content()).strip()
        linked = SPACES.sub(" ", " ".join(heading.xpath(".//a//text()"))).strip()
        if text and linked != text and not in_chrome(heading):
            headings.append(text)
    return headings


# ---------------------------------------------------------------- text as lines


class Line(NamedTuple):
    """One visible line and the block element it sits in (lines split by <br> share it)."""

    text: str
    block: int


def block_lines(
    element: HtmlElement, skip: Callable[[HtmlElement], bool] | None = None
) -> list[str]:
    """The element's visible text as lines: block elements and <br> break lines."""
    return [line.text for line in lines_with_blocks(element, skip)]


def lines_with_blocks(
    element: HtmlElement, skip: Callable[[HtmlElement], bool] | None = None
) -> list[Line]:
    """Visible lines, each with the id of its block; `skip` drops whole subtrees.

    Text in document order, a line ending at each block edge and <br> (consecutive edges
    end nothing). lxml's own walk (`iterwalk`, in C) rather than a stack of Python tuples:
    every page's contacts and dates stages make it, and a page nested 2,000 levels deep
    must not end in RecursionError. Blocks are numbered, not keyed by id(): lxml proxies
    are rebuilt and ids reused. All the pieces of a line share its block.
    """
    lines: list[Line] = []
    current: list[str] = []  # the pieces of the line being read
    block = 0  # ... and its block
    numbers = itertools.count(1)
    # One entry per open element: (owner block, inner block, is a block, was skipped).
    open_: list[tuple[int, int, bool, bool]] = []
    walker = etree.iterwalk(element, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        if event == "start":
            owner = open_[-1][1] if open_ else 0
            tag = node.tag
            is_block = tag in _BLOCK_TAGS
            if tag in _SKIP_TAGS or (skip is not None and skip(node)):
                if is_block and current:
                    if joined := " ".join("".join(current).split()):
                        lines.append(Line(joined, block))
                    current = []
                walker.skip_subtree()
                open_.append((owner, owner, False, True))
                continue
            inner = next(numbers) if is_block else owner
            if (is_block or tag == "br") and current:
                if joined := " ".join("".join(current).split()):
                    lines.append(Line(joined, block))
                current = []
            if text := node.text:
                if not current:
                    block = inner
                current.append(text)
            open_.append((owner, inner, is_block, False))
            continue
        if event == "end":
            owner, inner, is_block, skipped = open_.pop()
            if is_block and not skipped and current:
                if joined := " ".join("".join(current).split()):
                    lines.append(Line(joined, block))
                current = []
        else:  # a comment or processing instruction: its tail only
            owner = open_[-1][1] if open_ else 0
        if tail := node.tail:
            if not current:
                block = owner
            current.append(tail)
    if current and (joined := " ".join("".join(current).split())):
        lines.append(Line(joined, block))
    return lines


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
