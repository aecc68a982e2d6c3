"""Opening the database, the crawl lock and the clock: what every writer shares.

One writer (the crawl, holding the OS lock) and any number of readers (Datasette, reports)
use the file at once: WAL, a busy timeout, autocommit outside explicit transactions.
Transactions are sqlite-utils' `db.atomic()` (savepoints when nested; its table methods join
an open transaction, they never commit on their own).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import sqlite_utils

from .migrations import migrate


class StoreError(Exception):
    """The database cannot be used; the message says why and which file."""


class CrawlLocked(StoreError):
    """Another crawl is writing to the same database."""


def now() -> str:
    """The time stamps every table uses: UTC, ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def open_db(path: str | Path, *, readonly: bool = False) -> sqlite_utils.Database:
    """Open (and for writers create and migrate) the database, or raise `StoreError`."""
    path = Path(path)
    if readonly:
        if not path.exists():
            raise StoreError(f"{path}: no such database (run `ris3watch crawl` first)")
        conn = _connect(f"file:{path}?mode=ro", uri=True)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"{path}: cannot create its directory {path.parent} ({exc.strerror})"
            ) from exc
        conn = _connect(str(path))
    db = sqlite_utils.Database(conn)
    try:
        db.execute("PRAGMA busy_timeout = 10000")
        if not readonly:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            migrate(db)
        else:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path}: not a usable ris3watch database ({exc})") from exc
    return db


def _connect(target: str, uri: bool = False) -> sqlite3.Connection:
    try:
        # Autocommit mode: transactions are opened explicitly (`db.atomic()`).
        return sqlite3.connect(target, uri=uri, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"{target}: cannot open database ({exc})") from exc


def migrate_file(path: str | Path) -> None:
    """Bring a database written by an older release up to date before it is served.

    A file that cannot be written (a read-only snapshot) is served as it is.
    """
    open_db(path, readonly=True).conn.close()  # exists and is a database
    try:
        db = open_db(path)
    except StoreError:
        return
    db.conn.close()


def lock(path: str | Path) -> IO[str]:
    """Take the crawl lock beside the database; the caller holds the returned file open for
    the whole crawl (the OS releases it even when the process is killed)."""
    path = Path(path)
    lock_path = path.with_name(path.name + ".lock")
    handle = open(lock_path, "w")  # noqa: SIM115 - held for the whole crawl
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        handle.close()
        raise CrawlLocked(
            f"{path}: another crawl is writing to this database "
            f"(lock {lock_path}); wait for it to finish"
        ) from exc
    handle.write(str(os.getpid()))
    handle.flush()
    return handle
