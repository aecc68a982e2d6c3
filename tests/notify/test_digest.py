"""Composing messages: pure functions over a run's changes and health."""

import pytest

from pipeline.notify.config import Channel, Watch
from pipeline.notify.digest import compose, history_url, label, ops_alerts, shorten, watch_hits
from pipeline.notify.gather import Change, RunHealth

EDITED = Change(
    kind="changed",
    url="https://www.phliitto.fi/kiertotalous/",
    title="Kiertotalous *kärki* [1]",
    source_id="paijat-hame",
    region="Päijät-Häme",
    document=False,
    language="fi",
    added=("Kiertotalous ja resurssiviisaus on kärki.", "Toinen rivi.", "Kolmas.", "Neljäs."),
)
REMOVED = Change(
    "removed",
    "https://www.kymenlaakso.fi/vanha/",
    "Vanha",
    "kymenlaakso",
    "Kymenlaakso",
    False,
    "fi",
    (),
)
PDF = Change(
    "new",
    "https://www.kymenlaakso.fi/s.pdf",
    "Strategia",
    "kymenlaakso",
    "Kymenlaakso",
    True,
    None,
    ("Vetytalous kasvaa.",),
)
CHANGES = [REMOVED, PDF, EDITED]
HEALTHY = RunHealth(7, "completed", "2026-12-01T02:15:00+00:00", 0, ())
WATCH = Watch("resurssiviisaus", "resurssiviisaudesta", frozenset({"changes"}))
VETY = Watch("vety", "vety*", frozenset({"vety"}), regions=frozenset({"Kymenlaakso"}))


def channel(*tags, fmt="markdown", language="fi+en"):
    return Channel("json://127.0.0.1:9/x", frozenset(tags), fmt, language)


def test_the_digest_lists_watch_hits_first_then_changes_by_region():
    hits = watch_hits([WATCH, VETY], CHANGES)
    assert [(h.watch.name, h.change.url) for h in hits] == [
        ("resurssiviisaus", EDITED.url),
        ("vety", PDF.url),
    ]
    [message] = compose(channel("changes"), CHANGES, hits, HEALTHY, "https://r.example.org")
    assert message.kind == "changes" and message.format == "markdown"
    assert message.title == "ris3watch: 3 muutosta 2026-12-01 / 3 changes on 2026-12-01"
    body = message.body
    assert body.index("«resurssiviisaus»") < body.index("## Kymenlaakso") < body.index("## Päijät")
    assert "«vety»" not in body  # that watch goes to channels tagged "vety"
    assert "> Kiertotalous ja resurssiviisaus on kärki." in body
    assert "Neljäs" not in body  # three added lines per change at most
    assert "Kiertotalous \\*kärki\\* \\[1\\]" in body  # scraped text is never markup
    assert "**uusi / new, asiakirja / document** [Strategia]" in body
    assert "https://r.example.org/ris3watch/page_history?url=https%3A%2F%2Fwww.phliitto.fi" in body
    assert "page_history?url=https%3A%2F%2Fwww.kymenlaakso.fi%2Fs.pdf" not in body


@pytest.mark.parametrize(
    ("language", "title"),
    [("fi", "ris3watch: 3 muutosta 2026-12-01"), ("en", "ris3watch: 3 changes on 2026-12-01")],
)
def test_plain_text_in_one_language(language, title):
    [message] = compose(channel("changes", fmt="text", language=language), CHANGES, [], HEALTHY)
    assert message.title == title and message.format == "text"
    kind = {"fi": "[poistunut]", "en": "[removed]"}[language]
    assert f"* {kind} Vanha\n  https://www.kymenlaakso.fi/vanha/" in message.body
    assert "  + Kiertotalous ja resurssiviisaus on kärki." in message.body
    assert "KYMENLAAKSO" in message.body and "**" not in message.body


def test_a_watch_channel_gets_only_its_hits():
    hits = watch_hits([WATCH, VETY], CHANGES)
    [message] = compose(channel("vety"), CHANGES, hits, HEALTHY)
    assert message.kind == "watches" and "«vety»" in message.body
    assert "Vanha" not in message.body and "resurssiviisaus" not in message.body


def test_a_night_without_changes_sends_nothing_and_a_healthy_one_no_alert():
    assert compose(channel("changes", "ops", "vety"), [], [], HEALTHY) == []
    assert [m.kind for m in compose(channel("ops"), CHANGES, [], HEALTHY)] == []


@pytest.mark.parametrize(
    ("health", "expected"),
    [
        (HEALTHY, []),
        (
            RunHealth(8, "failed", "2026-12-02", 0, ("lappi",), {"lappi": {"timeout": 3}}),
            ["Run 8 ended failed.", "Source lappi failed entirely: timeout ×3"],
        ),
        (
            RunHealth(8, "completed", "2026-12-02", 4, ("kuollut",)),
            ["Source kuollut failed entirely: no errors recorded", "4 scheduled URLs were"],
        ),
        # 31 % fewer pages than the previous completed run is an alert, 30 % is not
        (
            RunHealth(9, "completed", "x", 0, (), {}, {"a": 69, "b": 70}, 6, {"a": 100, "b": 100}),
            ["Source a reached 69 pages, previous run 6 100 (−31 %)."],
        ),
        # a dead source is reported as dead, not also as a drop
        (
            RunHealth(9, "completed", "x", 0, ("a",), {}, {"a": 0}, 6, {"a": 100}),
            ["Source a failed entirely: no errors recorded"],
        ),
    ],
)
def test_ops_alerts(health, expected):
    alerts = ops_alerts(health, "en")
    assert len(alerts) == len(expected)
    for alert, start in zip(alerts, expected, strict=True):
        assert alert.startswith(start), alerts


def test_the_ops_message():
    health = RunHealth(8, "completed", "2026-12-02", 0, ("lappi",), {"lappi": {"http_503": 2}})
    [message] = compose(channel("ops", fmt="text"), [], [], health)
    assert message.kind == "ops"
    assert message.title == "ris3watch: ajon 8 ongelmat / problems in run 8"
    assert "Lähde lappi epäonnistui kokonaan: http_503 ×2 / Source lappi failed" in message.body


def test_helpers():
    assert label("new", "fi+en") == "uusi / new" and label("new", "en") == "new"
    assert shorten("sana " * 100).endswith(" …") and len(shorten("sana " * 100)) <= 202
    assert shorten("  lyhyt   rivi ") == "lyhyt rivi"
    assert history_url(None, "u") is None
    assert history_url("https://h.example.org/corpus", "a b") == (
        "https://h.example.org/corpus/page_history?url=a%20b"
    )


def test_scraped_markup_never_reaches_an_html_email():
    from apprise import NotifyFormat
    from apprise.conversion import convert_between

    hostile = Change(
        "new",
        "https://x.example.org/(a)",
        "<img src=x onerror=alert(1)>",
        "s",
        "R",
        False,
        "fi",
        ("<script>alert(1)</script> [l](javascript:alert(1))",),
    )
    [message] = compose(channel("changes"), [hostile], [], HEALTHY)
    html = convert_between(NotifyFormat.MARKDOWN, NotifyFormat.HTML, message.body)
    assert "<img" not in html and "<script" not in html and 'href="javascript' not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
