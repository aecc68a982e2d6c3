"""Language: the declaration, overruled only by a long text clearly in another language."""

import pytest

from extract.language import detect_language, identify

FI = (
    "Maakuntaliitto päivittää älykkään erikoistumisen strategian yhdessä yritysten ja "
    "oppilaitosten kanssa. Kärkiä on kolme, ja ne ovat kiertotalous, teknologiateollisuus "
    "sekä matkailu. Lisätietoja antaa kehittämisjohtaja, joka vastaa myös rahoituksesta."
)
SV = (
    "Österbottens förbund arbetar med smart specialisering. Regionens spetsområden är "
    "energi, blå ekonomi och livsmedel. Strategin uppdateras tillsammans med företag, "
    "högskolor och kommuner i hela regionen under hösten."
)
EN = (
    "The Regional Council of Lapland is updating its smart specialisation strategy. The "
    "spearheads are the arctic economy, tourism and the bioeconomy, which will be developed "
    "together with companies and universities through the new programme."
)
SHORT_SV = "Kontakta oss för mer information om strategin och dess spetsområden."


@pytest.mark.parametrize(("text", "language"), [(FI, "fi"), (SV, "sv"), (EN, "en")])
def test_identify(text, language):
    found, share, evidence = identify(text)
    assert (found, share >= 0.9, evidence >= 5) == (language, True, True)


def test_cloaked_email_is_no_english():
    assert identify("Ota yhteyttä: etunimi.sukunimi(at)liitto.fi tai puhelimitse.")[0] == "fi"


@pytest.mark.parametrize(
    ("text", "declared", "expected"),
    [
        (SV, "fi", "sv"),  # a Swedish page left with lang="fi"
        (EN, "fi", "en"),
        (FI, "sv", "fi"),
        (FI, "fi", "fi"),
        (SV, None, "sv"),  # nothing declared: the text decides
        (SHORT_SV, "fi", "fi"),  # too short to overrule the declaration
        ("Kymenlaakson liitto", None, None),  # no evidence, nothing declared
        ("", "fi", "fi"),
        (FI + " " + SV, "fi", "fi"),  # mixed: not clearly another language
    ],
)
def test_detect_language(text, declared, expected):
    assert detect_language(text, declared) == expected
