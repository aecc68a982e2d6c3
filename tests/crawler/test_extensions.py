"""The reactor stall monitor, the Scrapy way: built from a crawler, driven by its signals,
with the clock it reads replaced (no real waiting)."""

import pytest
from scrapy import signals
from scrapy.utils.test import get_crawler

from crawler import extensions
from crawler.extensions import ReactorStallMonitor
from crawler.spiders.councils import CouncilsSpider


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(extensions.time, "monotonic", lambda: now[0])
    return now


@pytest.mark.parametrize(
    ("late_by", "expected_ms"),
    [
        ([0.0, 0.0], None),  # ticks on time: nothing recorded
        ([0.25], 250),
        ([0.1, 0.4, 0.2], 400),  # the longest stall is kept
    ],
)
def test_the_longest_stall_is_recorded(clock, late_by, expected_ms):
    crawler = get_crawler(CouncilsSpider)
    monitor = ReactorStallMonitor.from_crawler(crawler)
    crawler.signals.send_catch_log(signals.spider_opened, spider=None)
    try:
        assert monitor.loop.running
        for late in late_by:
            clock[0] = monitor.expected + late
            monitor.tick()
    finally:
        crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")
    assert not monitor.loop.running
    assert crawler.stats.get_value("ris3watch/reactor_max_stall_ms") == expected_ms
