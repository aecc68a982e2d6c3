"""The `watch` canned query and its Atom feed: changes whose *added* text matches."""

import xml.etree.ElementTree as ET

import pytest

from pipeline.db import open_db
from tests.datasette.conftest import make_datasette

pytestmark = pytest.mark.anyio
ATOM = {"a": "http://www.w3.org/2005/Atom"}


STRATEGY = "https://www.kymenlaakso.fi/strategia"


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # "neljä" was added by the second run only; the query is another inflection.
        ("neljän", [("changed", STRATEGY)]),
        # "kolme" was in the first version only, and the page no longer says it: the feed
        # follows pages and documents that still contain the words (FTS narrows first).
        ("kolmen", []),
        # Diffs are by line: the edited line says "kärkeä" again.
        ("kärjet", [("changed", STRATEGY), ("new", STRATEGY)]),
        ("ydinvoima", []),
    ],
)
async def test_watch_lists_changes_whose_added_text_matches(ds, q, expected):
    response = await ds.client.get("/anything/watch.json", params={"q": q, "_shape": "objects"})
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    assert [(row["kind"], row["url"]) for row in rows if row["url"] == STRATEGY] == expected
    for row in rows:
        if row["atom_id"] == "ris3watch:watch:none":  # the feed needs one entry
            assert rows == [row] and not expected
        else:
            assert row["matches"] and row["region"] == "Kymenlaakso"


async def test_watch_feed_names_the_query(ds):
    response = await ds.client.get("/anything/watch.atom", params={"q": "neljän"})
    assert response.status_code == 200, response.text
    feed = ET.fromstring(response.content)
    entries = feed.findall("a:entry", ATOM)
    assert len(entries) == 1
    assert "neljä kärkeä" in entries[0].find("a:content", ATOM).text
    assert feed.find("a:title", ATOM).text == "ris3watch: vahti / watch: neljän"


@pytest.mark.parametrize("params", [{"q": "ydinvoima"}, {}])
async def test_a_feed_without_matches_is_still_a_feed(ds, params):
    response = await ds.client.get("/anything/watch.atom", params=params)
    assert response.status_code == 200, response.text
    [entry] = ET.fromstring(response.content).findall("a:entry", ATOM)
    assert entry.find("a:title", ATOM).text == "Ei osumia vielä / no matches yet"


async def test_a_watch_with_a_bad_query_is_400(ds):
    response = await ds.client.get("/anything/watch.json", params={"q": '"unbalanced'})
    assert response.status_code == 400 and response.json()["error"]


@pytest.mark.parametrize("path", ["recent_changes.atom", "watch.atom?q=vety"])
async def test_the_feeds_of_an_empty_database(tmp_path, path):
    """datasette-atom needs a row and a link: both feeds have a placeholder entry."""
    open_db(tmp_path / "empty.db").conn.close()
    datasette = make_datasette(tmp_path / "empty.db")
    await datasette.invoke_startup()
    response = await datasette.client.get(f"/empty/{path}")
    assert response.status_code == 200, response.text
    assert len(ET.fromstring(response.content).findall("a:entry", ATOM)) == 1
