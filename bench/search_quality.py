"""Search quality against Universal Dependencies treebanks: does a query find every form of
a word, and only that word? `python -m bench.search_quality --ud DIR [--backend ...]`.

Each sentence of UD_Finnish-FTB and UD_Swedish-Talbanken (`*.conllu` in DIR, dev and test)
is indexed as a page the way `ris3watch crawl` indexes pages (the same index terms, an
in-memory FTS5 table with the columns and tokenizer of `pages_fts`, the same MATCH
expression), next to plain FTS5 (surface words only) and a Snowball stemmer. The treebank's
lemmas say which sentences hold which word. Tests, each a list of (query, targets):

- inflection: each content lemma (NOUN, VERB, ADJ, PROPN) with at least two forms is queried
  in its most common form (participles excluded: a user types a verb as a verb); the targets
  are the sentences holding the lemma in another form only (plain FTS5 cannot find them).
- compound part (Finnish): the last part of each compound lemma (Voikko's `[Bc]` boundaries:
  FTB has no `#` marks) as a base form; the targets are the sentences holding the compound.
- whole compound (Finnish): the compound in its most common form (or its base form when it
  occurs in one form only); the targets hold it in another form only.

Recall is the share of targets returned; precision the share of returned sentences that
hold the word asked for: its lemma, or a lemma it begins or ends (a compound holding it),
or another lemma the query's form has in the treebank (tee is also tehdä's imperative, maata
maa's partitive: such a query asks for both). "strict" counts the queried lemma only. All
are micro-averaged over all queries. Query latency is the time from the query string to
the fetched row ids, per query (p50, p95). Lemma time is page_terms per running word, cold
(empty caches, as a crawl starts) and warm.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import snowballstemmer

from pipeline.schema import FTS
from query import lemmas
from query.search import fts_query

CONTENT = {"NOUN", "VERB", "ADJ", "PROPN"}
TREEBANKS = {"fi": "fi_ftb-ud-*.conllu", "sv": "sv_talbanken-ud-*.conllu"}
_QUERYABLE = re.compile(r"^[^\W\d_]{2,}$")
_SNOWBALL = {"fi": "finnish", "sv": "swedish"}


@dataclass
class Sentence:
    text: str
    tokens: list[tuple[str, str, str, str]]  # (form, lemma, upos, feats), lower-cased

    @property
    def lemmas(self) -> set[str]:
        return {lemma for _, lemma, _, _ in self.tokens}


def read_conllu(paths: Iterable[Path]) -> list[Sentence]:
    """Sentences with their `# text` and word lines (multi-word token lines skipped)."""
    sentences: list[Sentence] = []
    for path in paths:
        text, tokens = "", []
        for line in path.read_text(encoding="utf-8").splitlines() + [""]:
            if line.startswith("# text = "):
                text = line[9:]
            elif not line.strip():
                if text and tokens:
                    sentences.append(Sentence(text, tokens))
                text, tokens = "", []
            elif not line.startswith("#"):
                cols = line.split("\t")
                if len(cols) >= 6 and cols[0].isdigit():
                    tokens.append((cols[1].lower(), cols[2].lower(), cols[3], cols[5]))
    return sentences


def holds(sentence_lemmas: set[str], word: str) -> bool:
    """The sentence holds `word`: as a lemma, or as the first or last part of one."""
    return word in sentence_lemmas or any(
        len(lemma) >= len(word) + 3 and (lemma.startswith(word) or lemma.endswith(word))
        for lemma in sentence_lemmas
    )


def _by_form(sentences: list[Sentence]) -> tuple[defaultdict[str, set[int]], defaultdict]:
    """The sentences holding each form, and the lemmas each form has."""
    by_form: defaultdict[str, set[int]] = defaultdict(set)
    readings: defaultdict[str, set[str]] = defaultdict(set)
    for i, sentence in enumerate(sentences):
        for form, lemma, *_ in sentence.tokens:
            by_form[form].add(i)
            readings[form].add(lemma)
    return by_form, readings


@dataclass
class Test:
    name: str
    # (query, the lemma asked for, the query form's other lemmas, target sentences)
    queries: list[tuple[str, str, set[str], set[int]]] = field(default_factory=list)


def inflection_test(sentences: list[Sentence], name: str) -> Test:
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    queryable: dict[str, Counter[str]] = defaultdict(Counter)
    where: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for i, sentence in enumerate(sentences):
        for form, lemma, upos, feats in sentence.tokens:
            if upos not in CONTENT or not _QUERYABLE.match(form):
                continue
            forms[lemma][form] += 1
            where[lemma].append((i, form))
            if "VerbForm=Part" not in feats:
                queryable[lemma][form] += 1
    by_form, readings = _by_form(sentences)
    test = Test(name)
    for lemma in sorted(forms):
        if len(forms[lemma]) < 2 or not queryable[lemma]:
            continue
        q = min(queryable[lemma].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        targets = {i for i, form in where[lemma] if form != q} - by_form[q]
        if targets:
            test.queries.append((q, lemma, readings[q], targets))
    return test


def _last_part(fstoutput: str) -> str | None:
    from pyvoikko.analysis import VoikkoAnalysis

    if "[Bc]" not in fstoutput:
        return None
    analysis = VoikkoAnalysis.from_voikko_analysis(fstoutput)
    parts = analysis.COMPOUND_PARTS or []
    return parts[-1].BASEFORM.replace("=", "").lower() if len(parts) > 1 else None


def compound_tests(sentences: list[Sentence]) -> tuple[Test, Test]:
    """Compound lemmas as Voikko splits them (its FST output, whichever backend)."""
    try:
        from libvoikko import Voikko

        voikko = Voikko("fi")

        def fst(word: str) -> list[str]:
            return [a.get("FSTOUTPUT", "") for a in voikko.analyze(word)]
    except Exception:  # noqa: BLE001 - no C library: the same FST in Python
        import pyvoikko

        def fst(word: str) -> list[str]:
            return [a.FSTOUTPUT for a in pyvoikko.analyse(word)]

    where: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for i, sentence in enumerate(sentences):
        for form, lemma, upos, _ in sentence.tokens:
            if upos in {"NOUN", "ADJ"} and _QUERYABLE.match(lemma) and _QUERYABLE.match(form):
                where[lemma].append((i, form))
    by_form, readings = _by_form(sentences)
    part_test, whole_test = Test("compound part"), Test("whole compound")
    for lemma in sorted(where):
        parts = [p for p in map(_last_part, fst(lemma)) if p]
        part = parts[0] if parts else None
        if not part or len(part) < 3 or part == lemma or not lemma.endswith(part):
            continue
        part_test.queries.append((part, part, readings[part], {i for i, _ in where[lemma]}))
        forms = Counter(form for _, form in where[lemma])
        q = min(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0] if len(forms) > 1 else lemma
        targets = {i for i, form in where[lemma] if form != q} - by_form[q]
        if targets:
            whole_test.queries.append((q, lemma, readings[q], targets))
    return part_test, whole_test


@dataclass
class System:
    """One way to index and query: column values per sentence, a MATCH expression per query."""

    name: str
    columns: list[str]
    index: Callable[[str, str], list[str]]
    query: Callable[[str], str]


def ris3watch() -> System:
    columns = FTS["pages"]

    def index(text: str, language: str) -> list[str]:
        values = {"title": "", "text": text, **lemmas.page_terms("", text, language)._asdict()}
        return [values.get(c, "") for c in columns]

    return System("ris3watch", columns, index, fts_query)


def plain_fts5() -> System:
    return System("plain FTS5", ["text"], lambda text, _: [text], lambda q: f'"{q}"')


def snowball() -> System:
    stemmers = {lang: snowballstemmer.stemmer(name) for lang, name in _SNOWBALL.items()}
    words = re.compile(r"\w+")

    def index(text: str, language: str) -> list[str]:
        stems = stemmers[language].stemWords([w.lower() for w in words.findall(text)])
        return [text, " ".join(stems)]

    def query(q: str) -> str:
        stems = {stemmers[lang].stemWord(q) for lang in stemmers}
        return " OR ".join([f'"{q}"', *(f'stems : "{s}"' for s in sorted(stems))])

    return System("Snowball", ["text", "stems"], index, query)


@dataclass
class Score:
    returned: int = 0
    correct: int = 0
    strictly: int = 0
    targets: int = 0
    found: int = 0
    seconds: list[float] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.targets if self.targets else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.returned if self.returned else 0.0

    @property
    def strict(self) -> float:
        return self.strictly / self.returned if self.returned else 0.0


def build(system: System, sentences: list[Sentence], language: str) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    listed = ", ".join(f'"{c}"' for c in system.columns)
    conn.execute(
        f"CREATE VIRTUAL TABLE t USING fts5({listed}, tokenize='unicode61 remove_diacritics 0')"
    )
    marks = ", ".join("?" for _ in system.columns)
    conn.executemany(
        f"INSERT INTO t (rowid, {listed}) VALUES (?, {marks})",
        ((i, *system.index(s.text, language)) for i, s in enumerate(sentences)),
    )
    return conn


def score(system: System, conn: sqlite3.Connection, test: Test, sentences: list[Sentence]) -> Score:
    result = Score()
    for q, word, others, targets in test.queries:
        started = time.perf_counter()
        rows = {
            r[0] for r in conn.execute("SELECT rowid FROM t WHERE t MATCH ?", [system.query(q)])
        }
        result.seconds.append(time.perf_counter() - started)
        result.returned += len(rows)
        strictly = {i for i in rows if holds(sentences[i].lemmas, word)}
        result.strictly += len(strictly)
        result.correct += len(strictly) + sum(
            any(holds(sentences[i].lemmas, other) for other in others) for i in rows - strictly
        )
        result.targets += len(targets)
        result.found += len(rows & targets)
    return result


def lemma_time(sentences: list[Sentence], language: str) -> tuple[float, float]:
    """page_terms µs per running word: cold (empty caches), then warm."""
    words = sum(len(s.tokens) for s in sentences)
    out = []
    for _ in range(2):
        started = time.perf_counter()
        for s in sentences:
            lemmas.page_terms("", s.text, language)
        out.append((time.perf_counter() - started) / words * 1e6)
    return out[0], out[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ud", type=Path, required=True, help="folder of UD .conllu files")
    parser.add_argument("--backend", choices=["libvoikko", "pyvoikko", "both"], default="both")
    args = parser.parse_args(argv)
    backends = ["libvoikko", "pyvoikko"] if args.backend == "both" else [args.backend]
    print(
        f"{'treebank':<10} {'test':<15} {'system':<22} {'queries':>7} {'recall':>7} "
        f"{'precision':>9} {'strict':>7} {'p50 ms':>7} {'p95 ms':>7}"
    )
    for language, pattern in TREEBANKS.items():
        files = sorted(args.ud.glob(pattern))
        if not files:
            print(f"(no {pattern} in {args.ud})")
            continue
        sentences = read_conllu(files)
        tests = [inflection_test(sentences, "inflection")]
        if language == "fi":
            tests.extend(compound_tests(sentences))
        systems: list[tuple[str, System]] = [("", plain_fts5()), ("", snowball())]
        systems += [(backend, ris3watch()) for backend in backends]
        for backend, system in systems:
            label = f"{system.name} ({backend})" if backend else system.name
            if backend:
                lemmas.use_backend(backend)
                cold, warm = lemma_time(sentences, language)
                lemmas.use_backend(backend)
            conn = build(system, sentences, language)
            for test in tests:
                s = score(system, conn, test, sentences)
                ms = sorted(x * 1000 for x in s.seconds)
                p95 = ms[int(0.95 * (len(ms) - 1))] if ms else 0.0
                print(
                    f"{files[0].name.split('-')[0]:<10} {test.name:<15} {label:<22} "
                    f"{len(test.queries):>7} {s.recall:>7.3f} {s.precision:>9.3f} {s.strict:>7.3f} "
                    f"{statistics.median(ms) if ms else 0:>7.2f} {p95:>7.2f}"
                )
            if backend:
                words = sum(len(x.tokens) for x in sentences)
                print(
                    f"{'':<10} lemma time     {label:<22} {words:>7} words: "
                    f"{cold:.1f} µs/word cold, {warm:.1f} µs/word warm"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
