"""The SQLite store, change detection, the Scrapy item pipeline and the `ris3watch` CLI."""
