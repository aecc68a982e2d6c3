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
    assert find_dates(_tree("<html><body><p>x</p></body></html>"), text) == (published, updated)


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
    assert find_dates(tree, "x") == (published, updated)
