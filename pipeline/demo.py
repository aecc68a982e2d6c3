"""`ris3watch demo`: the sample sites on loopback, a crawl of them, Datasette on top."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from samples.server import SampleSites

from .resources import samples_dir

# The sample sites are local: a short delay keeps the demo quick and still shows throttling.
DEMO_SETTINGS = ["DOWNLOAD_DELAY=0.1", "AUTOTHROTTLE_ENABLED=false"]


def write_demo_sources(sites: SampleSites, target: Path) -> Path:
    """The bundled demo registry with the running sample sites' addresses filled in, at
    `target` (`sources check --sources` can read it while the demo runs)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        sites.render((samples_dir() / "sources.toml").read_text(encoding="utf-8")), encoding="utf-8"
    )
    return target


def crawl_samples(sites: SampleSites, db: Path) -> int:
    """Crawl the running sample sites into `db` in a child process; return its exit code."""
    sources = write_demo_sources(sites, db.parent / "demo-sources.toml")
    command = [
        sys.executable,
        "-m",
        "pipeline",
        "crawl",
        "--sources",
        str(sources),
        "--db",
        str(db),
    ]
    for setting in DEMO_SETTINGS:
        command += ["--set", setting]
    return subprocess.call(command)
