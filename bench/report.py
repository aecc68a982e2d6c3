"""Figures with their targets, printed as one table and a PASS/FAIL summary."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Figure:
    name: str
    value: float | None
    unit: str = ""
    target: float | None = None
    compare: Callable[[float, float], bool] | None = None
    note: str = ""

    @property
    def status(self) -> str:
        if self.target is None or self.compare is None:
            return "info"
        if self.value is None:
            return "n/a"
        return "PASS" if self.compare(self.value, self.target) else "FAIL"

    def target_text(self) -> str:
        if self.target is None or self.compare is None:
            return ""
        sign = "≥" if self.compare is operator.ge else "≤"
        return f"{sign} {self.target:g}{self.unit}"

    def value_text(self) -> str:
        if self.value is None:
            return "—"
        return (
            f"{self.value:,.2f}{self.unit}" if self.value < 100 else f"{self.value:,.0f}{self.unit}"
        )


def at_least(
    name: str, value: float | None, target: float, unit: str = "", note: str = ""
) -> Figure:
    return Figure(name, value, unit, target, operator.ge, note)


def at_most(
    name: str, value: float | None, target: float, unit: str = "", note: str = ""
) -> Figure:
    return Figure(name, value, unit, target, operator.le, note)


def info(name: str, value: float | None, unit: str = "", note: str = "") -> Figure:
    return Figure(name, value, unit, note=note)


def render(figures: list[Figure]) -> str:
    width = max(len(f.name) for f in figures)
    lines = [f"{'figure':<{width}}  {'value':>12}  {'target':>10}  status  note"]
    lines.append("-" * (width + 44))
    for f in figures:
        lines.append(
            f"{f.name:<{width}}  {f.value_text():>12}  {f.target_text():>10}  "
            f"{f.status:<6}  {f.note}"
        )
    judged = [f for f in figures if f.status in ("PASS", "FAIL")]
    passed = sum(f.status == "PASS" for f in judged)
    failed = [f.name for f in judged if f.status == "FAIL"]
    lines.append("")
    lines.append(
        f"Summary: {passed}/{len(judged)} targets pass"
        + (f"; FAIL: {', '.join(failed)}" if failed else "")
    )
    not_run = [f.name for f in figures if f.status == "n/a"]
    if not_run:
        lines.append("Not measured in this run (see --scale): " + ", ".join(not_run))
    return "\n".join(lines)
