"""A non-editable install, as a user makes one: `pip install .` into a fresh venv, then
`ris3watch demo` from a directory with no checkout in it serves the landing page."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import DEADLINE, ROOT, wait_until


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fresh_venv(where: Path) -> Path:
    """A venv without this project, whose dependencies come from the project's venv (no
    index, no download): a .pth adds the project's site-packages after its own, and the
    editable install's finder there is not loaded (.pth files only run in site dirs)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    python = where / "bin" / "python"
    own = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(own, "project-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return python


@pytest.mark.crawl
def test_a_plain_install_serves_the_demo_from_anywhere(tmp_path):
    # Built from a copy: an in-tree build would leave build/ in the checkout.
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".*", "build", "data", "tests", "bench", "*.egg-info", "__pycache__"
        ),
    )
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
        + ["--no-index", "--wheel-dir", str(wheels), str(source)],
        check=True,
        cwd=tmp_path,
        env={**os.environ, "PIP_CONFIG_FILE": os.devnull},
    )
    python = _fresh_venv(tmp_path / "venv")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
        + ["--no-deps", "--no-index", *map(str, wheels.glob("*.whl"))],
        check=True,
        cwd=tmp_path,
        env={**os.environ, "PIP_CONFIG_FILE": os.devnull},
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run(
        [str(python), "-c", "import pipeline, ris3watch_datasette; print(pipeline.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    ).stdout
    assert str(tmp_path / "venv") in where and str(ROOT) not in where

    port = _free_port()
    log = tmp_path / "demo.log"  # a file, not a pipe: an unread pipe fills and blocks the demo
    with open(log, "w") as output:
        demo = subprocess.Popen(
            [str(tmp_path / "venv" / "bin" / "ris3watch"), "demo", "--db", "demo.db"]
            + ["--port", str(port)],
            cwd=elsewhere,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        landing = _wait_for_page(f"http://127.0.0.1:{port}/", demo, log)
        assert "ris3watch" in landing.lower()
        pages = _wait_for_page(f"http://127.0.0.1:{port}/demo/pages.json?_shape=array", demo, log)
        assert '"source_id"' in pages
    finally:
        demo.terminate()
        demo.wait(60)
    assert (elsewhere / "demo.db").exists(), log.read_text()[-3000:]


def _wait_for_page(url: str, process: subprocess.Popen, log: Path) -> str:
    """The page's text, once the server answers (the demo crawls first)."""

    def answer() -> str:
        if process.poll() is not None:
            return "exited"
        with urllib.request.urlopen(url, timeout=DEADLINE) as response:
            return response.read().decode("utf-8")

    text = wait_until(answer, f"{url} answering")
    if text == "exited":
        pytest.fail(f"the demo exited with {process.returncode}: {log.read_text()[-3000:]}")
    return text
