"""Files that ship with the package, found wherever it is installed (not from the checkout).

The registry and the sample sites are package data of `crawler` and `samples`. Datasette's
configuration directory (`datasette/` in the checkout) is installed as the namespace package
`ris3watch_datasette`: `datasette` is the library's name. It is found with `find_spec`, since
`importlib.resources` cannot read a namespace package of an editable install on Python 3.11.
"""

from __future__ import annotations

import importlib.util
from importlib.resources import files
from pathlib import Path

DEFAULT_SOURCES = "crawler/sources.toml"
DEFAULT_DB = "data/ris3watch.db"


def resolve_sources(path: str) -> Path:
    """The default registry is found from any working directory (the installed copy when
    there is no `crawler/sources.toml` here)."""
    candidate = Path(path)
    if path == DEFAULT_SOURCES and not candidate.exists():
        return Path(str(files("crawler") / "sources.toml"))
    return candidate


def samples_dir() -> Path:
    """The sample sites and their registry (`samples/`)."""
    return Path(str(files("samples")))


def datasette_dir() -> Path:
    """Datasette's configuration: metadata, queries, templates and the plugin."""
    spec = importlib.util.find_spec("ris3watch_datasette")
    for location in spec.submodule_search_locations if spec else ():
        if (Path(location) / "metadata.json").is_file():
            return Path(location)
    raise FileNotFoundError("ris3watch_datasette is not installed (run `make install`)")
