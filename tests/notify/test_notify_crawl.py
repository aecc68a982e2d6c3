"""Real crawls of loopback sample sites, then real sends through Apprise to loopback
receivers: the digest, the watch, the ops channel, retries, and nothing sent twice."""

from __future__ import annotations

import re
import shutil
import socket
import sqlite3

import pytest

from samples.server import SITES_DIR, SampleSites
from tests.conftest import FAST, SAMPLES, run_cli
from tests.crawler.test_recrawl import ADDED, ITEMS, NEWS, edit

pytestmark = pytest.mark.crawl

SECRET = "s3cretpw"
KIERTOTALOUS = "/alykas-erikoistuminen/kiertotalous/"
REMOVED = "/maakunnan-kehittaminen/yhteistyo-ja-kumppanuudet/"
NEW = "/maakunnan-kehittaminen/uusi-haku/"


def notify_file(tmp_path, json_receiver, mailbox, extra: str = "") -> str:
    path = tmp_path / "notify.toml"
    digest = json_receiver.url("/digest").replace("json://", f"json://user:{SECRET}@")
    path.write_text(
        f"""datasette_url = "https://ris3watch.example.org"

[[channels]]
url = "{digest}"
tags = ["changes"]

[[channels]]
url = "{mailbox.url()}"
tags = ["changes"]
format = "text"
language = "fi"

[[channels]]
url = "{json_receiver.url("/ops")}"
tags = ["ops"]
format = "text"

[[channels]]
url = "{json_receiver.url("/flaky")}"
tags = ["changes"]

[[watches]]
name = "resurssiviisaus"
query = "resurssiviisaudesta"
tags = ["changes"]
{extra}""",
        encoding="utf-8",
    )
    return str(path)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("notify") / "sites"
    shutil.copytree(SITES_DIR, root)
    edit(
        root / "paijat-hame" / "index.html",
        "</div> <!-- #main-content -->",
        NEWS.format("".join(ITEMS)) + "</div> <!-- #main-content -->",
    )
    with SampleSites(root=root) as running:
        yield root, running


def sources_for(tmp_path, running, dead_port: int | None = None) -> str:
    text = running.render((SAMPLES / "sources.toml").read_text(encoding="utf-8"))
    if dead_port:
        text += (
            '\n[[sources]]\nid = "kuollut"\nname = "Kuollut liitto"\nregion = "Kuollut"\n'
            f'kind = "regional_council"\nstart_urls = ["http://127.0.0.1:{dead_port}/"]\n'
        )
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def crawl(sources: str, db, *args: str, only=("kymenlaakso", "paijat-hame")):
    picked = [arg for source in only for arg in ("--source", source)]
    return run_cli("crawl", "--sources", sources, "--db", str(db), *picked, *FAST, *args)


def between_the_nights(root) -> None:
    """One edit, one removal, one new page, and noise (a rotating news list, counters)."""
    edit(
        root / "paijat-hame/alykas-erikoistuminen/kiertotalous/index.html",
        "<p><strong>Kiertotalous on",
        "<p><strong>Kiertotalous ja resurssiviisaus on",
    )
    (root / "kymenlaakso" / REMOVED.strip("/") / "index.html").unlink()
    new_page = root / "kymenlaakso" / NEW.strip("/") / "index.html"
    new_page.parent.mkdir()
    new_page.write_text(ADDED, encoding="utf-8")
    edit(
        root / "kymenlaakso/sitemap.xml",
        "</urlset>",
        f"<url><loc>{{{{base}}}}{NEW}</loc></url></urlset>",
    )
    edit(root / "paijat-hame/index.html", "".join(ITEMS), "".join(reversed(ITEMS)))


def site_urls(text: str) -> set[str]:
    return {url.split("?")[0] for url in re.findall(r"http://127\.0\.0\.\d+:\d+[^\s)\]]*", text)}


