"""Finnish-aware full-text search over a small fixture database, in plain SQL."""

import sqlite3

import pytest

from crawler.sources import Source
from extract import PageRecord
from pipeline.runs import start_run, sync_sources
from pipeline.store import Fetch, Store
from query.lemmas import page_terms
from query.search import check_query, fts_query

SQL = (
    "select pages.url from pages_fts join pages on pages.rowid = pages_fts.rowid"
    " where pages_fts match ris3_fts_query(?) order by bm25(pages_fts, 10.0, 1.0, 10.0, 1.0, 0.1)"
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
    # one cause of a past miss or false hit each (issue #15)
    "fi-talous": ("fi", "Talous", "Kunnan talous on tasapainossa."),
    "fi-kehittanyt": ("fi", "Hanke", "Liitto on kehittänyt mallin ja perustanut ryhmän."),
    "fi-kehitetty": ("fi", "Malli", "Kehitetty malli otettiin käyttöön."),
    "fi-olla": ("fi", "Kokous", "Hallitus oli paikalla."),
    "fi-hyvinvointi": ("fi", "Alue", "Hyvinvoinnin edistäminen."),
    "fi-riskit": ("fi", "Ilmasto", "Ilmastoriskit kasvavat."),
    "fi-tyo": ("fi", "Ohjelma", "Työpaikkojen määrä kasvoi."),
    "fi-unknown": ("fi", "Teltsu", "Teltsukylässä yöpyi satoja."),
    "sv-irregular": ("sv", "Program", "Vi har gjort mycket och namnet är nytt."),
}


def _database(tmp_path, pages):
    store = Store.open(tmp_path / "t.db")
    sync_sources(store.db, [Source("x", "X", "R", "regional_council", ("https://x.fi/",))])
    run = start_run(store.db, ["x"])
    for url, (language, title, text) in pages.items():
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
        lemmas = page_terms(title, text, language)
        store.save_page(
            run, Fetch(url, "x", 200, "2026-01-01T00:00:00+00:00"), record, lemmas=lemmas
        )
    store.close()
    connection = sqlite3.connect(tmp_path / "t.db")
    connection.create_function("ris3_fts_query", 1, fts_query)
    return connection


@pytest.fixture
def conn(tmp_path):
    connection = _database(tmp_path, PAGES)
    yield connection
    connection.close()


def search(conn, q):
    return [row[0] for row in conn.execute(SQL, [q])]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("erikoistuminen", "fi-strategia"),  # erikoistumisen
        ("strategia", "fi-strategia"),  # strategiassa
        ("kärki", "fi-karjet"),  # kärjet
        ("maakunta", "fi-karjet"),  # maakuntien
        ("älykäs", "fi-strategia"),  # älykkään
        ("strategia", "fi-compound"),  # erikoistumisstrategia (compound part)
        ("kiertotalous", "fi-compound"),  # kiertotalouskärki
        ("spetsområdet", "sv-page"),  # spetsområden (simplemma, Swedish)
        ("strategy", "en-page"),  # strategies (Snowball, English)
        ("kärkiä", "fi-strategia"),  # kärkeä: the other inflection of the same word
        ("kehittää", "fi-kehittanyt"),  # a participle is found from its verb
        ("perustaa", "fi-kehittanyt"),  # perustanut
        ("kehittää", "fi-kehitetty"),  # the passive participle too
        ("hyvinvointi", "fi-hyvinvointi"),  # hyvinvoinnin: Voikko's hyvin=vointi
        ("vointi", "fi-hyvinvointi"),  # a part at an "=" boundary
        ("riski", "fi-riskit"),  # ilmastoriskit: the last part as its base form
        ("ilmastoriski", "fi-riskit"),
        ("työ", "fi-tyo"),  # a short part: työpaikkojen
        ("paikka", "fi-tyo"),
        ("teltsukylä", "fi-unknown"),  # unknown to Voikko: the Snowball guess
        ("göra", "sv-irregular"),  # gjort
        ("namn", "sv-irregular"),  # namnet
    ],
)
def test_inflected_queries_find_other_forms(conn, query, expected):
    assert expected in search(conn, query)


@pytest.mark.parametrize(
    ("query", "not_expected"),
    [
        ("kiertotalous", "fi-talous"),  # the compound's last part alone is not the compound
        ("maakuntaohjelma", "fi-karjet"),  # nor its first parts (maakuntien)
        ("ilmastoriski", "fi-talous"),
        ("oleminen", "fi-olla"),  # a -minen noun is not its verb (olemisen -> olla)
        ("kehitetty", "fi-kehittanyt"),  # a participle is not every form of its verb
        ("vanha", "fi-title"),
    ],
)
def test_queries_do_not_find_other_words(conn, query, not_expected):
    assert not_expected not in search(conn, query)


def test_a_guess_ranks_below_the_word_itself(tmp_path):
    pages = {
        "guess": ("fi", "Sivu", "Teltsukylässä yöpyi satoja, teltsukylässä oli tilaa."),
        "exact": ("fi", "Sivu", "Teltsukylä on avoinna."),
    }
    conn = _database(tmp_path, pages)
    assert search(conn, "teltsukylä") == ["exact", "guess"]
    conn.close()


def test_title_hits_rank_first(conn):
    assert search(conn, "strategia")[0] == "fi-title"


def test_phrase_and_prefix(conn):
    assert search(conn, '"älykäs erikoistuminen"') == ["fi-strategia"]
    # every analysis of each word: kehittänyt and kehitetty are both kehittää's
    assert set(search(conn, '"kehittää malli"')) == {"fi-kehittanyt", "fi-kehitetty"}
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
