"""The schema, in one place. Table and column names are a public contract (README)."""

from __future__ import annotations

import sqlite_utils

SCHEMA_VERSION = 1

TABLES: dict[str, dict] = {
    "sources": {
        "columns": {
            "id": str,
            "name": str,
            "region": str,
            "kind": str,
            "start_urls": str,
            "enabled": int,
            "note": str,
        },
        "pk": "id",
        "not_null": {"name", "region", "kind", "start_urls"},
    },
    "crawl_runs": {
        "columns": {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "sources": str,
            "pages_seen": int,
            "pages_stored": int,
            "pages_new": int,
            "pages_changed": int,
            "pages_unchanged": int,
            "pages_removed": int,
            "pages_not_modified": int,
            "documents_stored": int,
            "errors": int,
            "skipped": int,
            "lost": int,
            "dead_sources": str,
            "status": str,
            "pid": int,
            "summary": str,
        },
        "pk": "id",
        "not_null": {"started_at", "status"},
    },
    "pages": {
        "columns": {
            "url": str,
            "source_id": str,
            "title": str,
            "text": str,
            "language": str,
            "description": str,
            "published": str,
            "updated": str,
            "relevant": int,
            "relevance": float,
            "content_hash": str,
            "status": int,
            "final_url": str,
            "content_type": str,
            "etag": str,
            "last_modified": str,
            "first_seen": str,
            "last_seen": str,
            "last_changed": str,
            "removed_at": str,
            "last_run_id": int,
            "depth": int,
            "title_lemmas": str,
            "lemmas": str,
        },
        "pk": "url",
        "not_null": {"source_id", "text", "content_hash", "first_seen", "last_seen"},
        "foreign_keys": [("source_id", "sources", "id")],
    },
    "page_versions": {
        "columns": {
            "id": int,
            "url": str,
            "run_id": int,
            "fetched_at": str,
            "content_hash": str,
            "title": str,
            "text": str,
        },
        "pk": "id",
        "not_null": {"url", "fetched_at", "content_hash", "text"},
        "foreign_keys": [("url", "pages", "url"), ("run_id", "crawl_runs", "id")],
    },
    "changes": {
        "columns": {
            "id": int,
            "url": str,
            "run_id": int,
            "kind": str,
            "detected_at": str,
            "diff": str,
            "words_added": int,
            "words_removed": int,
            "version_id": int,
        },
        "pk": "id",
        "not_null": {"url", "kind", "detected_at"},
        "foreign_keys": [("run_id", "crawl_runs", "id"), ("version_id", "page_versions", "id")],
    },
    "contacts": {
        "columns": {
            "id": int,
            "key": str,
            "name": str,
            "title": str,
            "email": str,
            "phone": str,
            "organisation": str,
            "kind": str,
            "name_as_written": str,
            "source_id": str,
            "first_seen": str,
            "last_seen": str,
        },
        "pk": "id",
        "not_null": {"key", "kind", "first_seen", "last_seen"},
        "foreign_keys": [("source_id", "sources", "id")],
    },
    "page_contacts": {
        "columns": {"url": str, "contact_id": int},
        "pk": ("url", "contact_id"),
        "foreign_keys": [("url", "pages", "url"), ("contact_id", "contacts", "id")],
    },
    "documents": {
        "columns": {
            "url": str,
            "source_id": str,
            "title": str,
            "text": str,
            "pages": int,
            "content_hash": str,
            "first_seen": str,
            "last_seen": str,
            "last_changed": str,
            "title_lemmas": str,
            "lemmas": str,
        },
        "pk": "url",
        "not_null": {"source_id", "content_hash", "first_seen", "last_seen"},
        "foreign_keys": [("source_id", "sources", "id")],
    },
    "document_versions": {
        "columns": {
            "id": int,
            "url": str,
            "run_id": int,
            "fetched_at": str,
            "content_hash": str,
            "title": str,
            "text": str,
        },
        "pk": "id",
        "not_null": {"url", "fetched_at", "content_hash"},
        "foreign_keys": [("url", "documents", "url"), ("run_id", "crawl_runs", "id")],
    },
    "priorities": {
        "columns": {
            "source_id": str,
            "region": str,
            "priority": str,
            "language": str,
            "url": str,
            "first_seen": str,
            "last_seen": str,
        },
        "pk": ("url", "priority"),
        "not_null": {"source_id", "first_seen", "last_seen"},
        "foreign_keys": [("url", "pages", "url"), ("source_id", "sources", "id")],
    },
    "forgotten": {
        "columns": {
            "id": int,
            "at": str,
            "email_hash": str,
            "name_hash": str,
            "contacts_removed": int,
            "page_links_removed": int,
            "rows_redacted": int,
        },
        "pk": "id",
        "not_null": {"at"},
    },
    "links": {
        "columns": {"from_url": str, "to_url": str, "text": str},
        "pk": ("from_url", "to_url"),
        "foreign_keys": [("from_url", "pages", "url")],
    },
    "fetch_errors": {
        "columns": {
            "id": int,
            "run_id": int,
            "url": str,
            "source_id": str,
            "status": int,
            "error": str,
            "at": str,
        },
        "pk": "id",
        "not_null": {"run_id", "url", "error", "at"},
        "foreign_keys": [("run_id", "crawl_runs", "id")],
    },
}

INDEXES: list[tuple[str, list[str], bool]] = [
    ("pages", ["source_id"], False),
    ("pages", ["last_changed"], False),
    ("page_versions", ["url", "fetched_at"], False),
    ("changes", ["detected_at"], False),
    ("changes", ["url"], False),
    ("changes", ["run_id"], False),
    ("contacts", ["key"], True),
    ("contacts", ["email"], False),
    ("page_contacts", ["contact_id"], False),
    ("documents", ["source_id"], False),
    ("document_versions", ["url"], False),
    ("pages", ["removed_at"], False),
    ("links", ["to_url"], False),
    ("priorities", ["source_id"], False),
    ("fetch_errors", ["run_id"], False),
]

# Lemma columns hold Voikko base forms / Snowball stems (pipeline/lemmas.py) so that
# inflected queries find inflected pages; see pipeline/search.py.
FTS: dict[str, list[str]] = {
    "pages": ["title", "text", "title_lemmas", "lemmas"],
    "documents": ["title", "text", "title_lemmas", "lemmas"],
}


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create whatever is missing; existing tables gain new columns, never lose any."""
    db.execute("PRAGMA foreign_keys = ON")
    for name, spec in TABLES.items():
        table = db[name]
        if table.exists():
            missing = {c: t for c, t in spec["columns"].items() if c not in table.columns_dict}
            for column, kind in missing.items():
                table.add_column(column, kind)
            continue
        table.create(
            spec["columns"],
            pk=spec["pk"],
            not_null=spec.get("not_null", set()),
            foreign_keys=spec.get("foreign_keys", []),
        )
    for table, columns, unique in INDEXES:
        db[table].create_index(columns, unique=unique, if_not_exists=True)
    for table, columns in FTS.items():
        fts = db[table].detect_fts()
        if fts and list(db[fts].columns_dict) == columns:
            continue
        # New or changed index columns: rebuild the index from the table.
        db[table].enable_fts(
            columns,
            fts_version="FTS5",
            create_triggers=True,
            tokenize="unicode61 remove_diacritics 0",
            replace=True,
        )
        if fts:
            db[table].populate_fts(columns)
    for table, columns in FTS.items():
        _reindex_only_on_indexed_columns(db, table, columns)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


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
