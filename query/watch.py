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
from functools import cached_property, lru_cache

from .lemmas import _WORD, finnish_terms, query_terms, word_terms
from .search import _OPERATORS, _TOKEN, _pieces

MAX_LINES = 400  # a new page's added text is all of it; watches read its first lines
QUOTED = 3  # matching lines a hit quotes
_FTS_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)  # what FTS5's unicode61 keeps as a token


class _Line:
    """A line's FTS5 tokens: its words, and its index terms as the store writes them."""

    __slots__ = ("surface", "lemmas", "surface_set", "lemma_set")

    def __init__(self, surface: tuple[str, ...], lemmas: tuple[str, ...]) -> None:
        self.surface, self.lemmas = surface, lemmas
        self.surface_set, self.lemma_set = frozenset(surface), frozenset(lemmas)


@dataclass(frozen=True)
class Term:
    """One FTS5 phrase of the query, with every form it may take: (column, tokens) pairs
    ("text" or "lemmas"), any of which found in the line is a hit."""

    forms: tuple[tuple[str, tuple[str, ...]], ...]
    prefix: bool = False

    @cached_property
    def local(self) -> bool:
        """Decided by each word alone: no prefix, every form one token."""
        return not self.prefix and all(len(tokens) == 1 for _, tokens in self.forms)

    @cached_property
    def single(self) -> tuple[frozenset[str], frozenset[str]]:
        """The one-token forms as sets, (text, lemmas): most terms are only these."""
        one = [(column, tokens[0]) for column, tokens in self.forms if len(tokens) == 1]
        return (
            frozenset(t for column, t in one if column == "text"),
            frozenset(t for column, t in one if column == "lemmas"),
        )


def parse(q: str) -> list[list[list[Term]]]:
    """OR-groups of AND-items, each item a term and the terms NOT-ed from it."""
    groups: list[list[list[Term]]] = [[]]
    pending: str | None = None
    for phrase, word in _TOKEN.findall(q or ""):
        if not phrase and word in _OPERATORS:
            pending = word if groups[-1] else None
            continue
        if phrase:
            terms = [_phrase(phrase)] if _pieces(phrase) else []
        else:
            terms = [_word(piece.lower(), word.endswith("*")) for piece in _pieces(word)]
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


def _word(word: str, prefix: bool) -> Term:
    """As `fts_query` writes it: the word in any column, or (not a prefix) one of its
    analyses in the lemma columns; `"co2-päästöt"` is two consecutive tokens."""
    tokens = _tokens(word)
    forms = [("text", tokens), ("lemmas", tokens)]
    if not prefix:
        bases, guesses = query_terms(word)
        forms += [("lemmas", _tokens(term)) for term in (*bases, *guesses)]
    return Term(tuple(forms), prefix)


def _phrase(phrase: str) -> Term:
    words = [w.lower() for w in _pieces(phrase)]
    surface = tuple(token for w in words for token in _tokens(w))
    lemmas = tuple(token for w in words for token in _tokens((finnish_terms(w).bases or (w,))[0]))
    return Term((("text", surface), ("lemmas", surface), ("lemmas", lemmas)))


def matching_lines(
    lines: Sequence[str], q: str, language: str | None = None, limit: int | None = None
) -> list[str]:
    """The lines (in order) that `q` matches, each analysed as a page of `language`; with
    `limit`, the first `limit` of them (the rest of the text is not analysed)."""
    query = _parsed(q)
    # A one-token word (most terms) is decided word by word, once per distinct word and
    # query: the `watch` query calls this for every candidate change with the same `q`.
    memo = _memo(q, language)
    hits: list[str] = []
    for line in lines[:MAX_LINES] if query else ():
        if not line.strip():
            continue
        if _evaluate(query, _line_predicate(line, language, memo)):
            hits.append(line)
            if len(hits) == limit:
                break
    return hits


def _line_predicate(line: str, language: str | None, memo: dict) -> Callable[[Term], bool]:
    """Whether a term is in `line`: word by word for one-token terms, else on the line's
    analysis (computed once, when a term needs it)."""
    words = _WORD.findall(line)
    analysed: list[_Line] = []

    def found(term: Term) -> bool:
        if term.local:
            return any(_word_hit(term, word, language, memo) for word in words)
        if not analysed:
            analysed.append(_analyse(line, language))
        return _term(term, analysed[0])

    return found


@lru_cache(maxsize=256)
def _parsed(q: str) -> list[list[list[Term]]]:
    return parse(q)


@lru_cache(maxsize=64)
def _memo(q: str, language: str | None) -> dict[tuple[int, str], bool]:
    return {}


def _word_hit(term: Term, word: str, language: str | None, memo: dict) -> bool:
    key = (id(term), word)
    hit = memo.get(key)
    if hit is None:
        surface, lemmas = _word_tokens(word, language)
        text, lemma_forms = term.single
        hit = memo[key] = not text.isdisjoint(surface) or not lemma_forms.isdisjoint(lemmas)
    return hit


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
    """The first `QUOTED` added lines `q` matches, one per line, or None: the Datasette
    plugin's `ris3_watch_lines` SQL function, for the `watch` canned query."""
    hits = matching_lines(added_lines(kind, diff, text), q or "", limit=QUOTED)
    return "\n".join(hits) if hits else None


@lru_cache(maxsize=8192)  # the digest runs every watch over the same lines
def _analyse(line: str, language: str | None) -> _Line:
    """The line's tokens and index-term tokens, word by word: what `index_terms` writes,
    without re-analysing the words a corpus repeats."""
    surface: list[str] = []
    lemmas: list[str] = []
    for word in _WORD.findall(line):
        word_surface, word_lemmas = _word_tokens(word, language)
        surface += word_surface
        lemmas += word_lemmas
    return _Line(tuple(surface), tuple(lemmas))


@lru_cache(maxsize=65536)
def _word_tokens(word: str, language: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    terms = word_terms(word.lower(), language)
    indexed = (*(terms.bases or (word,)), *terms.extra, *terms.guesses)
    return _tokens(word), _tokens(" ".join(indexed))


def _evaluate(query: list[list[list[Term]]], found: Callable[[Term], bool]) -> bool:
    return any(
        all(found(item[0]) and not any(found(t) for t in item[1:]) for item in group)
        for group in query
    )


def _term(term: Term, line: _Line) -> bool:
    if not term.prefix:
        text, lemmas = term.single
        if not text.isdisjoint(line.surface_set) or not lemmas.isdisjoint(line.lemma_set):
            return True
    return any(
        _found(tokens, line.surface, line.surface_set, term.prefix)
        if column == "text"
        else _found(tokens, line.lemmas, line.lemma_set, term.prefix)
        for column, tokens in term.forms
        if term.prefix or len(tokens) > 1
    )


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_FTS_TOKEN.findall(text.lower()))


def _found(
    tokens: tuple[str, ...], stream: tuple[str, ...], present: frozenset[str], prefix: bool
) -> bool:
    """`tokens` consecutive in `stream` (the last one a prefix with `prefix`)."""
    if not tokens or not present.issuperset(tokens[:-1]):
        return False
    last = tokens[-1]
    if len(tokens) == 1:
        return any(t.startswith(last) for t in present) if prefix else last in present
    if not prefix and last not in present:
        return False
    n = len(tokens)
    return any(
        stream[i : i + n - 1] == tokens[:-1]
        and (stream[i + n - 1].startswith(last) if prefix else stream[i + n - 1] == last)
        for i in range(len(stream) - n + 1)
    )
