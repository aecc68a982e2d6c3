"""The reference: the "obvious" Scrapy + Trafilatura spider, to compare ris3watch against.

It follows every same-host link from its start URLs and calls Trafilatura in the
callback, on the reactor thread, and stores nothing. This is what most tutorials do and
what Scrapy issues #3751/#4602 warn about: while a page is extracted no download proceeds.

    python -m bench.naive_spider URL [URL ...] [--set NAME=VALUE ...]

It only ever requests loopback (127.0.0.0/8) URLs: anything else is dropped before it
becomes a request. On exit it prints one JSON line: pages fetched, pages with extracted
text, seconds.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import sys
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
import trafilatura
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response
from scrapy.linkextractors import LinkExtractor


def is_loopback(url: str) -> bool:
    try:
        return ipaddress.ip_address(urlsplit(url).hostname or "").is_loopback
    except ValueError:
        return False


class NaiveSpider(scrapy.Spider):
    name = "naive"

    def __init__(self, urls: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [u for u in urls if is_loopback(u)]
        self.links = LinkExtractor()
        self.pages = 0
        self.extracted = 0

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        self.pages += 1
        document = trafilatura.extract(response.text, output_format="json", with_metadata=True)
        self.extracted += document is not None
        host = urlsplit(response.url).netloc
        for link in self.links.extract_links(response):
            if urlsplit(link.url).netloc == host and is_loopback(link.url):
                yield response.follow(link.url, callback=self.parse)


def _value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="NAME=VALUE"
    )
    args = parser.parse_args(argv)
    settings = {
        "USER_AGENT": "ris3watch-bench-naive",
        "ROBOTSTXT_OBEY": True,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
    }
    for override in args.overrides:
        name, _, value = override.partition("=")
        settings[name] = _value(value)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NaiveSpider)
    started = time.monotonic()
    process.crawl(crawler, urls=args.urls)
    process.start()
    spider = crawler.spider
    print(
        json.dumps(
            {
                "pages": spider.pages,
                "extracted": spider.extracted,
                "seconds": round(time.monotonic() - started, 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
