"""The store on a fresh SQLite file: versions, changes, contacts, links, runs."""

import pytest

from crawler.sources import Source
from extract import Contact, DocumentRecord, Link, PageRecord
from pipeline.db import CrawlLocked, StoreError, open_db
from pipeline.privacy import drop_stale_contacts
from pipeline.runs import start_run, sync_sources
from pipeline.store import Fetch, Store

SOURCE = Source(
    id="kymenlaakso",
    name="Kymenlaakson liitto",
    region="Kymenlaakso",
    kind="regional_council",
    start_urls=("https://www.kymenlaakso.fi/",),
)
URL = "https://www.kymenlaakso.fi/strategia"


def record(text: str, contacts=(), links=()) -> PageRecord:
    return PageRecord(
        url=URL,
        title="Strategia",
        text=text,
        language="fi",
        description=None,
        published=None,
        updated=None,
        relevant=True,
        relevance=2.0,
        contacts=tuple(contacts),
        links=tuple(links),
    )


def fetch(at: str) -> Fetch:
    return Fetch(url=URL, source_id="kymenlaakso", status=200, fetched_at=at, final_url=URL)


@pytest.fixture
def store(tmp_path):
    store = Store.open(tmp_path / "t.db")
    sync_sources(store.db, [SOURCE])
    yield store
    store.close()


def test_new_unchanged_changed(store):
    run = start_run(store.db, ["kymenlaakso"])
    assert (
        store.save_page(
            run, fetch("2026-01-01T00:00:00+00:00"), record("Kärjet: logistiikka.\nOsumia: 12")
        )
        == "new"
    )
    # Only the hit counter and whitespace differ: not a change.
    assert (
        store.save_page(
            run, fetch("2026-01-02T00:00:00+00:00"), record("Kärjet:  logistiikka.\nOsumia: 99")
        )
        == "unchanged"
    )
    # An unchanged page keeps its latest version's text (the FTS row is not rewritten).
    assert store.db["pages"].get(URL)["text"] == "Kärjet: logistiikka.\nOsumia: 12"
    assert (
        store.save_page(
            run, fetch("2026-01-03T00:00:00+00:00"), record("Kärjet: logistiikka ja energia.")
        )
        == "changed"
    )
    db = store.db
    assert db["page_versions"].count == 2
    kinds = [r["kind"] for r in db.query("select kind from changes order by id")]
    assert kinds == ["new", "changed"]
    change = next(db.query("select * from changes where kind = 'changed'"))
    assert "+Kärjet: logistiikka ja energia." in change["diff"]
    assert (change["words_added"], change["words_removed"]) == (2, 2)  # "ja energia" vs "Osumia 12"
    page = db["pages"].get(URL)
    assert page["first_seen"] == "2026-01-01T00:00:00+00:00"
    assert page["last_seen"] == page["last_changed"] == "2026-01-03T00:00:00+00:00"


def test_same_person_on_two_pages_is_one_contact(store):
    run = start_run(store.db, ["kymenlaakso"])
    person = Contact(
        name="Petri Tolmunen",
        title="Elinkeinopäällikkö",
        email="petri.tolmunen@kymenlaakso.fi",
        phone="+358447478512",
    )
    store.save_page(run, fetch("2026-01-01T00:00:00+00:00"), record("a", [person]))
    other = Fetch(
        url=URL + "/2", source_id="kymenlaakso", status=200, fetched_at="2026-01-01T00:00:00+00:00"
    )
    second = PageRecord(**{**record("b", [person]).__dict__, "url": URL + "/2"})
    store.save_page(run, other, second, organisation="Kymenlaakson liitto")
    assert store.db["contacts"].count == 1
    assert store.db["page_contacts"].count == 2


def test_links_are_replaced_not_accumulated(store):
    run = start_run(store.db, ["kymenlaakso"])
    store.save_page(
        run, fetch("2026-01-01T00:00:00+00:00"), record("a", links=[Link("https://x.fi/1", "1")])
    )
    store.save_page(
        run, fetch("2026-01-02T00:00:00+00:00"), record("a", links=[Link("https://x.fi/2", "2")])
    )
    assert [r["to_url"] for r in store.db["links"].rows] == ["https://x.fi/2"]


def test_document_versions_by_hash(store):
    run = start_run(store.db, ["kymenlaakso"])
    doc = DocumentRecord(url="https://x.fi/s.pdf", title="S", text="t", pages=1)
    assert store.save_document(run, fetch("2026-01-01T00:00:00+00:00"), doc, "h1") == "new"
    assert store.save_document(run, fetch("2026-01-02T00:00:00+00:00"), doc, "h1") == "unchanged"
    assert store.save_document(run, fetch("2026-01-03T00:00:00+00:00"), doc, "h2") == "changed"


