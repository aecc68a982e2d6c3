"""What a run found, read from the database: its changes with their added lines, and its
health next to the previous completed run's. Plain dataclasses for `digest` to compose."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import sqlite_utils

from .watch import added_lines


@dataclass(frozen=True)
class Change:
    kind: str
    url: str
    title: str | None
    source_id: str | None
    region: str | None
    document: bool
    language: str | None
    added: tuple[str, ...]
    words_added: int = 0
    words_removed: int = 0


@dataclass(frozen=True)
class RunHealth:
    run_id: int
    status: str
    started_at: str
    lost: int
    dead_sources: tuple[str, ...]
    errors_by_source: dict[str, dict[str, int]] = field(default_factory=dict)
    reached: dict[str, int] = field(default_factory=dict)
    previous_run_id: int | None = None
    previous_reached: dict[str, int] = field(default_factory=dict)


_CHANGES_SQL = """
select changes.kind, changes.url, changes.diff, changes.words_added, changes.words_removed,
  coalesce(pages.title, documents.title) as title,
  coalesce(pages.source_id, documents.source_id) as source_id,
  sources.region, documents.url is not null and pages.url is null as document,
  pages.language,
  case when changes.kind = 'new' then coalesce(page_versions.text, pages.text, documents.text)
  end as text
from changes
left join pages on pages.url = changes.url
left join documents on documents.url = changes.url
left join sources on sources.id = coalesce(pages.source_id, documents.source_id)
left join page_versions on page_versions.id = changes.version_id
where changes.run_id = ?
order by sources.region, changes.id
"""


def run_changes(db: sqlite_utils.Database, run_id: int) -> list[Change]:
    """The run's changes, by region, each with its noise-free added lines."""
    return [
        Change(
            kind=row["kind"],
            url=row["url"],
            title=row["title"],
            source_id=row["source_id"],
            region=row["region"],
            document=bool(row["document"]),
            language=row["language"],
            added=tuple(added_lines(row["kind"], row["diff"], row["text"])),
            words_added=row["words_added"] or 0,
            words_removed=row["words_removed"] or 0,
        )
        for row in db.query(_CHANGES_SQL, [run_id])
    ]


def run_health(db: sqlite_utils.Database, run_id: int) -> RunHealth:
    """Status, lost URLs, dead sources with their errors, and pages reached per source
    (stored or answered 304) next to the previous completed run."""
    run = next(db.query("select * from crawl_runs where id = ?", [run_id]))
    previous = next(
        db.query(
            "select id, summary from crawl_runs where id < ? and status = 'completed'"
            " order by id desc limit 1",
            [run_id],
        ),
        None,
    )
    errors: dict[str, dict[str, int]] = {}
    for row in db.query(
        "select source_id, error, count(*) as n from fetch_errors where run_id = ?"
        " group by source_id, error order by n desc",
        [run_id],
    ):
        errors.setdefault(row["source_id"] or "", {})[row["error"]] = row["n"]
    return RunHealth(
        run_id=run_id,
        status=run["status"],
        started_at=run["started_at"],
        lost=run["lost"] or 0,
        dead_sources=tuple(json.loads(run["dead_sources"] or "[]")),
        errors_by_source=errors,
        reached=_reached(run["summary"]),
        previous_run_id=previous["id"] if previous else None,
        previous_reached=_reached(previous["summary"]) if previous else {},
    )


def _reached(summary: str | None) -> dict[str, int]:
    # Runs written before `reached_by_source` existed have none: no comparison, no alarm.
    return dict(json.loads(summary or "{}").get("reached_by_source") or {})


def latest_run(db: sqlite_utils.Database) -> int | None:
    """The newest run that has finished (whatever its status), or None."""
    row = db.execute("select max(id) from crawl_runs where status not in ('running')").fetchone()
    return row[0] if row else None
