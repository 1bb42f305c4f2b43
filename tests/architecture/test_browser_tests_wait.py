"""Browser tests check what a page shows with Playwright's waiting assertions.

``locator.is_visible()`` and its kin answer at once, without waiting: right after a click
that submits a form, the answer depends on whether the next page has been drawn yet, so a
test asserting it passes or fails by timing alone. ``expect(locator).to_be_visible()``
retries until the page settles or the timeout passes.
"""

from __future__ import annotations

import ast

from tests.fixtures import ROOT

INSTANT_CHECKS = frozenset(
    {"is_visible", "is_hidden", "is_checked", "is_enabled", "is_disabled", "is_editable"}
)


def _instant_checks(source: str) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Assert)
        for call in ast.walk(node.test)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr in INSTANT_CHECKS
    ]


def test_browser_tests_use_waiting_assertions():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "tests" / "browser").rglob("*.py"))
        for line in _instant_checks(path.read_text(encoding="utf-8"))
    ]
    assert not found, "use expect(locator).to_be_visible() and kin instead: " + ", ".join(found)


def test_the_check_finds_an_instant_assertion():
    assert _instant_checks("assert page.get_by_text('x').is_visible()\n") == [1]
    assert _instant_checks("expect(page.get_by_text('x')).to_be_visible()\n") == []
