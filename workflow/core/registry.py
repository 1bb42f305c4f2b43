"""The lifecycles the engine runs, by dossier kind.

``workflow.lifecycles`` is the composition root: it builds the definitions from the domains'
guards and registers them here once, when the ``workflow`` package is loaded. The engine and
the domains read the definitions from here, so nothing below the lifecycles imports them.
"""

from __future__ import annotations

from collections.abc import Callable

from workflow.core.spec import StateDef, WorkflowDef

WORKFLOWS: dict[str, WorkflowDef] = {}


def register(*wdefs: WorkflowDef) -> None:
    """Make the lifecycles known, by kind (a kind registered again is replaced)."""
    for wdef in wdefs:
        WORKFLOWS[wdef.kind] = wdef


def workflow(kind: str) -> WorkflowDef:
    """The lifecycle of ``kind`` (KeyError if none is registered)."""
    return WORKFLOWS[kind]


def all_state_names() -> tuple[str, ...]:
    """Every state any lifecycle names, in first-seen order (for the DB CHECK constraint)."""
    seen: dict[str, None] = {}
    for wdef in WORKFLOWS.values():
        seen.update(dict.fromkeys(wdef.state_names))
    return tuple(seen)


def states_where(test: Callable[[StateDef], bool]) -> dict[str, tuple[str, ...]]:
    """The names of the states for which ``test`` holds, by kind."""
    return {kind: tuple(s.name for s in w.states if test(s)) for kind, w in WORKFLOWS.items()}
