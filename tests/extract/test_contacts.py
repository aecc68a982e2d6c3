import lxml.html
import pytest

from extract.contacts import extract_contacts
from extract.names import fit_to_address, normalise_name
from extract.phones import normalise_phone, phones_in


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
        ("NIEMI-KORPELA ANNE", "Anne Niemi-Korpela"),  # each part of a double name
        ("Helsinki-Uusimaa Regional Council", None),  # organisations look like names
        ("Business Joensuu", None),
        ("Yhteyshenkilöt", None),
    ],
)
def test_normalise_name(written, expected):
    assert normalise_name(written) == expected


@pytest.mark.parametrize(
    ("name", "address", "expected"),
    [
        ("Leena Virtaseen", "leena.virtanen@paijat-hame.fi", "Leena Virtanen"),  # illative
        ("Markku Hännisen", "markku.hanninen@kymenlaakso.fi", "Markku Hänninen"),  # genitive
        ("Tolmunen Petri", "petri.tolmunen@kymenlaakso.fi", "Petri Tolmunen"),
        ("Kaarina Mäcklin", "kaarina.macklin@lapinliitto.fi", "Kaarina Mäcklin"),
        ("Arctic Smartness", "paula.heikkila@lapinliitto.fi", None),  # someone else
        ("Riika Kivelä", "riika@paijat-hame.fi", "Riika Kivelä"),  # cannot tell
    ],
)
def test_fit_to_address(name, address, expected):
    assert fit_to_address(name, address) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("puh. 040 722 6661", [("+358407226661", False)]),
        ("Vaihde (03) 871 940", [("+3583871940", True)]),
        ("puh. 040 123 4567 (vaihde)", [("+358401234567", True)]),
        ("ajalle 1.4.2024–31.12.2025, PL 1000, 90101 Oulu", []),
    ],
)
def test_phones_in(text, expected):
    assert [(p.number, p.switchboard) for p in phones_in(text)] == expected


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


