"""The schema is a public contract: assert all of it, as git-history does, and that every
database an older release wrote migrates to it."""

import re
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from pipeline import migrations
from pipeline.db import open_db
from pipeline.migrations import MIGRATIONS, SCHEMA_VERSION
from pipeline.schema import TABLES
from query.search import fts_query

TODAY = Path(__file__).parent / "fixtures" / "schema-2026-12-01.sql"

# The whole schema of a new database (`db.schema`). A change there is a change of the public
# contract (add, never rename) and needs a migration (pipeline/migrations.py).
SCHEMA = (Path(__file__).parent / "fixtures" / "schema.sql").read_text(encoding="utf-8").strip()


def test_the_whole_schema(tmp_path):
    db = open_db(tmp_path / "t.db")
    assert db.schema == SCHEMA
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def _layout_free(schema: str) -> str:
    """The schema without its layout: SQLite keeps a column added by ALTER TABLE as the
    statement wrote it (`"lemmas" TEXT\n, "relevance_grade" TEXT)`), a new table in
    sqlite-utils' layout; the columns, types and constraints are the same."""
    schema = re.sub(r"\s+", " ", schema)
    return re.sub(r"\s*([(),])\s*", r"\1", schema)


def test_migrations_are_numbered_and_named():
    numbers = [number for number, _, _ in MIGRATIONS]
    assert numbers == list(range(2, 2 + len(MIGRATIONS)))
    assert len({name for _, name, _ in MIGRATIONS}) == len(MIGRATIONS)
    assert numbers[-1] == SCHEMA_VERSION


def _today(path: Path) -> sqlite_utils.Database:
    """A database as the release of 2026-12-01 left it: its schema, user_version 1, and
    rows written before the lemma columns were filled."""
    conn = sqlite3.connect(path)
    conn.executescript(TODAY.read_text(encoding="utf-8"))
    conn.execute("PRAGMA user_version = 1")
    db = sqlite_utils.Database(conn)
    db["sources"].insert({"id": "s", "name": "S", "region": "R", "kind": "k", "start_urls": "[]"})
    common = {"source_id": "s", "content_hash": "h", "first_seen": "t", "last_seen": "t"}
    db["pages"].insert(
        {"url": "u", "title": "Kärjet", "text": "strategiassa", "language": "fi"} | common
    )
    db["documents"].insert({"url": "d.pdf", "title": "Ohjelma", "text": "maakuntien"} | common)
    conn.commit()
    conn.close()
    return db


def test_a_database_of_today_migrates(tmp_path):
    path = tmp_path / "today.db"
    _today(path)
    db = open_db(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert _layout_free(db.schema) == _layout_free(SCHEMA)
    page = db["pages"].get("u")
    assert "strategia" in page["lemmas"].split() and page["title_lemmas"]
    assert "maakunta" in db["documents"].get("d.pdf")["lemmas"].split()
    found = db.execute(
        "SELECT url FROM pages_fts JOIN pages ON pages.rowid = pages_fts.rowid"
        " WHERE pages_fts MATCH ?",
        [fts_query("strategia")],
    ).fetchall()
    assert found == [("u",)]


def test_an_up_to_date_database_is_not_migrated_again(tmp_path):
    open_db(tmp_path / "t.db").conn.close()
    db = open_db(tmp_path / "t.db")
    assert migrations.pending(db) == []
    assert migrations.migrate(db) == []


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    db = open_db(tmp_path / "t.db")

    def broken(db):
        db["half_done"].create({"id": int}, pk="id")
        raise RuntimeError("step failed")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, (SCHEMA_VERSION + 1, "x", broken)])
    with pytest.raises(RuntimeError):
        migrations.migrate(db)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert not db["half_done"].exists()


def test_an_old_release_gains_the_columns_it_lacks(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    db["pages"].create({"url": str, "source_id": str, "text": str}, pk="url")
    db.execute("PRAGMA user_version = 1")
    db.conn.close()
    db = open_db(path)
    assert set(db["pages"].columns_dict) == set(TABLES["pages"]["columns"])
    assert set(db.table_names()) >= set(TABLES)


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
    db.execute("PRAGMA user_version = 1")  # as an older release left it
    db.conn.close()
    sql = open_db(path).execute("SELECT sql FROM sqlite_master WHERE name = 'pages_au'")
    assert 'AFTER UPDATE OF "title", "text"' in sql.fetchone()[0]
