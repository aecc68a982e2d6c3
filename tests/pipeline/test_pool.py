"""The extraction pool: results, errors, a page over its time limit, a crashed worker.

A timeout is tested with a call that never returns, so the outcome does not depend on how
fast the machine is; every other call has the whole deadline.
"""

import pytest

from extract import ExtractError
from pipeline.crawling.pool import ExtractionPool, ExtractTimeout, WorkerCrashed
from tests.conftest import DEADLINE
from tests.pipeline import pool_tasks


@pytest.fixture
def pool():
    pool = ExtractionPool(1, DEADLINE)
    yield pool
    pool.close()


def test_a_call_runs_in_a_worker_process(pool):
    assert pool.call(pool_tasks.echo, {"a": [1, 2]}) == {"a": [1, 2]}
    worker = pool.call(pool_tasks.pid)
    assert pool.call(pool_tasks.pid) == worker  # the worker is reused


@pytest.mark.parametrize(
    ("task", "reason", "message"),
    [
        (pool_tasks.refuse, "empty_page", "nothing to extract"),
        (pool_tasks.bug, "extract_error", "KeyError: 'title'"),
    ],
)
def test_errors_come_back_as_extract_errors(pool, task, reason, message):
    worker = pool.call(pool_tasks.pid)
    with pytest.raises(ExtractError) as raised:
        pool.call(task)
    assert raised.value.reason == reason and message in str(raised.value)
    assert pool.call(pool_tasks.pid) == worker  # an error in a page keeps its worker


@pytest.mark.parametrize(
    ("task", "error", "timeout"),
    [(pool_tasks.hang, ExtractTimeout, 0.5), (pool_tasks.crash, WorkerCrashed, DEADLINE)],
)
def test_a_stuck_or_dead_worker_is_replaced(pool, task, error, timeout):
    worker = pool.call(pool_tasks.pid)
    pool.timeout = timeout
    with pytest.raises(error):
        pool.call(task)
    pool.timeout = DEADLINE
    replacement = pool.call(pool_tasks.pid)
    assert replacement != worker
    assert len(pool.workers) == 1 and pool.workers[0].process.pid == replacement
    assert pool.call(pool_tasks.echo, "still working") == "still working"


def test_close_stops_every_worker():
    pool = ExtractionPool(2, DEADLINE)
    processes = [w.process for w in pool.workers]
    pool.call(pool_tasks.pid)
    pool.close()
    assert not any(p.is_alive() for p in processes)
