"""The Scrapy project: settings, the source-driven `councils` spider, middlewares."""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/ris3watch/ris3watch"