def test_the_nightly_digest_end_to_end(tmp_path, sites, json_receiver, mailbox):
    root, running = sites
    db = tmp_path / "t.db"
    sources = sources_for(tmp_path, running)
    notify = notify_file(tmp_path, json_receiver, mailbox)
    first = crawl(sources, db)
    assert first.returncode == 0, first.stderr[-3000:]
    between_the_nights(root)
    json_receiver.failing.add("/flaky")

    second = crawl(sources, db, "--notify", notify)

    assert second.returncode == 0, second.stderr[-3000:]  # a failing channel changes nothing
    assert "Notifications: 2 sent, 1 failed" in second.stderr
    [digest] = json_receiver.bodies("/digest")
    body = digest["message"]
    assert re.fullmatch(r"ris3watch: 3 muutosta \S+ / 3 changes on \S+", digest["title"])
    # The edited page with its added word, the removed page, the new page: nothing else
    # (the rotating news list and the hit counters changed too, but are noise).
    urls = site_urls(body)
    assert {u.split(":", 2)[2].split("/", 1)[1] for u in urls} == {
        KIERTOTALOUS.lstrip("/"),
        REMOVED.lstrip("/"),
        NEW.lstrip("/"),
    }, body
    assert "Kiertotalous ja resurssiviisaus on" in body
    assert "poistunut / removed" in body and "uusi / new" in body
    assert "https://ris3watch.example.org/ris3watch/page_history?url=http%3A%2F%2F127.0.0." in body
    # The watch, written in another inflection, fires first, named, quoting the line.
    watch = body.index("Vahti / Watch «resurssiviisaus»")
    assert watch < body.index("## Päijät-Häme") and watch < body.index("## Kymenlaakso")
    assert "> Kiertotalous ja resurssiviisaus on" in body[watch:]
    # Email: Finnish only, plain text.
    [mail] = mailbox.texts()
    assert "muutosta" in mail and "changes" not in mail.split("\n")[0]
    assert "resurssiviisaus" in mail and REMOVED in mail
    # The ops channel hears nothing of a healthy night; the channel URL is nowhere.
    assert json_receiver.bodies("/ops") == []
    conn = sqlite3.connect(db)
    dump = "\n".join(conn.iterdump())
    assert SECRET not in dump and "json://" not in dump and SECRET not in second.stderr
    rows = conn.execute("select kind, status, error from notifications order by id").fetchall()
    assert sorted(r[1] for r in rows) == ["failed", "sent", "sent"]
    assert "500" in next(r[2] for r in rows if r[1] == "failed")

    # The next `notify` retries the failed channel only; the one after sends nothing.
    json_receiver.failing.clear()
    retry = run_cli("notify", "--db", str(db), "--notify", notify)
    assert retry.returncode == 0, retry.stderr
    assert "Notifications: 1 sent, 0 failed, 2 already sent" in retry.stderr
    assert len(json_receiver.bodies("/flaky")) == 1
    again = run_cli("notify", "--db", str(db), "--notify", notify)
    assert "Notifications: 0 sent, 0 failed, 3 already sent" in again.stderr
    assert len(json_receiver.bodies("/digest")) == 1 and len(json_receiver.bodies("/flaky")) == 1
    assert len(mailbox.messages) == 1
    assert conn.execute("select count(*) from notifications where status = 'sent'").fetchone() == (
        3,
    )
    # A night without changes sends nothing.
    quiet = crawl(sources, db, "--notify", notify)
    assert quiet.returncode == 0 and "Notifications: 0 sent, 0 failed" in quiet.stderr
    assert len(json_receiver.bodies("/digest")) == 1
    conn.close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_dead_source_goes_to_the_ops_channel(tmp_path, sites, json_receiver, mailbox):
    _, running = sites
    db = tmp_path / "t.db"
    sources = sources_for(tmp_path, running, dead_port=_closed_port())
    notify = notify_file(tmp_path, json_receiver, mailbox)

    result = crawl(sources, db, "--notify", notify, only=("lappi", "kuollut"))

    assert result.returncode == 2, result.stderr[-3000:]
    [ops] = json_receiver.bodies("/ops")
    assert "kuollut" in ops["message"] and "connection_refused" in ops["message"]
    assert ops["title"] == "ris3watch: ajon 1 ongelmat / problems in run 1"
    assert ops["type"] == "warning"
    dry = run_cli("notify", "--db", str(db), "--notify", notify, "--dry-run")
    assert dry.returncode == 0 and "Notifications: dry run" in dry.stderr
    assert "kuollut" not in dry.stdout  # already sent: a dry run shows what would still go


def test_a_bad_notification_file_is_refused_before_any_request(tmp_path, sites):
    _, running = sites
    db = tmp_path / "t.db"
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[channels]]\nurl = "json://127.0.0.1:9/x"\ntags = ["changes"]\n\n'
        '[[watches]]\nname = "w"\nquery = "vety)"\n',
        encoding="utf-8",
    )
    hits_before = sum(sum(site.hits.values()) for site in running.sites.values())
    result = crawl(sources_for(tmp_path, running), db, "--notify", str(bad))
    assert result.returncode == 1
    assert f"{bad}:7: bad query 'vety)'" in result.stderr
    assert sum(sum(site.hits.values()) for site in running.sites.values()) == hits_before
