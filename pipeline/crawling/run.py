"""Running a crawl from Python: settings, pre-flight checks, the Scrapy process, the result."""

from __future__ import annotations

import json
import logging

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings, default_settings

from crawler.sources import load_sources
from crawler.spiders.councils import CouncilsSpider

from ..db import StoreError
from ..runs import RunResult
from .item_pipeline import run_closed


class CrawlSetupError(ValueError):
    """Bad input found before any request is sent."""


def build_settings(db: str, sources: str, overrides: list[str]) -> Settings:
    """Project settings plus `--set NAME=VALUE` overrides; unknown names are refused."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    known = {name for name in dir(default_settings) if name.isupper()} | set(settings.keys())
    for override in overrides:
        name, sep, value = override.partition("=")
        name = name.strip()
        if not sep or not name:
            raise CrawlSetupError(f"--set {override!r}: expected NAME=VALUE")
        if name not in known:
            raise CrawlSetupError(f"--set {name}: unknown Scrapy or ris3watch setting")
        settings.set(name, _parse_value(value), priority="cmdline")
    settings.set("RIS3WATCH_DB", db, priority="cmdline")
    settings.set("RIS3WATCH_SOURCES", sources, priority="cmdline")
    return settings


def _parse_value(value: str) -> object:
    """JSON where it parses ('0', 'false', '{"a": 1}'), else the string as written."""
    try:
        return json.loads(value)
    except ValueError:
        return value


def run_crawl(
    sources: str, db: str, only: list[str], max_pages: int, overrides: list[str]
) -> RunResult:
    """Validate everything, crawl, and return the run's outcome.

    The registry is loaded here, once, and handed to the spider; the database is opened
    once, by the item pipeline (which reports a database it cannot use or lock).
    """
    registry = load_sources(sources)
    unknown = sorted(set(only) - {s.id for s in registry})
    if unknown:
        raise CrawlSetupError(f"unknown source id(s): {', '.join(unknown)}")
    if not only and not any(s.enabled for s in registry):
        raise CrawlSetupError(f"{sources}: no enabled sources")
    selected = [s for s in registry if (s.id in only if only else s.enabled)]
    settings = build_settings(db, str(sources), overrides)
    process = CrawlerProcess(settings)
    # Scrapy filters by LOG_LEVEL in its root handler only: below it, two DEBUG records a
    # response ("Crawled", "Scraped") were built and dropped (4 % of a re-crawl), and the
    # spider's "Skipped" record for each link a 304 hands on that the crawl does not follow.
    for name in ("scrapy", CouncilsSpider.name):
        logging.getLogger(name).setLevel(settings.get("LOG_LEVEL"))
    crawler = process.create_crawler(CouncilsSpider)
    closed: dict = {}
    crawler.signals.connect(lambda **kwargs: closed.update(kwargs), signal=run_closed, weak=False)
    process.crawl(crawler, sources=selected, source=",".join(only), max_pages=max_pages)
    process.start()
    if "result" in closed:
        return closed["result"]
    raise StoreError(closed.get("error") or f"{db}: the crawl did not start (see the log above)")
