"""The published corpus in a real browser: Debian's headless Chromium driven by Playwright.

Screenshots land in tests/artifacts/ (ignored by git) so a person can look at them.
"""

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import ROOT, wait_for_server
from tests.datasette.conftest import XSS

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As root in a closed network: no sandbox, and none of Chromium's background connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(corpus_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "serve", "--db", str(corpus_path), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for_server(base, process)
    yield base
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: `make test` installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    yield page
    assert not page.dialogs, f"a script ran: {page.dialogs}"
    context.close()


def test_landing_page_renders_with_its_chart(server, page):
    page.goto(server + "/")
    assert page.locator("svg.chart rect").count() == 12
    assert page.locator(".regions td", has_text="Kymenlaakso").count() == 1
    assert page.locator(".last-run").inner_text().startswith("Viimeisin ajo")
    page.screenshot(path=ARTIFACTS / "landing.png", full_page=True)


def test_search_from_the_ui_shows_highlighted_results(server, page):
    page.goto(server + "/")
    page.fill("input[name=q]", "erikoistuminen")
    page.click("input[type=submit][value='Hae / Search']")
    page.wait_for_selector("table.rows-and-columns")
    marks = page.locator("table.rows-and-columns mark")
    assert marks.count() >= 1
    assert "erikoistumisen" in marks.first.inner_text().lower()
    page.screenshot(path=ARTIFACTS / "search.png", full_page=True)


def test_page_history_shows_the_diff(server, page):
    page.goto(server + "/anything/page_history?url=https%3A%2F%2Fwww.kymenlaakso.fi%2Fstrategia")
    text = page.locator("table.rows-and-columns").inner_text()
    assert "+Kymenlaakson älykkään erikoistumisen strategiassa on neljä kärkeä." in text
    assert "changed" in text
    page.screenshot(path=ARTIFACTS / "history.png", full_page=True)


def test_xss_title_shows_as_text(server, page):
    page.goto(server + "/anything/pages")
    assert page.get_by_text(XSS).count() >= 1
    assert page.locator("img[src=x]").count() == 0
    page.goto(server + "/anything/search?q=maakunta")
    assert page.get_by_text(XSS).count() >= 1
    page.screenshot(path=ARTIFACTS / "xss.png", full_page=True)
