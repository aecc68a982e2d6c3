"""The CLI as a user runs it: exit codes, one-line errors, serve answering over HTTP."""

import json
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pipeline.cli import cli
from tests.conftest import DEADLINE, FAST, ROOT, run_cli, wait_for_server

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_command():
    for name in cli.commands:
        assert f"ris3watch {name}" in README, name


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_with_an_example(name):
    result = run_cli(name, "--help")
    assert result.returncode == 0 and "Example" in result.stdout


GOOD = """[[sources]]
id = "dead"
name = "Dead"
region = "R"
kind = "regional_council"
start_urls = ["http://127.0.0.1:9/nothing/"]
"""


@pytest.mark.parametrize(
    ("sources", "extra", "message"),
    [
        (GOOD + "colour = 1\n", [], "unknown key 'colour'"),
        (GOOD, ["--set", "NO_SUCH_SETTING=1"], "unknown Scrapy or ris3watch setting"),
        (GOOD, ["--source", "nope"], "unknown source id"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path, sources, extra, message):
    path = tmp_path / "s.toml"
    path.write_text(sources, encoding="utf-8")
    result = run_cli("crawl", "--sources", str(path), "--db", str(tmp_path / "t.db"), *extra)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_corrupt_database_is_refused_before_crawling(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(GOOD, encoding="utf-8")
    db = tmp_path / "t.db"
    db.write_bytes(b"not a database" * 100)
    result = run_cli("crawl", "--sources", str(path), "--db", str(db))
    assert result.returncode == 1 and "not a usable ris3watch database" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.crawl
def test_nothing_crawled_exits_1_and_records_the_errors(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(GOOD, encoding="utf-8")
    db = tmp_path / "t.db"
    result = run_cli("crawl", "--sources", str(path), "--db", str(db), *FAST)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "connection_refused" in result.stderr
    import sqlite_utils

    errors = list(sqlite_utils.Database(db)["fetch_errors"].rows)
    assert [e["error"] for e in errors] == ["connection_refused"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=DEADLINE) as response:
        return json.load(response)


@pytest.mark.crawl
def test_crawl_then_serve_answers_over_http(tmp_path, sources_file):
    db = tmp_path / "corpus.db"
    crawl = run_cli(
        "crawl", "--sources", str(sources_file), "--db", str(db), "--source", "paijat-hame", *FAST
    )
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    port = free_port()
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - a pipe nobody reads fills up
    server = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "serve", "--db", str(db), "--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(base, server)
        pages = get_json(base + "/corpus/pages.json?_shape=objects")
        assert {r["source_id"] for r in pages["rows"]} == {"paijat-hame"}
        found = get_json(base + "/corpus/search.json?q=kiertotalous&_shape=objects")
        assert found["rows"] and "«" in found["rows"][0]["snippet"]
        with pytest.raises(urllib.error.HTTPError) as bad:
            get_json(base + "/corpus/search.json?q=%22((&_shape=objects")
        assert bad.value.code == 400 and "Unbalanced quote" in bad.value.read().decode()
        meta = get_json(base + "/-/metadata.json")
        assert "Sivut / Pages" in json.dumps(meta, ensure_ascii=False)
    finally:
        server.terminate()
        server.wait(60)
        log.close()


def test_serve_refuses_a_busy_port_in_one_line(tmp_path):
    db = tmp_path / "t.db"
    import sqlite_utils

    sqlite_utils.Database(db)["x"].insert({"a": 1})
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = run_cli("serve", "--db", str(db), "--port", str(port))
    assert result.returncode == 1 and "already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_without_a_database_says_so(tmp_path):
    result = run_cli("serve", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1 and re.search(r"no such database", result.stderr)
    assert not Path(tmp_path / "none.db").exists()


@pytest.mark.parametrize("where", ["under-a-file", "a-directory"])
def test_unusable_database_path_is_one_clear_line(tmp_path, where):
    path = tmp_path / "s.toml"
    path.write_text(GOOD, encoding="utf-8")
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    db = blocker / "t.db" if where == "under-a-file" else tmp_path
    result = run_cli("crawl", "--sources", str(path), "--db", str(db))
    assert result.returncode == 1, result.stderr
    assert str(db) in result.stderr and "Traceback" not in result.stderr
