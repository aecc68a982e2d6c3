"""ris3watch's Datasette plugin: metadata, canned queries, search functions, the landing page
data, and search-input validation, for any database that holds a ris3watch corpus, whatever
its file is called."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, quote

from markupsafe import Markup, escape

from datasette import hookimpl
from pipeline.reports import neutralise_csv
from query.search import check_query, fts_query, snippet
from query.watch import watch_lines

CONFIG_DIR = Path(__file__).resolve().parents[1]
DATABASE_METADATA = json.loads((CONFIG_DIR / "database.json").read_text(encoding="utf-8"))
QUERIES = json.loads((CONFIG_DIR / "queries.json").read_text(encoding="utf-8"))
SEARCH_PATH = re.compile(r"^/(?P<db>[^/]+)/(?:search|documents_search|watch)(?:\.json|\.atom)?$")
FEED_PATH = re.compile(r"^/[^/]+/(?P<query>recent_changes|watch)\.atom$")
FEED_TITLES = {
    "recent_changes": "ris3watch: muutokset / changes",
    "watch": "ris3watch: vahti / watch: {q}",
}
WEEKS = 12


def _corpus_databases(datasette) -> list[str]:
    return [name for name in datasette.databases if name != "_internal"]


@hookimpl
def get_metadata(datasette, key, database, table):
    return {"databases": {name: DATABASE_METADATA for name in _corpus_databases(datasette)}}


@hookimpl
def canned_queries(datasette, database, actor):
    async def inner():
        if database == "_internal":
            return {}
        tables = await datasette.get_database(database).table_names()
        return QUERIES if "pages" in tables else {}

    return inner


@hookimpl
def startup(datasette):
    """Load Voikko and simplemma's Swedish data now (together about 4 s), not inside the
    first search's SQL time limit."""
    fts_query("strategia")


