"""`ris3watch sources check`: is the registry still right about the real sites?

Every start URL of the chosen sources is fetched once by `SourcesCheckSpider` with the
crawl's own settings and middlewares (`crawling/check.py` runs it); this module judges each
answer (200 in scope or not, a stale hint) and renders the report. No Scrapy here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime

from crawler.items import StartUrlCheck

# "2014–2020", "2018-2021", "2021 – 2027": a strategy or programme period.
# Not part of a longer number or a dotted date ("1.1.2018-31.12.2021" is no strategy period).
_YEAR_RANGE = re.compile(r"(?<!\d)(?<!\d\.)((?:19|20)\d\d)\s?[-–—]\s?((?:19|20)\d\d)(?!\d|\.\d)")
_LONGEST_PERIOD = 20  # years; a longer "range" is two unrelated years
# A page its server says has not changed for this long is worth a look.
STALE_LAST_MODIFIED_DAYS = 730


@dataclass(frozen=True)
class Verdict:
    """One start URL as the report shows it."""

    check: StartUrlCheck
    stale: str | None

    @property
    def ok(self) -> bool:
        """It answers 200, in scope (after redirects within scope, if any)."""
        return self.check.status == 200 and self.check.in_scope and self.check.error is None

    def as_dict(self) -> dict:
        """The `--format json` row: the answer, the verdict and the stale hint."""
        c = self.check
        return {
            "source_id": c.source_id,
            "url": c.url,
            "ok": self.ok,
            "status": c.status,
            "error": c.error,
            "redirects": [{"status": status, "to": to} for status, to in c.redirects],
            "final_url": c.final_url,
            "in_scope": c.in_scope,
            "robots": c.robots,
            "last_modified": c.last_modified,
            "stale": self.stale,
        }


def judge(checks: list[StartUrlCheck], today: date) -> list[Verdict]:
    """Each answer with its stale hint, in the order given."""
    return [Verdict(check, stale_hint(check, today)) for check in checks]


def unanswered(source_id: str, url: str) -> StartUrlCheck:
    """A start URL the check never heard back from (the run was interrupted)."""
    return StartUrlCheck(source_id, url, None, url, [], True, "not_requested", "not_checked")


def stale_hint(check: StartUrlCheck, today: date) -> str | None:
    """Why a page that answers may still be out of date: the latest year range it names
    has ended ("2018–2021" in 2026), or its server says it has not changed for years."""
    hints = []
    period = latest_period(_visible_text(check))
    if period and period[1] < today.year:
        hints.append(f"latest period named is {period[0]}–{period[1]}")
    if check.last_modified:
        try:
            modified = parsedate_to_datetime(check.last_modified).date()
        except (TypeError, ValueError):
            modified = None
        if modified and (today - modified).days > STALE_LAST_MODIFIED_DAYS:
            hints.append(f"Last-Modified {modified.isoformat()}")
    return "; ".join(hints) or None


def latest_period(text: str) -> tuple[int, int] | None:
    """The year range with the latest end that a text names, or None."""
    periods = [
        (int(a), int(b))
        for a, b in _YEAR_RANGE.findall(text)
        if 0 < int(b) - int(a) <= _LONGEST_PERIOD
    ]
    return max(periods, key=lambda p: (p[1], p[0])) if periods else None


def _visible_text(check: StartUrlCheck) -> str:
    if check.status != 200 or "html" not in check.content_type.lower() or not check.body:
        return ""
    from extract import ExtractError
    from extract.html import decode_html, parse_html

    try:
        tree = parse_html(decode_html(check.body, check.content_type))
    except ExtractError:
        return ""
    for element in tree.xpath("//script | //style | //noscript"):
        element.drop_tree()
    return tree.text_content()


def exit_code(verdicts: list[Verdict]) -> int:
    """0 when every start URL answers 200 in scope, 1 otherwise."""
    return 0 if all(v.ok for v in verdicts) else 1


def render(verdicts: list[Verdict], fmt: str) -> str:
    """The report: one line per start URL and a summary line, or the same as JSON."""
    if fmt == "json":
        return json.dumps(
            {"summary": summary(verdicts), "start_urls": [v.as_dict() for v in verdicts]},
            ensure_ascii=False,
            indent=2,
        )
    width = max((len(v.check.source_id) for v in verdicts), default=0)
    lines = [_line(v, width) for v in verdicts]
    return "\n".join([*lines, summary_line(summary(verdicts))])


def _line(verdict: Verdict, width: int) -> str:
    c = verdict.check
    path = [c.url]
    for status, to in c.redirects:
        path.append(f"→{status} {to}")
    if c.redirects:
        path.append("(in scope)" if c.in_scope else "(out of scope: not fetched)")
    outcome = c.error or str(c.status)
    parts = [
        "ok  " if verdict.ok else "FAIL",
        f"{c.source_id:<{width}}",
        outcome,
        " ".join(path),
        f"robots={c.robots}",
    ]
    if verdict.stale:
        parts.append(f"stale? {verdict.stale}")
    return "  ".join(parts)


def summary(verdicts: list[Verdict]) -> dict:
    """Counts for the last line: start URLs, sources, ok, failed by reason, stale."""
    failed: dict[str, int] = {}
    for v in verdicts:
        if not v.ok:
            reason = (v.check.error or f"http_{v.check.status}").split(":")[0]
            failed[reason] = failed.get(reason, 0) + 1
    return {
        "sources": len({v.check.source_id for v in verdicts}),
        "start_urls": len(verdicts),
        "ok": sum(v.ok for v in verdicts),
        "redirected_in_scope": sum(v.ok and bool(v.check.redirects) for v in verdicts),
        "failed": sum(not v.ok for v in verdicts),
        "failed_by_reason": dict(sorted(failed.items())),
        "stale": sum(bool(v.stale) for v in verdicts),
    }


def summary_line(s: dict) -> str:
    """`summary` as the one sentence that ends the text report."""
    reasons = ", ".join(f"{k} ×{n}" for k, n in s["failed_by_reason"].items())
    return (
        f"{_count(s['start_urls'], 'start URL')} of {_count(s['sources'], 'source')}:"
        f" {s['ok']} answer 200 in scope ({s['redirected_in_scope']} after a redirect),"
        f" {s['failed']} do not"
        + (f" ({reasons})" if reasons else "")
        + f"; {s['stale']} may be stale"
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
