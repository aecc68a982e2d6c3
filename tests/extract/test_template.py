"""Applying a source's template, and titles that give way to it: pure, table-driven."""

import pytest
from lxml.html import fromstring

from extract import extract_page
from extract.template import (
    NO_TEMPLATE,
    TITLE_MARK,
    Template,
    apply_template,
    block_key,
    normalise_block,
    page_blocks,
)
from extract.title import choose_title, extract_title, title_candidates

BODY = (
    "Kiertotalouden kärkihankkeet tuovat maakuntaan uusia työpaikkoja.\n"
    "Älykkään erikoistumisen strategia ohjaa työtä vuoteen 2027."
)
FOOTER = "Etelärannikon liitto, Satamakatu 5, 48100 Kotka"
COOKIE = "Sivustomme käyttää evästeitä. Lue lisää."


def lines(*texts: str) -> Template:
    return Template(lines=frozenset(block_key(t) for t in texts))


def titles(*texts: str) -> frozenset[str]:
    return frozenset(TITLE_MARK + block_key(t) for t in texts)


APPLY = [
    ("no-template", f"{COOKIE}\n{BODY}", NO_TEMPLATE, None, f"{COOKIE}\n{BODY}"),
    ("template-lines-go", f"{COOKIE}\n{BODY}\n{FOOTER}", lines(COOKIE, FOOTER), None, BODY),
    (
        "case-spacing-and-bullets-do-not-count",
        f"- {COOKIE.upper()}\n{BODY}\n  {FOOTER.replace(' ', '  ')}",
        lines(COOKIE, FOOTER),
        None,
        BODY,
    ),
    (
        "a-line-that-only-contains-a-block-stays",
        f"{BODY}\nLisätietoja: {FOOTER}",
        lines(FOOTER),
        None,
        f"{BODY}\nLisätietoja: {FOOTER}",
    ),
    (
        "blank-runs-left-behind-collapse",
        f"{BODY}\n\n{FOOTER}\n\nLopuksi kiitämme kaikkia hankkeeseen osallistuneita.",
        lines(FOOTER),
        None,
        f"{BODY}\n\nLopuksi kiitämme kaikkia hankkeeseen osallistuneita.",
    ),
    (
        "never-the-title",
        f"Etelärannikon liitto\n{BODY}\n{FOOTER}",
        lines("Etelärannikon liitto", FOOTER),
        "Etelärannikon liitto",
        f"Etelärannikon liitto\n{BODY}",
    ),
    (
        "nothing-when-the-page-would-be-nearly-empty",
        f"Yhteystiedot\n{FOOTER}\nAvoinna arkisin.",
        lines(FOOTER),
        "Yhteystiedot",
        f"Yhteystiedot\n{FOOTER}\nAvoinna arkisin.",
    ),
    ("empty-text", "", lines(FOOTER), None, ""),
]


@pytest.mark.parametrize(
    ("case", "text", "template", "title", "expected"), APPLY, ids=[c[0] for c in APPLY]
)
def test_apply_template(case, text, template, title, expected):
    assert apply_template(text, template, title) == expected


def test_block_keys_are_stable_and_marked():
    assert block_key(f"- {COOKIE}") == block_key(COOKIE.lower()) == block_key(f" {COOKIE} ")
    assert normalise_block("•  Etusivu ") == "etusivu"
    keys = page_blocks(f"{COOKIE}\n\n{COOKIE}\n{BODY}", ["Kiertotalous", ""])
    expected = {block_key(COOKIE), *(block_key(line) for line in BODY.splitlines())}
    assert keys == tuple(sorted(expected | {TITLE_MARK + block_key("Kiertotalous")}))
    assert not Template() and Template(titles=titles("x"))


LOGO = "<div class='et_pb_row'><h1>Etelärannikon liitto</h1></div>"


TITLES = [
    (
        "cold-start-takes-the-h1",
        f"<title>Kiertotalous - Etelärannikon liitto</title>{LOGO}<main><p>x</p></main>",
        frozenset(),
        "Etelärannikon liitto",
    ),
    (
        "logo-h1-gives-way-to-the-title-tag",
        f"<title>Kiertotalous - Etelärannikon liitto</title>{LOGO}<main><p>x</p></main>",
        titles("Etelärannikon liitto"),
        "Kiertotalous",
    ),
    (
        "section-h1-gives-way-to-the-next-h1",
        "<title>Ajankohtaista</title><div><h1>Ajankohtaista</h1></div>"
        "<article><h1>Hankehaku avautuu</h1></article>",
        titles("Ajankohtaista"),
        "Hankehaku avautuu",
    ),
    (
        "section-h1-gives-way-to-headline-markup",
        "<title>Uutiset - Liitto</title><h1>Uutiset</h1>"
        "<h2 class='entry-title'>Kärkihankkeet valittu</h2>",
        titles("Uutiset"),
        "Kärkihankkeet valittu",
    ),
    (
        "site-wide-title-tag-too-gives-the-main-heading",
        f"<title>Etelärannikon liitto</title>{LOGO}<main><h2>Logistiikka</h2><p>x</p></main>",
        titles("Etelärannikon liitto"),
        "Logistiikka",
    ),
    (
        "home-page-all-template-keeps-the-first",
        f"<title>Etelärannikon liitto</title>{LOGO}<div><p>x</p></div>",
        titles("Etelärannikon liitto"),
        "Etelärannikon liitto",
    ),
    (
        "a-page-own-h1-is-not-skipped-for-another-page-h1",
        "<title>Energia - Etelärannikon liitto</title><main><h1>Energia</h1></main>",
        titles("Etelärannikon liitto"),
        "Energia",
    ),
]


@pytest.mark.parametrize(
    ("case", "html", "template_titles", "expected"), TITLES, ids=[c[0] for c in TITLES]
)
def test_title_gives_way_to_the_template(case, html, template_titles, expected):
    tree = fromstring(
        f"<html><head>{html.split('</title>')[0]}</title></head>"
        f"<body>{html.split('</title>')[1]}</body></html>"
    )
    assert extract_title(tree, template_titles) == expected


def test_title_candidates_best_first():
    tree = fromstring(
        "<html><head><title>Kiertotalous - Etelärannikon liitto</title></head><body>"
        f"{LOGO}<main><h1>Kiertotalous</h1><p>x</p></main></body></html>"
    )
    # <main>'s h1 first, then the logo's; the <title> says the same as the first.
    assert title_candidates(tree) == ["Kiertotalous", "Etelärannikon liitto"]
    assert choose_title([], titles("x")) is None


def test_extract_page_applies_the_template_and_records_blocks():
    html = (
        "<html><head><title>Kiertotalous - Etelärannikon liitto</title></head><body>"
        f"<div class='et_pb_text'><h1>Etelärannikon liitto</h1><p>{COOKIE}</p>"
        + "".join(f"<p>{line}</p>" for line in BODY.splitlines())
        + f"<p>{FOOTER}</p></div></body></html>"
    ).encode()
    cold = extract_page(html, "https://x.fi/kiertotalous")
    assert cold.title == "Etelärannikon liitto" and FOOTER in cold.text
    template = Template(
        lines=frozenset({block_key(COOKIE), block_key(FOOTER)}),
        titles=titles("Etelärannikon liitto"),
    )
    warm = extract_page(html, "https://x.fi/kiertotalous", template=template)
    assert warm.title == "Kiertotalous"
    assert FOOTER not in warm.text and COOKIE not in warm.text and BODY.splitlines()[0] in warm.text
    # The blocks are the page's before the template: the next learning still sees them.
    assert warm.blocks == cold.blocks and block_key(FOOTER) in warm.blocks