# Each rule of the card reader, one page snippet each: every contact the snippet yields,
# as (kind, name, title, email, phone).
RULES = [
    (
        "switchboard-in-the-same-block-goes-to-the-mailbox",
        "<p>Riika Kivelä, puh. 044 3719 454, riika.kivela@paijat-hame.fi</p>"
        "<footer><p>Päijät-Hämeen liitto<br>Vaihde (03) 871 940<br>kirjaamo(at)paijat-hame.fi</p>"
        "<p>Tietosuoja: tietosuoja@paijat-hame.fi</p></footer>",
        [
            ("person", "Riika Kivelä", None, "riika.kivela@paijat-hame.fi", "+358443719454"),
            ("organisation", "Liitto", None, "kirjaamo@paijat-hame.fi", "+3583871940"),
            ("organisation", "Liitto", None, "tietosuoja@paijat-hame.fi", None),
        ],
    ),
    (
        "generic-mailboxes-registry-and-privacy",
        "<p>registry@uudenmaanliitto.fi</p><p>dataskydd@obotnia.fi</p>",
        [
            ("organisation", "Liitto", None, "registry@uudenmaanliitto.fi", None),
            ("organisation", "Liitto", None, "dataskydd@obotnia.fi", None),
        ],
    ),
    (
        "address-pattern-is-no-contact",
        "<p>Sähköpostiosoitteet ovat muotoa etunimi.sukunimi@pirkanmaa.fi ja "
        "fornamn.efternamn(at)obotnia.fi.</p>",
        [],
    ),
    (
        "phone-only-people-in-a-sentence",
        "<p>Lisätietoja: maakuntajohtaja Heikki Saarela, puh. 040 722 6661 ja hallintojohtaja "
        "Kaisa Kuusela, puh. 040 719 8855.</p>",
        [
            ("person", "Heikki Saarela", "maakuntajohtaja", None, "+358407226661"),
            ("person", "Kaisa Kuusela", "hallintojohtaja", None, "+358407198855"),
        ],
    ),
    (
        "phone-only-card-on-lines",
        "<p>Heikki Saarela<br>maakuntajohtaja<br>puh. 040 722 6661</p>",
        [("person", "Heikki Saarela", "maakuntajohtaja", None, "+358407226661")],
    ),
    (
        "phone-without-a-title-is-not-a-person",
        "<p>Lisätietoja antaa Heikki Saarela, puh. 040 722 6661.</p>"
        "<p>Pirkanmaan liitto, vaihde 03 3636 400</p>",
        [],
    ),
    (
        "multi-word-finnish-title",
        "<p>Johtava asiantuntija Johanna Vuori<br>puh. 040 513 4455<br>"
        "johanna.vuori@uudenmaanliitto.fi</p>",
        [
            (
                "person",
                "Johanna Vuori",
                "Johtava asiantuntija",
                "johanna.vuori@uudenmaanliitto.fi",
                "+358405134455",
            )
        ],
    ),
    (
        "multi-word-english-title",
        "<p>Senior Specialist Johanna Vuori<br>johanna.vuori@uudenmaanliitto.fi</p>",
        [
            (
                "person",
                "Johanna Vuori",
                "Senior Specialist",
                "johanna.vuori@uudenmaanliitto.fi",
                None,
            )
        ],
    ),
    (
        "genitive-title",
        "<p>Kansainvälisten asioiden asiantuntija Kaarina Mäcklin, p. 040 586 1127, "
        "kaarina.macklin(at)lapinliitto.fi</p>",
        [
            (
                "person",
                "Kaarina Mäcklin",
                "Kansainvälisten asioiden asiantuntija",
                "kaarina.macklin@lapinliitto.fi",
                "+358405861127",
            )
        ],
    ),
    (
        "two-people-in-running-text-inflected-name",
        "<p>Lisätietoja tehtävästä antaa aluekehitysjohtaja Mikko Nurmi, puh. 044 719 3021, "
        "mikko.nurmi(a)paijat-hame.fi. Hakuprosessista voit olla yhteydessä hallintopäällikkö "
        "Leena Virtaseen, puh. 044 719 3005, leena.virtanen(a)paijat-hame.fi.</p>",
        [
            (
                "person",
                "Mikko Nurmi",
                "aluekehitysjohtaja",
                "mikko.nurmi@paijat-hame.fi",
                "+358447193021",
            ),
            (
                "person",
                "Leena Virtanen",
                "hallintopäällikkö",
                "leena.virtanen@paijat-hame.fi",
                "+358447193005",
            ),
        ],
    ),
    (
        "compound-title-word",
        "<p>Maakuntainsinööri Markku Hänninen, puh. 044 719 6644, "
        "markku.hanninen@kymenlaakso.fi</p>",
        [
            (
                "person",
                "Markku Hänninen",
                "Maakuntainsinööri",
                "markku.hanninen@kymenlaakso.fi",
                "+358447196644",
            )
        ],
    ),
    (
        "plural-heading-and-body-text-are-not-titles",
        "<p>Ryhmiin ovat tervetulleita kaikki alan yritykset, kehittäjät ja vastaavat "
        "toimijat.</p><h3>Yhteyshenkilöt</h3><h4>Hanna Laakso</h4><p>Kiertotalousasiantuntija</p>"
        "<p>gsm 044 123 4567<br>hanna.laakso(at)paijat-hame.fi</p>"
        "<h4>Mikko Nurmi</h4><p>P. 044 719 3021<br>mikko.nurmi(at)paijat-hame.fi</p>",
        [
            (
                "person",
                "Hanna Laakso",
                "Kiertotalousasiantuntija",
                "hanna.laakso@paijat-hame.fi",
                "+358441234567",
            ),
            ("person", "Mikko Nurmi", None, "mikko.nurmi@paijat-hame.fi", "+358447193021"),
        ],
    ),
    (
        "name-is-the-link-text",
        '<p>Elinkeinopäällikkö <a href="mailto:sami.laine@ekarjala.fi">Sami Laine</a>, '
        "puh. 040 652 7711</p>",
        [("person", "Sami Laine", "Elinkeinopäällikkö", "sami.laine@ekarjala.fi", "+358406527711")],
    ),
    (
        "surname-comma-firstname-on-one-line",
        "<p>Kinnunen, Jarmo, maakuntasuunnittelija, puh. 044 714 2660, "
        "jarmo.kinnunen@pohjois-savo.fi</p>",
        [
            (
                "person",
                "Jarmo Kinnunen",
                "maakuntasuunnittelija",
                "jarmo.kinnunen@pohjois-savo.fi",
                "+358447142660",
            )
        ],
    ),
    (
        "registry-double-surname",
        "<p>NIEMI-KORPELA ANNE<br>kehittämispäällikkö<br>anne.niemi-korpela@keski-pohjanmaa.fi</p>",
        [
            (
                "person",
                "Anne Niemi-Korpela",
                "kehittämispäällikkö",
                "anne.niemi-korpela@keski-pohjanmaa.fi",
                None,
            )
        ],
    ),
    (
        "organisation-is-not-part-of-the-title",
        "<p>Minna Turunen, Development Specialist, Business Joensuu<br>tel. +358 40 621 6116"
        "<br>minna.turunen@businessjoensuu.fi</p>",
        [
            (
                "person",
                "Minna Turunen",
                "Development Specialist",
                "minna.turunen@businessjoensuu.fi",
                "+358406216116",
            )
        ],
    ),
    (
        "a-title-line-keeps-its-qualifier",
        "<p>Paula Heikkilä<br>Project Manager, ELMO coordination project<br>"
        "paula.heikkila[at]lapinliitto.fi</p>",
        [
            (
                "person",
                "Paula Heikkilä",
                "Project Manager, ELMO coordination project",
                "paula.heikkila@lapinliitto.fi",
                None,
            )
        ],
    ),
    (
        "head-of-is-a-title-not-a-name",
        "<p>Petri Tolmunen petri.tolmunen@kymenlaakso.fi<br>Head of International Affairs<br>"
        "tel. +358 44 747 8512</p>",
        [
            (
                "person",
                "Petri Tolmunen",
                "Head of International Affairs",
                "petri.tolmunen@kymenlaakso.fi",
                "+358447478512",
            )
        ],
    ),
]


