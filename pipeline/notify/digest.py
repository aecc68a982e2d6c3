"""Composing messages, as pure functions: a run's changes and health in, titles and bodies
out, in Finnish, English or both, as Markdown or plain text (Apprise converts Markdown to
each service's own format: HTML for email, mrkdwn for Slack, cards for Teams).

Following what changedetection.io's users ask for: one message per run and channel, only
the added lines (shortened), a link to the page's history, and watch hits first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from urllib.parse import quote, urlsplit

from .config import Channel, Watch
from .gather import Change, RunHealth
from .watch import matching_lines

LINES_PER_CHANGE = 3  # added lines quoted per change
LINE_CHARS = 200  # each quoted line at most
MAX_CHANGES = 60  # changes listed in one digest; the rest are counted
APP = "ris3watch: "
REACH_DROP = 0.30  # a source reaching > 30 % fewer pages than last time is an ops alert

LABELS: dict[str, tuple[str, str]] = {
    "digest_title": ("{n} muutosta {date}", "{n} changes on {date}"),
    "watch_title": (
        "vahdit osuivat {n} muutokseen {date}",
        "watches matched {n} changes on {date}",
    ),
    "ops_title": ("ajon {run} ongelmat", "problems in run {run}"),
    "watches": ("Vahdit", "Watches"),
    "watch": ("Vahti", "Watch"),
    "new": ("uusi", "new"),
    "changed": ("muuttunut", "changed"),
    "removed": ("poistunut", "removed"),
    "restored": ("palannut", "restored"),
    "document": ("asiakirja", "document"),
    "history": ("historia", "history"),
    "no_region": ("muu", "other"),
    "more": ("… ja {n} muuta muutosta", "… and {n} more changes"),
    "run_status": ("Ajo {run} päättyi tilaan {status}.", "Run {run} ended {status}."),
    "dead": (
        "Lähde {source} epäonnistui kokonaan: {errors}",
        "Source {source} failed entirely: {errors}",
    ),
    "no_errors": ("ei virheitä kirjattu", "no errors recorded"),
    "lost": (
        "{n} ajoitettua URL-osoitetta katosi kirjanpidosta.",
        "{n} scheduled URLs were lost track of.",
    ),
    "reach": (
        "Lähde {source} tavoitti {now} sivua, edellinen ajo {run} {before} (−{pct} %).",
        "Source {source} reached {now} pages, previous run {run} {before} (−{pct} %).",
    ),
}


@dataclass(frozen=True)
class Message:
    kind: str  # "changes", "watches" or "ops": one of each per run and channel at most
    title: str
    body: str
    format: str  # "markdown" or "text" (Apprise's body_format)


@dataclass(frozen=True)
class Hit:
    watch: Watch
    change: Change
    lines: tuple[str, ...]


def label(key: str, language: str, **values: object) -> str:
    """A label in Finnish, English, or both ("fi+en": "uusi / new")."""
    fi, en = (text.format(**values) for text in LABELS[key])
    return {"fi": fi, "en": en}.get(language, fi if fi == en else f"{fi} / {en}")


def watch_hits(watches: Iterable[Watch], changes: Sequence[Change]) -> list[Hit]:
    """Each watch's matches among the run's added lines, watch by watch, in change order."""
    hits = []
    for watch in watches:
        for change in changes:
            if not change.added or not watch.covers(change.source_id, change.region):
                continue
            lines = matching_lines(
                list(change.added), watch.query, change.language, limit=LINES_PER_CHANGE
            )
            if lines:
                hits.append(Hit(watch, change, tuple(lines)))
    return hits


def ops_alerts(health: RunHealth, language: str) -> list[str]:
    """What the people running the crawl must hear of: a run that did not complete, a
    source that failed entirely (with its errors), lost URLs, a source reaching far fewer
    pages than in the previous completed run."""
    alerts = []
    if health.status != "completed":
        alerts.append(label("run_status", language, run=health.run_id, status=health.status))
    for source in health.dead_sources:
        errors = health.errors_by_source.get(source, {})
        listed = ", ".join(f"{error} ×{n}" for error, n in list(errors.items())[:5])
        alerts.append(
            label("dead", language, source=source, errors=listed or label("no_errors", language))
        )
    if health.lost:
        alerts.append(label("lost", language, n=health.lost))
    for source, before in sorted(health.previous_reached.items()):
        now = health.reached.get(source, 0)
        if source in health.dead_sources or not before or now >= before * (1 - REACH_DROP):
            continue
        pct = round(100 * (before - now) / before)
        alerts.append(
            label(
                "reach",
                language,
                source=source,
                now=now,
                before=before,
                run=health.previous_run_id,
                pct=pct,
            )
        )
    return alerts


def compose(
    channel: Channel,
    changes: Sequence[Change],
    hits: Sequence[Hit],
    health: RunHealth,
    datasette_url: str | None = None,
) -> list[Message]:
    """The messages one channel gets for one run: the digest (channels tagged `changes`),
    or only its watches' hits (channels tagged with a watch's tags), and ops alerts
    (channels tagged `ops`). A run without changes sends no digest."""
    lang, fmt = channel.language, channel.format
    date = (health.started_at or "")[:10]
    mine = [hit for hit in hits if hit.watch.tags & channel.tags]
    messages = []
    if "changes" in channel.tags and changes:
        title = APP + label("digest_title", lang, n=len(changes), date=date)
        body = "\n\n".join(
            part
            for part in (
                _hits_section(mine, lang, fmt, datasette_url),
                _changes_section(changes, lang, fmt, datasette_url),
            )
            if part
        )
        messages.append(Message("changes", title, body, fmt))
    elif mine:
        title = APP + label("watch_title", lang, n=len({h.change.url for h in mine}), date=date)
        messages.append(
            Message("watches", title, _hits_section(mine, lang, fmt, datasette_url), fmt)
        )
    if "ops" in channel.tags and (alerts := ops_alerts(health, lang)):
        title = APP + label("ops_title", lang, run=health.run_id)
        bullet = "- " if fmt == "markdown" else "* "
        messages.append(Message("ops", title, "\n".join(bullet + _md(a, fmt) for a in alerts), fmt))
    return messages


def _hits_section(hits: Sequence[Hit], lang: str, fmt: str, datasette_url: str | None) -> str:
    if not hits:
        return ""
    out = [_heading(label("watches", lang), fmt)]
    for watch, group in groupby(hits, key=lambda hit: hit.watch):
        out.append(_strong(f"{label('watch', lang)} «{watch.name}» ({watch.query})", fmt))
        for hit in group:
            out.append(_item(hit.change, lang, fmt, datasette_url))
            out.extend(_quote(line, fmt, ">") for line in hit.lines[:LINES_PER_CHANGE])
    return "\n".join(out)


def _changes_section(
    changes: Sequence[Change], lang: str, fmt: str, datasette_url: str | None
) -> str:
    out: list[str] = []
    shown = changes[:MAX_CHANGES]
    for region, group in groupby(shown, key=lambda change: change.region):
        out.append(_heading(region or label("no_region", lang), fmt))
        for change in group:
            out.append(_item(change, lang, fmt, datasette_url))
            out.extend(_quote(line, fmt, "+") for line in change.added[:LINES_PER_CHANGE])
    if len(changes) > MAX_CHANGES:
        out.append(label("more", lang, n=len(changes) - MAX_CHANGES))
    return "\n".join(out)


def _item(change: Change, lang: str, fmt: str, datasette_url: str | None) -> str:
    kind = label(change.kind, lang) + (f", {label('document', lang)}" if change.document else "")
    title = change.title or change.url
    history = history_url(datasette_url, change.url) if not change.document else None
    if fmt == "markdown":
        line = f"- **{kind}** [{_md(title, fmt)}]({_md_url(change.url)})"
        if history:
            line += f" · [{label('history', lang)}]({_md_url(history)})"
        return line
    line = f"* [{kind}] {title}\n  {change.url}"
    return line + (f"\n  {label('history', lang)}: {history}" if history else "")


def history_url(datasette_url: str | None, url: str) -> str | None:
    """The page's `page_history` in Datasette; `datasette_url` is the instance (the
    database `ris3watch` is assumed) or a database's own URL."""
    if not datasette_url:
        return None
    base = (
        datasette_url if urlsplit(datasette_url).path.strip("/") else datasette_url + "/ris3watch"
    )
    return f"{base}/page_history?url={quote(url, safe='')}"


def shorten(line: str, limit: int = LINE_CHARS) -> str:
    """A line cut at a word boundary with an ellipsis."""
    line = re.sub(r"\s+", " ", line).strip()
    if len(line) <= limit:
        return line
    cut = line.rfind(" ", 0, limit)
    return line[: cut if cut > limit // 2 else limit] + " …"


def _quote(line: str, fmt: str, mark: str) -> str:
    text = shorten(line)
    return f"  > {_md(text, fmt)}" if fmt == "markdown" else f"  {mark} {text}"


def _heading(text: str, fmt: str) -> str:
    return f"\n## {_md(text, fmt)}" if fmt == "markdown" else f"\n{text.upper()}"


def _strong(text: str, fmt: str) -> str:
    return f"**{_md(text, fmt)}**" if fmt == "markdown" else text


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md(text: str, fmt: str) -> str:
    """Scraped text is never markup: Markdown's special characters are escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text) if fmt == "markdown" else text


def _md_url(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
