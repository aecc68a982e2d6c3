"""Watch matching: the same answers as an FTS5 search over the line, and noise-free lines."""

import sqlite3

import pytest

from pipeline.notify.watch import added_lines
from query.lemmas import page_terms
from query.search import fts_query
from query.watch import matching_lines, watch_lines

LINES = [
    "Kiertotalous ja resurssiviisaus on Päijät-Hämeen kärki.",
    "Vetytalouden hankkeet käynnistyvät Kotkassa.",
    "Älykkään erikoistumisen strategia päivitetään.",
    "Maakuntien kärjet ovat logistiikka ja digitalous.",
    "co2-päästöt ja bio-talous",
    "Osumia: 1234",
    "Smart specialisation strategies of the regions",
]
QUERIES = [
    "resurssiviisaudesta",
    "vetytaloudesta OR vety*",
    "kiertotalous NOT resurssiviisaus",
    '"älykäs erikoistuminen"',
    '"älykkään erikoistumisen"',
    "strategiassa NOT kiertotalous",
    "kärkiä",
    "maakunta kärki",
    "co2-päästöt",
    "bio-talous",
    "strategy",
    "logist* digitalous",
    "hankkeet OR osumia",
]


def fts5(lines, q):
    """What SQLite's FTS5 answers for `fts_query(q)` over lines indexed as the store does."""
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, text, title_lemmas, lemmas, guess_lemmas,"
        " tokenize='unicode61 remove_diacritics 0')"
    )
    conn.executemany(
        "INSERT INTO t (rowid, title, text, title_lemmas, lemmas, guess_lemmas)"
        " VALUES (?, '', ?, '', ?, ?)",
        [(i, line, *page_terms("", line, None)[1:]) for i, line in enumerate(lines)],
    )
    rows = conn.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid", [fts_query(q)])
    return [lines[row[0]] for row in rows]


@pytest.mark.parametrize("q", QUERIES)
def test_a_watch_matches_what_a_search_would_find(q):
    assert matching_lines(LINES, q) == fts5(LINES, q)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("resurssiviisaudesta", [LINES[0]]),  # another inflection of the page's word
        ('"älykäs erikoistuminen"', [LINES[2]]),
        ("vety*", [LINES[1]]),
        ("ydinvoima", []),
        ("", []),
    ],
)
def test_inflected_watches(q, expected):
    assert matching_lines(LINES, q) == expected


DIFF = """--- u (before)
+++ u (now)
@@ -1,4 +1,5 @@
-Osumia: 1233
+Osumia: 1234
 Kiertotalous
-Päivitetty 1.11.2026 klo 10.15
+Päivitetty 2.11.2026 klo 09.40
-Kiertotalous on   kärki.
+Kiertotalous on kärki.
+Kiertotalous ja resurssiviisaus on uusi kärki."""


@pytest.mark.parametrize(
    ("kind", "diff", "text", "expected"),
    [
        # counters, stamps and re-wrapped lines are not additions
        ("changed", DIFF, None, ["Kiertotalous ja resurssiviisaus on uusi kärki."]),
        ("new", "", "Otsikko\n\n  Teksti  \n", ["Otsikko", "Teksti"]),
        ("removed", "", "Teksti", []),
        ("restored", None, None, []),
    ],
)
def test_added_lines_leave_out_noise(kind, diff, text, expected):
    assert added_lines(kind, diff, text) == expected


def test_the_sql_function_returns_matching_added_lines_or_null():
    assert watch_lines("changed", DIFF, None, "resurssiviisaudesta") == (
        "Kiertotalous ja resurssiviisaus on uusi kärki."
    )
    assert watch_lines("changed", DIFF, None, "ydinvoima") is None
    assert watch_lines("new", "", "Vetytalous kasvaa", None) is None
