"""Search latency: the Datasette `search` canned query, exactly as published, over 100
Finnish queries (inflected forms, compounds, prefixes, phrases, OR, a few misses).

The SQL is read from datasette/queries.json and runs on a read-only connection with the
same two functions the plugin registers (`ris3_fts_query`, `ris3_snippet`) and the same
time limit `ris3watch serve` gives Datasette (3 s), so what is timed is what a Datasette
user waits for, minus HTTP and HTML rendering. A query stopped by the limit is an error
page for the user; it counts as 3 s in the percentiles and is reported.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.serve import SETTINGS as SERVE_SETTINGS
from query.search import fts_query, snippet

logger = logging.getLogger(__name__)
QUERIES_JSON = Path(__file__).resolve().parents[1] / "datasette" / "queries.json"
TIME_LIMIT_MS = float(SERVE_SETTINGS["sql_time_limit_ms"])

QUERIES = (
    # inflected single words
    "strategia",
    "strategian",
    "strategiassa",
    "strategiaa",
    "strategioihin",
    "erikoistuminen",
    "erikoistumisen",
    "erikoistumista",
    "älykäs",
    "älykkään",
    "maakunta",
    "maakunnan",
    "maakunnassa",
    "maakuntien",
    "maakuntaan",
    "kiertotalous",
    "kiertotalouden",
    "innovaatio",
    "innovaatioiden",
    "innovaatioympäristö",
    "kärki",
    "kärjet",
    "kärkiä",
    "kärkialat",
    "painopiste",
    "painopisteet",
    "yhteistyö",
    "yhteistyössä",
    "yhteistyötä",
    "yritys",
    "yritysten",
    "yrityksiin",
    "rahoitus",
    "rahoituksella",
    "rahoitusta",
    "hanke",
    "hankkeen",
    "hankkeissa",
    "osaaminen",
    "osaamisen",
    "osaamista",
    "logistiikka",
    "logistiikan",
    "digitalous",
    "digitalouden",
    "matkailu",
    "matkailun",
    "bioenergia",
    "bioenergian",
    "teknologia",
    "teknologioita",
    "tutkimus",
    "tutkimuksen",
    "kehittäminen",
    "kehittämisen",
    "maakuntaohjelma",
    "maakuntaohjelman",
    "kilpailukyky",
    "kilpailukykyä",
    "työvoima",
    "työvoiman",
    "korkeakoulut",
    "korkeakoulujen",
    "verkosto",
    "verkostoilla",
    "kyberturvallisuus",
    "vetytalous",
    "ruokaketjun",
    "edunvalvonta",
    "koheesiopolitiikka",
    # several words, phrases, OR
    "älykäs erikoistuminen",
    "strategia kiertotalous",
    "maakunnan yhteistyö",
    "yritysten kasvu",
    "vihreä siirtymä",
    "kestävä kasvu",
    '"älykkään erikoistumisen"',
    '"vihreän siirtymän"',
    '"kestävän kehityksen"',
    "kiertotalous OR bioenergia",
    "matkailu OR logistiikka",
    "tutkimus kehittäminen rahoitus",
    "RIS3",
    "EAKR",
    "TKI-toiminta",
    # prefixes
    "strateg*",
    "erikois*",
    "innov*",
    "kierto*",
    "maakun*",
    "kehit*",
    "yhteis*",
    "rahoit*",
    "digi*",
    "bio*",
    # rare or absent
    "avaruusteknologia",
    "saamelaiskulttuuri",
    "kvanttilaskenta",
    "sote",
    "biotalous",
)
assert len(QUERIES) == 100, len(QUERIES)


@dataclass(frozen=True)
class SearchLatency:
    p50_ms: float
    p95_ms: float
    max_ms: float
    fts_p95_ms: float  # the same MATCH and ranking without building snippets
    mean_rows: float
    failed: tuple[str, ...]  # queries SQLite refused (timed neither way)
    timed_out: tuple[str, ...]  # queries stopped by the time limit (counted at the limit)


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _timed(conn: sqlite3.Connection, sql: str, q: str) -> tuple[float, int | None]:
    """Milliseconds and rows, or (the limit, None) when the time limit stopped the query."""
    started = time.perf_counter()
    deadline = started + TIME_LIMIT_MS / 1000
    conn.set_progress_handler(lambda: time.perf_counter() > deadline, 1000)
    try:
        rows = len(conn.execute(sql, {"q": q}).fetchall())
    except sqlite3.OperationalError as exc:
        if "interrupted" not in str(exc):
            raise
        return TIME_LIMIT_MS, None
    finally:
        conn.set_progress_handler(None, 0)
    return (time.perf_counter() - started) * 1000, rows


def measure(db: Path) -> SearchLatency:
    sql = json.loads(QUERIES_JSON.read_text(encoding="utf-8"))["search"]["sql"]
    bare = sql.replace("ris3_snippet(pages.text, :q) as snippet", "null as snippet")
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        conn.create_function("ris3_fts_query", 1, fts_query, deterministic=True)
        conn.create_function("ris3_snippet", 2, snippet, deterministic=True)
        _timed(conn, bare, "alue")  # loads Voikko, as the plugin's startup hook does
        timings, bare_timings, rows, failed, timed_out = [], [], [], [], []
        for q in QUERIES:
            try:
                ms, count = _timed(conn, sql, q)
            except sqlite3.OperationalError as exc:
                logger.warning("Search %r failed: %s (FTS5 query %s)", q, exc, fts_query(q))
                failed.append(q)
                continue
            timings.append(ms)
            if count is None:
                timed_out.append(q)
            else:
                rows.append(count)
            bare_timings.append(_timed(conn, bare, q)[0])
    finally:
        conn.close()
    if timed_out:
        logger.warning("%d searches hit the %g ms limit", len(timed_out), TIME_LIMIT_MS)
    return SearchLatency(
        p50_ms=_percentile(timings, 50),
        p95_ms=_percentile(timings, 95),
        max_ms=max(timings),
        fts_p95_ms=_percentile(bare_timings, 95),
        mean_rows=statistics.mean(rows) if rows else 0.0,
        failed=tuple(failed),
        timed_out=tuple(timed_out),
    )
