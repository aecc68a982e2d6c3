"""Main text on real pages nobody here wrote: ris3watch against the library it wraps.

Reads an article-extraction-benchmark directory (scrapinghub/article-extraction-benchmark:
`ground-truth.json` = {id: {"url", "articleBody"}}, `html/<id>.html.gz`) and runs, on the same
bytes and URL of each page, `extract_page`, Trafilatura with its defaults and Trafilatura with
the options `extract/text.py` passes. Scoring is the benchmark's own (its `evaluate.py`): bags
of 4-token shingles (`\\w+` tokens, case kept), per-page TP/FP/FN normalised to sum 1,
precision and recall macro-averaged over pages, F1 from those two means. Times are CPU
time of this process (`time.process_time`), so other load on a shared machine does not
inflate them.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import trafilatura

import extract.page
import extract.text
from extract import ExtractError, extract_page
from extract.text import TRAFILATURA_OPTIONS

_TOKEN = re.compile(r"\w+")
# The functions extract_page calls, timed one by one (nested ones inside "text").
_STAGES = (
    (extract.page, "decode_html"),
    (extract.page, "parse_html"),
    (extract.page, "page_parts"),
    (extract.page, "title_candidates"),
    (extract.page, "_description"),
    (extract.page, "declared_language"),
    (extract.page, "choose_title"),
    (extract.page, "extract_links"),
    (extract.page, "extract_contacts"),
    (extract.page, "extract_priorities"),
    (extract.page, "find_dates"),
    (extract.page, "content_headings"),
    (extract.page, "extract_text"),
    (extract.page, "page_blocks"),
    (extract.page, "apply_template"),
    (extract.page, "score_relevance"),
    (extract.page, "detect_language"),
    (extract.text, "plan_cleaning"),
    (extract.text, "_trafilatura"),
)
_LOSERS = 10
Scores = tuple[float, float, float]


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def tp_fp_fn(true: str, pred: str) -> Scores:
    """The benchmark's `string_shingle_matching`: shingle counts, normalised to sum 1."""
    want, got = shingles(true), shingles(pred)
    want.pop((), None)
    got.pop((), None)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def macro(scores: list[Scores]) -> tuple[float, float, float]:
    """Macro P, R and F1 as the benchmark computes them (pages with no prediction are
    left out of precision, pages with no truth out of recall)."""
    p = statistics.mean([precision(*s) for s in scores if s[0] + s[1] > 0] or [0.0])
    r = statistics.mean([recall(*s) for s in scores if s[0] + s[2] > 0] or [0.0])
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def page_f1(s: Scores) -> float:
    p, r = precision(*s), recall(*s)
    return 2 * p * r / (p + r) if p + r else 0.0


@contextmanager
def timed_stages(seconds: dict[str, float]) -> Iterator[None]:
    """Wrap each stage function so its time adds up in `seconds` (restored on exit)."""
    originals = []
    for module, name in _STAGES:
        function = getattr(module, name, None)
        if function is None:
            continue
        originals.append((module, name, function))
        setattr(module, name, _timer(function, name, seconds))
    try:
        yield
    finally:
        for module, name, function in originals:
            setattr(module, name, function)


