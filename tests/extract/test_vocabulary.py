import subprocess
import sys

import pytest

from extract.text import filter_lines
from extract.vocabulary import COUNTER_LINE, class_token_pattern, is_document_body, is_document_url


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://liitto.fi/media/RIS3-strategia.pdf", True),
        ("https://liitto.fi/media/RIS3-STRATEGIA.PDF", True),
        ("https://liitto.fi/media/strategia.pdf?download=1", True),
        ("https://liitto.fi/pdf/strategia", False),
        ("https://liitto.fi/media/strategia.docx", False),
    ],
)
def test_document_urls_by_path(url, expected):
    assert is_document_url(url) is expected


@pytest.mark.parametrize(
    "content_type, body, expected",
    [
        ("application/pdf", b"", True),
        ("application/x-pdf; qs=0.1", b"", True),
        ("application/octet-stream", b"%PDF-1.7\n", True),
        ("text/html; charset=utf-8", b"<html>", False),
        ("", b"<p>%PDF-</p>", False),
    ],
)
def test_documents_by_type_or_first_bytes(content_type, body, expected):
    assert is_document_body(content_type, body) is expected


@pytest.mark.parametrize(
    "tokens, expected",
    [
        ("cookie-notice", True),
        ("site_footer main", True),
        ("page-menu", True),
        ("menus", False),
        ("submenubar", False),
    ],
)
def test_class_tokens_are_delimited(tokens, expected):
    assert (
        bool(class_token_pattern(("menu", r"cookie\w*", r"\w*footer")).search(tokens)) is expected
    )


def test_vocabulary_needs_no_parser():
    """The crawl's main process reads it: no lxml, Trafilatura or Scrapy behind it."""
    code = (
        "import sys, extract.vocabulary;"
        "bad = {'lxml', 'trafilatura', 'scrapy'} & set(sys.modules);"
        "print(sorted(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "line, counter",
    [
        ("Osumia: 1234", True),
        ("Katselukertoja: 340", True),
        ("Lukukertoja 12", True),
        ("Luettu 12 kertaa", True),
        ("Sivua on katsottu 1 204 kertaa", True),
        ("Läst 3 gånger", True),
        ("1,234 views", True),
        ("Budjetti 340 000 euroa", False),
        ("Osallistujia 40", False),
        ("Views on the strategy were gathered in 12 workshops", False),
    ],
)
def test_counter_lines_by_shape(line, counter):
    assert bool(COUNTER_LINE.match(line)) is counter


def test_counter_lines_leave_the_text():
    text = "Strategia\nKatselukertoja: 340\nLukukertoja 12\nBudjetti 340 000 euroa"
    assert filter_lines(text) == "Strategia\nBudjetti 340 000 euroa"
