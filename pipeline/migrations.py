"""Migrations: numbered, named steps that bring any ris3watch database to `schema.py`.

`PRAGMA user_version` holds the number of the last step applied. Opening a database for
writing applies the steps above it, each in its own transaction with its new version, and
does nothing else; an up-to-date database is not written to. A fresh file runs every step.

Releases before numbered migrations wrote `user_version = 1` whatever their schema, so the
steps start at 2 and each is idempotent: `baseline` creates whatever of the schema is
missing. To change the schema: edit `schema.py`, then append a step here (for a new table or
column, `create_missing` is the whole step).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlsplit

import sqlite_utils

from query.lemmas import index_terms

from .identity import merge_duplicates
from .schema import FTS, INDEXES, TABLES

logger = logging.getLogger(__name__)

Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: list[tuple[int, str, Migration]] = []
# Tables that later steps create, so that a new database and a migrated one end up with the
# same schema, in the same order.
ADDED_LATER = ("page_blocks", "source_templates", "notifications", "frontier")
# Columns that later steps add, for the same reason (an added column reads differently in
# the schema from one created with its table).
COLUMNS_ADDED_LATER = {
    "crawl_runs": ("field_errors", "cleaning_fallbacks"),
    "pages": ("guess_lemmas",),
    "documents": ("guess_lemmas",),
    "forgotten": ("phone_hash",),
}


def migration(number: int, name: str) -> Callable[[Migration], Migration]:
    """Register a step; numbers follow each other (checked at import)."""

    def register(function: Migration) -> Migration:
        expected = MIGRATIONS[-1][0] + 1 if MIGRATIONS else 2
        if number != expected:
            raise ValueError(f"migration {name!r} is numbered {number}, expected {expected}")
        MIGRATIONS.append((number, name, function))
        return function

    return register


def version(db: sqlite_utils.Database) -> int:
    """The last migration step applied to this file (`PRAGMA user_version`)."""
    return db.execute("PRAGMA user_version").fetchone()[0]


def pending(db: sqlite_utils.Database) -> list[tuple[int, str, Migration]]:
    """The steps a database still needs (read-only)."""
    current = version(db)
    return [step for step in MIGRATIONS if step[0] > current]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the pending steps, each with its version bump in one transaction; return
    their names."""
    applied = []
    for number, name, function in pending(db):
        logger.info("Migrating the database to schema %d: %s", number, name)
        with db.atomic():
            function(db)
            db.execute(f"PRAGMA user_version = {number}")
        applied.append(name)
    return applied


def create_missing(
    db: sqlite_utils.Database,
    tables: list[str] | None = None,
    later: dict[str, tuple[str, ...]] = COLUMNS_ADDED_LATER,
) -> None:
    """Create the tables of `schema.TABLES` that do not exist yet and add the columns they
    lack (never drop one), with their indexes; `later` holds columns left to later steps."""
    for name in tables or list(TABLES):
        spec, table = TABLES[name], db[name]
        columns = {c: t for c, t in spec["columns"].items() if c not in later.get(name, ())}
        if table.exists():
            for column, kind in columns.items():
                if column not in table.columns_dict:
                    table.add_column(column, kind)
            continue
        table.create(
            columns,
            pk=spec["pk"],
            not_null=spec.get("not_null", set()),
            foreign_keys=spec.get("foreign_keys", []),
        )
    for table, columns, unique in INDEXES:
        if tables is None or table in tables:
            db[table].create_index(columns, unique=unique, if_not_exists=True)


@migration(2, "baseline")
def _baseline(db: sqlite_utils.Database) -> None:
    """The schema of 2026-12-01: tables, columns, indexes, full-text indexes over the text
    and lemma columns, update triggers that fire on indexed columns only."""
    create_missing(db, [name for name in TABLES if name not in ADDED_LATER])
    _rebuild_fts(db)


