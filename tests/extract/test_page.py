"""extract_page over small pages: text cleaning, title, language, encodings, boundaries."""

import subprocess
import sys

import lxml.html
import pytest

from extract import EmptyPage, NotHtml, extract_page
from extract.html import content_headings
from extract.relevance import score_relevance
from extract.title import strip_site_name, title_candidates

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
        # The site name is cut at its own separator, not at the page title's first " - ".
        (
            "KymÄES 2.0 - Kasvun alustat ja palvelut yrityksille - Kymenlaakson liitto",
            "KymÄES 2.0 - Kasvun alustat ja palvelut yrityksille",
        ),
        ("Smart ecosystems - Maakuntaliitto - Pohjois-Karjala", "Smart ecosystems"),  # Liferay
        ("Cluster development – ELMO", "Cluster development"),
        (
            "Osaaminen ja innovaatiot – Keski-Suomen strategia",
            "Osaaminen ja innovaatiot – Keski-Suomen strategia",
        ),  # not a site name: lower-case words, no organisation
    ],
)
def test_strip_site_name(title, expected):
    assert strip_site_name(title) == expected


TITLES = [
    (
        "joomla3-headline-h2",
        "<title>Kärkiryhmät - Kymenlaakson liitto</title>",
        "<header role='banner'><a class='logo'>Kymenlaakson liitto</a></header><main>"
        "<h2 itemprop='headline'>Älykkään erikoistumisen kärkiryhmät</h2><p>Teksti.</p></main>",
        "Älykkään erikoistumisen kärkiryhmät",
    ),
    (
        "h1-in-the-articles-own-header",
        "<title>Strategia - Etelä-Pohjanmaan liitto</title>",
        "<header id='masthead' class='site-header'><h1 class='site-title'>Liitto</h1></header>"
        "<main><article><header class='entry-header'><h1 class='entry-title'>Etelä-Pohjanmaan "
        "strategia</h1></header><p>Teksti.</p></article></main>",
        "Etelä-Pohjanmaan strategia",
    ),
    (
        "h1-in-the-site-header-is-not-the-title",
        "<title>Kiertotalous – Päijät-Hämeen liitto</title>",
        "<header><h1>Päijät-Hämeen liitto</h1></header><div><p>Teksti.</p></div>",
        "Kiertotalous",
    ),
    (
        "liferay-h2-named-by-the-title",
        "<title>Smart ecosystems - Maakuntaliitto - Pohjois-Karjala</title>",
        "<div role='main'><div class='journal-content-article'><h2>Smart ecosystems in North "
        "Karelia</h2><p>Teksti.</p></div></div>",
        "Smart ecosystems in North Karelia",
    ),
    (
        "an-h2-the-title-does-not-name-is-a-section",
        "<title>Kiertotalous - Päijät-Hämeen liitto</title>",
        "<main><h2>Yhteystiedot</h2><p>Teksti.</p></main>",
        "Kiertotalous",
    ),
]


@pytest.mark.parametrize(("rule", "head", "body", "expected"), TITLES, ids=[t[0] for t in TITLES])
def test_title_rules(rule, head, body, expected):
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    assert extract_page(html.encode(), "https://x.fi/").title == expected


TEXTS = [
    (
        "lead-beside-the-article-body",
        "<main><article><h1>Otsikko</h1><div class='article-ingress'><p>Lapin liitto käynnistää "
        "ohjelman päivityksen ja kutsuu kaikki mukaan.</p></div><div class='article-body'>"
        + "<p>Päivitystyö tehdään avoimesti yhdessä alueen toimijoiden kanssa.</p>" * 5
        + "</div></article></main>",
        ["Lapin liitto käynnistää ohjelman päivityksen"],
        [],
    ),
    (
        "table-layout-page",
        "<table><tr><td id='vasen'><ul class='vasenvalikko'><li><a href='/a'>Maakuntaohjelma</a>"
        "</li><li><a href='/b'>Rahoitus</a></li></ul></td><td id='sisalto'><div class='murupolku'>"
        "Olet täällä: Etusivu &gt; Strategia</div><h1>Strategia</h1>"
        + "<p>Pohjois-Savon strategia on maakunnan yhteinen näkemys osaamisesta.</p>" * 3
        + "</td></tr></table><div id='alaosa'>Pohjois-Savon liitto · Sepänkatu 1, Kuopio</div>",
        ["Pohjois-Savon strategia on maakunnan yhteinen näkemys osaamisesta."],
        ["Olet täällä", "Sepänkatu 1", "Maakuntaohjelma"],
    ),
    (
        "news-list-inside-the-article-goes-alone",
        "<main><div class='journal-content-article'><h2>Maakuntaliitto</h2>"
        + "<p>Maakuntaliitto vastaa maakunnan kehittämisestä ja kaavoituksesta.</p>" * 4
        + "<h3>Ajankohtaista</h3><ul><li>24.3.2020 Maakuntavaltuuston kokous</li></ul>"
        "</div></main>",
        ["Maakuntaliitto vastaa maakunnan kehittämisestä"],
        ["Maakuntavaltuuston kokous"],
    ),
]


