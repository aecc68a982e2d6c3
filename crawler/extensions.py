"""Crawl extensions: a watch on the reactor, since CPU work on it freezes every download."""

from __future__ import annotations

import time

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task


class ReactorStallMonitor:
    """Ticks every 50 ms and records the longest delay past a tick's due time
    (`ris3watch/reactor_max_stall_ms`): how long the reactor was kept from its work."""

    INTERVAL = 0.05

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.loop: task.LoopingCall | None = None
        self.expected = 0.0
        self.worst = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReactorStallMonitor:
        monitor = cls(crawler)
        crawler.signals.connect(monitor.start, signal=signals.spider_opened)
        crawler.signals.connect(monitor.stop, signal=signals.spider_closed)
        return monitor

    def start(self) -> None:
        self.expected = time.monotonic() + self.INTERVAL
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.INTERVAL, now=False)

    def tick(self) -> None:
        now = time.monotonic()
        if now - self.expected > self.worst:
            # Kept current: the item pipeline reads it before spider_closed fires.
            self.worst = now - self.expected
            self.stats.set_value("ris3watch/reactor_max_stall_ms", round(self.worst * 1000))
        self.expected = now + self.INTERVAL

    def stop(self) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
