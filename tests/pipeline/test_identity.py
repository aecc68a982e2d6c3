"""One contact row per person per source, and the migration that merges older duplicates."""

import sqlite3

import pytest

from crawler.sources import Source
from extract import Contact, PageRecord
from pipeline.people import name_key, name_parts
from pipeline.runs import start_run, sync_sources
from pipeline.store import Fetch, Store

SOURCES = [
    Source("kymenlaakso", "Kymenlaakson liitto", "Kymenlaakso", "regional_council", ("x",)),
    Source("elmo", "ELMO", "Itä- ja Pohjois-Suomi", "cooperation", ("y",)),
]
EMAIL = "tapani.rautio@kymenlaakso.fi"
PHONE = "+358447001234"
FI = Contact("Tapani Rautio", "Kehittämispäällikkö", EMAIL, PHONE, "Tapani Rautio")
EN = Contact("Tapani Rautio", "Development Manager", None, PHONE, "RAUTIO TAPANI")
EN_NO_PHONE_MATCH = Contact("Tapani Rautio", "Kehittämispäällikkö", None, "+358401112222")
NAMESAKE = Contact("Tapani Rautio", "Kehittämispäällikkö", "t.rautio@elmo.fi", PHONE)
STRANGER = Contact("Tapani Rautio", "Hallintojohtaja", None, "+358409998877")


def page(url: str, *contacts: Contact) -> PageRecord:
    return PageRecord(
        url=url,
        title="Yhteystiedot",
        text="Yhteystiedot",
        language="fi",
        description=None,
        published=None,
        updated=None,
        relevant=True,
        relevance=1.0,
        contacts=contacts,
    )


@pytest.fixture
def store(tmp_path):
    store = Store.open(tmp_path / "t.db")
    sync_sources(store.db, SOURCES)
    yield store
    store.close()


def crawl(store: Store, pages: list[tuple[str, str, tuple[Contact, ...]]]) -> None:
    run = start_run(store.db, ["kymenlaakso", "elmo"])
    for day, (source, path, contacts) in enumerate(pages, start=1):
        url = f"https://{source}.example/{path}"
        at = f"2026-11-{day:02d}T02:00:00+00:00"
        store.save_page(run, Fetch(url, source, 200, at), page(url, *contacts))


def contacts(store: Store) -> list[dict]:
    return [dict(r) for r in store.db["contacts"].rows_where(order_by="id")]


@pytest.mark.parametrize(
    "pages, rows",
    [
        # The Finnish page with the address, then the English one without: one person.
        ([("kymenlaakso", "fi", (FI,)), ("kymenlaakso", "en", (EN,))], 1),
        # The other way round: the address arrives later and the rows merge.
        ([("kymenlaakso", "en", (EN,)), ("kymenlaakso", "fi", (FI,))], 1),
        # No shared phone, but the same name and title.
        ([("kymenlaakso", "fi", (FI,)), ("kymenlaakso", "en", (EN_NO_PHONE_MATCH,))], 1),
        ([("kymenlaakso", "en", (EN_NO_PHONE_MATCH,)), ("kymenlaakso", "fi", (FI,))], 1),
        # Two addresses are two people, however alike the rest.
        ([("kymenlaakso", "fi", (FI,)), ("kymenlaakso", "b", (NAMESAKE,))], 2),
        # The same name with another phone and title is somebody else.
        ([("kymenlaakso", "fi", (FI,)), ("kymenlaakso", "b", (STRANGER,))], 2),
        # One row per source.
        ([("kymenlaakso", "fi", (FI,)), ("elmo", "fi", (FI,))], 2),
        # Both cards on one page.
        ([("kymenlaakso", "fi", (EN, FI))], 1),
    ],
)
def test_one_row_per_person_per_source(store, pages, rows):
    crawl(store, pages)
    assert len(contacts(store)) == rows
    linked = {r["url"] for r in store.db["page_contacts"].rows}
    assert linked == {f"https://{s}.example/{p}" for s, p, _ in pages}


def test_a_merged_row_keeps_the_earliest_first_seen_every_link_and_the_address(store):
    crawl(
        store,
        [
            ("kymenlaakso", "en", (EN,)),
            ("kymenlaakso", "en2", (EN_NO_PHONE_MATCH,)),
            ("kymenlaakso", "fi", (FI,)),
        ],
    )
    (row,) = contacts(store)
    assert row["email"] == EMAIL and row["phone"] == PHONE
    assert row["first_seen"] == "2026-11-01T02:00:00+00:00"
    assert row["last_seen"] == "2026-11-03T02:00:00+00:00"
    assert store.db["page_contacts"].count == 3


