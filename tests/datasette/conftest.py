"""A small corpus database written through the store, served by an in-process Datasette."""

import json

import pytest
from datasette.app import Datasette

from crawler.sources import Source
from extract import Contact, PageRecord
from pipeline.frontier import Frontier
from pipeline.runs import finish_run, start_run, sync_sources
from pipeline.serve import CONFIG_DIR
from pipeline.store import Fetch, Store
from query.lemmas import page_terms

XSS = "<img src=x onerror=alert(1)>"
SOURCES = [
    Source(
        "kymenlaakso",
        "Kymenlaakson liitto",
        "Kymenlaakso",
        "regional_council",
        ("https://www.kymenlaakso.fi/",),
    ),
    Source(
        "pohjanmaa",
        "Österbottens förbund",
        "Pohjanmaa",
        "regional_council",
        ("https://www.obotnia.fi/",),
    ),
]


def page(url, title, text, language="fi", contacts=(), priorities=()):
    return PageRecord(
        url=url,
        title=title,
        text=text,
        language=language,
        description=None,
        published="2021-02-01",
        updated="2024-05-22",
        relevant=True,
        relevance=2.0,
        contacts=tuple(contacts),
        priorities=tuple(priorities),
    )


def save(store, run, record, source_id, at):
    lemmas = page_terms(record.title, record.text, record.language)
    store.save_page(
        run, Fetch(record.url, source_id, 200, at), record, "Kymenlaakson liitto", lemmas=lemmas
    )


def build_corpus(path) -> None:
    store = Store.open(path)
    sync_sources(store.db, SOURCES)
    run = start_run(store.db, ["kymenlaakso", "pohjanmaa"])
    person = Contact(
        name="Petri Tolmunen",
        title="Elinkeinopäällikkö",
        email="petri.tolmunen@kymenlaakso.fi",
        phone="+358447478512",
    )
    save(
        store,
        run,
        page(
            "https://www.kymenlaakso.fi/strategia",
            "Älykäs erikoistuminen",
            "Kymenlaakson älykkään erikoistumisen strategiassa on kolme kärkeä.",
            contacts=[person],
            priorities=["Älykäs ja vihreä logistiikka"],
        ),
        "kymenlaakso",
        "2026-11-02T02:00:00+00:00",
    )
    save(
        store,
        run,
        page(
            "https://www.kymenlaakso.fi/xss",
            XSS,
            f"Sivu, jonka otsikko on {XSS} ja teksti kertoo maakuntien kärjistä.",
            contacts=[Contact(name=XSS, title=XSS, email="x.y@kymenlaakso.fi", phone=None)],
        ),
        "kymenlaakso",
        "2026-11-02T02:00:00+00:00",
    )
    save(
        store,
        run,
        page(
            "https://www.obotnia.fi/smart",
            "Smart specialisering",
            "Österbottens spetsområden är energi och livsmedel.",
            "sv",
            priorities=["Energiteknik"],
        ),
        "pohjanmaa",
        "2026-11-02T02:00:00+00:00",
    )
    finish_run(store.db, run, "completed", {"pages_stored": 3, "pages_new": 3}, {}, "[]")
    second = start_run(store.db, ["kymenlaakso"])
    save(
        store,
        second,
        page(
            "https://www.kymenlaakso.fi/strategia",
            "Älykäs erikoistuminen",
            "Kymenlaakson älykkään erikoistumisen strategiassa on neljä kärkeä.",
            contacts=[person],
        ),
        "kymenlaakso",
        "2026-11-20T02:00:00+00:00",
    )
    save(
        store,
        second,
        page("https://www.kymenlaakso.fi/xss", XSS, f"Muutettu: {XSS} ja maakuntien kärjet."),
        "kymenlaakso",
        "2026-11-20T02:00:00+00:00",
    )
    frontier = Frontier(store.db)
    for url in ("https://www.kymenlaakso.fi/strategia", "https://www.kymenlaakso.fi/xss"):
        frontier.fetched(url, "kymenlaakso", 0, "2026-11-20T02:00:00+00:00")
    frontier.failed(
        "https://www.kymenlaakso.fi/hidas", "kymenlaakso", second, "timeout", "2026-11-20"
    )
    finish_run(
        store.db, second, "completed", {"pages_stored": 1, "pages_changed": 1}, {}, '["pohjanmaa"]'
    )
    store.close()


def make_datasette(db_path) -> Datasette:
    return Datasette(
        [str(db_path)],
        metadata=json.loads((CONFIG_DIR / "metadata.json").read_text(encoding="utf-8")),
        template_dir=str(CONFIG_DIR / "templates"),
        plugins_dir=str(CONFIG_DIR / "plugins"),
    )


@pytest.fixture(scope="session")
def corpus_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "anything.db"  # not "ris3watch.db" on purpose
    build_corpus(path)
    return path


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
async def ds(corpus_path):
    datasette = make_datasette(corpus_path)
    await datasette.invoke_startup()
    return datasette
