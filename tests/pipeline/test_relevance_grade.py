"""relevance_grade in the store: written with each page, promoted by links from core pages,
and given to rows written before it existed."""

import sqlite3

import pytest

from crawler.sources import Source
from extract import Link, PageRecord
from pipeline.db import open_db
from pipeline.relevance import promote_linked
from pipeline.runs import start_run, sync_sources
from pipeline.store import Fetch, Store

SOURCE = Source(
    id="kymenlaakso",
    name="Kymenlaakson liitto",
    region="Kymenlaakso",
    kind="regional_council",
    start_urls=("https://www.kymenlaakso.fi/",),
)
SITE = "https://www.kymenlaakso.fi/"
ONCE = "Kasvun alustat kokoavat yrityksiä.\nTyö tukee älykkään erikoistumisen strategiaa."
NEVER = "Kaavoituskatsaus kertoo vireillä olevista kaavoista."
JOB = "Haemme suunnittelijaa.\nTehtävä liittyy älykkään erikoistumisen strategiaan."


def page(path: str, grade: str, text: str = "x", links: tuple[str, ...] = ()) -> PageRecord:
    return PageRecord(
        url=SITE + path,
        title=path.capitalize(),
        text=text,
        language="fi",
        description=None,
        published=None,
        updated=None,
        relevant=grade != "off_topic",
        relevance=1.0,
        links=tuple(Link(SITE + target, target) for target in links),
        relevance_grade=grade,
    )


@pytest.fixture
def store(tmp_path):
    store = Store.open(tmp_path / "t.db")
    sync_sources(store.db, [SOURCE])
    yield store
    store.close()


def save(store: Store, *records: PageRecord) -> None:
    run = start_run(store.db, [SOURCE.id])
    for record in records:
        fetch = Fetch(
            url=record.url,
            source_id=SOURCE.id,
            status=200,
            fetched_at="2026-12-01T00:00:00+00:00",
            final_url=record.url,
        )
        store.save_page(run, fetch, record)
    store.db.conn.commit()


def grades(store: Store) -> dict[str, tuple[str, int]]:
    rows = store.db.execute("SELECT url, relevance_grade, relevant FROM pages").fetchall()
    return {url.removeprefix(SITE): (grade, relevant) for url, grade, relevant in rows}


def test_the_grade_is_stored_with_the_page(store):
    save(store, page("strategia", "core"), page("alustat", "related"), page("kaava", "off_topic"))
    assert grades(store) == {
        "strategia": ("core", 1),
        "alustat": ("related", 1),
        "kaava": ("off_topic", 0),
    }


def test_a_core_page_links_make_a_page_that_names_the_policy_once_related(store):
    filler = [page(f"sivu{n}", "off_topic") for n in range(10)]
    save(
        store,
        page("strategia", "core", links=("alustat", "kaava", "rekry")),
        page("alustat", "off_topic", ONCE),
        page("kaava", "off_topic", NEVER),  # never names the policy
        page("rekry", "off_topic", JOB),  # a job advert stays off-topic
        page("muu", "off_topic", ONCE),  # names it, but no core page links to it
        *filler,
    )
    assert promote_linked(store.db) == 1
    found = grades(store)
    assert found["alustat"] == ("related", 1)
    assert found["kaava"] == found["rekry"] == found["muu"] == ("off_topic", 0)


def test_menu_links_do_not_promote(store):
    # Every page links to "alustat" from its menu: the core page's link says nothing.
    menu = ("alustat",)
    save(
        store,
        page("strategia", "core", links=menu),
        page("alustat", "off_topic", ONCE),
        *[page(f"sivu{n}", "off_topic", links=menu) for n in range(5)],
    )
    assert promote_linked(store.db) == 0
    assert grades(store)["alustat"] == ("off_topic", 0)


def test_rows_written_before_the_grade_get_the_one_their_flag_stands_for(tmp_path):
    path = tmp_path / "old.db"
    open_db(path).conn.close()
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE pages DROP COLUMN relevance_grade")
    conn.execute("PRAGMA user_version = 3")
    conn.execute(
        "INSERT INTO sources (id, name, region, kind, start_urls) VALUES ('s', 'S', 'R', 'k', '[]')"
    )
    for url, relevant in (("a", 1), ("b", 0)):
        conn.execute(
            "INSERT INTO pages (url, source_id, text, relevant, content_hash, first_seen,"
            " last_seen) VALUES (?, 's', 'x', ?, 'h', 't', 't')",
            [url, relevant],
        )
    conn.commit()
    conn.close()
    db = open_db(path)
    rows = db.execute("SELECT url, relevance_grade FROM pages ORDER BY url").fetchall()
    assert rows == [("a", "core"), ("b", "off_topic")]
