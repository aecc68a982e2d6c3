"""Lemma columns are derived data: an upgrade re-indexes them, as a numbered migration."""

from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.db import open_db
from query.lemmas import page_terms
from tests.pipeline.test_search import PAGES, _database

OLD = "erikoistua strategia"  # what the older lemmatiser might have stored


def _age(path, version):
    """Make every row look indexed by an older release, its schema at `version`."""
    db = open_db(path)
    db.execute("UPDATE pages SET lemmas = ?, guess_lemmas = NULL", [OLD])
    db.execute(f"PRAGMA user_version = {version}")
    db.conn.close()


def _lemmas(path):
    db = open_db(path, readonly=True)
    rows = {
        url: (lemmas, guesses)
        for url, lemmas, guesses in db.execute("SELECT url, lemmas, guess_lemmas FROM pages")
    }
    db.conn.close()
    return rows


def test_the_upgrade_migration_reindexes_every_row(tmp_path):
    _database(tmp_path, PAGES).close()
    path = tmp_path / "t.db"
    _age(path, 7)
    open_db(path).conn.close()
    for url, (lemmas, guesses) in _lemmas(path).items():
        language, title, text = PAGES[url]
        expected = page_terms(title, text, language)
        assert (lemmas, guesses) == (expected.lemmas, expected.guess_lemmas), url


def test_reindex_command_shows_progress(tmp_path):
    _database(tmp_path, PAGES).close()
    path = tmp_path / "t.db"
    db = open_db(path)
    db.execute("UPDATE pages SET lemmas = ?", [OLD])
    db.conn.close()
    result = CliRunner().invoke(cli, ["reindex", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "Re-indexing search terms" in result.output
    assert f"Re-indexed {len(PAGES)} rows" in result.output
    assert OLD not in {lemmas for lemmas, _ in _lemmas(path).values()}


def test_reindex_of_a_missing_database_fails(tmp_path):
    result = CliRunner().invoke(cli, ["reindex", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "no such database" in result.output
