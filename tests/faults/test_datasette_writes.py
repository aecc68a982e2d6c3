"""Cases 15 and 17 against `ris3watch serve` (a real Datasette process): CSV exports
neutralise formulas, and reading the database while the nightly crawl writes it never fails."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import DEADLINE, ROOT, run_cli, wait_for_server
from tests.faults.conftest import Db, run_crawl, write_sources
from tests.faults.server import FaultServer

pytestmark = pytest.mark.crawl

PAGES = 30
FORMULA = '=HYPERLINK("http://127.0.0.1:9/x";"Avaa strategia")'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> bytes:
    # No short client timeout: a read slowed down by a busy machine is not a failure; an
    # error ("database is locked", a malformed image, a 500) is.
    with urllib.request.urlopen(url, timeout=DEADLINE) as response:
        return response.read()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("served")
    with FaultServer("127.0.0.50", "reads") as site:
        paths = [f"/p/{i}" for i in range(1, PAGES + 1)]
        site.route("/", "page", links=[*paths, "/formula"])
        for path in paths:
            site.route(path, "page", vary=True)  # new text whenever site.generation changes
        site.route("/formula", "page", title=FORMULA)
        sources = write_sources(tmp / "s.toml", {"id": "reads", "start_urls": [site.url("/")]})
        db = tmp / "reads.db"
        first = run_crawl(sources, db)
        assert first.returncode == 0, first.tail()
        port = free_port()
        # Datasette logs every request: into a file. A pipe nobody reads fills after some
        # 600 requests and then blocks the server for good (what made this test flaky).
        log = open(tmp / "serve.log", "w")  # noqa: SIM115 - closed below
        server = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "serve", "--db", str(db), "--port", str(port)],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}/reads"
        try:
            wait_for_server(f"http://127.0.0.1:{port}", server)
            yield site, sources, Db(db), base
        finally:
            server.terminate()
            server.wait(60)
            log.close()


def test_csv_export_neutralises_a_formula_in_a_title(served):
    site, _, db, base = served
    assert db.page(site.url("/formula"))["title"] == FORMULA  # stored as written
    body = get(base + "/pages.csv?url__endswith=%2Fformula&_size=10").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 1, body[:500]
    assert rows[0]["title"].startswith("'="), rows[0]["title"]
    assert rows[0]["title"][1:] == FORMULA


def test_changes_csv_neutralises_a_formula_in_a_title(served):
    site, _, db, _ = served
    result = run_cli("changes", "--db", str(db.path), "--since", "2000-01-01", "--format", "csv")
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [
        r for r in csv.DictReader(io.StringIO(result.stdout)) if r["url"] == site.url("/formula")
    ]
    assert rows and all(r["title"] == "'" + FORMULA for r in rows), rows


def test_reading_while_the_crawl_writes_never_fails(served):
    site, sources, db, base = served
    site.generation = 2  # every /p/ page changes: a version, a diff and FTS rows per page
    result = {}
    crawl = threading.Thread(
        target=lambda: result.setdefault(
            "crawl",
            run_crawl(
                sources,
                db.path,
                "--set",
                "DOWNLOAD_DELAY=0.3",
                "--set",
                "DOWNLOAD_DELAY_JITTER=0",
            ),
        )
    )
    before = db.rows("select count(*) n from page_versions")[0]["n"]
    crawl.start()
    reads, errors, found, seen = 0, [], 0, set()
    urls = [
        base + "/pages.json?_shape=objects&_size=20",
        base + "/search.json?q=strategia&_shape=objects",
        base + ".json?_shape=objects&sql=select+count(*)+as+n+from+page_versions",
    ]
    started = time.monotonic()
    while crawl.is_alive():
        url = urls[reads % 3]
        try:
            data = json.loads(get(url))
            found += bool(data.get("rows"))
            if "sql=" in url:
                seen.add(data["rows"][0]["n"])
        except (urllib.error.URLError, OSError, ValueError) as exc:
            errors.append(f"{url}: {exc}")
        reads += 1
    crawl.join()
    elapsed = time.monotonic() - started
    second = result["crawl"]
    run = db.run()
    versions = db.rows("select count(*) n from page_versions where run_id = ?", run["id"])[0]["n"]
    print(
        f"\n[figures] Datasette reads during the crawl: {reads} in {elapsed:.1f} s, "
        f"{len(errors)} errors; the crawl wrote {versions} versions"
    )
    assert second.returncode == 0 and run["status"] == "completed", second.tail()
    assert run["lost"] == 0
    assert versions >= PAGES, "the crawl must really write while we read"
    # The reads overlapped the writes: some read saw the crawl's versions half written.
    assert {n for n in seen if before < n < before + versions}, (before, versions, seen)
    assert errors == [], errors[:5]
    assert found == reads
