"""Running a crawl as a child process: wall time, exit status, the peak resident memory of
its whole process tree (the crawl starts extraction workers; their memory counts too), and
the CPU time its main process and its children used.

RSS is read from /proc (psutil is not a dependency), summed over the process and all its
descendants, every `interval` seconds. Shared pages are counted once per process, as
`ps` and psutil's `rss` do, so the sum slightly overstates what the tree really holds.
"""

from __future__ import annotations

import logging
import os
import resource
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)
_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICK = os.sysconf("SC_CLK_TCK")


class RunFailed(RuntimeError):
    """A benchmark child process failed in a way that makes its figures meaningless."""


@dataclass(frozen=True)
class ProcessRun:
    returncode: int
    seconds: float
    peak_rss: int  # bytes, summed over the process tree at its largest sample
    peak_processes: int
    peak_main_rss: int  # bytes: the largest the main process alone was
    cpu_main: float  # CPU seconds of the process itself
    cpu_children: float  # CPU seconds of its descendants (extraction workers)
    cpu_here: float  # CPU seconds of this process meanwhile: the mirror server, the sampler
    foreign_load: float  # share of all cores busy with work that is not this benchmark's
    stdout: str
    log: Path


def machine_busy() -> float:
    """CPU seconds all cores have spent busy since boot (/proc/stat; idle and iowait not)."""
    with open("/proc/stat", "rb") as f:
        ticks = [int(v) for v in f.readline().split()[1:9]]
    user, nice, system, _, _, irq, softirq, steal = ticks
    return (user + nice + system + irq + softirq + steal) / _TICK


def foreign_load(busy: float, ours: float, seconds: float) -> float:
    """The share of the machine's cores other work used while we measured: another test
    run or build on the same machine makes every figure slower, so it is reported."""
    return max(0.0, busy - ours) / (seconds * (os.cpu_count() or 1)) if seconds else 0.0


def _processes() -> tuple[dict[int, list[int]], dict[int, float]]:
    """Children of every process, and every process's CPU seconds so far."""
    tree: dict[int, list[int]] = {}
    cpu: dict[int, float] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces or parentheses: fields start after the last ')'.
        fields = stat[stat.rindex(b")") + 2 :].split()
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
        cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / _TICK
    return tree, cpu


def tree_rss(pid: int) -> tuple[dict[int, int], dict[int, float]]:
    """Bytes resident and CPU seconds, by pid, of `pid` and all its descendants."""
    (tree, cpu), stack, rss, used = _processes(), [pid], {}, {}
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm", "rb") as f:
                rss[current] = int(f.read().split()[1]) * _PAGE
            used[current] = cpu.get(current, 0.0)
        except (OSError, IndexError, ValueError):
            pass
        stack.extend(tree.get(current, ()))
    return rss, used


class _Sampler(threading.Thread):
    def __init__(self, pid: int, interval: float) -> None:
        super().__init__(daemon=True, name=f"rss-{pid}")
        self.pid, self.interval = pid, interval
        self.peak, self.processes, self.peak_main = 0, 0, 0
        self.cpu: dict[int, float] = {}  # the last reading of each process in the tree
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            rss, cpu = tree_rss(self.pid)
            self.cpu.update(cpu)
            self.peak_main = max(self.peak_main, rss.get(self.pid, 0))
            if sum(rss.values()) > self.peak:
                self.peak, self.processes = sum(rss.values()), len(rss)
            self.done.wait(self.interval)


def run(argv: list[str], log: Path, cwd: Path, timeout: float, interval: float = 0.2) -> ProcessRun:
    """Run `argv`, stderr to `log`; kill its whole process group on timeout or Ctrl-C."""
    started, cpu_started, busy = time.monotonic(), time.process_time(), machine_busy()
    reaped = _children_cpu()
    with open(log, "wb") as err:
        process = subprocess.Popen(
            argv, cwd=cwd, stdout=subprocess.PIPE, stderr=err, start_new_session=True
        )
        sampler = _Sampler(process.pid, interval)
        sampler.start()
        try:
            stdout, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            stop(process)
            raise RunFailed(f"{argv[2:4]} took longer than {timeout:g} s (log: {log})") from exc
        except BaseException:
            stop(process)
            raise
        finally:
            sampler.done.set()
            sampler.join()
    seconds = time.monotonic() - started
    busy = machine_busy() - busy
    # The exact CPU of the whole tree comes from the kernel once the child is reaped (its
    # own reaped workers included); the main process's share is its last sample.
    tree = _children_cpu() - reaped
    main = min(sampler.cpu.pop(process.pid, 0.0), tree)
    children, here = tree - main, time.process_time() - cpu_started
    return ProcessRun(
        process.returncode,
        seconds,
        sampler.peak,
        sampler.processes,
        sampler.peak_main,
        main,
        children,
        here,
        foreign_load(busy, main + children + here, seconds),
        stdout.decode("utf-8", "replace"),
        log,
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the child's own process group (it and its workers, nothing else), then
    SIGKILL if it has not gone within 10 s."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue
