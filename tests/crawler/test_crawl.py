"""A real crawl, in a real Scrapy process, of the multi-host loopback sample sites."""

import json
import sqlite3

import pytest

from samples.server import SampleSites
from tests.conftest import FAST, SAMPLES, run_cli

pytestmark = pytest.mark.crawl


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Crawl every sample source once; tests read the database and the servers' hit counts."""
    tmp = tmp_path_factory.mktemp("crawl")
    with SampleSites() as sites:
        sources = tmp / "sources.toml"
        sources.write_text(
            sites.render((SAMPLES / "sources.toml").read_text(encoding="utf-8")), encoding="utf-8"
        )
        db = tmp / "ris3watch.db"
        result = run_cli("crawl", "--sources", str(sources), "--db", str(db), *FAST)
        conn = sqlite3.connect(db)
        conn.row_factory = sqlite3.Row
        yield result, conn, sites
        conn.close()


def rows(conn, sql, *params):
    return [dict(r) for r in conn.execute(sql, params)]


def test_run_completes_and_prints_a_summary(crawled):
    result, conn, _ = crawled
    assert result.returncode == 0, result.stderr[-3000:]
    assert "pages stored" in result.stderr and "errors" in result.stderr
    run = rows(conn, "select * from crawl_runs")[-1]
    assert run["status"] == "completed" and run["finished_at"]
    assert run["pages_stored"] >= 15 and run["documents_stored"] >= 3
    # Every field of every sample page extracted; nothing fell back to Trafilatura alone.
    assert (run["field_errors"], run["cleaning_fallbacks"]) == (0, 0)
    summary = json.loads(run["summary"])
    assert summary["field_errors"] == {} and summary["cleaning_fallbacks"] == 0


def test_every_source_stored_pages_under_its_own_id(crawled):
    _, conn, sites = crawled
    by_source = {
        r["source_id"]: r["n"]
        for r in rows(conn, "select source_id, count(*) n from pages group by source_id")
    }
    assert set(by_source) == {
        "kymenlaakso",
        "paijat-hame",
        "pohjois-karjala",
        "kanta-hame",
        "pohjanmaa",
        "lappi",
        "elmo",
    }
    # ELMO links to Lapin liitto's site: those pages belong to the lappi source only.
    lappi_base = sites.base("lappi")
    assert not rows(
        conn, "select url from pages where source_id = 'elmo' and url like ?", lappi_base + "%"
    )


def test_sitemap_from_robots_reaches_unlinked_pages(crawled):
    _, conn, sites = crawled
    url = sites.base("kymenlaakso") + "/maakunnan-kehittaminen/kymaes-hanke/"
    assert rows(conn, "select title from pages where url = ?", url)
    assert sites.sites["kymenlaakso"].hits["/sitemap.xml"] == 1


def test_robots_txt_is_obeyed(crawled):
    _, conn, sites = crawled
    assert sites.sites["kymenlaakso"].hits["/administrator/"] == 0
    assert not rows(conn, "select url from pages where url like '%/administrator/%'")


def test_scope_holds_for_links_and_redirects(crawled):
    _, conn, sites = crawled
    assert sum(sites.sites["trap"].hits.values()) == 0
    errors = rows(conn, "select url, error from fetch_errors")
    redirect = [e for e in errors if e["url"].endswith("/vanha-strategia")]
    assert redirect and redirect[0]["error"].startswith("redirect_out_of_scope")
    hosts = {s.base for s in sites.sites.values()}
    for (url,) in conn.execute("select url from pages union select url from documents"):
        assert any(url.startswith(h + "/") for h in hosts), url


def test_pages_have_text_dates_contacts_and_documents(crawled):
    _, conn, sites = crawled
    page = rows(
        conn,
        "select * from pages where url = ?",
        sites.base("kymenlaakso") + "/maakunnan-kehittaminen/alykkaan-erikoistumisen-strategia/",
    )[0]
    assert page["title"] == "Kymenlaakson älykkään erikoistumisen strategia 2.0"
    assert page["updated"] == "2024-05-22" and page["language"] == "fi" and page["relevant"] == 1
    assert "Osumia" not in page["text"] and "suojattu spamboteilta" not in page["text"]
    tolmunen = rows(conn, "select * from contacts where email = 'petri.tolmunen@kymenlaakso.fi'")
    assert tolmunen and tolmunen[0]["name"] == "Petri Tolmunen"
    assert tolmunen[0]["phone"] == "+358447478512"
    cloudflare = rows(conn, "select email from contacts where email like '%@hameenliitto.fi'")
    assert cloudflare, "Cloudflare-protected addresses are decoded"
    pdf = rows(conn, "select * from documents where url like '%ris3_strategia.pdf'")
    assert pdf and "strategia" in pdf[0]["text"].lower()
    offtopic = rows(conn, "select relevant from pages where url like '%asemakaavan-muutos%'")
    assert offtopic == [{"relevant": 0}]


def test_full_text_search_finds_pages(crawled):
    _, conn, _ = crawled
    hits = rows(
        conn,
        "select pages.url from pages_fts join pages on pages.rowid = pages_fts.rowid"
        " where pages_fts match ?",
        "kiertotalous",
    )
    assert hits


def test_priorities_per_region(crawled):
    _, conn, _ = crawled
    by_region = {}
    for row in rows(conn, "select region, priority from priorities"):
        by_region.setdefault(row["region"], set()).add(row["priority"])
    assert {
        "Älykäs ja vihreä logistiikka",
        "Uusiutuvat materiaalit ja energia",
        "Datatalous, kyberturvallisuus sekä pelillisyys",
    } <= by_region["Kymenlaakso"]
    assert {"kiertotalous", "muotoilu", "liikunta ja elämykset"} <= by_region["Päijät-Häme"]
    assert "teknologiat ja materiaalit" in by_region["Pohjois-Karjala"]
