"""`ris3watch sources check` against loopback sites, and dead start URLs in a crawl's summary."""

from __future__ import annotations

import json
import socket
from datetime import date
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.items import StartUrlCheck
from crawler.sources import load_sources
from pipeline.runs import dead_start_url, outcome
from pipeline.sources_check import latest_period, stale_hint
from tests.conftest import FAST, ROOT, run_cli
from tests.faults.conftest import Db, write_sources
from tests.faults.server import FaultServer

OLD_PAGE = (
    "<html><head><title>Strategia</title></head><body><h1>Älykäs erikoistuminen</h1>"
    "<p>Innovaatiostrategia 2014–2020 ja toimenpiteet 2018-2021.</p>"
    "<script>var period = '2024-2030';</script></body></html>"
).encode()


def closed_port(host: str) -> int:
    """A port on `host` that nothing listens on (bound, read, released)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


# -- the stale hint (pure) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Strategia 2014–2020 ja ohjelma 2021–2027", (2021, 2027)),
        ("innovaatiostrategia-2018-2021 ja 2022 – 2025", (2022, 2025)),
        ("Julkaistu 2021-03-01, päivitetty 12.01.2021", None),  # dates are not periods
        ("vuonna 2019 ja vuonna 2023", None),  # two years are not a range
        ("1990–2040 visio", None),  # longer than any strategy period
        ("", None),
    ],
)
def test_latest_period_is_the_range_that_ends_last(text, expected):
    assert latest_period(text) == expected


def page_check(body: bytes, last_modified: str | None = None) -> StartUrlCheck:
    return StartUrlCheck(
        source_id="x",
        url="http://127.0.0.2/",
        status=200,
        final_url="http://127.0.0.2/",
        redirects=[],
        in_scope=True,
        robots="allowed",
        error=None,
        content_type="text/html; charset=utf-8",
        last_modified=last_modified,
        body=body,
    )


@pytest.mark.parametrize(
    ("body", "last_modified", "hint"),
    [
        (OLD_PAGE, None, "latest period named is 2018–2021"),  # the script's range is no text
        (b"<p>Strategia 2021-2027</p>", None, None),
        (
            b"<p>Strategia 2021-2027</p>",
            "Tue, 05 Mar 2019 10:00:00 GMT",
            "Last-Modified 2019-03-05",
        ),
        (b"<p>Strategia 2021-2027</p>", "Mon, 03 Mar 2026 10:00:00 GMT", None),
        (b"<p>Strategia 2021-2027</p>", "not a date", None),
    ],
)
def test_stale_hint(body, last_modified, hint):
    assert stale_hint(page_check(body, last_modified), date(2026, 12, 1)) == hint


# -- the real registry ----------------------------------------------------------------------


def test_bundled_registry_loads_and_every_source_has_a_note():
    sources = load_sources(ROOT / "crawler" / "sources.toml")
    assert len(sources) == 20
    assert [s.id for s in sources if not s.note] == []
    aland = next(s for s in sources if s.id == "ahvenanmaa")
    assert not aland.enabled and "Disabled" in aland.note
    # Sites that serve pages on the bare host and on www. have both in scope.
    for source_id, host in [
        ("uusimaa", "uudenmaanliitto.fi"),
        ("satakunta", "satakunta.fi"),
        ("kanta-hame", "hameenliitto.fi"),
        ("varsinais-suomi", "varsinais-suomi.fi"),
    ]:
        source = next(s for s in sources if s.id == source_id)
        assert source.in_scope(f"https://{host}/x") and source.in_scope(f"https://www.{host}/x")


def test_bundled_registry_scope_is_tight():
    """allowed_domains only ever widen a start URL's own host to its other forms (www. or
    bare, subdomains of the council's domain): never a host no start URL is on."""
    for source in load_sources(ROOT / "crawler" / "sources.toml"):
        hosts = {urlsplit(url).hostname for url in source.start_urls}
        for domain in source.allowed_domains:
            assert any(h == domain or h.endswith("." + domain) for h in hosts), (
                source.id,
                domain,
            )


def test_bundled_registry_top_comment_says_when_it_was_checked():
    head = (ROOT / "crawler" / "sources.toml").read_text(encoding="utf-8").split("\n[[sources]]")[0]
    assert "2026-12-01" in head and "ris3watch sources check" in head


