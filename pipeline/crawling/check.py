"""Running `sources check`: `SourcesCheckSpider` in a Scrapy process with the crawl's own
settings (`build_settings`), nothing stored."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from scrapy.crawler import CrawlerProcess

from crawler.sources import load_sources
from crawler.spiders.check import SourcesCheckSpider

from ..resources import DEFAULT_DB
from ..sources_check import Verdict, judge, unanswered
from .run import CrawlSetupError, build_settings

# The report says what robots.txt and the retries did: their own error lines are noise here.
_QUIET = ("scrapy.downloadermiddlewares.robotstxt", "scrapy.downloadermiddlewares.retry")


def run_check(sources: str, only: list[str], overrides: list[str] = ()) -> list[Verdict]:
    """Fetch every start URL of the enabled (or the named) sources once; judge each answer,
    in registry order."""
    registry = load_sources(sources)
    unknown = sorted(set(only) - {s.id for s in registry})
    if unknown:
        raise CrawlSetupError(f"unknown source id(s): {', '.join(unknown)}")
    selected = [s for s in registry if (s.id in only if only else s.enabled)]
    if not selected:
        raise CrawlSetupError(f"{sources}: no enabled sources")
    # The database setting is unused: the check spider switches the store off.
    settings = build_settings(DEFAULT_DB, str(sources), list(overrides))
    settings.set("LOG_LEVEL", "WARNING", priority="spider")
    process = CrawlerProcess(settings)
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    crawler = process.create_crawler(SourcesCheckSpider)
    process.crawl(crawler, sources=selected, source=",".join(only))
    process.start()
    found = {(c.source_id, c.url): c for c in crawler.spider.results}
    checks = [
        found.get((s.id, url)) or unanswered(s.id, url) for s in selected for url in s.start_urls
    ]
    return judge(checks, datetime.now(UTC).date())
