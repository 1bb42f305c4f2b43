"""No state name as a string literal outside the lifecycles.

What a state means (its queue, tone, whether it counts, is public, ...) lives on its
``StateDef`` in ``workflow/lifecycles/``; everything else reads those facts through
``workflow.core.registry`` (bench and the web layer may name a state through the lifecycles'
``StateDef`` constants). This scan fails, with the file:line list, on any state name of any
registered lifecycle written as a literal in ``workflow/``, ``web/`` or ``bench/``: Python
string constants (read with ``ast``), templates and style sheets (as text).

Other vocabularies share words with the states (Council vote outcomes, notice comment and
decision statuses): they are named constants of their models (``models/`` is not scanned;
it knows no lifecycle). The few places where such a word cannot be a constant are listed in
``EXEMPT``, each with its reason.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from tests.fixtures import ROOT
from workflow.core import registry
from workflow.core.registry import all_state_names
from workflow.core.spec import StateDef, TransitionDef
from workflow.lifecycles.common import OFFICE
from workflow.lifecycles.nomination import NOMINATION

SCANNED = ("workflow", "web", "bench")
SKIPPED = ("workflow/lifecycles",)
TEXT_SUFFIXES = (".html", ".css", ".js")

# (path, where) → why. ``where``: for Python, a module-level name whose assignment is
# exempt; for text, a snippet of a line that is exempt.
EXEMPT: dict[tuple[str, str], str] = {
    ("workflow/notifications/notify.py", "MESSAGES"): (
        "notification message codes (stored in Notification.kind), not states"
    ),
    ("workflow/notifications/notify.py", "UNIT_OUTCOMES"): "message codes, as MESSAGES",
    ("web/templates/dashboard/index.html", 'data-figure="published"'): (
        "the name of a dashboard figure (the count of published nominations), read by tests"
    ),
}


def _code_mention(text: str, name: str) -> bool:
    """``name`` as code inside a string: quoted (SQL, a Jinja literal) or in a CSS class."""
    return bool(re.search(rf"(['\"]){name}\1|\w-{name}\b|\b{name}-\w", text))


def python_hits(path: str, source: str, names: Iterable[str]) -> list[tuple[int, str]]:
    """(line, literal) of the string constants of ``source`` that name a state."""
    names = tuple(names)
    hits = []
    for statement in ast.parse(source).body:
        targets = statement.targets if isinstance(statement, ast.Assign) else []
        if isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        if any(isinstance(t, ast.Name) and (path, t.id) in EXEMPT for t in targets):
            continue
        for node in ast.walk(statement):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            if any(node.value == n or _code_mention(node.value, n) for n in names):
                hits.append((node.lineno, node.value))
    return hits


def _class_tokens(line: str) -> list[str]:
    return [t for value in re.findall(r'class="([^"]*)"', line) for t in value.split()]


def text_hits(path: str, text: str, names: Iterable[str]) -> list[tuple[int, str]]:
    """(line, state) of a template or style sheet's lines that name a state: a quoted
    literal, a class (``badge-returned``) or, in CSS, any selector or word."""
    names = tuple(names)
    snippets = [where for (p, where) in EXEMPT if p == path]
    hits = []
    for number, line in enumerate(text.splitlines(), 1):
        for snippet in snippets:
            line = line.replace(snippet, "")
        words = set(re.findall(r"\w+", line)) if path.endswith(".css") else set()
        for name in names:
            quoted = re.search(rf"(['\"]){name}\1", line)
            in_class = any(t == name or _code_mention(t, name) for t in _class_tokens(line))
            if quoted or in_class or name in words:
                hits.append((number, name))
    return hits


def scan(root: Path, names: Iterable[str]) -> list[str]:
    """Every state name written outside the lifecycles, as "path:line: literal"."""
    names = tuple(names)
    found = []
    for top in SCANNED:
        for file in sorted((root / top).rglob("*")):
            path = file.relative_to(root).as_posix()
            if not file.is_file() or any(path.startswith(s + "/") for s in SKIPPED):
                continue
            if file.suffix == ".py":
                hits = python_hits(path, file.read_text(encoding="utf-8"), names)
            elif file.suffix in TEXT_SUFFIXES:
                hits = text_hits(path, file.read_text(encoding="utf-8"), names)
            else:
                continue
            found += [f"{path}:{line}: {literal!r}" for line, literal in hits]
    return found


def test_no_state_name_outside_the_lifecycles():
    found = scan(ROOT, all_state_names())
    assert not found, "state names outside workflow/lifecycles/:\n" + "\n".join(found)


def test_every_exemption_is_still_needed():
    """An exemption that no longer hides anything goes (the list stays short)."""
    for path, where in EXEMPT:
        text = (ROOT / path).read_text(encoding="utf-8")
        if path.endswith(".py"):
            tree = ast.parse(text)
            assert any(
                isinstance(s, ast.Assign | ast.AnnAssign)
                and any(
                    isinstance(t, ast.Name) and t.id == where
                    for t in (s.targets if isinstance(s, ast.Assign) else [s.target])
                )
                for s in tree.body
            ), (path, where)
        else:
            assert where in text, (path, where)


def _tree(root: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")


def test_the_scan_fails_on_state_literals(tmp_path):
    _tree(
        tmp_path,
        {
            "workflow/awards/counts.py": (
                '"""Counted: approved or published ones (prose is fine)."""\n'
                'COUNTED = ("office_review", "approved")\n'
                "SQL = \"SELECT id FROM dossier WHERE state <> 'withdrawn'\"\n"
            ),
            "web/x/presenters.py": 'CSS = "badge badge-returned"\n',
            "bench/run.py": 'STAGES = [("submit", "draft")]\n',
            "web/templates/x.html": (
                "{% if d.state == 'returned' %}\n"
                '<span class="badge badge-{{ d.state }}">ok</span>\n'
                '<tr class="row-draft">\n'
                "<p>Hồ sơ đã được duyệt (no state here)</p>\n"
            ),
            "web/static/app.css": ".badge.tone-info { color: blue; }\n.badge-withdrawn { }\n",
            # The lifecycles name their states; they are not scanned.
            "workflow/lifecycles/x.py": 'DRAFT = "draft"\n',
            # An exemption covers its own assignment only, not the rest of the module.
            "workflow/notifications/notify.py": (
                'MESSAGES = {"returned": ("Bị trả lại", "Returned")}\n'
                'UNIT_OUTCOMES = {"office_return": "returned"}\n'
                'STATE = "returned"\n'
            ),
        },
    )
    names = ("draft", "office_review", "returned", "approved", "withdrawn")
    assert scan(tmp_path, names) == [
        "workflow/awards/counts.py:2: 'office_review'",
        "workflow/awards/counts.py:2: 'approved'",
        "workflow/awards/counts.py:3: \"SELECT id FROM dossier WHERE state <> 'withdrawn'\"",
        "workflow/notifications/notify.py:3: 'returned'",
        "web/static/app.css:2: 'withdrawn'",
        "web/templates/x.html:1: 'returned'",
        "web/templates/x.html:3: 'draft'",
        "web/x/presenters.py:1: 'badge badge-returned'",
        "bench/run.py:1: 'draft'",
    ]


def test_the_scan_knows_every_registered_state(monkeypatch, tmp_path):
    """A state added to a lifecycle is scanned for at once: the names come from the registry."""
    extra = StateDef("legal_check", "Chờ ý kiến pháp chế", "Legal check", terminal=True)
    into = TransitionDef(
        "refer_to_legal", ("office_review",), "legal_check", OFFICE, "Chuyển pháp chế", "Refer"
    )
    wdef = replace(
        NOMINATION, states=(*NOMINATION.states, extra), transitions=(*NOMINATION.transitions, into)
    )
    registry.register(wdef)
    try:
        _tree(tmp_path, {"workflow/x.py": 'STATE = "legal_check"\n'})
        assert scan(tmp_path, all_state_names()) == ["workflow/x.py:1: 'legal_check'"]
    finally:
        registry.register(NOMINATION)
