"""Registry-style names (upper-case surname first) in table cells and run-in lines."""

import lxml.html
import pytest

from extract.contacts import extract_contacts
from extract.names import normalise_name


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("KORHONEN, LIISA", "Liisa Korhonen"),
        ("KORHONEN, LIISA MARIA", "Liisa Korhonen"),
        ("VIRTANEN-LAHTI, ANNA-MAIJA", "Anna-Maija Virtanen-Lahti"),
        ("KORHONEN, Liisa", "Liisa Korhonen"),
        ("KORHONEN LIISA", "Liisa Korhonen"),
        # Upper-case words that are not names.
        ("TKI-ASIANTUNTIJA KORHONEN", None),
        ("KEHITTÄMISPÄÄLLIKKÖ, LIISA", None),
        ("EAKR TKI", None),
        ("LIITTO, KYMENLAAKSO", None),
        ("YHTEYSTIEDOT, PUHELIN", None),
        ("PL 35", None),
    ],
)
def test_registry_names(written, expected):
    assert normalise_name(written) == expected


LIISA = ("Liisa Korhonen", "liisa.korhonen@kymenlaakso.fi")


@pytest.mark.parametrize(
    ("layout", "html", "expected"),
    [
        (
            "table-row-with-comma",
            "<table><tr><td>KORHONEN, LIISA</td><td>Kehittämispäällikkö</td>"
            "<td>Kauppamiehenkatu 4, 45100 Kouvola</td><td>040 123 4567</td>"
            "<td>liisa.korhonen@kymenlaakso.fi</td></tr></table>",
            [(*LIISA, "Kehittämispäällikkö", "+358401234567")],
        ),
        (
            "table-with-header-row",
            "<table><tr><th>Nimi</th><th>Tehtävä</th><th>Osoite</th><th>Sähköposti</th></tr>"
            "<tr><td>KORHONEN, LIISA</td><td>Kehittämispäällikkö</td><td>PL 35, 45101 Kouvola"
            "</td><td>liisa.korhonen@kymenlaakso.fi</td></tr><tr><td>VIRTANEN, MATTI</td>"
            "<td>Suunnittelija</td><td>PL 35, 45101 Kouvola</td>"
            "<td>matti.virtanen@kymenlaakso.fi</td></tr></table>",
            [
                (*LIISA, "Kehittämispäällikkö", None),
                ("Matti Virtanen", "matti.virtanen@kymenlaakso.fi", "Suunnittelija", None),
            ],
        ),
        (
            "run-in-with-commas",
            "<p>Lisätietoja: KORHONEN, LIISA, kehittämispäällikkö, puh. 040 123 4567, "
            "liisa.korhonen@kymenlaakso.fi</p>",
            [(*LIISA, "kehittämispäällikkö", "+358401234567")],
        ),
        (
            "run-in-after-the-title",
            "<p>Lisätietoja antaa kehittämispäällikkö KORHONEN LIISA, p. 040 123 4567, "
            "liisa.korhonen(at)kymenlaakso.fi</p>",
            [(*LIISA, "kehittämispäällikkö", "+358401234567")],
        ),
        (
            "run-in-before-the-title",
            "<p>KORHONEN LIISA kehittämispäällikkö, liisa.korhonen@kymenlaakso.fi, "
            "040 123 4567</p>",
            [(*LIISA, "kehittämispäällikkö", "+358401234567")],
        ),
        (
            "phone-only-with-title",
            "<p>VIRTANEN MATTI, suunnittelija, puh. 040 765 4321</p>",
            [("Matti Virtanen", None, "suunnittelija", "+358407654321")],
        ),
        (
            "upper-case-heading-is-not-a-name",
            "<h2>ÄLYKÄS ERIKOISTUMINEN</h2><p>TKI-ASIANTUNTIJA, p. 040 123 4567, "
            "tki@kymenlaakso.fi</p>",
            [(None, "tki@kymenlaakso.fi", "TKI-ASIANTUNTIJA", "+358401234567")],
        ),
    ],
)
def test_registry_names_in_cards(layout, html, expected):
    tree = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
    people = [c for c in extract_contacts(tree) if c.kind == "person"]
    assert [(c.name, c.email, c.title, c.phone) for c in people] == expected
