"""Voikko's analyses from the pure-Python transducer, as libvoikko gives them.

`pyvoikko` runs the same Finnish transducer (voikko-fi's `mor.vfst`) as the C library, but
returns more than libvoikko does, and less:

- `pyvoikko.analyse()` drops the compound parts that have no word-class tag and then keeps
  the first part's FST output only, so an inflected ordinal (kymmenennen:
  "[Lu][Bc][Xp]kymmenes[X]…") or a written-out number (viisikymmentä) loses its numeral;
  this reads the transducer's own output instead;
- libvoikko rejects the transducer's compounds that break Finnish spelling, and so must
  this: two parts that meet at the same vowel (katu+ukki, parta+ansa, euro+opas) or after a
  digit are written with a hyphen (katu-ukki), a part marked as needing one ([Icu]) gets
  it at its next boundary, and a compound may not start with a proper name and end in a
  common noun unless that noun allows it ([Ica]: Helsingin katu, not a Helsinki+kirja).

Only the FST strings are produced: the index reads nothing else.
"""

from __future__ import annotations

import re

import pyvoikko
from kfst import TokenizationException

_TOKEN = re.compile(r"\[([^\]]*)\]|([^\[]+)")
_SAME_VOWEL = frozenset("aeiouyäö")
_MAX_WORD = 255  # libvoikko analyses no longer word


def analyse(word: str) -> list[str]:
    """The FST output strings of `word` (lower case) that libvoikko would return."""
    if len(word) > _MAX_WORD:
        return []
    try:
        found = [out for out, _ in pyvoikko.VOIKKO_FST.lookup(word)]
    except TokenizationException:  # a character the dictionary has no symbol for
        return []
    return [out for out in dict.fromkeys(found) if well_formed(out)]


def well_formed(fstoutput: str) -> bool:
    """Whether a compound in this analysis is spelt as Finnish spells compounds."""
    before = ""  # the last two letters of the surface seen so far
    at_boundary = hyphen = False
    hyphen_free = hyphen_free_once = False  # a hyphen is allowed here whatever the letters
    hyphen_owed = hyphen_missing = False  # [Icu]: the next boundary needs a hyphen
    name_first = noun_last = False
    in_base = False  # [Xp]…[X]: base forms and derivation bases, not the surface
    tokens = _TOKEN.findall(fstoutput)
    for at, (tag, text) in enumerate(tokens):
        if tag:
            if in_base:
                in_base = tag != "X"
            elif tag.startswith("X") and tag != "X":
                in_base = True
            elif tag == "Bh":
                if hyphen_missing:
                    return False
                at_boundary, hyphen, hyphen_missing = True, False, hyphen_owed
            elif tag.startswith("Isf"):
                hyphen_free = hyphen_free_once = True
            elif tag.startswith("Icu"):
                at_boundary, hyphen_free, hyphen_owed = False, True, True
            elif tag.startswith("Ica"):
                hyphen_missing = noun_last = False
            elif tag.startswith("Le"):
                name_first, noun_last = True, False
            elif tag.startswith("Ln"):
                noun_last = True
            elif tag.startswith("Dg"):
                name_first = False
            continue
        if in_base:
            continue
        for i, char in enumerate(text):
            if char == "-":
                name_first = noun_last = False
                if i == len(text) - 1 and at + 1 < len(tokens) and tokens[at + 1][0] == "Bh":
                    at_boundary = hyphen = True
                    tokens[at + 1] = ("", "")  # this boundary is the hyphen's
                continue
            if at_boundary:
                if not before or before[-2:] == "is":  # pohjois-, a part after nothing
                    hyphen_free = True
                if hyphen_owed and hyphen:
                    hyphen_owed = False
                if not (hyphen_free and hyphen):
                    last = before[-1:]
                    needed = (last == char and last in _SAME_VOWEL) or last.isdigit()
                    if needed != hyphen:
                        return False
                at_boundary = False
                hyphen_free, hyphen_free_once = hyphen_free_once and hyphen_free, False
            before = before[-1:] + char
    return not hyphen_missing and not (name_first and noun_last)
