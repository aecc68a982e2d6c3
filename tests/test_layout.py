"""The rooms of the house: what each package may import, no import cycles, small modules."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("crawler", "extract", "pipeline", "query", "datasette", "samples")
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path) -> set[str]:
    """Every module `name` imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            out.add(base)
            out |= {f"{base}.{alias.name}" for alias in node.names}
    return out


MODULES = _modules()
GRAPH = {
    name: {m for m in _imports(name, path) if m in MODULES and m != name}
    for name, path in MODULES.items()
}


@pytest.mark.parametrize(
    "package, forbidden",
    [
        ("extract", ("scrapy", "twisted", "sqlite3", "sqlite_utils", "datasette", "pipeline")),
        ("query", ("scrapy", "twisted", "sqlite3", "sqlite_utils", "pipeline", "crawler")),
        ("crawler", ("datasette", "pipeline")),
        ("datasette", ("crawler", "scrapy", "extract")),
    ],
)
def test_packages_import_only_what_they_may(package, forbidden):
    offending = {
        f"{name} imports {imported}"
        for name, path in MODULES.items()
        if name == package or name.startswith(package + ".")
        for imported in _imports(name, path)
        if any(imported == f or imported.startswith(f + ".") for f in forbidden)
    }
    assert not offending


def test_the_plugin_imports_only_the_query_language_and_reports():
    project = {
        imported
        for name, path in MODULES.items()
        if name.startswith("datasette.")
        for imported in _imports(name, path)
        if imported.split(".")[0] in PACKAGES and imported.split(".")[0] != "datasette"
    }
    allowed = {"pipeline", "pipeline.reports", "pipeline.reports.neutralise_csv"}
    assert {m for m in project if m not in allowed and m.split(".")[0] != "query"} == set()


def test_no_import_cycles():
    cycles = []

    def visit(name, stack):
        for imported in sorted(GRAPH[name]):
            if imported in stack:
                cycles.append(" -> ".join([*stack[stack.index(imported) :], imported]))
            elif imported not in done:
                visit(imported, [*stack, imported])
        done.add(name)

    done: set[str] = set()
    for name in sorted(GRAPH):
        if name not in done:
            visit(name, [name])
    # A package's __init__ importing its own modules is not a cycle of concern.
    cycles = [c for c in cycles if c.split(" -> ")[0] not in PACKAGES]
    assert not cycles


def test_every_module_is_under_500_lines():
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) >= MAX_LINES
    }
    assert not long


def test_the_query_language_loads_without_the_store():
    code = (
        "import sys, query.search, query.lemmas, query.watch;"
        "bad = {'pipeline.store', 'pipeline.db', 'scrapy', 'sqlite_utils'} & set(sys.modules);"
        "print(sorted(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_the_crawling_commands_load_scrapy():
    code = (
        "import sys; from click.testing import CliRunner; from pipeline.cli import cli;"
        "CliRunner().invoke(cli, ['runs', '--help']);"
        "bad = {'scrapy', 'twisted', 'pipeline.crawling.run'} & set(sys.modules);"
        "print(sorted(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
