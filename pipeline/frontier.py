"""The crawl frontier: every URL the crawl has decided to request, its state and its next try.

Like Nutch's CrawlDb, the frontier outlives runs: each run is scheduled from it, so an
interrupted night, a `--max-pages` trial or a failed fetch never leaves a page uncrawled.
Time is counted in runs (`crawl_runs.id`), not on the clock: a second run the same hour
behaves as the next night does.

Statuses: `pending` (discovered, not fetched yet), `fetched` (answered: stored, 304, or a
known page's 404/410 removal), `failed` (its last try failed; retried at `next_attempt`),
`gone` (failed for `gone_after` runs in a row; no longer requested), `excluded` (the
source's rules, robots.txt or its content type rule it out; no longer requested).

The pure rules are `retry_interval`, `failure_span` and `after_failure`; `Frontier` is the
store's side (one small interface, so the frontier can later live in a shared store).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlite_utils

from crawler.items import Discovery, Due

# Reasons (the code before any ':') of failures that another try may cure.
TRANSIENT = frozenset(
    {"timeout", "connection_refused", "dns_error", "truncated", "http_408", "http_429"}
)
MAX_INTERVAL = 7  # runs between two tries, at most
GONE_AFTER = 30  # runs a URL may fail in a row before it is `gone`


def is_transient(error: str) -> bool:
    """5xx, 429, 408, timeouts, refused connections, DNS errors and truncated bodies."""
    reason = error.split(":", 1)[0]
    return reason in TRANSIENT or (reason.startswith("http_5") and len(reason) == 8)


def retry_interval(failures: int) -> int:
    """Runs to wait after `failures` consecutive failures: the next run, then 2, 4, 8 runs,
    at most MAX_INTERVAL."""
    return min(2 ** (max(failures, 1) - 1), MAX_INTERVAL)


def failure_span(failures: int) -> int:
    """How many runs `failures` consecutive failed tries cover, first and last included, when
    every try is made when due (tries in runs 1, 2, 4, 8, 15...: span 1, 2, 4, 8, 15...)."""
    return 1 + sum(retry_interval(n) for n in range(1, failures))


@dataclass(frozen=True)
class Retry:
    """A failed URL's new state: `failed` until `next_attempt` (a run number), or `gone`."""

    status: str
    failures: int
    next_attempt: int | None


def after_failure(failures: int, run: int, error: str, gone_after: int = GONE_AFTER) -> Retry:
    """The state after one more failure (`failures` counts it) in run `run`.

    A transient failure is retried by the backoff schedule; a permanent one (a 404 of a URL
    never stored, an extraction error, a redirect out of scope) waits the longest interval.
    Either becomes `gone` once its failures have lasted `gone_after` runs.
    """
    if failure_span(failures) >= gone_after:
        return Retry("gone", failures, None)
    wait = retry_interval(failures) if is_transient(error) else MAX_INTERVAL
    return Retry("failed", failures, run + wait)


_DISCOVER = (
    "INSERT INTO frontier (url, source_id, depth, discovered_from, first_seen, status, failures)"
    " VALUES (:url, :source_id, :depth, :discovered_from, :at, 'pending', 0)"
    " ON CONFLICT(url) DO NOTHING"
)
_FETCHED = (
    "INSERT INTO frontier (url, source_id, depth, first_seen, last_attempt, last_success,"
    " status, failures, last_error)"
    " VALUES (:url, :source_id, :depth, :at, :at, :success, 'fetched', 0, :error)"
    " ON CONFLICT(url) DO UPDATE SET status = 'fetched', failures = 0, next_attempt = NULL,"
    " last_attempt = :at, last_success = coalesce(:success, frontier.last_success),"
    " last_error = :error, depth = coalesce(min(frontier.depth, :depth_seen), frontier.depth)"
)


