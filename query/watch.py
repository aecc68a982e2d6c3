"""Does a search match a line? The search box's syntax and lemma analysis, line by line.

A watch fires on the lines a change *added*, not on the whole page, so the pages' FTS index
cannot answer it. This evaluates a query over one line as FTS5 evaluates `fts_query(q)` over
a page: a word matches its surface form or one of its base forms in the line's index terms
(`index_terms`, as the store writes them), `word*` any term with that prefix, a "phrase"
consecutive words or consecutive base forms; NOT binds tighter than AND (or juxtaposition),
AND tighter than OR.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .lemmas import finnish_terms, index_terms, query_terms
from .search import _OPERATORS, _TOKEN, _pieces

MAX_LINES = 400  # a new page's added text is all of it; watches read its first lines
_FTS_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)  # what FTS5's unicode61 keeps as a token


@dataclass(frozen=True)
class _Line:
    surface: tuple[str, ...]
    lemmas: tuple[str, ...]


Term = tuple[str, tuple[str, ...]]  # ("word" | "prefix" | "phrase", the lower-case words)


def parse(q: str) -> list[list[list[Term]]]:
    """OR-groups of AND-items, each item a term and the terms NOT-ed from it."""
    groups: list[list[list[Term]]] = [[]]
    pending: str | None = None
    for phrase, word in _TOKEN.findall(q or ""):
        if not phrase and word in _OPERATORS:
            pending = word if groups[-1] else None
            continue
        if phrase:
            words = tuple(w.lower() for w in _pieces(phrase))
            terms: list[Term] = [("phrase", words)] if words else []
        else:
            kind = "prefix" if word.endswith("*") else "word"
            terms = [(kind, (piece.lower(),)) for piece in _pieces(word)]
        if not terms:
            continue
        if pending == "OR":
            groups.append([])
        if pending == "NOT" and groups[-1]:
            groups[-1][-1].extend(terms[:1])
            terms = terms[1:]
        groups[-1].extend([term] for term in terms)
        pending = None
    return [group for group in groups if group]


def matches(q: str, line: str, language: str | None = None) -> bool:
    """True when a search for `q` would find `line`."""
    return _evaluate(parse(q), _analyse(line, language))


def matching_lines(lines: Sequence[str], q: str, language: str | None = None) -> list[str]:
    """The lines (in order) that `q` matches, each analysed as a page of `language`."""
    query = parse(q)
    if not query:
        return []
    return [
        line
        for line in lines[:MAX_LINES]
        if line.strip() and _evaluate(query, _analyse(line, language))
    ]


def added_lines(
    kind: str | None,
    diff: str | None,
    text: str | None = None,
    normalise: Callable[[str], str] = lambda line: " ".join(line.split()),
) -> list[str]:
    """What a change added: the `+` lines of its diff, less those that `normalise` empties
    (noise) or turns into a removed line (re-wrapped); for a new page (no diff) its text."""
    if not diff:
        lines = (text or "").splitlines() if kind == "new" else []
        return [line.strip() for line in lines if line.strip()][:MAX_LINES]
    removed: set[str] = set()
    candidates: list[str] = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---")):
            continue
        if line.startswith("-"):
            removed.add(normalise(line[1:]))
        elif line.startswith("+"):
            candidates.append(line[1:])
    return [
        line.strip() for line in candidates if (normal := normalise(line)) and normal not in removed
    ]


def watch_lines(kind: str | None, diff: str | None, text: str | None, q: str | None) -> str | None:
    """The added lines `q` matches, one per line, or None: the Datasette plugin's
    `ris3_watch_lines` SQL function, for the `watch` canned query."""
    hits = matching_lines(added_lines(kind, diff, text), q or "")
    return "\n".join(hits) if hits else None


def _analyse(line: str, language: str | None) -> _Line:
    return _Line(_tokens(line), _tokens(index_terms(line, language)))


def _evaluate(query: list[list[list[Term]]], line: _Line) -> bool:
    return any(
        all(_term(item[0], line) and not any(_term(t, line) for t in item[1:]) for item in group)
        for group in query
    )


def _term(term: Term, line: _Line) -> bool:
    """One FTS5 phrase: `"co2-päästöt"` is two consecutive tokens, as FTS5 reads it."""
    kind, words = term
    if kind == "prefix":
        tokens = _tokens(words[0])
        return _found(tokens, line.surface, True) or _found(tokens, line.lemmas, True)
    if kind == "word":
        tokens = _tokens(words[0])
        return (
            _found(tokens, line.surface)
            or _found(tokens, line.lemmas)
            or any(_found(_tokens(t), line.lemmas) for t in query_terms(words[0]))
        )
    surface = tuple(token for w in words for token in _tokens(w))
    lemmas = tuple(token for w in words for token in _tokens(finnish_terms(w)[0]))
    return (
        _found(surface, line.surface) or _found(surface, line.lemmas) or _found(lemmas, line.lemmas)
    )


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_FTS_TOKEN.findall(text.lower()))


def _found(tokens: tuple[str, ...], stream: tuple[str, ...], prefix: bool = False) -> bool:
    """`tokens` consecutive in `stream` (the last one a prefix with `prefix`)."""
    n = len(tokens)
    if not n:
        return False
    for i in range(len(stream) - n + 1):
        if stream[i : i + n - 1] == tokens[:-1] and (
            stream[i + n - 1].startswith(tokens[-1]) if prefix else stream[i + n - 1] == tokens[-1]
        ):
            return True
    return False
