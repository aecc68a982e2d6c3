"""Sending and remembering, over a corpus written through the store: real Apprise sends to
a loopback webhook; nothing twice, failures retried, channel URLs never stored or logged."""

import logging
import sqlite3

import pytest

from pipeline.db import open_db
from pipeline.migrations import MIGRATIONS, SCHEMA_VERSION
from pipeline.notify.config import Channel, NotifyConfig
from pipeline.notify.deliver import MAX_ATTEMPTS, deliver, deliver_safely, summary_line
from pipeline.notify.send import redact
from tests.datasette.conftest import build_corpus

SECRET = "pa55word-xyz"


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.db"
    build_corpus(path)  # run 1: three new pages; run 2: two changed, pohjanmaa dead
    return str(path)


def config(*channels):
    return NotifyConfig("notify.toml", tuple(channels), (), "https://r.example.org")


def test_the_notifications_table(corpus):
    db = open_db(corpus)
    assert {"run_id", "channel_hash", "kind", "status", "error", "attempts", "sent_at"} <= set(
        db["notifications"].columns_dict
    )
    assert any(
        index.unique and index.columns == ["run_id", "channel_hash", "kind"]
        for index in db["notifications"].indexes
    )
    db.execute("DROP TABLE notifications")  # a database of the release before
    step = next(number for number, name, _ in MIGRATIONS if name == "notifications")
    db.execute(f"PRAGMA user_version = {step - 1}")
    db.conn.close()
    migrated = open_db(corpus)
    assert migrated["notifications"].exists()
    assert migrated.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_each_message_goes_once(corpus, json_receiver):
    changes = Channel(json_receiver.url("/c"), frozenset({"changes"}))
    ops = Channel(json_receiver.url("/o"), frozenset({"ops"}), "text", "en")
    first = deliver(corpus, config(changes, ops))
    assert (first.sent, first.failed, first.runs) == (2, 0, [2])
    [digest] = json_receiver.bodies("/c")
    assert "2 muutosta" in digest["title"] and "/strategia" in digest["message"]
    [alert] = json_receiver.bodies("/o")
    assert "Source pohjanmaa failed entirely" in alert["message"]
    again = deliver(corpus, config(changes, ops))
    assert (again.sent, again.already_sent) == (0, 2)
    assert len(json_receiver.received) == 2
    older = deliver(corpus, config(changes, ops), run_id=1)
    assert older.sent == 1 and "3 muutosta" in json_receiver.bodies("/c")[-1]["title"]
    assert summary_line(again) == "Notifications: 0 sent, 0 failed, 2 already sent (runs 2)"


def test_a_failing_channel_is_recorded_retried_and_given_up_on(corpus, json_receiver, caplog):
    caplog.set_level(logging.DEBUG)
    url = json_receiver.url("/down").replace("json://", f"json://user:{SECRET}@")
    down = Channel(url, frozenset({"changes"}))
    json_receiver.failing.add("/down")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        outcome = deliver(corpus, config(down))
        assert (outcome.sent, outcome.failed) == (0, 1)
        row = sqlite3.connect(corpus).execute("select status, attempts, error from notifications")
        assert row.fetchone()[:2] == ("failed", attempt)
    assert deliver(corpus, config(down)).failed == 0  # given up after MAX_ATTEMPTS
    dump = "\n".join(sqlite3.connect(corpus).iterdump())
    assert SECRET not in dump and "json://" not in dump and SECRET not in caplog.text
    assert "500" in dump


def test_an_earlier_runs_failed_send_is_retried_by_the_next_delivery(corpus, json_receiver):
    flaky = Channel(json_receiver.url("/f"), frozenset({"changes"}))
    json_receiver.failing.add("/f")
    assert deliver(corpus, config(flaky), run_id=1).failed == 1
    json_receiver.failing.clear()
    outcome = deliver(corpus, config(flaky))  # the latest run, and run 1's failure
    assert (outcome.sent, outcome.runs) == (2, [1, 2])
    titles = [body["title"] for body in json_receiver.bodies("/f")]
    assert "3 muutosta" in titles[0] and "2 muutosta" in titles[1]


def test_a_dry_run_prints_and_records_nothing(corpus, json_receiver):
    lines = []
    channel = Channel(json_receiver.url("/c"), frozenset({"changes"}))
    outcome = deliver(corpus, config(channel), dry_run=True, echo=lines.append)
    assert outcome.sent == 0 and json_receiver.received == []
    assert lines[0].startswith(f"--- run 2 · channel {channel.hash} (json) · changes")
    assert sqlite3.connect(corpus).execute("select count(*) from notifications").fetchone()[0] == 0


def test_an_unknown_run_and_a_broken_database(corpus, tmp_path, json_receiver):
    channel = Channel(json_receiver.url("/c"), frozenset({"changes"}))
    with pytest.raises(LookupError, match="no run 99"):
        deliver(corpus, config(channel), run_id=99)
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database at all" * 100)
    assert deliver_safely(str(broken), config(channel), 1).startswith("Notifications: not sent")


def test_redact_leaves_no_part_of_the_url():
    url = "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ@%23channel?token=abc123"
    text = f"failed to post to {url} (T1JJ3T3L2, TIiajkdnlazkcOXrIdevi7FQ, abc123)"
    redacted = redact(text, url)
    assert "T1JJ3T3L2" not in redacted and "abc123" not in redacted
    assert "TIiajkdnlazkcOXrIdevi7FQ" not in redacted


def test_a_missing_database_is_not_created(tmp_path, json_receiver):
    from pipeline.db import StoreError

    channel = Channel(json_receiver.url("/c"), frozenset({"changes"}))
    with pytest.raises(StoreError, match="no such database"):
        deliver(str(tmp_path / "missing.db"), config(channel))
    assert not (tmp_path / "missing.db").exists()