class Frontier:
    """The frontier table of one database. Writes join the caller's open transaction (the
    crawl's group of writes), so a URL and the page that found it commit together."""

    def __init__(self, db: sqlite_utils.Database, gone_after: int = GONE_AFTER) -> None:
        self.db = db
        self.gone_after = gone_after

    def schedule(self, run: int, source_ids: Sequence[str]) -> tuple[list[Due], dict[str, str]]:
        """What run `run` requests of these sources (pending and fetched URLs, failed ones
        that are due; the start URLs are the spider's), and the URLs it must not request even
        when a page links to them, with why (`backoff`, `gone`, `excluded`)."""
        marks = ",".join("?" * len(source_ids))
        rows = self.db.execute(
            f"SELECT url, source_id, depth, status, next_attempt FROM frontier"
            f" WHERE source_id IN ({marks}) ORDER BY depth, url",
            list(source_ids),
        )
        due, held = [], {}
        for url, source_id, depth, status, next_attempt in rows:
            if status in ("pending", "fetched") or (
                status == "failed" and (next_attempt or 0) <= run
            ):
                due.append(Due(url, source_id, depth or 0))
            else:
                held[url] = "backoff" if status == "failed" else status
        return due, held

    def discover(self, found: Iterable[Discovery], at: str) -> None:
        """Add newly discovered URLs as `pending` (a URL already there keeps its state)."""
        self.db.conn.executemany(
            _DISCOVER,
            [
                {
                    "url": d.url,
                    "source_id": d.source_id,
                    "depth": d.depth,
                    "discovered_from": d.discovered_from,
                    "at": at,
                }
                for d in found
            ],
        )

    def fetched(
        self, url: str, source_id: str, depth: int | None, at: str, error: str | None = None
    ) -> None:
        """The URL answered: stored, not modified, or (with `error`) removed by its server (a
        known page's 404/410: it stays scheduled, so that a restoration is noticed)."""
        self.db.execute(
            _FETCHED,
            {
                "url": url,
                "source_id": source_id,
                "depth": depth if depth is not None else 0,
                "depth_seen": depth,
                "at": at,
                "success": None if error else at,
                "error": error,
            },
        )

    def failed(self, url: str, source_id: str, run: int, error: str, at: str) -> bool:
        """A failed try, in run `run`. True when this failure made the URL `gone` (a start URL
        is requested even when gone: it is reported once, when it became so)."""
        row = self.db.execute(
            "SELECT failures, status FROM frontier WHERE url = ?", [url]
        ).fetchone()
        streak = row is not None and row[1] in ("failed", "gone")
        previous = (row[0] or 0) if streak else 0
        retry = after_failure(previous + 1, run, error, self.gone_after)
        self.db.execute(
            "INSERT INTO frontier (url, source_id, depth, first_seen, status, failures)"
            " VALUES (:url, :source_id, 0, :at, 'failed', 0) ON CONFLICT(url) DO NOTHING",
            {"url": url, "source_id": source_id, "at": at},
        )
        self.db.execute(
            "UPDATE frontier SET status = :status, failures = :failures, last_attempt = :at,"
            " next_attempt = :next, last_error = :error WHERE url = :url",
            {
                "url": url,
                "status": retry.status,
                "failures": retry.failures,
                "next": retry.next_attempt,
                "at": at,
                "error": error,
            },
        )
        return retry.status == "gone" and not (row is not None and row[1] == "gone")

    def exclude(self, url: str, reason: str, at: str) -> None:
        """The source's rules, robots.txt or the content type rule the URL out."""
        self.db.execute(
            "UPDATE frontier SET status = 'excluded', last_attempt = :at, last_error = :reason,"
            " next_attempt = NULL WHERE url = :url",
            {"url": url, "reason": reason, "at": at},
        )

    def links_of(self, url: str) -> list[str]:
        """The outlinks stored for a page (`links`), as its last fetch found them."""
        rows = self.db.execute("SELECT to_url FROM links WHERE from_url = ?", [url])
        return [to for (to,) in rows]

    def counts(self, source_ids: Sequence[str]) -> dict[str, int]:
        """URLs by status over these sources (every status, 0 when none)."""
        marks = ",".join("?" * len(source_ids))
        rows = self.db.execute(
            f"SELECT status, count(*) FROM frontier WHERE source_id IN ({marks}) GROUP BY status",
            list(source_ids),
        )
        counts = dict.fromkeys(("pending", "fetched", "failed", "gone", "excluded"), 0)
        counts.update(dict(rows.fetchall()))
        return counts

    def reset(self, source_id: str) -> int:
        """Give a source's failed, gone and excluded URLs a fresh start: `pending` for the next
        run. Returns how many."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE frontier SET status = 'pending', failures = 0, next_attempt = NULL"
                " WHERE source_id = ? AND status IN ('failed', 'gone', 'excluded')",
                [source_id],
            )
        return cursor.rowcount
