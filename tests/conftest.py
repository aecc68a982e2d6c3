"""Shared fixtures: fresh objects per test, loopback servers on port 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from samples.server import SampleSites

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
# A crawl in tests lifts politeness (the servers are ours, on loopback) but nothing else.
FAST = [
    "--set",
    "DOWNLOAD_DELAY=0",
    "--set",
    "AUTOTHROTTLE_ENABLED=false",
    "--set",
    "RETRY_TIMES=0",
]


@pytest.fixture
def sample_sites():
    with SampleSites() as sites:
        yield sites


@pytest.fixture
def sources_file(tmp_path, sample_sites) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(
        sample_sites.render((SAMPLES / "sources.toml").read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    return path


def run_cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """`ris3watch ARGS` in a child process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
