"""Crawl runs: the registry synced, a run opened and closed, its errors, and its outcome.

`outcome` is pure: the item pipeline hands it what it counted and Scrapy's stats, and it
decides the run's status, counts and summary, so the rules are tested without a crawl.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import sqlite_utils

from .db import now

# A crawl that stopped for one of these reasons finished; anything else interrupted it.
CLEAN_FINISH = ("finished", "closespider_itemcount", "closespider_pagecount")


def sync_sources(db: sqlite_utils.Database, sources: Iterable) -> None:
    """The registry as this run reads it, into `sources` (rows are updated, never dropped)."""
    rows = [
        {
            "id": s.id,
            "name": s.name,
            "region": s.region,
            "kind": s.kind,
            "start_urls": json.dumps(list(s.start_urls)),
            "enabled": int(s.enabled),
            "note": s.note,
        }
        for s in sources
    ]
    with db.atomic():
        db["sources"].upsert_all(rows, pk="id")


def start_run(db: sqlite_utils.Database, source_ids: list[str]) -> int:
    """A new `crawl_runs` row; runs left 'running' by a killed crawl become 'aborted'."""
    with db.atomic():
        db.execute(
            "UPDATE crawl_runs SET status = 'aborted', finished_at = coalesce(finished_at, :now)"
            " WHERE status = 'running'",
            {"now": now()},
        )
        row = {
            "started_at": now(),
            "sources": json.dumps(source_ids),
            "status": "running",
            "pid": os.getpid(),
        }
        return db["crawl_runs"].insert(row).last_pk


def finish_run(
    db: sqlite_utils.Database,
    run_id: int,
    status: str,
    counts: dict[str, int],
    summary: dict,
    dead: str = "[]",
) -> None:
    """Close the run's row with its status, counts and summary."""
    columns = db["crawl_runs"].columns_dict
    row = {
        "finished_at": now(),
        "status": status,
        "summary": json.dumps(summary, ensure_ascii=False),
        "dead_sources": dead,
        **{c: n for c, n in counts.items() if c in columns},
    }
    with db.atomic():
        db["crawl_runs"].update(run_id, row)


def record_error(
    db: sqlite_utils.Database,
    run_id: int,
    url: str,
    source_id: str,
    status: int | None,
    error: str,
    at: str,
) -> None:
    """One failed URL, into `fetch_errors`."""
    row = {
        "run_id": run_id,
        "url": url,
        "source_id": source_id,
        "status": status,
        "error": error,
        "at": at,
    }
    with db.atomic():
        db["fetch_errors"].insert(row)


@dataclass(frozen=True)
class Outcome:
    """How a run ended, as `finish_run` writes it."""

    status: str
    counts: dict[str, int]
    summary: dict
    dead_sources: list[str]


