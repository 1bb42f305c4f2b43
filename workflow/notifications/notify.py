"""Who hears of a transition, and what they are told (in-app, and by e-mail through the outbox).

When a dossier reaches a state from which someone may move it forward, those people are
notified; who they are comes from the lifecycle definitions, the role grants and the unit
scope, never from a hand-written table. The unit always hears of a return (with the
reason) and of its outcomes. Messages are stored as a code and parameters and rendered in
Vietnamese or English when shown; e-mails carry both languages, Vietnamese first.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from models import (
    Dossier,
    Nomination,
    Notification,
    OutboxEmail,
    Proposal,
    RoleGrant,
    User,
)
from models.clock import utcnow
from workflow.core.actors import UNIT_SCOPED_ROLES, Actor, Role
from workflow.core.audit import AppendedEvent
from workflow.core.authz import can_view, firing_role
from workflow.core.errors import NotFound
from workflow.core.registry import WORKFLOWS
from workflow.core.spec import TransitionDef
from workflow.proposals.guards import rows_of

# Set on the session when an e-mail was queued, so the web layer flushes the outbox after commit.
OUTBOX_FLAG = "vinhdanh.outbox_queued"
SUBJECT_PREFIX = "[Vinh Danh] "

# Transitions whose outcome the dossier's unit always hears of, and the message it gets.
UNIT_OUTCOMES = {
    "unit_return": "returned",
    "office_return": "returned",
    "publish": "published",
    "council_reject": "rejected",
    "office_accept": "accepted",
    "revoke": "revoked",  # not a transition: a revocation of a published award (publication)
}

# code: ((Vietnamese title, body), (English title, body)); fields come from ``_fields``.
MESSAGES: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "queue": (
        (
            "Hồ sơ chờ bạn xử lý: {title}",
            "{Kind} «{title}» của {unit} vừa chuyển sang trạng thái «{state}» "
            "({actor}: {action}).{reason_line}",
        ),
        (
            "Awaiting your action: {title}",
            "{Kind} “{title}” of {unit} has moved to “{state}” ({actor}: {action}).{reason_line}",
        ),
    ),
    "returned": (
        (
            "Hồ sơ bị trả lại: {title}",
            "{Kind} «{title}» của {unit} đã bị trả lại ({actor}: {action}).{reason_line}",
        ),
        (
            "Returned: {title}",
            "{Kind} “{title}” of {unit} was returned ({actor}: {action}).{reason_line}",
        ),
    ),
    "published": (
        (
            "Đã công bố: {title}",
            "{Kind} «{title}» của {unit} đã được công bố theo Quyết định số "
            "{decision_number} ngày {decision_date}.",
        ),
        (
            "Published: {title}",
            "{Kind} “{title}” of {unit} was published by Decision No. {decision_number} "
            "of {decision_date}.",
        ),
    ),
    "revoked": (
        (
            "Khen thưởng bị thu hồi: {title}",
            "{Kind} «{title}» của {unit} (Quyết định số {decision_number} ngày "
            "{decision_date}) đã bị thu hồi theo Quyết định số {revocation_number} ngày "
            "{revocation_date} ({actor}).{reason_line}",
        ),
        (
            "Award revoked: {title}",
            "{Kind} “{title}” of {unit} (Decision No. {decision_number} of {decision_date}) "
            "was revoked by Decision No. {revocation_number} of {revocation_date} "
            "({actor}).{reason_line}",
        ),
    ),
    "rejected": (
        (
            "Hội đồng không thông qua: {title}",
            "{Kind} «{title}» của {unit} không được Hội đồng thông qua.{reason_line}",
        ),
        (
            "Not approved by the Council: {title}",
            "{Kind} “{title}” of {unit} was not approved by the Council.{reason_line}",
        ),
    ),
    "accepted": (
        (
            "Sở đã tiếp nhận: {title}",
            "{Kind} «{title}» của {unit} đã được Văn phòng Sở tiếp nhận và công bố trong ngành.",
        ),
        (
            "Accepted by the Department: {title}",
            "{Kind} “{title}” of {unit} was accepted by the Department Office and shared "
            "with the sector.",
        ),
    ),
    "reminder": (
        (
            "Nhắc hạn nộp {kind}: {campaign}",
            "{unit} chưa gửi {kind} của «{campaign}» lên Sở. Hạn nộp: {due} ({left}).",
        ),
        (
            "Reminder: {kind} due for {campaign}",
            "{unit} has not yet sent its {kind} for “{campaign}” to the Department. "
            "Due: {due} ({left}).",
        ),
    ),
}
_REASON = ("\nLý do: {reason}", "\nReason: {reason}")
_LEFT = (
    ("còn {days} ngày", "hôm nay là hạn cuối", "quá hạn {days} ngày"),
    ("{days} days left", "due today", "{days} days overdue"),
)


# --- rendering ---------------------------------------------------------------------------


def _day(value: Any) -> str:
    """dd/mm/yyyy of an ISO date, the Vietnamese administrative form."""
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return ""


def _fields(params: dict[str, Any], en: bool) -> dict[str, str]:
    """Every placeholder of the messages, in one language, from the stored parameters."""
    values: dict[str, str] = defaultdict(
        str, {k: str(v) for k, v in params.items() if v is not None}
    )
    wdef = WORKFLOWS.get(params.get("kind", ""))
    if wdef is not None:
        label = wdef.label_en if en else wdef.label_vi
        values["Kind"], values["kind"] = label, label[:1].lower() + label[1:]
        if params.get("state") in wdef.state_names:
            sdef = wdef.state(params["state"])
            values["state"] = sdef.label_en if en else sdef.label_vi
        try:
            tdef = wdef.transition(params.get("trigger", ""))
            values["action"] = tdef.label_en if en else tdef.label_vi
        except KeyError:
            pass
    if params.get("reason"):
        values["reason_line"] = _REASON[en].format(reason=params["reason"])
    values["decision_date"] = _day(params.get("decision_date"))
    values["revocation_date"] = _day(params.get("revocation_date"))
    values["due"] = _day(params.get("due"))
    if "days" in params:
        days = int(params["days"])
        if days < 0:
            values["left"] = _LEFT[en][2].format(days=-days)
        else:
            values["left"] = _LEFT[en][1] if days == 0 else _LEFT[en][0].format(days=days)
    return values


def render(code: str, params: dict[str, Any], locale: str = "vi") -> tuple[str, str]:
    """(title, body) of a message in ``locale`` ("vi" or "en")."""
    en = locale == "en"
    title, body = MESSAGES.get(code, MESSAGES["queue"])[1 if en else 0]
    values = _fields(params, en)
    return title.format_map(values), body.format_map(values)


def render_notification(notification: Notification, locale: str = "vi") -> tuple[str, str]:
    """(title, body) of an in-app notification in ``locale``."""
    return render(notification.kind, notification.params, locale)


def email_text(code: str, params: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of the e-mail: the subject in Vietnamese, the body in both languages."""
    title_vi, body_vi = render(code, params, "vi")
    title_en, body_en = render(code, params, "en")
    return (
        SUBJECT_PREFIX + title_vi,
        f"{title_vi}\n\n{body_vi}\n\n— English —\n{title_en}\n\n{body_en}\n",
    )


