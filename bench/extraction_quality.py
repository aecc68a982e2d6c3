"""Extraction quality on the golden corpus: precision and recall per field.

    python bench/extraction_quality.py
    python bench/extraction_quality.py --external ../shared/external/zyte-article-benchmark

Runs extract_page over tests/extract/fixtures (expectations in expected.toml, loaded by
tests/extract/golden.py) and prints TP/FP/FN, precision and recall per field, the number of
invented contacts and PASS/FAIL against the targets: 100 % for dates and emails, 95 % for the
other fields, no invented contact. `--external` adds the main-text comparison on real pages
nobody here wrote (bench/article_benchmark.py). A report: the exit status is always 0.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests" / "extract"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from golden import load_expectations, pair_contacts, run_page, same_field, squash  # noqa: E402

TARGETS = {
    "text snippets": 0.95,
    "page title": 0.95,
    "language": 0.95,
    "relevance": 0.95,
    "dates": 1.0,
    "emails": 1.0,
    "contact names": 0.95,
    "job titles": 0.95,
    "phones": 0.95,
    "contact kinds": 0.95,
}
CONTACT_FIELDS = {
    "contact names": "name",
    "job titles": "title",
    "phones": "phone",
    "contact kinds": "kind",
}


def score(counts, field: str, want, got, same=lambda a, b: a == b) -> None:
    """One expected value against one extracted value (None = nothing)."""
    tp_fp_fn = counts[field]
    if want is not None and got is not None and same(want, got):
        tp_fp_fn[0] += 1
        return
    if got is not None:
        tp_fp_fn[1] += 1
    if want is not None:
        tp_fp_fn[2] += 1


def evaluate(pages: list[dict]) -> tuple[dict, int, list[str]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    invented_total = 0
    errors = []
    for page in pages:
        try:
            record = run_page(page)
        except Exception as exc:  # a page that fails to extract misses everything
            errors.append(f"{page['file']}: {type(exc).__name__}: {exc}")
            record = None
        text = squash(record.text) if record else ""
        for snippet in page["text_contains"]:
            counts["text snippets"][0 if squash(snippet) in text else 2] += 1
        for snippet in page["text_forbidden"]:
            if squash(snippet) in text:
                counts["text snippets"][1] += 1
        score(
            counts,
            "page title",
            page["title"],
            record and record.title,
            lambda a, b: squash(a) == squash(b),
        )
        score(counts, "language", page["language"], record and record.language)
        for field in ("published", "updated"):
            score(counts, "dates", page[field], record and getattr(record, field))
        got_relevant = record.relevant if record else None
        score(
            counts, "relevance", True if page["relevant"] else None, True if got_relevant else None
        )
        contacts = record.contacts if record else ()
        want_emails = {c["email"] for c in page["contacts"] if c["email"]}
        got_emails = {c.email for c in contacts if c.email}
        counts["emails"][0] += len(want_emails & got_emails)
        counts["emails"][1] += len(got_emails - want_emails)
        counts["emails"][2] += len(want_emails - got_emails)
        pairs, invented = pair_contacts(page["contacts"], contacts)
        invented_total += len(invented)
        for label, field in CONTACT_FIELDS.items():
            same = lambda a, b, f=field: same_field(f, a, b)  # noqa: E731
            for want, got in pairs:
                score(counts, label, want[field], getattr(got, field) if got else None, same)
            for got in invented:
                score(counts, label, None, getattr(got, field))
    return counts, invented_total, errors


def ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--external",
        type=Path,
        help="an article-extraction-benchmark directory (ground-truth.json, html/*.html.gz)",
    )
    args = parser.parse_args()
    golden()
    if args.external:
        from bench.article_benchmark import report

        print()
        report(args.external)
    return 0


def golden() -> None:
    pages = load_expectations()
    counts, invented, errors = evaluate(pages)
    print(f"Extraction quality on {len(pages)} golden pages\n")
    header = (
        f"{'field':<15}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>9}"
        f"{'target':>8}  status"
    )
    print(header)
    print("-" * len(header))
    all_pass = True
    for field, target in TARGETS.items():
        tp, fp, fn = counts[field]
        precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
        ok = precision >= target and recall >= target
        all_pass &= ok
        print(
            f"{field:<15}{tp:>5}{fp:>5}{fn:>5}{precision:>10.1%}{recall:>9.1%}"
            f"{target:>8.0%}  {'PASS' if ok else 'FAIL'}"
        )
    print("-" * len(header))
    ok = invented == 0
    all_pass &= ok
    print(f"invented contacts: {invented} (target 0)  {'PASS' if ok else 'FAIL'}")
    for error in errors:
        print(f"extraction error: {error}")
    all_pass &= not errors
    print(f"\n{'PASS' if all_pass else 'FAIL'}")


if __name__ == "__main__":
    main()
    sys.exit(0)
