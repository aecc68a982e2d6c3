"""The SQLite store: a page (or document) and everything that hangs off it, written in one
transaction (`db.atomic()`; a savepoint inside the crawl's group of writes).

Rows are dicts written with named parameters (`_insert`, `_upsert`); the statements are
plain SQL where an upsert needs more than sqlite-utils' `upsert` says (keep `first_seen`,
`depth` the smallest seen, the text only when it changed), and to keep the crawl's hot path
free of per-row table introspection.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO

import sqlite_utils

from extract import DocumentRecord, PageRecord
from query.lemmas import page_terms

from . import db as database
from .changes import page_fingerprint, text_diff, word_changes
from .identity import save_contact
from .privacy import forgotten_hashes
from .redact import Hashes, scrub_all, scrub_document, scrub_page

logger = logging.getLogger(__name__)


@cache
def _insert_sql(table: str, columns: tuple[str, ...], verb: str = "INSERT") -> str:
    names = ", ".join(columns)
    values = ", ".join(f":{c}" for c in columns)
    return f"{verb} INTO {table} ({names}) VALUES ({values})"


def _upsert_sql(table: str, columns: tuple[str, ...], key: str, updates: tuple[str, ...]) -> str:
    """INSERT … ON CONFLICT(key) DO UPDATE SET `updates` (each `column` becomes
    `column=excluded.column` unless it is already an assignment)."""
    sets = ", ".join(u if "=" in u else f"{u}=excluded.{u}" for u in updates)
    return f"{_insert_sql(table, columns)} ON CONFLICT({key}) DO UPDATE SET {sets}"


_PAGE_COLUMNS = (
    "url", "source_id", "title", "text", "language", "description", "published", "updated",
    "relevant", "relevance", "content_hash", "status", "final_url", "content_type", "etag",
    "last_modified", "first_seen", "last_seen", "last_changed", "removed_at", "last_run_id",
    "depth", "title_lemmas", "lemmas", "relevance_grade", "guess_lemmas",
)  # fmt: skip
# The indexed columns: only a page whose fingerprint changed rewrites them, so that the FTS
# trigger re-indexes it. An unchanged page keeps the text of its latest version.
_INDEXED = ("title", "text", "title_lemmas", "lemmas", "guess_lemmas")
_PAGE_UPDATES = (
    *(c for c in _PAGE_COLUMNS if c not in ("url", "first_seen", "depth", *_INDEXED)),
    "depth=min(pages.depth, excluded.depth)",
)
_UPSERT_UNCHANGED_PAGE = _upsert_sql("pages", _PAGE_COLUMNS, "url", _PAGE_UPDATES)
_UPSERT_PAGE = _upsert_sql("pages", _PAGE_COLUMNS, "url", (*_PAGE_UPDATES, *_INDEXED))
_DOCUMENT_COLUMNS = (
    "url", "source_id", "title", "text", "pages", "content_hash", "first_seen", "last_seen",
    "last_changed", "title_lemmas", "lemmas", "guess_lemmas",
)  # fmt: skip
_UPSERT_DOCUMENT = _upsert_sql(
    "documents",
    _DOCUMENT_COLUMNS,
    "url",
    tuple(c for c in _DOCUMENT_COLUMNS if c not in ("url", "first_seen")),
)
# first_seen stays; last_seen moves while the page still names the priority.
_UPSERT_PRIORITY = (
    "INSERT INTO priorities (source_id, region, priority, language, url, first_seen, last_seen)"
    " SELECT :source_id, region, :priority, :language, :url, :at, :at FROM sources"
    " WHERE id = :source_id"
    " ON CONFLICT(url, priority) DO UPDATE SET last_seen=excluded.last_seen,"
    " language=excluded.language"
)


@dataclass(frozen=True)
class Fetch:
    """What the crawl knows about one response, besides the extracted record."""

    url: str
    source_id: str
    status: int
    fetched_at: str
    final_url: str | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    depth: int = 0


class Store:
    """The writer's view of the database during a crawl."""

    def __init__(self, db: sqlite_utils.Database, path: Path) -> None:
        self.db = db
        self.path = path
        self.forgotten = Hashes()  # hashes of people asked to be forgotten
        self._lock_file: IO[str] | None = None

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """Open the database for writing (creating and migrating it)."""
        store = cls(database.open_db(path), Path(path))
        store.forgotten = forgotten_hashes(store.db)
        return store

    def lock(self) -> None:
        """Take the crawl lock (see `db.lock`), held until `close`."""
        self._lock_file = database.lock(self.path)

    def begin_group(self) -> None:
        """Open a transaction that the following writes join (as savepoints) until
        `commit_group`. A crawl commits every ~100 pages or second: FTS5 writes an index
        segment and SQLite a WAL commit per transaction, half the cost of storing a page when
        each page committed alone."""
        if not self.db.conn.in_transaction:
            self.db.execute("BEGIN IMMEDIATE")

    def commit_group(self) -> None:
        if self.db.conn.in_transaction:
            self.db.execute("COMMIT")

    def optimize_search(self) -> None:
        """Merge each full-text index into one b-tree after a crawl has written to it: a
        crawl leaves thousands of small segments, and searches at 20,000 pages took half
        again as long before (seconds of work, once a night)."""
        for table in ("pages", "documents"):
            self.db[table].optimize()

    def close(self) -> None:
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            logger.warning("Checkpoint failed: %s", exc)
        self.db.conn.close()
        if self._lock_file:
            self._lock_file.close()
            self._lock_file = None

    # Pages --------------------------------------------------------------------------

    def save_page(
        self,
        run_id: int,
        fetch: Fetch,
        record: PageRecord,
        organisation: str | None = None,
        ignore: Iterable[str] = (),
        lemmas: tuple[str, str, str] = ("", "", ""),
    ) -> str:
        """Store one page with its version, change, contacts and links; return the outcome:
        'new', 'changed', 'restored' or 'unchanged'."""
        url = record.url
        # The fingerprint is of the page as published, so that a page is not "changed"
        # only because a person on it was forgotten since its stored text was redacted.
        digest = page_fingerprint(record.title, record.text, ignore, fetch.fetched_at)
        if self.forgotten:
            record, lemmas = self._without_forgotten(record, lemmas)
        with self.db.atomic():
            previous = self.db.execute(
                "SELECT content_hash, removed_at, first_seen, last_changed FROM pages"
                " WHERE url = ?",
                [url],
            ).fetchone()
            if previous is None:
                outcome, first_seen, last_changed = "new", fetch.fetched_at, fetch.fetched_at
            elif previous[1] is not None:
                outcome, first_seen, last_changed = "restored", previous[2], fetch.fetched_at
            elif previous[0] != digest and not self._same_by_current_rules(url, digest, ignore):
                outcome, first_seen, last_changed = "changed", previous[2], fetch.fetched_at
            else:
                outcome, first_seen, last_changed = "unchanged", previous[2], previous[3]
            old_text = self._latest_version_text(url) if previous is not None else None
            text_changed = previous is None or previous[0] != digest
            row = {
                "url": url,
                "source_id": fetch.source_id,
                "title": record.title,
                "text": record.text,
                "language": record.language,
                "description": record.description,
                "published": record.published,
                "updated": record.updated,
                "relevant": int(record.relevant),
                "relevance": record.relevance,
                "relevance_grade": record.relevance_grade,
                "content_hash": digest,
                "status": fetch.status,
                "final_url": fetch.final_url,
                "content_type": fetch.content_type,
                "etag": fetch.etag,
                "last_modified": fetch.last_modified,
                "first_seen": first_seen,
                "last_seen": fetch.fetched_at,
                "last_changed": last_changed,
                "removed_at": None,
                "last_run_id": run_id,
                "depth": fetch.depth,
                "title_lemmas": lemmas[0],
                "lemmas": lemmas[1],
                "guess_lemmas": lemmas[2],
            }
            self.db.execute(_UPSERT_UNCHANGED_PAGE if outcome == "unchanged" else _UPSERT_PAGE, row)
            if outcome != "unchanged":
                version_id = None
                if text_changed:
                    version_id = self._insert(
                        "page_versions",
                        {
                            "url": url,
                            "run_id": run_id,
                            "fetched_at": fetch.fetched_at,
                            "content_hash": digest,
                            "title": record.title,
                            "text": record.text,
                        },
                    ).lastrowid
                self._add_change(
                    run_id, url, outcome, fetch.fetched_at, old_text, record.text, version_id
                )
            self._replace_links(url, record)
            self._replace_contacts(url, fetch, record, organisation)
            self._upsert_priorities(url, fetch, record)
        return outcome

    def without_forgotten(self, texts: tuple[str, ...]) -> tuple[str, ...]:
        """Texts kept beside a page (its title candidates, `page_blocks.titles`) without
        the people who were forgotten."""
        if not self.forgotten or not texts:
            return texts
        return tuple(text or "" for text in scrub_all(list(texts), self.forgotten))

    def _without_forgotten(
        self, record: PageRecord, lemmas: tuple[str, str, str]
    ) -> tuple[PageRecord, tuple[str, str, str]]:
        """People who were forgotten stay forgotten when their page is crawled again."""
        scrubbed = scrub_page(record, self.forgotten)
        if (scrubbed.title, scrubbed.text) != (record.title, record.text):
            lemmas = page_terms(scrubbed.title, scrubbed.text, record.language)
        return scrubbed, lemmas

    def _add_change(
        self,
        run_id: int,
        url: str,
        kind: str,
        at: str,
        old: str | None,
        new: str | None,
        version_id: int | None,
    ) -> None:
        diff, added, removed = "", 0, 0
        if old is not None and new is not None:
            diff = text_diff(old, new, url)
            added, removed = word_changes(old, new)
        elif new is not None:
            added = len(new.split())
        elif old is not None:
            removed = len(old.split())
        self._insert(
            "changes",
            {
                "url": url,
                "run_id": run_id,
                "kind": kind,
                "detected_at": at,
                "diff": diff,
                "words_added": added,
                "words_removed": removed,
                "version_id": version_id,
            },
        )

    def mark_not_modified(self, run_id: int, url: str, at: str) -> str:
        """A 304: seen and unchanged. Returns 'not_modified' (or 'restored' for a page that
        had been marked removed)."""
        with self.db.atomic():
            row = self.db.execute("SELECT removed_at FROM pages WHERE url = ?", [url]).fetchone()
            if row is None:
                self.db.execute("UPDATE documents SET last_seen = ? WHERE url = ?", [at, url])
                return "not_modified"
            self.db.execute(
                "UPDATE pages SET last_seen = ?, last_run_id = ?, removed_at = NULL WHERE url = ?",
                [at, run_id, url],
            )
            if row[0] is not None:
                self._add_change(run_id, url, "restored", at, None, None, None)
                return "restored"
        return "not_modified"

    def mark_removed(self, run_id: int, url: str, at: str) -> str:
        """The server answered 404/410 for a known page: keep everything, note the removal.
        Returns 'removed', or 'already_removed' when an earlier run noticed it."""
        with self.db.atomic():
            row = self.db.execute(
                "SELECT removed_at, text FROM pages WHERE url = ?", [url]
            ).fetchone()
            if row is None or row[0] is not None:
                return "already_removed"
            self.db.execute(
                "UPDATE pages SET removed_at = ?, last_changed = ?, last_run_id = ? WHERE url = ?",
                [at, at, run_id, url],
            )
            self._add_change(run_id, url, "removed", at, row[1], None, None)
        return "removed"

    def known_pages(
        self, source_ids: list[str]
    ) -> dict[str, tuple[str, int, str | None, str | None]]:
        """url -> (source_id, depth, etag, last_modified) for every page and document of the
        sources, removed ones included (they may come back)."""
        placeholders = ",".join("?" * len(source_ids))
        rows = self.db.execute(
            f"SELECT url, source_id, coalesce(depth, 0), etag, last_modified FROM pages"
            f" WHERE source_id IN ({placeholders})"
            f" UNION ALL SELECT url, source_id, 0, NULL, NULL FROM documents"
            f" WHERE source_id IN ({placeholders})",
            [*source_ids, *source_ids],
        )
        return {url: (source, depth, etag, modified) for url, source, depth, etag, modified in rows}

    def _same_by_current_rules(self, url: str, digest: str, ignore: Iterable[str]) -> bool:
        """The latest stored version fingerprints like the page now under today's rules:
        the stored hash was made by older rules (a noise shape learned since), not a
        sign of an edit. Only pages whose hash differs pay for it."""
        row = self.db.execute(
            "SELECT title, text, fetched_at FROM page_versions WHERE url = ?"
            " ORDER BY id DESC LIMIT 1",
            [url],
        ).fetchone()
        if row is None:
            return False
        title, text, fetched_at = row
        return page_fingerprint(title, text, ignore, fetched_at) == digest

    def _latest_version_text(self, url: str) -> str:
        row = self.db.execute(
            "SELECT text FROM page_versions WHERE url = ? ORDER BY id DESC LIMIT 1", [url]
        ).fetchone()
        return row[0] if row else ""

    def _insert(self, table: str, row: dict, verb: str = "INSERT") -> sqlite3.Cursor:
        return self.db.execute(_insert_sql(table, tuple(row), verb), row)

    def _replace_links(self, url: str, record: PageRecord) -> None:
        self.db.execute("DELETE FROM links WHERE from_url = ?", [url])
        self.db.conn.executemany(
            _insert_sql("links", ("from_url", "to_url", "text"), "INSERT OR IGNORE"),
            [{"from_url": url, "to_url": link.url, "text": link.text} for link in record.links],
        )

    def _upsert_priorities(self, url: str, fetch: Fetch, record: PageRecord) -> None:
        for priority in record.priorities:
            self.db.execute(
                _UPSERT_PRIORITY,
                {
                    "source_id": fetch.source_id,
                    "priority": priority,
                    "language": record.language,
                    "url": url,
                    "at": fetch.fetched_at,
                },
            )

    def _replace_contacts(
        self, url: str, fetch: Fetch, record: PageRecord, organisation: str | None
    ) -> None:
        self.db.execute("DELETE FROM page_contacts WHERE url = ?", [url])
        for contact in record.contacts:
            contact_id = save_contact(
                self.db, fetch.source_id, contact, organisation, fetch.fetched_at
            )
            self._insert(
                "page_contacts", {"url": url, "contact_id": contact_id}, "INSERT OR IGNORE"
            )

    # Documents ----------------------------------------------------------------------

    def save_document(
        self,
        run_id: int,
        fetch: Fetch,
        record: DocumentRecord,
        digest: str,
        lemmas: tuple[str, str, str] = ("", "", ""),
    ) -> str:
        """Store a linked document, versioned by the hash of its bytes; return 'new',
        'changed' or 'unchanged'."""
        if self.forgotten:
            scrubbed = scrub_document(record, self.forgotten)
            if scrubbed != record:
                lemmas = page_terms(scrubbed.title, scrubbed.text, "fi")
            record = scrubbed
        with self.db.atomic():
            previous = self.db.execute(
                "SELECT content_hash, first_seen, last_changed, text FROM documents WHERE url = ?",
                [record.url],
            ).fetchone()
            if previous is None:
                outcome, first_seen, last_changed = "new", fetch.fetched_at, fetch.fetched_at
            elif previous[0] != digest:
                outcome, first_seen, last_changed = "changed", previous[1], fetch.fetched_at
            else:
                outcome, first_seen, last_changed = "unchanged", previous[1], previous[2]
            row = {
                "url": record.url,
                "source_id": fetch.source_id,
                "title": record.title,
                "text": record.text,
                "pages": record.pages,
                "content_hash": digest,
                "first_seen": first_seen,
                "last_seen": fetch.fetched_at,
                "last_changed": last_changed,
                "title_lemmas": lemmas[0],
                "lemmas": lemmas[1],
                "guess_lemmas": lemmas[2],
            }
            self.db.execute(_UPSERT_DOCUMENT, row)
            if outcome != "unchanged":
                self._insert(
                    "document_versions",
                    {
                        "url": record.url,
                        "run_id": run_id,
                        "fetched_at": fetch.fetched_at,
                        "content_hash": digest,
                        "title": record.title,
                        "text": record.text,
                    },
                )
                old_text = previous[3] if previous is not None else None
                self._add_change(
                    run_id, record.url, outcome, fetch.fetched_at, old_text, record.text, None
                )
        return outcome
