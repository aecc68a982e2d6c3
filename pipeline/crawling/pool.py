"""Extraction worker processes with a per-page time limit and a size cap.

Trafilatura has no timeout and no input limit (a 17 MB table page took 32 s and 1.8 GB),
and a ProcessPoolExecutor cannot stop one task. So each worker is a process of its own
with a pipe: a page that overruns its time is answered `ExtractTimeout`, its worker is
killed and replaced, and the other workers carry on. Calls block a thread, never the
reactor: the item pipeline runs them with `run_in_executor`.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from extract import ExtractError

logger = logging.getLogger(__name__)
_CONTEXT = multiprocessing.get_context("spawn")  # never fork a process running a reactor


class ExtractTimeout(ExtractError):
    reason = "extract_timeout"


class TooLarge(ExtractError):
    reason = "too_large"


class WorkerCrashed(ExtractError):
    reason = "worker_crashed"


_STARTUP_TIMEOUT = 300  # seconds for a new worker's imports; not part of any page's time


def _serve(conn: Connection, warm_up: Callable[[], object] | None) -> None:
    """The worker's loop: warm up, say so, then call, answer, repeat until the pipe closes."""
    if warm_up is not None:
        warm_up()
    conn.send(("ready", None))
    while True:
        try:
            function, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", function(*args)))
        except ExtractError as exc:
            conn.send(("extract_error", (exc.reason, exc.detail)))
        except Exception as exc:  # noqa: BLE001 - any bug in one page is that page's error
            conn.send(("error", f"{type(exc).__name__}: {exc}"[:300]))


class _Worker:
    def __init__(self, warm_up: Callable[[], object] | None) -> None:
        self.conn, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_serve, args=(child, warm_up), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self) -> None:
        """A fresh worker imports Trafilatura and Voikko first: that time is not a page's."""
        if not self.ready:
            if not self.conn.poll(_STARTUP_TIMEOUT):
                raise WorkerCrashed("worker did not start")
            self.conn.recv()
            self.ready = True

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class ExtractionPool:
    """`size` worker processes; `call(fn, *args)` runs fn in one of them, within `timeout`."""

    def __init__(
        self, size: int, timeout: float, warm_up: Callable[[], object] | None = None
    ) -> None:
        self.timeout = timeout
        self.warm_up = warm_up
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.workers: list[_Worker] = []
        self.lock = threading.Lock()
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self.warm_up)
        with self.lock:
            self.workers.append(worker)
        self.idle.put(worker)

    def call(self, function: Callable[..., Any], *args: Any) -> Any:
        worker = self.idle.get()
        try:
            worker.wait_ready()
            worker.conn.send((function, args))
            if not worker.conn.poll(self.timeout):
                self._replace(worker)
                raise ExtractTimeout(f"no result within {self.timeout:g} s")
            status, value = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            self._replace(worker)
            raise WorkerCrashed(str(exc) or type(exc).__name__) from exc
        self.idle.put(worker)
        if status == "ok":
            return value
        if status == "extract_error":
            error = ExtractError(value[1])
            error.reason = value[0]
            raise error
        raise ExtractError(value)

    def _replace(self, worker: _Worker) -> None:
        logger.warning("Replacing extraction worker %s", worker.process.pid)
        worker.kill()
        with self.lock:
            self.workers.remove(worker)
        self._add()

    def close(self) -> None:
        with self.lock:
            workers, self.workers = self.workers, []
        for worker in workers:
            worker.conn.close()
            worker.process.join(2)
            if worker.process.is_alive():
                worker.process.kill()
