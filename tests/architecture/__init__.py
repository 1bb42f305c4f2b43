"""Tests of the house's shape: what each package may hold and import."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tests.fixtures import ROOT


def findings(folder: str, find: Callable[[str], Iterable[tuple[int, str]]]) -> list[str]:
    """``path:line: what`` for each (line, what) ``find(source)`` reports in a Python file
    under ``folder`` (relative to the repository)."""
    return [
        f"{path.relative_to(ROOT)}:{line}: {what!r}"
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line, what in find(path.read_text(encoding="utf-8"))
    ]