def test_killed_run_is_marked_aborted_by_the_next(store):
    first = start_run(store.db, ["kymenlaakso"])
    start_run(store.db, ["kymenlaakso"])
    assert store.db["crawl_runs"].get(first)["status"] == "aborted"


def test_a_failed_page_write_leaves_nothing_behind(store):
    run = start_run(store.db, ["kymenlaakso"])
    bad = Contact(name=None, title=None, email=None, phone=None)
    broken = PageRecord(**{**record("a", [bad]).__dict__})
    store.db.execute(
        "CREATE TRIGGER boom BEFORE INSERT ON page_contacts BEGIN SELECT RAISE(ABORT, 'boom'); END"
    )
    with pytest.raises(Exception, match="boom"):
        store.save_page(run, fetch("2026-01-01T00:00:00+00:00"), broken)
    assert store.db["pages"].count == 0 and store.db["page_versions"].count == 0


def test_in_a_group_a_failed_page_rolls_back_alone(store, tmp_path):
    run = start_run(store.db, ["kymenlaakso"])
    store.begin_group()
    store.save_page(run, fetch("2026-01-01T00:00:00+00:00"), record("Kärjet."))
    store.db.execute(
        "CREATE TRIGGER boom BEFORE INSERT ON page_contacts BEGIN SELECT RAISE(ABORT, 'boom'); END"
    )
    bad = Contact(name="Maija Meikäläinen", title=None, email="m@x.fi", phone=None)
    other = PageRecord(**{**record("b", [bad]).__dict__, "url": URL + "/b"})
    with pytest.raises(Exception, match="boom"):
        store.save_page(run, fetch("2026-01-01T00:00:00+00:00"), other)
    # Nothing is visible to another connection until the group commits.
    reader = open_db(tmp_path / "t.db", readonly=True)
    assert reader.execute("select count(*) from pages").fetchone()[0] == 0
    store.commit_group()
    assert [r[0] for r in reader.execute("select url from pages")] == [URL]
    assert reader.execute("select count(*) from page_versions").fetchone()[0] == 1


def test_second_writer_is_locked_out(tmp_path):
    first = Store.open(tmp_path / "t.db")
    first.lock()
    second = Store.open(tmp_path / "t.db")
    with pytest.raises(CrawlLocked, match="another crawl"):
        second.lock()
    first.close()
    second.lock()
    second.close()


@pytest.mark.parametrize(
    "content", [b"this is not sqlite" * 100, b"SQLite format 3\x00garbage" * 50]
)
def test_corrupt_database_is_a_clear_error(tmp_path, content):
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="not a usable ris3watch database"):
        open_db(path)


def test_readonly_open_of_a_missing_file(tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        open_db(tmp_path / "missing.db", readonly=True)


def test_contacts_not_seen_for_the_retention_period_are_dropped(store):
    run = start_run(store.db, ["kymenlaakso"])
    old = Contact(name="Vanha Henkilö", title=None, email="vanha@kymenlaakso.fi", phone=None)
    new = Contact(name="Uusi Henkilö", title=None, email="uusi@kymenlaakso.fi", phone=None)
    store.save_page(run, fetch("2020-01-01T00:00:00+00:00"), record("a", [old]))
    other = Fetch(
        url=URL + "/2", source_id="kymenlaakso", status=200, fetched_at="2099-01-01T00:00:00+00:00"
    )
    store.save_page(run, other, PageRecord(**{**record("b", [new]).__dict__, "url": URL + "/2"}))
    assert drop_stale_contacts(store.db, 365) == 1
    assert [c["email"] for c in store.db["contacts"].rows] == ["uusi@kymenlaakso.fi"]
    assert store.db["page_contacts"].count == 1


def test_a_304_updates_the_page_and_restores_a_removed_one(store):
    run = start_run(store.db, ["kymenlaakso"])
    store.save_page(run, fetch("2026-01-01T00:00:00+00:00"), record("Kärjet."))
    store.mark_removed(run, URL, "2026-01-02T00:00:00+00:00")
    run2 = start_run(store.db, ["kymenlaakso"])
    assert store.mark_not_modified(run2, URL, "2026-01-03T00:00:00+00:00") == "restored"
    page = store.db["pages"].get(URL)
    assert (page["removed_at"], page["last_run_id"]) == (None, run2)
    assert page["last_seen"] == "2026-01-03T00:00:00+00:00"
    kinds = [r["kind"] for r in store.db.query("select kind from changes order by id")]
    assert kinds == ["new", "removed", "restored"]
    assert store.mark_not_modified(run2, URL, "2026-01-04T00:00:00+00:00") == "not_modified"
    # A document's 304 (no page row) only touches the document.
    assert store.mark_not_modified(run2, URL + ".pdf", "t") == "not_modified"
