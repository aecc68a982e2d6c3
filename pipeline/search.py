"""Turning what an analyst types into a safe SQLite FTS5 query.

Every word becomes a quoted FTS5 string, so punctuation and FTS syntax characters cannot
cause a syntax error; "quoted phrases" stay phrases, a trailing * keeps prefix search, and
an upper-case OR between words is kept. An unbalanced quote is read as if closed.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD_CHARS = re.compile(r"[^\w*-]+", re.UNICODE)


def fts_query(q: str | None) -> str:
    """'strategia kiertotalou* "älykäs erikoistuminen"' -> '"strategia" "kiertotalou"* "…"'.

    Returns '""' (matches nothing) for an empty or all-punctuation query.
    """
    parts: list[str] = []
    for phrase, word in _TOKEN.findall(q or ""):
        if phrase:
            words = [w for w in _WORD_CHARS.sub(" ", phrase).replace("*", " ").split() if w]
            if words:
                parts.append('"' + " ".join(words) + '"')
            continue
        if word == "OR" and parts and parts[-1] != "OR":
            parts.append("OR")
            continue
        prefix = word.endswith("*")
        cleaned = _WORD_CHARS.sub(" ", word).replace("*", " ").strip()
        for piece in cleaned.split():
            parts.append(f'"{piece}"')
        if prefix and cleaned:
            parts[-1] += "*"
    while parts and parts[-1] == "OR":
        parts.pop()
    return " ".join(parts) or '""'
