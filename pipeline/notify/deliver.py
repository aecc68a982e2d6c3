"""Sending what a run has not yet sent, and remembering it in `notifications`.

Each (run, channel, kind) is one row: `sent` is never sent again; `failed` is retried by the
next `ris3watch notify` or `crawl --notify` (up to `MAX_ATTEMPTS`). Channels are known by a
hash of their URL only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlite_utils

from ..db import now, open_db
from .config import NotifyConfig
from .digest import Message, compose, watch_hits
from .gather import latest_run, run_changes, run_health
from .send import send

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    already_sent: int = 0
    runs: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Planned:
    run_id: int
    channel_index: int
    message: Message


def deliver(
    db_path: str,
    config: NotifyConfig,
    run_id: int | None = None,
    *,
    dry_run: bool = False,
    retry: bool = True,
    echo: Callable[[str], None] = print,
) -> Outcome:
    """Send (or with `dry_run` print) the messages of `run_id` (default: the latest
    finished run) that have not gone yet, and with `retry` those that failed before."""
    open_db(db_path, readonly=True).conn.close()  # exists and is a database: never create one
    db = open_db(db_path, readonly=dry_run)
    try:
        return _deliver(db, config, run_id, dry_run, retry, echo)
    finally:
        db.conn.close()


def _deliver(
    db: sqlite_utils.Database,
    config: NotifyConfig,
    run_id: int | None,
    dry_run: bool,
    retry: bool,
    echo: Callable[[str], None],
) -> Outcome:
    outcome = Outcome()
    target = run_id if run_id is not None else latest_run(db)
    if target is None:
        return outcome
    if not db["crawl_runs"].count_where("id = ?", [target]):
        raise LookupError(f"no run {target} in the database")
    status = _statuses(db)
    hashes = {channel.hash: i for i, channel in enumerate(config.channels)}
    retries = (
        sorted(
            {
                run
                for (run, channel, _), (state, attempts) in status.items()
                if state == "failed"
                and channel in hashes
                and attempts < MAX_ATTEMPTS
                and run != target
            }
        )
        if retry
        else []
    )
    for run in [*retries, target]:
        outcome.runs.append(run)
        for planned in _plan(db, config, run):
            channel = config.channels[planned.channel_index]
            key = (run, channel.hash, planned.message.kind)
            state = status.get(key, (None, 0))
            if state[0] == "sent":
                outcome.already_sent += 1
                continue
            if state[1] >= MAX_ATTEMPTS:
                continue  # given up on: `notifications` says why
            if run != target and state[0] != "failed":
                continue  # an earlier run: only its failed sends are retried
            if dry_run:
                echo(_printed(planned, channel.hash, channel.scheme))
                continue
            error = send(channel, planned.message)
            _record(db, key, error, state[1] + 1)
            if error:
                outcome.failed += 1
                logger.warning(
                    "Run %s: %s to channel %s failed: %s",
                    run,
                    planned.message.kind,
                    channel.hash,
                    error,
                )
            else:
                outcome.sent += 1
                logger.info(
                    "Run %s: %s sent to channel %s", run, planned.message.kind, channel.hash
                )
    return outcome


def _plan(db: sqlite_utils.Database, config: NotifyConfig, run_id: int) -> list[Planned]:
    changes = run_changes(db, run_id)
    health = run_health(db, run_id)
    hits = watch_hits(config.watches, changes)
    return [
        Planned(run_id, index, message)
        for index, channel in enumerate(config.channels)
        for message in compose(channel, changes, hits, health, config.datasette_url)
    ]


def _statuses(db: sqlite_utils.Database) -> dict[tuple[int, str, str], tuple[str, int]]:
    if not db["notifications"].exists():  # a read-only database of an older release
        return {}
    return {
        (row["run_id"], row["channel_hash"], row["kind"]): (row["status"], row["attempts"] or 0)
        for row in db.query(
            "select run_id, channel_hash, kind, status, attempts from notifications"
        )
    }


def _record(
    db: sqlite_utils.Database, key: tuple[int, str, str], error: str | None, attempts: int
) -> None:
    at = now()
    with db.atomic():
        db.execute(
            "INSERT INTO notifications (run_id, channel_hash, kind, status, error, attempts,"
            " first_tried_at, last_tried_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (run_id, channel_hash, kind) DO UPDATE SET status = excluded.status,"
            " error = excluded.error, attempts = excluded.attempts,"
            " last_tried_at = excluded.last_tried_at, sent_at = excluded.sent_at",
            [*key, "failed" if error else "sent", error, attempts, at, at, None if error else at],
        )


def _printed(planned: Planned, channel_hash: str, scheme: str) -> str:
    message = planned.message
    return (
        f"--- run {planned.run_id} · channel {channel_hash} ({scheme}) · {message.kind}"
        f" · {message.format}\n{message.title}\n\n{message.body}\n"
    )


def deliver_safely(db_path: str, config: NotifyConfig, run_id: int) -> str:
    """`deliver` after a crawl: whatever goes wrong is a line in the summary, never a
    changed exit status or a lost run."""
    try:
        return summary_line(deliver(db_path, config, run_id))
    except Exception as exc:  # noqa: BLE001 - the crawl's outcome stands whatever happens here
        logger.exception("Notifications for run %s failed", run_id)
        return f"Notifications: not sent ({type(exc).__name__}: {exc})"


def summary_line(outcome: Outcome, dry_run: bool = False) -> str:
    """'Notifications: 2 sent, 1 failed (runs 7, 8)'."""
    runs = ", ".join(str(run) for run in outcome.runs) or "none"
    if dry_run:
        return f"Notifications: dry run, nothing sent (runs {runs})"
    already = f", {outcome.already_sent} already sent" if outcome.already_sent else ""
    return f"Notifications: {outcome.sent} sent, {outcome.failed} failed{already} (runs {runs})"
