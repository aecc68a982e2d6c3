import base64

import lxml.html
import pytest

from extract.emails import (
    decode_cloudflare,
    decode_joomla3_script,
    emails_in_text,
    find_emails,
    is_placeholder,
    normalise_email,
    reveal_emails,
)
from extract.html import block_lines


def cf_hex(address: str, key: int = 0x5A) -> str:
    return f"{key:02x}" + "".join(f"{ord(c) ^ key:02x}" for c in address)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("riika.kivela(a)paijat-hame.fi", ["riika.kivela@paijat-hame.fi"]),
        ("petri.rasanen(at)paijat-hame.fi.", ["petri.rasanen@paijat-hame.fi"]),
        ("tuula.kokkonen[at]lapinliitto.fi", ["tuula.kokkonen@lapinliitto.fi"]),
        ("etu.suku ät liitto.fi", ["etu.suku@liitto.fi"]),
        ("etu.suku at liitto.fi", ["etu.suku@liitto.fi"]),
        ("Paula.Heikkila@Lapinliitto.fi,", ["paula.heikkila@lapinliitto.fi"]),
        ("we meet at 10. Lisätietoja", []),
        ("[email protected]", []),
    ],
)
def test_emails_in_text(text, expected):
    assert emails_in_text(text) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("mailto:Maria.Nieminen@hameenliitto.fi?subject=RIS3", "maria.nieminen@hameenliitto.fi"),
        ("mailto:&#109;&#97;&#105;&#108;@x.fi", "mail@x.fi"),
        ("not an address", None),
    ],
)
def test_normalise_email(raw, expected):
    assert normalise_email(raw) == expected


def test_cloudflare_hex_is_xor_with_first_byte():
    assert decode_cloudflare(cf_hex("maria.nieminen@hameenliitto.fi")) == (
        "maria.nieminen@hameenliitto.fi"
    )
    assert decode_cloudflare("zz") is None


JOOMLA3 = """
document.getElementById('cloak1f2e').innerHTML = '';
var prefix = '&#109;a' + 'i&#108;' + '&#116;o';
var path = 'hr' + 'ef' + '=';
var addy1f2e = 'p&#101;tri.tolmunen' + '&#64;';
addy1f2e = addy1f2e + 'kymenlaakso' + '&#46;' + 'fi';
var addy_text1f2e = 'petri.tolmunen' + '&#64;' + 'kymenlaakso' + '&#46;' + 'fi';
"""


def test_joomla3_script():
    assert decode_joomla3_script(JOOMLA3) == ("cloak1f2e", "petri.tolmunen@kymenlaakso.fi")


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        (
            f'<span id="cloak1f2e">Tämä sähköpostiosoite on suojattu spamboteilta.</span>'
            f"<script>{JOOMLA3}</script>",
            "petri.tolmunen@kymenlaakso.fi",
        ),
        (
            '<joomla-hidden-mail is-link="1" first="{}" last="{}">x</joomla-hidden-mail>'.format(
                base64.b64encode(b"hanna.virtanen").decode(),
                base64.b64encode(b"kymenlaakso.fi").decode(),
            ),
            "hanna.virtanen@kymenlaakso.fi",
        ),
        (
            f'<span class="__cf_email__" data-cfemail="{cf_hex("a.b@hameenliitto.fi")}">'
            "[email&#160;protected]</span>",
            "a.b@hameenliitto.fi",
        ),
        (
            f'<a href="/cdn-cgi/l/email-protection#{cf_hex("c.d@ekarjala.fi", 0x21)}">'
            "[email&#160;protected]</a>",
            "c.d@ekarjala.fi",
        ),
    ],
    ids=["joomla3", "joomla4", "cloudflare-span", "cloudflare-link"],
)
def test_reveal_emails_puts_the_address_in_the_text(markup, expected):
    tree = lxml.html.document_fromstring(f"<html><body><p>Yhteys: {markup}</p></body></html>")
    reveal_emails(tree)
    text = tree.find("body").text_content()
    assert expected in text
    assert "protected" not in text and "suojattu" not in text


JOOMLA3_NAMED = JOOMLA3.replace(
    "var addy_text1f2e = 'petri.tolmunen' + '&#64;' + 'kymenlaakso' + '&#46;' + 'fi';",
    "var addy_text1f2e = 'P&#101;tri T&#111;lmunen';",
)
JOOMLA3_OLD = """<script type='text/javascript'>
 var prefix = 'ma' + 'il' + 'to';
 var path = 'hr' + 'ef' + '=';
 var addy98950 = 'k&#105;rjaamo' + '&#64;';
 addy98950 = addy98950 + 'kymenlaakso' + '&#46;' + 'fi';
 document.write('<a ' + path + '\\'' + prefix + ':' + addy98950 + '\\'>');
 document.write(addy98950);
 document.write('<\\/a>');
</script><script type='text/javascript'>
 document.write('<span style=\\'display: none;\\'>');
</script>Tämä sähköpostiosoite on suojattu spamboteilta.
<script type='text/javascript'>
 document.write('</');
 document.write('span>');
</script>"""


