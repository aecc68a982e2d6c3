import base64

import lxml.html
import pytest

from extract.emails import (
    decode_cloudflare,
    decode_joomla3_script,
    emails_in_text,
    normalise_email,
    reveal_emails,
)


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