@migration(3, "index_lemmas")
def _index_lemmas(db: sqlite_utils.Database) -> None:
    """Index terms for rows written before the lemma columns existed."""
    rows = db.execute("SELECT url, title, text, language FROM pages WHERE lemmas IS NULL")
    pages = rows.fetchall()
    if pages:
        logger.info("Indexing base forms of %d pages written by an older release", len(pages))
    for url, title, text, language in pages:
        db["pages"].update(
            url,
            {
                "title_lemmas": index_terms(title or "", language),
                "lemmas": index_terms(text, language),
            },
        )
    rows = db.execute("SELECT url, title, text FROM documents WHERE lemmas IS NULL")
    for url, title, text in rows.fetchall():
        db["documents"].update(
            url,
            {
                "title_lemmas": index_terms(title or "", "fi"),
                "lemmas": index_terms(text or "", "fi"),
            },
        )


@migration(4, "site_templates")
def _site_templates(db: sqlite_utils.Database) -> None:
    """Each source's learned template and the per-page blocks it is learned from
    (pipeline/templates.py)."""
    create_missing(db, ["page_blocks", "source_templates"])


@migration(5, "relevance_grade")
def _relevance_grade(db: sqlite_utils.Database) -> None:
    """`pages.relevance_grade`: rows written before it get the grade their `relevant` flag
    stands for (core or off-topic) until their page is extracted again."""
    create_missing(db, ["pages"])
    db.execute(
        "UPDATE pages SET relevance_grade = CASE WHEN relevant THEN 'core' ELSE 'off_topic' END"
        " WHERE relevance_grade IS NULL"
    )


@migration(6, "notifications")
def _notifications(db: sqlite_utils.Database) -> None:
    """What each run sent to each channel (`ris3watch notify`)."""
    create_missing(db, ["notifications"])


@migration(7, "run_field_errors")
def _run_field_errors(db: sqlite_utils.Database) -> None:
    """crawl_runs counts fields left empty by a failing stage and pages whose pre-cleaning
    was undone (extract/page.py, extract/text.py)."""
    create_missing(db, ["crawl_runs"], later={})


@migration(8, "lemmas_v2")
def _lemmas_v2(db: sqlite_utils.Database) -> None:
    """#15's index terms: compound parts index-only, participles' verbs, guesses for unknown
    words in a new `guess_lemmas` column (a new FTS column, so the index is rebuilt), and
    every row re-indexed."""
    from .reindex import reindex_with_progress

    create_missing(db, ["pages", "documents"], later={})
    _rebuild_fts(db, later={})
    reindex_with_progress(db)


def _rebuild_fts(
    db: sqlite_utils.Database, later: dict[str, tuple[str, ...]] = COLUMNS_ADDED_LATER
) -> None:
    """Full-text indexes over `schema.FTS`'s columns (less those `later` steps add that the
    table lacks yet), rebuilt from the table where they are missing or their columns differ."""
    indexed = {
        t: [c for c in cs if c not in later.get(t, ()) or c in db[t].columns_dict]
        for t, cs in FTS.items()
    }
    for table, columns in indexed.items():
        fts = db[table].detect_fts()
        if fts and list(db[fts].columns_dict) == columns:
            continue
        db[table].enable_fts(
            columns,
            fts_version="FTS5",
            create_triggers=True,
            tokenize="unicode61 remove_diacritics 0",
            replace=True,
        )
        if fts:
            db[table].populate_fts(columns)
    for table, columns in indexed.items():
        _reindex_only_on_indexed_columns(db, table, columns)


@migration(9, "one_contact_per_person")
def _one_contact_per_person(db: sqlite_utils.Database) -> None:
    """`forgotten.phone_hash`; contacts looked up by source (the identity rule of
    `pipeline/identity.py` compares a contact with its source's rows), and the rows written
    before that rule split per source and merged per person. The index is created here,
    not in `schema.INDEXES`, so that new and migrated databases list it in the same place."""
    create_missing(db, ["forgotten"], later={})
    db["contacts"].create_index(["source_id", "name"], if_not_exists=True)
    merge_duplicates(db)


