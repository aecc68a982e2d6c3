"""The published corpus over HTTP (in-process Datasette): queries, search, feed, safety."""

import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.anyio

QUERIES = [
    "search?q=strategia",
    "documents_search?q=strategia",
    "recent_changes",
    "contacts_by_region",
    "priorities_by_region",
    "page_history?url=https%3A%2F%2Fwww.kymenlaakso.fi%2Fstrategia",
    "dead_sources",
    "site_templates",
    "coverage",
]


@pytest.mark.parametrize("query", QUERIES)
async def test_every_canned_query_answers_json(ds, query):
    name, _, params = query.partition("?")
    response = await ds.client.get(f"/anything/{name}.json?_shape=objects&{params}")
    assert response.status_code == 200, response.text
    assert response.json()["ok"] is True


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("strategia", "/strategia"),
        ("erikoistuminen", "/strategia"),
        ("maakunta", "/xss"),
        ("kärki", "/strategia"),
        ("spetsområde", "/smart"),
        ('"älykäs erikoistuminen"', "/strategia"),
    ],
)
async def test_search_finds_inflected_forms(ds, q, expected):
    response = await ds.client.get("/anything/search.json", params={"q": q, "_shape": "objects"})
    rows = response.json()["rows"]
    assert any(row["url"].endswith(expected) for row in rows), rows
    assert {"url", "title", "source_id", "region", "updated", "snippet"} <= set(rows[0])


@pytest.mark.parametrize("q", ['"unbalanced', "strategia)", "OR", "title:x"])
async def test_bad_queries_are_400_with_a_message(ds, q):
    response = await ds.client.get("/anything/search.json", params={"q": q})
    assert response.status_code == 400 and response.json()["error"]
    html = await ds.client.get("/anything/search", params={"q": q})
    assert html.status_code == 400 and "Search error" in html.text


async def test_atom_feed_is_xml_with_one_entry_per_change(ds):
    response = await ds.client.get("/anything/recent_changes.atom")
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 5  # three new pages, two changed
    titles = [e.find("a:title", ns).text for e in entries]
    assert "changed: Älykäs erikoistuminen" in titles
    assert feed.find("a:title", ns).text == "ris3watch: muutokset / changes"
    strategy = "https://www.kymenlaakso.fi/strategia"
    changed = next(
        e
        for e in entries
        if e.find("a:title", ns).text.startswith("changed")
        and e.find("a:link", ns).get("href") == strategy
    )
    assert "neljä" in changed.find("a:content", ns).text


async def test_landing_page_shows_regions_chart_last_run_and_queries(ds):
    html = (await ds.client.get("/")).text
    assert 'class="chart"' in html and "<rect" in html
    assert "Kymenlaakso" in html and "Pohjanmaa" in html
    assert "#2" in html and "pohjanmaa" in html  # last run and its dead source
    assert "/anything/priorities_by_region" in html
    assert "Kattavuus / Coverage" in html and "(timeout)" in html
    assert "/anything/coverage" in html


async def test_coverage_counts_the_frontier_per_source(ds):
    response = await ds.client.get("/anything/coverage.json?_shape=objects")
    rows = {row["source_id"]: row for row in response.json()["rows"]}
    kymenlaakso = rows["kymenlaakso"]
    assert (kymenlaakso["discovered"], kymenlaakso["stored"], kymenlaakso["failing"]) == (3, 2, 1)
    assert kymenlaakso["commonest_error"] == "timeout"
    assert kymenlaakso["oldest_success"] == "2026-11-20T02:00:00+00:00"
    assert rows["pohjanmaa"]["discovered"] == 0


async def test_page_row_links_to_its_versions_and_diffs(ds):
    row = await ds.client.get("/anything/pages/https~3A~2F~2Fwww~2Ekymenlaakso~2Efi~2Fstrategia")
    assert row.status_code == 200
    assert "page_history?url=https%3A%2F%2Fwww.kymenlaakso.fi%2Fstrategia" in row.text
    history = await ds.client.get(
        "/anything/page_history.json",
        params={"url": "https://www.kymenlaakso.fi/strategia", "_shape": "objects"},
    )
    rows = history.json()["rows"]
    assert [r["kind"] for r in rows] == ["changed", "new"]
    assert "+Kymenlaakson älykkään erikoistumisen strategiassa on neljä kärkeä." in rows[0]["diff"]


@pytest.mark.parametrize(
    "path",
    [
        "/anything/pages",
        "/anything/contacts",
        "/anything/search?q=maakunta",
        "/anything/recent_changes",
        "/anything/page_versions",
        "/",
        "/anything/page_history?url=https%3A%2F%2Fwww.kymenlaakso.fi%2Fxss",
        "/anything/recent_changes.atom",
    ],
)
async def test_scraped_html_is_always_escaped(ds, path):
    html = (await ds.client.get(path)).text
    assert "<img src=x" not in html


async def test_publishing_settings(corpus_path):
    from pipeline.serve import datasette_args

    args = datasette_args(str(corpus_path), "127.0.0.1", 8001, allow_sql=False)
    settings = dict(
        zip(
            args[args.index("--setting") + 1 :: 3],
            args[args.index("--setting") + 2 :: 3],
            strict=False,
        )
    )
    assert settings["allow_download"] == "off" and settings["default_allow_sql"] == "off"
    assert int(settings["sql_time_limit_ms"]) <= 5000


async def test_csv_exports_neutralise_formulas(tmp_path):
    import csv
    import io

    from pipeline.runs import start_run
    from pipeline.store import Store
    from tests.datasette.conftest import build_corpus, make_datasette, page, save

    path = tmp_path / "csv.db"
    build_corpus(path)
    store = Store.open(path)
    run = start_run(store.db, ["kymenlaakso"])
    save(
        store,
        run,
        page("https://www.kymenlaakso.fi/f", '=HYPERLINK("http://x","y")', "@SUM(1) -2 +cmd"),
        "kymenlaakso",
        "2026-11-21T02:00:00+00:00",
    )
    store.close()
    ds = make_datasette(path)
    await ds.invoke_startup()
    response = await ds.client.get("/csv/pages.csv?_col=title&_col=relevance")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    titles = [row["title"] for row in rows]
    assert '\'=HYPERLINK("http://x","y")' in titles
    assert all(not t.startswith(("=", "+", "-", "@")) for t in titles)
    assert {row["relevance"] for row in rows} == {"2.0"}  # numbers stay numbers


def test_every_table_column_and_query_has_finnish_and_english_labels():
    import json

    from pipeline.schema import TABLES
    from pipeline.serve import CONFIG_DIR

    tables = json.loads((CONFIG_DIR / "database.json").read_text(encoding="utf-8"))["tables"]
    for name, spec in TABLES.items():
        assert " / " in tables[name]["title"] and " / " in tables[name]["description"], name
        for column in spec["columns"]:
            assert column in tables[name].get("columns", {}), (name, column)
    queries = json.loads((CONFIG_DIR / "queries.json").read_text(encoding="utf-8"))
    for name, query in queries.items():
        assert " / " in query["title"] and " / " in query["description"], name
