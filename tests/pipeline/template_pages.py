"""Ten hand-written pages of one Divi-style council site whose chrome (logo heading,
tagline, cookie notice, newsletter box, footer address) sits inside the content modules,
where the rules and Trafilatura keep it: what template learning is for."""

TOPICS = [
    ("Kiertotalous", "Kiertotalouden kärkihankkeet tuovat maakuntaan uusia työpaikkoja."),
    ("Digitalisaatio", "Digitalisaatiota edistetään yritysten ja oppilaitosten yhteistyöllä."),
    ("Logistiikka", "Satamat ja rautatiet tekevät maakunnasta logistiikan solmukohdan."),
    ("Matkailu", "Luontomatkailun kehittäminen nojaa kansallispuistoihin ja saaristoon."),
    ("Biotalous", "Metsäbiotalouden uudet tuotteet syntyvät tutkimuksen ja tehtaiden kesken."),
    ("Osaaminen", "Korkeakoulut kouluttavat osaajia maakunnan elinkeinoelämän tarpeisiin."),
    ("Energia", "Uusiutuvan energian hankkeet vahvistavat maakunnan omavaraisuutta."),
    ("Hyvinvointi", "Hyvinvointiteknologian yritykset kehittävät palveluja ikääntyville."),
    ("Rahoitus", "Aluekehitysrahoitusta haetaan jatkuvassa haussa sähköisesti."),
    ("Yhteistyö", "Maakuntien yhteistyö ELMO-alueella tukee kansainvälisiä verkostoja."),
]
COOKIE = "Sivustomme käyttää evästeitä parantaakseen käyttökokemusta. Lue lisää."
NEWSLETTER = "Tilaa uutiskirje: saat liiton ajankohtaiset asiat kerran kuukaudessa."
FOOTER = "Etelärannikon liitto, Satamakatu 5, 48100 Kotka. Vaihde 010 123 4567."
TAGLINE = "Maakunnan kehittäjä ja edunvalvoja"
TEMPLATE_LINES = (TAGLINE, COOKIE, NEWSLETTER, FOOTER)


def page(
    title: str, lead: str, *, cookie: bool = True, body: str = "", footer: str = FOOTER
) -> bytes:
    notice = f'<div class="eu-notice"><p>{COOKIE}</p></div>' if cookie else ""
    return f"""<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8">
<title>{title} - Etelärannikon liitto</title></head><body>
<div id="page-container"><div id="et-main-area">
<div class="et_pb_row"><div class="et_pb_text"><h1>Etelärannikon liitto</h1>
<p>{TAGLINE}</p></div></div>
<div class="et_pb_row"><div class="et_pb_text">{notice}
<h2>{title}</h2>
<p>{lead} Älykkään erikoistumisen strategia ohjaa työtä vuoteen 2027.</p>
<p>Teemaa koordinoi liiton kehittämisyksikkö yhdessä kuntien ja yritysten kanssa.
{title} on yksi strategian painopisteistä, ja sen toimenpiteitä seurataan vuosittain.</p>
{body}
<p>{NEWSLETTER}</p>
<p>{footer}</p>
</div></div></div></div></body></html>""".encode()


def url(title: str) -> str:
    return f"http://127.0.0.2/{title.lower()}"