# --- delivering --------------------------------------------------------------------------


class Recipient(NamedTuple):
    """Who gets a notification: an account and its e-mail address, if any."""

    id: int
    email: str | None


def deliver(
    session: Session,
    recipients: Iterable[Recipient],
    code: str,
    params: dict[str, Any],
    *,
    dossier_id: int | None = None,
    link: str = "",
    now: dt.datetime | None = None,
) -> int:
    """Add an in-app notification for each recipient and queue an e-mail to those who have an
    address; returns how many were notified. Never commits: it lands with the change that
    caused it. (Bulk INSERTs: this runs inside every transition.)"""
    people = list(recipients)
    if not people:
        return 0
    moment = now or utcnow()
    params_json = json.dumps(params, ensure_ascii=False, sort_keys=True)
    # Core inserts on the session's connection (the ORM bulk path costs more than the
    # INSERT itself); flush first, as session.execute would have autoflushed.
    connection = _autoflushed_connection(session)
    connection.execute(
        _INSERT_NOTIFICATION,
        [
            {
                "user_id": p.id,
                "dossier_id": dossier_id,
                "kind": code,
                "params_json": params_json,
                "link": link,
                "created_at": moment,
            }
            for p in people
        ],
    )
    addresses = [p.email for p in people if p.email]
    if addresses:
        subject, body = email_text(code, params)
        connection.execute(
            _INSERT_OUTBOX,
            [
                {
                    "to_address": address,
                    "subject": subject[:400],
                    "body_text": body,
                    "link": link,
                    "status": "queued",
                    "attempts": 0,
                    "created_at": moment,
                }
                for address in addresses
            ],
        )
        session.info[OUTBOX_FLAG] = True
    return len(people)


