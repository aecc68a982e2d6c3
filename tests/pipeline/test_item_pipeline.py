"""The item pipeline the Scrapy way: built from a crawler with the project's settings, opened,
fed items, closed, against a real store and a real extraction worker. The engine is the one
stand-in: it records the requests the spider schedules for the links found."""

import asyncio
import json

import pytest
from scrapy.exceptions import CloseSpider, DropItem
from scrapy.utils.test import get_crawler

from crawler import settings as project
from crawler.items import FetchFailure, Gone, NotModified, RawPage
from crawler.spiders.councils import CouncilsSpider
from extract import PageRecord
from pipeline import runs
from pipeline.crawling.item_pipeline import StorePipeline, run_closed
from pipeline.db import open_db
from pipeline.store import Fetch, Store
from tests.conftest import DEADLINE

BASE = "http://127.0.0.2:8000"
REGISTRY = f"""[[sources]]
id = "x"
name = "Liitto"
region = "R"
kind = "regional_council"
start_urls = ["{BASE}/"]
"""
PAGE = f"""<html lang="fi"><head><title>Älykäs erikoistuminen – Liitto</title></head><body>
<main><h1>Älykäs erikoistuminen</h1><p>Maakunnan älykkään erikoistumisen strategia valitsee
kärjet, joihin alueen kehittäminen ja rahoitus keskittyvät. Strategiaa päivitetään yhdessä
yritysten, korkeakoulujen ja kuntien kanssa.</p>
<a href="{BASE}/kiertotalous/">Kiertotalous</a> <a href="https://muualla.fi/">Muualla</a>
</main></body></html>""".encode()
T = "2026-12-01T08:00:00+00:00"


class Engine:
    def __init__(self):
        self.scheduled = []

    def crawl(self, request):
        self.scheduled.append(request.url)


def _crawler(tmp_path):
    registry = tmp_path / "s.toml"
    registry.write_text(REGISTRY, encoding="utf-8")
    settings = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    settings |= {
        "RIS3WATCH_DB": str(tmp_path / "t.db"),
        "RIS3WATCH_WORKERS": 1,
        "RIS3WATCH_EXTRACT_TIMEOUT": DEADLINE,
    }
    crawler = get_crawler(CouncilsSpider, settings)
    crawler.spider = CouncilsSpider.from_crawler(crawler, sources=str(registry))
    crawler.engine = Engine()
    closed = {}
    crawler.signals.connect(lambda **kw: closed.update(kw), signal=run_closed, weak=False)
    return crawler, closed


def _known_page(tmp_path):
    store = Store.open(tmp_path / "t.db")
    runs.sync_sources(store.db, _crawler(tmp_path)[0].spider.sources)
    run = runs.start_run(store.db, ["x"])
    record = PageRecord(
        url=f"{BASE}/vanha/",
        title="Vanha",
        text="Vanha sivu.",
        language="fi",
        description=None,
        published=None,
        updated=None,
        relevant=False,
        relevance=0.0,
    )
    fetch = Fetch(f"{BASE}/vanha/", "x", 200, T, etag='"v1"')
    store.save_page(run, fetch, record)
    runs.finish_run(store.db, run, "completed", {}, {})
    store.close()


def _start_requests(spider):
    async def collect():
        return [request async for request in spider.start()]

    return asyncio.run(collect())


def test_opening_prepares_the_spider_with_what_the_store_knows(tmp_path):
    _known_page(tmp_path)
    crawler, _ = _crawler(tmp_path)
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    try:
        revisit = {r.url: r for r in _start_requests(crawler.spider)}[f"{BASE}/vanha/"]
        assert revisit.meta["known"].etag == '"v1"'
    finally:
        pipeline.close_spider()


def test_items_are_dispatched_to_the_store_and_the_run_is_closed(tmp_path):
    _known_page(tmp_path)
    crawler, closed = _crawler(tmp_path)
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    items = [
        RawPage(f"{BASE}/", f"{BASE}/", "x", 200, "text/html; charset=utf-8", PAGE, T),
        NotModified(f"{BASE}/vanha/", "x", T),
        Gone(f"{BASE}/vanha/", "x", 410, T),
        FetchFailure(f"{BASE}/rikki/", "x", 500, "http_500", T),
    ]
    for item in items:
        assert asyncio.run(pipeline.process_item(item)) is item
    crawler.stats.set_value("ris3watch/scheduled", len(items))
    pipeline.close_spider()

    # Links were followed by the spider: in scope only.
    assert crawler.engine.scheduled == [f"{BASE}/kiertotalous/"]
    db = open_db(tmp_path / "t.db", readonly=True)
    assert db["pages"].get(f"{BASE}/")["title"].startswith("Älykäs erikoistuminen")
    assert db["pages"].get(f"{BASE}/vanha/")["removed_at"] == T
    assert [r["error"] for r in db["fetch_errors"].rows] == ["http_500"]
    run = db["crawl_runs"].get(closed["result"].run_id)
    assert run["status"] == "completed" == closed["result"].status
    counts = {k: run[k] for k in ("pages_stored", "pages_new", "pages_not_modified", "errors")}
    assert counts == {"pages_stored": 1, "pages_new": 1, "pages_not_modified": 1, "errors": 1}
    assert run["pages_removed"] == 1 and run["lost"] == 0
    # Every outcome went to the frontier, the link found before it was scheduled.
    frontier = {r["url"]: (r["status"], r["last_error"]) for r in db["frontier"].rows}
    assert frontier == {
        f"{BASE}/": ("fetched", None),
        f"{BASE}/kiertotalous/": ("pending", None),
        f"{BASE}/vanha/": ("fetched", "http_410"),
        f"{BASE}/rikki/": ("failed", "http_500"),
    }
    assert json.loads(run["summary"])["frontier"]["pending"] == 1
    assert json.loads(run["dead_sources"]) == []


def test_a_page_extraction_refuses_is_an_error_and_its_links_are_still_followed(tmp_path):
    crawler, _ = _crawler(tmp_path)
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    empty = f'<html><body><nav><a href="{BASE}/b/">B</a></nav></body></html>'.encode()
    item = RawPage(f"{BASE}/", f"{BASE}/", "x", 200, "text/html", empty, T)
    with pytest.raises(DropItem):
        asyncio.run(pipeline.process_item(item))
    pipeline.close_spider()
    assert crawler.engine.scheduled == [f"{BASE}/b/"]
    db = open_db(tmp_path / "t.db", readonly=True)
    assert [r["error"].split(":")[0] for r in db["fetch_errors"].rows] == ["empty_page"]
    assert db["pages"].count == 0


def test_an_unusable_database_closes_the_spider_and_says_why(tmp_path):
    crawler, closed = _crawler(tmp_path)
    (tmp_path / "t.db").write_bytes(b"not a database, just bytes" * 100)
    pipeline = StorePipeline.from_crawler(crawler)
    with pytest.raises(CloseSpider):
        pipeline.open_spider()
    assert "not a usable ris3watch database" in closed["error"]
    pipeline.close_spider()  # Scrapy closes what it opened: nothing to do, nothing fails


def test_a_locked_database_closes_the_spider_and_says_why(tmp_path):
    holder = Store.open(tmp_path / "t.db")
    holder.lock()
    try:
        crawler, closed = _crawler(tmp_path)
        pipeline = StorePipeline.from_crawler(crawler)
        with pytest.raises(CloseSpider):
            pipeline.open_spider()
        assert "another crawl is writing" in closed["error"]
    finally:
        holder.close()
