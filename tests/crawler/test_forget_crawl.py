"""One person in three writings across two pages and a PDF: one contact row; forgotten by
email, nothing in any table, the search index or Datasette names them; and a second crawl
that writes them surname first and inflected keeps them out."""

import asyncio
import base64
import json
import re
import sqlite3
from urllib.parse import quote

import pytest

from pipeline.serve import CONFIG_DIR
from samples.server import SampleSites
from tests.conftest import FAST, run_cli
from tests.datasette.conftest import make_datasette

pytestmark = pytest.mark.crawl

LOCAL, DOMAIN = "tapani.rautio", "kymenliitto.fi"
EMAIL = f"{LOCAL}@{DOMAIN}"
# Every identifier of the person, as text and file bytes may hold them (lower-cased).
TRACES = ("rautio", "tapani", EMAIL, LOCAL, "447001234", "700 1234", "7001234")


def b64(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


FINNISH = (
    """<!DOCTYPE html>
<html lang="fi-fi" dir="ltr"><head><meta charset="utf-8">
<title>Älykäs erikoistuminen – Kymenlaakson testiliitto</title></head>
<body class="site com_content view-article itemid-112">
<a class="visually-hidden-focusable" href="#main">Siirry pääsisältöön</a>
<header class="header container-header"><nav class="navbar"><ul class="mod-menu nav">
<li class="nav-item"><a href="/">Etusivu</a></li>
<li class="nav-item"><a href="/in-english/">In English</a></li>
</ul></nav></header>
<main id="main"><div class="com-content-article item-page">
<div class="page-header"><h1>Älykkään erikoistumisen strategia</h1></div>
<dl class="article-info"><dd class="hits">Osumia: {{hits}}</dd></dl>
<div class="com-content-article__body">
<p>Kymenlaakson älykkään erikoistumisen strategia ohjaa maakunnan kehittämistä. Strategian
kärjet ovat logistiikka, kiertotalous ja digitalisaatio. BODY</p>
<p><a href="/media/ris3-strategia.pdf">Älykkään erikoistumisen strategia (PDF)</a></p>
<h2>Lisätietoja</h2>
<p>CARD<br>Kehittämispäällikkö<br>puh. 044 700 1234<br>
<joomla-hidden-mail is-link="1" is-email="1" first="FIRST" last="LAST" text="TEXT" base="">Tämä
sähköpostiosoite on suojattu spamboteilta. Tarvitset JavaScript-tuen nähdäksesi sen.
</joomla-hidden-mail></p>
<p>Hanna Virta<br>Projektipäällikkö<br>puh. 040 555 6677<br>hanna.virta(at)kymenliitto.fi</p>
</div></div></main>
<footer class="container-footer footer"><p>© 2026 Kymenlaakson testiliitto</p></footer>
</body></html>
""".replace("FIRST", b64(LOCAL))
    .replace("LAST", b64(DOMAIN))
    .replace("TEXT", b64(EMAIL))
)

ENGLISH = """<!DOCTYPE html>
<html lang="en-gb" dir="ltr"><head><meta charset="utf-8">
<title>Smart specialisation, contact CARD – Kymenlaakson testiliitto</title></head>
<body class="site com_content view-article">
<header class="header"><nav><ul class="mod-menu"><li><a href="/">Etusivu</a></li></ul></nav>
</header>
<main id="main"><div class="com-content-article item-page">
<div class="page-header"><h1>Smart specialisation in Kymenlaakso</h1></div>
<div class="com-content-article__body">
<p>The smart specialisation strategy of Kymenlaakso guides regional development. Its
spearheads are logistics, circular economy and digitalisation. BODY</p>
<h2>Contact</h2>
<p>CARD<br>Development Manager<br>tel. +358 44 700 1234</p>
</div></div></main></body></html>
"""

FIRST_NIGHT = {
    "index.html": FINNISH.replace("CARD", "Tapani Rautio").replace("BODY", ""),
    "in-english/index.html": ENGLISH.replace("CARD", "Rautio, Tapani").replace("BODY", ""),
}
SECOND_NIGHT = {
    "index.html": FINNISH.replace("CARD", "Rautio Tapani Juhani").replace(
        "BODY", "Kiitos Rautiolle! Tapani Raution mukaan työ jatkuu."
    ),
    "in-english/index.html": ENGLISH.replace("CARD", "TAPANI RAUTIO").replace(
        "BODY", "Tapani Juhani Rautio leads the work."
    ),
}
PDF_FIRST = ["Kymenlaakson RIS3-strategia 2021-2027", "Yhteyshenkilo: RAUTIO TAPANI",
             "kehittamispaallikko, puh. 044 700 1234, tapani.rautio(at)kymenliitto.fi"]  # fmt: skip
PDF_SECOND = ["Kymenlaakson RIS3-strategia 2021-2027, paivitys",
              "Lisatietoja antaa Tapani Rautio; kiitos Rautiolle.",
              "Rautio, Tapani Juhani - +358 44 700 1234"]  # fmt: skip


def tiny_pdf(lines: list[str], title: str) -> bytes:
    """A one-page PDF with text lines in Helvetica and a /Title, written by hand."""
    text = " ".join(f"({line}) '" for line in lines)
    stream = f"BT /F1 11 Tf 50 780 Td 14 TL {text} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        f"<< /Title ({title}) >>".encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def publish(root, pages: dict[str, str], pdf: bytes) -> None:
    for path, html in pages.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(html, encoding="utf-8")
    (root / "media").mkdir(exist_ok=True)
    (root / "media" / "ris3-strategia.pdf").write_bytes(pdf)


def traces(conn: sqlite3.Connection) -> list[str]:
    """Every identifier found in any column of any table (FTS shadow tables included)."""
    found = []
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        for row in conn.execute(f"SELECT * FROM [{table}]"):
            value = " ".join(
                v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in row
            ).lower()
            found += [f"{table}: {t}" for t in TRACES if t in value]
    return found


def datasette_traces(db) -> list[str]:
    """Every table and canned query as Datasette serves them, searched for the person."""
    ds = make_datasette(db)
    name = db.stem
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        urls = [r[0] for r in conn.execute("SELECT url FROM pages")]
    queries = json.loads((CONFIG_DIR / "queries.json").read_text(encoding="utf-8"))
    paths = [f"/{name}/{table}.json?_shape=array&_size=max" for table in tables]
    paths += [
        f"/{name}/{query}.json?_shape=array&q={q}&url={quote(url, safe='')}"
        for query in queries
        for q in ("Rautio", "Tapani")
        for url in urls
    ]

    async def fetch_all() -> list[str]:
        found = []
        for path in paths:
            response = await ds.client.get(path)
            assert response.status_code == 200, (path, response.text[:300])
            body = response.text.lower()
            found += [f"{path}: {t}" for t in TRACES if t in body]
        return found

    return asyncio.run(fetch_all())


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("forget-crawl")
    root = tmp / "sites"
    site = root / "testiliitto"
    site.mkdir(parents=True)
    publish(site, FIRST_NIGHT, tiny_pdf(PDF_FIRST, "RIS3 - yhteyshenkilo Rautio Tapani"))
    with SampleSites(["testiliitto"], root=root) as sites:
        sources = tmp / "sources.toml"
        sources.write_text(
            '[[sources]]\nid = "testiliitto"\nname = "Kymenlaakson testiliitto"\n'
            'region = "Kymenlaakso"\nkind = "regional_council"\n'
            f'start_urls = ["{sites.base("testiliitto")}/"]\n',
            encoding="utf-8",
        )
        db = tmp / "ris3watch.db"
        crawl = ["crawl", "--sources", str(sources), "--db", str(db), *FAST]
        first = run_cli(*crawl)
        assert first.returncode == 0, first.stderr[-3000:]
        conn = sqlite3.connect(db)
        conn.row_factory = sqlite3.Row
        before = [dict(r) for r in conn.execute("SELECT * FROM contacts ORDER BY id")]
        # The scans below can see the person: every table and Datasette name them now.
        assert {t.split(": ")[1] for t in traces(conn)} == set(TRACES)
        assert [t for t in traces(conn) if t.startswith("page_blocks")]  # title candidates
        assert {t.rsplit(": ", 1)[1] for t in datasette_traces(db)} == set(TRACES)
        pages = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        conn.close()
        forget = run_cli("forget", "--db", str(db), "--email", EMAIL)
        assert forget.returncode == 0, forget.stderr
        after_forget = (db.read_bytes(), traces(sqlite3.connect(db)), datasette_traces(db))
        publish(site, SECOND_NIGHT, tiny_pdf(PDF_SECOND, "RIS3 - paivitys, Tapani Raution"))
        second = run_cli(*crawl)
        assert second.returncode == 0, second.stderr[-3000:]
        yield {
            "db": db,
            "before": before,
            "pages": pages,
            "documents": documents,
            "forget": forget,
            "after_forget": after_forget,
            "second": second,
        }


def test_three_writings_on_two_pages_are_one_contact_row(nights):
    assert nights["pages"] == 2 and nights["documents"] == 1
    people = {(c["name"], c["email"], c["phone"]) for c in nights["before"]}
    assert people == {
        ("Tapani Rautio", EMAIL, "+358447001234"),
        ("Hanna Virta", "hanna.virta@kymenliitto.fi", "+358405556677"),
    }


def test_forget_by_email_leaves_no_trace_in_any_table_the_index_or_the_file(nights):
    assert "1 contact(s), 2 page link(s)" in nights["forget"].stdout
    file_bytes, in_tables, in_datasette = nights["after_forget"]
    assert in_tables == []
    assert in_datasette == []
    lowered = file_bytes.lower()
    assert [t for t in TRACES if t.encode() in lowered] == []


def test_a_second_crawl_writing_them_surname_first_and_inflected_keeps_them_out(nights):
    conn = sqlite3.connect(nights["db"])
    runs = conn.execute("SELECT pages_changed, documents_stored FROM crawl_runs").fetchall()
    assert runs[-1][0] == 2 and runs[-1][1] == 1  # both pages and the PDF were new versions
    assert conn.execute("SELECT count(*) FROM document_versions").fetchone()[0] == 2
    assert traces(conn) == []
    assert datasette_traces(nights["db"]) == []
    texts = " ".join(
        r[0] for r in conn.execute("SELECT text FROM pages UNION ALL SELECT diff FROM changes")
    )
    assert "Kiitos [poistettu / removed]!" in texts and "Hanna Virta" in texts
    (pdf,) = conn.execute("SELECT title, text FROM documents").fetchall()
    assert pdf[0] == "RIS3 - paivitys, [poistettu / removed]"
    assert "Lisatietoja antaa [poistettu / removed]; kiitos [poistettu / removed]." in pdf[1]
    assert re.search(r"\[poistettu / removed\] leads the work", texts)
    names = [r[0] for r in conn.execute("SELECT name FROM contacts")]
    assert names == ["Hanna Virta"]
    conn.close()
