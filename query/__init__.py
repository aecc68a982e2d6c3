"""The query language: Finnish-aware index terms (`lemmas`) and the analyst's search syntax
turned into FTS5 (`search`).

Both the indexing side (extraction workers, `privacy`) and the Datasette plugin import it, so
it imports nothing of the store, the crawler or Datasette (tests/test_layout.py checks).
"""
