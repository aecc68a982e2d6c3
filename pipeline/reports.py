"""Read-only reports for the CLI: what changed, how the recent runs went, and what the
frontier covers."""

from __future__ import annotations

import csv
import io
import json
import re

import sqlite_utils

CHANGE_COLUMNS = (
    "run_id",
    "detected_at",
    "kind",
    "source_id",
    "url",
    "title",
    "words_added",
    "words_removed",
    "diff",
)
RUN_COLUMNS = (
    "id",
    "started_at",
    "finished_at",
    "status",
    "pages_stored",
    "pages_new",
    "pages_changed",
    "pages_removed",
    "pages_not_modified",
    "errors",
    "lost",
    "urls_pending",
    "urls_failed",
    "urls_gone",
    "dead_sources",
    "dead_start_urls",
)


def list_changes(
    db: sqlite_utils.Database, since: str | None = None, run_id: int | None = None
) -> list[dict]:
    """Changes, oldest first; by default those of the latest finished run."""
    where, params = [], []
    if since:
        where.append("changes.detected_at >= ?")
        params.append(since)
    elif run_id is None:
        run_id = _latest_run(db)
    if run_id is not None:
        where.append("changes.run_id = ?")
        params.append(run_id)
    sql = (
        "SELECT changes.run_id, changes.detected_at, changes.kind,"
        " coalesce(pages.source_id, documents.source_id) AS source_id, changes.url,"
        " coalesce(pages.title, documents.title) AS title, changes.words_added,"
        " changes.words_removed, changes.diff FROM changes"
        " LEFT JOIN pages ON pages.url = changes.url"
        " LEFT JOIN documents ON documents.url = changes.url"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY changes.id"
    )
    return [dict(row) for row in db.query(sql, params)]


def list_runs(db: sqlite_utils.Database, limit: int = 20) -> list[dict]:
    # SELECT *: a database written by an older release may lack newer columns.
    rows = db.query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT ?", [limit])
    return [{**{c: row.get(c) for c in RUN_COLUMNS}, **_from_summary(row)} for row in rows]


def _from_summary(row: dict) -> dict:
    """The start URLs a run found gone, as a JSON list like dead_sources, and the frontier's
    pending, failed and gone URLs when it finished (None for runs before the frontier)."""
    try:
        summary = json.loads(row.get("summary") or "{}")
    except ValueError:
        summary = {}
    dead = [d["url"] for d in summary.get("dead_start_urls", [])]
    frontier = summary.get("frontier") or {}
    return {
        "dead_start_urls": json.dumps(dead),
        **{f"urls_{status}": frontier.get(status) for status in ("pending", "failed", "gone")},
    }


COVERAGE_COLUMNS = (
    "source_id",
    "name",
    "discovered",
    "stored",
    "pending",
    "failing",
    "commonest_error",
    "gone",
    "excluded",
    "oldest_success",
    "oldest_success_days",
)
# Per source: the frontier by status, what is stored, and the oldest successful fetch among
# the URLs still answering. Also Datasette's `coverage` canned query (datasette/queries.json).
COVERAGE_SQL = (
    "select sources.id as source_id, sources.name, count(frontier.url) as discovered,"
    " (select count(*) from pages where pages.source_id = sources.id"
    " and pages.removed_at is null) + (select count(*) from documents"
    " where documents.source_id = sources.id) as stored,"
    " coalesce(sum(frontier.status = 'pending'), 0) as pending,"
    " coalesce(sum(frontier.status = 'failed'), 0) as failing,"
    " (select substr(f.last_error, 1, instr(f.last_error || ':', ':') - 1) as reason"
    " from frontier as f where f.source_id = sources.id and f.status = 'failed'"
    " group by reason order by count(*) desc, reason limit 1) as commonest_error,"
    " coalesce(sum(frontier.status = 'gone'), 0) as gone,"
    " coalesce(sum(frontier.status = 'excluded'), 0) as excluded,"
    " min(case when frontier.status = 'fetched' and frontier.last_error is null"
    " then frontier.last_success end) as oldest_success,"
    " round(julianday('now') - julianday(min(case when frontier.status = 'fetched'"
    " and frontier.last_error is null then frontier.last_success end)), 1)"
    " as oldest_success_days"
    " from sources left join frontier on frontier.source_id = sources.id"
    " group by sources.id order by sources.id"
)


def coverage(db: sqlite_utils.Database) -> list[dict]:
    """Per source: URLs discovered, stored, pending, failing (with the commonest error), gone
    and excluded, and the oldest successful fetch (its age in days)."""
    if not db["frontier"].exists():
        return []
    return [dict(row) for row in db.query(COVERAGE_SQL)]


def render_coverage(rows: list[dict], fmt: str) -> str:
    """`coverage` as JSON, or one aligned line per source."""
    if fmt == "json":
        return render(rows, COVERAGE_COLUMNS, fmt)
    lines = []
    for row in rows:
        error = f" ({row['commonest_error']})" if row["commonest_error"] else ""
        days = row["oldest_success_days"]
        age = f"{days} days ago" if days is not None else "never"
        lines.append(
            f"{row['source_id']:<18} {row['discovered']:>6} discovered {row['stored']:>6} stored"
            f" {row['pending']:>5} pending {row['failing']:>5} failing{error}"
            f" {row['gone']:>4} gone  oldest fetch {age}"
        )
    return "\n".join(lines)


def _latest_run(db: sqlite_utils.Database) -> int | None:
    row = db.execute(
        "SELECT max(id) FROM crawl_runs WHERE status IN ('completed', 'failed')"
    ).fetchone()
    return row[0] if row else None


def render(rows: list[dict], columns: tuple[str, ...], fmt: str) -> str:
    """Rows as JSON, CSV (formula-safe) or aligned text."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({k: csv_safe(v) for k, v in row.items()} for row in rows)
        return out.getvalue()
    return "\n".join(_text_line(row, columns) for row in rows)


_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def csv_safe(value: object) -> object:
    """Neutralise spreadsheet formulas in scraped text: a cell starting with =, +, -, @, tab
    or CR gets a leading apostrophe (OWASP's advice); plain numbers stay numbers."""
    formula = isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r")
    return "'" + value if formula and not _NUMBER.match(value) else value


def neutralise_csv(text: str) -> str:
    """The same CSV with every cell made safe (for Datasette's CSV exports)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([csv_safe(cell) for cell in row])
    return out.getvalue()


def _text_line(row: dict, columns: tuple[str, ...]) -> str:
    if "diff" in row:
        head = (
            f"{row['detected_at']}  {row['kind']:<9} {row['source_id'] or '':<16} "
            f"+{row['words_added'] or 0}/-{row['words_removed'] or 0} words  {row['url']}"
        )
        title = f"    {row['title']}" if row.get("title") else ""
        diff = "\n".join("    " + line for line in (row["diff"] or "").splitlines()[2:])
        return "\n".join(part for part in (head, title, diff) if part)
    return "  ".join(f"{c}={row[c]}" for c in columns if row.get(c) not in (None, "", "[]"))
