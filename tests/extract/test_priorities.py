import lxml.html
import pytest

from extract.priorities import extract_priorities

CASES = [
    (
        "heading-then-list",
        "<h2>Kymenlaakson kärkivalinnat</h2><p>Strategiakaudella 2021–2025 kärkiä ovat:</p>"
        "<ul><li>Älykäs ja vihreä logistiikka (logistiikkakärki)</li>"
        "<li>Uusiutuvat materiaalit ja energia</li></ul>",
        ["Älykäs ja vihreä logistiikka", "Uusiutuvat materiaalit ja energia"],
    ),
    (
        "sub-headings",
        "<h2>Kanta-Hämeen painopisteet</h2><h3>Kiertotalous ja resurssiviisaus</h3><p>x</p>"
        "<h3>Kestävä ruokajärjestelmä</h3><p>y</p><h2>Muuta</h2><h3>Ei kärki</h3>",
        ["Kiertotalous ja resurssiviisaus", "Kestävä ruokajärjestelmä"],
    ),
    (
        "bold-lead-ins",
        "<h2>Pohjanmaan kärkialat</h2><p><strong>Energiateknologia.</strong> Klusteri.</p>"
        "<p><strong>Meriteknologia ja veneenrakennus.</strong> Veneitä.</p>",
        ["Energiateknologia", "Meriteknologia ja veneenrakennus"],
    ),
    (
        "list-with-descriptions",
        "<p>Painopisteet toteutuvat klustereiden kautta:</p><ul>"
        "<li>Arktinen muotoilu – palvelumuotoilu ja elämykset</li>"
        "<li>Arktinen turvallisuus – varautuminen</li></ul>",
        ["Arktinen muotoilu", "Arktinen turvallisuus"],
    ),
    (
        "sentence-with-seka",
        "<p>Älykäs erikoistuminen sisältää kaksi päätoimialaa: metsäbiotalouden sekä "
        "teknologiat ja materiaalit. Lisäksi muuta.</p>",
        ["metsäbiotalouden", "teknologiat ja materiaalit"],
    ),
    (
        "swedish",
        "<h2>Österbottens spetsområden</h2><ul><li>Energiteknik</li><li>Livsmedel</li></ul>",
        ["Energiteknik", "Livsmedel"],
    ),
    (
        "compound-ellipsis",
        "<p>Kärjet ovat logistiikka, bio- ja kiertotalous ja digitalous.</p>",
        ["logistiikka", "bio- ja kiertotalous", "digitalous"],
    ),
    (
        "no-cue-no-priorities",
        "<h2>Ajankohtaista</h2><ul><li>Maakuntahallitus</li><li>Kaavoitus</li></ul>"
        "<p>Kiertotalous on kärjistä vahvin ja alueella on pitkä kokemus jätehuollosta.</p>",
        [],
    ),
    (
        "menus-are-not-priorities",
        "<nav><h2>Kärkialat</h2><ul><li>Etusivu</li><li>Yhteystiedot</li></ul></nav>",
        [],
    ),
]


@pytest.mark.parametrize(("layout", "html", "expected"), CASES, ids=[c[0] for c in CASES])
def test_priorities(layout, html, expected):
    tree = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
    assert extract_priorities(tree) == expected


# The page-wide pre-check folds case as re.I does: odd capitals still reach the block walk.
@pytest.mark.parametrize(
    "heading", ["KÄRJET", "Maakunnan painopiſteet", "\u212aärjet", "FOCUS   AREAS", "Spetsområden"]
)
def test_precheck_lets_every_case_form_of_a_cue_through(heading):
    tree = lxml.html.document_fromstring(
        f"<html><body><h2>{heading}</h2><ul><li>Kiertotalous</li><li>Matkailu</li></ul>"
        "</body></html>"
    )
    assert extract_priorities(tree) == ["Kiertotalous", "Matkailu"]
