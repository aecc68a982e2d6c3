"""The markup scan for links of pages extraction gave up on (too large, too slow)."""

import pytest

from extract.links import scan_links

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
