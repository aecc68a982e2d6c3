"""Change detection as pure functions: normalise, fingerprint, diff.

The fingerprint ignores what changes on every request without anyone editing the page:
whitespace, hit counters, "päivitetty/updated" stamps, clock times, and a source's own
`ignore` patterns. The rules are listed in README.md ("What counts as a change").
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable

from extract.vocabulary import HIT_COUNTER_WORDS, SPACES, UPDATED_CUES, alternation

_NOISE = [
    # Joomla/WordPress hit counters: "Osumia: 1234", "Hits: 55", "Luettu 12 kertaa".
    re.compile(rf"\b(?:{alternation(HIT_COUNTER_WORDS)})\s*:?\s*\d[\d\s]*(?:kertaa)?", re.I),
    # Updated/published stamps with their date and time.
    re.compile(
        rf"\b(?:{alternation(UPDATED_CUES)})"
        r"\s*:?\s*[\w.,: ]{0,40}?\d{1,4}(?:[.:/-]\d{1,4}){1,2}"
        r"(?:\s*(?:klo|klockan|at)?\s*\d{1,2}[.:]\d\d)?",
        re.I,
    ),
    # Bare clock times ("14.02.17", "klo 10:46").
    re.compile(r"\b(?:klo|klockan|kl\.?)\s*\d{1,2}[.:]\d\d(?:[.:]\d\d)?", re.I),
    # Session and CSRF tokens and cache-busting query strings printed in the text.
    re.compile(r"(?<![\w/])[0-9a-f]{24,}(?![\w])", re.I),
    re.compile(r"(?<=\S)[?&](?:v|ver|_|t|ts|sid|session|token|csrf\w*|phpsessid|cb)=[\w.-]+", re.I),
]
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise_text(text: str, ignore: Iterable[str] = (), crawl_date: str | None = None) -> str:
    """The text that counts for change detection.

    `crawl_date` (ISO) removes the day of the crawl itself wherever the page prints it
    ("tänään 23.11.2026"), which would otherwise make the page differ every night.
    """
    if crawl_date:
        text = _crawl_date_pattern(crawl_date).sub(" ", text)
    for pattern in _NOISE:
        text = pattern.sub(" ", text)
    for pattern in ignore:
        text = re.sub(pattern, " ", text)
    return "\n".join(SPACES.sub(" ", line).strip() for line in text.splitlines() if line.strip())


def fingerprint(text: str, ignore: Iterable[str] = (), crawl_date: str | None = None) -> str:
    """SHA-256 of the normalised text: equal fingerprints mean no real change."""
    normalised = normalise_text(text, ignore, crawl_date)
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _crawl_date_pattern(iso: str) -> re.Pattern[str]:
    year, month, day = (int(part) for part in iso.split("-"))
    return re.compile(rf"(?<!\d)(?:0?{day}\.0?{month}\.{year}|{year}-{month:02d}-{day:02d})(?!\d)")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_diff(old: str, new: str, url: str = "") -> str:
    """A readable unified diff of two texts, line by line."""
    lines = difflib.unified_diff(
        old.splitlines(),
        new.splitlines(),
        fromfile=f"{url} (before)",
        tofile=f"{url} (now)",
        lineterm="",
        n=2,
    )
    return "\n".join(lines)


def word_changes(old: str, new: str) -> tuple[int, int]:
    """(words added, words removed) between two texts."""
    matcher = difflib.SequenceMatcher(a=_WORD.findall(old), b=_WORD.findall(new), autojunk=False)
    added = removed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return added, removed
