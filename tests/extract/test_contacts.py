import lxml.html
import pytest

from extract.contacts import extract_contacts, normalise_name, normalise_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("puh. + 358 44 3719 442", "+358443719442"),
        ("P. 040 678 5415", "+358406785415"),
        ("tel. +358 40 501 9856", "+358405019856"),
        ("050 50 502 113", "+3585050502113"),
        ("+358406216116", "+358406216116"),
        ("gsm 044 123 4567", "+358441234567"),
        ("00358 40 123 4567", "+358401234567"),
        ("2021–2027", None),
    ],
)
def test_normalise_phone(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Riika Kivelä", "Riika Kivelä"),
        ("Räsänen, Petri", "Petri Räsänen"),
        ("HAVUKAINEN ILARI MIKAEL", "Ilari Havukainen"),
        ("Anna-Maija Virtanen-Lahti", "Anna-Maija Virtanen-Lahti"),
        ("Lisätietoja", None),
        ("Jaa artikkeli", None),
        ("Ota yhteyttä", None),
        ("Projektipäällikkö", None),
    ],
)
def test_normalise_name(written, expected):
    assert normalise_name(written) == expected


CARDS = [
    # (layout, html, expected (name, title, email, phone))
    (
        "br-paragraph",
        "<h3>Lisätietoja</h3><p>Riika Kivelä<br>projektipäällikkö<br>puh. +358 44 3719 454<br>"
        "riika.kivela(a)paijat-hame.fi</p>",
        ("Riika Kivelä", "projektipäällikkö", "riika.kivela@paijat-hame.fi", "+358443719454"),
    ),
    (
        "surname-first-by-address",
        "<p><strong>Tolmunen Petri</strong><br>Elinkeinopäällikkö<br>+358 44 747 8512<br>"
        '<a href="mailto:petri.tolmunen@kymenlaakso.fi">petri.tolmunen@kymenlaakso.fi</a></p>',
        ("Petri Tolmunen", "Elinkeinopäällikkö", "petri.tolmunen@kymenlaakso.fi", "+358447478512"),
    ),
    (
        "liferay-table",
        "<table><tr><td>Nimi</td><td>Tuomas Hakkarainen</td></tr><tr><td>Tehtävä</td>"
        "<td>projektipäällikkö</td></tr><tr><td>Puhelin</td><td>050 50 502 113</td></tr>"
        "<tr><td>Sähköposti</td><td><a href='mailto:&#116;uomas.hakkarainen@pohjois-karjala.fi'>"
        "tuomas.hakkarainen@pohjois-karjala.fi</a></td>"
        "</tr></table>",
        (
            "Tuomas Hakkarainen",
            "projektipäällikkö",
            "tuomas.hakkarainen@pohjois-karjala.fi",
            "+3585050502113",
        ),
    ),
    (
        "title-first-one-line",
        "<p>Lisätietoja: Elinkeinopäällikkö Tuula Kokkonen, puh. + 358 40 621 6116, "
        "tuula.kokkonen[at]lapinliitto.fi</p>",
        ("Tuula Kokkonen", "Elinkeinopäällikkö", "tuula.kokkonen@lapinliitto.fi", "+358406216116"),
    ),
    (
        "registry-upper-case",
        "<p>HAVUKAINEN ILARI MIKAEL<br>kehittämisjohtaja<br>+358406216116<br>"
        "ilari.havukainen@hameenliitto.fi</p>",
        (
            "Ilari Havukainen",
            "kehittämisjohtaja",
            "ilari.havukainen@hameenliitto.fi",
            "+358406216116",
        ),
    ),
]


@pytest.mark.parametrize(("layout", "html", "expected"), CARDS, ids=[c[0] for c in CARDS])
def test_contact_cards(layout, html, expected):
    tree = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
    people = [c for c in extract_contacts(tree) if c.kind == "person"]
    assert [(c.name, c.title, c.email, c.phone) for c in people] == [expected]


def test_generic_mailbox_is_the_organisation_and_nothing_is_invented():
    html = (
        "<h2>Yhteystiedot</h2><p>Jaa artikkeli</p><footer>Kymenlaakson liitto<br>"
        "Kauppamiehenkatu 4, 45100 Kouvola<br>puh. 040 123 4567 (vaihde)<br>"
        "kirjaamo@kymenlaakso.fi</footer>"
    )
    tree = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
    contacts = extract_contacts(tree, organisation="Kymenlaakson liitto")
    assert [(c.kind, c.name, c.email) for c in contacts] == [
        ("organisation", "Kymenlaakson liitto", "kirjaamo@kymenlaakso.fi")
    ]


def test_no_contact_without_an_address_in_the_page():
    tree = lxml.html.document_fromstring(
        "<html><body><h3>Lisätietoja</h3><p>Riika Kivelä, projektipäällikkö</p></body></html>"
    )
    assert extract_contacts(tree) == []
