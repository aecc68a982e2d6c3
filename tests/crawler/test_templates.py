"""A real crawl of a hand-written council site whose chrome the rules let through: the
first run learns the template and leaves it out of the stored pages; a footer edited on
every page is no change in the next run."""

import json
import sqlite3

import pytest

from pipeline.templates import MIN_PAGES
from samples.server import SampleSites
from tests.conftest import FAST, run_cli
from tests.pipeline.template_pages import FOOTER, TEMPLATE_LINES, TOPICS, page

pytestmark = pytest.mark.crawl

SOURCES = """[[sources]]
id = "etelarannikko"
name = "Etelärannikon liitto"
region = "Etelärannikko"
kind = "regional_council"
start_urls = ["{{base:etelarannikko}}/"]
"""


def write_site(root, footer: str = FOOTER) -> None:
    site = root / "etelarannikko"
    links = "".join(f'<li><a href="/teema-{i}/">{t}</a></li>' for i, (t, _) in enumerate(TOPICS))
    site.mkdir(parents=True, exist_ok=True)
    (site / "index.html").write_bytes(
        page(
            "Teemat",
            "Liiton teemat ovat maakunnan yhteisiä.",
            body=f"<ul>{links}</ul>",
            footer=footer,
        )
    )
    for i, (title, lead) in enumerate(TOPICS):
        (site / f"teema-{i}").mkdir(exist_ok=True)
        (site / f"teema-{i}" / "index.html").write_bytes(page(title, lead, footer=footer))


def test_template_learned_in_a_crawl(tmp_path):
    sites_root = tmp_path / "sites"
    write_site(sites_root)
    db = tmp_path / "r.db"
    with SampleSites(root=sites_root) as sites:
        sources = tmp_path / "sources.toml"
        sources.write_text(sites.render(SOURCES), encoding="utf-8")
        first = run_cli("crawl", "--sources", str(sources), "--db", str(db), *FAST)
        assert first.returncode == 0, first.stderr[-3000:]
        conn = sqlite3.connect(db)
        pages = dict(conn.execute("SELECT title, text FROM pages"))
        assert len(pages) == len(TOPICS) + 1
        for title, _ in TOPICS:
            assert all(line not in pages[title] for line in TEMPLATE_LINES), pages[title]
        templates = dict(conn.execute("SELECT text, share FROM source_templates"))
        assert templates[FOOTER] == 1.0 and templates["Etelärannikon liitto"] == 1.0
        # Learned from the 8th page on; how many pages were in a worker by then, and so
        # rewritten at the end rather than extracted clean, depends on the timing.
        (summary,) = conn.execute("SELECT summary FROM crawl_runs").fetchone()
        assert MIN_PAGES <= json.loads(summary)["templates"]["pages_rewritten"] <= len(pages)

        moved = FOOTER.replace("Satamakatu 5", "Laivurinkatu 2")
        write_site(sites_root, footer=moved)
        second = run_cli("crawl", "--sources", str(sources), "--db", str(db), *FAST)
        assert second.returncode == 0, second.stderr[-3000:]
    run = conn.execute(
        "SELECT pages_stored, pages_changed, pages_unchanged, summary FROM crawl_runs"
        " ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert run[:3] == (len(TOPICS) + 1, 0, len(TOPICS) + 1)
    assert json.loads(run[3])["templates"]["changes_taken_back"] == len(TOPICS) + 1
    assert conn.execute("SELECT count(*) FROM changes WHERE kind != 'new'").fetchone() == (0,)
    assert all(moved not in text for (text,) in conn.execute("SELECT text FROM pages"))
    conn.close()
