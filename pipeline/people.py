"""People's names as the store compares them: one canonical (given name, surname) pair,
and the base forms an inflected word of a name may stand for.

Pages write one person as "Tapani Rautio", "Rautio, Tapani", "RAUTIO TAPANI JUHANI" or,
in running Finnish text, "Tapani Raution" and "Rautiolle". Voikko knows Finnish given
names and surnames with their word class (etunimi, sukunimi), which both orders the parts
of a name and reduces an inflected word to its base form. Names Voikko does not know get
the common case endings stripped instead. The pipeline's own Voikko handle is used here
rather than `query.lemmas` because the word class is needed too.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from functools import cache, lru_cache

from extract.names import normalise_name

logger = logging.getLogger(__name__)

NAME_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
GIVEN, SURNAME = "etunimi", "sukunimi"
# Case endings of names Voikko does not know (longest first), for the stem they leave:
# Smithille -> smith(i), Tolmusen -> tolmuse -> tolmunen, Kivelään -> kivelä.
_ENDINGS = sorted(
    ["n", "a", "ä", "an", "än", "en", "in", "on", "un", "yn", "ön", "na", "nä", "ta", "tä"]
    + ["ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi", "hen", "han"]
    + ["hin", "hon", "seen"],
    key=len,
    reverse=True,
)
_MIN_STEM = 3
Analysis = tuple[str, str]  # (base form, word class)


@cache
def _analyser() -> Callable[[str], list[Analysis]]:
    """The C Voikko (Debian libvoikko) when installed, else the pure-Python one."""
    try:
        from libvoikko import Voikko

        voikko = Voikko("fi")
    except Exception as exc:  # noqa: BLE001 - no C library or no dictionary: use pyvoikko
        logger.info("libvoikko unavailable (%s); names through pyvoikko", exc)
        import pyvoikko

        return lambda word: [(a.BASEFORM, a.CLASS or "") for a in pyvoikko.analyse(word)]
    lock = threading.Lock()  # a libvoikko handle is not thread-safe

    def analyse(word: str) -> list[Analysis]:
        with lock:
            analyses = voikko.analyze(word)
        return [(a["BASEFORM"], a.get("CLASS", "")) for a in analyses if a.get("BASEFORM")]

    return analyse


@lru_cache(maxsize=100_000)
def analyses(word: str) -> tuple[Analysis, ...]:
    return tuple(_analyser()(word))


@lru_cache(maxsize=100_000)
def name_forms(word: str) -> frozenset[str]:
    """Every lower-case base form `word` may be a name in: itself, Voikko's base forms,
    and for words Voikko does not know, the stem left by a case ending."""
    lower = word.lower()
    forms = {lower, *(base.lower() for base, _ in analyses(word))}
    if len(forms) == 1:
        for ending in _ENDINGS:
            stem = lower[: -len(ending)]
            if not lower.endswith(ending) or len(stem) < _MIN_STEM:
                continue
            forms.add(stem)
            if stem.endswith("se"):  # Virtasen, Virtaseen -> Virtanen
                forms.add(stem[:-2] + "nen")
            elif stem.endswith("s"):  # Virtasta -> Virtanen
                forms.add(stem[:-1] + "nen")
            elif stem.endswith("i"):  # Smithille -> Smith
                forms.add(stem[:-1])
    return frozenset(forms)


def is_given_name(word: str) -> bool:
    return any(kind == GIVEN for _, kind in analyses(word))


def _is_surname_only(word: str) -> bool:
    kinds = {kind for _, kind in analyses(word)}
    return SURNAME in kinds and GIVEN not in kinds


@lru_cache(maxsize=100_000)
def name_parts(name: str | None) -> tuple[str, str] | None:
    """(given name, surname), lower case, of a name in any writing: 'Tapani Rautio',
    'Rautio, Tapani', 'RAUTIO TAPANI JUHANI', 'Tapani Juhani Rautio'; and 'Rautio Tapani'
    when Voikko knows Rautio as a surname and Tapani as a given name. None for one word."""
    if not name:
        return None
    written = " ".join(name.split())
    canonical = normalise_name(written) or written
    words = NAME_WORD.findall(canonical)
    if len(words) < 2:
        return None
    given, surname = words[0], words[-1]
    if "," not in written and _is_surname_only(given) and is_given_name(surname):
        given, surname = surname, given
    return given.lower(), surname.lower()


def name_key(name: str | None) -> str | None:
    """'Tapani Juhani Rautio' and 'RAUTIO TAPANI' -> 'tapani rautio': who a name is."""
    parts = name_parts(name)
    return f"{parts[0]} {parts[1]}" if parts else None
