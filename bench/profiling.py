"""Where a crawl's time goes: cProfile of the extraction worker function and of the crawl's
main (reactor) process, over the synthetic mirror.

    python -m bench.profiling [--pages 1000] [--sample 200]

Prints (1) the share of `process_page` (what each extraction worker runs per page) spent
in each extraction stage, and (2) the crawl main process's own time by area (Scrapy and
Twisted, link extraction, SQLite writes, sending pages to the workers, logging, idle in
epoll), for a first crawl and an unchanged re-crawl of the same mirror. The
workers' time is not in (2): they are other processes. cProfile slows what it watches, so
these are shares, not throughput; `python -m bench` measures throughput unprofiled.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import pstats
import shutil
import sys
import tempfile
from pathlib import Path

from . import mirror as mirrors
from . import procs, runs

logger = logging.getLogger("bench.profiling")

# (label, file suffix, function): stages of extract_page / process_page, in call order.
STAGES = (
    ("decode (w3lib charset)", "extract/html.py", "decode_html"),
    ("lxml parse", "extract/html.py", "parse_html"),
    ("title", "extract/title.py", "extract_title"),
    ("description", "extract/page.py", "_description"),
    ("links", "extract/links.py", "extract_links"),
    ("contacts and emails", "extract/contacts.py", "extract_contacts"),
    ("priorities", "extract/priorities.py", "extract_priorities"),
    ("dates", "extract/dates.py", "find_dates"),
    ("chrome clean-up (plan_cleaning)", "extract/text.py", "plan_cleaning"),
    ("Trafilatura extract", "trafilatura/core.py", "extract"),
    ("relevance", "extract/relevance.py", "score_relevance"),
    ("language (function words)", "extract/language.py", "detect_language"),
    ("search terms (Voikko lemmas)", "query/lemmas.py", "index_terms"),
)
# Areas of the crawl's main process, by the file a function lives in (first match wins).
AREAS = (
    ("idle: reactor waiting in epoll", ("of 'select.epoll'",)),
    (
        "SQLite writes (store, FTS)",
        ("pipeline/store.py", "pipeline/db.py", "pipeline/runs.py", "pipeline/changes.py")
        + ("sqlite",),
    ),
    ("link extraction (spider)", ("linkextractors", "parsel", "w3lib", "lxml", "urllib/parse")),
    (
        "pages to/from workers (pickle, pipes)",
        ("multiprocessing", "pipeline/crawling/pool.py", "pickle"),
    ),
    ("logging", ("logging",)),
    ("Scrapy and Twisted", ("scrapy", "twisted", "asyncio", "selectors", "zope")),
)


def _cumulative(stats: pstats.Stats, suffix: str, function: str) -> float:
    return sum(
        ct
        for (file, _, name), (_, _, _, ct, _) in stats.stats.items()
        if name == function and file.endswith(suffix)
    )


def profile_extraction(files: list[Path]) -> str:
    from pipeline.crawling.worker import process_page

    def run(body: bytes) -> None:
        process_page(body, "http://127.0.0.2/sivu/", "text/html; charset=utf-8", "Liitto")

    run(files[0].read_bytes())  # lazy loads (Voikko) are not per-page cost
    bodies = [f.read_bytes() for f in files[1:]]
    profiler = cProfile.Profile()
    profiler.enable()
    for body in bodies:
        run(body)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = _cumulative(stats, "pipeline/crawling/worker.py", "process_page")
    lines = [
        f"process_page over {len(bodies)} mirror pages: {total / len(bodies) * 1000:.1f} ms"
        " a page under cProfile"
    ]
    accounted = 0.0
    for label, suffix, function in STAGES:
        seconds = _cumulative(stats, suffix, function)
        accounted += seconds
        lines.append(
            f"  {label:<32} {seconds / len(bodies) * 1000:6.1f} ms  {seconds / total:6.1%}"
        )
    lines.append(
        f"  {'other':<32} {(total - accounted) / len(bodies) * 1000:6.1f} ms  "
        f"{(total - accounted) / total:6.1%}"
    )
    return "\n".join(lines)


def profile_crawl(sources: Path, db: Path, log: Path, timeout: float) -> str:
    out = log.with_suffix(".prof")
    argv = [
        sys.executable,
        "-m",
        "cProfile",
        "-o",
        str(out),
        "-m",
        "pipeline",
        "crawl",
        "--sources",
        str(sources),
        "--db",
        str(db),
    ]
    for setting in runs.LIFTED:
        argv += ["--set", setting]
    run = procs.run(argv, log, runs.ROOT, timeout)
    if run.returncode not in (0, 2) or not out.exists():
        raise procs.RunFailed(f"profiled crawl exited {run.returncode} (log: {log})")
    stats = pstats.Stats(str(out))
    by_area: dict[str, float] = {}
    for (file, _, name), (_, _, tottime, _, _) in stats.stats.items():
        where = f"{file}:{name}"
        area = next((label for label, parts in AREAS if any(p in where for p in parts)), "other")
        by_area[area] = by_area.get(area, 0.0) + tottime
    total = sum(by_area.values())
    lines = [f"crawl main process: {total:.1f} s profiled ({run.seconds:.1f} s wall)"]
    for area, seconds in sorted(by_area.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {area:<40} {seconds:6.1f} s  {seconds / total:6.1%}")
    lines.append("  top functions by own time:")
    top = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:12]
    for (file, line, name), (_, calls, tottime, _, _) in top:
        short = "/".join(Path(file).parts[-2:]) if file != "~" else ""
        lines.append(f"    {tottime:6.2f} s  {calls:>8}  {short}:{line}({name})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.profiling", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--pages", type=int, default=1000, help="mirror size for the crawl")
    parser.add_argument("--sample", type=int, default=200, help="pages for process_page")
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    work = Path(tempfile.mkdtemp(prefix="ris3watch-profile-"))
    try:
        mirror = mirrors.generate(work / "mirror", args.pages)
        files = list(mirror.files())
        print(profile_extraction(files[:: max(1, len(files) // args.sample)]))
        sites = mirrors.serve(mirror)
        try:
            sources = work / "sources.toml"
            sources.write_text(mirrors.sources_toml(mirror, sites), encoding="utf-8")
            for label in ("first crawl", "unchanged re-crawl"):
                print(
                    f"{label}: "
                    + profile_crawl(
                        sources, work / "profile.db", work / f"{label[:5]}.log", args.timeout
                    )
                )
        finally:
            sites.stop()
    except procs.RunFailed as exc:
        logger.error("Profiling broke: %s", exc)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
