"""The engine: one shared ``transitions`` machine per dossier kind, and the two entry points.

``fire`` moves a dossier for an actor; ``available`` lists what an actor may fire now.
Neither commits: the caller owns the transaction, so the state change, the recorded data
and the audit event land together or not at all.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import bindparam, event, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, SessionTransaction, with_polymorphic
from sqlalchemy.orm.attributes import set_committed_value
from transitions import EventData, Machine

from models import Dossier
from models.audit import forget_audited
from models.clock import utcnow
from models.search_terms import dossier_written
from workflow.core import audit
from workflow.core.actors import Actor
from workflow.core.authz import acting_role, can_view, firing_role
from workflow.core.context import GuardContext
from workflow.core.errors import (
    NotFound,
    StaleVersion,
    TransitionRefused,
    Violation,
    refuse_if_stale,
)
from workflow.core.inputs import INPUTS
from workflow.core.registry import WORKFLOWS, derived
from workflow.core.spec import TransitionDef, WorkflowDef

logging.getLogger("transitions").setLevel(logging.WARNING)

Listener = Callable[[Session, Dossier, audit.AppendedEvent, Actor], None]
# Called as listener(session, dossier, event, actor) after every transition, in its
# transaction; a listener must not commit. The ``workflow`` package adds them (add_listener).
TRANSITION_LISTENERS: list[Listener] = []


def add_listener(listener: Listener) -> None:
    """Call ``listener`` after every transition (once, however often it is added)."""
    if listener not in TRANSITION_LISTENERS:
        TRANSITION_LISTENERS.append(listener)


def announce(session: Session, dossier: Dossier, event: audit.AppendedEvent, actor: Actor) -> None:
    """Tell the listeners of a change to ``dossier`` that is not a transition but concerns
    the same people (a revocation of its award), as after a transition, in its transaction."""
    for listener in TRANSITION_LISTENERS:
        listener(session, dossier, event, actor)


def _record(event: EventData) -> None:
    """after_state_change: run the effects and append the audit event."""
    ctx: GuardContext = event.kwargs["ctx"]
    tdef: TransitionDef = event.kwargs["tdef"]
    for effect in tdef.effects:
        effect(ctx)
    dossier = ctx.dossier
    dossier.updated_at = ctx.now
    event.kwargs["out"].append(
        audit.append(
            ctx.session,
            entity_type="dossier",
            entity_id=dossier.id,
            action=tdef.trigger,
            actor_id=ctx.actor.user_id,
            actor_role=ctx.role.value if ctx.role else None,
            unit_id=dossier.unit_id,
            from_state=event.transition.source,
            to_state=event.transition.dest,
            reason=ctx.text("reason") or None,
            changes=ctx.changes,
            public=tdef.public,
            now=ctx.now,
        )
    )


def _compile(wdef: WorkflowDef) -> Machine:
    # model=None: one machine drives every row; add_model would reset a loaded row's state.
    return Machine(
        model=None,
        states=list(wdef.state_names),
        initial=wdef.initial,
        transitions=[
            {"trigger": t.trigger, "source": list(t.sources), "dest": t.dest}
            for t in wdef.transitions
        ],
        auto_transitions=False,
        send_event=True,
        after_state_change=[_record],
    )


@derived
def machine(kind: str) -> Machine:
    """The shared machine of ``kind``, compiled from its definition on first use (and again
    only if its lifecycle is registered anew)."""
    return _compile(WORKFLOWS[kind])


def workflow_of(dossier: Dossier) -> WorkflowDef:
    """The lifecycle definition that governs ``dossier``."""
    return WORKFLOWS[dossier.kind]


# Every kind's own columns (and the award) in the same SELECT: the guards read them, and
# loading them lazily cost two more round trips per transition.
_ANY_DOSSIER = with_polymorphic(Dossier, "*")
LOCK_DOSSIER = (
    select(_ANY_DOSSIER)
    .where(_ANY_DOSSIER.id == bindparam("dossier_id"))
    .with_for_update(of=Dossier)
    .execution_options(populate_existing=True)
)


def load_for_update(session: Session, dossier_id: int, actor: Actor) -> Dossier:
    """Lock and load a dossier the actor may see, refreshed from the database."""
    dossier = session.scalars(LOCK_DOSSIER, {"dossier_id": dossier_id}).one_or_none()
    if dossier is None or not can_view(actor, dossier):
        raise NotFound()
    return dossier


class _WritePlan:
    """A dossier class's mapped columns by table, and the UPDATE statements for them."""

    def __init__(self, cls: type[Dossier]) -> None:
        mapper = sa_inspect(cls)
        self.base = Dossier.__table__
        self.keys: dict[str, Any] = {}  # attribute key → its table
        for prop in mapper.column_attrs:
            column = prop.columns[0]
            if not column.primary_key and prop.key != "version":
                self.keys[prop.key] = column.table
        self.columns = {prop.key: prop.columns[0].key for prop in mapper.column_attrs}
        self.attr_keys = tuple(mapper.attrs.keys())  # columns and relationships
        self._statements: dict[tuple[Any, frozenset[str]], Any] = {}

    def statement(self, table: Any, keys: frozenset[str]) -> Any:
        """UPDATE ``table`` SET the keys' columns WHERE id (and, on the base table, version)."""
        found = self._statements.get((table, keys))
        if found is None:
            values = {self.columns[k]: bindparam(f"v_{k}") for k in keys}
            if table is self.base:
                found = (
                    table.update()
                    .where(
                        table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version")
                    )
                    .values(version=bindparam("b_new_version"), **values)
                )
            else:
                found = table.update().where(table.c.id == bindparam("b_id")).values(**values)
            self._statements[(table, keys)] = found
        return found


