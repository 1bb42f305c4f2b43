"""The Office's returns as a thread: each return's note, day to fix by and points, and the
unit's reply to each point (no Flask). Replies are audited on the dossier."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import AuditEvent, ReturnPoint, ReturnRequest
from models.clock import utcnow
from models.text import nfc
from workflow.core import audit
from workflow.core.actors import Actor
from workflow.core.errors import EditRefused, NotFound
from workflow.core.inputs import field_required, field_too_long
from workflow.core.messages import Messages
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
    return list(
        session.scalars(
            select(ReturnRequest)
            .where(ReturnRequest.dossier_id == dossier_id)
            .options(selectinload(ReturnRequest.points))
            .order_by(ReturnRequest.returned_at.desc(), ReturnRequest.id.desc())
        )
    )


def reply(
    session: Session, actor: Actor, point_id: int, text: str, *, now: dt.datetime | None = None
) -> AuditEvent:
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
