"""Datasette with the project's configuration directory, read-only and time-limited."""

from __future__ import annotations

import errno
import socket

from .resources import datasette_dir

CONFIG_DIR = datasette_dir()
SETTINGS = {
    "sql_time_limit_ms": "3000",
    "max_returned_rows": "1000",
    "allow_download": "off",
    # CSV exports are rewritten to neutralise formulas: no unbounded streams.
    "allow_csv_stream": "off",
    "default_page_size": "50",
}


class PortInUse(OSError):
    pass


def check_port(host: str, port: int) -> None:
    """Fail with a clear message before Datasette prints a traceback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(
                    f"port {port} on {host} is already in use; pick another with --port"
                ) from exc
            raise


def datasette_args(db: str, host: str, port: int, allow_sql: bool = True) -> list[str]:
    """The `datasette serve` command line for a ris3watch database."""
    args = [
        "serve",
        db,
        "--host",
        host,
        "--port",
        str(port),
        "--metadata",
        str(CONFIG_DIR / "metadata.json"),
        "--template-dir",
        str(CONFIG_DIR / "templates"),
        "--plugins-dir",
        str(CONFIG_DIR / "plugins"),
    ]
    settings = dict(SETTINGS)
    for name, value in settings.items():
        args += ["--setting", name, value]
    if not allow_sql:
        args += ["--setting", "default_allow_sql", "off"]
    return args
