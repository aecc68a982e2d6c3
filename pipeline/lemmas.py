"""Base forms for Finnish-aware search: the same function indexes pages and reads queries.

SQLite FTS5 has no Finnish stemmer, and Snowball's is weak on inflected forms
(erikoistumisen → erikoistumis). Voikko (pyvoikko, pure Python) gives base forms
(erikoistumisen → erikoistua, kärjet → kärki, maakuntien → maakunta) and compound parts
(erikoistumisstrategia → erikoistua + strategia). Swedish and English use Snowball stems.
Analyses are cached per process: a crawl's vocabulary is small next to its word count.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import snowballstemmer

_WORD = re.compile(r"\w+", re.UNICODE)
_MIN_PART = 4  # compound parts shorter than this ("maa", "eko") match too much on their own
_STEMMERS = {"sv": "swedish", "en": "english"}


@cache
def _voikko():
    """Voikko's transducer loads in ~2 s: once per process, and only when needed."""
    import pyvoikko

    return pyvoikko


@cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(_STEMMERS[language])


@lru_cache(maxsize=200_000)
def finnish_terms(word: str) -> tuple[str, ...]:
    """Base forms and compound parts of one lower-case word, or the word itself."""
    terms: list[str] = []
    for analysis in _voikko().analyse(word):
        terms.append(analysis.BASEFORM.lower())
        parts = [p.BASEFORM.lower() for p in analysis.COMPOUND_PARTS or []]
        for start in range(len(parts)):
            for end in range(start + 1, len(parts) + 1):
                if (start, end) != (0, len(parts)):
                    joined = "".join(parts[start:end])
                    if len(joined) >= _MIN_PART:
                        terms.append(joined)
    return tuple(dict.fromkeys(terms)) or (word,)


def word_terms(word: str, language: str | None) -> tuple[str, ...]:
    """Index terms of one word in a page of `language`."""
    word = word.lower()
    if word.isdigit() or len(word) < 2:
        return (word,)
    if language in _STEMMERS:
        return (_stemmer(language).stemWord(word),)
    return finnish_terms(word)


def index_terms(text: str, language: str | None) -> str:
    """The lemma stream stored next to the text (word order kept, for phrase search)."""
    return " ".join(term for word in _WORD.findall(text) for term in word_terms(word, language))


def query_terms(word: str) -> tuple[str, ...]:
    """Everything a query word may be indexed as, whatever the page's language."""
    word = word.lower()
    terms = [*finnish_terms(word), *(_stemmer(lang).stemWord(word) for lang in _STEMMERS)]
    return tuple(dict.fromkeys(t for t in terms if t != word))