def dossier_link(dossier_id: int) -> str:
    """The path of a dossier's page (the URL contract of the web areas)."""
    return f"/dossiers/{dossier_id}"


_INSERT_NOTIFICATION = insert(Notification.__table__)
_INSERT_OUTBOX = insert(OutboxEmail.__table__)


def _autoflushed_connection(session: Session):
    """The session's connection, after the flush ``session.execute`` would have done."""
    if session.autoflush:
        session.flush()
    return session.connection()


def _grants_query(grant_filter) -> Select:
    """Active users holding a grant that matches ``grant_filter``, with all their grants."""
    matching = select(RoleGrant.user_id).where(grant_filter)
    return (
        select(User.id, User.email, RoleGrant.role, RoleGrant.unit_id)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(User.active.is_(True), User.id.in_(matching))
        .order_by(User.id)
    )


def _grants_of_users_with(
    session: Session, query: Select, params: dict[str, Any]
) -> dict[Recipient, set[tuple[Role, int | None]]]:
    """Run a :func:`_grants_query` (one query): each recipient with all their grants."""
    rows = _autoflushed_connection(session).execute(query, params)
    people: dict[Recipient, set[tuple[Role, int | None]]] = {}
    for user_id, email, role, unit_id in rows:
        people.setdefault(Recipient(user_id, email), set()).add((Role(role), unit_id))
    return people


# Built once (every transition runs one of them); the unit is a parameter.
_UNIT_PEOPLE = _grants_query(
    and_(
        RoleGrant.role.in_(sorted(r.value for r in UNIT_SCOPED_ROLES)),
        RoleGrant.unit_id == bindparam("unit_id"),
    )
)
_QUEUE_QUERIES: dict[tuple[tuple[str, ...], tuple[str, ...]], Select] = {}


def _queue_query(unit_roles: tuple[str, ...], other_roles: tuple[str, ...]) -> Select:
    query = _QUEUE_QUERIES.get((unit_roles, other_roles))
    if query is None:
        query = _QUEUE_QUERIES[(unit_roles, other_roles)] = _grants_query(
            or_(
                and_(
                    RoleGrant.role.in_(list(unit_roles)), RoleGrant.unit_id == bindparam("unit_id")
                ),
                RoleGrant.role.in_(list(other_roles)),
            )
        )
    return query


def unit_people(session: Session, unit_id: int) -> list[Recipient]:
    """The unit's emulation officers and head (active accounts)."""
    return list(_grants_of_users_with(session, _UNIT_PEOPLE, {"unit_id": unit_id}))


def forward_from(dossier: Dossier) -> tuple[TransitionDef, ...]:
    """The transitions that move ``dossier`` forward from its state (what puts it in a queue)."""
    return tuple(t for t in WORKFLOWS[dossier.kind].transitions_from(dossier.state) if t.forward)


def queue_recipients(session: Session, dossier: Dossier) -> list[Recipient]:
    """The people in whose queue ``dossier`` now is: they hold a role that may move it forward
    from its state, in scope (unit roles of its unit; Department roles otherwise) and may see it."""
    forward = forward_from(dossier)
    roles = {role for tdef in forward for role in tdef.roles}
    if not roles:
        return []
    unit_roles = tuple(sorted(r.value for r in roles if r in UNIT_SCOPED_ROLES))
    other_roles = tuple(sorted(r.value for r in roles if r not in UNIT_SCOPED_ROLES))
    candidates = _grants_of_users_with(
        session, _queue_query(unit_roles, other_roles), {"unit_id": dossier.unit_id}
    )
    return [
        person
        for person, grants in candidates.items()
        if _may_fire(Actor(person.id, frozenset(grants)), dossier, forward)
    ]


