"""The Office's returns as a thread: each return's note, day to fix by and points, and the
unit's reply to each point (no Flask). Replies are audited on the dossier."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Date, Select, bindparam, exists, select
from sqlalchemy.orm import Session, selectinload

from models import Dossier, ReturnPoint, ReturnRequest, Unit
from models.clock import utcnow
from models.text import nfc
from workflow.core import audit
from workflow.core.actors import Actor
from workflow.core.errors import EditRefused, NotFound
from workflow.core.inputs import field_required, field_too_long
from workflow.core.messages import Messages
from workflow.core.registry import derived, state_is
from workflow.dossiers.content import check_editable

MAX_REPLY = 2000
REPLY_LABEL = ("Trả lời", "Reply")

RETURN_MESSAGES = Messages(
    {
        "not_latest": (
            "Chỉ trả lời được các điểm của lần trả lại gần nhất.",
            "Only the points of the latest return can be answered.",
        ),
    }
)


def thread(session: Session, dossier_id: int) -> list[ReturnRequest]:
    """Every return of a dossier, latest first, with its points and replies."""
    return list(session.scalars(_THREAD, {"dossier_id": dossier_id}))


# Built once: every dossier page reads its thread.
_THREAD = (
    select(ReturnRequest)
    .where(ReturnRequest.dossier_id == bindparam("dossier_id"))
    .options(selectinload(ReturnRequest.points))
    .order_by(ReturnRequest.returned_at.desc(), ReturnRequest.id.desc())
)


def reply(
    session: Session, actor: Actor, point_id: int, text: str, *, now: dt.datetime | None = None
) -> audit.AppendedEvent:
    """The unit's answer to a point of the latest return, while it may edit the dossier."""
    now = now or utcnow()
    point = session.get(ReturnPoint, point_id)
    if point is None:
        raise NotFound()
    request = point.request
    dossier, role = check_editable(session, request.dossier_id, actor, None)
    latest = thread(session, dossier.id)[0]
    if latest.id != request.id:
        raise EditRefused([RETURN_MESSAGES.violation("not_latest")])
    text = nfc(text or "").strip()
    if not text:
        raise EditRefused([field_required(REPLY_LABEL)])
    if len(text) > MAX_REPLY:
        raise EditRefused([field_too_long(REPLY_LABEL, MAX_REPLY)])
    point.reply, point.replied_by, point.replied_at = text, actor.user_id, now
    event = audit.append(
        session,
        entity_type="dossier",
        entity_id=dossier.id,
        action="reply",
        actor_id=actor.user_id,
        actor_role=role.value,
        unit_id=dossier.unit_id,
        from_state=dossier.state,
        to_state=dossier.state,
        changes={"point": point.text, "reply": text},
        now=now,
    )
    session.flush()
    return event


def answered(dossier_id: ColumnElement[int]) -> ColumnElement[bool]:
    """The unit has replied to a point of one of the dossier's returns (the Office's filter)."""
    return exists().where(
        ReturnRequest.dossier_id == dossier_id,
        ReturnPoint.request_id == ReturnRequest.id,
        ReturnPoint.reply.is_not(None),
    )


def answered_ids(session: Session, dossier_ids: Iterable[int]) -> set[int]:
    """Those of ``dossier_ids`` whose unit replied to a return's point (a page's markers)."""
    ids = sorted(set(dossier_ids))
    if not ids:
        return set()
    return set(
        session.scalars(
            select(ReturnRequest.dossier_id)
            .join(ReturnPoint, ReturnPoint.request_id == ReturnRequest.id)
            .where(ReturnRequest.dossier_id.in_(ids), ReturnPoint.reply.is_not(None))
            .distinct()
        )
    )


# How many days before its fix-by day a return shows on the unit's home page.
FIX_BY_NOTICE_DAYS = 7


@dataclass(frozen=True)
class FixByReminder:
    """A returned dossier its unit has still to fix and send again, with the day to do it by."""

    dossier_id: int
    title: str
    unit_name: str
    fix_by: dt.date
    days_left: int  # below zero: overdue by that many days

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


@derived
def _fix_by_statement() -> Select:
    """The statement of :func:`fix_by_reminders`, built once per set of lifecycles (every unit
    home page runs it), with the units and the last day shown as bound parameters."""
    latest = (
        select(ReturnRequest.id)
        .where(ReturnRequest.dossier_id == Dossier.id)
        .order_by(ReturnRequest.returned_at.desc(), ReturnRequest.id.desc())
        .limit(1)
        .correlate(Dossier)
        .scalar_subquery()
    )
    return (
        select(Dossier.id, Dossier.title, Unit.name, ReturnRequest.fix_by)
        .join(Unit, Unit.id == Dossier.unit_id)
        .join(ReturnRequest, ReturnRequest.id == latest)
        .where(
            Dossier.unit_id.in_(bindparam("units", expanding=True)),
            state_is(Dossier.kind, Dossier.state, lambda s: s.editable),
            ReturnRequest.fix_by.is_not(None),
            ReturnRequest.fix_by <= bindparam("until", type_=Date),
        )
    )


def fix_by_reminders(
    session: Session, unit_ids: Iterable[int], today: dt.date
) -> list[FixByReminder]:
    """The units' dossiers still in the unit's hands after a return whose fix-by day is at
    most ``FIX_BY_NOTICE_DAYS`` away or passed, the most overdue first. Only the latest
    return of a dossier counts: its fix-by day replaces any earlier one."""
    wanted = sorted(set(unit_ids))
    if not wanted:
        return []
    until = today + dt.timedelta(days=FIX_BY_NOTICE_DAYS)
    rows = session.execute(_fix_by_statement(), {"units": wanted, "until": until})
    out = [FixByReminder(r.id, r.title, r.name, r.fix_by, (r.fix_by - today).days) for r in rows]
    return sorted(out, key=lambda r: (r.days_left, r.dossier_id))