def outcome(
    tally: Mapping[str, int],
    stats: Mapping[str, object],
    stored_by_source: Mapping[str, int],
    source_ids: Iterable[str],
    wall_seconds: float,
    dead_start_urls: Sequence[Mapping[str, object]] = (),
    frontier: Mapping[str, int] | None = None,
    gone: Sequence[Mapping[str, str]] = (),
) -> Outcome:
    """The run's status, counts and summary from the item pipeline's `tally` (pages_*,
    errors, error:<reason>, settled) and Scrapy's stats (finish_reason, ris3watch/*), with
    the frontier's URLs by status after the run and the URLs that became `gone` in it.

    'interrupted' when Scrapy stopped for another reason than finishing, else 'completed' if
    any source stored anything, else 'failed'. `lost`: scheduled URLs that never came back
    as an item or a deliberate skip. Dead sources: those that stored nothing, and those
    with a start URL in `dead_start_urls` (gone or leading out of scope: the registry is
    wrong about them), which the summary names. URLs a limit left for later are skips
    (`max_pages`), named in the summary, and stay `pending` in the frontier.
    """
    source_ids = list(source_ids)
    by_prefix = _stats_by_prefix(stats)
    reason = stats.get("finish_reason", "finished")
    lost = (
        stats.get("ris3watch/scheduled", 0)
        - tally.get("settled", 0)
        - stats.get("ris3watch/settled_skips", 0)
    )
    dead = sorted(
        {s for s in source_ids if not stored_by_source.get(s)}
        | {str(d["source_id"]) for d in dead_start_urls}
    )
    if reason not in CLEAN_FINISH:
        status = "interrupted"
    else:
        status = "completed" if sum(stored_by_source.values()) else "failed"
    counts = {
        "pages_seen": tally.get("pages_seen", 0),
        "pages_stored": tally.get("pages_stored", 0),
        "pages_new": tally.get("pages_new", 0),
        "pages_changed": tally.get("pages_changed", 0) + tally.get("pages_restored", 0),
        "pages_unchanged": tally.get("pages_unchanged", 0),
        "pages_removed": tally.get("pages_removed", 0),
        "pages_not_modified": tally.get("pages_not_modified", 0),
        "documents_stored": tally.get("documents_stored", 0),
        "errors": tally.get("errors", 0),
        "skipped": sum(by_prefix["skipped"].values()),
        "lost": max(lost, 0) if status != "interrupted" else 0,
    }
    summary = {
        "wall_seconds": round(wall_seconds, 1),
        "errors_by_reason": {
            k.split(":", 1)[1]: v for k, v in tally.items() if k.startswith("error:")
        },
        "skipped_by_reason": by_prefix["skipped"],
        "refused_by_reason": by_prefix["refused"],
        "finish_reason": reason,
        "reactor_max_stall_ms": stats.get("ris3watch/reactor_max_stall_ms"),
        "dead_start_urls": [dict(d) for d in dead_start_urls],
        "dead_start_urls_by_source": dict(
            sorted(Counter(str(d["source_id"]) for d in dead_start_urls).items())
        ),
        # Pages and documents each source reached (stored, 304 or gone): the ops alert
        # compares it with the previous completed run's.
        "reached_by_source": {s: stored_by_source.get(s, 0) for s in source_ids},
        "frontier": dict(frontier or {}),
        "gone_this_run": [dict(g) for g in gone],
    }
    return Outcome(status, counts, summary, dead)


# What makes a start URL dead: the server says it is gone, or it now leads elsewhere.
DEAD_START_REASONS = ("http_404", "http_410", "redirect_out_of_scope")


def dead_start_url(
    source_id: str, url: str, status: int | None, error: str
) -> dict[str, object] | None:
    """The summary's record of a start URL that failed with `error` (the crawl's reason,
    "http_404" or "redirect_out_of_scope: <target>"), or None when the failure is only of
    this night (a 5xx, a timeout: the registry is not wrong)."""
    reason, _, target = error.partition(": ")
    if reason not in DEAD_START_REASONS:
        return None
    record: dict[str, object] = {
        "source_id": source_id,
        "url": url,
        "status": status,
        "reason": reason,
    }
    if target:
        record["target"] = target
    return record


def _stats_by_prefix(stats: Mapping[str, object]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {"skipped": {}, "refused": {}}
    for key, value in stats.items():
        parts = key.split("/", 2)  # reasons may hold a "/": not_html:image/png
        if len(parts) == 3 and parts[0] == "ris3watch" and parts[1] in out:
            out[parts[1]][parts[2]] = value
    return out


@dataclass(frozen=True)
class RunResult:
    """A finished run, as `finish_run` wrote it to `crawl_runs`."""

    run_id: int
    status: str
    counts: dict
    summary: dict
    dead_sources: list[str]

    @property
    def exit_code(self) -> int:
        """0 all fine; 1 nothing crawled; 2 finished with some sources failing entirely
        or a start URL gone."""
        if self.status != "completed":
            return 1
        return 2 if self.dead_sources else 0
