"""`forget` finds a person by any identifier and every writing of their name, and later
crawls keep every writing out."""

import pytest

from crawler.sources import Source
from extract import Contact, DocumentRecord, Link, PageRecord
from pipeline.privacy import apply, forgotten_hashes, plan
from pipeline.redact import REDACTED, Hashes, scrub
from pipeline.runs import start_run, sync_sources
from pipeline.store import Fetch, Store
from tests.conftest import run_cli

EMAIL = "tapani.rautio@kymenlaakso.fi"
PHONE = "+358447001234"
FI = Contact("Tapani Rautio", "Kehittämispäällikkö", EMAIL, PHONE, "Tapani Rautio")
EN = Contact("Tapani Rautio", "Development Manager", None, PHONE, "RAUTIO TAPANI")
OTHER = Contact("Hanna Virta", "Projektipäällikkö", "hanna.virta@kymenlaakso.fi", None)
SWITCHBOARD = Contact("Kymenlaakson liitto", None, "kirjaamo@kymenlaakso.fi", PHONE, None,
                      "organisation")  # fmt: skip
SOURCES = [
    Source("kymenlaakso", "Kymenlaakson liitto", "Kymenlaakso", "regional_council", ("x",)),
    Source("elmo", "ELMO", "Itä- ja Pohjois-Suomi", "cooperation", ("y",)),
]
TRACES = ("rautio", "tapani", "7001234", "700 1234", "tapani.rautio")


def page(url, text, contacts=(), links=()) -> PageRecord:
    return PageRecord(
        url=url,
        title="Yhteystiedot",
        text=text,
        language="fi",
        description=None,
        published=None,
        updated=None,
        relevant=True,
        relevance=1.0,
        contacts=tuple(contacts),
        links=tuple(links),
    )


PAGES = [
    ("kymenlaakso", "fi", "Lisätietoja: Tapani Rautio, puh. 044 700 1234, " + EMAIL, (FI,)),
    ("kymenlaakso", "en", "Contact: RAUTIO TAPANI, Development Manager, +358 44 700 1234", (EN,)),
    ("elmo", "x", "Kiitos Tapani Raution tiimille! Rautiolle voi soittaa.", (EN,)),
    ("kymenlaakso", "hanna", "Hanna Virta, hanna.virta@kymenlaakso.fi", (OTHER,)),
]


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "t.db"
    store = Store.open(path)
    sync_sources(store.db, SOURCES)
    run = start_run(store.db, ["kymenlaakso", "elmo"])
    for source, slug, text, contacts in PAGES:
        url = f"https://{source}.example/{slug}"
        for day, extra in ((1, ""), (2, "\nPäivitetty sivu.")):
            store.save_page(
                run,
                Fetch(url, source, 200, f"2026-11-0{day}T02:00:00+00:00"),
                page(url, text + extra, contacts, [Link(url + "/cv", "Tapani Rautio: CV")]),
            )
    store.close()
    return path


def everything(store: Store) -> str:
    """Every value of every table, the FTS shadow tables included."""
    tables = store.db.table_names()
    return "\n".join(str(row) for t in tables for row in store.db.execute(f"SELECT * FROM [{t}]"))


@pytest.mark.parametrize(
    "email, name, phone",
    [
        (EMAIL, None, None),
        (None, "Tapani Rautio", None),
        (None, "Rautio Tapani", None),
        (None, "RAUTIO TAPANI", None),
        (None, "Tapani Juhani Rautio", None),
        (None, "rautio, tapani", None),
        (None, None, "044 700 1234"),
    ],
)
def test_any_identifier_finds_every_row_of_the_person(db_path, email, name, phone):
    store = Store.open(db_path)
    found = plan(store.db, email, name, phone)
    # The council's row (its Finnish and English pages are one person) and ELMO's row,
    # written without the address.
    assert sorted((c["source_id"], c["email"]) for c in found.contacts) == [
        ("elmo", None),
        ("kymenlaakso", EMAIL),
    ]
    assert {c["name"] for c in found.contacts} == {"Tapani Rautio"}
    assert found.page_links == 3
    apply(store.db, found)
    text = everything(store).lower()
    assert not [trace for trace in TRACES if trace in text]
    assert "hanna virta" in text and store.db["contacts"].count == 1
    store.close()


def test_dry_run_lists_every_row_link_and_text_and_changes_nothing(db_path):
    store = Store.open(db_path)
    before = everything(store)
    store.close()
    result = run_cli("forget", "--db", str(db_path), "--email", EMAIL, "--dry-run")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "2 contact(s), 3 page link(s)" in out
    assert out.count("  contact ") == 2 and out.count("  page link: ") == 3
    for table in ("pages", "page_versions", "changes", "links"):
        assert f"text: {table} row" in out, table
    assert "https://elmo.example/x" in out and "Dry run: nothing changed." in out
    store = Store.open(db_path)
    assert everything(store) == before
    store.close()


