"""Links: the tree's, resolved as urljoin would, and the markup scan for links of pages
extraction gave up on (too large, too slow)."""

from urllib.parse import urljoin

import lxml.html
import pytest

from extract.links import extract_links, scan_links

BASE = "http://127.0.0.2:8000"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        (
            b"<a href=\"/b\">b</a><A HREF='c?x=1&amp;y=2'>c</A>",
            [f"{BASE}/b", f"{BASE}/a/c?x=1&y=2"],
        ),
        (b'<a href="mailto:k@x.fi">k</a><a href="#top">t</a><a name="x">', []),
        (
            b'<a class="x" href="https://muu.fi/">m</a><a href="/b">',
            ["https://muu.fi/", f"{BASE}/b"],
        ),
        (b'<a href="/b">1</a><a href="/b#osio">2</a>', [f"{BASE}/b"]),  # once each
        ('<a href="/sivu/\u00e4">\u00e4</a>'.encode("latin-1"), [f"{BASE}/sivu/\ufffd"]),
        (b'<a href="http://[not-an-address/x">x</a><a href="/b">', [f"{BASE}/b"]),
        (b"", []),
    ],
    ids=["relative", "not-http", "absolute", "fragment", "latin1-bytes", "bad-url", "empty"],
)
def test_scan_links(markup, expected):
    assert scan_links(markup, f"{BASE}/a/") == expected


@pytest.mark.parametrize("base", ["https://x.fi/a/b", "HTTP://X.fi:8080/a/", "https://u@x.fi/?q=1"])
@pytest.mark.parametrize(
    "href",
    ["/sivu/ris3?id=2", "/a/./b", "/a/../b", "/..", "/a?", "/a?b=/../c", "/a;p", "/ä", "/a//b"]
    + ["/a\\b", "/%2e%2e/x", "/?x", "//other.fi/x", "/.well-known/x"],
)
def test_rooted_links_resolve_as_urljoin_does(base, href):
    tree = lxml.html.document_fromstring(f'<html><body><a href="{href}">x</a></body></html>')
    expected = urljoin(base, href)
    assert [link.url for link in extract_links(tree, base)] == [expected]
