"""Bulk work: the Office accepts, returns or declines many dossiers of its queue at once, and
the Council decides many rows of a list with one tally.

Each row goes through the engine (``fire``) in its own savepoint: a row refused (a rule not
met, someone else acted first, a reviewer who is the nominee) changes nothing and is reported
with why; the others go through. The actions are read from the lifecycles, never named here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from models import Dossier
from models.clock import local_day, utcnow
from workflow.awards.eligibility import batch
from workflow.core.actors import Actor
from workflow.core.authz import can_view, reviewed_by_office
from workflow.core.engine import fire
from workflow.core.errors import WorkflowError
from workflow.core.registry import WORKFLOWS
from workflow.core.spec import Input, TransitionDef
from workflow.dossiers.queues import office_default_state

ACCEPT = "accept"
RETURN = "return"
DECLINE = "decline"
ACTIONS = (ACCEPT, RETURN, DECLINE)
# More rows than a queue page shows is a forged form, not a reviewer's selection.
MAX_ROWS = 500


def office_action(kind: str, action: str) -> TransitionDef | None:
    """The transition ``action`` means for a dossier of ``kind`` in the Office's review state:
    "accept" its forward transition, "return" the one that sends it back to the unit with a
    reason, "decline" the one that ends it with a reason (None when the kind has none)."""
    wdef = WORKFLOWS.get(kind)
    review = office_default_state()
    if wdef is None or review is None or review not in wdef.state_names:
        return None
    for tdef in wdef.transitions_from(review):
        if not reviewed_by_office(tdef):
            continue
        if action == ACCEPT and tdef.forward:
            return tdef
        if tdef.forward or Input.REASON not in tdef.requires:
            continue
        dest = wdef.state(tdef.dest)
        if (action == RETURN and dest.editable) or (action == DECLINE and dest.terminal):
            return tdef
    return None


@dataclass(frozen=True)
class RowOutcome:
    """What happened to one selected dossier: done, or refused with the reasons."""

    dossier_id: int
    title: str
    messages: tuple[str, ...] = ()

    @property
    def done(self) -> bool:
        return not self.messages


@dataclass
class BulkResult:
    """Every selected row's outcome, in the order they were selected."""

    action: str
    rows: list[RowOutcome] = field(default_factory=list)

    @property
    def done(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.done]

    @property
    def refused(self) -> list[RowOutcome]:
        return [r for r in self.rows if not r.done]


@dataclass(frozen=True)
class BulkRequest:
    """A reviewer's selection: the rows (with the versions their page showed), the action,
    one reason for all and the reasons typed for single rows (which win)."""

    action: str
    ids: tuple[int, ...]
    versions: Mapping[int, int] = field(default_factory=dict)
    reason: str = ""
    reasons: Mapping[int, str] = field(default_factory=dict)
    # A trigger named outright (the Council's decision on rows of a list), instead of the
    # Office's action, with the inputs every row shares (the session and the tally).
    trigger: str | None = None
    shared: Mapping[str, str] = field(default_factory=dict)

    def inputs(self, dossier_id: int) -> dict[str, str]:
        reason = (self.reasons.get(dossier_id) or "").strip() or self.reason.strip()
        return {**self.shared, "reason": reason} if reason else dict(self.shared)


def _title(session: Session, actor: Actor, dossier_id: int) -> str:
    # Only a dossier the person may see is named: a posted id tells them nothing more.
    dossier = session.get(Dossier, dossier_id)
    return dossier.title if dossier is not None and can_view(actor, dossier) else ""


def _one(
    session: Session,
    actor: Actor,
    request: BulkRequest,
    dossier_id: int,
    now: dt.datetime | None,
    locale: str,
) -> RowOutcome:
    dossier = session.get(Dossier, dossier_id)
    tdef = office_action(dossier.kind, request.action) if dossier is not None else None
    # A dossier of no such kind or in no review state: let the engine word the refusal.
    trigger = request.trigger or (tdef.trigger if tdef is not None else request.action)
    try:
        with session.begin_nested():
            fire(
                session,
                dossier_id,
                trigger,
                actor,
                inputs=request.inputs(dossier_id),
                expected_version=request.versions.get(dossier_id),
                now=now,
            )
    except WorkflowError as error:
        messages = tuple(error.messages(locale))
        return RowOutcome(dossier_id, _title(session, actor, dossier_id), messages)
    return RowOutcome(dossier_id, _title(session, actor, dossier_id))


def run(
    session: Session,
    actor: Actor,
    request: BulkRequest,
    now: dt.datetime | None = None,
    locale: str = "vi",
) -> BulkResult:
    """Fire the request's action on each selected dossier, each in its own savepoint; never
    commits (the caller commits what went through)."""
    selected = _unique(request.ids)[:MAX_ROWS]
    # The engine reads the time when none is given: the rows' checks share one day.
    now = now or utcnow()
    # Rows are locked in id order: two reviewers ticking the same rows in another order then
    # wait for each other instead of deadlocking; the report keeps the selection's order.
    with batch(session, local_day(now), selected):
        outcomes = {i: _one(session, actor, request, i, now, locale) for i in sorted(selected)}
    return BulkResult(request.action, [outcomes[i] for i in selected])


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))
