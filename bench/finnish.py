"""Finnish council-style prose for the synthetic mirror: smart-specialisation vocabulary in
the inflected forms real pages use, so that extraction, lemmas and search see what they
would see on a council site (not lorem ipsum, which Voikko and the relevance score ignore).
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """A region's name in the cases the templates need, and its council."""

    nom: str
    gen: str
    ine: str
    ill: str
    council: str
    domain: str


REGIONS = (
    Region(
        "Kymenlaakso",
        "Kymenlaakson",
        "Kymenlaaksossa",
        "Kymenlaaksoon",
        "Kymenlaakson liitto",
        "kymenlaakso.fi",
    ),
    Region(
        "Päijät-Häme",
        "Päijät-Hämeen",
        "Päijät-Hämeessä",
        "Päijät-Hämeeseen",
        "Päijät-Hämeen liitto",
        "paijat-hame.fi",
    ),
    Region(
        "Pohjois-Savo",
        "Pohjois-Savon",
        "Pohjois-Savossa",
        "Pohjois-Savoon",
        "Pohjois-Savon liitto",
        "pohjois-savo.fi",
    ),
    Region(
        "Satakunta", "Satakunnan", "Satakunnassa", "Satakuntaan", "Satakuntaliitto", "satakunta.fi"
    ),
    Region(
        "Keski-Suomi",
        "Keski-Suomen",
        "Keski-Suomessa",
        "Keski-Suomeen",
        "Keski-Suomen liitto",
        "keskisuomi.fi",
    ),
    Region("Lappi", "Lapin", "Lapissa", "Lappiin", "Lapin liitto", "lapinliitto.fi"),
)

# Spearheads as (nominative, genitive), the way the councils name them.
PRIORITIES = (
    ("kiertotalous", "kiertotalouden"),
    ("älykäs logistiikka", "älykkään logistiikan"),
    ("digitalous", "digitalouden"),
    ("kestävä matkailu", "kestävän matkailun"),
    ("bioenergia", "bioenergian"),
    ("metsäbiotalous", "metsäbiotalouden"),
    ("terveysteknologia", "terveysteknologian"),
    ("kyberturvallisuus", "kyberturvallisuuden"),
    ("vesiosaaminen", "vesiosaamisen"),
    ("teknologiateollisuus", "teknologiateollisuuden"),
    ("ruokaketju", "ruokaketjun"),
    ("uusiutuva energia", "uusiutuvan energian"),
    ("vetytalous", "vetytalouden"),
    ("pelialan osaaminen", "pelialan osaamisen"),
)
ACTORS = (
    "yritykset",
    "oppilaitokset",
    "korkeakoulut",
    "tutkimuslaitokset",
    "kunnat",
    "kehittämisyhtiöt",
    "järjestöt",
    "rahoittajat",
)
ACTORS_GEN = (
    "yritysten",
    "oppilaitosten",
    "korkeakoulujen",
    "tutkimuslaitosten",
    "kuntien",
    "kehittämisyhtiöiden",
    "järjestöjen",
    "rahoittajien",
)

