"""The application uses only the public API of the libraries it depends on.

A library's ``_private`` names (SQLAlchemy's ``InstanceState._commit_all``,
``Session._register_altered``, ``_sa_instance_state``, ...) may change or disappear in any
release without notice, and a pinned version bump would then break the engine in ways no
changelog announces. So every attribute reached as ``x._name`` (single leading underscore,
not a dunder) in the application's code must be a name the project itself defines somewhere
(its own helpers and attributes), and no import may name a private module or name of a
third-party package.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from tests.fixtures import ROOT

SCANNED = ("workflow", "models", "web", "bench", "migrations")
OWN_PACKAGES = frozenset(SCANNED) | {"tests"}

# Underscore names allowed all the same, each with its reason.
ALLOWED = {
    # Werkzeug's LocalProxy documents _get_current_object() as the way to the object behind the
    # proxy (Flask's "Notes on Proxies"): public API despite its underscore.
    "_get_current_object",
}


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _sources() -> Iterable[tuple[str, str]]:
    for package in SCANNED:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


def defined_names(tree: ast.AST) -> set[str]:
    """Every name the code defines: functions, classes, parameters, assignment targets
    (``x._name = ...`` included), import aliases, loop and ``with`` targets."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(node.name)
        elif isinstance(node, ast.arg):
            found.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            found.add(node.attr)
        elif isinstance(node, ast.alias) and node.asname:
            found.add(node.asname)
    return found


def _third_party(module: str | None, level: int) -> bool:
    return level == 0 and bool(module) and module.split(".")[0] not in OWN_PACKAGES


def private_uses(source: str, own: set[str], filename: str = "<snippet>") -> list[str]:
    """What ``source`` reaches of other packages' private API, one line per use."""
    allowed = own | ALLOWED
    found: list[tuple[int, int, str]] = []
    for node in ast.walk(ast.parse(source, filename)):
        uses: list[str] = []
        if isinstance(node, ast.Attribute):
            if _is_private(node.attr) and node.attr not in allowed:
                uses.append(f".{node.attr}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _is_private(node.args[1].value)
            and node.args[1].value not in allowed
        ):
            uses.append(f"{node.func.id}(..., {node.args[1].value!r})")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _third_party(alias.name, 0) and any(map(_is_private, alias.name.split("."))):
                    uses.append(f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and _third_party(node.module, node.level):
            if any(map(_is_private, node.module.split("."))):
                uses.append(f"from {node.module} import ...")
            uses += [
                f"from {node.module} import {alias.name}"
                for alias in node.names
                if _is_private(alias.name)
            ]
        found += [(node.lineno, node.col_offset, f"{filename}:{node.lineno}: {u}") for u in uses]
    return [use for *_, use in sorted(found)]


def _project_names(sources: list[tuple[str, str]]) -> set[str]:
    own: set[str] = set()
    for filename, source in sources:
        own |= defined_names(ast.parse(source, filename))
    return own


def test_the_application_uses_no_private_api_of_other_packages():
    sources = list(_sources())
    assert len(sources) > 50  # the scan found the code
    own = _project_names(sources)
    found = [use for filename, source in sources for use in private_uses(source, own, filename)]
    assert not found, "private API of another package:\n" + "\n".join(found)


def test_a_private_sqlalchemy_attribute_is_caught():
    """Against every name the project defines: none of these is one of ours."""
    snippet = (
        "state = inspect(dossier)\n"
        "state._commit_all(values, session.identity_map)\n"
        "session._register_altered([state])\n"
        "state = dossier._sa_instance_state\n"
        "getattr(dossier, '_sa_instance_state')\n"
    )
    assert private_uses(snippet, _project_names(list(_sources()))) == [
        "<snippet>:2: ._commit_all",
        "<snippet>:3: ._register_altered",
        "<snippet>:4: ._sa_instance_state",
        "<snippet>:5: getattr(..., '_sa_instance_state')",
    ]


def test_a_private_import_from_a_third_party_package_is_caught():
    snippet = (
        "from sqlalchemy.orm.state import _commit_all\n"
        "from sqlalchemy.orm._typing import _O\n"
        "import sqlalchemy.util._collections\n"
        "from sqlalchemy.orm import Session\n"
    )
    assert private_uses(snippet, set()) == [
        "<snippet>:1: from sqlalchemy.orm.state import _commit_all",
        "<snippet>:2: from sqlalchemy.orm._typing import ...",
        "<snippet>:2: from sqlalchemy.orm._typing import _O",
        "<snippet>:3: import sqlalchemy.util._collections",
    ]


def test_the_projects_own_private_helpers_are_allowed():
    snippet = (
        "from workflow.core.context import _as_date\n"
        "from . import _local\n"
        "class Plan:\n"
        "    def __init__(self):\n"
        "        self._statements = {}\n"
        "    def get(self):\n"
        "        return self._statements, self.__class__\n"
    )
    own = defined_names(ast.parse(snippet))
    assert "_statements" in own
    assert private_uses(snippet, own) == []
