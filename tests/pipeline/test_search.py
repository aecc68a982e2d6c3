"""Finnish-aware full-text search over a small fixture database, in plain SQL."""

import sqlite3

import pytest

from crawler.sources import Source
from extract import PageRecord
from pipeline.runs import start_run, sync_sources
from pipeline.store import Fetch, Store
from query.lemmas import finnish_terms, index_terms
from query.search import check_query, fts_query

SQL = (
    "select pages.url from pages_fts join pages on pages.rowid = pages_fts.rowid"
    " where pages_fts match ris3_fts_query(?) order by bm25(pages_fts, 10.0, 1.0, 10.0, 1.0)"
)
PAGES = {
    # url: (language, title, text) — each page holds only some forms of each word
    "fi-strategia": (
        "fi",
        "Maakuntaohjelma",
        "Älykkään erikoistumisen strategiassa on kolme kärkeä.",
    ),
    "fi-karjet": ("fi", "Toimintasuunnitelma", "Kärjet valittiin maakuntien yhteistyössä."),
    "fi-compound": ("fi", "Erikoistumisstrategia 2021", "Kiertotalouskärki ja ohjelma."),
    "fi-title": ("fi", "Strategia", "Sivu kertoo suunnitelmista."),
    "sv-page": ("sv", "Smart specialisering", "Österbottens spetsområden och strategin."),
    "en-page": ("en", "Smart specialisation", "The region's priorities and strategies."),
}


@pytest.fixture
def conn(tmp_path):
    store = Store.open(tmp_path / "t.db")
    sync_sources(store.db, [Source("x", "X", "R", "regional_council", ("https://x.fi/",))])
    run = start_run(store.db, ["x"])
    for url, (language, title, text) in PAGES.items():
        record = PageRecord(
            url=url,
            title=title,
            text=text,
            language=language,
            description=None,
            published=None,
            updated=None,
            relevant=True,
            relevance=1.0,
        )
        lemmas = (index_terms(title, language), index_terms(text, language))
        store.save_page(
            run, Fetch(url, "x", 200, "2026-01-01T00:00:00+00:00"), record, lemmas=lemmas
        )
    store.close()
    connection = sqlite3.connect(tmp_path / "t.db")
    connection.create_function("ris3_fts_query", 1, fts_query)
    yield connection
    connection.close()


def search(conn, q):
    return [row[0] for row in conn.execute(SQL, [q])]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("erikoistuminen", "fi-strategia"),  # erikoistumisen -> erikoistua
        ("strategia", "fi-strategia"),  # strategiassa
        ("kärki", "fi-karjet"),  # kärjet
        ("maakunta", "fi-karjet"),  # maakuntien
        ("älykäs", "fi-strategia"),  # älykkään
        ("strategia", "fi-compound"),  # erikoistumisstrategia (compound part)
        ("kiertotalous", "fi-compound"),  # kiertotalouskärki
        ("spetsområde", "sv-page"),  # spetsområden (Snowball, Swedish)
        ("strategy", "en-page"),  # strategies (Snowball, English)
        ("kärkiä", "fi-strategia"),  # kärkeä: the other inflection of the same word
    ],
)
def test_inflected_queries_find_other_forms(conn, query, expected):
    assert expected in search(conn, query)


def test_title_hits_rank_first(conn):
    assert search(conn, "strategia")[0] == "fi-title"


def test_phrase_and_prefix(conn):
    assert search(conn, '"älykäs erikoistuminen"') == ["fi-strategia"]
    assert "fi-karjet" in search(conn, "maakun*")
    assert search(conn, "kärjet OR spetsområden")


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ('"unbalanced', "Unbalanced quote"),
        ("strategia)", "cannot be used"),
        ("title:strategia", "cannot be used"),
        ("OR strategia", "need a word on both sides"),
        ("*strategia", "The * goes at the end"),
    ],
)
def test_bad_queries_get_a_message(q, message):
    assert message in check_query(q)


@pytest.mark.parametrize("q", ["strategia", '"älykäs erikoistuminen"', "strat*", "a OR b", ""])
def test_good_queries_pass_and_always_compile(conn, q):
    assert check_query(q) is None
    conn.execute(SQL, [q]).fetchall()


def test_compound_terms():
    assert "strategia" in finnish_terms("erikoistumisstrategia")
    assert {"erikoistua", "kärki", "maakunta"} <= {
        *finnish_terms("erikoistumisen"),
        *finnish_terms("kärjet"),
        *finnish_terms("maakuntien"),
    }
    assert "maa" not in finnish_terms("maakuntaohjelmaa")  # too short to stand alone


def test_both_voikko_backends_give_the_same_base_forms():
    import pyvoikko

    from query.lemmas import backend

    assert backend() == "libvoikko", "make test installs Debian's libvoikko1 and voikko-fi"
    for word in ("erikoistumisen", "kärjet", "maakuntien", "strategiassa", "älykkään"):
        pure = {a.BASEFORM.lower() for a in pyvoikko.analyse(word)}
        assert pure <= set(finnish_terms(word)), word


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # all three only through base forms: strategiassa, kärkeä, Maakunta|ohjelma
        ("strategia kärki maakunta", {"fi-strategia"}),
        # a surface form (Kärjet) and a base form (yhteistyössä -> yhteistyö) together
        ("kärjet yhteistyö", {"fi-karjet"}),
        ("kärjet NOT strategia", {"fi-karjet"}),
        ("tutkimus kehittäminen rahoitus", set()),  # in no page: nothing, and no error
        ("a kärjet OR b NOT c", set()),
    ],
)
def test_words_with_and_without_lemmas_combine(conn, q, expected):
    assert set(search(conn, q)) == expected