@hookimpl
def prepare_connection(conn, database, datasette):
    conn.create_function("ris3_fts_query", 1, fts_query, deterministic=True)
    conn.create_function("ris3_snippet", 2, snippet, deterministic=True)
    conn.create_function("ris3_watch_lines", 4, watch_lines, deterministic=True)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Search snippets show their hits marked; a page's URL links to its versions and diffs.

    Scraped text is escaped first, always: only the markers become markup.
    """
    if column == "snippet" and table is None and isinstance(value, str):
        return Markup(str(escape(value)).replace("«", "<mark>").replace("»", "</mark>"))
    if column == "diff" and isinstance(value, str) and value:
        return Markup('<pre class="diff" style="white-space: pre-wrap">{}</pre>').format(
            Markup("\n").join(_diff_line(line) for line in value.splitlines())
        )
    if table != "pages" or column != "url" or not isinstance(value, str):
        return None
    history = f"{datasette.urls.database(database)}/page_history?url={quote(value, safe='')}"
    return Markup(
        '<a href="{0}">{0}</a><br><a class="history" href="{1}">'
        "versiot ja muutokset / versions and diffs</a>"
    ).format(value, history)


_DIFF_STYLES = {"+": "background:#e6ffec", "-": "background:#ffebe9", "@": "color:#6e7781"}


def _diff_line(line: str) -> Markup:
    style = None if line.startswith(("+++", "---")) else _DIFF_STYLES.get(line[:1])
    if style is None:
        return escape(line)
    return Markup('<span style="{}">{}</span>').format(style, line)


@hookimpl
def asgi_wrapper(datasette):
    """A search that FTS5 would reject gets a 400 with a message, not a 500."""

    def wrap(app):
        async def checked(scope, receive, send):
            path = scope.get("path", "") if scope["type"] == "http" else ""
            feed = FEED_PATH.match(path)
            if feed and b"_feed_title" not in scope.get("query_string", b""):
                # The feed's title, rather than the query's SQL.
                params = parse_qs(scope.get("query_string", b"").decode("utf-8", "replace"))
                title = FEED_TITLES[feed.group("query")].format(q=params.get("q", [""])[0])
                extra = b"_feed_title=" + quote(title).encode()
                query_string = scope.get("query_string", b"")
                scope = {
                    **scope,
                    "query_string": query_string + b"&" + extra if query_string else extra,
                }
            if path.endswith(".csv"):
                await app(scope, receive, _csv_neutraliser(send))
                return
            if scope["type"] == "http" and SEARCH_PATH.match(scope.get("path", "")):
                query = parse_qs(scope.get("query_string", b"").decode("utf-8", "replace"))
                message = check_query(query.get("q", [""])[0])
                if message:
                    await _bad_request(send, message, scope["path"].endswith(".json"))
                    return
            await app(scope, receive, send)

        return checked

    return wrap


def _csv_neutraliser(send):
    """Buffer a CSV response and neutralise formula cells (=, +, -, @) before sending it."""
    start: dict = {}
    chunks: list[bytes] = []

    async def wrapped(message):
        if message["type"] == "http.response.start":
            start.update(message)
            return
        if message["type"] != "http.response.body":
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = b"".join(chunks)
        if start.get("status") == 200:
            body = neutralise_csv(body.decode("utf-8")).encode("utf-8")
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return wrapped


async def _bad_request(send, message: str, as_json: bool) -> None:
    if as_json:
        body = json.dumps({"ok": False, "error": message, "status": 400}, ensure_ascii=False)
        content_type = "application/json; charset=utf-8"
    else:
        body = str(
            Markup(
                "<!DOCTYPE html><html><head><title>Haku / Search</title></head><body>"
                '<h1>Hakua ei voi tehdä / Search error</h1><p class="message">{}</p>'
                '<p><a href="javascript:history.back()">Takaisin / Back</a></p>'
                "</body></html>"
            ).format(message)
        )
        content_type = "text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [(b"content-type", content_type.encode())],
        }
    )
    await send({"type": "http.response.body", "body": body.encode("utf-8")})


@hookimpl
def extra_template_vars(template, datasette):
    if template != "index.html":
        return {}

    async def inner():
        return {
            "ris3watch_dashboards": {
                name: await _dashboard(datasette.get_database(name))
                for name in _corpus_databases(datasette)
                if "pages" in await datasette.get_database(name).table_names()
            }
        }

    return inner


async def _dashboard(db) -> dict:
    """Everything the landing page shows for one corpus, in a handful of small queries."""
    regions = (
        await db.execute(
            "select sources.id as source_id, sources.region,"
            " (select count(*) from pages where pages.source_id = sources.id) as pages,"
            " (select count(*) from pages where pages.source_id = sources.id and relevant = 1)"
            " as relevant,"
            " (select count(distinct page_contacts.contact_id) from page_contacts join pages"
            " on pages.url = page_contacts.url"
            " join contacts on contacts.id = page_contacts.contact_id"
            " where pages.source_id = sources.id and contacts.kind = 'person') as contacts"
            " from sources order by sources.region"
        )
    ).rows
    coverage = []
    if "frontier" in await db.table_names():
        coverage = (await db.execute(QUERIES["coverage"]["sql"])).rows
    last = (await db.execute("select * from crawl_runs order by id desc limit 1")).rows
    since = (date.today() - timedelta(weeks=WEEKS)).isoformat()
    counts = dict(
        (
            await db.execute(
                "select strftime('%Y-W%W', detected_at) as week, count(*) from changes"
                " where detected_at >= ? group by week",
                [since],
            )
        ).rows
    )
    weeks = []
    for offset in range(WEEKS - 1, -1, -1):
        day = date.today() - timedelta(weeks=offset)
        key = day.strftime("%Y-W%W")
        weeks.append({"week": key, "label": day.strftime("%W"), "changes": counts.get(key, 0)})
    peak = max((w["changes"] for w in weeks), default=0) or 1
    for week in weeks:
        week["height"] = round(100 * week["changes"] / peak)
    last_run = dict(last[0]) if last else None
    dead = json.loads(last_run.get("dead_sources") or "[]") if last_run else []
    return {
        "regions": [dict(r) for r in regions],
        "coverage": [dict(r) for r in coverage if r["discovered"]],
        "last_run": last_run,
        "dead_sources": dead,
        "weeks": weeks if any(w["changes"] for w in weeks) else [],
        "queries": [(name, spec["title"]) for name, spec in QUERIES.items()],
    }
