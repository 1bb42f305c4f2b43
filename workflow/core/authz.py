"""Who may see and do what. Every permission check of the project goes through here."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_

from models import Dossier
from workflow.core.actors import Actor, Role
from workflow.core.errors import Violation
from workflow.core.registry import state_def, state_is
from workflow.core.spec import Scope, TransitionDef


def acting_role(
    actor: Actor, dossier: Dossier, tdef: TransitionDef
) -> tuple[Role | None, Violation | None]:
    """The role under which ``actor`` may fire ``tdef`` on ``dossier``, or why not."""
    held = [r for r in tdef.roles if r in actor.roles]
    if not held:
        return None, Violation(
            "role_not_permitted", {"action": tdef.label_vi, "action_en": tdef.label_en}
        )
    for role in sorted(held, key=lambda r: r.value):
        if tdef.scope is Scope.ANY or actor.has(role, dossier.unit_id):
            return role, None
    return None, Violation("out_of_scope")


def editing_role(actor: Actor, dossier: Dossier) -> Role | None:
    """The unit role under which ``actor`` may change ``dossier``'s content, if any."""
    for role in (Role.UNIT_STAFF, Role.UNIT_HEAD):
        if actor.has(role, dossier.unit_id):
            return role
    return None


def can_view(actor: Actor, dossier: Dossier) -> bool:
    """Own unit's dossiers, and for Department roles every dossier sent to the Department."""
    if dossier.unit_id in actor.unit_ids():
        return True
    if _shared_with_sector(dossier.kind, dossier.state) and actor.grants:
        return True
    return actor.is_department and dossier.sent_at is not None


def _shared_with_sector(kind: str, state: str) -> bool:
    # Some states (an accepted plan) publish the dossier to every unit of the sector.
    sdef = state_def(kind, state)
    return sdef is not None and sdef.shared_with_sector


def visible_dossiers(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause selecting exactly the dossiers :func:`can_view` allows."""
    clauses = []
    units = actor.unit_ids()
    if units:
        clauses.append(Dossier.unit_id.in_(sorted(units)))
    if actor.is_department:
        clauses.append(Dossier.sent_at.is_not(None))
    if actor.grants:
        clauses.append(state_is(Dossier.kind, Dossier.state, lambda s: s.shared_with_sector))
    return or_(*clauses) if clauses else false()
