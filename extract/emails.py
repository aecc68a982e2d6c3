"""Email addresses behind every obfuscation the councils' CMSes use, decoded in the tree.

Decoding rewrites the tree so that each address appears as plain text where the page shows
it; `contacts` then reads names, titles and phones around it. Scripts are read before
anything strips them: Joomla 3 assembles the address in an inline script.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from typing import NamedTuple

import lxml.html
from lxml.html import HtmlElement

EMAIL = re.compile(
    r"(?<![\w.+-])[a-z0-9][a-z0-9._%+-]*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,24}(?![\w-])",
    re.I,
)
# etunimi.sukunimi(a)liitto.fi, (at), [at], {at}, " ät ", " at " between address-like parts.
_OBFUSCATED_AT = re.compile(
    r"(?<![\w.+-])([a-z0-9][a-z0-9._%+-]*)\s*(?:\((?:a|at|ät)\)|\[(?:a|at|ät)\]|\{(?:a|at)\}|"
    r"\s(?:ät|at)\s)\s*((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.|\s*\(dot\)\s*|\s*\[dot\]\s*|"
    r"\spiste\s))+[a-z]{2,24})(?![\w-])",
    re.I,
)
# What every address written in text holds: an "@" or an at-word. The spaced forms ("…
# ät liitto.fi") must be followed by a domain label and a dot: English text is full of " at ".
AT_WORD = re.compile(
    r"[(\[{](?:a|at|ät)[)\]}]|\s(?:ät|at)\s+[a-z0-9][a-z0-9-]*(?:\.|\s*[(\[]dot[)\]]|\spiste\s)",
    re.I,
)
_DOT_WORD = re.compile(r"\s*(?:\(dot\)|\[dot\]|\spiste\s)\s*", re.I)
# A JavaScript expression up to the statement's ';' (entities inside strings hold ';' too).
_JS_EXPR = r"((?:'(?:[^'\\]|\\.)*'|[^;'])*);"
_JOOMLA3_VAR = re.compile(r"var\s+(addy[0-9a-f]*)\s*=\s*" + _JS_EXPR, re.S)
_JOOMLA3_TEXT_VAR = re.compile(r"var\s+(addy_text[0-9a-f]*)\s*=\s*" + _JS_EXPR, re.S)
# `addyX = addyX + '…';` for every variable at once; the caller keeps its own variable's.
_JOOMLA3_APPEND = re.compile(r"\b(addy\w*)\s*=\s*\1\s*\+\s*" + _JS_EXPR, re.S)
_JOOMLA3_TARGET = re.compile(r"getElementById\('(cloak[0-9a-f]+)'\)")
_JS_STRING = re.compile(r"'((?:[^'\\]|\\.)*)'")
_HIDDEN_WRITE = re.compile(r"document\.write\([^;]*display:\s*none", re.I)
MAILTO_LINKS = "//a[starts-with(translate(normalize-space(@href), 'MAILTO', 'mailto'), 'mailto:')]"
_LOCAL_PARTS = re.compile(r"[._-]")
_PLACEHOLDER_PART = re.compile(
    r"^(?:etunimi|sukunimi|firstname|lastname|surname|forename|givenname|fornamn|förnamn|"
    r"efternamn|name|nimi|etu|suku|first|last|fname|lname)$"
)
_TAG = re.compile(r"<[^>]*>")
_CF_PATH = re.compile(r"/cdn-cgi/l/email-protection#([0-9a-f]+)", re.I)


def decode_cloudflare(hex_string: str) -> str | None:
    """Cloudflare's data-cfemail: the first byte is the key XORed into every other byte."""
    try:
        data = binascii.unhexlify(hex_string)
    except (binascii.Error, ValueError):
        return None
    if len(data) < 2:
        return None
    key = data[0]
    try:
        return bytes(b ^ key for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_joomla3_script(script: str) -> tuple[str | None, str | None]:
    """(cloak element id, address) from Joomla 3's email-cloaking script."""
    name, address = _joomla3_variable(script, _JOOMLA3_VAR)
    if not name:
        return None, None
    target = _JOOMLA3_TARGET.search(script)
    return (target.group(1) if target else None), address


def joomla3_link_text(script: str) -> str | None:
    """The text Joomla 3 shows for the link (`addy_text…`): often a name, not the address."""
    _, text = _joomla3_variable(script, _JOOMLA3_TEXT_VAR)
    return text.strip() if text and text.strip() else None


def _joomla3_variable(script: str, pattern: re.Pattern[str]) -> tuple[str | None, str | None]:
    """A cloaking variable's value: its `var x = …;` literals plus every `x = x + …;`."""
    var = pattern.search(script)
    if not var:
        return None, None
    name = var.group(1)
    pieces = [var.group(2)]
    pieces += [expr for var, expr in _JOOMLA3_APPEND.findall(script) if var == name]
    literal = "".join("".join(_JS_STRING.findall(piece)) for piece in pieces)
    return name, html.unescape(literal.replace("\\", ""))


def decode_joomla4(element: HtmlElement) -> str | None:
    """Joomla 4 <joomla-hidden-mail first="b64" last="b64">: first@last."""
    first = _b64(element.get("first", ""))
    last = _b64(element.get("last", ""))
    return f"{first}@{last}" if first and last else None


def _b64(value: str) -> str | None:
    try:
        return base64.b64decode(value).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def reveal_emails(tree: HtmlElement) -> set[str]:
    """Replace every cloaked address in the tree with what a browser shows, in place, and
    return the addresses of the page's mail links.

    A browser shows the link text, which is often a name ("Petri Tolmunen", "Lähetä
    sähköpostia"), not the address. That text is kept, and every mail link's address is
    written right after it, so each address appears in the text where the page links it.
    Most pages cloak nothing: one walk over the tree tells, and only a page that cloaks
    is searched cloak by cloak (each search is a walk of its own).
    """
    mail_links = []
    cloaked = False
    for el in tree.iter():
        tag = el.tag
        if tag == "a" and (href := el.get("href")) is not None:
            if _is_mailto(href):
                mail_links.append(el)
            elif "/cdn-cgi/l/email-protection" in href:
                cloaked = True
        elif tag == "script":
            code = el.text or ""
            cloaked = cloaked or "addy" in code or _writes_hidden(code)
        elif tag == "joomla-hidden-mail":
            cloaked = True
        if not cloaked and el.get("data-cfemail") is not None:
            cloaked = True
    if cloaked:
        _reveal_cloaked(tree)
        mail_links = tree.xpath(MAILTO_LINKS)
    addresses = set()
    for a in mail_links:
        address = normalise_email(a.get("href", ""))
        if address and address not in emails_in_text(a.text_content()):
            a.tail = f" {address}{a.tail or ''}"
        if address:
            addresses.add(address)
    return addresses


def _writes_hidden(code: str) -> bool:
    # The substring first: the case-blind regex scans slowly, and the XPath `_reveal_cloaked`
    # reads scripts with (contains(., 'document.write')) is case-sensitive too.
    return "document.write" in code and bool(_HIDDEN_WRITE.search(code))


def _is_mailto(href: str) -> bool:
    """`MAILTO_LINKS`' test of one href: normalize-space, then "mailto:" in any case."""
    return href.lstrip(" \t\r\n")[:7].lower() == "mailto:"


def _reveal_cloaked(tree: HtmlElement) -> None:
    for script in tree.xpath("//script[contains(., 'addy')]"):
        code = script.text or ""
        target_id, address = decode_joomla3_script(code)
        if not (address and EMAIL.fullmatch(address)):
            continue
        link = _mail_link(address, joomla3_link_text(code))
        targets = tree.xpath("//*[@id=$i]", i=target_id) if target_id else []
        if targets:
            _set_children(targets[0], link)
        else:
            _replace(script, link)
    # Old Joomla writes `<span style='display: none;'>` before the placeholder text: hidden.
    for script in tree.xpath("//script[contains(., 'document.write')]"):
        if _HIDDEN_WRITE.search(script.text or ""):
            script.tail = " "
    for el in tree.xpath("//joomla-hidden-mail"):
        address = decode_joomla4(el)
        if address:
            _replace(el, _mail_link(address, _b64(el.get("text", ""))))
    for el in tree.xpath("//*[@data-cfemail]"):
        address = decode_cloudflare(el.get("data-cfemail", ""))
        if address:
            _replace_with_text(el, address)
    for a in tree.xpath("//a[contains(@href, '/cdn-cgi/l/email-protection')]"):
        match = _CF_PATH.search(a.get("href", ""))
        address = decode_cloudflare(match.group(1)) if match else None
        if address:
            a.set("href", f"mailto:{address}")
            if "protected" in a.text_content() or not a.text_content().strip():
                _set_children(a, None)
                a.text = address


def _mail_link(address: str, text: str | None) -> HtmlElement:
    """The link a cloaking script would write; its text may be markup ("<b>Name</b>")."""
    link = lxml.html.Element("a", href=f"mailto:{address}")
    shown = _TAG.sub("", text or "").strip()
    link.text = shown or address
    return link


def normalise_email(raw: str) -> str | None:
    """Lower-case, strip 'mailto:' and trailing punctuation; None if it is not an address."""
    value = html.unescape(raw).strip().strip(".,;:()<>[]\"'")
    if value.lower().startswith("mailto:"):
        value = value[7:]
    value = value.split("?", 1)[0].strip().lower()
    return value if EMAIL.fullmatch(value) else None


class Found(NamedTuple):
    """An address written in text, where it is written (obfuscated forms included)."""

    start: int
    end: int
    address: str


def find_emails(text: str) -> list[Found]:
    """Addresses written in text with their spans: plain, '(a)', '[at]', ' ät ' forms."""
    found: list[Found] = []
    if "@" not in text and not AT_WORD.search(text):
        return found  # most lines: no address, and the full patterns are slow
    for match in _OBFUSCATED_AT.finditer(text):
        domain = _DOT_WORD.sub(".", match.group(2)).replace(" ", "")
        address = normalise_email(f"{match.group(1)}@{domain}")
        if address:
            found.append(Found(match.start(), match.end(), address))
    for match in EMAIL.finditer(text):
        address = normalise_email(match.group(0))
        if address:
            found.append(Found(match.start(), match.end(), address))
    return sorted(found)


def emails_in_text(text: str) -> list[str]:
    """Addresses written in text, the '(a)', '[at]' and ' ät ' forms included."""
    return list(dict.fromkeys(found.address for found in find_emails(text)))


def is_placeholder(address: str) -> bool:
    """'etunimi.sukunimi@…', 'fornamn.efternamn@…': how staff addresses are formed, not one."""
    local = address.split("@", 1)[0].lower()
    return all(_PLACEHOLDER_PART.match(part) for part in _LOCAL_PARTS.split(local))


def _set_children(element: HtmlElement, child: HtmlElement | None) -> None:
    for old in list(element):
        element.remove(old)
    element.text = None
    if child is not None:
        element.append(child)


def _replace(element: HtmlElement, replacement: HtmlElement) -> None:
    """Put `replacement` where `element` is; the element's tail stays in place."""
    parent = element.getparent()
    if parent is None:
        return
    replacement.tail = element.tail
    parent.replace(element, replacement)


def _replace_with_text(element: HtmlElement, text: str) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text + tail
    else:
        parent.text = (parent.text or "") + text + tail
    parent.remove(element)
