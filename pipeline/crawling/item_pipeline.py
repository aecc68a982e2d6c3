"""The Scrapy item pipeline: crawled items dispatched to the extraction pool and the store.

Extraction is CPU work, so it runs in a process pool sized to the cores while the
reactor keeps downloading; only the short SQLite write happens on the reactor thread.
The links a worker found go back to the spider (`follow`), which decides and schedules:
each page is parsed once; a 304 hands on the links stored for the page the same way. What
the run requests comes from the frontier (`pipeline/frontier.py`), and every outcome goes
back to it in the same group of writes as the page. The run's rules are `runs.outcome`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urldefrag

from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DropItem
from twisted.internet.task import LoopingCall

from crawler.items import (
    Discovery,
    Excluded,
    FetchFailure,
    Gone,
    KnownPage,
    NotModified,
    RawPage,
    StoreKnowledge,
)
from extract import ExtractError
from extract.links import scan_links
from extract.template import NO_TEMPLATE, Template

from .. import runs
from ..changes import content_hash
from ..db import StoreError, now
from ..frontier import Frontier
from ..privacy import drop_stale_contacts
from ..relevance import promote_linked
from ..store import Fetch, Store
from ..templates import (
    MIN_PAGES,
    learn_template,
    load_templates,
    record_blocks,
    refresh_templates,
    settled_sources,
)
from .pool import ExtractionPool, TooLarge
from .worker import process_document, process_page, warm_up

logger = logging.getLogger(__name__)
# Writes are committed in groups of this many, or at least this often (see
# Store.begin_group): a kill loses at most one group, which the next run fetches again.
_GROUP_WRITES, _GROUP_SECONDS = 100, 1.0
# A new source's template is settled by its 256th page; learning reads every page's block
# keys on the reactor thread (~16 ms at 256 pages), so it stops there.
_LEARN_UNTIL = 256


# Sent once per crawl to whoever runs it (`run_crawl` connects to it): `result`, the
# finished run as written to `crawl_runs`, or `error`, why the store could not be opened.
run_closed = object()


class StorePipeline:
    """The crawl's only writer: opens the store, tells the spider what the store knows and
    what the frontier schedules, and dispatches each item (pages and documents to the
    extraction pool, then the store; 304s, removals and failures straight to the store).
    Writes are committed in groups. It is also the spider's `FrontierWriter`.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.db_path = Path(settings.get("RIS3WATCH_DB"))
        self.workers = settings.getint("RIS3WATCH_WORKERS") or os.cpu_count() or 1
        self.progress_every = max(1, settings.getint("RIS3WATCH_PROGRESS_EVERY"))
        self.extract_timeout = settings.getfloat("RIS3WATCH_EXTRACT_TIMEOUT")
        self.extract_max_bytes = settings.getint("RIS3WATCH_EXTRACT_MAX_BYTES")
        self.contact_retention_days = settings.getint("RIS3WATCH_CONTACT_RETENTION_DAYS")
        self.gone_after = settings.getint("RIS3WATCH_GONE_AFTER_RUNS")
        self.frontier: Frontier | None = None
        self.gone_now: list[dict[str, str]] = []  # URLs this run gave up on, reported once
        self.counts: Counter[str] = Counter()
        self.field_errors: Counter[str] = Counter()  # "stage:ExceptionType" -> pages
        self.group_writes = 0
        self.committer = LoopingCall(self._commit)
        self.stored_by_source: Counter[str] = Counter()
        # Start URLs that answered 404/410 or redirected out of scope: the registry is wrong.
        self.start_urls: dict[str, set[str]] = {}
        self.dead_start_urls: list[dict] = []
        self.store: Store | None = None
        self.templates: dict[str, Template] = {}
        self.extracted: Counter[str] = Counter()  # pages extracted per source this run
        self.settled: set[str] = set()
        self.pool: ExtractionPool | None = None
        self.threads: ThreadPoolExecutor | None = None
        self.run_id = 0
        self.started = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        source_ids = [s.id for s in spider.sources]
        try:
            self.store = Store.open(self.db_path)
        except StoreError as exc:
            self._unusable(exc)
        try:
            self.store.lock()
        except StoreError as exc:
            self.store.db.conn.close()
            self._unusable(exc)
        runs.sync_sources(self.store.db, spider.sources)
        self.start_urls = {
            s.id: {urldefrag(url)[0] for url in s.start_urls} for s in spider.sources
        }
        self.run_id = runs.start_run(self.store.db, source_ids)
        # Learned at the end of earlier runs (and as this one goes for new sources: `_learn`).
        self.templates = load_templates(self.store.db)
        self.settled = settled_sources(self.store.db)
        # The store tells the spider what it already has: revisits and validators.
        known = {
            url: KnownPage(source_id=source, depth=depth, etag=etag, last_modified=modified)
            for url, (source, depth, etag, modified) in self.store.known_pages(source_ids).items()
        }
        self.frontier = Frontier(self.store.db, self.gone_after)
        due, held = self.frontier.schedule(self.run_id, source_ids)
        spider.prepare(StoreKnowledge(pages=known, due=due, held=held, frontier=self))
        self.started = time.monotonic()
        self.committer.start(_GROUP_SECONDS, now=False)
        logger.info(
            "Run %s: crawling %d source(s) into %s (%d known pages, %d URLs due, %d held back)",
            self.run_id,
            len(source_ids),
            self.db_path,
            len(known),
            len(due),
            len(held),
        )

    def discovered(self, found: Sequence[Discovery]) -> None:
        """The spider's new URLs, into the frontier before they are requested (in the
        current group, never committed apart from the page that found them: a kill that
        loses them loses that page too, and the next run fetches it again)."""
        self.store.begin_group()
        self.frontier.discover(found, now())

    def excluded(self, url: str, source_id: str, reason: str) -> None:
        self.store.begin_group()
        self.frontier.exclude(url, reason, now())

    def _unusable(self, exc: StoreError) -> None:
        logger.error("%s", exc)
        self.store = None
        self.crawler.signals.send_catch_log(run_closed, error=str(exc))
        raise CloseSpider("store_unusable") from exc

    def _start_pool(self) -> None:
        """On the first page to extract: a re-crawl that finds nothing changed never starts
        the workers (~90 MB and a second of CPU for imports each)."""
        if self.pool is None:
            logger.info("Starting %d extraction worker(s)", self.workers)
            self.pool = ExtractionPool(self.workers, self.extract_timeout, warm_up)
            # One waiting thread per worker process: the reactor thread never waits.
            self.threads = ThreadPoolExecutor(self.workers, thread_name_prefix="extract")

    async def process_item(self, item):
        if isinstance(item, Excluded):
            # A deliberate skip (the spider counted it as settled): remembered, not retried.
            self._writing()
            self.frontier.exclude(item.url, item.reason, item.at)
            return item
        self.counts["settled"] += 1
        if isinstance(item, FetchFailure):
            self._error(item.url, item.source_id, item.status, item.error, item.at)
            self._check_start_url(item.source_id, item.url, item.status, item.error)
        elif isinstance(item, NotModified):
            self._writing()
            outcome = self.store.mark_not_modified(self.run_id, item.url, item.fetched_at)
            self.frontier.fetched(item.url, item.source_id, item.depth, item.fetched_at)
            self.counts["pages_not_modified"] += 1
            self.counts["pages_changed"] += outcome == "restored"
            self.stored_by_source[item.source_id] += 1
            # As if the page had been fetched and parsed again: its links are followed.
            if links := self.frontier.links_of(item.url):
                self.crawler.spider.follow(item, links)
        elif isinstance(item, Gone):
            self._writing()
            outcome = self.store.mark_removed(self.run_id, item.url, item.fetched_at)
            error = f"http_{item.status}"
            self.frontier.fetched(item.url, item.source_id, None, item.fetched_at, error)
            self.counts["pages_removed"] += outcome == "removed"
            self.counts["pages_gone"] += 1
            self.stored_by_source[item.source_id] += 1
            self._check_start_url(item.source_id, item.url, item.status, error)
        elif isinstance(item, RawPage):
            await self._store_page(item)
            self._progress()
        return item

    async def _store_page(self, item: RawPage) -> None:
        self.counts["pages_seen"] += 1
        source = self.crawler.spider.by_id[item.source_id]
        loop = asyncio.get_running_loop()
        self._start_pool()
        fetch = Fetch(
            url=item.url,
            source_id=item.source_id,
            status=item.status,
            fetched_at=item.fetched_at,
            final_url=item.final_url,
            content_type=item.content_type,
            etag=item.headers.get("ETag"),
            last_modified=item.headers.get("Last-Modified"),
            depth=item.depth,
        )
        try:
            if not item.is_document and len(item.body) > self.extract_max_bytes:
                raise TooLarge(f"{len(item.body)} bytes > {self.extract_max_bytes}")
            if item.is_document:
                indexed = await loop.run_in_executor(
                    self.threads, self.pool.call, process_document, item.body, item.final_url
                )
                self._writing()
                self.store.save_document(
                    self.run_id,
                    fetch,
                    indexed.record,
                    content_hash(item.body),
                    indexed.terms,
                )
                self.frontier.fetched(item.url, item.source_id, item.depth, item.fetched_at)
                self.counts["documents_stored"] += 1
            else:
                template = self.templates.get(item.source_id, NO_TEMPLATE)
                indexed = await loop.run_in_executor(
                    self.threads,
                    self.pool.call,
                    process_page,
                    item.body,
                    item.final_url,
                    item.content_type,
                    source.name,
                    template,
                )
                self._writing()
                outcome = self.store.save_page(
                    self.run_id,
                    fetch,
                    indexed.record,
                    source.name,
                    source.ignore,
                    indexed.terms,
                )
                record = indexed.record
                with self.store.db.atomic():
                    record_blocks(
                        self.store.db,
                        record.url,
                        item.source_id,
                        record.blocks,
                        self.store.without_forgotten(record.title_candidates),
                        template,
                    )
                self._learn(item.source_id)
                self.frontier.fetched(item.url, item.source_id, item.depth, item.fetched_at)
                self.counts["pages_stored"] += 1
                self.counts[f"pages_{outcome}"] += 1
                self.field_errors.update(indexed.record.field_errors)
                self.counts["cleaning_fallbacks"] += indexed.record.cleaning_fallback
                self.crawler.spider.follow(item, [link.url for link in indexed.record.links])
            self.stored_by_source[item.source_id] += 1
        except ExtractError as exc:
            error = exc.reason + (f": {exc.detail}" if exc.detail else "")
            self._error(item.url, item.source_id, item.status, error, item.fetched_at)
            if not item.is_document:
                urls = await loop.run_in_executor(
                    self.threads, scan_links, item.body, item.final_url
                )
                self.crawler.spider.follow(item, urls)
            raise DropItem(f"{exc.reason}: {item.url}") from exc

    def _learn(self, source_id: str) -> None:
        """A new source learns its template again at 8, 16, 32, … 256 pages extracted this
        run: its pages get the template once it shows, and only the few stored before are
        rewritten at the end (`refresh_templates`). A settled source keeps the last run's
        for the whole run, so its pages compare with that run's."""
        done = self.extracted[source_id] = self.extracted[source_id] + 1
        if source_id in self.settled or done > _LEARN_UNTIL:
            return
        if done >= MIN_PAGES and done & (done - 1) == 0:
            current = self.templates.get(source_id, NO_TEMPLATE)
            self.templates[source_id] = learn_template(self.store.db, source_id, current)

    def _writing(self) -> None:
        """Join (or open) the current group of writes; commit it when it is full."""
        self.store.begin_group()
        self.group_writes += 1
        if self.group_writes > _GROUP_WRITES:
            self._commit()
            self.store.begin_group()
            self.group_writes = 1

    def _commit(self) -> None:
        if self.store:
            self.store.commit_group()
        self.group_writes = 0

    def _error(self, url: str, source_id: str, status: int | None, error: str, at: str) -> None:
        self.counts["errors"] += 1
        self.counts[f"error:{error.split(':')[0]}"] += 1
        self._writing()
        runs.record_error(self.store.db, self.run_id, url, source_id, status, error, at)
        logger.info("Error %s: %s", url, error)
        if self.frontier.failed(url, source_id, self.run_id, error, at):
            self.gone_now.append({"url": url, "source_id": source_id, "error": error})
            logger.warning(
                "Gone after failing for %d runs in a row (%s): %s", self.gone_after, error, url
            )

    def _check_start_url(self, source_id: str, url: str, status: int | None, error: str) -> None:
        """A start URL that is gone or leads out of scope means the registry needs an update
        (`ris3watch sources check`); it is named in the run's summary."""
        if url not in self.start_urls.get(source_id, ()):
            return
        if (dead := runs.dead_start_url(source_id, url, status, error)) is not None:
            self.dead_start_urls.append(dead)
            logger.warning("Start URL of %s is dead (%s): %s", source_id, error, url)

    def _progress(self) -> None:
        done = self.counts["pages_stored"] + self.counts["documents_stored"]
        if done and done % self.progress_every == 0:
            rate = done / max(time.monotonic() - self.started, 1e-6)
            logger.info(
                "Progress: %d stored, %d errors (%.1f pages/s)", done, self.counts["errors"], rate
            )

    def close_spider(self) -> None:
        if self.threads:
            self.threads.shutdown(wait=True, cancel_futures=True)
        if self.pool:
            self.pool.close()
        if not self.store:
            return
        if self.committer.running:
            self.committer.stop()
        self._commit()
        result = runs.outcome(
            self.counts,
            self.stats.get_stats(),
            self.stored_by_source,
            [s.id for s in self.crawler.spider.sources],
            time.monotonic() - self.started,
            self.dead_start_urls,
            self.frontier.counts([s.id for s in self.crawler.spider.sources]),
            self.gone_now,
        )
        status, counts, summary = result.status, result.counts, result.summary
        # Fields left empty by a failing stage, pages whose pre-cleaning was undone.
        counts["field_errors"] = sum(self.field_errors.values())
        counts["cleaning_fallbacks"] = self.counts["cleaning_fallbacks"]
        summary["field_errors"] = dict(self.field_errors)
        summary["cleaning_fallbacks"] = self.counts["cleaning_fallbacks"]
        if counts["pages_stored"]:
            self._refresh_templates(counts, summary)
        if status == "completed" and self.contact_retention_days:
            summary["contacts_dropped"] = drop_stale_contacts(
                self.store.db, self.contact_retention_days
            )
        summary["pages_related_by_links"] = promote_linked(self.store.db)
        runs.finish_run(
            self.store.db, self.run_id, status, counts, summary, json.dumps(result.dead_sources)
        )
        if counts["pages_stored"] + counts["documents_stored"]:
            self.store.optimize_search()
        self.store.close()
        if counts["lost"]:
            logger.error("Run %s lost track of %d scheduled URL(s)", self.run_id, counts["lost"])
        logger.info("Run %s %s: %s", self.run_id, status, counts)
        self.crawler.signals.send_catch_log(
            run_closed,
            result=runs.RunResult(self.run_id, status, counts, summary, result.dead_sources),
        )

    def _refresh_templates(self, counts: dict[str, int], summary: dict) -> None:
        """Learn the templates of the sources this run stored pages of; a change taken back
        (only in what turned out to be the template) counts as unchanged."""
        spider = self.crawler.spider
        learned = sorted(s for s, n in self.stored_by_source.items() if n)
        ignore = {s.id: s.ignore for s in spider.sources}
        refreshed = refresh_templates(
            self.store.db, learned, now(), ignore, self.run_id, self.templates
        )
        counts["pages_changed"] -= refreshed.changes_taken_back
        counts["pages_unchanged"] += refreshed.changes_taken_back
        summary["templates"] = {
            "blocks": refreshed.blocks,
            "pages_rewritten": refreshed.pages_rewritten,
            "changes_taken_back": refreshed.changes_taken_back,
        }
