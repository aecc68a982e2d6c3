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
_DOT_WORD = re.compile(r"\s*(?:\(dot\)|\[dot\]|\spiste\s)\s*", re.I)
# A JavaScript expression up to the statement's ';' (entities inside strings hold ';' too).
_JS_EXPR = r"((?:'(?:[^'\\]|\\.)*'|[^;'])*);"
_JOOMLA3_VAR = re.compile(r"var\s+(addy[0-9a-f]+)\s*=\s*" + _JS_EXPR, re.S)
_JOOMLA3_APPEND = r"{name}\s*=\s*{name}\s*\+\s*" + _JS_EXPR
_JOOMLA3_TARGET = re.compile(r"getElementById\('(cloak[0-9a-f]+)'\)")
_JS_STRING = re.compile(r"'((?:[^'\\]|\\.)*)'")
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
    var = _JOOMLA3_VAR.search(script)
    if not var:
        return None, None
    name = var.group(1)
    pieces = [var.group(2)]
    pieces += re.findall(_JOOMLA3_APPEND.format(name=re.escape(name)), script, re.S)
    literal = "".join("".join(_JS_STRING.findall(piece)) for piece in pieces)
    address = html.unescape(literal.replace("\\", ""))
    target = _JOOMLA3_TARGET.search(script)
    return (target.group(1) if target else None), address


def decode_joomla4(element: HtmlElement) -> str | None:
    """Joomla 4 <joomla-hidden-mail first="b64" last="b64">: first@last."""
    try:
        first = base64.b64decode(element.get("first", "")).decode("utf-8")
        last = base64.b64decode(element.get("last", "")).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return f"{first}@{last}" if first and last else None


def reveal_emails(tree: HtmlElement) -> None:
    """Replace every cloaked address in the tree with the plain address, in place."""
    for script in tree.xpath("//script[contains(., 'addy')]"):
        target_id, address = decode_joomla3_script(script.text or "")
        if address and EMAIL.fullmatch(address):
            targets = tree.xpath("//*[@id=$i]", i=target_id) if target_id else []
            if targets:
                _set_text(targets[0], address)
            else:
                _replace_with_text(script, address)
    for el in tree.xpath("//joomla-hidden-mail"):
        address = decode_joomla4(el)
        if address:
            _replace_with_text(el, address)
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
                _set_text(a, address)


def normalise_email(raw: str) -> str | None:
    """Lower-case, strip 'mailto:' and trailing punctuation; None if it is not an address."""
    value = html.unescape(raw).strip().strip(".,;:()<>[]\"'")
    if value.lower().startswith("mailto:"):
        value = value[7:]
    value = value.split("?", 1)[0].strip().lower()
    return value if EMAIL.fullmatch(value) else None


def emails_in_text(text: str) -> list[str]:
    """Addresses written in text, the '(a)', '[at]' and ' ät ' forms included."""
    found = []
    for match in _OBFUSCATED_AT.finditer(text):
        domain = _DOT_WORD.sub(".", match.group(2)).replace(" ", "")
        address = normalise_email(f"{match.group(1)}@{domain}")
        if address:
            found.append(address)
    for match in EMAIL.finditer(text):
        address = normalise_email(match.group(0))
        if address:
            found.append(address)
    return list(dict.fromkeys(found))


def _set_text(element: HtmlElement, text: str) -> None:
    for child in list(element):
        element.remove(child)
    element.text = text


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
