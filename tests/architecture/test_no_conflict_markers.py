"""No file in the repository keeps a merge's conflict markers: a README or template with
``<<<<<<<`` in it is a merge someone forgot to finish, and nothing else would notice."""

from __future__ import annotations

import re
from pathlib import Path

from tests.fixtures import ROOT

MARKER = re.compile(r"^(<{7} |={7}$|>{7} )", re.M)
TEXT_SUFFIXES = (".py", ".md", ".html", ".po", ".js", ".css", ".toml", ".txt", ".cfg", ".ini")


SOURCES = ("workflow", "web", "models", "migrations", "tests", "bench", ".ci")


def _text_files() -> list[Path]:
    tops = [ROOT / "README.md", ROOT / "Makefile", ROOT / "pyproject.toml"]
    nested = [
        path
        for folder in SOURCES
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and (path.suffix in TEXT_SUFFIXES or path.parent.name == ".ci")
    ]
    return [path for path in tops + nested if path.is_file()]


def test_no_conflict_markers():
    found = [
        str(path.relative_to(ROOT))
        for path in _text_files()
        if MARKER.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert not found, "unfinished merge in: " + ", ".join(found)


def test_the_check_sees_a_marker():
    assert MARKER.search("text\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> branch\n")
    assert not MARKER.search("# Title\n\n==========\n")
