"""The `ris3watch` command: crawl, serve, demo. Each command delegates to a library function."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crawler.sources import SourcesError

from .db import StoreError, migrate_file, open_db
from .resources import DEFAULT_DB, DEFAULT_SOURCES, resolve_sources
from .runs import RunResult
from .serve import PortInUse, check_port, datasette_args

DEFAULT_NOTIFY = "notify.toml"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ris3watch")
def cli() -> None:
    """ris3watch: Finland's regional smart-specialisation pages, crawled, versioned, published.

    \b
    Example:
        ris3watch crawl --source kymenlaakso
        ris3watch serve
    """


@cli.command()
@click.option(
    "--sources",
    default=DEFAULT_SOURCES,
    show_default=True,
    help="Sources registry (TOML with [[sources]] tables).",
)
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite database to write.")
@click.option(
    "--source", "only", multiple=True, metavar="ID", help="Crawl only this source id (repeatable)."
)
@click.option(
    "--max-pages",
    type=click.IntRange(min=0),
    default=0,
    help="Stop scheduling pages after N (0 = no limit).",
)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="NAME=VALUE",
    help="A Scrapy setting for this run, e.g. DOWNLOAD_DELAY=0 (repeatable).",
)
@click.option(
    "--notify",
    "notify_file",
    metavar="FILE",
    help="Notification file (TOML): after the run, send its digest and alerts.",
)
def crawl(
    sources: str,
    db: str,
    only: tuple[str, ...],
    max_pages: int,
    overrides: tuple[str, ...],
    notify_file: str | None,
) -> None:
    """Crawl all (or some) sources into the database.

    Exit status: 0 the run completed (failed pages are recorded in fetch_errors),
    1 nothing could be crawled or the database is unusable, 2 the run completed but
    some sources failed entirely or a start URL is gone (404/410, redirected out of
    scope: see `ris3watch sources check`). A notification that fails never changes it.

    \b
    Example:
        ris3watch crawl --source kymenlaakso --max-pages 50 --db data/ris3watch.db
        ris3watch crawl --notify notify.toml
    """
    from crawler.sources import load_sources

    from .crawling.run import CrawlSetupError, run_crawl  # Scrapy: only when crawling

    registry = str(resolve_sources(sources))
    config = None
    try:
        if notify_file:  # a bad notification file is refused before any request
            known = load_sources(registry)
            config = _notify_config(notify_file, [s.id for s in known], [s.region for s in known])
        result = run_crawl(registry, db, list(only), max_pages, list(overrides))
    except (SourcesError, CrawlSetupError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    _print_summary(result, db)
    if config is not None:
        from .notify.deliver import deliver_safely

        click.echo(deliver_safely(db, config, result.run_id), err=True)
    sys.exit(result.exit_code)


def _notify_config(
    path: str, known_sources: list[str] | None = None, known_regions: list[str] | None = None
):
    from .notify.config import NotifyConfigError, load_notify_config

    try:
        return load_notify_config(path, known_sources, known_regions)
    except NotifyConfigError as exc:
        raise click.ClickException(str(exc)) from exc


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _print_summary(result: RunResult, db: str) -> None:
    c, s = result.counts, result.summary
    click.echo(
        f"Run {result.run_id} {result.status} in {s.get('wall_seconds', 0)} s: "
        f"{c['pages_stored']} pages stored ({c['pages_new']} new, {c['pages_changed']} changed, "
        f"{c['pages_unchanged']} unchanged), {c['pages_not_modified']} not modified (304), "
        f"{c['pages_removed']} removed, {c['documents_stored']} documents, "
        f"{_plural(c['errors'], 'error')}, {c['skipped']} skipped, {c['lost']} lost",
        err=True,
    )
    for label, key in (
        ("errors", "errors_by_reason"),
        ("skipped", "skipped_by_reason"),
        ("refused", "refused_by_reason"),
        ("fields left empty (stage:exception)", "field_errors"),
    ):
        if s.get(key):
            reasons = ", ".join(f"{k} ×{v}" for k, v in sorted(s[key].items()))
            click.echo(f"  {label}: {reasons}", err=True)
    if templates := s.get("templates"):
        blocks = sum(templates["blocks"].values())
        click.echo(
            f"  site templates: {blocks} blocks over {len(templates['blocks'])} source(s), "
            f"{templates['pages_rewritten']} pages rewritten, "
            f"{templates['changes_taken_back']} template-only changes taken back",
            err=True,
        )
    if s.get("cleaning_fallbacks"):
        click.echo(
            f"  pre-cleaning undone (Trafilatura's text kept): {s['cleaning_fallbacks']} pages",
            err=True,
        )
    frontier = s.get("frontier", {})
    click.echo(
        f"  frontier: {frontier.get('pending', 0)} pending, {frontier.get('failed', 0)} failed,"
        f" {frontier.get('gone', 0)} gone (`ris3watch status --db {db}`)",
        err=True,
    )
    for gone in s.get("gone_this_run", []):
        click.echo(f"  gone ({gone['error']}): {gone['source_id']} {gone['url']}", err=True)
    if s.get("reactor_max_stall_ms") is not None:
        click.echo(f"  longest reactor stall: {s['reactor_max_stall_ms']} ms", err=True)
    for dead in s.get("dead_start_urls", []):
        target = f" -> {dead['target']}" if dead.get("target") else ""
        click.echo(
            f"  start URL gone ({dead['reason']}): {dead['source_id']} {dead['url']}{target}",
            err=True,
        )
    if result.dead_sources:
        click.echo(
            f"  dead sources (failed entirely, or a start URL gone): "
            f"{', '.join(result.dead_sources)}",
            err=True,
        )
    click.echo(f"Database: {db} (browse it with `ris3watch serve --db {db}`)", err=True)


@cli.group()
def sources() -> None:
    """The sources registry: is it still right about the real sites?

    \b
    Example:
        ris3watch sources check --source kymenlaakso
    """


@sources.command("check")
@click.option(
    "--sources",
    "path",
    default=DEFAULT_SOURCES,
    show_default=True,
    help="Sources registry (TOML with [[sources]] tables).",
)
@click.option(
    "--source", "only", multiple=True, metavar="ID", help="Check only this source id (repeatable)."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def sources_check(path: str, only: tuple[str, ...], fmt: str) -> None:
    """Fetch every start URL of the enabled sources once, as the crawl would (robots.txt,
    User-Agent, one request per host at a time), and report its status, redirects, scope,
    robots.txt verdict and whether it looks stale.

    Exit status: 0 every start URL answers 200 in scope, 1 otherwise.

    \b
    Example:
        ris3watch sources check --format json > check.json
    """
    from .crawling.check import run_check  # Scrapy: only when fetching
    from .crawling.run import CrawlSetupError
    from .sources_check import exit_code, render

    try:
        verdicts = run_check(str(resolve_sources(path)), list(only))
    except (SourcesError, CrawlSetupError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(render(verdicts, fmt))
    sys.exit(exit_code(verdicts))


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--since", metavar="DATE", help="Changes detected on or after DATE (ISO 8601).")
@click.option("--run", "run_id", type=int, metavar="ID", help="Changes found by run ID.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
def changes(db: str, since: str | None, run_id: int | None, fmt: str) -> None:
    """Print what changed: by default in the latest run.

    \b
    Example:
        ris3watch changes --since 2026-11-01 --format csv > changes.csv
    """
    from .reports import CHANGE_COLUMNS, list_changes, render

    if since and run_id is not None:
        raise click.UsageError("use --since or --run, not both")
    rows = list_changes(_read(db), since, run_id)
    if rows or fmt != "text":
        click.echo(render(rows, CHANGE_COLUMNS, fmt))
    else:
        click.echo("No changes.", err=True)


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
def runs(db: str, limit: int, fmt: str) -> None:
    """List recent crawl runs, newest first, with their counts and status.

    \b
    Example:
        ris3watch runs --limit 7
    """
    from .reports import RUN_COLUMNS, list_runs, render

    click.echo(render(list_runs(_read(db), limit), RUN_COLUMNS, fmt))


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--reset",
    "reset",
    metavar="SOURCE",
    help="Give SOURCE's failed, gone and excluded URLs a fresh start (pending next run).",
)
def status(db: str, fmt: str, reset: str | None) -> None:
    """Coverage per source: URLs discovered, stored, pending, failing (with the commonest
    error), gone, and the age of the oldest successful fetch.

    \b
    Examples:
        ris3watch status
        ris3watch status --reset kymenlaakso
    """
    from .reports import coverage, render_coverage

    if reset:
        from .frontier import Frontier

        try:
            writable = open_db(db)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
        if writable["sources"].count_where("id = ?", [reset]) == 0:
            raise click.ClickException(f"{db}: no source {reset!r}")
        count = Frontier(writable).reset(reset)
        writable.conn.close()
        click.echo(f"{reset}: {count} URL(s) reset to pending for the next run", err=True)
    rows = coverage(_read(db))
    if rows or fmt == "json":
        click.echo(render_coverage(rows, fmt))
    else:
        click.echo("No crawl yet.", err=True)


def _read(db: str):
    try:
        return open_db(db, readonly=True)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--run", "run_id", type=int, metavar="ID", help="Notify of run ID (default: latest).")
@click.option(
    "--notify",
    "notify_file",
    default=DEFAULT_NOTIFY,
    show_default=True,
    metavar="FILE",
    help="Notification file (TOML with [[channels]] and [[watches]]).",
)
@click.option("--dry-run", is_flag=True, help="Print the messages instead of sending them.")
def notify(db: str, run_id: int | None, notify_file: str, dry_run: bool) -> None:
    """Send a run's change digest, watch hits and ops alerts that have not gone yet
    (and retry those that failed).

    \b
    Example:
        ris3watch notify --notify notify.toml --dry-run
    """
    from .notify.deliver import deliver, summary_line

    config = _notify_config(notify_file)
    try:
        outcome = deliver(db, config, run_id, dry_run=dry_run, echo=click.echo)
    except (StoreError, LookupError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(summary_line(outcome, dry_run), err=True)
    if outcome.failed:
        sys.exit(1)


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--email", help="The person's email address.")
@click.option(
    "--name", help='The person\'s name in any writing ("Tapani Rautio", "RAUTIO TAPANI").'
)
@click.option("--phone", help="The person's phone number in any notation.")
@click.option("--dry-run", is_flag=True, help="List what would be removed; change nothing.")
def forget(db: str, email: str | None, name: str | None, phone: str | None, dry_run: bool) -> None:
    """Forget a person: delete their contact rows and page links, and redact their name
    (in every writing), email and phone from stored page texts, versions, diffs, link
    texts and documents, and from the search index.

    Any one identifier finds the person's other rows: an email also finds the rows with
    that person's name and phone. The database records that a removal happened (with
    salted hashes, not the data), so later crawls keep the person out.

    \b
    Example:
        ris3watch forget --email petri.tolmunen@kymenlaakso.fi --dry-run
    """
    from extract.phones import normalise_phone

    from .people import name_parts
    from .privacy import apply, plan
    from .store import Store

    if not email and not name and not phone:
        raise click.UsageError("give --email, --name or --phone (or several)")
    if name and not name_parts(name):
        raise click.UsageError(f"--name {name!r}: give the first name and the surname")
    if phone and not normalise_phone(phone):
        raise click.UsageError(f"--phone {phone!r}: not a valid Finnish phone number")
    try:
        store = None if dry_run else Store.open(db)
        if store:
            store.lock()
    except StoreError as exc:
        if store:
            store.close()
        raise click.ClickException(str(exc)) from exc
    database = store.db if store else _read(db)
    found = plan(database, email, name, phone)
    rows = ", ".join(f"{n} in {t}" for t, n in found.rows_to_redact.items() if n) or "none"
    click.echo(
        f"{len(found.contact_ids)} contact(s), {found.page_links} page link(s); "
        f"text to redact: {rows}"
    )
    for line in found.describe():
        click.echo(f"  {line}")
    if dry_run:
        click.echo("Dry run: nothing changed.")
        return
    if not found.contact_ids and not found.redactions:
        store.close()
        raise click.ClickException("no such person in the database")
    apply(store.db, found)
    store.close()
    click.echo("Forgotten. The removal is logged in the `forgotten` table (without the data).")


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite database to publish.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
@click.option(
    "--allow-sql/--no-allow-sql",
    default=True,
    show_default=True,
    help="Allow arbitrary SQL queries (turn off for a public instance).",
)
def serve(db: str, host: str, port: int, allow_sql: bool) -> None:
    """Serve the database in Datasette with the project's metadata, queries and plugins.

    \b
    Example:
        ris3watch serve --db data/ris3watch.db --port 8001
    """
    _serve(db, host, port, allow_sql)


def _serve(db: str, host: str, port: int, allow_sql: bool) -> None:
    from datasette.cli import cli as datasette_cli

    try:
        migrate_file(db)
        check_port(host, port)
    except (StoreError, PortInUse) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Datasette: http://{host}:{port}/ (Ctrl-C stops it)", err=True)
    datasette_cli.main(args=datasette_args(db, host, port, allow_sql), prog_name="datasette")


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
def reindex(db: str) -> None:
    """Rebuild the search terms (lemma columns) of every page and document.

    An upgrade whose index terms changed does this itself, as a migration, when `crawl` or
    `serve` first opens the database; run it after a Voikko dictionary upgrade.

    \b
    Example:
        ris3watch reindex --db data/ris3watch.db
    """
    from .reindex import reindex_with_progress

    try:
        open_db(db, readonly=True).conn.close()  # exists and is a database
        database = open_db(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        done = reindex_with_progress(database)
    finally:
        database.conn.close()
    click.echo(f"Re-indexed {done} rows of {db}.", err=True)


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
def demo(db: str, port: int) -> None:
    """Start the bundled sample sites on loopback, crawl them, and serve the result.

    \b
    Example:
        ris3watch demo            # then open http://127.0.0.1:8001/
    """
    from samples.server import SampleSites

    from .demo import crawl_samples

    try:
        check_port("127.0.0.1", port)
    except PortInUse as exc:
        raise click.ClickException(str(exc)) from exc
    with SampleSites() as sites:
        for site in sites.sites.values():
            click.echo(f"Sample site {site.name:16} {site.base}/", err=True)
        code = crawl_samples(sites, Path(db))
        if code == 1:
            raise click.ClickException("the demo crawl failed; see the log above")
        click.echo(
            f"\nCrawled the sample sites into {db}. Look at:\n"
            f"  http://127.0.0.1:{port}/            the corpus\n"
            f"  http://127.0.0.1:{port}/{Path(db).stem}/pages   pages, with facets\n"
            f"  http://127.0.0.1:{port}/{Path(db).stem}/search?q=kiertotalous   search",
            err=True,
        )
        _serve(db, "127.0.0.1", port, allow_sql=True)
