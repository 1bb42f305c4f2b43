"""Every "may this person do this" lives in ``workflow.core.authz``: no other module tests a role.

The scan reads the source with ``ast`` and reports, outside the places allowed below:
- a comparison or membership test with ``Role.<member>``, ``<x>.roles`` or ``<x>.is_department``;
- a call of ``<x>.has(...)`` (an actor's grant);
- ``<x>.roles`` combined with a set (``&``, ``|``, ``-``);
- a set, tuple or list of ``Role`` members (a role set declared again).
Reading who holds a role from the database (``RoleGrant.role == Role.X.value``) is data, not a
check of the person acting, and recording the role acted under (``actor_role=Role.X.value``)
is not a check either.
"""

from __future__ import annotations

import ast

from tests.fixtures import ROOT

SCANNED = ("models", "workflow", "web")
ALLOWED = (
    "workflow/core/authz.py",  # the predicates and the role sets
    "workflow/core/actors.py",  # what a role and a grant are
    "workflow/lifecycles/",  # the roles of each transition: data of the definitions
    "workflow/accounts/",  # creating and importing accounts assigns roles
    "web/demo/",  # the demo's people and their roles
)


def _is_role_member(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Role"
        and node.attr.isupper()
    )


def _is_role_attribute(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in ("roles", "is_department")


def _check(node: ast.AST) -> str | None:
    """What role check ``node`` is, if it is one."""
    if isinstance(node, ast.Compare):
        operands = [node.left, *node.comparators]
        if any(_is_role_member(o) or _is_role_attribute(o) for o in operands):
            return "a role compared or tested for membership"
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "has":
            return "a grant tested with .has()"
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd | ast.BitOr | ast.Sub):
        if _is_role_attribute(node.left) or _is_role_attribute(node.right):
            return "the actor's roles combined with a set"
    elif isinstance(node, ast.Set | ast.Tuple | ast.List):
        if any(_is_role_member(e) for e in node.elts):
            return "a set of roles declared"
    elif isinstance(node, ast.Attribute) and node.attr == "is_department":
        return "a role tested with .is_department"
    return None


def role_checks(source: str) -> list[tuple[int, str]]:
    """(line, what) of every role check in ``source``."""
    found = {(node.lineno, what) for node in ast.walk(ast.parse(source)) if (what := _check(node))}
    return sorted(found)


def _sources():
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if not relative.startswith(ALLOWED):
                yield relative, path.read_text(encoding="utf-8")


def test_no_role_check_outside_authz():
    found = [
        f"{path}:{line}: {what}"
        for path, source in _sources()
        for line, what in role_checks(source)
    ]
    assert not found, "role checks outside workflow.core.authz:\n" + "\n".join(found)


def test_the_scan_finds_each_kind_of_role_check():
    snippet = """
MANAGERS = frozenset({Role.OFFICE_REVIEWER, Role.ADMIN})
def can_manage(actor):
    return Role.ADMIN in actor.roles
def can_see(actor):
    return bool(actor.roles & MANAGERS)
def can_vote(actor):
    return actor.has(Role.COUNCIL_MEMBER)
def can_see_checks(actor):
    return actor.is_department
def first(role):
    return role == Role.UNIT_HEAD
"""
    lines = [line for line, _ in role_checks(snippet)]
    assert lines == [2, 4, 6, 8, 10, 12]


def test_the_scan_leaves_data_alone():
    snippet = """
stmt = select(User).where(RoleGrant.role == Role.COUNCIL_MEMBER.value)
audit.append(session, actor_role=Role.OFFICE_REVIEWER.value)
labels = [ROLE_LABELS[r] for r in sorted(tdef.roles, key=lambda r: r.value)]
allowed = authz.may_manage_campaigns(actor)
"""
    assert role_checks(snippet) == []