# -- sources check against loopback sites ---------------------------------------------------


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("check")
    with (
        FaultServer("127.0.0.70", "council") as site,
        FaultServer("127.0.0.71", "elsewhere") as elsewhere,
        FaultServer("127.0.0.72", "fenced") as fenced,
    ):
        site.route("/good/", "page")
        site.route("/missing/", "status", code=404)
        site.route("/moved/", "redirect", code=301, to="/new-home/")
        site.route("/new-home/", "page")
        site.route("/away/", "redirect", code=302, to=elsewhere.url("/trap/"))
        site.route("/old/", "raw", body=OLD_PAGE)
        elsewhere.route("/trap/", "page")
        fenced.disallow = ["/private/"]
        fenced.route("/private/page", "page")
        unreachable = f"http://127.0.0.73:{closed_port('127.0.0.73')}/strategy/"
        sources = write_sources(
            tmp / "sources.toml",
            {"id": "good", "start_urls": [site.url("/good/")]},
            {"id": "missing", "start_urls": [site.url("/missing/")]},
            {"id": "moved", "start_urls": [site.url("/moved/")]},
            {"id": "away", "start_urls": [site.url("/away/")]},
            {"id": "fenced", "start_urls": [fenced.url("/private/page")]},
            {"id": "unreachable", "start_urls": [unreachable]},
            {"id": "old", "start_urls": [site.url("/old/")]},
            {"id": "off", "start_urls": [site.url("/off/")], "enabled": False},
        )
        text = run_cli("sources", "check", "--sources", str(sources))
        as_json = run_cli("sources", "check", "--sources", str(sources), "--format", "json")
        only_good = run_cli(
            "sources", "check", "--sources", str(sources), "--source", "good", "--source", "moved"
        )
        yield {
            "text": text,
            "json": as_json,
            "only_good": only_good,
            "site": site,
            "elsewhere": elsewhere,
            "fenced": fenced,
            "unreachable": unreachable,
        }


def by_source(checked) -> dict[str, dict]:
    assert checked["json"].returncode == 1, checked["json"].stderr[-3000:]
    report = json.loads(checked["json"].stdout)
    return {row["source_id"]: row for row in report["start_urls"]}


@pytest.mark.crawl
@pytest.mark.parametrize(
    ("source_id", "ok", "status", "error", "in_scope", "robots"),
    [
        ("good", True, 200, None, True, "allowed"),
        ("missing", False, 404, "http_404", True, "allowed"),
        ("moved", True, 200, None, True, "allowed"),
        ("away", False, 302, "redirect_out_of_scope", False, "allowed"),
        ("fenced", False, None, "robots_txt", True, "disallowed"),
        ("unreachable", False, None, "connection_refused", True, "unreadable"),
        ("old", True, 200, None, True, "allowed"),
    ],
)
def test_each_start_url_is_reported_as_what_it_answered(
    checked, source_id, ok, status, error, in_scope, robots
):
    row = by_source(checked)[source_id]
    assert (row["ok"], row["status"], row["error"], row["in_scope"], row["robots"]) == (
        ok,
        status,
        error,
        in_scope,
        robots,
    ), row


@pytest.mark.crawl
def test_redirects_are_reported_with_where_they_end(checked):
    rows, site, elsewhere = by_source(checked), checked["site"], checked["elsewhere"]
    assert rows["moved"]["redirects"] == [{"status": 301, "to": site.url("/new-home/")}]
    assert rows["moved"]["final_url"] == site.url("/new-home/")
    assert rows["away"]["redirects"] == [{"status": 302, "to": elsewhere.url("/trap/")}]
    # The out-of-scope target is named, never requested (not even its robots.txt).
    assert elsewhere.total_hits() == 0
    assert checked["fenced"].hits["/private/page"] == 0


@pytest.mark.crawl
def test_one_request_at_a_time_per_host(checked):
    # Six start URLs and robots.txt on one host: never two requests at once.
    intervals = sorted(span for spans in checked["site"].times.values() for span in spans)
    assert len(intervals) >= 7
    assert all(later[0] >= earlier[1] for earlier, later in pairwise(intervals))


@pytest.mark.crawl
def test_disabled_sources_are_not_checked_and_stale_pages_are_hinted(checked):
    rows = by_source(checked)
    assert "off" not in rows and checked["site"].hits["/off/"] == 0
    assert rows["old"]["stale"] == "latest period named is 2018–2021"
    assert rows["good"]["stale"] is None


@pytest.mark.crawl
def test_text_report_is_one_line_per_start_url_and_a_summary(checked):
    result = checked["text"]
    assert result.returncode == 1, result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 8, result.stdout
    line = {row.split()[1]: row for row in lines[:-1]}
    assert line["good"].startswith("ok ") and line["missing"].startswith("FAIL")
    assert "http_404" in line["missing"]
    assert "(in scope)" in line["moved"]
    assert "(out of scope: not fetched)" in line["away"]
    assert "robots=disallowed" in line["fenced"] and "robots_txt" in line["fenced"]
    assert "connection_refused" in line["unreachable"]
    assert "stale?" in line["old"]
    assert lines[-1].startswith("7 start URLs of 7 sources: 3 answer 200 in scope")
    assert "4 do not" in lines[-1] and "http_404 ×1" in lines[-1]
    assert "Traceback" not in result.stderr