SENTENCES = (
    "Älykäs erikoistuminen on {R.gen} kehittämisen keskeinen työkalu.",
    "{R.gen} älykkään erikoistumisen strategia päivitettiin vuonna {y}.",
    "Strategiassa painotetaan {pg} osaamista ja yritysten välistä yhteistyötä.",
    "Älykkään erikoistumisen kärkiä ovat {p1}, {p2} ja {p3}.",
    "Maakunnan innovaatioympäristö vahvistuu, kun {a} tekevät tiiviimpää yhteistyötä.",
    "Erikoistumisstrategian toteutusta seurataan vuosittain maakuntahallituksessa.",
    "Maakuntaohjelman ja RIS3-strategian tavoitteet tukevat toisiaan.",
    "EAKR-rahoitteisissa hankkeissa kehitetään uusia ratkaisuja {pg} tarpeisiin.",
    "Kärkialojen yritysten liikevaihto kasvoi {n} prosenttia vuodesta {y}.",
    "Maakuntien välinen yhteistyö on tärkeää, koska monet haasteet ylittävät maakuntarajat.",
    "TKI-toiminnan rahoitusta kohdennetaan strategian painopisteisiin.",
    "Erikoistumisen painopisteet valittiin laajassa sidosryhmäprosessissa.",
    "Kestävä kasvu ja vihreä siirtymä ovat strategiakauden {y}–{y2} läpileikkaavia teemoja.",
    "Strategiatyössä kuultiin {ag} näkemyksiä useissa työpajoissa.",
    "{R.ine} toimii {n} yritystä, joiden toiminta liittyy {pg} arvoketjuun.",
    "Hankkeen tavoitteena on vahvistaa {pg} kansainvälistä kilpailukykyä.",
    "Innovaatioekosysteemien kehittäminen edellyttää pitkäjänteistä sitoutumista.",
    "Maakunnan vahvuudet perustuvat osaavaan työvoimaan ja monipuoliseen elinkeinorakenteeseen.",
    "Kehittämistoimenpiteet kohdistetaan erityisesti pieniin ja keskisuuriin yrityksiin.",
    "Strategian toimeenpanoa koordinoi {R.council} yhdessä alueen toimijoiden kanssa.",
    "Tutkimus- ja kehittämistoiminnan menot olivat {n} miljoonaa euroa vuonna {y}.",
    "Kärkihankkeissa on mukana {n} yritystä ja {n2} tutkimusorganisaatiota.",
    "Älykkään erikoistumisen strategiat ovat EU:n koheesiopolitiikan ehtona.",
    "Alueen korkeakoulut tarjoavat koulutusta ja tutkimusta {pg} aloilla.",
    "Yritysten kasvua tuetaan neuvonnalla, verkostoilla ja rahoituksella.",
    "Kansainvälistyminen ja osaajien saatavuus ovat strategian tärkeimpiä kehittämiskohteita.",
    "Uusien liiketoimintamallien kokeilut ovat tuottaneet lupaavia tuloksia.",
    "Kestävän kehityksen periaatteet ohjaavat kaikkea {R.gen} kehittämistä.",
    "Maakuntaan on syntynyt uusia yhteistyöverkostoja {pg} ympärille.",
    "Digitalisaatio muuttaa toimialojen arvoketjuja nopeasti.",
    "Strategian seurantaa varten on määritelty mittarit ja tavoitetasot.",
    "Työpajojen tulokset kootaan raporttiin, joka julkaistaan keväällä {y2}.",
    "Rahoitushaku avautuu {d}.{m}.{y2} ja päättyy kuukauden kuluttua.",
    "Lisätietoja älykkäästä erikoistumisesta saa liiton kehittämispalveluista.",
    "Erikoistumisen kärjet ohjaavat myös maakunnan edunvalvontaa.",
    "Yhteistyötä tehdään myös naapurimaakuntien ja Itämeren alueen kumppaneiden kanssa.",
    "Vihreän siirtymän investoinnit lisäävät osaavan työvoiman tarvetta {R.ine}.",
    "Strategiakaudella painotetaan {ag} osallistumista kehittämistyöhön.",
    "Pilottihankkeissa testataan uusia teknologioita todellisessa toimintaympäristössä.",
    "Maakuntaliiton tehtävänä on sovittaa yhteen eri toimijoiden tavoitteet.",
)
HEADINGS = (
    "Strategian tavoitteet",
    "Kärkialat ja painopisteet",
    "Rahoitus ja hankkeet",
    "Yhteistyö ja verkostot",
    "Strategian seuranta",
    "Taustaa",
    "Osallistu kehittämiseen",
    "Tulokset ja vaikuttavuus",
)
TITLES = (
    "Älykäs erikoistuminen {R.ine}",
    "{R.gen} älykkään erikoistumisen strategia",
    "{P} – kärkiala {R.ine}",
    "Hankkeet: {P}",
    "{R.gen} innovaatioympäristö",
    "Strategian toimeenpano {y}–{y2}",
    "Kärkihanke: {P}",
    "Ajankohtaista: {P} {R.ine}",
)
SECTIONS = (
    "maakunnan-kehittaminen",
    "alykas-erikoistuminen",
    "hankkeet",
    "rahoitus",
    "ajankohtaista",
    "strategiat",
    "yhteistyo",
    "tietoa-maakunnasta",
)
FIRST_NAMES = (
    "Matti",
    "Anna",
    "Petri",
    "Sari",
    "Juha",
    "Tiina",
    "Mikko",
    "Kaisa",
    "Jari",
    "Hanna",
    "Timo",
    "Laura",
    "Ilari",
    "Minna",
    "Antti",
    "Päivi",
    "Heikki",
    "Riikka",
)
LAST_NAMES = (
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Lehtinen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Niemi",
    "Räsänen",
    "Tolmunen",
    "Havukainen",
    "Kettunen",
)
JOB_TITLES = (
    "kehittämispäällikkö",
    "erikoissuunnittelija",
    "aluekehitysjohtaja",
    "kehittämisasiantuntija",
    "maakuntajohtaja",
    "projektipäällikkö",
    "innovaatioasiantuntija",
    "rahoitusasiantuntija",
)


def slugify(text: str) -> str:
    table = str.maketrans({"ä": "a", "ö": "o", "å": "a", " ": "-", "–": "-", ":": ""})
    return "-".join(part for part in text.lower().translate(table).split("-") if part)


def _fields(rng: random.Random, region: Region) -> dict[str, object]:
    p1, p2, p3 = rng.sample(PRIORITIES, 3)
    year = rng.randint(2014, 2024)
    return {
        "R": region,
        "P": p1[0].capitalize(),
        "p1": p1[0],
        "p2": p2[0],
        "p3": p3[0],
        "pg": p1[1],
        "a": rng.choice(ACTORS),
        "ag": rng.choice(ACTORS_GEN),
        "y": year,
        "y2": year + rng.randint(1, 6),
        "n": rng.randint(3, 480),
        "n2": rng.randint(2, 40),
        "d": rng.randint(1, 28),
        "m": rng.randint(1, 12),
    }


def sentence(rng: random.Random, region: Region) -> str:
    return rng.choice(SENTENCES).format(**_fields(rng, region))


def paragraph(rng: random.Random, region: Region) -> str:
    return " ".join(sentence(rng, region) for _ in range(rng.randint(3, 6)))


def title(k: int, rng: random.Random, region: Region) -> str:
    return TITLES[k % len(TITLES)].format(**_fields(rng, region))
