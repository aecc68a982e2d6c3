"""Malformed variants of every golden and sample page: nothing escapes `extract_page`.

Each variant is derived with a seeded generator (the same bytes every run): comments and
processing instructions after every element, bracketed and unbalanced URLs, odd attribute
quoting, nested forms, 5,000-deep nesting and truncation at random offsets. The only
exceptions allowed are the page-level outcomes (`NotHtml`, `EmptyPage`), and no field stage
may fail either (a field error would hide a crasher the fuzz is there to find).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from extract import EmptyPage, NotHtml, extract_page

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "tests" / "extract" / "fixtures").glob("*.html")) + sorted(
    (ROOT / "samples" / "sites").rglob("*.html")
)
URL = "https://www.example-liitto.fi/kehittaminen/alykas-erikoistuminen/"
SEED = 20261201

_CLOSING = re.compile(rb"(</[a-zA-Z][^>]*>)")
_OPENING = re.compile(rb"(<(?:p|div|a|li|h[1-4])\b)", re.I)
_BODY = re.compile(rb"<body[^>]*>", re.I)
_BAD_LINKS = (
    b'<a href="http://[ccpa-preferences]">Tietosuoja-asetukset</a>'
    b'<a href="https://[::1">Rikki</a><a href="http://[fe80::1%25eth0]/x">IPv6</a>'
    b'<a href="//[">Puolikas</a><a href="http://exa mple.fi/]]">Valilyonti</a>'
    b'<a href="https://example.fi:99999/">Portti</a><a href="ht!tp://x">Skeema</a>'
    b'<a href="\x00javascript:void(0)">Nolla</a><a href="   ">Tyhja</a>'
    b'<base href="http://[broken">'
)


def _comments(html: bytes, rng: random.Random) -> bytes:
    """A comment and a processing instruction after every closing tag."""
    return _CLOSING.sub(rb"\1<!-- huom --><?php echo 1; ?>", html)


def _comment_before_elements(html: bytes, rng: random.Random) -> bytes:
    return _OPENING.sub(rb"<!-- ennen --><?xml-stylesheet x?>\1", html)


def _bad_urls(html: bytes, rng: random.Random) -> bytes:
    return _BODY.sub(lambda m: m.group(0) + _BAD_LINKS, html, count=1) + _BAD_LINKS


def _odd_quoting(html: bytes, rng: random.Random) -> bytes:
    odd = (
        b"<p class=x\"y' id='a\"b data-x==>Outo lainaus</p>"
        b'<div class="sidebar\' title="<p>">Avoin lainaus</div>'
        b'<a href="/sivu>Linkki ilman loppua</a><span style=">">x</span>'
    )
    return _BODY.sub(lambda m: m.group(0) + odd, html, count=1)


def _nested_forms(html: bytes, rng: random.Random) -> bytes:
    wrapped = _BODY.sub(lambda m: m.group(0) + b"<form id=aspnetForm><form><form action=x>", html)
    return wrapped.replace(b"</body>", b"</form></form></form></body>")


def _deep(html: bytes, rng: random.Random) -> bytes:
    opened = _BODY.sub(lambda m: m.group(0) + b"<div>" * 5000, html, count=1)
    return opened.replace(b"</body>", b"</div>" * 5000 + b"</body>")


def _truncated(html: bytes, rng: random.Random) -> bytes:
    return html[: rng.randrange(1, len(html))]


MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "comments after elements": _comments,
    "comments before elements": _comment_before_elements,
    "bracketed URLs": _bad_urls,
    "odd quoting": _odd_quoting,
    "nested forms": _nested_forms,
    "truncated": _truncated,
}
# 5,000 levels make Trafilatura's jusText fallback quadratic (seconds a page, the library's
# cost, not ours): two sample pages of different CMSes carry that variant.
DEEP_PAGES = [
    ROOT / "samples" / "sites" / "elmoenf" / "fi" / "index.html",
    ROOT
    / "samples"
    / "sites"
    / "hameenliitto"
    / "elinvoima-ja-kehittaminen"
    / "kestavan-kasvun-hame"
    / "index.html",
]


def _check(body: bytes, label: str) -> None:
    try:
        record = extract_page(body, URL)
    except (NotHtml, EmptyPage):
        return
    assert not record.field_errors, f"{label}: {record.field_errors}"


def _name(page: Path) -> str:
    return str(page.relative_to(ROOT))


@pytest.mark.parametrize("page", PAGES, ids=[_name(p) for p in PAGES])
def test_no_exception_escapes(page):
    """Every mutation at once, cut short, and the page cut short; each page also gets one
    mutation alone (in turn, so each is tried alone on a dozen pages)."""
    html = page.read_bytes()
    rng = random.Random(f"{SEED}:{_name(page)}")
    combined = html
    for mutate in list(MUTATIONS.values())[:-1]:
        combined = mutate(combined, rng)
    _check(combined, f"{_name(page)} / all")
    _check(_truncated(combined, rng), f"{_name(page)} / all, truncated")
    _check(_truncated(html, rng), f"{_name(page)} / truncated")
    name = list(MUTATIONS)[PAGES.index(page) % (len(MUTATIONS) - 1)]
    _check(MUTATIONS[name](html, rng), f"{_name(page)} / {name}")


@pytest.mark.parametrize("page", DEEP_PAGES, ids=[_name(p) for p in DEEP_PAGES])
def test_five_thousand_deep_nesting(page):
    _check(_deep(page.read_bytes(), random.Random(SEED)), f"{_name(page)} / 5,000 deep")


def test_the_fuzz_found_the_crashers_it_is_for():
    """The two real-page crashers: a comment right after the heading (dates), and a
    bracketed URL (links)."""
    page = (
        b"<html><body><main><h1>Strategia</h1><!-- uutisen p\xc3\xa4iv\xc3\xa4ys -->"
        b"<p>Maakunnan kehitt\xc3\xa4minen ja \xc3\xa4lyk\xc3\xa4s erikoistuminen.</p>"
        b'<a href="http://[ccpa-preferences]">Asetukset</a><a href="/ok">OK</a>'
        b"</main></body></html>"
    )
    record = extract_page(page, URL)
    assert record.field_errors == {}
    assert [link.url for link in record.links] == ["https://www.example-liitto.fi/ok"]
