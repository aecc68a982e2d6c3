"""Base forms for Finnish-aware search: the same analysis indexes pages and reads queries.

SQLite FTS5 has no Finnish stemmer, and Snowball's is weak on inflected forms
(erikoistumisen → erikoistumis). Voikko gives base forms (kärjet → kärki, maakuntien →
maakunta) and the structure of a word, which this module reads from Voikko's FST output
(the same string from both backends, so a database indexed with one is queried with the
other without losing matches):

- compound parts split at `[Bc]` and at `=` inside a lexicalised base (hyvin=vointi), each
  part as its base form (ilmasto+riskit → riski), runs of parts too (maakunta in
  maakuntaohjelma), derivational suffixes never (työllisyys has no part "llisyys");
- a participle's verb (kehittänyt, kehitetty → kehittää), as treebanks lemmatise it;
- a -minen noun as itself (olemisen → oleminen, not olla, which would match every page).

A query word matches its surface form or its base forms; parts and verbs are index-only,
so a query for a compound does not return pages that hold only its last part, while a
query for a part finds the compound. A word Voikko does not know gets a Snowball stem as a
guess, kept in a column of its own that ranks below real base forms. Swedish uses
simplemma's bundled lemmas (Snowball guesses for unknown words), English Snowball stems.

Backends: the C library from Debian (libvoikko1 and voikko-fi, through the `libvoikko`
bindings; ~30 µs a new word) when it is installed, else the pure-Python `pyvoikko` (~1.5 ms
a new word). Analyses are cached per process: a crawl's vocabulary is small next to its
word count.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

import simplemma
import snowballstemmer

logger = logging.getLogger(__name__)
_WORD = re.compile(r"\w+", re.UNICODE)
_FST_TOKEN = re.compile(r"\[([^\]]*)\]|([^\[]+)")
_MIN_PART = 2  # every part is a dictionary word (työ, maa); single letters are not
_VOWELS = frozenset("aeiouyäö")
_LONG_VOWEL = re.compile(r".*(ee|ii|oo|uu|yy|öö)")  # the last one: spoken for eä, oa, iä …
_COMPARISON = {"Cc": "mpi", "Cs": "in"}  # paras -> "hyväin": no word, the same in every form
_SNOWBALL = {"fi": "finnish", "sv": "swedish", "en": "english"}
_preferred: dict[str, str | None] = {"backend": None}


class Terms(NamedTuple):
    """What one word is indexed and queried as."""

    bases: tuple[str, ...]  # base forms: a query word matches these
    extra: tuple[str, ...]  # compound parts and participles' verbs: indexed, never queried
    guesses: tuple[str, ...] = ()  # for a word the lemmatiser does not know


class PageTerms(NamedTuple):
    """The indexed lemma columns of a page or document (pipeline/schema.py)."""

    title_lemmas: str
    lemmas: str
    guess_lemmas: str


@dataclass
class _Segment:
    """One compound part of a Voikko FST analysis (the text between `[Bc]` tags)."""

    surface: str = ""
    base_prefix: str = ""  # surface before the last lexeme or derivation base
    base: str = ""  # that base ([Xp]…[X] or [Xj]…[X])
    minen_at: int | None = None  # surface length at a -minen infinitive tag ([Tn4])
    instructive: bool = False  # [Sin]: kuin, silloin are also plural instructives
    possessive: bool = False  # [O…]: tilanne is also tila + -nne
    potential: bool = False  # [Tm]: nainen is also naida's potential mood
    negation: str | None = None  # the negation verb inside ettei, jollei, etteivät: ei
    comparison: str | None = None  # [Cc] or [Cs]: a comparative or superlative
    verb: str | None = None  # a participle's verb: [Lt]…[Ll] or [Lt]…[R…] (kehittänyt)

    @property
    def base_form(self) -> str:
        if self.minen_at is not None:
            return self.surface[: self.minen_at] + "minen"
        if self.comparison and not self.surface.startswith(self.base[:2]):
            # parempi, paras are words of their own, not hyvä (regular ones are: suurempi)
            return self.base + _COMPARISON[self.comparison]
        return (self.base_prefix + self.base) if self.base else self.surface

    @property
    def pieces(self) -> list[str]:
        """The parts of a lexicalised compound base: hyvin=vointi -> hyvin, vointi."""
        return self.base.split("=") if "=" in self.base else []


def _parse(fstoutput: str) -> list[_Segment]:
    """Voikko's FST output, "[Ln][Xp]ilmasto[X]ilmasto[Sn][Ny][Bh][Bc][Lnl][Xp]riski[X]…",
    as compound segments."""
    segments = [_Segment()]
    in_verb, in_base, in_skip, made_from = False, False, False, ""
    in_negation = False
    derived_after = 0  # derivations after a participle's verb was found
    for tag, text in _FST_TOKEN.findall(fstoutput):
        seg = segments[-1]
        if text:
            if in_skip:
                continue
            if in_base:
                seg.base += text
            else:
                seg.surface += text
        elif tag == "Bc":
            segments.append(_Segment())
            in_verb, made_from = False, ""
        elif tag in ("Xp", "Xj"):
            derived_after += 1
            if seg.verb and derived_after > 1:  # tyytyväinen, tyytymättömyys: not the verb
                seg.verb = None
            in_base = True
            seg.base_prefix, seg.base = seg.surface, ""
        elif tag in ("Xr", "Xs"):
            in_skip = True
        elif tag == "X":
            if in_negation and in_base:
                seg.negation, in_negation = seg.base, False
            in_base = in_skip = False
        elif tag.startswith("L"):
            if in_verb and tag != "Lt":  # a word made from a verb: which verb, exactly
                made_from = seg.base_prefix + seg.base
                if tag == "Ll":  # an adjective made from a verb is a participle (jäävä)
                    seg.verb, derived_after = made_from, 0
            in_verb, in_negation = tag == "Lt", tag == "Lk"
        elif tag == "Tn4":
            seg.minen_at = len(seg.surface)
        elif tag in _COMPARISON:
            seg.comparison = tag
        elif tag == "Sin":
            seg.instructive = True
        elif tag == "Tm":
            seg.potential = True
        elif tag == "Ssti":  # an adverb (tietysti) is not its participle's verb
            seg.verb = None
        elif tag.startswith("O"):
            seg.possessive = True
        elif tag.startswith("R") and made_from:  # participle tags follow its class
            seg.verb, derived_after = made_from, 0
    return segments


def _analysis_terms(segments: list[_Segment]) -> tuple[str, list[str]]:
    """(the word's base form, its index-only terms) from one analysis."""
    surfaces = [seg.surface for seg in segments]
    bases = [seg.base_form for seg in segments]
    whole = "".join(surfaces[:-1]) + bases[-1]
    extra: list[str] = []
    for start in range(len(segments)):
        for end in range(start + 1, len(segments) + 1):
            if (start, end) != (0, len(segments)):
                extra.append("".join(surfaces[start : end - 1]) + bases[end - 1])
    for seg in segments:
        extra.extend(seg.pieces)
        if seg.verb:
            extra.append(seg.verb)
        if seg.negation:
            extra.append(seg.negation)
    clean = [part.replace("=", "").lower() for part in extra]
    return whole.replace("=", "").lower(), [p for p in clean if len(p) >= _MIN_PART]


def _part_count(segments: list[_Segment]) -> int:
    """Compound parts, whether split by [Bc] (valo+kuva) or lexicalised (valo=kuvata)."""
    return sum(max(1, len(seg.pieces)) for seg in segments)


def use_backend(name: str | None) -> None:
    """Force 'libvoikko' or 'pyvoikko' (tests and benchmarks compare them); None: fastest."""
    _preferred["backend"] = name
    for cached in (_analyser, finnish_terms, _indexed, query_terms):
        cached.cache_clear()


@cache
def _analyser() -> Callable[[str], list[str]]:
    """Voikko's FST analyses of a word, from the fastest backend available, loaded once."""
    if _preferred["backend"] != "pyvoikko":
        try:
            from libvoikko import Voikko

            voikko = Voikko("fi")
        except Exception as exc:  # noqa: BLE001 - no C library or no dictionary: pyvoikko
            if _preferred["backend"] == "libvoikko":
                raise
            logger.info("libvoikko unavailable (%s); using pyvoikko", exc)
        else:
            lock = threading.Lock()  # a libvoikko handle is not thread-safe (Datasette)

            def analyse(word: str) -> list[str]:
                with lock:
                    analyses = voikko.analyze(word)
                # Analyses without FST output are libvoikko's capitalised copies of others.
                return [a["FSTOUTPUT"] for a in analyses if "FSTOUTPUT" in a]

            analyse.backend = "libvoikko"  # type: ignore[attr-defined]
            return analyse
    from . import voikko_pure

    def analyse_pure(word: str) -> list[str]:
        return voikko_pure.analyse(word)

    analyse_pure.backend = "pyvoikko"  # type: ignore[attr-defined]
    return analyse_pure


def backend() -> str:
    """'libvoikko' or 'pyvoikko' (for diagnostics and benchmarks)."""
    return _analyser().backend  # type: ignore[attr-defined]


@cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(_SNOWBALL[language])


@lru_cache(maxsize=200_000)
def finnish_terms(word: str) -> Terms:
    """Base forms, compound parts and participles' verbs of one lower-case Finnish word."""
    analyses = _analyses(word)
    if not analyses:
        return Terms((), (), _guesses(word))
    # A plural instructive (kuin as kuu, silloin as silta), a possessive suffix (tilanne
    # as tila + -nne) or the potential mood (nainen as naida, tilanne as tilata) is rare
    # next to any other reading.
    common = [a for a in analyses if not (a[-1].instructive or a[-1].possessive or a[-1].potential)]
    analyses = common or analyses
    # A participle that is also a word of its own (elämä, tehtävä, tietysti) is that word:
    # its verb would match every page about elää, tehdä, tietää.
    lexical = {_analysis_terms(a)[0] for a in analyses if not a[-1].verb}
    bases: list[str] = []
    extra: list[str] = []
    for segments in analyses:
        if segments[-1].verb and _analysis_terms(segments)[0] in lexical:
            segments[-1].verb = None
        base, more = _analysis_terms(segments)
        bases.append(base)
        extra.extend(more)
    bases = list(dict.fromkeys(bases))
    return Terms(tuple(bases), tuple(t for t in dict.fromkeys(extra) if t not in bases))


def _analyses(word: str) -> list[list[_Segment]]:
    """Voikko's analyses of a word with the fewest compound parts: a word that is also a
    split is the word (esimerkki is not esi+merkki, hakemassa not hake+massa, jatkossakin
    not jatkos+sakki). This comes before any other choice among the readings: partaansa's
    possessive readings (parta + -nsa) are rare, a split parta+ansa would be rarer."""
    analyses = [_parse(fst) for fst in sorted(_analyser()(word))]
    fewest = min(map(_part_count, analyses), default=0)
    return [a for a in analyses if _part_count(a) == fewest]


def _guesses(word: str) -> tuple[str, ...]:
    """Base forms for a word Voikko does not know: those of its standard spelling when it is
    a colloquial one (tullu, ehtiny, annetaa, kauheeta), else its Snowball stem, which
    inflected forms share (teltsukylässä and teltsukylä: "teltsukyl")."""
    for spelling in _standard_spellings(word):
        if analyses := _analyses(spelling):
            terms = [
                t for a in analyses for base, extra in [_analysis_terms(a)] for t in (base, *extra)
            ]
            return tuple(dict.fromkeys(terms))
    return (_stemmer("fi").stemWord(word),)


def _standard_spellings(word: str) -> list[str]:
    """Spoken Finnish says a long vowel for a vowel + a/ä (kauheeta, maitoo, meininkii),
    drops a final t or n (tullu(t), annetaa(n)) or i (olis(i))."""
    spellings = []
    long_vowel = _LONG_VOWEL.match(word)
    if long_vowel and long_vowel.start(1) > 0:  # kauheeta -> kauheata, maitoo -> maitoa
        at = long_vowel.start(1)
        spellings += [word[: at + 1] + vowel + word[at + 2 :] for vowel in "äa"]
    if word[-1] in _VOWELS:
        spellings += [word + "t", word + "n"]
    elif word[-1] == "s" and word[-2:-1] in _VOWELS:
        spellings.append(word + "i")
    return spellings


@lru_cache(maxsize=100_000)
def _other_terms(word: str, language: str) -> Terms:
    if language == "sv":
        if simplemma.is_known(word, lang="sv"):
            return Terms((simplemma.lemmatize(word, lang="sv").lower(),), ())
        return Terms((), (), (_stemmer("sv").stemWord(word),))
    return Terms((_stemmer(language).stemWord(word),), ())


def word_terms(word: str, language: str | None) -> Terms:
    """Index terms of one lower-case word in a page of `language` (Finnish unless sv/en)."""
    if word.isdigit() or len(word) < 2:
        return Terms((word,), ())
    if language in ("sv", "en"):
        return _other_terms(word, language)
    return finnish_terms(word)


def index_terms(text: str, language: str | None) -> str:
    """The lemma stream stored next to the text: per word its base forms (the word itself
    when it has none) and index-only terms, in word order (for phrase search)."""
    return " ".join(_columns(text, language)[0])


def page_terms(title: str | None, text: str | None, language: str | None) -> PageTerms:
    """The three indexed columns of a page or document, from its title and text; the
    guesses (`guess_lemmas`) are those of the words no lemmatiser knows, title and text."""
    title_stream, title_guesses = _columns(title or "", language)
    stream, guesses = _columns(text or "", language)
    return PageTerms(" ".join(title_stream), " ".join(stream), " ".join(title_guesses + guesses))


def _columns(text: str, language: str | None) -> tuple[list[str], list[str]]:
    stream: list[str] = []
    guesses: list[str] = []
    for word in _WORD.findall(text.lower()):
        word_stream, word_guesses = _indexed(word, language)
        stream.extend(word_stream)
        guesses.extend(word_guesses)
    return stream, guesses


@lru_cache(maxsize=200_000)
def _indexed(word: str, language: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A word's part of the lemma stream and of the guesses (the crawl's hot path)."""
    terms = word_terms(word, language)
    return (*(terms.bases or (word,)), *terms.extra), terms.guesses


@lru_cache(maxsize=4096)
def query_terms(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(base forms, guesses) a query word may be indexed as, whatever the page's language:
    never its compound parts."""
    word = word.lower()
    found = [finnish_terms(word), _other_terms(word, "sv")]
    bases = dict.fromkeys(b for terms in found for b in terms.bases if b != word)
    # A guess only for a word no lemmatiser knows: "totta" is Finnish, not a Swedish stem,
    # and so is "vanha", whose only base form is itself (not the Swedish stem "vanh").
    known = any(terms.bases for terms in found)
    guesses = () if known else dict.fromkeys(g for t in found for g in t.guesses)
    english = _other_terms(word, "en").bases[0]
    if english != word:
        bases[english] = None
    return tuple(bases), tuple(g for g in guesses if g != word)
