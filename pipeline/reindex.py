"""Re-index the lemma columns: they are derived data, rebuilt whenever the index terms change.

`title_lemmas`, `lemmas` and `guess_lemmas` hold what `query.lemmas.page_terms` makes of a
row's title and text. A release whose index terms differ adds a migration that calls
`reindex_with_progress` (migration 8 did, for #15's lemmatiser), so an upgraded database
is re-indexed, with a progress bar on the terminal, the first time `crawl` or `serve` opens
it; `ris3watch reindex` does the same on demand (after a Voikko dictionary upgrade). The FTS
triggers re-tokenise each updated row.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

import click
import sqlite_utils

from query.lemmas import page_terms

logger = logging.getLogger(__name__)
BATCH = 200  # rows read at a time
# (table, the language of a row: documents carry none and are mostly Finnish)
TABLES = (("pages", "language"), ("documents", "'fi'"))


def reindex(db: sqlite_utils.Database, progress: Callable[[int], None] | None = None) -> int:
    """Rewrite the lemma columns of every page and document; return how many rows.

    `progress` is called with the number of rows done after each batch. The caller owns
    the transaction (a migration runs in one).
    """
    done = 0
    for table, language in TABLES:
        rowids = [r[0] for r in db.execute(f"SELECT rowid FROM {table}")]
        for start in range(0, len(rowids), BATCH):
            batch = rowids[start : start + BATCH]
            marks = ", ".join("?" for _ in batch)
            rows = db.execute(
                f"SELECT rowid, title, text, {language} FROM {table} WHERE rowid IN ({marks})",
                batch,
            ).fetchall()
            for rowid, title, text, lang in rows:
                db.execute(
                    f"UPDATE {table} SET title_lemmas = :title_lemmas, lemmas = :lemmas,"
                    " guess_lemmas = :guess_lemmas WHERE rowid = :rowid",
                    {**page_terms(title, text, lang)._asdict(), "rowid": rowid},
                )
            done += len(rows)
            if progress:
                progress(len(rows))
    return done


def reindex_with_progress(db: sqlite_utils.Database) -> int:
    """`reindex` in one transaction, with a progress bar on stderr (a plain label when it
    is not a terminal): an upgrade's re-index takes minutes at 20,000 pages."""
    total = sum(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t, _ in TABLES)
    if not total:
        return 0
    logger.info("Re-indexing the search terms of %d rows", total)
    with (
        db.atomic(),
        click.progressbar(length=total, label="Re-indexing search terms", file=sys.stderr) as bar,
    ):
        return reindex(db, progress=bar.update)
