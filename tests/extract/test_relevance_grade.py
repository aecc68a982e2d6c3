"""Relevance grades: core, related (the strategy's instruments, priorities, projects), off-topic."""

import re

import pytest

from extract.relevance import (
    CORE_TERMS,
    INSTRUMENT_TERMS,
    SUPPORTING_TERMS,
    promotable,
    score_relevance,
)

FILLER = "Maakunnan yritykset ja oppilaitokset kehittävät yhdessä uusia ratkaisuja. " * 6


@pytest.mark.parametrize(
    ("rule", "title", "text", "headings", "grade"),
    [
        (
            "names-the-policy-prominently",
            "Älykäs erikoistuminen",
            "Maakunnan älykkään erikoistumisen kärjet ja TKI.",
            [],
            "core",
        ),
        (
            "innovation-platform-page-naming-the-strategy-once",
            "Kasvun alustat",
            "Kasvun alustat kokoavat yritykset, oppilaitokset ja kaupungit kehittämään "
            "uutta yhdessä.\n" + FILLER + "\nAlustat toteuttavat älykkään erikoistumisen "
            "strategiaa.",
            [],
            "related",
        ),
        (
            "tki-environments-in-a-heading",
            "Osaamista ja yhteistyötä",
            "Maakunnassa toimii monia toimijoita, jotka tekevät yhteistyötä keskenään.\n"
            + FILLER
            + "\nTyö tukee RIS3-strategian toteutumista.",
            ["TKI-ympäristöt"],
            "related",
        ),
        (
            "smart-ecosystem-project",
            "Älykkäät ekosysteemit -hanke",
            "Hankkeessa rakennetaan yritysten yhteisiä kehittämisympäristöjä ja "
            "verkostoja.\n" + FILLER + "\nHanke on osa maakunnan älykästä erikoistumista.",
            [],
            "related",
        ),
        (
            "swedish-innovation-platform",
            "Innovationsplattformar i Österbotten",
            "Plattformarna samlar företag, högskolor och städer kring gemensamma mål.\n"
            + "Företagen och högskolorna utvecklar nya lösningar tillsammans. " * 6
            + "\nArbetet följer strategin för smart specialisering.",
            [],
            "related",
        ),
        (
            "english-rdi-environments-named-twice",
            "Collaboration in the region",
            "Companies and universities develop new solutions together in the region.\n"
            + "The RDI environments of the region are open to companies. " * 2
            + "Companies and universities develop new solutions together. " * 6
            + "\nThe work supports the smart specialisation strategy.",
            [],
            "related",
        ),
        (
            "instrument-page-that-never-names-the-policy",
            "Kasvun alustat",
            "Kasvun alustat kokoavat yritykset ja oppilaitokset kehittämään uutta yhdessä.\n"
            + FILLER,
            [],
            "off_topic",
        ),
        (
            "job-advert-naming-the-strategy-and-a-platform",
            "Avoin työpaikka: projektipäällikkö",
            "Haemme projektipäällikköä innovaatioalustojen kehittämiseen.\n"
            + FILLER
            + "\nTehtävä liittyy älykkään erikoistumisen strategiaan.",
            [],
            "off_topic",
        ),
        (
            "board-meeting-news",
            "Maakuntahallitus 14.10.2024",
            "Maakuntahallitus hyväksyi kokouksessaan edunvalvontatavoitteet vuodelle 2025 ja "
            "käsitteli kasvun alustojen rahoitusta.\n"
            + FILLER
            + "\n- älykkään erikoistumisen strategian tilannekatsaus",
            [],
            "off_topic",
        ),
        (
            "annual-report-naming-it-once",
            "Vuosikertomus",
            "Liitto kertoo tässä kertomuksessa vuoden toiminnastaan ja taloudestaan laajasti.\n"
            + FILLER
            + "\nLisäksi seurattiin älykkään erikoistumisen strategiaa.",
            [],
            "off_topic",
        ),
    ],
)
def test_relevance_grade(rule, title, text, headings, grade):
    relevance = score_relevance(title, text, headings)
    assert relevance.grade == grade
    assert relevance.relevant is (grade != "off_topic")


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        (
            "Vuosikertomus",
            FILLER + "\nLisäksi seurattiin älykkään erikoistumisen strategiaa.",
            True,
        ),
        ("Vuosikertomus", FILLER, False),
        ("Avoin työpaikka", "Haemme suunnittelijaa. " + FILLER + " RIS3-strategia.", False),
    ],
)
def test_promotable_names_the_policy_and_is_no_job_or_meeting(title, text, expected):
    assert promotable(title, text) is expected


# The terms write "\bx" as "x(?<!\wx)" (fast: the search starts from the letter); each must
# match exactly what its plain word-boundary form matches.
BOUNDARY_TEXT = (
    "tki, tki-toiminta, xtki, tkix, rdi ja r&d&i, ardi, foui, kärki kärjet kärjen xkärki "
    "kärkialat, kärkivalinnat, ris3 xris3 ris3x, s3-strategia s3 platform as3-strategia, "
    "living labs, xliving lab, tutkimus-, kehitys- ja innovaatiotoiminta, testiympäristö"
)
_CORE = list(CORE_TERMS)
_SUPPORTING = list(SUPPORTING_TERMS)


@pytest.mark.parametrize(
    ("plain", "fast"),
    [
        (
            r"\bris3\b|\bs3[- ]?(?:strategi\w*|kumppanuu\w*|foorumi\w*|platform\w*|partnership\w*)",
            _CORE[1],
        ),
        (r"kärkiala\w*|kärkivalin\w*|\bkärje[tn]\b|\bkärki\b", _CORE[4]),
        (
            r"\btki\b|tutkimus-,? kehitys- ja innovaatio\w*|\bfoui\b|\br&d&i\b|\brdi\b",
            _SUPPORTING[1],
        ),
        (INSTRUMENT_TERMS[1].replace("l(?<!\\wl)iving", "\\bliving"), INSTRUMENT_TERMS[1]),
    ],
)
def test_terms_match_as_their_word_boundary_form(plain, fast):
    assert "(?<!" in fast
    assert re.findall(plain, BOUNDARY_TEXT) == re.findall(fast, BOUNDARY_TEXT)