def _timer(function: Callable, name: str, seconds: dict[str, float]) -> Callable:
    def timed(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[name] += time.process_time() - start

    return timed


def load(directory: Path) -> list[tuple[str, str, bytes, str]]:
    """(id, url, html bytes, articleBody) for each page of the benchmark, in id order."""
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        body = gzip.decompress((directory / "html" / f"{key}.html.gz").read_bytes())
        pages.append((key, truth[key]["url"], body, truth[key].get("articleBody", "")))
    return pages


def run(pages: list[tuple[str, str, bytes, str]]) -> dict:
    """Every extractor on every page, with per-page times and ris3watch's stage times."""
    out: dict = {
        "texts": defaultdict(dict),
        "times": defaultdict(list),
        "stages": defaultdict(float),
        "exceptions": Counter(),
        "field_errors": Counter(),
        "fallbacks": 0,
    }
    extract_page(pages[0][2], pages[0][1])  # imports and first-call caches out of the timing
    trafilatura.extract(pages[0][2], url=pages[0][1])
    for key, url, body, _ in pages:
        start = time.process_time()
        try:
            with timed_stages(out["stages"]):
                record = extract_page(body, url)
            text = record.text
            out["field_errors"].update(getattr(record, "field_errors", None) or {})
            out["fallbacks"] += bool(getattr(record, "cleaning_fallback", False))
        except ExtractError as exc:  # NotHtml / EmptyPage: a page-level outcome, no text
            text = ""
            out["exceptions"][f"{type(exc).__name__} (page-level)"] += 1
        except Exception as exc:  # noqa: BLE001 - counted: the target is none
            text = ""
            out["exceptions"][type(exc).__name__] += 1
        out["times"]["ris3watch"].append(time.process_time() - start)
        out["texts"]["ris3watch"][key] = text
        for name, options in (
            ("Trafilatura defaults", {}),
            ("Trafilatura, same options", TRAFILATURA_OPTIONS),
        ):
            start = time.process_time()
            out["texts"][name][key] = trafilatura.extract(body, url=url, **options) or ""
            out["times"][name].append(time.process_time() - start)
    return out


def report(directory: Path) -> None:
    pages = load(directory)
    truth = {key: body for key, _, _, body in pages}
    urls = {key: url for key, url, _, _ in pages}
    result = run(pages)
    print(f"Main text on {len(pages)} pages of {directory.name} (4-token shingles, macro)\n")
    header = f"{'extractor':<28}{'precision':>10}{'recall':>8}{'F1':>7}{'empty':>7}{'ms/page':>9}"
    print(header)
    print("-" * len(header))
    scores = {}
    for name, texts in result["texts"].items():
        scores[name] = {key: tp_fp_fn(truth[key], texts[key]) for key in truth}
        p, r, f1 = macro(list(scores[name].values()))
        empty = sum(not texts[key].strip() for key in truth)
        ms = 1000 * statistics.mean(result["times"][name])
        print(f"{name:<28}{p:>10.3f}{r:>8.3f}{f1:>7.3f}{empty:>7}{ms:>9.1f}")
    ours, same = result["texts"]["ris3watch"], result["texts"]["Trafilatura, same options"]
    lost = [key for key in truth if not ours[key].strip() and same[key].strip()]
    print("-" * len(header))
    mean_ms = {n: 1000 * statistics.mean(t) for n, t in result["times"].items()}
    median_ms = {n: 1000 * statistics.median(t) for n, t in result["times"].items()}
    print(
        f"time: ris3watch {mean_ms['ris3watch']:.1f} ms mean, {median_ms['ris3watch']:.1f} median"
        f" = {mean_ms['ris3watch'] / mean_ms['Trafilatura, same options']:.2f}x Trafilatura"
        " with the same options (target <= 2x)"
    )
    print(f"empty where Trafilatura (same options) is not: {len(lost)} (target 0)")
    exceptions = sum(result["exceptions"].values())
    print(f"exceptions: {exceptions} (target 0) {dict(result['exceptions']) or ''}")
    print(
        f"field errors: {sum(result['field_errors'].values())} {dict(result['field_errors']) or ''}"
    )
    print(f"cleaning fallbacks (Trafilatura's own text kept): {result['fallbacks']}")
    print(
        "\nris3watch stage times (ms CPU per page, mean; plan_cleaning and _trafilatura"
        " run inside extract_text):"
    )
    for name, total in sorted(result["stages"].items(), key=lambda kv: -kv[1]):
        print(f"  {name:<20}{1000 * total / len(pages):>7.1f}")
    print("\nWhere ris3watch loses most against Trafilatura with the same options:")
    losses = sorted(
        truth,
        key=lambda k: (
            page_f1(scores["ris3watch"][k]) - page_f1(scores["Trafilatura, same options"][k])
        ),
    )
    for key in losses[:_LOSERS]:
        ours_s, same_s = scores["ris3watch"][key], scores["Trafilatura, same options"][key]
        delta = page_f1(ours_s) - page_f1(same_s)
        if delta >= 0:
            break
        why = _reason(ours[key], same[key], ours_s, same_s)
        print(f"  F1 {page_f1(ours_s):.2f} vs {page_f1(same_s):.2f}  {why}  {urls[key][:90]}")


def _reason(ours: str, same: str, ours_s: Scores, same_s: Scores) -> str:
    """Why a page scores lower: nothing, text missing, or text added, in words."""
    if not ours.strip():
        return f"empty (Trafilatura: {len(same.split())} words)"
    missing = recall(*same_s) - recall(*ours_s)
    extra = precision(*same_s) - precision(*ours_s)
    if missing >= extra:
        return (
            f"text missing: recall {recall(*ours_s):.2f} vs {recall(*same_s):.2f}, "
            f"{len(ours.split())} words vs {len(same.split())}"
        )
    return (
        f"text added: precision {precision(*ours_s):.2f} vs {precision(*same_s):.2f}, "
        f"{len(ours.split())} words vs {len(same.split())}"
    )