_PLANS: dict[type, _WritePlan] = {}
_CURRENT = select(Dossier.version, Dossier.state).where(Dossier.id == bindparam("dossier_id"))


def _write(session: Session, dossier: Dossier) -> None:
    """Write the transition's column changes with Core and mark them committed on the object.

    A Core UPDATE per changed table costs a fraction of the ORM flush of the same row; the
    version check is the same as the mapper's (``version_id_col``).
    """
    plan = _PLANS.get(type(dossier)) or _PLANS.setdefault(type(dossier), _WritePlan(type(dossier)))
    state = sa_inspect(dossier)
    unmodified = state.unmodified
    pending = [k for k in plan.attr_keys if k not in unmodified]
    changed = [k for k in pending if k in plan.keys]
    values = state.dict
    by_table: dict[Any, list[str]] = {plan.base: []}
    for key in changed:
        by_table.setdefault(plan.keys[key], []).append(key)
    connection = session.connection()
    version = dossier.version
    for table, keys in by_table.items():
        params = {f"v_{k}": values[k] for k in keys}
        params["b_id"] = dossier.id
        if table is plan.base:
            params.update(b_version=version, b_new_version=version + 1)
        result = connection.execute(plan.statement(table, frozenset(keys)), params)
        if (
            table is plan.base and result.rowcount != 1
        ):  # not under the row lock; as the mapper would
            current = connection.execute(_CURRENT, {"dossier_id": dossier.id}).one()
            raise StaleVersion(current.version, *workflow_of(dossier).state(current.state).labels)
    set_committed_value(dossier, "version", version + 1)
    dossier_written(connection, dossier, changed)
    forget_audited(session, "dossier", dossier.id, dossier.state)
    for key in changed:
        set_committed_value(dossier, key, values[key])
    if len(changed) == len(pending):
        # Nothing left to write, but the object is still flagged modified, and the next flush
        # would walk the mapper's relationships for nothing (2.5 M instructions, 40 % of a
        # transition). merge(load=False) leaves an object with no pending change "clean".
        session.merge(dossier, load=False)
    # A flush notes what it wrote so that a rolled-back savepoint expires it; a Core write
    # has to note it itself.
    savepoint = session.get_nested_transaction()
    if savepoint is not None:
        session.info.setdefault(_WRITTEN_IN, {}).setdefault(savepoint, []).append(dossier)


# session.info key: savepoint → objects written with Core in it. When a savepoint rolls back,
# the ORM expires what its flushes wrote, so those objects reload what is stored; objects the
# engine wrote with Core must be expired the same way, or they would keep showing a state the
# database no longer has. (A rollback of the whole transaction expires every object anyway.)
_WRITTEN_IN = "vinhdanh_core_written_in"


@event.listens_for(Session, "after_soft_rollback")
def _expire_rolled_back_writes(session: Session, previous_transaction: SessionTransaction) -> None:
    written = session.info.get(_WRITTEN_IN)
    if not written:
        return
    # What the database rolled back: the closed transaction's nearest savepoint, or the root.
    rolled_back = previous_transaction
    while not (rolled_back.nested or rolled_back.parent is None):
        rolled_back = rolled_back.parent
    for savepoint in list(written):
        inside = savepoint  # a savepoint released into one that rolls back is rolled back too
        while inside is not None and inside is not rolled_back:
            inside = inside.parent
        if inside is not None:
            for obj in written.pop(savepoint):
                if obj in session:
                    session.expire(obj)


