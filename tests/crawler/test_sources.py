from pathlib import Path

import pytest

from crawler.sources import SourcesError, load_sources

ROOT = Path(__file__).resolve().parents[2]


def test_bundled_registry_lists_every_council_aland_and_elmo():
    sources = load_sources(ROOT / "crawler" / "sources.toml")
    regions = {s.region for s in sources}
    assert len([s for s in sources if s.kind == "regional_council"]) == 19  # 18 + Åland
    assert {"Uusimaa", "Kymenlaakso", "Lappi", "Ahvenanmaa", "Itä- ja Pohjois-Suomi"} <= regions
    elmo = next(s for s in sources if s.id == "elmo")
    assert elmo.kind == "cooperation" and len(elmo.start_urls) == 5
    assert not next(s for s in sources if s.id == "ahvenanmaa").enabled


GOOD = """[[sources]]
id = "x"
name = "X"
region = "R"
kind = "regional_council"
start_urls = ["http://127.0.0.2:8000/a/"]
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD + 'colour = "red"\n', r":7: unknown key 'colour'"),
        (GOOD.replace('kind = "regional_council"', 'kind = "county"'), r":1: kind 'county'"),
        (
            GOOD.replace('start_urls = ["http://127.0.0.2:8000/a/"]', 'start_urls = ["ftp://x/"]'),
            "not an http",
        ),
        (GOOD.replace('id = "x"\n', ""), "missing 'id'"),
        (GOOD + "deny = ['(']\n", "bad regex"),
        (GOOD + GOOD, "duplicate source id 'x'"),
        ("[[sources]\nid = 1", r"line 1"),
        ("", "no \\[\\[sources\\]\\] tables"),
        (GOOD + "max_depth = -1\n", "max_depth"),
        (GOOD + "note = 3\n", ":1: 'note' must be a string"),
    ],
)
def test_malformed_registry_names_the_line(tmp_path, text, message):
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError, match=message):
        load_sources(path)


def test_scope_is_hosts_with_ports_plus_allowed_domains(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(GOOD + 'allowed_domains = ["liitto.fi"]\n', encoding="utf-8")
    source = load_sources(path)[0]
    assert source.in_scope("http://127.0.0.2:8000/b")
    assert not source.in_scope("http://127.0.0.2:8001/b")  # another port is another host
    assert not source.in_scope("http://127.0.0.3:8000/b")
    assert source.in_scope("https://www.liitto.fi/x")
    assert not source.in_scope("https://notliitto.fi/x")
    assert not source.in_scope("file:///etc/passwd")
    assert not source.in_scope("ftp://127.0.0.2:8000/x")


def test_note_is_read_and_reaches_the_sources_table(tmp_path):
    from pipeline.db import open_db
    from pipeline.runs import sync_sources

    path = tmp_path / "s.toml"
    path.write_text(GOOD + 'note = "  Strategy page and its English twin  "\n', encoding="utf-8")
    source = load_sources(path)[0]
    assert source.note == "Strategy page and its English twin"
    db = open_db(tmp_path / "t.db")
    try:
        sync_sources(db, [source])
        sync_sources(db, [source])  # a second crawl keeps it (upsert)
        rows = list(db.query("select id, note from sources"))
    finally:
        db.conn.close()
    assert rows == [{"id": "x", "note": "Strategy page and its English twin"}]
