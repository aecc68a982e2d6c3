"""Relevance grades: core, related (the strategy's instruments, priorities, projects), off-topic."""

import pytest

from extract.relevance import promotable, score_relevance

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
