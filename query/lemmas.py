"""Base forms for Finnish-aware search: the same function indexes pages and reads queries.

SQLite FTS5 has no Finnish stemmer, and Snowball's is weak on inflected forms
(erikoistumisen → erikoistumis). Voikko gives base forms (erikoistumisen → erikoistua,
kärjet → kärki, maakuntien → maakunta) and compound parts (erikoistumisstrategia →
… + strategia). Swedish and English use Snowball stems.

Two Voikko backends give the same base forms: the C library from Debian (libvoikko1 and
voikko-fi, through the `libvoikko` bindings; ~60 µs a word) when it is installed, else the
pure-Python `pyvoikko` (~3 ms a word, no system packages). Analyses are cached per process:
a crawl's vocabulary is small next to its word count.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from functools import cache, lru_cache

import snowballstemmer

logger = logging.getLogger(__name__)
_WORD = re.compile(r"\w+", re.UNICODE)
# libvoikko's WORDBASES: "+kier(kiertää)+to(+to)+talous(talous)" or
# "+erikoist(erikoistaa)umis(+ua)+strategia(strategia)": "+" starts a part; a segment
# without it, or with a "(+…)" base, is a derivational suffix of the part before.
_WORDBASE_SEGMENT = re.compile(r"(\+?)([^+()]+)(?:\(([^)]*)\))?")
_MIN_PART = 4  # compound parts shorter than this ("maa", "eko") match too much on their own
_STEMMERS = {"sv": "swedish", "en": "english"}
Analysis = tuple[str, list[str]]  # (base form, base forms of the compound's parts)


_PREFERRED: list[str | None] = [None]


def use_backend(name: str | None) -> None:
    """Force 'libvoikko' or 'pyvoikko' (benchmarks and tests compare them); None: fastest."""
    _PREFERRED[0] = name
    _analyser.cache_clear()
    finnish_terms.cache_clear()


@cache
def _analyser() -> Callable[[str], list[Analysis]]:
    """The fastest Voikko available, loaded once per process and only when needed."""
    try:
        if _PREFERRED[0] == "pyvoikko":
            raise RuntimeError("pyvoikko asked for")
        from libvoikko import Voikko

        voikko = Voikko("fi")
    except Exception as exc:  # noqa: BLE001 - no C library or no dictionary: use pyvoikko
        logger.info("libvoikko unavailable (%s); using pyvoikko", exc)
        import pyvoikko

        return lambda word: [
            (a.BASEFORM, [p.BASEFORM for p in a.COMPOUND_PARTS or []])
            for a in pyvoikko.analyse(word)
        ]
    lock = threading.Lock()  # a libvoikko handle is not thread-safe (Datasette's SQL threads)

    def analyse(word: str) -> list[Analysis]:
        with lock:
            analyses = voikko.analyze(word)
        return [
            (a["BASEFORM"], _compound_parts(a.get("WORDBASES", "")))
            for a in analyses
            if a.get("BASEFORM")
        ]

    return analyse


def _compound_parts(wordbases: str) -> list[str]:
    """The parts of a compound as written, derivations joined to their stem:
    "+kier(kiertää)+to(+to)+talous(talous)" -> ["kierto", "talous"]."""
    parts: list[str] = []
    for plus, surface, base in _WORDBASE_SEGMENT.findall(wordbases):
        if parts and (not plus or base.startswith("+")):
            parts[-1] += surface
        else:
            parts.append(surface)
    return parts if len(parts) > 1 else []


def backend() -> str:
    """'libvoikko' or 'pyvoikko' (for diagnostics and benchmarks)."""
    return "pyvoikko" if _analyser().__name__ == "<lambda>" else "libvoikko"


@cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(_STEMMERS[language])


@lru_cache(maxsize=200_000)
def finnish_terms(word: str) -> tuple[str, ...]:
    """Base forms and compound parts of one lower-case word, or the word itself."""
    terms: list[str] = []
    for base, compound_parts in _analyser()(word):
        terms.append(base.lower())
        parts = [part.lower() for part in compound_parts]
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