def test_a_phone_shared_with_someone_else_stays_unless_asked(tmp_path):
    store = Store.open(tmp_path / "t.db")
    sync_sources(store.db, SOURCES)
    run = start_run(store.db, ["kymenlaakso"])
    url = "https://kymenlaakso.example/fi"
    text = "Tapani Rautio, tapani.rautio@kymenlaakso.fi, vaihde 044 700 1234"
    store.save_page(
        run, Fetch(url, "kymenlaakso", 200, "2026-11-01"), page(url, text, (FI, SWITCHBOARD))
    )
    found = plan(store.db, EMAIL)
    assert found.shared_phones == {PHONE: 1}
    assert any("stays" in line for line in found.describe())
    apply(store.db, found)
    assert store.db["pages"].get(url)["text"] == f"{REDACTED}, {REDACTED}, vaihde 044 700 1234"
    assert [c["email"] for c in store.db["contacts"].rows] == ["kirjaamo@kymenlaakso.fi"]
    store.close()


WRITINGS = [
    ("Tapani Rautio", REDACTED),
    ("Rautio Tapani", REDACTED),
    ("Rautio, Tapani", REDACTED),
    ("RAUTIO TAPANI", REDACTED),
    ("RAUTIO TAPANI JUHANI kertoo", f"{REDACTED} kertoo"),
    ("Tapani Juhani Rautio kertoo", f"{REDACTED} kertoo"),
    ("Rautio Tapani Juhani, Kymenlaakson liitto", f"{REDACTED}, Kymenlaakson liitto"),
    ("Kysy Tapani Rautiolta", f"Kysy {REDACTED}"),
    ("Tapani Raution mukaan", f"{REDACTED} mukaan"),
    ("Tapani Rautio. Soita Rautiolle.", f"{REDACTED}. Soita {REDACTED}."),
    ("tapani.rautio(at)kymenlaakso.fi", REDACTED),
    ("Tapani.Rautio@Kymenlaakso.fi", REDACTED),
    ("p. 044-700 1234", f"p. {REDACTED}"),
    ("+358 (0)44 700 1234", REDACTED),
    # Not him: another Tapani, the surname alone where nothing names him, a blacksmith.
    ("Tapani Virtanen", "Tapani Virtanen"),
    ("Rautio on kylä Kalajoella.", "Rautio on kylä Kalajoella."),
    ("rautio takoo", "rautio takoo"),
]


@pytest.mark.parametrize("text, expected", WRITINGS)
def test_every_writing_is_found_by_the_hashes(text, expected):
    hashes = Hashes()
    hashes.add([EMAIL], [PHONE], ["Tapani Rautio"])
    assert scrub(text, hashes) == expected


def test_later_crawls_keep_every_writing_out_of_pages_documents_versions_and_diffs(db_path):
    result = run_cli("forget", "--db", str(db_path), "--email", EMAIL)
    assert result.returncode == 0, result.stderr
    store = Store.open(db_path)  # the next night
    assert store.forgotten.emails and store.forgotten.phones and store.forgotten.names
    run = start_run(store.db, ["kymenlaakso"])
    url = "https://kymenlaakso.example/fi"
    text = (
        "Hanke etenee, kertoo Rautio Tapani Juhani.\nTAPANI RAUTIO, puh. 044 700 1234.\n"
        "Tapani Raution mukaan työ jatkuu. Kiitos Rautiolle!"
    )
    contacts = (FI, Contact("Tapani Juhani Rautio", None, None, PHONE), OTHER)
    store.save_page(run, Fetch(url, "kymenlaakso", 200, "2026-11-05T02:00:00+00:00"),
                    page(url, text, contacts, [Link(url + "/cv", "Rautio Tapani")]))  # fmt: skip
    pdf = "https://kymenlaakso.example/strategia.pdf"
    document = DocumentRecord(pdf, "Strategia", "Yhteyshenkilö RAUTIO TAPANI, Rautiolle.", 1)
    fetch = Fetch(pdf, "kymenlaakso", 200, "2026-11-05T02:00:00+00:00")
    store.save_document(run, fetch, document, "sha-1")
    store.save_document(run, fetch, document, "sha-2")  # a version and a diff
    text = everything(store).lower()
    assert not [trace for trace in TRACES if trace in text]
    assert "hanke etenee, kertoo" in text and "hanna virta" in text
    assert store.db["contacts"].count == 1
    hits = store.db.execute("SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'rautio'")
    assert hits.fetchone()[0] == 0
    store.close()


def test_the_log_holds_hashes_only(db_path):
    store = Store.open(db_path)
    apply(store.db, plan(store.db, None, None, PHONE))
    logged = "\n".join(str(r) for r in store.db["forgotten"].rows).lower()
    assert not [trace for trace in TRACES if trace in logged]
    hashes = forgotten_hashes(store.db)
    assert hashes.has_email(EMAIL) and hashes.has_phone(PHONE)
    assert hashes.has_name("RAUTIO TAPANI")
    store.close()


def test_a_page_whose_only_difference_is_the_redaction_is_unchanged(db_path):
    store = Store.open(db_path)
    apply(store.db, plan(store.db, EMAIL))
    store.close()
    store = Store.open(db_path)
    run = start_run(store.db, ["kymenlaakso"])
    source, slug, text, contacts = PAGES[0]
    url = f"https://{source}.example/{slug}"
    record = page(
        url, text + "\nPäivitetty sivu.", contacts, [Link(url + "/cv", "Tapani Rautio: CV")]
    )
    outcome = store.save_page(run, Fetch(url, source, 200, "2026-11-09T02:00:00+00:00"), record)
    assert outcome == "unchanged"
    assert "rautio" not in store.db["pages"].get(url)["text"].lower()
    assert store.db["contacts"].count == 1
    store.close()
