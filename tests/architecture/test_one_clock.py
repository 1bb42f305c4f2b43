"""The application and its tests read the time from one clock, ``models.clock``.

A module that asks the system for the date itself (``datetime.now``, ``date.today``) cannot be
told what day it is: the tests would then pass or fail by the calendar, and a campaign window
closing would break them on that day.
"""

from __future__ import annotations

import ast

from tests.fixtures import ROOT

SCANNED = ("workflow", "web", "models", "tests")
SYSTEM_CLOCK = frozenset({"now", "today", "utcnow", "fromtimestamp"})
CLOCK_MODULE = ROOT / "models" / "clock.py"


def _system_clock_reads(source: str) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in SYSTEM_CLOCK
        and isinstance(node.func.value, ast.Attribute | ast.Name)
        and (getattr(node.func.value, "attr", None) or getattr(node.func.value, "id", None))
        in {"datetime", "date"}
    ]


def test_only_the_clock_reads_the_system_time():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in SCANNED
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != CLOCK_MODULE
        for line in _system_clock_reads(path.read_text(encoding="utf-8"))
    ]
    assert not found, "read the time with models.clock.utcnow() or today(): " + ", ".join(found)


def test_the_check_finds_a_system_clock_read():
    assert _system_clock_reads("import datetime as dt\ndt.datetime.now(dt.UTC)\n") == [2]
    assert _system_clock_reads("from datetime import date\ndate.today()\n") == [2]
    assert _system_clock_reads("utcnow()\n") == []
