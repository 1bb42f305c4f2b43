"""The lifecycles the engine runs, by dossier kind.

``workflow.lifecycles`` is the composition root: it builds the definitions from the domains'
guards and registers them here once, when the ``workflow`` package is loaded. The engine and
the domains read the definitions from here, so nothing below the lifecycles imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, false, literal, or_

from workflow.core.spec import QueueDef, StateDef, WorkflowDef

WORKFLOWS: dict[str, WorkflowDef] = {}

F = TypeVar("F", bound=Callable[..., object])
_CLEARS: list[Callable[[], None]] = []


def derived(fn: F) -> F:
    """Memoise what ``fn`` derives from the lifecycles until they change (``register``)."""
    memo = cache(fn)
    _CLEARS.append(memo.cache_clear)
    return memo  # type: ignore[return-value]


def register(*wdefs: WorkflowDef) -> None:
    """Make the lifecycles known, by kind (a kind registered again is replaced)."""
    candidate = {**WORKFLOWS, **{wdef.kind: wdef for wdef in wdefs}}
    _queues(candidate.values())  # refuses queues that disagree before anything changes
    WORKFLOWS.update(candidate)
    for clear in _CLEARS:
        clear()


def workflow(kind: str) -> WorkflowDef:
    """The lifecycle of ``kind`` (KeyError if none is registered)."""
    return WORKFLOWS[kind]


@derived
def all_state_names() -> tuple[str, ...]:
    """Every state any lifecycle names, in first-seen order (for the DB CHECK constraint, and
    the lists' state filters, which ask on every page)."""
    seen: dict[str, None] = {}
    for wdef in WORKFLOWS.values():
        seen.update(dict.fromkeys(wdef.state_names))
    return tuple(seen)


def states_where(test: Callable[[StateDef], bool]) -> dict[str, tuple[str, ...]]:
    """The names of the states for which ``test`` holds, by kind."""
    return {kind: tuple(s.name for s in w.states if test(s)) for kind, w in WORKFLOWS.items()}


@derived
def public_states() -> dict[str, tuple[str, ...]]:
    """The states whose dossiers the public may see (``public``), by kind."""
    return states_where(lambda s: s.public)


def state_def(kind: str, name: str) -> StateDef | None:
    """The definition of state ``name`` of ``kind``; None when either is unknown."""
    wdef = WORKFLOWS.get(kind)
    return wdef.state(name) if wdef is not None and name in wdef.state_names else None


def state_is(
    kind_column: ColumnElement[str],
    state_column: ColumnElement[str],
    test: Callable[[StateDef], bool],
) -> ColumnElement[bool]:
    """A WHERE clause: the row's state, in its kind's lifecycle, is one for which ``test``
    holds (a state name may mean different things in different kinds)."""
    clauses = [
        kind_in(kind_column, state_column, kind, names)
        for kind, names in states_where(test).items()
        if names
    ]
    return or_(*clauses) if clauses else false()


def kind_in(
    kind_column: ColumnElement[str],
    state_column: ColumnElement[str],
    kind: str,
    names: Iterable[str],
    *,
    outside: bool = False,
) -> ColumnElement[bool]:
    """A WHERE clause: the row is a ``kind`` in one of the states ``names`` (``outside``: in
    none of them). The names come from the lifecycles, never from a request, and are written
    into the SQL: PostgreSQL then plans a prepared statement once for every run (bound, a
    state could be any, and it would plan each run again for the one it is given)."""
    states = [literal(name, literal_execute=True) for name in sorted(names)]
    among = state_column.not_in(states) if outside else state_column.in_(states)
    return and_(kind_column == literal(kind, literal_execute=True), among)


def queues() -> tuple[QueueDef, ...]:
    """Every to-do queue the registered lifecycles use, in display order."""
    return _queues(WORKFLOWS.values())


def _queues(wdefs: Iterable[WorkflowDef]) -> tuple[QueueDef, ...]:
    by_key: dict[str, QueueDef] = {}
    for wdef in wdefs:
        for state in wdef.states:
            queue = state.queue
            if queue is not None and by_key.setdefault(queue.key, queue) != queue:
                raise ValueError(f"two different queues are called {queue.key!r}")
    orders = [q.order for q in by_key.values()]
    if len(orders) != len(set(orders)):
        raise ValueError("two queues share a display order")
    return tuple(sorted(by_key.values(), key=lambda q: q.order))
