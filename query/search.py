"""What an analyst types, turned into a safe, lemma-aware SQLite FTS5 query.

Every word matches its surface form in any column or one of its base forms in the lemma
columns ("strategiassa" finds "strategia", "kärjet" finds "kärkiä"; never its compound
parts: "kiertotalous" does not find a page about "talous" only), and a word no lemmatiser
knows matches its stem in the guess column, which ranks lower. "Quoted phrases" stay phrases
on the text, and match every analysis of each word near each other on the lemma stream;
`word*` is a prefix search, and OR between words is kept. Input FTS5 would reject
(unbalanced quotes, parentheses, column filters, operators with nothing to join) is refused
by `check_query` with a message for the user.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice, product

from .lemmas import finnish_terms, query_terms

LEMMA_COLUMNS = "{title_lemmas lemmas}"
# Base forms and guesses match in the guess column too: a colloquial form's guesses are
# its standard spelling's base forms (tullu -> tulla), ranked below real ones.
BASE_COLUMNS = "{title_lemmas lemmas guess_lemmas}"
_PHRASE_FORMS = 16  # analyses combined per phrase; a word's terms span at most a few tokens
_PHRASE_SLACK = 6  # index-only terms (parts, verbs) a word may put between two base forms
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_WORD_CHARS = re.compile(r"[^\w*-]+", re.UNICODE)
_FORBIDDEN = re.compile(r"[(){}\[\]^:;+\\]")
_OPERATORS = ("AND", "OR", "NOT")


def check_query(q: str | None) -> str | None:
    """A message saying what is wrong with a search, or None when it can be run."""
    q = (q or "").strip()
    if not q:
        return None
    if q.count('"') % 2:
        return (
            'Lainausmerkki puuttuu: sulje fraasi "…" / Unbalanced quote: close the phrase '
            'with a second "'
        )
    outside = re.sub(r'"[^"]*"', " ", q)
    if match := _FORBIDDEN.search(outside):
        return (
            f'Merkkiä {match.group(0)!r} ei voi käyttää haussa; käytä sanoja, "fraaseja" '
            f"tai sana* / The character {match.group(0)!r} cannot be used in a search; use "
            'words, "phrases" or word*'
        )
    words = outside.split()
    if words and (words[0] in _OPERATORS or words[-1] in _OPERATORS):
        return (
            "AND/OR/NOT tarvitsee sanan molemmille puolille / AND, OR and NOT need a word "
            "on both sides"
        )
    if re.search(r"\*(?=\w)|(?<!\w)\*", outside):
        return "Tähti vain sanan lopussa: strateg* / The * goes at the end of a word: strateg*"
    return None


def fts_query(q: str | None) -> str:
    """The FTS5 MATCH expression for `q`; '""' (matches nothing) for an empty query."""
    parts: list[str] = []
    for phrase, word in _TOKEN.findall(q or ""):
        if phrase:
            parts.append(_phrase(phrase))
        elif word in ("OR", "NOT", "AND") and parts and parts[-1] not in _OPERATORS:
            parts.append(word)
        else:
            parts.extend(_word(piece, word.endswith("*")) for piece in _pieces(word))
    while parts and parts[-1] in _OPERATORS:
        parts.pop()
    return _join([p for p in parts if p]) or '""'


def _join(parts: list[str]) -> str:
    """FTS5 joins bare phrases implicitly, but a parenthesised group needs an explicit AND."""
    out: list[str] = []
    for part in parts:
        if out and part not in _OPERATORS and out[-1] not in _OPERATORS:
            out.append("AND")
        out.append(part)
    return " ".join(out)


def _pieces(word: str) -> list[str]:
    return _WORD_CHARS.sub(" ", word).replace("*", " ").split()


def _word(word: str, prefix: bool) -> str:
    if prefix:
        return f'"{word}"*'
    bases, guesses = query_terms(word)
    alternatives = [f'"{word}"']
    alternatives += [f'{BASE_COLUMNS} : "{t}"' for t in (*bases, *guesses)]
    return _any(alternatives)


def _quoted(terms: tuple[str, ...]) -> str:
    return " ".join(f'"{t}"' for t in terms)


def _any(alternatives: list[str]) -> str:
    return alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"


def _phrase(phrase: str) -> str:
    words = [w.lower() for w in _WORD_CHARS.sub(" ", phrase).replace("*", " ").split() if w]
    if not words:
        return ""
    surface = '"' + " ".join(words) + '"'
    if len(words) == 1:
        return _word(words[0], prefix=False)
    # Each word as itself or any of its base forms, near each other in the lemma stream
    # (FTS5 has no alternatives inside a phrase, and a word may emit several terms).
    forms = [(w, *query_terms(w)[0]) for w in words]
    combinations = list(islice(product(*forms), _PHRASE_FORMS))
    if combinations == [tuple(words)]:
        return surface
    slack = _PHRASE_SLACK * (len(words) - 1)
    near = [f"{LEMMA_COLUMNS} : NEAR({_quoted(c)}, {slack})" for c in combinations]
    return _any([surface, *near])


_SNIPPET_CHARS_BEFORE, _SNIPPET_CHARS_AFTER, _SNIPPET_SCAN = 90, 180, 20_000


def snippet(text: str | None, q: str | None) -> str:
    """A window of `text` around the first hit of `q`, hits marked «like this».

    FTS5's snippet() marks only surface matches; this marks inflected forms too
    ("erikoistuminen" marks «erikoistumisen»). One compiled pattern per query finds the
    words that share a stem-like prefix with a query term; only those are analysed.
    """
    text = (text or "")[:_SNIPPET_SCAN]
    if not text:
        return ""
    candidates, exact, prefixes = _query_pattern(q or "")
    first = next(
        (m for m in candidates.finditer(text) if _is_hit(m.group(0).lower(), exact, prefixes)), None
    )
    centre = first.start() if first else 0
    start = max(0, centre - _SNIPPET_CHARS_BEFORE)
    end = min(len(text), centre + _SNIPPET_CHARS_AFTER)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    stop = text.find(" ", end)
    end = len(text) if stop == -1 else stop
    marked, position = [], start
    for match in candidates.finditer(text, start, end):
        if _is_hit(match.group(0).lower(), exact, prefixes):
            marked.append(text[position : match.start()])
            marked.append(f"«{match.group(0)}»")
            position = match.end()
    marked.append(text[position:end])
    body = re.sub(r"\s+", " ", "".join(marked)).strip()
    return ("… " if start else "") + body + (" …" if end < len(text) else "")


@lru_cache(maxsize=256)
def _query_pattern(q: str) -> tuple[re.Pattern[str], frozenset[str], tuple[str, ...]]:
    exact: set[str] = set()
    prefixes: list[str] = []
    for phrase, word in _TOKEN.findall(q):
        for piece in _pieces(phrase) if phrase else _pieces(word):
            piece = piece.lower()
            if word.endswith("*") and not phrase:
                prefixes.append(piece)
            elif piece not in ("or", "and", "not"):
                bases, guesses = query_terms(piece)
                exact.update({piece, *bases, *guesses})
    keys = {term[: max(3, len(term) - 3)] for term in exact} | set(prefixes)
    alternatives = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True)) or "(?!)"
    pattern = re.compile(rf"\b(?:{alternatives})\w*", re.I | re.UNICODE)
    return pattern, frozenset(exact), tuple(prefixes)


def _is_hit(word: str, exact: frozenset[str], prefixes: tuple[str, ...]) -> bool:
    if word in exact or any(word.startswith(p) for p in prefixes):
        return True
    terms = finnish_terms(word)
    return bool(exact.intersection((*terms.bases, *terms.extra, *terms.guesses)))
