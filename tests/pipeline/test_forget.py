"""Forgetting a person everywhere, history included, and keeping them forgotten."""

import pytest

from crawler.sources import Source
from extract import Contact, PageRecord
from pipeline.privacy import apply, plan
from pipeline.runs import start_run, sync_sources
from pipeline.store import Fetch, Store
from tests.conftest import run_cli

URL = "https://www.kymenlaakso.fi/strategia"
PERSON = Contact(
    name="Petri Tolmunen",
    title="Elinkeinopäällikkö",
    email="petri.tolmunen@kymenlaakso.fi",
    phone="+358447478512",
    name_as_written="Tolmunen Petri",
)
OTHER = Contact(
    name="Hanna Virtanen",
    title="Projektipäällikkö",
    email="hanna.virtanen@kymenlaakso.fi",
    phone=None,
)
CARD = "Lisätietoja: Tolmunen Petri, puh. +358 44 747 8512, petri.tolmunen@kymenlaakso.fi"


def record(text: str, contacts=(PERSON, OTHER)) -> PageRecord:
    return PageRecord(
        url=URL,
        title="Strategia",
        text=text,
        language="fi",
        description=None,
        published=None,
        updated=None,
        relevant=True,
        relevance=1.0,
        contacts=tuple(contacts),
    )


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "t.db"
    store = Store.open(path)
    sync_sources(
        store.db,
        [
            Source(
                "kymenlaakso",
                "Kymenlaakson liitto",
                "Kymenlaakso",
                "regional_council",
                ("https://www.kymenlaakso.fi/",),
            )
        ],
    )
    run = start_run(store.db, ["kymenlaakso"])
    fetch = Fetch(URL, "kymenlaakso", 200, "2026-11-01T02:00:00+00:00")
    store.save_page(run, fetch, record(f"Kärjet ovat kolme.\n{CARD}"))
    fetch = Fetch(URL, "kymenlaakso", 200, "2026-11-02T02:00:00+00:00")
    store.save_page(run, fetch, record(f"Kärjet ovat neljä.\n{CARD}\nHanna Virtanen"))
    store.close()
    return path


def everything(store: Store) -> str:
    rows = []
    for table in ("pages", "page_versions", "changes", "contacts", "pages_fts"):
        rows += [str(row) for row in store.db[table].rows]
    return "\n".join(rows)


def test_dry_run_changes_nothing(db_path):
    before = Store.open(db_path)
    snapshot = everything(before)
    before.close()
    result = run_cli("forget", "--db", str(db_path), "--email", PERSON.email, "--dry-run")
    assert result.returncode == 0 and "1 contact(s), 1 page link(s)" in result.stdout
    after = Store.open(db_path)
    assert everything(after) == snapshot
    after.close()


def test_forget_removes_the_person_everywhere_and_logs_without_data(db_path):
    store = Store.open(db_path)
    apply(store.db, plan(store.db, PERSON.email, None))
    text = everything(store)
    for trace in ("Tolmunen", "tolmunen", "747 8512", "+358447478512"):
        assert trace not in text, trace
    assert "Hanna Virtanen" in text and "Kärjet ovat neljä." in text  # others stay
    assert store.db["contacts"].count == 1 and store.db["page_contacts"].count == 1
    assert store.db["page_versions"].count == 2  # versions kept, redacted
    logged = "\n".join(str(r) for r in store.db["forgotten"].rows)
    assert "tolmunen" not in logged.lower() and len(list(store.db["forgotten"].rows)) >= 1
    store.close()


def test_a_forgotten_person_stays_forgotten_on_the_next_crawl(db_path):
    store = Store.open(db_path)
    apply(store.db, plan(store.db, None, "Petri Tolmunen"))
    store.close()
    store = Store.open(db_path)  # a later crawl
    run = start_run(store.db, ["kymenlaakso"])
    fetch = Fetch(URL, "kymenlaakso", 200, "2026-11-03T02:00:00+00:00")
    store.save_page(run, fetch, record(f"Kärjet ovat viisi.\nPetri Tolmunen, {PERSON.email}"))
    assert "Tolmunen" not in store.db["pages"].get(URL)["text"]
    assert PERSON.email not in store.db["pages"].get(URL)["text"]
    assert [c["email"] for c in store.db["contacts"].rows] == [OTHER.email]
    store.close()


def test_unknown_person_is_a_clear_error(db_path):
    result = run_cli("forget", "--db", str(db_path), "--email", "nobody@nowhere.fi")
    assert result.returncode == 1 and "no such person" in result.stderr