def _rows_queue(session: Session, dossier: Dossier) -> list[Recipient]:
    """A list's rows moved with it, quietly: the people in whose queue they now are hear of
    the list once (its first row stands for the others, which share its state)."""
    if not isinstance(dossier, Proposal):
        return []
    first = session.scalars(
        select(Nomination).where(Nomination.id.in_(rows_of(dossier.id).limit(1)))
    ).first()
    return queue_recipients(session, first) if first is not None else []


def _may_fire(actor: Actor, dossier: Dossier, forward: tuple[TransitionDef, ...]) -> bool:
    return can_view(actor, dossier) and any(
        firing_role(actor, dossier, t) is not None for t in forward
    )


def _actor_name(session: Session, actor: Actor) -> str:
    if actor.name:  # signed-in people and the CLI carry their name: no query
        return actor.name
    # The web request loaded the signed-in user into this session already: no query then.
    user = session.identity_map.get(session.identity_key(User, actor.user_id))
    if user is not None:
        return user.full_name
    return _autoflushed_connection(session).scalar(_ACTOR_NAME, {"user_id": actor.user_id}) or ""


_ACTOR_NAME = select(User.full_name).where(User.id == bindparam("user_id"))


def _params(
    session: Session, dossier: Dossier, event: AppendedEvent, actor: Actor
) -> dict[str, Any]:
    return {
        "kind": dossier.kind,
        "state": event.to_state,
        "trigger": event.action,
        "title": dossier.title,
        "unit": dossier.unit.name,
        "actor": _actor_name(session, actor),
        "reason": event.reason or "",
        "decision_number": dossier.decision_number or "",
        "decision_date": dossier.decision_date.isoformat() if dossier.decision_date else "",
        **_revocation_params(event),
    }


def _revocation_params(event: AppendedEvent) -> dict[str, str]:
    """The revoking decision's number and date, on the event of a revocation."""
    if UNIT_OUTCOMES.get(event.action) != "revoked":
        return {}
    changes = json.loads(event.changes or "{}")
    return {key: changes.get(key, "") for key in ("revocation_number", "revocation_date")}


def notify_transition(
    session: Session, dossier: Dossier, event: AppendedEvent, actor: Actor
) -> int:
    """Notify the people a transition concerns (never the one who fired it); returns how many.
    Registered as a listener of ``workflow.fire``: runs in its transaction, never commits."""
    outcome = UNIT_OUTCOMES.get(event.action)
    unit = unit_people(session, dossier.unit_id) if outcome else []
    told = {p.id for p in unit}
    waiting = queue_recipients(session, dossier) + _rows_queue(session, dossier)
    queue = list({p.id: p for p in waiting if p.id not in told}.values())
    if not unit and not queue:
        return 0
    params, link = _params(session, dossier, event, actor), dossier_link(dossier.id)
    count = 0
    for code, people in ((outcome, unit), ("queue", queue)):
        recipients = [p for p in people if p.id != event.actor_id]
        if code and recipients:
            count += deliver(
                session,
                recipients,
                code,
                params,
                dossier_id=dossier.id,
                link=link,
                now=event.occurred_at,
            )
    return count


# --- a person's notifications -----------------------------------------------------------


def inbox(user_id: int) -> Select:
    """The person's notifications, newest first (for pagination)."""
    return (
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


# Every signed-in page shows the count: the statement is built once, not per request.
_UNREAD = (
    select(func.count())
    .select_from(Notification)
    .where(Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))
)


def unread_count(session: Session, user_id: int) -> int:
    """How many of the person's notifications are unread (one COUNT on an index)."""
    return session.scalar(_UNREAD, {"user_id": user_id}) or 0


def mark_read(
    session: Session, user_id: int, notification_id: int, now: dt.datetime | None = None
) -> Notification:
    """Mark one of the person's notifications read. Raises ``NotFound`` for anyone else's."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.user_id != user_id:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = now or utcnow()
    return notification


def mark_all_read(session: Session, user_id: int, now: dt.datetime | None = None) -> int:
    """Mark every unread notification of the person read; returns how many."""
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
    )
    return result.rowcount or 0
