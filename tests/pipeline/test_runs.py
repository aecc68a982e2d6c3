"""A run's outcome from what the item pipeline counted and Scrapy's stats (a pure function)."""

import pytest

from pipeline.runs import outcome

TALLY = {"settled": 5, "pages_seen": 4, "pages_stored": 3, "pages_new": 2, "pages_restored": 1}
TALLY |= {"errors": 1, "error:http_404": 1, "pages_not_modified": 1}
STATS = {"finish_reason": "finished", "ris3watch/scheduled": 5}


@pytest.mark.parametrize(
    ("stats", "stored", "status", "lost", "dead"),
    [
        (STATS, {"a": 3, "b": 1}, "completed", 0, []),
        (STATS, {"a": 3}, "completed", 0, ["b"]),  # b failed entirely
        (STATS, {}, "failed", 0, ["a", "b"]),  # nothing stored anywhere
        (STATS | {"finish_reason": "shutdown"}, {"a": 3}, "interrupted", 0, ["b"]),
        (STATS | {"finish_reason": "closespider_pagecount"}, {"a": 1, "b": 1}, "completed", 0, []),
        (STATS | {"ris3watch/scheduled": 8}, {"a": 1, "b": 1}, "completed", 3, []),
        (  # deliberate skips of scheduled pages are accounted for
            STATS | {"ris3watch/scheduled": 8, "ris3watch/settled_skips": 3},
            {"a": 1, "b": 1},
            "completed",
            0,
            [],
        ),
        (
            STATS | {"finish_reason": "shutdown", "ris3watch/scheduled": 9},
            {"a": 1},
            "interrupted",
            0,
            ["b"],
        ),
    ],
)
def test_status_lost_and_dead_sources(stats, stored, status, lost, dead):
    result = outcome(TALLY, stats, stored, ["a", "b"], 12.34)
    assert (result.status, result.counts["lost"], result.dead_sources) == (status, lost, dead)


def test_counts_and_summary():
    stats = STATS | {
        "ris3watch/skipped/max_depth": 2,
        "ris3watch/skipped/not_html:image/png": 1,
        "ris3watch/refused/out_of_scope": 4,
        "ris3watch/reactor_max_stall_ms": 80,
        "robotstxt/request_count": 1,
    }
    frontier = {"pending": 2, "fetched": 5, "failed": 1, "gone": 1, "excluded": 0}
    gone = [{"url": "http://x/", "source_id": "a", "error": "http_503"}]
    result = outcome(TALLY, stats, {"a": 1, "b": 1}, ["a", "b"], 12.34, (), frontier, gone)
    assert result.counts == {
        "pages_seen": 4,
        "pages_stored": 3,
        "pages_new": 2,
        "pages_changed": 1,  # restored pages count as changed
        "pages_unchanged": 0,
        "pages_removed": 0,
        "pages_not_modified": 1,
        "documents_stored": 0,
        "errors": 1,
        "skipped": 3,
        "lost": 0,
    }
    assert result.summary == {
        "wall_seconds": 12.3,
        "errors_by_reason": {"http_404": 1},
        "skipped_by_reason": {"max_depth": 2, "not_html:image/png": 1},
        "refused_by_reason": {"out_of_scope": 4},
        "finish_reason": "finished",
        "reactor_max_stall_ms": 80,
        "dead_start_urls": [],
        "dead_start_urls_by_source": {},
        "reached_by_source": {"a": 1, "b": 1},  # what the ops alert compares run to run
        "frontier": frontier,  # after the run: `runs` and the crawl summary show it
        "gone_this_run": gone,
    }
