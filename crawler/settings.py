"""Scrapy settings: polite by default. Lift politeness per run with `--set`, never here."""

from crawler import PROJECT_URL, __version__

BOT_NAME = "ris3watch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = f"ris3watch/{__version__} (+{PROJECT_URL})"
ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"

# One request at a time per host, a delay, and AutoThrottle backing off slow servers.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
# Scrapy stops sending requests while the responses waiting for the item pipeline
# exceed this. Above the largest page extracted (RIS3WATCH_EXTRACT_MAX_BYTES, 10 MB), so
# one big page waiting for its worker does not freeze every other host (Scrapy's 5 MB
# did); well below DOWNLOAD_MAXSIZE, so a fast crawl does not queue ~400 pages (~100 MB
# of the crawl process) ahead of the workers.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 12 * 1024 * 1024
# A page callback yields one item; Scrapy starts this many asyncio tasks per response
# whatever it yields (100 by default: a sixth of the crawl process's CPU).
CONCURRENT_ITEMS = 4
REDIRECT_MAX_TIMES = 5
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Depth is per source (`max_depth` in the registry); this is only a safety net for
# sitemap requests. Followed links carry their own depth and priority (shallow first).
DEPTH_LIMIT = 12
DEPTH_PRIORITY = 1

TELNETCONSOLE_ENABLED = False
# Scrapy's remote-control HTTP port: a nightly job needs no listening socket.
REMOTE_CONTROL_ENABLED = False
COOKIES_ENABLED = False
# Only http(s): no file://, data:, ftp: or s3: from any link or redirect.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.ScopeMiddleware": 50,
    "crawler.middlewares.ConditionalRequestMiddleware": 60,
    # robots.txt answering 5xx or timing out: the host is not crawled this run.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.PoliteRobotsTxtMiddleware": 100,
    # Sees a 503/429 before RetryMiddleware (550) does: Retry-After is waited, per host.
    "crawler.middlewares.RetryAfterMiddleware": 555,
}
ITEM_PIPELINES = {
    "pipeline.crawling.item_pipeline.StorePipeline": 300,
}
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "crawler.extensions.ReactorStallMonitor": 0,
}

LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 30.0
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

# ris3watch's own settings (read in `from_crawler`).
RIS3WATCH_DB = "data/ris3watch.db"
RIS3WATCH_SOURCES = "crawler/sources.toml"
RIS3WATCH_WORKERS = 0  # extraction processes; 0 = one per core
RIS3WATCH_EXTRACT_TIMEOUT = 60  # seconds per page before its worker is replaced
RIS3WATCH_EXTRACT_MAX_BYTES = 10 * 1024 * 1024  # larger HTML is recorded too_large
RIS3WATCH_MAX_PAGES = 0  # per crawl; 0 = no limit
RIS3WATCH_PROGRESS_EVERY = 25
RIS3WATCH_RETRY_AFTER_MAX = 60  # seconds of Retry-After waited within a run; longer: next run
RIS3WATCH_GONE_AFTER_RUNS = 30  # runs a URL may fail in a row before the frontier drops it
RIS3WATCH_CONTACT_RETENTION_DAYS = 365  # contacts no page has shown for this long are dropped
