"""Watch hits in a run's changes: the added lines, without noise, matched as a search.

The matching itself is the query language's (`query.watch`), shared with the Datasette
`watch` query; here the added lines lose what change detection counts as noise (hit
counters, "päivitetty" stamps, clock times), as the digest shows them.
"""

from __future__ import annotations

from query.watch import added_lines as _added_lines
from query.watch import matching_lines

from ..changes import normalise_text

__all__ = ["added_lines", "matching_lines"]


def added_lines(kind: str | None, diff: str | None, text: str | None = None) -> list[str]:
    """A change's noise-free added lines (a new page's text; none for a removal)."""
    return _added_lines(kind, diff, text, normalise_text)
