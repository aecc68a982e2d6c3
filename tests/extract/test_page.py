"""extract_page over small pages: text cleaning, title, language, encodings, boundaries."""

import subprocess
import sys

import pytest

from extract import EmptyPage, NotHtml, extract_page
from extract.relevance import score_relevance
from extract.title import strip_site_name

JOOMLA = """<!DOCTYPE html><html lang="fi-fi"><head><meta charset="utf-8">
<title>Älykäs erikoistuminen - Kymenlaakson liitto</title></head><body>
<a class="skip-link" href="#main">Siirry sisältöön</a>
<div id="saavutettavuus-toolbar">Saavutettavuus-avustimet</div>
<div class="cookie-notice">Käytämme evästeitä. Hyväksy evästeet</div>
<nav><ul><li><a href="/">Etusivu</a></li><li><a href="/kaava/">Kaavoitus</a></li></ul></nav>
<div class="breadcrumbs">Olet täällä: Etusivu / Strategia</div>
<main id="main"><h1>Älykäs erikoistuminen</h1>
<dl class="article-info"><dd class="hits">Osumia: 1234</dd></dl>
<p>Kymenlaakson älykkään erikoistumisen strategia ohjaa TKI-rahoitusta maakunnan kärkialoille.</p>
<h2>Kärkivalinnat</h2>
<ul><li>Älykäs ja vihreä logistiikka</li><li>Uusiutuvat materiaalit ja energia</li></ul>
<div class="share-buttons">Jaa artikkeli</div>
<p>Päivitetty 22 touko 2024</p></main>
<footer>Kauppamiehenkatu 4, 45100 Kouvola · © 2026</footer></body></html>"""


def test_text_keeps_content_and_drops_chrome():
    record = extract_page(JOOMLA.encode(), "https://www.kymenlaakso.fi/strategia")
    assert "ohjaa TKI-rahoitusta" in record.text
    assert "- Älykäs ja vihreä logistiikka" in record.text  # lists stay readable lines
    assert "Kärkivalinnat" in record.text.splitlines()  # headings are lines of their own
    for noise in (
        "Siirry sisältöön",
        "Saavutettavuus",
        "evästeitä",
        "Olet täällä",
        "Osumia",
        "Jaa artikkeli",
        "Kauppamiehenkatu",
        "Kaavoitus",
    ):
        assert noise not in record.text, noise
    assert record.title == "Älykäs erikoistuminen"
    assert record.updated == "2024-05-22" and record.published is None
    assert record.language == "fi"
    assert record.relevant


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Älykäs erikoistuminen – Kymenlaakson liitto", "Älykäs erikoistuminen"),
        ("Smart specialisation | Regional Council of Lapland", "Smart specialisation"),
        ("Strategia - Päijät-Hämeen liitto", "Strategia"),
        ("Etelä-Savo", "Etelä-Savo"),
    ],
)
def test_strip_site_name(title, expected):
    assert strip_site_name(title) == expected


def test_title_falls_back_to_title_tag_without_site_name():
    html = (
        "<html><head><title>Kiertotalous – Päijät-Hämeen liitto</title></head><body>"
        "<nav><h1 class='hide-accessible'>Navigaatiovalikko</h1></nav><p>Teksti.</p></body></html>"
    )
    assert extract_page(html.encode(), "https://x.fi/").title == "Kiertotalous"


LATIN1_PAGE = (
    "<html><head>{head}</head><body><h1>Älykäs</h1><p>Pohjanmaan smart specialisering, "
    "spetsområden för Österbotten och Åland.</p></body></html>"
)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (
            LATIN1_PAGE.format(head="<meta charset='iso-8859-1'>").encode("latin-1"),
            None,
        ),
        (
            LATIN1_PAGE.format(head="").encode("latin-1"),
            "text/html",
        ),
        (
            LATIN1_PAGE.format(head="").encode("latin-1"),
            "text/html; charset=utf-8",
        ),  # mis-declared
    ],
    ids=["declared-latin1", "undeclared", "misdeclared-utf8"],
)
def test_encodings_decode_without_mojibake(body, content_type):
    record = extract_page(body, "https://www.obotnia.fi/", content_type)
    assert record.title == "Älykäs"
    assert "Österbotten och Åland" in record.text


def test_swedish_page_declared_finnish_is_swedish():
    text = (
        "Österbottens förbund arbetar med smart specialisering. Regionens spetsområden är "
        "energi, blå ekonomi och livsmedel. Strategin uppdateras tillsammans med företag, "
        "högskolor och kommuner i hela regionen under hösten."
    )
    html = f"<html lang='fi'><body><h1>Smart specialisering</h1><p>{text}</p></body></html>"
    assert extract_page(html.encode(), "https://x.fi/").language == "sv"


@pytest.mark.parametrize(
    ("body", "error"),
    [(b"", EmptyPage), (b"   \n", EmptyPage), (b"<html><body></body></html>", EmptyPage)],
)
def test_empty_pages_raise_a_specific_error(body, error):
    with pytest.raises(error):
        extract_page(body, "https://x.fi/")


def test_not_html_is_refused():
    with pytest.raises((NotHtml, EmptyPage)):
        extract_page(b"\x00\x01\x02" * 10, "https://x.fi/")


@pytest.mark.parametrize(
    ("title", "text", "relevant"),
    [
        ("Älykäs erikoistuminen", "Maakunnan älykkään erikoistumisen kärjet ja TKI.", True),
        ("Smart specialisering", "Österbottens spetsområden.", True),
        ("RIS3 strategy", "Smart specialisation priorities of Kymenlaakso.", True),
        ("Asemakaavan muutos", "Tervasaaren asemakaavan muutos on nähtävillä.", False),
        ("Avoin työpaikka", "Haemme suunnittelijaa maakuntakaavoitukseen.", False),
    ],
)
def test_relevance(title, text, relevant):
    assert score_relevance(title, text)[0] is relevant


def test_extract_imports_neither_scrapy_nor_sqlite():
    code = (
        "import sys, extract; extract.extract_page(b'<p>x</p>', 'https://x.fi/');"
        "bad = {'scrapy', 'sqlite_utils', 'sqlite3', 'twisted'} & set(sys.modules);"
        "print(sorted(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
