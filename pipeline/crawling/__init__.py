"""Crawl orchestration: the Scrapy item pipeline (dispatch), the extraction pool and its
worker functions, and running a crawl from Python (`run`).

Everything that imports Scrapy in `pipeline/` lives here, so the other commands never load it.
"""
