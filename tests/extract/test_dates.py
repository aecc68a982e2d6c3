import lxml.html
import pytest

from extract.dates import find_dates, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Päivitetty 12.01.2021", "2021-01-12"),
        ("Päivitetty 29 tammikuu 2024", "2024-01-29"),  # Joomla: nominative month
        ("Päivitetty 28. helmikuuta 2020", "2020-02-28"),  # partitive
        ("12. maaliskuun 2021", "2021-03-12"),  # genitive
        ("Päivitetty 22 touko 2024", "2024-05-22"),  # short month stem
        ("julk. 5.5.2020", "2020-05-05"),
        ("3.07.2019", "2019-07-03"),  # day first, mixed zeros
        ("Uppdaterat 02.08.2017, klockan 15.45", "2017-08-02"),
        ("Published 3 March 2021", "2021-03-03"),
        ("March 3, 2021", "2021-03-03"),
        ("Ohjelmakaudella 2021–2027", None),  # a period, not a date
        ("© 2026 Kymenlaakson liitto", None),
        ("vuonna 2019", None),
        ("31.02.2020", None),  # impossible date
    ],
)
def test_parse_date(text, expected):
    found = parse_date(text)
    assert (found.isoformat() if found else None) == expected


def _tree(html: str):
    return lxml.html.document_fromstring(html)


@pytest.mark.parametrize(
    ("text", "published", "updated"),
    [
        ("Artikkeli julkaistu: 08.08.2019", "2019-08-08", None),
        ("Julkaistu 22.08.2023", "2023-08-22", None),
        ("Julkaisuajankohta 30.9.2022 14.21", "2022-09-30", None),
        ("Kirjoittanut perjantai, 18 joulukuu 2020 10:46", "2020-12-18", None),
        ("Päivitetty 12 maaliskuu 2021", None, "2021-03-12"),
        ("Julkaistu 5.5.2020\nPäivitetty 6.6.2021", "2020-05-05", "2021-06-06"),
        ("Uppdaterat 02.08.2017, klockan 15.45", None, "2017-08-02"),
        ("Last updated 3 March 2021", None, "2021-03-03"),
        ("Päivitetty\nLisätietoja", None, None),  # bare cue: no date
        ("Ohjelmakausi 2021–2027\n© 2026", None, None),
    ],
)
def test_cued_dates(text, published, updated):
    paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n"))
    assert find_dates(_tree(f"<html><body>{paragraphs}</body></html>")) == (published, updated)


@pytest.mark.parametrize(
    ("head_or_body", "published", "updated"),
    [
        (
            '<meta property="article:published_time" content="2023-04-05T10:00:00+03:00">',
            "2023-04-05",
            None,
        ),
        ('<meta property="article:modified_time" content="2024-01-02">', None, "2024-01-02"),
        (
            '<script type="application/ld+json">'
            '{"@graph": [{"datePublished": "2022-11-30"}]}</script>',
            "2022-11-30",
            None,
        ),
        ('<article><time datetime="2021-06-15">15.6.</time></article>', "2021-06-15", None),
        ('<a href="/uutiset/2019-05-05-juttu">x</a>', None, None),  # date in a URL slug
    ],
)
def test_markup_dates(head_or_body, published, updated):
    tree = _tree(f"<html><head>{head_or_body}</head><body>{head_or_body}<p>x</p></body></html>")
    assert find_dates(tree) == (published, updated)


JSONLD = (
    '<script type="application/ld+json">'
    '{"@graph": [{"datePublished": "2019-01-14", "dateModified": "2023-02-08"}]}</script>'
)


@pytest.mark.parametrize(
    ("rule", "head", "body", "published", "updated"),
    [
        (
            "sidebar-news-never-counts",
            JSONLD,
            "<main><h1>Kiertotalous</h1><p>Teksti.</p></main><div id='sidebar'>"
            "<div class='widget_recent_entries'><span>Julkaistu 4.11.2024</span></div></div>",
            "2019-01-14",
            "2023-02-08",
        ),
        (
            "main-content-cue-beats-markup",
            JSONLD,
            "<main><h1>Otsikko</h1><p>Julkaistu 5.5.2020</p></main>",
            "2020-05-05",
            "2023-02-08",
        ),
        (
            "byline-date-and-author",
            "",
            "<article><h1>Voimalla</h1><div class='entry-meta'><span class='posted-on'>"
            "15.7.2021</span> | <span class='byline'>Paula Heikkilä</span></div><p>x</p></article>",
            "2021-07-15",
            None,
        ),
        (
            "bare-date-right-after-h1",
            "",
            "<div class='content'><h1>Strategia</h1><p>17.2.2020</p><p>Teksti.</p></div>",
            "2020-02-17",
            None,
        ),
        (
            "period-is-not-a-byline",
            "",
            "<div><h1>Hanke</h1><p class='date'>1.3.2020–31.12.2021</p></div>",
            None,
            None,
        ),
        (
            "footer-date-is-not-a-byline",
            "",
            "<div><h1>Sivu</h1></div><footer><p class='date'>17.2.2020</p></footer>",
            None,
            None,
        ),
        (
            "article-footer-is-content-site-footer-is-not",
            "",
            "<div id='footer'><p>Päivitetty 1.1.2026</p></div><article><h1>Sivu</h1><p>x</p>"
            "<div class='entry-footer'>Päivitetty 6.6.2021</div></article>",
            None,
            "2021-06-06",
        ),
        (
            "news-list-dates-are-other-pages",
            "",
            "<main><h1>Etusivu</h1><ul class='news'><li><time datetime='2021-11-03'>3.11.2021"
            "</time> Uutinen</li><li><span class='date'>2.8.2017</span> Toinen</li></ul></main>",
            None,
            None,
        ),
        (
            "date-in-running-text-is-not-a-byline",
            "",
            "<div><h1>Kokous</h1><p>Kokous pidetään 11.11.2024 Tampereella.</p></div>",
            None,
            None,
        ),
    ],
)
def test_date_regions(rule, head, body, published, updated):
    tree = _tree(f"<html><head>{head}</head><body>{body}</body></html>")
    assert find_dates(tree) == (published, updated)