@event.listens_for(Session, "after_transaction_end")
def _forget_core_writes(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None and _WRITTEN_IN in session.info:
        del session.info[_WRITTEN_IN]


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or utcnow()


def _rule_violations(
    ctx: GuardContext, tdef: TransitionDef, *, with_inputs: bool, rules: bool = True
) -> tuple[list[Violation], bool]:
    """The rules of ``tdef`` that do not hold, and whether the transition applies at all (a
    guard may say its refusal means "not this transition" rather than "not yet")."""
    problems: list[Violation] = []
    applies = True
    if with_inputs:
        for needed in sorted(tdef.requires, key=lambda i: i.value):
            check = INPUTS[needed].check
            if check is not None:
                problems += check(ctx.inputs)
    for guard in tdef.guards:
        if not with_inputs and guard.uses_inputs:
            continue
        if not rules and not guard.decides_applicability:
            continue
        for violation in guard.violations(ctx):
            problems.append(violation)
            applies = applies and not guard.rules_out(violation)
    return problems, applies


def fire(
    session: Session,
    dossier_id: int,
    trigger: str,
    actor: Actor,
    *,
    inputs: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
    listeners: bool = True,
    from_form: bool = False,
) -> audit.AppendedEvent:
    """Fire ``trigger`` on a dossier for ``actor`` and return the audit event it wrote.

    Raises ``NotFound``, ``StaleVersion`` or ``TransitionRefused`` (with every failing
    rule) and then has changed nothing. Never commits. ``listeners=False`` leaves the
    transition listeners out: for the rows a list moves with it, whose people hear of the
    list's move once rather than of every row. ``from_form``: posted by a person's transition
    form, refused for a transition that only the workflow's own operation fires.
    """
    dossier = load_for_update(session, dossier_id, actor)
    wdef = workflow_of(dossier)
    refuse_if_stale(
        dossier.version, expected_version, "stale_version", wdef.state(dossier.state).labels
    )
    try:
        tdef = wdef.transition(trigger)
    except KeyError:
        raise TransitionRefused([Violation("unknown_trigger", {"trigger": trigger})]) from None
    if dossier.state not in tdef.sources:
        raise TransitionRefused(
            [
                Violation(
                    "not_allowed_from_state",
                    {
                        "action": tdef.label_vi,
                        "state": wdef.state(dossier.state).label_vi,
                        "action_en": tdef.label_en,
                        "state_en": wdef.state(dossier.state).label_en,
                    },
                )
            ]
        )
    if from_form and not tdef.by_form:
        raise TransitionRefused(
            [
                Violation(
                    "not_by_form",
                    {
                        "action": tdef.label_vi,
                        "action_en": tdef.label_en,
                        "through": tdef.fired_by[0],
                        "through_en": tdef.fired_by[1],
                    },
                )
            ]
        )
    role, denied = acting_role(actor, dossier, tdef)
    if denied:
        raise TransitionRefused([denied])
    ctx = GuardContext(session, dossier, actor, role, dict(inputs or {}), _now(now))
    problems, _ = _rule_violations(ctx, tdef, with_inputs=True)
    if problems:
        raise TransitionRefused(problems)
    if tdef.then:
        # What follows may be refused: the savepoint then takes the transition back too.
        with session.begin_nested():
            event = _take(session, dossier, ctx, tdef, trigger)
            for effect in tdef.then:
                effect(ctx)
    else:
        event = _take(session, dossier, ctx, tdef, trigger)
    for listener in TRANSITION_LISTENERS if listeners else ():
        listener(session, dossier, event, actor)
    return event


def _take(
    session: Session, dossier: Dossier, ctx: GuardContext, tdef: TransitionDef, trigger: str
) -> audit.AppendedEvent:
    """Change the state, run the effects, write the dossier and its audit event."""
    out: list[audit.AppendedEvent] = []
    # No autoflush until the audit event exists: the flush guard refuses a bare state change.
    with session.no_autoflush:
        machine(dossier.kind).events[trigger].trigger(dossier, ctx=ctx, tdef=tdef, out=out)
        _write(session, dossier)
    session.flush()  # what the effects added (a Council item, an award record), if anything
    return out[0]


def available(
    session: Session,
    dossier: Dossier,
    actor: Actor,
    now: dt.datetime | None = None,
    *,
    rules: bool = True,
) -> list[tuple[TransitionDef, list[Violation]]]:
    """Transitions ``actor`` may fire on ``dossier`` from its state, each with the rules that
    do not hold yet (an empty list means the button works). Forbidden ones are left out.

    ``rules=False`` only decides which transitions are offered (permissions and
    applicability, no queries) and returns no rules: for long lists that show a few rows.
    """
    if not can_view(actor, dossier):
        return []
    result = []
    for tdef in workflow_of(dossier).transitions_from(dossier.state):
        role = firing_role(actor, dossier, tdef)
        if role is None:
            continue
        ctx = GuardContext(session, dossier, actor, role, {}, _now(now))
        problems, applies = _rule_violations(ctx, tdef, with_inputs=False, rules=rules)
        if not applies:
            continue  # e.g. "forward" for an award the Department confers: no button at all
        result.append((tdef, problems))
    return result
