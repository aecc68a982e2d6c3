"""The fault matrix (RELIABILITY.md), in two real crawls of misbehaving loopback servers.

Night 1 crawls a clean site: every `/known/...` page gets a version. Before night 2 each of
those pages turns into a fault (empty 200, 503, timeout, truncated body, DNS failure, 404,
...) and a hub of fresh faults appears under `/faults/`. Night 2 must complete, account for
every URL, record each fault with its reason, and leave night 1's versions untouched.

Elsewhere: cases 1 and 2 (bombs, oversized bodies) in test_size_limits.py and
test_memory.py; case 3 (slow extraction) and the memory figures in test_memory.py; robots.txt
hosts (case 14) in test_robots.py; retry timing in test_retry.py; cases 15 and 17 in
test_datasette_writes.py.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from tests.faults.conftest import (
    RSS_BUDGET_MB,
    CrawlResult,
    Db,
    run_crawl,
    write_sources,
)
from tests.faults.server import FaultServer, page_html, pdf_bytes, png_bytes

pytestmark = pytest.mark.crawl

SECRET = "SALAISUUS-7731"

# -- night 2's faults for pages night 1 stored ------------------------------------------
KNOWN = {
    "/known/empty": ("raw", {"body": b""}),
    "/known/timeout": ("sleep", {"seconds": 10}),
    "/known/always-503": ("status", {"code": 503}),
    "/known/error-500": ("status", {"code": 500}),
    "/known/not-found": ("status", {"code": 404}),
    "/known/gone": ("status", {"code": 410}),
    "/known/truncated": ("truncated", {}),
    "/known/flap": ("flap", {"failures": 1, "code": 503}),
    "/known/rate-limited": ("flap", {"failures": 1, "code": 429, "headers": {"Retry-After": "1"}}),
    "/known/dns": ("page", {}),  # reached as www.dns.loopback.test, which stops resolving
}
# What night 2 records for each known page: an error code, "removed", or "unchanged".
KNOWN_OUTCOME = {
    "/known/empty": "empty_page",
    "/known/timeout": "timeout",
    "/known/always-503": "http_503",
    "/known/error-500": "http_500",
    "/known/not-found": "removed",
    "/known/gone": "removed",
    "/known/truncated": "truncated",
    "/known/flap": "unchanged",
    "/known/rate-limited": "unchanged",
    "/known/dns": "dns_error",
}


def nested(depth: int) -> bytes:
    return (
        '<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8"><title>Sisäkkäin</title>'
        "</head><body><main><h1>Sisäkkäinen sivu</h1>"
        "<p>Alkuteksti ennen sisäkkäisyyttä: älykäs erikoistuminen.</p>"
        + '<div class="k">' * depth
        + "<p>Syvällä oleva strategiateksti kärkialoista.</p>"
        + "</div>" * depth
        + "<p>Lopputeksti sisäkkäisyyden jälkeen: kiertotalous.</p></main></body></html>"
    ).encode()


MALFORMED = (
    "<html><head><title>Rikki</title><body><div><p>Alku <b>lihava <i>kursiivi</b> loppu</i>"
    "<table><p>Taulukon sisällä kappale<tr><td>solu<td>toinen</table></div></div></span>"
    '<p class="x=<y">Rikkinäinen merkintä ei estä strategian lukemista<p>Toinen kappale '
    'kiertotaloudesta</li></ul><p>Kolmas kappale ja yhteistyö<p>Neljäs <a href="/x>linkki</a>'
    " jonka lainausmerkki ei sulkeudu<!-- avoin kommentti"
).encode()
NUL = (
    "<html><head><title>NUL\x00-merkit</title></head><body><main><h1>NUL\x00 otsikko</h1>"
    "<p>Ennen\x00 nollatavua strategia.</p><p>Nollatavut\x00\x00 eivät kaada strategiaa.</p>"
    "<p>Lopuksi kiertotalous.</p></main></body></html>"
).encode()

CHARSET_PAGE = (
    '<html lang="fi"><head>{meta}<title>Merkistö</title></head><body><main>'
    "<h1>Älykäs erikoistuminen</h1><p>Maakunnan kärkialat ja yhteistyö Ålandin kanssa: "
    "öljynjalostus, äänitekniikka.</p>{extra}</main></body></html>"
)
CP1252_EXTRA = "<p>Rahoitus 5 milj. € – ”kärkihanke”.</p>"
CHARSETS = {
    "latin1-as-utf8": (
        CHARSET_PAGE.format(meta="", extra=""),
        "latin-1",
        "text/html; charset=utf-8",
    ),
    "cp1252-as-utf8": (
        CHARSET_PAGE.format(meta="", extra=CP1252_EXTRA),
        "cp1252",
        "text/html; charset=utf-8",
    ),
    "unlabelled-latin1": (CHARSET_PAGE.format(meta="", extra=""), "latin-1", "text/html"),
    "unlabelled-cp1252": (
        CHARSET_PAGE.format(meta="", extra=CP1252_EXTRA),
        "cp1252",
        "text/html",
    ),
    "unlabelled-utf8": (CHARSET_PAGE.format(meta="", extra=""), "utf-8", "text/html"),
    "meta-latin1": (
        CHARSET_PAGE.format(meta='<meta charset="iso-8859-1">', extra=""),
        "latin-1",
        "text/html",
    ),
    "meta-utf8-but-latin1": (
        CHARSET_PAGE.format(meta='<meta charset="utf-8">', extra=""),
        "latin-1",
        "text/html",
    ),
    "header-latin1-but-utf8": (
        CHARSET_PAGE.format(meta="", extra=""),
        "utf-8",
        "text/html; charset=iso-8859-1",
    ),
}
PDF = pdf_bytes(
    "Testiliiton strategia", ["Alykkaan erikoistumisen strategia 2021-2027", "Kiertotalous"]
)
BINARY_MARKER = "ARVAUSTA-EI-SAA-TALLENTAA"
PROJECT_FRAME = re.compile(r'File "[^"]*/(?:crawler|pipeline|extract|query)/[^"]+", line \d+')


@dataclass
class Matrix:
    first: CrawlResult
    second: CrawlResult
    db: Db
    run1: dict
    run2: dict
    errors: dict[str, str]  # night 2: url -> error
    before: dict[str, dict]  # night 1's pages row per known URL
    versions_before: dict[str, list[dict]]
    site: FaultServer
    offsite: FaultServer
    dns_url: str
    intranet_url: str
    nxdomain_url: str
    secret: str

    def url(self, path: str) -> str:
        return self.dns_url if path == "/known/dns" else self.site.url(path)


def fresh_faults(site: FaultServer, offsite: FaultServer, secret_file: str) -> list[str]:
    """Routes under /faults/ and the hub's links; returns the hub's hrefs."""
    routes = {
        "/faults/nested": ("raw", {"body": nested(200)}),
        "/faults/nested-300": ("raw", {"body": nested(300)}),
        "/faults/nested-5000": ("raw", {"body": nested(5000)}),
        "/faults/malformed": ("raw", {"body": MALFORMED, "ctype": "text/html"}),
        "/faults/nul": ("raw", {"body": NUL}),
        "/faults/empty": ("raw", {"body": b""}),
        "/faults/blank": ("raw", {"body": b"  \n\t \n"}),
        "/faults/empty-markup": ("raw", {"body": b"<html><head></head><body></body></html>"}),
        "/faults/strategia.pdf": ("raw", {"body": PDF, "ctype": "application/pdf"}),
        "/faults/report": ("raw", {"body": PDF, "ctype": "application/pdf"}),
        "/faults/image": ("raw", {"body": png_bytes(), "ctype": "image/png"}),
        "/faults/binary": (
            "raw",
            {
                "body": page_html("/faults/binary", title=BINARY_MARKER),
                "ctype": "application/octet-stream",
            },
        ),
        "/faults/timeout": ("sleep", {"seconds": 10}),
        "/faults/truncated": ("truncated", {}),
        "/faults/flap": ("flap", {"failures": 1, "code": 503}),
        "/faults/rate-limited": (
            "flap",
            {"failures": 1, "code": 429, "headers": {"Retry-After": "1"}},
        ),
        "/faults/always-503": ("status", {"code": 503}),
        "/faults/missing": ("status", {"code": 404}),
        "/faults/gone": ("status", {"code": 410}),
        "/faults/loop-a": ("redirect", {"to": "/faults/loop-b"}),
        "/faults/loop-b": ("redirect", {"to": "/faults/loop-a"}),
        "/faults/chain-end": ("page", {}),
        "/faults/five-end": ("page", {}),
        "/faults/redirect-offsite": ("redirect", {"to": offsite.url("/landing")}),
        "/faults/redirect-by-name": (
            "redirect",
            {"to": f"http://offsite.loopback.test:{offsite.port}/landing"},
        ),
        "/faults/redirect-metadata": (
            "redirect",
            {"to": "http://169.254.169.254/latest/meta-data/"},
        ),
        "/faults/redirect-private": ("redirect", {"to": "http://10.1.2.3/admin/"}),
        "/faults/meta-refresh-private": (
            "raw",
            {
                "body": b'<html><head><meta http-equiv="refresh" content="0; '
                b'url=http://10.1.2.3/refresh/"></head><body><p>Siirretty</p></body></html>'
            },
        ),
        "/faults/redirect-file": ("redirect", {"to": f"file://{secret_file}"}),
        "/faults/redirect-ftp": ("redirect", {"to": f"ftp://{site.host}:{site.port}/x"}),
        "/private/secret": ("page", {}),
    }
    for charset, (text, encoding, ctype) in CHARSETS.items():
        routes[f"/faults/charset/{charset}"] = (
            "raw",
            {"body": text.encode(encoding), "ctype": ctype},
        )
    for i in range(1, 8):  # 7 hops: over the limit of 5
        target = f"/faults/chain/{i + 1}" if i < 7 else "/faults/chain-end"
        routes[f"/faults/chain/{i}"] = ("redirect", {"to": target})
    for i in range(1, 6):  # exactly 5 hops: followed
        target = f"/faults/five/{i + 1}" if i < 5 else "/faults/five-end"
        routes[f"/faults/five/{i}"] = ("redirect", {"to": target})
    for path, (kind, params) in routes.items():
        site.route(path, kind, **params)
    not_linked = {"/faults/loop-b", "/faults/chain-end", "/faults/five-end"}
    not_linked |= {f"/faults/chain/{i}" for i in range(2, 8)}
    not_linked |= {f"/faults/five/{i}" for i in range(2, 6)}
    hrefs = [p for p in routes if p not in not_linked]
    hrefs += [
        offsite.url("/offsite-link"),
        f"http://offsite.loopback.test:{offsite.port}/by-name",
        "http://10.1.2.3/intranet/",
        "http://169.254.169.254/latest/meta-data/iam/",
        f"file://{secret_file}",
        f"ftp://{site.host}:{site.port}/faults/ftp.txt",
        "javascript:alert(1)",
        "mailto:kirjaamo@example.invalid",
    ]
    return hrefs


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("matrix")
    secret_file = tmp / "secret.html"
    secret_file.write_text(f"<html><body><p>{SECRET}</p></body></html>", encoding="utf-8")
    with (
        FaultServer("127.0.0.30", "faults") as site,
        FaultServer("127.0.0.31", "offsite") as offsite,
    ):
        site.disallow = ["/private/"]
        dns_url = f"http://www.dns.loopback.test:{site.port}/known/dns"
        intranet_url = f"http://intranet.test:{site.port}/"
        nxdomain_url = f"http://nosuchhost.invalid:{site.port}/"
        for path in KNOWN:
            site.route(path, "page")
        site.route("/", "page", links=[p for p in KNOWN if p != "/known/dns"] + [dns_url])
        offsite.route("/", "page", links=["/a/", "/b/"])
        offsite.route("/a/", "page").route("/b/", "page")
        faults = {
            "id": "faults",
            "start_urls": [site.url("/")],
            "allowed_domains": ["dns.loopback.test"],
        }
        db_path = tmp / "matrix.db"

        # Night 1: everything answers.
        first = run_crawl(
            write_sources(tmp / "night1.toml", faults),
            db_path,
            dns={"*.dns.loopback.test": site.host, "offsite.loopback.test": offsite.host},
        )
        db = Db(db_path)
        assert first.returncode == 0, first.tail()
        run1 = db.run()
        urls = [site.url(p) for p in KNOWN if p != "/known/dns"] + [dns_url]
        before = {url: db.page(url) for url in urls}
        versions_before = {url: db.versions(url) for url in urls}

        # Night 2: the known pages misbehave and a hub of new faults appears.
        for path, (kind, params) in KNOWN.items():
            site.route(path, kind, **params)
        hub = fresh_faults(site, offsite, str(secret_file))
        site.route("/faults/", "page", links=hub)
        for server in (site, offsite):
            server.reset_counts()
        faults2 = {**faults, "start_urls": [site.url("/"), site.url("/faults/")]}
        second = run_crawl(
            write_sources(
                tmp / "night2.toml",
                faults2,
                {"id": "nxdomain", "start_urls": [nxdomain_url]},
                {"id": "intranet", "start_urls": [intranet_url]},
            ),
            db_path,
            # 4 s, not 2: on a busy machine the crawl process can go 2 s without sending a
            # queued request, and the retry would time out (see RELIABILITY.md).
            "--set",
            "DOWNLOAD_TIMEOUT=4",
            dns={
                "*.dns.loopback.test": None,
                "offsite.loopback.test": offsite.host,
                "intranet.test": "10.0.0.5",
            },
        )
        run2 = db.run()
        # Kept for whoever debugs a failure: both nights' logs and what the server answered.
        (tmp / "night1.stderr").write_text(first.stderr, encoding="utf-8")
        (tmp / "night2.stderr").write_text(second.stderr, encoding="utf-8")
        (tmp / "night2.requests").write_text(site.dump_log(), encoding="utf-8")
        yield Matrix(
            first=first,
            second=second,
            db=db,
            run1=run1,
            run2=run2,
            errors=db.errors(run2["id"]) if run2["id"] != run1["id"] else {},
            before=before,
            versions_before=versions_before,
            site=site,
            offsite=offsite,
            dns_url=dns_url,
            intranet_url=intranet_url,
            nxdomain_url=nxdomain_url,
            secret=SECRET,
        )


def code(error: str | None) -> str | None:
    return error.split(":")[0] if error else None


# -- the crawl continues, every URL accounted for -----------------------------------------


def test_night_one_stores_every_known_page(matrix):
    assert matrix.run1["status"] == "completed" and matrix.run1["lost"] == 0
    missing = [url for url, row in matrix.before.items() if row is None]
    assert not missing, (missing, matrix.first.tail())
    assert all(len(v) == 1 for v in matrix.versions_before.values())


def test_night_two_completes_and_loses_no_url(matrix):
    second, run = matrix.second, matrix.run2
    assert run["id"] == matrix.run1["id"] + 1, second.tail()
    # No exception from the project's own code (Scrapy logs robots.txt failures with theirs).
    assert not PROJECT_FRAME.search(second.stderr), PROJECT_FRAME.search(second.stderr)
    assert run["status"] == "completed", second.tail()
    assert run["lost"] == 0, (run["lost"], second.tail())
    # Sources that failed entirely (the unresolvable one at least) make the exit status 2.
    assert second.returncode == 2, second.tail()
    assert "nxdomain" in run["dead_sources"]
    # Other pages are stored in the same run.
    for path in ("/", "/faults/", "/faults/charset/latin1-as-utf8", "/faults/flap"):
        page = matrix.db.page(matrix.site.url(path))
        assert page and page["last_run_id"] == run["id"], path


def test_summary_line_counts_errors_by_reason(matrix):
    counted = Counter(code(e) for e in matrix.errors.values())
    lines = [line for line in matrix.second.stderr.splitlines() if line.startswith("  errors: ")]
    assert lines, matrix.second.tail()
    printed = {reason: int(n) for reason, n in re.findall(r"([\w:/.-]+) ×(\d+)", lines[-1][10:])}
    assert printed == dict(counted)
    assert matrix.run2["summary"]["errors_by_reason"] == dict(counted)
    print(f"\n[figures] night 2 summary line: {lines[-1].strip()}")


@pytest.mark.parametrize(
    "reason",
    [
        "timeout",
        "truncated",
        "http_503",
        "dns_error",
        "empty_page",
        "too_many_redirects",
        "redirect_out_of_scope",
        "private_address",
        "http_404",
        "http_410",
    ],
)
def test_summary_line_names_each_fault(matrix, reason):
    line = next(x for x in matrix.second.stderr.splitlines() if x.startswith("  errors: "))
    assert f" {reason} ×" in line, line


# -- memory ---------------------------------------------------------------------------------


def test_matrix_crawl_stays_within_the_memory_budget(matrix):
    for night, crawl in (("1", matrix.first), ("2", matrix.second)):
        print(
            f"\n[figures] matrix night {night}: peak RSS {crawl.peak_rss_mb} MB "
            f"(PSS {crawl.peak_pss_mb}) "
            f"{crawl.peak_breakdown}, wall {crawl.wall:.1f} s, "
            f"stderr {len(crawl.stderr) / 1e6:.1f} MB"
        )
    assert matrix.second.peak_rss_mb < RSS_BUDGET_MB, matrix.second.peak_breakdown


# -- 4, 5: bad markup and charsets ----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "markers"),
    [
        ("/faults/nested", ["Alkuteksti", "Syvällä oleva", "Lopputeksti"]),
        ("/faults/nested-300", ["Alkuteksti", "Lopputeksti"]),
        ("/faults/nested-5000", ["Alkuteksti"]),
        ("/faults/malformed", ["Rikkinäinen merkintä", "Toinen kappale", "yhteistyö"]),
        ("/faults/nul", ["Ennen nollatavua", "eivät kaada strategiaa", "Lopuksi kiertotalous"]),
    ],
)
def test_nested_malformed_and_nul_html_is_stored(matrix, path, markers):
    url = matrix.url(path)
    page = matrix.db.page(url)
    assert page, matrix.errors.get(url)
    missing = [m for m in markers if m not in page["text"]]
    assert not missing, (missing, page["text"][:500])
    assert "\x00" not in page["text"] and "\x00" not in (page["title"] or "")


@pytest.mark.parametrize("charset", sorted(CHARSETS))
def test_wrong_or_missing_charset_keeps_finnish_letters(matrix, charset):
    url = matrix.url(f"/faults/charset/{charset}")
    page = matrix.db.page(url)
    assert page, matrix.errors.get(url)
    text = page["text"]
    for word in ("kärkialat", "yhteistyö", "Ålandin", "öljynjalostus", "äänitekniikka"):
        assert word in text, (word, text)
    assert page["title"] == "Älykäs erikoistuminen"
    assert "Ã" not in text and "\ufffd" not in text
    if "cp1252" in charset:
        assert "5 milj. € – ”kärkihanke”" in text, text


# -- 6: empty pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/faults/empty", "/faults/blank", "/faults/empty-markup", "/known/empty"]
)
def test_empty_200_is_an_error_not_a_version(matrix, path):
    url = matrix.url(path)
    assert code(matrix.errors.get(url)) == "empty_page", matrix.errors.get(url)
    if path.startswith("/faults/"):
        assert matrix.db.page(url) is None


# -- 7: documents and binaries by Content-Type ----------------------------------------------


def test_pdf_is_a_document_by_content_type(matrix):
    for path in ("/faults/strategia.pdf", "/faults/report"):
        url = matrix.url(path)
        document = matrix.db.one("select * from documents where url = ?", url)
        assert document, (path, matrix.errors.get(url))
        assert "Kiertotalous" in document["text"]
        assert matrix.db.page(url) is None


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/faults/image", "not_html:image/png"),
        ("/faults/binary", "not_html:application/octet-stream"),
    ],
)
def test_images_and_octet_streams_are_skipped_never_pages(matrix, path, reason):
    url = matrix.url(path)
    skipped = matrix.run2["summary"]["skipped_by_reason"]
    assert skipped.get(reason, 0) >= 1, skipped
    assert matrix.site.hits[path] == 1
    assert matrix.db.page(url) is None and url not in matrix.errors
    assert not matrix.db.rows("select url from pages where title like ?", f"%{BINARY_MARKER}%")


# -- 8, 9: timeouts, DNS failures, truncated bodies -----------------------------------------


@pytest.mark.parametrize("path", ["/faults/timeout", "/known/timeout"])
def test_timeout_is_recorded(matrix, path):
    assert code(matrix.errors.get(matrix.url(path))) == "timeout"
    # RETRY_TIMES=1: tried twice, then recorded.
    assert matrix.site.hits[path] == 2


def test_dns_failure_is_recorded(matrix):
    assert code(matrix.errors.get(matrix.nxdomain_url)) == "dns_error"
    assert code(matrix.errors.get(matrix.dns_url)) == "dns_error"
    log = matrix.second.resolver_log
    assert "installed" in log
    assert "nxdomain nosuchhost.invalid" in log and "nxdomain www.dns.loopback.test" in log


@pytest.mark.parametrize("path", ["/faults/truncated", "/known/truncated"])
def test_truncated_body_is_recorded_and_never_stored(matrix, path):
    url = matrix.url(path)
    assert code(matrix.errors.get(url)) == "truncated", matrix.errors.get(url)
    if path.startswith("/faults/"):
        assert matrix.db.page(url) is None


# -- 10, 11: retries and removals -------------------------------------------------------------


@pytest.mark.parametrize("path", ["/faults/flap", "/faults/rate-limited"])
def test_flapping_and_rate_limited_new_pages_are_retried_and_stored(matrix, path):
    url = matrix.url(path)
    assert matrix.site.hits[path] == 2 and url not in matrix.errors
    assert len(matrix.db.versions(url)) == 1
    assert [c["kind"] for c in matrix.db.changes(url)] == ["new"]


@pytest.mark.parametrize("path", ["/known/flap", "/known/rate-limited"])
def test_flapping_and_rate_limited_known_pages_are_unchanged(matrix, path):
    url = matrix.url(path)
    assert matrix.site.hits[path] == 2 and url not in matrix.errors
    page = matrix.db.page(url)
    assert page["last_run_id"] == matrix.run2["id"]
    assert page["content_hash"] == matrix.before[url]["content_hash"]
    assert matrix.db.changes(url, matrix.run2["id"]) == []


@pytest.mark.parametrize("path", ["/faults/always-503", "/known/always-503", "/known/error-500"])
def test_server_errors_are_errors_never_removals(matrix, path):
    url = matrix.url(path)
    expected = "http_500" if "500" in path else "http_503"
    assert code(matrix.errors.get(url)) == expected
    assert matrix.site.hits[path] == 2  # retried once
    page = matrix.db.page(url)
    if path.startswith("/known/"):
        assert page["removed_at"] is None
    else:
        assert page is None


@pytest.mark.parametrize("path", ["/known/not-found", "/known/gone"])
def test_404_and_410_mark_known_pages_removed_keeping_their_text(matrix, path):
    url = matrix.url(path)
    page = matrix.db.page(url)
    assert page["removed_at"], page
    assert page["text"] == matrix.before[url]["text"]
    assert [c["kind"] for c in matrix.db.changes(url, matrix.run2["id"])] == ["removed"]
    assert url not in matrix.errors


@pytest.mark.parametrize(("path", "status"), [("/faults/missing", 404), ("/faults/gone", 410)])
def test_404_and_410_for_new_urls_are_errors(matrix, path, status):
    assert code(matrix.errors.get(matrix.url(path))) == f"http_{status}"


@pytest.mark.parametrize(
    "path", [p for p, outcome in KNOWN_OUTCOME.items() if outcome != "removed"]
)
def test_only_404_and_410_mark_a_page_removed(matrix, path):
    assert matrix.db.page(matrix.url(path))["removed_at"] is None


# -- 12: redirects ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/faults/loop-a", "/faults/chain/1"])
def test_redirect_loops_and_long_chains_are_too_many_redirects(matrix, path):
    url = matrix.url(path)
    assert code(matrix.errors.get(url)) == "too_many_redirects", matrix.errors.get(url)
    assert matrix.db.page(url) is None
    assert matrix.site.hits["/faults/chain-end"] == 0


def test_five_redirects_are_followed(matrix):
    start, end = matrix.url("/faults/five/1"), matrix.url("/faults/five-end")
    assert start not in matrix.errors
    # Stored under the URL asked for or under the target (see the report): either way once.
    stored = matrix.db.rows(
        "select url, final_url from pages where url in (?, ?) or final_url = ?", start, end, end
    )
    assert len(stored) == 1, stored


# -- 13: scope ----------------------------------------------------------------------------------


def test_links_off_scope_to_private_addresses_and_non_http_are_never_requested(matrix):
    assert matrix.offsite.total_hits() == 0, matrix.offsite.hits
    skipped = matrix.run2["summary"]["skipped_by_reason"]
    # the second host by address and by name, 10.1.2.3, 169.254.169.254
    assert skipped.get("out_of_scope", 0) >= 4, skipped
    stored = matrix.db.rows("select url from pages union select url from documents")
    hosts = {urlsplit(r["url"]).hostname for r in stored}
    assert hosts <= {"127.0.0.30", "www.dns.loopback.test"}, hosts
    assert not matrix.db.rows("select url from pages where text like ?", f"%{SECRET}%")


@pytest.mark.parametrize(
    "path",
    [
        "/faults/redirect-offsite",
        "/faults/redirect-by-name",
        "/faults/redirect-metadata",
        "/faults/redirect-private",
        "/faults/meta-refresh-private",
    ],
)
def test_redirects_leaving_scope_are_refused_at_the_hop(matrix, path):
    error = matrix.errors.get(matrix.url(path))
    assert code(error) == "redirect_out_of_scope", error
    refused = matrix.run2["summary"]["refused_by_reason"]
    assert refused.get("redirect_out_of_scope", 0) >= 5, refused
    assert f"Refused {error.split(': ', 1)[1]} (redirect_out_of_scope" in matrix.second.stderr


@pytest.mark.parametrize("path", ["/faults/redirect-file", "/faults/redirect-ftp"])
def test_redirects_to_file_and_ftp_are_never_followed(matrix, path):
    url = matrix.url(path)
    # Accounted for: an error row or a counted skip (lost = 0 is checked above).
    assert url in matrix.errors or f"Skipped {url} (" in matrix.second.stderr
    assert matrix.db.page(url) is None
    assert not matrix.db.rows("select url from pages where text like ?", f"%{SECRET}%")


def test_source_on_a_name_resolving_to_a_private_address_is_refused(matrix):
    error = matrix.errors.get(matrix.intranet_url)
    assert code(error) == "private_address", error
    assert not [line for line in matrix.second.resolver_log if line.startswith("blocked")]


def test_no_connection_ever_left_loopback(matrix):
    for crawl in (matrix.first, matrix.second):
        assert "installed" in crawl.resolver_log  # the stub answered every lookup
        blocked = [line for line in crawl.resolver_log if line.startswith("blocked")]
        assert not blocked, blocked


# -- 14: robots.txt -----------------------------------------------------------------------------


def test_robots_disallow_is_obeyed(matrix):
    assert matrix.site.hits["/private/secret"] == 0
    assert matrix.run2["summary"]["skipped_by_reason"].get("robots_txt", 0) >= 1
    assert matrix.db.page(matrix.url("/private/secret")) is None


# -- every known page: night 1's version untouched ----------------------------------------------


@pytest.mark.parametrize("path", sorted(KNOWN))
def test_night_one_version_is_untouched(matrix, path):
    url = matrix.url(path)
    before, after = matrix.before[url], matrix.db.page(url)
    outcome = KNOWN_OUTCOME[path]  # the error codes themselves are checked above
    assert after["text"] == before["text"] and after["title"] == before["title"]
    assert after["content_hash"] == before["content_hash"]
    assert matrix.db.versions(url) == matrix.versions_before[url]
    kinds = [c["kind"] for c in matrix.db.changes(url, matrix.run2["id"])]
    assert kinds == (["removed"] if outcome == "removed" else []), kinds
