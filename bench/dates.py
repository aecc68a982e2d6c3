"""The date stage against htmldate: coverage, agreement, time.

    python bench/dates.py [--external ../shared/external/zyte-article-benchmark]

On the golden corpus (tests/extract/fixtures) it scores published and updated against the
expectations: every cue-word date right, no date where the page has none. On a directory of
real pages (`html/*.html` or `*.html.gz`, no date ground truth) it prints how often each of
ris3watch's `find_dates` and htmldate (`original_date=True`, markup first, as the fallback
calls it) gives a date, how often the two agree when both do, and the mean and p95 time per
page of each. Where the set has a `ground-truth.json` with each page's URL, the pages whose
URL carries a full date (/2019/11/19/, 2019-11-19) give a proxy truth: how often each
tool's date is that one (neither tool sees the URL). A report: the exit status is always 0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests" / "extract"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from golden import FIXTURES, load_expectations  # noqa: E402
from htmldate import find_date  # noqa: E402

from extract.dates import find_dates  # noqa: E402
from extract.html import decode_html, parse_html  # noqa: E402


def golden() -> None:
    right = wrong = missed = 0
    for page in load_expectations():
        body = (FIXTURES / page["file"]).read_bytes()
        tree = parse_html(decode_html(body, page["content_type"]))
        got = find_dates(tree)
        for want, found in zip((page["published"], page["updated"]), got, strict=True):
            if want == found:
                right += want is not None
            elif found is None:
                missed += 1
            else:
                wrong += 1
                print(f"  {page['file']}: expected {want}, got {found}")
    total = right + wrong + missed
    print(f"golden corpus: {right}/{total} dates right, {wrong} wrong, {missed} missed")


_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d\d)[/-](\d\d)(?:[/-]|$)")


def _pages(directory: Path) -> list[tuple[str, bytes]]:
    files = sorted(directory.glob("*.html.gz")) + sorted(directory.glob("*.html"))
    return [
        (
            f.name.split(".")[0],
            gzip.decompress(f.read_bytes()) if f.suffix == ".gz" else f.read_bytes(),
        )
        for f in files
    ]


def _url_dates(directory: Path) -> dict[str, str]:
    truth = directory / "ground-truth.json"
    if not truth.exists():
        return {}
    found = {}
    for key, entry in json.loads(truth.read_text(encoding="utf-8")).items():
        match = _URL_DATE.search(entry.get("url", ""))
        if match:
            found[key] = "-".join(match.groups())
    return found


def external(directory: Path) -> None:
    pages = _pages(directory / "html" if (directory / "html").is_dir() else directory)
    url_dates = _url_dates(directory)
    ours_times, theirs_times = [], []
    ours_dated = theirs_dated = both = agree = ours_right = theirs_right = 0
    for key, body in pages:
        tree = parse_html(decode_html(body))
        start = time.perf_counter()
        published, updated = find_dates(tree)
        ours_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        theirs = find_date(tree, extensive_search=False, original_date=True, url="")
        theirs_times.append(time.perf_counter() - start)
        ours = published or updated
        ours_dated += ours is not None
        theirs_dated += theirs is not None
        if ours and theirs:
            both += 1
            agree += theirs in (published, updated)
        if key in url_dates:
            ours_right += (published or updated) == url_dates[key]
            theirs_right += theirs == url_dates[key]
    n = len(pages)
    print(f"{n} pages from {directory}")
    print(f"  a date:   ris3watch {ours_dated / n:.1%}   htmldate {theirs_dated / n:.1%}")
    print(f"  both gave one: {both}; they agree on {agree} ({agree / max(both, 1):.1%})")
    if url_dates:
        k = len(url_dates)
        print(
            f"  {k} pages with a date in their URL: ris3watch right {ours_right / k:.1%},"
            f" htmldate right {theirs_right / k:.1%}"
        )
    for name, times in (("ris3watch", ours_times), ("htmldate", theirs_times)):
        p95 = sorted(times)[int(0.95 * (n - 1))]
        print(f"  {name:9}  mean {statistics.mean(times) * 1000:.1f} ms  p95 {p95 * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--external", type=Path, help="a directory of real pages")
    args = parser.parse_args()
    golden()
    if args.external:
        external(args.external)


if __name__ == "__main__":
    main()
