"""The fault matrix's crawl runner: a real `python -m pipeline crawl` child process, its
peak memory (the whole process tree, sampled from /proc), and the stub resolver's log."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import ROOT
from tests.faults.resolver import LOG_ENV, MAP_ENV

# Politeness lifted for our own loopback servers; limits lowered so the matrix is quick.
# DOWNLOAD_MAXSIZE stays at its default (32 MB): the bombs and the big streams test it.
FAULT_SETTINGS = [
    "--set",
    "DOWNLOAD_DELAY=0",
    "--set",
    "AUTOTHROTTLE_ENABLED=false",
    "--set",
    "RETRY_TIMES=1",
    "--set",
    "DOWNLOAD_TIMEOUT=2",
    # Every name the crawl looks up is answered by the stub, never by a DNS server.
    "--set",
    "TWISTED_DNS_RESOLVER=tests.faults.resolver.StubResolver",
]
EXTRACT_TIMEOUT_2S = ["--set", "RIS3WATCH_EXTRACT_TIMEOUT=2"]
RSS_BUDGET_MB = 800  # crawl process + two extraction workers (~185 MB each)
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str
    wall: float
    peak_rss_mb: float  # RSS summed over the crawl's process tree, at its highest
    peak_processes: int
    peak_breakdown: list[tuple[str, float]] = field(default_factory=list)  # (role, MB)
    peak_pss_mb: float = 0.0  # proportional set size of the tree at the RSS peak
    samples: list[tuple[float, float]] = field(default_factory=list)  # (monotonic, MB)
    resolver_log: list[str] = field(default_factory=list)

    def tail(self, n: int = 4000) -> str:
        return self.stderr[-n:]


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read()
    except OSError:
        return b""


def _role(cmdline: bytes) -> str:
    args = cmdline.decode(errors="replace").split("\0")
    if "pipeline" in args:
        return "crawl"
    if any("resource_tracker" in a for a in args):
        return "resource_tracker"
    if any("spawn_main" in a for a in args):
        return "worker"
    return " ".join(args)[:40]


def _pss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_rss(pid: int) -> tuple[float, dict[int, tuple[str, float]]]:
    """Resident memory (MB) summed over `pid` and its descendants, and (role, MB) per pid.

    A child that is forked but has not exec'd yet (multiprocessing's spawn is fork+exec)
    still shows its parent's command line and shares all of its pages: it is left out, or
    the crawl process would briefly count twice.
    """
    tree = _children()
    todo, per_pid = [(pid, b"")], {}
    while todo:
        current, parent_cmdline = todo.pop()
        cmdline = _cmdline(current)
        try:
            with open(f"/proc/{current}/statm", "rb") as statm:
                mb = int(statm.read().split()[1]) * _PAGE / (1024 * 1024)
        except OSError:
            continue
        if cmdline != parent_cmdline:
            per_pid[current] = (_role(cmdline), mb)
        todo.extend((child, cmdline) for child in tree.get(current, ()))
    return sum(mb for _, mb in per_pid.values()), per_pid


def run_crawl(
    sources: Path,
    db: Path,
    *args: str,
    dns: dict[str, str | None] | None = None,
    log: Path | None = None,
    timeout: float = 300,
) -> CrawlResult:
    """`ris3watch crawl` in a child process, sampling the tree's memory every 50 ms."""
    log = log or db.with_suffix(".resolver.log")
    log.write_text("", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(
        {
            "PYTHONUNBUFFERED": "1",
            "NO_PROXY": "*",
            MAP_ENV: json.dumps(dns or {}),
            LOG_ENV: str(log),
        }
    )
    started = time.monotonic()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "crawl",
            "--sources",
            str(sources),
            "--db",
            str(db),
            *FAULT_SETTINGS,
            *args,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    samples: list[tuple[float, float]] = []
    peak: list = [0.0, {}, 0.0]  # RSS sum, {pid: (role, MB)}, PSS sum at that moment

    def sample() -> None:
        while process.poll() is None:
            mb, per_pid = tree_rss(process.pid)
            samples.append((time.monotonic(), mb))
            if mb > peak[0]:
                peak[0], peak[1] = mb, per_pid
                peak[2] = sum(_pss_mb(p) for p in per_pid)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        stdout, stderr = process.communicate()
        stderr += f"\n[test] crawl killed after {timeout} s"
    sampler.join(5)
    return CrawlResult(
        returncode=process.returncode,
        stdout=stdout,
        stderr=stderr,
        wall=time.monotonic() - started,
        peak_rss_mb=round(peak[0], 1),
        peak_processes=len(peak[1]),
        peak_breakdown=[(role, round(mb)) for role, mb in peak[1].values()],
        peak_pss_mb=round(peak[2], 1),
        samples=samples,
        resolver_log=log.read_text(encoding="utf-8").splitlines(),
    )


def sources_toml(*sources: dict) -> str:
    """[[sources]] tables; JSON strings and arrays are valid TOML."""
    out = []
    for source in sources:
        table = {"name": source["id"], "region": "Testimaa", "kind": "regional_council"}
        table.update(source)
        out.append("[[sources]]")
        out += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in table.items()]
        out.append("")
    return "\n".join(out)


def write_sources(path: Path, *sources: dict) -> Path:
    path.write_text(sources_toml(*sources), encoding="utf-8")
    return path


class Db:
    """Read-only queries on a crawl's database, rows as dicts."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def rows(self, sql: str, *params: object) -> list[dict]:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute(sql, params)]
        finally:
            conn.close()

    def one(self, sql: str, *params: object) -> dict | None:
        found = self.rows(sql, *params)
        return found[0] if found else None

    def run(self, run_id: int | None = None) -> dict:
        if run_id is None:
            row = self.one("select * from crawl_runs order by id desc limit 1")
        else:
            row = self.one("select * from crawl_runs where id = ?", run_id)
        row["summary"] = json.loads(row["summary"] or "{}")
        return row

    def errors(self, run_id: int) -> dict[str, str]:
        """url -> fetch_errors.error for one run."""
        return {
            r["url"]: r["error"]
            for r in self.rows("select url, error from fetch_errors where run_id = ?", run_id)
        }

    def page(self, url: str) -> dict | None:
        return self.one("select * from pages where url = ?", url)

    def versions(self, url: str) -> list[dict]:
        return self.rows("select * from page_versions where url = ? order by id", url)

    def changes(self, url: str, run_id: int | None = None) -> list[dict]:
        if run_id is None:
            return self.rows("select * from changes where url = ? order by id", url)
        return self.rows(
            "select * from changes where url = ? and run_id = ? order by id", url, run_id
        )