@migration(10, "frontier")
def _frontier(db: sqlite_utils.Database) -> None:
    """The persistent frontier (`pipeline/frontier.py`), filled from what earlier runs left:
    stored pages and documents are `fetched`, URLs that only failed are `failed` and due,
    links to URLs never fetched on their page's host `pending` (the next run applies the
    source's rules to them)."""
    create_missing(db, ["frontier"])
    db.execute(
        "INSERT OR IGNORE INTO frontier (url, source_id, depth, first_seen, last_attempt,"
        " last_success, status, failures)"
        " SELECT url, source_id, coalesce(depth, 0), first_seen, last_seen, last_seen,"
        " 'fetched', 0 FROM pages"
        " UNION ALL SELECT url, source_id, 0, first_seen, last_seen, last_seen, 'fetched', 0"
        " FROM documents"
    )
    linked = _linked(db)
    failed = db.execute(
        "SELECT url, source_id, count(DISTINCT run_id), max(run_id), min(at), max(at),"
        " (SELECT error FROM fetch_errors AS e WHERE e.url = f.url ORDER BY id DESC LIMIT 1)"
        " FROM fetch_errors AS f WHERE source_id IS NOT NULL GROUP BY url"
    ).fetchall()
    db.conn.executemany(
        "INSERT OR IGNORE INTO frontier (url, source_id, depth, discovered_from, first_seen,"
        " last_attempt, status, failures, next_attempt, last_error)"
        " VALUES (?, ?, ?, ?, ?, ?, 'failed', ?, ?, ?)",
        [
            (url, source, *linked.get(url, (0, None, None))[:2], first, last, runs, run + 1, error)
            for url, source, runs, run, first, last, error in failed
        ],
    )
    db.conn.executemany(
        "INSERT OR IGNORE INTO frontier (url, source_id, depth, discovered_from, first_seen,"
        " status, failures) VALUES (?, ?, ?, ?, ?, 'pending', 0)",
        [
            (url, source, depth, parent, seen)
            for url, (depth, parent, source, seen) in linked.items()
        ],
    )


def _linked(db: sqlite_utils.Database) -> dict[str, tuple[int, str, str, str]]:
    """to_url -> (depth, from_url, source_id, seen) through the shallowest page that links to
    it on the page's own host (other hosts are out of scope for most sources)."""
    found: dict[str, tuple[int, str, str, str]] = {}
    rows = db.execute(
        "SELECT links.to_url, links.from_url, pages.source_id, coalesce(pages.depth, 0) + 1,"
        " pages.last_seen FROM links JOIN pages ON pages.url = links.from_url"
        " ORDER BY pages.depth DESC"
    )
    for to_url, from_url, source, depth, seen in rows:
        if urlsplit(to_url).netloc == urlsplit(from_url).netloc:
            found[to_url] = (depth, from_url, source, seen)
    return found


def _reindex_only_on_indexed_columns(
    db: sqlite_utils.Database, table: str, columns: list[str]
) -> None:
    """sqlite-utils' update trigger re-indexes a row on any UPDATE; each 304 sets
    `last_seen`, which re-tokenised the whole page twice (a third of a re-crawl). The
    trigger fires only when an indexed column changes."""
    name = f"{table}_au"
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name])
    row = sql.fetchone()
    of = ", ".join(f'"{c}"' for c in columns)
    if row is None or f"UPDATE OF {of}" in row[0]:
        return
    old = ", ".join(f'old."{c}"' for c in columns)
    new = ", ".join(f'new."{c}"' for c in columns)
    listed = ", ".join(f'"{c}"' for c in columns)
    db.execute(f'DROP TRIGGER "{name}"')
    db.execute(
        f'CREATE TRIGGER "{name}" AFTER UPDATE OF {of} ON "{table}" BEGIN\n'
        f'  INSERT INTO "{table}_fts" ("{table}_fts", rowid, {listed}) '
        f"VALUES('delete', old.rowid, {old});\n"
        f'  INSERT INTO "{table}_fts" (rowid, {listed}) VALUES (new.rowid, {new});\n'
        "END"
    )


@migration(11, "lemmas_v3")
def _lemmas_v3(db: sqlite_utils.Database) -> None:
    """Index terms read alike from both Voikko backends (pyvoikko's numerals and compound
    spelling) and the potential mood as a rare reading: every row re-indexed."""
    from .reindex import reindex_with_progress

    reindex_with_progress(db)


SCHEMA_VERSION = MIGRATIONS[-1][0]