@pytest.mark.parametrize(
    "written, parts",
    [
        ("Tapani Rautio", ("tapani", "rautio")),
        ("Rautio, Tapani", ("tapani", "rautio")),
        ("RAUTIO TAPANI JUHANI", ("tapani", "rautio")),
        ("TAPANI RAUTIO", ("tapani", "rautio")),
        ("Rautio Tapani", ("tapani", "rautio")),
        ("Tapani Juhani Rautio", ("tapani", "rautio")),
        ("Anne Niemi-Korpela", ("anne", "niemi-korpela")),
        ("Tapani", None),
        (None, None),
    ],
)
def test_names_in_any_writing_are_one_person(written, parts):
    assert name_parts(written) == parts
    assert name_key(written) == (" ".join(parts) if parts else None)


def test_an_existing_database_migrates_with_its_duplicates_merged(tmp_path):
    """Rows as the previous release keyed them: by address, else by name and phone, one
    row across sources."""
    path = tmp_path / "old.db"
    store = Store.open(path)
    sync_sources(store.db, SOURCES)
    crawl(store, [("kymenlaakso", "fi", ()), ("kymenlaakso", "en", ()), ("elmo", "x", ())])
    store.close()
    conn = sqlite3.connect(path)
    rows = [
        # key, name, title, email, phone, source, first_seen, last_seen
        (EMAIL, "Tapani Rautio", "Kehittämispäällikkö", EMAIL, PHONE, "kymenlaakso", "03", "05"),
        (f"Tapani Rautio|{PHONE}", "Tapani Rautio", "Development Manager", None, PHONE,
         "kymenlaakso", "01", "04"),
        ("hanna@kymenlaakso.fi", "Hanna Virta", None, "hanna@kymenlaakso.fi", None,
         "kymenlaakso", "02", "02"),
    ]  # fmt: skip
    for key, name, title, email, phone, source, first, last in rows:
        conn.execute(
            "INSERT INTO contacts (key, name, title, email, phone, kind, source_id, first_seen,"
            " last_seen) VALUES (?, ?, ?, ?, ?, 'person', ?, ?, ?)",
            [key, name, title, email, phone, source, f"2026-10-{first}", f"2026-10-{last}"],
        )
    links = [("kymenlaakso.example/fi", 1), ("kymenlaakso.example/en", 2)]
    links += [("elmo.example/x", 1), ("kymenlaakso.example/fi", 3), ("elmo.example/x", 3)]
    conn.executemany(
        "INSERT INTO page_contacts (url, contact_id) VALUES (?, ?)",
        [(f"https://{url}", contact) for url, contact in links],
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()

    store = Store.open(path)  # the migration
    rows = contacts(store)
    by_source = {(r["source_id"], r["name"]): r for r in rows}
    assert sorted(by_source) == [
        ("elmo", "Hanna Virta"),
        ("elmo", "Tapani Rautio"),
        ("kymenlaakso", "Hanna Virta"),
        ("kymenlaakso", "Tapani Rautio"),
    ]
    tapani = by_source["kymenlaakso", "Tapani Rautio"]
    assert tapani["email"] == EMAIL and tapani["first_seen"] == "2026-10-01"
    assert tapani["last_seen"] == "2026-10-05"
    linked = {(r["url"], r["contact_id"]) for r in store.db["page_contacts"].rows}
    assert linked == {
        ("https://kymenlaakso.example/fi", tapani["id"]),
        ("https://kymenlaakso.example/en", tapani["id"]),
        ("https://elmo.example/x", by_source["elmo", "Tapani Rautio"]["id"]),
        ("https://kymenlaakso.example/fi", by_source["kymenlaakso", "Hanna Virta"]["id"]),
        ("https://elmo.example/x", by_source["elmo", "Hanna Virta"]["id"]),
    }
    assert len({r["key"] for r in rows}) == len(rows)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] >= 2
    # A later crawl keeps to the merged row.
    crawl(store, [("kymenlaakso", "en", (EN,))])
    assert len(contacts(store)) == 4
    store.close()
