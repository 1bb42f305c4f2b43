"""Migrations import neither ``workflow`` nor ``web``: a revision does what it did when it was
written, whatever the lifecycles or pages become (the models' tables it names are frozen by the
revisions that follow)."""

from __future__ import annotations

import ast

from tests.architecture import findings

APP_PACKAGES = ("workflow", "web")


def app_imports(source: str) -> list[tuple[int, str]]:
    """(line, module) of every import of ``workflow`` or ``web`` in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [(node.lineno, n) for n in names if n.split(".")[0] in APP_PACKAGES]
    return found


def test_no_migration_imports_the_app():
    offenders = findings("migrations", app_imports)
    assert not offenders, "a migration must not depend on today's app:\n" + "\n".join(offenders)


def test_the_scan_finds_app_imports():
    assert app_imports("import workflow\nfrom web.support import x\nimport workflow.core")
    assert not app_imports("from models.search_terms import x\nimport webbrowser\nfrom . import w")
