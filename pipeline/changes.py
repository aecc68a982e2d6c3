"""Change detection as pure functions: normalise, fingerprint, diff.

The fingerprint ignores what changes on every request without anyone editing the page:
whitespace, hit counters, "päivitetty/updated" stamps, clock times, and a source's own
`ignore` patterns. Stamps and counters are recognised by their shape, not by a list of
whole lines: a short line with a stamp or counter word keeps its words and loses its
numbers, month and weekday names, so two fetches whose only difference is the number in
such a line fingerprint alike. The rules are listed in README.md ("What counts as a
change").
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable

from extract.vocabulary import (
    CLOCK,
    CLOCK_CUES,
    COUNTER_LINE,
    FI_MONTHS,
    HIT_COUNTER_WORDS,
    OTHER_MONTHS,
    SPACES,
    STAMP_CUES,
    WEEKDAYS,
    alternation,
)

# A date in any of the forms pages print: 3.2.2021, 3.2.21, 2021-02-03, 3/2/2021,
# 3. helmikuuta 2021, 3 Feb 2021, February 3, 2021.
_DATE = (
    r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}\.?\s*(?:" + FI_MONTHS + "|" + OTHER_MONTHS + r")\b"
    r"\.?(?:\s*\d{2,4})?|(?:" + OTHER_MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?(?:\s*\d{4})?"
)
_STAMP_CUE = re.compile(rf"(?<!\w)(?:{alternation(STAMP_CUES)})(?!\w)", re.I)
_STAMP_LABEL = re.compile(rf"^(?:{alternation(STAMP_CUES)})(?:\s+viimeksi)?\s*:?$", re.I)
_COUNTER_WORD = re.compile(rf"(?<!\w)(?:{alternation(HIT_COUNTER_WORDS)})(?!\w)", re.I)
# Times that carry seconds ("14.05.33", "14:05:33") are machine stamps wherever they are.
_SECONDS = re.compile(r"(?<![\d.:])(?:[01]?\d|2[0-3])[.:][0-5]\d[.:][0-5]\d(?![\d.:])")
_DIGITS = re.compile(r"\d+")
# What a stamp or counter line may vary in between fetches: numbers, months, weekdays,
# the half of the day.
_VARIABLE = re.compile(
    rf"\d+|(?<!\w)(?:(?:{FI_MONTHS}|{WEEKDAYS})\w*|(?:{OTHER_MONTHS}|[ap]\.?m\.?)(?!\w))", re.I
)
_LABELLED_WORDS = 4  # "3.2.2021 klo 14.05" under "Päivitetty:"; "Näyttökerrat 5 | Jaa"
_STAMP_LINE_WORDS = 14  # "Sivu päivitetty viimeksi maanantaina 3. helmikuuta 2021 klo 14.05"
_CLOCK = rf"(?:(?:{alternation(CLOCK_CUES)})\s*)?(?:{CLOCK})"

# Noise inside a line; each holds a digit, so lines without one are not searched (most
# lines of a page: that keeps the fingerprint at the cost of the old word lists).
_NOISE_WITH_DIGITS = [
    # Counters inside a longer line: "Julkaistu 3.2.2021 | Osumia: 1234 | Tulosta".
    re.compile(
        rf"(?<!\w)(?:{alternation(HIT_COUNTER_WORDS)})\s*:?\s*\d[\d\s.,]*"
        r"(?:kertaa|gånger|times)?",
        re.I,
    ),
    # Updated stamps inside a longer line, with their date and time in any form.
    re.compile(
        rf"(?<!\w)(?:{alternation(STAMP_CUES)})\s*:?\s*[^\d\n]{{0,40}}?(?:{_DATE})"
        rf"(?:,?\s*{_CLOCK})?",
        re.I,
    ),
    # Clock times: after "klo"/"kl."/"klockan"/"at" in any form; with a colon or seconds,
    # or in 12-hour form, anywhere ("14:05", "14.05.33", "2:05 pm").
    re.compile(rf"(?<!\w)(?:{alternation(CLOCK_CUES)})\s*(?:{CLOCK})", re.I),
    re.compile(
        r"(?<![\w:.])(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s*[ap]\.?\s?m\b\.?)?(?![\d:])"
        r"|(?<![\w:.])(?:1[0-2]|0?[1-9])(?::[0-5]\d)?\s*[ap]\.?\s?m\b\.?",
        re.I,
    ),
    _SECONDS,
    # Session and CSRF tokens printed in the text.
    re.compile(r"(?<![\w/])[0-9a-f]{24,}(?![\w])", re.I),
]
# Cache-busting query strings printed in the text.
_QUERY_NOISE = re.compile(
    r"(?<=\S)[?&](?:v|ver|_|t|ts|sid|session|token|csrf\w*|phpsessid|cb)=[\w.-]+", re.I
)
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise_text(text: str, ignore: Iterable[str] = (), crawl_date: str | None = None) -> str:
    """The text that counts for change detection.

    `crawl_date` (ISO) removes the day of the crawl itself wherever the page prints it
    ("tänään 23.11.2026"), which would otherwise make the page differ every night.
    """
    if crawl_date:
        text = _crawl_date_pattern(crawl_date).sub(" ", text)
    lines = []
    label = False  # the previous line is a stamp's label alone ("Päivitetty:")
    for line in text.splitlines():
        if _DIGITS.search(line):
            line = mask_volatile(line, after_label=label)
            for pattern in _NOISE_WITH_DIGITS:
                line = pattern.sub(" ", line)
            label = False
        elif line.strip():
            label = bool(_STAMP_LABEL.match(line.strip()))
        lines.append(line)
    text = _QUERY_NOISE.sub(" ", "\n".join(lines))
    for pattern in ignore:
        text = re.sub(pattern, " ", text)
    return "\n".join(SPACES.sub(" ", line).strip() for line in text.splitlines() if line.strip())


def mask_volatile(line: str, after_label: bool = False) -> str:
    """A stamp or counter line with its numbers, months and weekdays masked ("#").

    Stamp-like: a short line with a stamp word ("Muokattu", "Last updated", "Sivu luotu"),
    a counter word ("Katselukertoja", "Lukukertoja", "views"), a time with seconds, or
    (`after_label`) a short line under a stamp's label alone. Any other line comes back as
    it is: "Budjetti 340 000 euroa" is content.
    """
    if not _DIGITS.search(line) or len(line.split()) > _STAMP_LINE_WORDS:
        return line
    stripped = line.strip()
    if (
        (after_label and len(stripped.split()) <= _LABELLED_WORDS)
        or _STAMP_CUE.search(stripped)
        or COUNTER_LINE.match(stripped)
        or (_COUNTER_WORD.search(stripped) and len(stripped.split()) <= _LABELLED_WORDS)
        or _SECONDS.search(stripped)
    ):
        return _VARIABLE.sub("#", line)
    return line


def fingerprint(text: str, ignore: Iterable[str] = (), crawl_date: str | None = None) -> str:
    """SHA-256 of the normalised text: equal fingerprints mean no real change."""
    normalised = normalise_text(text, ignore, crawl_date)
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def page_fingerprint(
    title: str | None, text: str, ignore: Iterable[str] = (), fetched_at: str | None = None
) -> str:
    """A page's `content_hash`: its title and text together, fetched at `fetched_at` (an ISO
    timestamp: its day is the crawl date that does not count). One definition, so that a page
    stored, rewritten by its template and compared with its last version hashes alike."""
    return fingerprint(f"{title or ''}\n{text}", ignore, (fetched_at or "")[:10] or None)


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
