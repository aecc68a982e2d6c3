"""The Scrapy item pipeline: a thin adapter from crawled items to `extract` and the store.

Extraction is CPU work, so it runs in a process pool sized to the cores while the
reactor keeps downloading; only the short SQLite write happens on the reactor thread.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import FetchFailure, RawPage
from extract import ExtractError, extract_document, extract_page

from .changes import content_hash
from .store import Fetch, Store

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.db_path = Path(settings.get("RIS3WATCH_DB"))
        self.workers = settings.getint("RIS3WATCH_WORKERS") or os.cpu_count() or 1
        self.progress_every = max(1, settings.getint("RIS3WATCH_PROGRESS_EVERY"))
        self.counts: Counter[str] = Counter()
        self.store: Store | None = None
        self.pool: ProcessPoolExecutor | None = None
        self.run_id = 0
        self.started = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.store = Store.open(self.db_path)
        self.store.lock()
        self.store.sync_sources(spider.sources)
        self.run_id = self.store.start_run([s.id for s in spider.sources])
        self.stats.set_value("ris3watch/run_id", self.run_id)
        # "spawn": workers must not inherit the running reactor and its sockets.
        self.pool = ProcessPoolExecutor(
            self.workers, mp_context=multiprocessing.get_context("spawn")
        )
        self.started = time.monotonic()
        logger.info(
            "Run %s: crawling %d source(s) into %s with %d extraction worker(s)",
            self.run_id,
            len(spider.sources),
            self.db_path,
            self.workers,
        )

    async def process_item(self, item: RawPage | FetchFailure) -> RawPage | FetchFailure:
        if isinstance(item, FetchFailure):
            self._error(item.url, item.source_id, item.status, item.error, item.at)
            return item
        self.counts["pages_seen"] += 1
        source = self.crawler.spider.by_id[item.source_id]
        loop = asyncio.get_running_loop()
        fetch = Fetch(
            url=item.url,
            source_id=item.source_id,
            status=item.status,
            fetched_at=item.fetched_at,
            final_url=item.final_url,
            content_type=item.content_type,
            etag=item.headers.get("ETag"),
            last_modified=item.headers.get("Last-Modified"),
        )
        try:
            if item.is_document:
                record = await loop.run_in_executor(
                    self.pool, extract_document, item.body, item.final_url
                )
                outcome = self.store.save_document(
                    self.run_id, fetch, record, content_hash(item.body)
                )
                self.counts["documents_stored"] += 1
            else:
                record = await loop.run_in_executor(
                    self.pool,
                    extract_page,
                    item.body,
                    item.final_url,
                    item.content_type,
                    source.name,
                )
                outcome = self.store.save_page(
                    self.run_id, fetch, record, source.name, source.ignore
                )
                self.counts["pages_stored"] += 1
                self.counts[f"pages_{outcome}"] += 1
        except ExtractError as exc:
            self._error(
                item.url,
                item.source_id,
                item.status,
                exc.reason + (f": {exc.detail}" if exc.detail else ""),
                item.fetched_at,
            )
            raise DropItem(f"{exc.reason}: {item.url}") from exc
        self._progress()
        return item

    def _error(self, url: str, source_id: str, status: int | None, error: str, at: str) -> None:
        self.counts["errors"] += 1
        self.counts[f"error:{error.split(':')[0]}"] += 1
        self.store.record_error(self.run_id, url, source_id, status, error, at)
        logger.info("Error %s: %s", url, error)

    def _progress(self) -> None:
        done = self.counts["pages_stored"] + self.counts["documents_stored"]
        if done % self.progress_every == 0:
            rate = done / max(time.monotonic() - self.started, 1e-6)
            logger.info(
                "Progress: %d pages stored, %d errors (%.1f pages/s)",
                done,
                self.counts["errors"],
                rate,
            )

    def close_spider(self) -> None:
        if self.pool:
            self.pool.shutdown(wait=True, cancel_futures=True)
        if not self.store:
            return
        stats = self.stats.get_stats()
        skipped = {
            k.rsplit("/", 1)[-1]: v for k, v in stats.items() if k.startswith("ris3watch/skipped/")
        }
        refused = {
            k.rsplit("/", 1)[-1]: v for k, v in stats.items() if k.startswith("ris3watch/refused/")
        }
        reason = stats.get("finish_reason", "finished")
        stored = self.counts["pages_stored"] + self.counts["documents_stored"]
        if reason not in ("finished", "closespider_itemcount", "closespider_pagecount"):
            status = "interrupted"
        elif stored == 0:
            status = "failed"
        else:
            status = "completed"
        counts = {
            "pages_seen": self.counts["pages_seen"],
            "pages_stored": self.counts["pages_stored"],
            "pages_new": self.counts["pages_new"],
            "pages_changed": self.counts["pages_changed"] + self.counts["pages_restored"],
            "pages_unchanged": self.counts["pages_unchanged"],
            "documents_stored": self.counts["documents_stored"],
            "errors": self.counts["errors"],
            "skipped": sum(skipped.values()),
        }
        errors_by_reason = {
            k.split(":", 1)[1]: v for k, v in self.counts.items() if k.startswith("error:")
        }
        summary = {
            "wall_seconds": round(time.monotonic() - self.started, 1),
            "errors_by_reason": errors_by_reason,
            "skipped_by_reason": skipped,
            "refused_by_reason": refused,
            "finish_reason": reason,
        }
        self.store.finish_run(self.run_id, status, counts, summary)
        self.store.close()
        logger.info("Run %s %s: %s", self.run_id, status, counts)
