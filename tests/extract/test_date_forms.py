"""The date forms real pages use beyond the cue words: microdata on any element, lenient
JSON-LD, RFC 822 and other common formats, and htmldate as a guarded fallback."""

import lxml.html
import pytest

from extract.dates import find_dates, parse_date


def _dates(head: str, body: str) -> tuple[str | None, str | None]:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return find_dates(lxml.html.document_fromstring(html))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published 3rd February 2021", "2021-02-03"),
        ("Published on February 3rd, 2021", "2021-02-03"),
        ("Posted Feb. 3, 2021", "2021-02-03"),
        ("3 Feb, 2021", "2021-02-03"),
        ("the 3rd of February 2021", "2021-02-03"),
        ("2021/02/03", "2021-02-03"),
        ("2021.2.3", "2021-02-03"),
        ("03/02/2021", None),  # day or month first: not told by the digits
        ("2021-2027", None),
    ],
)
def test_common_written_forms(text, expected):
    found = parse_date(text)
    assert (found.isoformat() if found else None) == expected


ARTICLE = "<article><h1>Kasvun alustat</h1><p>Teksti hankkeesta.</p>{}</article>"


@pytest.mark.parametrize(
    ("rule", "head", "body", "published", "updated"),
    [
        (
            "microdata-content-on-a-span",
            "",
            ARTICLE.format(
                '<span itemprop="datePublished" content="2021-02-03T10:00:00+02:00">'
                "3. helmikuuta</span>"
            ),
            "2021-02-03",
            None,
        ),
        (
            "microdata-title-attribute",
            "",
            ARTICLE.format('<abbr itemprop="dateModified" title="2022-05-06">6.5.</abbr>'),
            None,
            "2022-05-06",
        ),
        (
            "microdata-text-of-the-element",
            "",
            ARTICLE.format('<div itemprop="datePublished">3.2.2021</div><p>x</p>'),
            "2021-02-03",
            None,
        ),
        (
            "microdata-in-a-sidebar-teaser-is-another-page",
            "",
            ARTICLE.format("")
            + '<aside><div itemprop="datePublished" content="2020-01-01">1.1.2020</div></aside>',
            None,
            None,
        ),
        (
            "microdata-meta-in-a-teaser-list-is-another-page",
            "",
            ARTICLE.format("") + "<aside><ul><li><a href='/a'>A</a><meta itemprop='datePublished'"
            " content='2020-01-01'></li></ul></aside>",
            None,
            None,
        ),
        (
            "meta-name-case-and-rfc-822",
            '<meta name="DC.Date.Issued" content="Wed, 03 Feb 2021 14:05:33 +0200">',
            ARTICLE.format(""),
            "2021-02-03",
            None,
        ),
        (
            "meta-http-equiv-last-modified",
            '<meta http-equiv="last-modified" content="2023-04-05@10:00:00 UTC">',
            ARTICLE.format(""),
            None,
            "2023-04-05",
        ),
        (
            "jsonld-with-a-raw-newline-in-a-string",
            '<script type="application/ld+json">{"@type": "Article", "headline": "Kasvun\n'
            'alustat", "datePublished": "2021-02-03", "dateModified": "2021-03-04"}</script>',
            ARTICLE.format(""),
            "2021-02-03",
            "2021-03-04",
        ),
        (
            "jsonld-in-a-cdata-comment",
            '<script type="application/ld+json">//<![CDATA[\n{"datePublished": "2020-09-30"}'
            "\n//]]></script>",
            ARTICLE.format(""),
            "2020-09-30",
            None,
        ),
        (
            "jsonld-with-a-trailing-comma",
            '<script type="application/ld+json">{"@type": "NewsArticle",'
            ' "datePublished": "2019-11-18T08:00:00Z",}</script>',
            ARTICLE.format(""),
            "2019-11-18",
            None,
        ),
        (
            "jsonld-top-level-before-nested",
            '<script type="application/ld+json">{"datePublished": "2021-02-03", "hasPart":'
            ' {"datePublished": "2015-01-01"}}</script>',
            ARTICLE.format(""),
            "2021-02-03",
            None,
        ),
        (
            "byline-with-seconds",
            "",
            "<article><h1>Kasvun alustat</h1><p>15.7.2021 klo 14.05.33 | Paula Heikkilä</p>"
            "<p>Teksti.</p></article>",
            "2021-07-15",
            None,
        ),
    ],
)
def test_markup_and_formats(rule, head, body, published, updated):
    assert _dates(head, body) == (published, updated)


@pytest.mark.parametrize(
    ("rule", "body", "published"),
    [
        (
            # The byline's date on a line of its own after the author, in an old layout
            # table: no cue word, not right under the <h1>; htmldate reads it by its class.
            "htmldate-date-under-the-author",
            "<table><tr><td><h1>Kasvun alustat</h1><h3 class='byline'>Liisa Korhonen<br>"
            "<span class='datetime'>maanantai 18.11.2019</span></h3><p>Teksti.</p></td></tr>"
            "</table>",
            "2019-11-18",
        ),
        (
            "htmldate-date-after-the-author-in-english",
            "<div class='sisalto'><h1>Growth platforms</h1><p class='lead'>Lead text.</p>"
            "<p>by Liisa Korhonen, <span class='datetime'>Monday, November 18, 2019</span></p>"
            "<p>Text.</p></div>",
            "2019-11-18",
        ),
        (
            "htmldate-news-list-is-other-pages",
            "<main><h1>Uutiset</h1><ul><li><span class='date'>2.8.2017</span> Yksi</li>"
            "<li><span class='date'>3.8.2017</span> Toinen</li></ul></main>",
            None,
        ),
        (
            "htmldate-footer-date-is-not-the-page",
            "<div><h1>Sivu</h1><p>Teksti.</p></div><footer><p class='date'>17.2.2020</p>"
            "<p>© 2024 Liitto</p></footer>",
            None,
        ),
        (
            "htmldate-period-is-not-a-date",
            "<div><h1>Hanke</h1><p class='date'>1.3.2020–31.12.2021</p></div>",
            None,
        ),
        (
            "htmldate-date-in-the-url-is-not-the-page",
            "<link rel='canonical' href='https://liitto.fi/2019/05/05/juttu'>"
            "<div><h1>Sivu</h1><p>Teksti <a href='/uutiset/2019/05/05/juttu'>juttu</a></p></div>",
            None,
        ),
    ],
)
def test_htmldate_fallback_is_guarded(rule, body, published):
    assert _dates("", body)[0] == published


def test_updated_only_page_gets_no_publication_date_from_htmldate():
    body = "<main><h1>Strategi</h1><p>Text.</p><p class='date'>Uppdaterat 02.08.2017</p></main>"
    assert _dates("", body) == (None, "2017-08-02")