@pytest.mark.crawl
def test_exit_0_when_every_start_url_answers_200_in_scope(checked):
    result = checked["only_good"]
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "2 answer 200 in scope (1 after a redirect), 0 do not" in result.stdout


def test_an_unknown_source_is_one_clear_line(tmp_path: Path):
    sources = write_sources(tmp_path / "s.toml", {"id": "a", "start_urls": ["http://127.0.0.2/"]})
    result = run_cli("sources", "check", "--sources", str(sources), "--source", "nope")
    assert result.returncode == 1 and "unknown source id(s): nope" in result.stderr
    assert "Traceback" not in result.stderr


# -- the nightly crawl notices dead start URLs --------------------------------------------


@pytest.mark.parametrize(
    ("status", "error", "expected"),
    [
        (404, "http_404", {"reason": "http_404", "status": 404}),
        (410, "http_410", {"reason": "http_410", "status": 410}),
        (
            None,
            "redirect_out_of_scope: https://other.example/",
            {"reason": "redirect_out_of_scope", "status": None, "target": "https://other.example/"},
        ),
        (503, "http_503", None),  # a bad night, not a wrong registry
        (None, "timeout", None),
        (None, "dns_error", None),
        (None, "robots_txt", None),
    ],
)
def test_which_start_url_failures_are_dead(status, error, expected):
    found = dead_start_url("s", "https://s.fi/a/", status, error)
    if expected is None:
        assert found is None
    else:
        assert found == {"source_id": "s", "url": "https://s.fi/a/", **expected}


def test_a_source_with_a_dead_start_url_is_dead_even_if_it_stored_pages():
    dead = [dead_start_url("a", "https://a.fi/old/", 404, "http_404")]
    result = outcome({"settled": 2}, {}, {"a": 5, "b": 3}, ["a", "b", "c"], 1.0, dead)
    assert result.status == "completed"
    assert result.dead_sources == ["a", "c"]  # c stored nothing, a's start URL is gone
    assert result.summary["dead_start_urls"] == dead
    assert result.summary["dead_start_urls_by_source"] == {"a": 1}
    clean = outcome({"settled": 2}, {}, {"a": 5}, ["a"], 1.0)
    assert clean.dead_sources == [] and clean.summary["dead_start_urls"] == []


# -- a real crawl ------------------------------------------------------------------------


@pytest.mark.crawl
def test_crawl_summary_names_start_urls_that_are_gone(tmp_path):
    with (
        FaultServer("127.0.0.74", "council") as site,
        FaultServer("127.0.0.75", "elsewhere") as elsewhere,
    ):
        site.route("/home/", "page").route("/strategy/", "page")
        site.route("/missing/", "status", code=404)
        site.route("/away/", "redirect", to=elsewhere.url("/"))
        council = {
            "id": "council",
            "start_urls": [site.url(p) for p in ("/home/", "/strategy/", "/missing/", "/away/")],
            "note": "Home and strategy pages",
        }
        sources = write_sources(tmp_path / "s.toml", council)
        db_path = tmp_path / "t.db"
        first = run_cli("crawl", "--sources", str(sources), "--db", str(db_path), *FAST)
        # Night 2: a start URL that was a stored page now answers 410.
        site.route("/strategy/", "status", code=410)
        second = run_cli("crawl", "--sources", str(sources), "--db", str(db_path), *FAST)
        assert elsewhere.total_hits() == 0
    db = Db(db_path)
    run1, run2 = db.run(1), db.run(2)
    for result in (first, second):
        # The run completed, but the registry is wrong: exit 2, as for a dead source.
        assert result.returncode == 2, result.stderr[-3000:]
        assert f"start URL gone (http_404): council {site.url('/missing/')}" in result.stderr
    by_url = sorted(run1["summary"]["dead_start_urls"], key=lambda d: d["url"])
    assert by_url == [
        {
            "source_id": "council",
            "url": site.url("/away/"),
            "status": None,
            "reason": "redirect_out_of_scope",
            "target": elsewhere.url("/"),
        },
        {"source_id": "council", "url": site.url("/missing/"), "status": 404, "reason": "http_404"},
    ]
    gone = {d["url"]: d["reason"] for d in run2["summary"]["dead_start_urls"]}
    assert gone == {
        site.url("/missing/"): "http_404",
        site.url("/away/"): "redirect_out_of_scope",
        site.url("/strategy/"): "http_410",
    }
    assert run2["summary"]["dead_start_urls_by_source"] == {"council": 3}
    assert json.loads(run2["dead_sources"]) == ["council"]
    runs = run_cli("runs", "--db", str(db_path), "--format", "json")
    latest = json.loads(runs.stdout)[0]
    assert set(json.loads(latest["dead_start_urls"])) == set(gone)
    # The registry's note is stored with the source.
    assert db.one("select note from sources where id = 'council'") == {
        "note": "Home and strategy pages"
    }
