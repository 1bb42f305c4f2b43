"""Nothing in ``workflow`` draws SVG or HTML: pictures and pages belong to ``web``."""

from __future__ import annotations

import ast
import re

from tests.architecture import findings

TAG = re.compile(
    r"<\s*/?\s*(svg|g|rect|path|line|text|circle|html|div|span|p|a|table|tr|td|th|ul|li|br)\b"
)


def markup_in(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string constant that writes an SVG or HTML tag."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and TAG.search(node.value)
        ):
            found.append((node.lineno, node.value[:60]))
    return found


def test_no_module_of_workflow_writes_markup():
    offenders = findings("workflow", markup_in)
    assert not offenders, "markup belongs to web/:\n" + "\n".join(offenders)


def test_the_scan_finds_markup():
    assert markup_in('SVG = f"<svg width=\\"{w}\\">"\nHTML = "<p class=x>"')
    assert not markup_in('TEXT = "a < b and c > d"\nXML = "w:pBdr"')