@pytest.mark.parametrize(("rule", "html", "expected"), RULES, ids=[r[0] for r in RULES])
def test_card_rules(rule, html, expected):
    tree = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
    contacts = extract_contacts(tree, organisation="Liitto")
    assert [(c.kind, c.name, c.title, c.email, c.phone) for c in contacts] == expected


# The page's lines are scanned for addresses and phones in one pass (joined by NUL): each
# line must still read as if alone, at both of its ends.
ONE_SCAN = [
    (
        "phone-after-a-line-ending-in-a-digit",
        "<p>Huone 2</p><p>Aluekehitysjohtaja Mikko Nurmi</p><p>040 722 6661</p>"
        "<p>mikko.nurmi@liitto.fi</p>",
        [("person", "Mikko Nurmi", "Aluekehitysjohtaja", "mikko.nurmi@liitto.fi", "+358407226661")],
    ),
    (
        "phone-before-a-line-starting-with-a-digit",
        "<p>Projektipäällikkö Liisa Korhonen, liisa.korhonen@liitto.fi, 044 123 4567</p>"
        "<p>2 liitettä</p>",
        [
            (
                "person",
                "Liisa Korhonen",
                "Projektipäällikkö",
                "liisa.korhonen@liitto.fi",
                "+358441234567",
            )
        ],
    ),
    (
        "spaced-at-word-in-english-text",
        "<p>Meet us at the fair at 10.30.</p><p>Project Manager Anna Virta, "
        "anna.virta at liitto.fi</p>",
        [("person", "Anna Virta", "Project Manager", "anna.virta@liitto.fi", None)],
    ),
]


@pytest.mark.parametrize(("case", "html", "expected"), ONE_SCAN, ids=[c[0] for c in ONE_SCAN])
def test_lines_scanned_at_once_read_as_alone(case, html, expected):
    tree = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
    contacts = extract_contacts(tree, organisation="Liitto")
    assert [(c.kind, c.name, c.title, c.email, c.phone) for c in contacts] == expected
