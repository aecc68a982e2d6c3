"""Shared fixtures: fresh objects per test, loopback servers on port 0."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from scrapy.utils.reactor import install_reactor

from crawler.settings import TWISTED_REACTOR
from samples.server import SampleSites

# Scrapy components built in this process (tests/crawler, tests/pipeline) run on the reactor
# the crawl uses; installed before anything (a LoopingCall) installs Twisted's default.
install_reactor(TWISTED_REACTOR)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
# A crawl in tests lifts politeness (the servers are ours, on loopback), and gives a busy
# machine time: a page that is slow to download or to extract must not become an error
# (the fault matrix tests the timeouts themselves, with servers that really stall).
FAST = [
    "--set",
    "DOWNLOAD_DELAY=0",
    "--set",
    "AUTOTHROTTLE_ENABLED=false",
    "--set",
    "RETRY_TIMES=0",
    "--set",
    "DOWNLOAD_TIMEOUT=300",
    "--set",
    "RIS3WATCH_EXTRACT_TIMEOUT=300",
]


# Deadlines are generous: they only bound a test that would otherwise hang. On a busy
# machine everything is slower, and no test may fail for that (nothing waits a fixed time).
DEADLINE = 300.0
T = TypeVar("T")


def wait_until(condition: Callable[[], T], what: str, deadline: float = DEADLINE) -> T:
    """Poll `condition` until it returns something true (exceptions count as "not yet");
    return it, or fail with `what` once `deadline` seconds have passed."""
    end = time.monotonic() + deadline
    last: BaseException | None = None
    while time.monotonic() < end:
        try:
            if result := condition():
                return result
        except Exception as exc:  # noqa: BLE001 - not ready yet
            last = exc
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {deadline:.0f} s (last error: {last!r})")


def wait_for_server(base: str, process: subprocess.Popen | None = None) -> None:
    """Until `ris3watch serve` at `base` answers (or its process has exited)."""

    def up() -> str:
        if process is not None and process.poll() is not None:
            return "exited"
        with urllib.request.urlopen(base + "/-/versions.json", timeout=DEADLINE):
            return "up"

    if wait_until(up, f"{base} answering") == "exited":
        raise AssertionError(f"the server exited with {process.returncode}")


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
