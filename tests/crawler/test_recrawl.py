"""Two real crawls of a loopback site, with edits, a removal, an addition and noise between."""

import shutil
import sqlite3
from datetime import UTC, datetime

import pytest

from samples.server import SITES_DIR, SampleSites
from tests.conftest import FAST, SAMPLES, run_cli

pytestmark = pytest.mark.crawl

NEWS = """<div class="et_pb_module et_pb_text_3"><h2>Ajankohtaista</h2><ul>{}</ul></div>"""
ITEMS = [
    "<li><a href='/'>Maakuntahallitus kokoontui</a></li>",
    "<li><a href='/'>Avustushaku avautuu</a></li>",
    "<li><a href='/'>Uusi maakuntajohtaja valittu</a></li>",
]
ADDED = """<html lang="fi"><head><title>Uusi haku – Kymenlaakson liitto</title></head><body>
<main><h1>Älykkään erikoistumisen uusi haku</h1><p>Kymenlaakson liitto avaa uuden haun
älykkään erikoistumisen kärkialojen hankkeille.</p></main></body></html>"""
# What the English page's "Page generated {{now}}" prints on each night: another time of one
# day (the clock, not the crawl date, is pinned), so that page always differs in its time
# stamp only. Left to the wall clock, it was answered 304 when both nights fell in the same
# minute and 200 when a minute turned between them.
NIGHT_1 = datetime(2026, 11, 23, 2, 14, tzinfo=UTC)
NIGHT_2 = datetime(2026, 11, 23, 3, 41, tzinfo=UTC)
# The known pages whose bytes are the same on both nights: each must be revalidated, answered
# 304 and counted as not modified.
SAME_BYTES = {
    ("kymenlaakso", "/"),
    ("kymenlaakso", "/maakunnan-kehittaminen/kymaes-hanke/"),
    ("kymenlaakso", "/ajankohtaista/asemakaavan-muutos/"),
    ("paijat-hame", "/alykas-erikoistuminen/"),
}


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("recrawl")
    root = tmp / "sites"
    shutil.copytree(SITES_DIR, root)
    home = root / "paijat-hame" / "index.html"
    edit(
        home,
        "</div> <!-- #main-content -->",
        NEWS.format("".join(ITEMS)) + "</div> <!-- #main-content -->",
    )
    with SampleSites(root=root) as sites:
        sites.clock = lambda: NIGHT_1
        sources = tmp / "sources.toml"
        sources.write_text(
            sites.render((SAMPLES / "sources.toml").read_text(encoding="utf-8")), encoding="utf-8"
        )
        db = tmp / "t.db"
        args = [
            "crawl",
            "--sources",
            str(sources),
            "--db",
            str(db),
            "--source",
            "kymenlaakso",
            "--source",
            "paijat-hame",
            *FAST,
        ]
        first = run_cli(*args)
        assert first.returncode == 0, first.stderr[-3000:]
        # Between the nights: one edit, one removal, one new page, and noise everywhere.
        edit(
            root / "paijat-hame/alykas-erikoistuminen/kiertotalous/index.html",
            "<p><strong>Kiertotalous on",
            "<p><strong>Kiertotalous ja resurssiviisaus on",
        )
        (root / "kymenlaakso/maakunnan-kehittaminen/yhteistyo-ja-kumppanuudet/index.html").unlink()
        new_page = root / "kymenlaakso/maakunnan-kehittaminen/uusi-haku/index.html"
        new_page.parent.mkdir()
        new_page.write_text(ADDED, encoding="utf-8")
        edit(
            root / "kymenlaakso/sitemap.xml",
            "</urlset>",
            "<url><loc>{{base}}/maakunnan-kehittaminen/uusi-haku/</loc></url></urlset>",
        )
        edit(home, "".join(ITEMS), "".join(reversed(ITEMS)))  # the news list rotates
        sites.clock = lambda: NIGHT_2  # the English page's time stamp moves on
        for counter in sites.sites.values():
            counter.not_modified.clear()
        second = run_cli(*args)
        conn = sqlite3.connect(db)
        conn.row_factory = sqlite3.Row
        yield first, second, conn, sites
        conn.close()


def changes_of_run(conn, run_id):
    return [
        dict(r)
        for r in conn.execute(
            "select kind, url, diff from changes where run_id = ? order by id", [run_id]
        )
    ]


def test_second_run_reports_exactly_the_real_changes(two_runs):
    _, second, conn, _ = two_runs
    assert second.returncode == 0, second.stderr[-3000:]
    run = dict(conn.execute("select * from crawl_runs order by id desc limit 1").fetchone())
    changes = changes_of_run(conn, run["id"])
    kinds = sorted(c["kind"] for c in changes)
    assert kinds == ["changed", "new", "removed"], changes
    changed = next(c for c in changes if c["kind"] == "changed")
    assert changed["url"].endswith("/kiertotalous/")
    assert "+" in changed["diff"] and "resurssiviisaus" in changed["diff"]
    assert next(c for c in changes if c["kind"] == "new")["url"].endswith("/uusi-haku/")
    assert run["lost"] == 0 and run["pages_removed"] == 1 and run["pages_changed"] == 1


def test_removed_page_keeps_its_text_and_versions(two_runs):
    _, _, conn, _ = two_runs
    page = dict(
        conn.execute("select * from pages where url like '%/yhteistyo-ja-kumppanuudet/'").fetchone()
    )
    assert page["removed_at"] and "kumppanuuksien" in page["text"]
    assert (
        conn.execute("select count(*) from page_versions where url = ?", [page["url"]]).fetchone()[
            0
        ]
        == 1
    )


def test_earlier_version_is_retrievable(two_runs):
    _, _, conn, _ = two_runs
    versions = [
        r[0]
        for r in conn.execute(
            "select text from page_versions where url like '%/kiertotalous/' order by id"
        )
    ]
    assert len(versions) == 2
    assert "Kiertotalous on" in versions[0] and "Kiertotalous ja resurssiviisaus on" in versions[1]


def test_unchanged_pages_were_answered_304(two_runs):
    _, second, conn, sites = two_runs
    run = dict(conn.execute("select * from crawl_runs order by id desc limit 1").fetchone())
    answered_304 = {
        (name, path): count
        for name, site in sites.sites.items()
        for path, count in site.not_modified.items()
    }
    errors = [
        dict(r)
        for r in conn.execute("select url, error from fetch_errors where run_id = ?", [run["id"]])
    ]
    why = (run["summary"], errors)  # what to look at if this ever fails
    assert answered_304 == dict.fromkeys(SAME_BYTES, 1), why
    assert run["pages_not_modified"] == len(SAME_BYTES), why
    # Pages whose bytes change on every request (hit counter, token, rotating news, a time
    # stamp) are fetched and extracted, and still count as unchanged.
    assert run["pages_unchanged"] >= 3, why
    for path in (
        "/alykkaan-erikoistumisen-strategia/",
        "/kymenlaakso-s-smart-specialisation-ris3-strategy/",
    ):
        page = dict(conn.execute("select * from pages where url like ?", ["%" + path]).fetchone())
        assert page["last_run_id"] == run["id"], path
        assert (
            conn.execute(
                "select count(*) from page_versions where url = ?", [page["url"]]
            ).fetchone()[0]
            == 1
        ), path
