"""The schema is a public contract: assert it, as git-history does."""

import sqlite_utils

from pipeline.db import open_db
from pipeline.schema import TABLES, ensure_schema

CONTRACT = {
    "sources": ["id", "name", "region", "kind", "start_urls"],
    "pages": [
        "url",
        "source_id",
        "title",
        "text",
        "language",
        "description",
        "published",
        "updated",
        "relevant",
        "relevance",
        "content_hash",
        "status",
        "first_seen",
        "last_seen",
        "last_changed",
        "removed_at",
    ],
    "page_versions": ["id", "url", "fetched_at", "content_hash", "title", "text"],
    "changes": ["id", "url", "run_id", "kind", "detected_at", "diff"],
    "contacts": ["id", "name", "title", "email", "phone", "organisation"],
    "page_contacts": ["url", "contact_id"],
    "documents": ["url", "source_id", "title", "text", "content_hash", "first_seen", "last_seen"],
    "links": ["from_url", "to_url"],
    "crawl_runs": [
        "id",
        "started_at",
        "finished_at",
        "sources",
        "pages_seen",
        "pages_stored",
        "pages_changed",
        "errors",
        "status",
    ],
    "fetch_errors": ["run_id", "url", "status", "error", "at"],
}


def test_contract_tables_and_columns(tmp_path):
    db = open_db(tmp_path / "t.db")
    for table, columns in CONTRACT.items():
        assert set(columns) <= set(db[table].columns_dict), table


def test_primary_and_foreign_keys(tmp_path):
    db = open_db(tmp_path / "t.db")
    assert db["pages"].pks == ["url"]
    assert db["sources"].pks == ["id"]
    assert db["documents"].pks == ["url"]
    assert db["page_contacts"].pks == ["url", "contact_id"]
    fks = {(fk.column, fk.other_table) for fk in db["pages"].foreign_keys}
    assert ("source_id", "sources") in fks
    assert {(fk.column, fk.other_table) for fk in db["page_contacts"].foreign_keys} == {
        ("url", "pages"),
        ("contact_id", "contacts"),
    }


def test_full_text_search_and_wal(tmp_path):
    db = open_db(tmp_path / "t.db")
    assert db["pages"].detect_fts() == "pages_fts"
    assert db["documents"].detect_fts() == "documents_fts"
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_ensure_schema_is_idempotent_and_adds_missing_columns(tmp_path):
    db = sqlite_utils.Database(tmp_path / "old.db")
    db["pages"].create({"url": str, "source_id": str, "text": str}, pk="url")
    ensure_schema(db)
    ensure_schema(db)
    assert set(TABLES["pages"]["columns"]) <= set(db["pages"].columns_dict)


def _fts_blocks(db) -> list:
    return db.execute("SELECT id, block FROM pages_fts_data ORDER BY id").fetchall()


def test_only_indexed_columns_reindex_a_row(tmp_path):
    """A 304 updates last_seen: that must not re-tokenise the page in the FTS index."""
    db = open_db(tmp_path / "t.db")
    db["sources"].insert({"id": "s", "name": "S", "region": "R", "kind": "k", "start_urls": "[]"})
    row = {"content_hash": "h", "first_seen": "t", "last_seen": "t"}
    db["pages"].insert({"url": "u", "source_id": "s", "title": "Kärjet", "text": "vety", **row})
    before = _fts_blocks(db)
    db.execute("UPDATE pages SET last_seen = 'x' WHERE url = 'u'")
    assert _fts_blocks(db) == before
    db.execute("UPDATE pages SET text = 'akku' WHERE url = 'u'")
    hits = db.execute("SELECT rowid FROM pages_fts WHERE pages_fts MATCH 'akku'").fetchall()
    assert len(hits) == 1
    assert not db.execute("SELECT 1 FROM pages_fts WHERE pages_fts MATCH 'vety'").fetchall()


def test_an_old_update_trigger_is_replaced(tmp_path):
    path = tmp_path / "old.db"
    db = open_db(path)
    db.execute("DROP TRIGGER pages_au")
    db.execute('CREATE TRIGGER "pages_au" AFTER UPDATE ON "pages" BEGIN SELECT 1; END')
    db.conn.close()
    sql = open_db(path).execute("SELECT sql FROM sqlite_master WHERE name = 'pages_au'")
    assert 'AFTER UPDATE OF "title", "text"' in sql.fetchone()[0]
