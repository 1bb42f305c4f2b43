"""The engine: one shared ``transitions`` machine per dossier kind, and the two entry points.

``fire`` moves a dossier for an actor; ``available`` lists what an actor may fire now.
Neither commits: the caller owns the transaction, so the state change, the recorded data
and the audit event land together or not at all.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Callable, Mapping, Optional

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, with_polymorphic
from transitions import EventData, Machine

from models import AuditEvent, Dossier
from workflow import audit
from workflow.authz import Actor, acting_role, can_view
from workflow.definitions import WORKFLOWS
from workflow.errors import (NOT_APPLICABLE_CODES, NotFound, StaleVersion, TransitionRefused,
                             Violation)
from workflow.guards import (GuardContext, check_classification, check_decision, check_reason)
from workflow.spec import Input, TransitionDef, WorkflowDef

logging.getLogger("transitions").setLevel(logging.WARNING)

_INPUT_CHECKS = {Input.REASON: check_reason, Input.DECISION: check_decision,
                 Input.CLASSIFICATION: check_classification}

# Called as listener(session, dossier, event) after every transition, in its transaction
# (workflow.notify registers itself here); a listener must not commit.
TRANSITION_LISTENERS: list[Callable[[Session, Dossier, AuditEvent], None]] = []


def _record(event: EventData) -> None:
    """after_state_change: run the effects and append the audit event."""
    ctx: GuardContext = event.kwargs["ctx"]
    tdef: TransitionDef = event.kwargs["tdef"]
    for effect in tdef.effects:
        effect(ctx)
    dossier = ctx.dossier
    dossier.updated_at = ctx.now
    event.kwargs["out"].append(audit.append(
        ctx.session, entity_type="dossier", entity_id=dossier.id, action=tdef.trigger,
        actor_id=ctx.actor.user_id, actor_role=ctx.role.value if ctx.role else None,
        unit_id=dossier.unit_id, from_state=event.transition.source,
        to_state=event.transition.dest, reason=ctx.text("reason") or None,
        changes=ctx.changes, public=tdef.public, now=ctx.now))


def _compile(wdef: WorkflowDef) -> Machine:
    # model=None: one machine drives every row; add_model would reset a loaded row's state.
    return Machine(model=None, states=list(wdef.state_names), initial=wdef.initial,
                   transitions=[{"trigger": t.trigger, "source": list(t.sources), "dest": t.dest}
                                for t in wdef.transitions],
                   auto_transitions=False, send_event=True, after_state_change=[_record])


MACHINES: dict[str, Machine] = {kind: _compile(wdef) for kind, wdef in WORKFLOWS.items()}


def workflow_of(dossier: Dossier) -> WorkflowDef:
    """The lifecycle definition that governs ``dossier``."""
    return WORKFLOWS[dossier.kind]


# Every kind's own columns (and the award) in the same SELECT: the guards read them, and
# loading them lazily cost two more round trips per transition.
_ANY_DOSSIER = with_polymorphic(Dossier, "*")
_LOCK_DOSSIER = (select(_ANY_DOSSIER).where(_ANY_DOSSIER.id == bindparam("dossier_id"))
                 .with_for_update(of=Dossier).execution_options(populate_existing=True))


def load_for_update(session: Session, dossier_id: int, actor: Actor) -> Dossier:
    """Lock and load a dossier the actor may see, refreshed from the database."""
    dossier = session.scalars(_LOCK_DOSSIER, {"dossier_id": dossier_id}).one_or_none()
    if dossier is None or not can_view(actor, dossier):
        raise NotFound()
    return dossier


def _now(now: Optional[dt.datetime]) -> dt.datetime:
    return now or dt.datetime.now(dt.timezone.utc)


def _rule_violations(ctx: GuardContext, tdef: TransitionDef, *, with_inputs: bool) -> list[Violation]:
    problems: list[Violation] = []
    if with_inputs:
        for needed in sorted(tdef.requires, key=lambda i: i.value):
            problems += _INPUT_CHECKS.get(needed, lambda _: [])(ctx.inputs)
    for guard in tdef.guards:
        if not with_inputs and getattr(guard, "uses_inputs", False):
            continue
        violation = guard(ctx)
        if violation is not None:
            problems.append(violation)
    return problems


def fire(session: Session, dossier_id: int, trigger: str, actor: Actor, *,
         inputs: Optional[Mapping[str, Any]] = None, expected_version: Optional[int] = None,
         now: Optional[dt.datetime] = None) -> AuditEvent:
    """Fire ``trigger`` on a dossier for ``actor`` and return the audit event it wrote.

    Raises ``NotFound``, ``StaleVersion`` or ``TransitionRefused`` (with every failing
    rule) and then has changed nothing. Never commits.
    """
    dossier = load_for_update(session, dossier_id, actor)
    if expected_version is not None and dossier.version != expected_version:
        state = workflow_of(dossier).state(dossier.state)
        raise StaleVersion(dossier.version, state.label_vi, state.label_en)
    wdef = workflow_of(dossier)
    try:
        tdef = wdef.transition(trigger)
    except KeyError:
        raise TransitionRefused([Violation("unknown_trigger", {"trigger": trigger})]) from None
    if dossier.state not in tdef.sources:
        raise TransitionRefused([Violation("not_allowed_from_state", {
            "action": tdef.label_vi, "state": wdef.state(dossier.state).label_vi,
            "action_en": tdef.label_en, "state_en": wdef.state(dossier.state).label_en})])
    role, denied = acting_role(actor, dossier, tdef)
    if denied:
        raise TransitionRefused([denied])
    ctx = GuardContext(session, dossier, actor, role, dict(inputs or {}), _now(now))
    problems = _rule_violations(ctx, tdef, with_inputs=True)
    if problems:
        raise TransitionRefused(problems)
    out: list[AuditEvent] = []
    # No autoflush until the audit event exists: the flush guard refuses a bare state change.
    with session.no_autoflush:
        MACHINES[dossier.kind].events[trigger].trigger(dossier, ctx=ctx, tdef=tdef, out=out)
    session.flush()
    for listener in TRANSITION_LISTENERS:
        listener(session, dossier, out[0])
    return out[0]


def available(session: Session, dossier: Dossier, actor: Actor,
              now: Optional[dt.datetime] = None) -> list[tuple[TransitionDef, list[Violation]]]:
    """Transitions ``actor`` may fire on ``dossier`` from its state, each with the rules that
    do not hold yet (an empty list means the button works). Forbidden ones are left out."""
    if not can_view(actor, dossier):
        return []
    result = []
    for tdef in workflow_of(dossier).transitions_from(dossier.state):
        role, denied = acting_role(actor, dossier, tdef)
        if denied:
            continue
        ctx = GuardContext(session, dossier, actor, role, {}, _now(now))
        problems = _rule_violations(ctx, tdef, with_inputs=False)
        if any(p.code in NOT_APPLICABLE_CODES for p in problems):
            continue  # e.g. "forward" for an award the Department confers: no button at all
        result.append((tdef, problems))
    return result