# What a browser shows is kept (often a name) and the address is written right after it.
VISIBLE = [
    (
        f'<span id="cloak1f2e">Tämä sähköpostiosoite on suojattu spamboteilta.</span>'
        f"<script>{JOOMLA3_NAMED}</script>",
        "Yhteys: Petri Tolmunen petri.tolmunen@kymenlaakso.fi",
    ),
    (
        f"{JOOMLA3_OLD}, puh. 020 615 5500",
        "Yhteys: kirjaamo@kymenlaakso.fi , puh. 020 615 5500",
    ),
    (
        'Kehittämisasiantuntija <joomla-hidden-mail is-link="1" is-email="0" first="{}" '
        'last="{}" text="{}">Tämä sähköpostiosoite on suojattu.</joomla-hidden-mail>, '
        "puh.".format(
            base64.b64encode(b"sanna.lehtonen").decode(),
            base64.b64encode(b"kymenlaakso.fi").decode(),
            base64.b64encode(b"Sanna Lehtonen").decode(),
        ),
        "Yhteys: Kehittämisasiantuntija Sanna Lehtonen sanna.lehtonen@kymenlaakso.fi, puh.",
    ),
    (
        "Elinkeinopäällikkö <a href='/cdn-cgi/l/email-protection#"
        f"{cf_hex('sami.laine@ekarjala.fi')}'>Sami Laine</a>, puh.",
        "Yhteys: Elinkeinopäällikkö Sami Laine sami.laine@ekarjala.fi, puh.",
    ),
    (
        '<a href="mailto:kirsi.koivunen@hameenliitto.fi">Lähetä sähköpostia</a>',
        "Yhteys: Lähetä sähköpostia kirsi.koivunen@hameenliitto.fi",
    ),
    (
        '<a href="mailto:a.b@x.fi">a.b@x.fi</a>',  # already shown: not repeated
        "Yhteys: a.b@x.fi",
    ),
]
VISIBLE_IDS = ["joomla3-name", "joomla3-document-write", "joomla4-name", "cloudflare-name"]
VISIBLE_IDS += ["mailto", "mailto-address"]


@pytest.mark.parametrize(
    ("markup", "expected_text"),
    VISIBLE,
    ids=VISIBLE_IDS,
)
def test_reveal_returns_the_mail_links_addresses(markup, expected_text):
    """Decoded links included; a mail link is "mailto:" after normalize-space, any case."""
    tree = lxml.html.document_fromstring(
        f"<html><body><p>Yhteys: {markup}</p>"
        '<p><a href=" MailTo:Kirjaamo@Liitto.fi">Kirjaamo</a></p>'
        '<p><a href="/mailto:x@y.fi">x</a></p>'
        "</body></html>"
    )
    addresses = reveal_emails(tree)
    written = set(emails_in_text(" ".join(block_lines(tree.find("body")))))
    assert "x@y.fi" not in written
    assert addresses == written and "kirjaamo@liitto.fi" in addresses


@pytest.mark.parametrize(
    ("markup", "expected_text"),
    VISIBLE,
    ids=VISIBLE_IDS,
)
def test_reveal_keeps_the_visible_text(markup, expected_text):
    tree = lxml.html.document_fromstring(f"<html><body><p>Yhteys: {markup}</p></body></html>")
    reveal_emails(tree)
    assert " ".join(block_lines(tree.find("body"))) == expected_text


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("etunimi.sukunimi@pirkanmaa.fi", True),
        ("fornamn.efternamn@obotnia.fi", True),
        ("firstname.lastname@uudenmaanliitto.fi", True),
        ("petri.tolmunen@kymenlaakso.fi", False),
        ("kirjaamo@kymenlaakso.fi", False),
    ],
)
def test_address_patterns_are_placeholders(address, expected):
    assert is_placeholder(address) is expected


def test_find_emails_gives_each_address_its_span():
    text = "Mikko, mikko.nurmi(a)paijat-hame.fi. Leena, leena.virtanen@paijat-hame.fi"
    assert [(text[f.start : f.end], f.address) for f in find_emails(text)] == [
        ("mikko.nurmi(a)paijat-hame.fi", "mikko.nurmi@paijat-hame.fi"),
        ("leena.virtanen@paijat-hame.fi", "leena.virtanen@paijat-hame.fi"),
    ]