@pytest.mark.parametrize(("rule", "body", "kept", "dropped"), TEXTS, ids=[t[0] for t in TEXTS])
def test_text_rules(rule, body, kept, dropped):
    html = f"<html><head><title>T</title></head><body>{body}</body></html>"
    text = extract_page(html.encode(), "https://x.fi/").text
    assert [snippet for snippet in kept if snippet not in text] == []
    assert [snippet for snippet in dropped if snippet in text] == []


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
    ("title", "text", "headings", "relevant"),
    [
        ("Älykäs erikoistuminen", "Maakunnan älykkään erikoistumisen kärjet ja TKI.", [], True),
        ("Smart specialisering", "Österbottens spetsområden.", [], True),
        ("RIS3 strategy", "Smart specialisation priorities of Kymenlaakso.", [], True),
        ("Asemakaavan muutos", "Tervasaaren asemakaavan muutos on nähtävillä.", [], False),
        ("Avoin työpaikka", "Haemme suunnittelijaa maakuntakaavoitukseen.", [], False),
        # One mention in a list item of off-topic news is not enough ...
        (
            "Maakuntahallitus 14.10.2024",
            "Maakuntahallitus hyväksyi kokouksessaan edunvalvontatavoitteet vuodelle 2025 ja "
            "käsitteli talousarvion toteumaa.\nMaakuntahallitus käsitteli lisäksi:\n"
            "- talousarvion toteuma\n"
            "- älykkään erikoistumisen strategian tilannekatsaus\n- henkilöstöasiat",
            [],
            False,
        ),
        # ... but one mention in the lead paragraph of a short page is what it is about,
        (
            "Älykäs Uusimaa",
            "Uudenmaan älykkään erikoistumisen strategia ohjaa maakunnan tutkimus- ja "
            "kehitystoiminnan rahoitusta.\nStrategian painopisteet\n- Terveys ja hyvinvointi",
            [],
            True,
        ),
        # and so is a section heading that names it,
        (
            "Strategiat",
            "Maakunnan strategiat ohjaavat kehittämistä monella tavalla ja eri aloilla.\n"
            "Älykäs erikoistuminen\nStrategia valittiin yhdessä toimijoiden kanssa.",
            ["Älykäs erikoistuminen"],
            True,
        ),
        # but not a home page's teaser card with the same words (a link, not a heading),
        (
            "Hämeen liitto",
            "Hämeen liitto on Kanta-Hämeen kuntien muodostama maakunnan liitto ja kehittäjä.\n"
            "Älykäs erikoistuminen\nKiertotalous ja kestävä ruokajärjestelmä.",
            [],
            False,
        ),
        # and two mentions in a short text.
        (
            "Työpaja Kotkassa",
            "Kärkiryhmät kokoontuivat työpajaan Kotkassa keskiviikkona yhdessä.\n"
            + "Työpajassa etsittiin uusia yhteishankkeiden aiheita. " * 5
            + "\nTämä on sitä, mitä älykäs erikoistuminen on.\n"
            "Hankkeet tukevat RIS3-strategiaa.",
            [],
            True,
        ),
        # Two mentions lost in a long text are not.
        (
            "Vuosikertomus",
            "Liitto kertoo tässä kertomuksessa vuoden toiminnastaan ja taloudestaan laajasti.\n"
            + "Vuoden aikana tehtiin paljon työtä maakunnan hyväksi. " * 80
            + "\nLisäksi seurattiin älykkään erikoistumisen strategiaa ja RIS3-hankkeita.",
            [],
            False,
        ),
    ],
)
def test_relevance(title, text, headings, relevant):
    assert score_relevance(title, text, headings)[0] is relevant


def test_extract_imports_neither_scrapy_nor_sqlite():
    code = (
        "import sys, extract; extract.extract_page(b'<p>x</p>', 'https://x.fi/');"
        "bad = {'scrapy', 'sqlite_utils', 'sqlite3', 'twisted'} & set(sys.modules);"
        "print(sorted(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_content_headings_leave_out_teasers_and_chrome():
    tree = lxml.html.document_fromstring(
        "<html><body><main><h1>Hämeen liitto</h1><h2>Kärkialat</h2>"
        "<div class='liftup'><h2><a href='/s3/'>Älykäs erikoistuminen</a></h2></div>"
        "<h3>Yhteystiedot <a href='/x'>(kartta)</a></h3></main>"
        "<aside><h3>Älykäs erikoistuminen</h3></aside></body></html>"
    )
    assert content_headings(tree) == ["Kärkialat", "Yhteystiedot (kartta)"]


def test_title_candidates_rank_content_h1s_then_headline_markup():
    """<h1> in <main>, in an <article>, in [role=main], elsewhere (document order within
    each); then headline markup, its class tokens split as XPath's normalize-space does."""
    tree = lxml.html.document_fromstring(
        "<html><head><title>Sivu</title></head><body>"
        "<h1>Muu</h1><div role='main'><h1>Rooli</h1></div>"
        "<article><h1>Artikkeli</h1><h2 class='post\tentry-title'>Otsikko</h2></article>"
        "<main><h1>Pää</h1></main></body></html>"
    )
    assert title_candidates(tree)[:5] == ["Pää", "Artikkeli", "Rooli", "Muu", "Otsikko"]
