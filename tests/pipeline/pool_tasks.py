"""Functions the extraction pool's tests run in its workers (importable by a spawned process)."""

import os
import threading

from extract.errors import EmptyPage


def pid() -> int:
    return os.getpid()


def echo(value):
    return value


def hang() -> None:
    threading.Event().wait()  # never returns: only the pool's timeout ends it


def crash() -> None:
    os._exit(3)


def refuse() -> None:
    raise EmptyPage("nothing to extract")


def bug() -> None:
    raise KeyError("title")
