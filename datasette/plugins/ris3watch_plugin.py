"""ris3watch's Datasette plugin: metadata, canned queries and SQL functions for any database
that holds a ris3watch corpus, whatever its file is called."""

from __future__ import annotations

import json
from pathlib import Path

from datasette import hookimpl
from pipeline.search import fts_query

CONFIG_DIR = Path(__file__).resolve().parents[1]
DATABASE_METADATA = json.loads((CONFIG_DIR / "database.json").read_text(encoding="utf-8"))
QUERIES = json.loads((CONFIG_DIR / "queries.json").read_text(encoding="utf-8"))


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
def prepare_connection(conn, database, datasette):
    conn.create_function("ris3_fts_query", 1, fts_query, deterministic=True)
