"""Public notice before the Council (công khai lấy ý kiến).

Where an award type asks for it (``AwardType.public_notice_days`` > 0), a nomination the
Office approves to the Council (a state on its ``agenda``) is posted on the public site for
that many WORKING days: the days after the day of posting, weekends and the public holidays
below left out. The Council may decide only once the notice has ended, i.e. from the working
day after the last day of notice. Anyone may comment on a posted name; comments stay hidden
until an Office reviewer approves or rejects them, and every step is audited (never the
commenter's contact).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from models import AuditEvent, AwardType, Nomination, Unit
from models.clock import local_day, utcnow
from models.notice import (
    COMMENT_APPROVED,
    COMMENT_PENDING,
    COMMENT_REJECTED,
    CONTACT_MAX,
    NAME_MAX,
    TEXT_MAX,
    NoticeComment,
)
from workflow.core import audit
from workflow.core.actors import Actor, Role
from workflow.core.authz import may_moderate_notice_comments, refuse_unless
from workflow.core.context import GuardContext
from workflow.core.errors import EditRefused, NotFound, Violation
from workflow.core.guards import guard
from workflow.core.messages import Messages
from workflow.core.registry import states_where

NOTICE_MESSAGES = Messages(
    {
        "notice_not_over": (
            "Hồ sơ đang được công khai lấy ý kiến đến hết ngày {until} ({days} ngày làm việc); "
            "Hội đồng chỉ xét sau khi hết thời hạn công khai.",
            "The nomination is posted for public comment "
            "until the end of {until} ({days} working days); "
            "the Council may decide only after the notice period.",
        ),
        "notice_not_posted": (
            "Hồ sơ này không (hoặc không còn) được công khai lấy ý kiến.",
            "This nomination is not (or no longer) posted for public comment.",
        ),
        "comment_text_required": ("Vui lòng nhập nội dung ý kiến.", "Please write your comment."),
        "comment_too_long": (
            "“{field}” dài quá {limit} ký tự.",
            "“{field_en}” is longer than {limit} characters.",
        ),
        "comment_already_moderated": (
            "Ý kiến này đã được xử lý.",
            "This comment has already been moderated.",
        ),
        "moderation_reason_required": (
            "Vui lòng nêu lý do không duyệt ý kiến.",
            "Please give the reason for rejecting the comment.",
        ),
    }
)

# Public holidays (ngày nghỉ lễ, Tết) left out of the notice period, besides Saturdays and
# Sundays. A small list kept in the code: the fixed-date holidays of the Labour Code 2019
# (Điều 112) every year, plus the lunar-calendar days and the days off the Government
# announces each year. Add next year's dates here when they are announced.
FIXED_HOLIDAYS: frozenset[tuple[int, int]] = frozenset({(1, 1), (4, 30), (5, 1), (9, 2)})
HOLIDAYS: frozenset[dt.date] = frozenset(
    {
        # Tết Nguyên đán 2026 (14/02 – 22/02/2026)
        *(dt.date(2026, 2, 14) + dt.timedelta(days=i) for i in range(9)),
        dt.date(
            2026, 4, 27
        ),  # Giỗ Tổ Hùng Vương (10/3 âm lịch fell on Sunday 26/4/2026), day off in lieu
        dt.date(2026, 9, 1),  # Quốc khánh: the second day off, 2026
        # Tết Nguyên đán 2027 (05/02 – 10/02/2027)
        *(dt.date(2027, 2, 5) + dt.timedelta(days=i) for i in range(6)),
        dt.date(2027, 4, 16),  # Giỗ Tổ Hùng Vương 2027
    }
)


def is_working_day(day: dt.date, holidays: frozenset[dt.date] = HOLIDAYS) -> bool:
    """Monday to Friday, and not a public holiday."""
    return day.weekday() < 5 and day not in holidays and (day.month, day.day) not in FIXED_HOLIDAYS


def add_working_days(start: dt.date, days: int, holidays: frozenset[dt.date] = HOLIDAYS) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself does not count)."""
    day, left = start, days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


@dataclass(frozen=True)
class NoticeWindow:
    """When a nomination is posted: from the day the Office approved it to the last day."""

    days: int
    posted_from: dt.date
    posted_until: dt.date

    def over(self, today: dt.date) -> bool:
        return today > self.posted_until

    def open(self, today: dt.date) -> bool:
        return self.posted_from <= today <= self.posted_until


def agenda_states() -> tuple[str, ...]:
    """The nomination states awaiting the Council's vote: a name is posted while in one."""
    return states_where(lambda s: s.agenda)["nomination"]


def posted_at(session: Session, dossier_id: int) -> dt.datetime | None:
    """When the dossier last entered the Council's agenda (from the audit log), or None."""
    return session.scalar(
        select(AuditEvent.occurred_at)
        .where(
            AuditEvent.entity_type == "dossier",
            AuditEvent.entity_id == dossier_id,
            AuditEvent.to_state.in_(agenda_states()),
        )
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    )


def notice_window(session: Session, nomination) -> NoticeWindow | None:
    """The notice of a nomination awaiting the Council whose award asks for one, else None."""
    award = getattr(nomination, "award_type", None)
    if award is None or not award.public_notice_days or nomination.state not in agenda_states():
        return None
    moment = posted_at(session, nomination.id)
    if moment is None:
        return None
    start = local_day(moment)
    return NoticeWindow(
        award.public_notice_days, start, add_working_days(start, award.public_notice_days)
    )


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


# --- guard ---------------------------------------------------------------------------------


@guard(
    "Đã hết thời hạn công khai lấy ý kiến (với danh "
    "hiệu yêu cầu công khai; tính theo ngày làm việc)",
    "The public notice period has ended (for awards that require one; counted in working days)",
)
def notice_period_over(ctx: GuardContext) -> Violation | None:
    """The Council decides only after the public notice its award asks for has ended."""
    window = notice_window(ctx.session, ctx.dossier)
    if window is None or window.over(local_day(ctx.now)):
        return None
    return NOTICE_MESSAGES.violation(
        "notice_not_over", {"until": _day(window.posted_until), "days": window.days}
    )


# --- the posted list and comments -----------------------------------------------------------


@dataclass(frozen=True)
class PostedName:
    dossier_id: int
    name: str
    position: str
    unit: str
    award_vi: str
    award_en: str
    window: NoticeWindow
    approved_comments: int


def posted_names(session: Session, now: dt.datetime) -> list[PostedName]:
    """The names on public notice today, soonest-ending first."""
    today = local_day(now)
    rows = session.execute(
        select(Nomination, Unit.name)
        .join(AwardType, AwardType.id == Nomination.award_type_id)
        .join(Unit, Unit.id == Nomination.unit_id)
        .where(Nomination.state.in_(agenda_states()), AwardType.public_notice_days > 0)
    ).all()
    counts = dict(
        session.execute(
            select(NoticeComment.dossier_id, func.count())
            .where(NoticeComment.status == COMMENT_APPROVED)
            .group_by(NoticeComment.dossier_id)
        ).all()
    )
    names = []
    for nomination, unit_name in rows:
        window = notice_window(session, nomination)
        if window is None or not window.open(today):
            continue
        names.append(
            PostedName(
                nomination.id,
                nomination.nominee_name,
                nomination.position or "",
                unit_name,
                nomination.award_type.name_vi,
                nomination.award_type.name_en,
                window,
                counts.get(nomination.id, 0),
            )
        )
    return sorted(names, key=lambda n: (n.window.posted_until, n.name, n.dossier_id))


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def add_comment(
    session: Session,
    dossier_id: int,
    text: str | None,
    name: str | None = None,
    contact: str | None = None,
    *,
    now: dt.datetime | None = None,
) -> NoticeComment:
    """Receive a public comment on a posted name (pending until moderated); audited without
    the commenter's name or contact."""
    now = now or utcnow()
    nomination = session.get(Nomination, dossier_id)
    window = notice_window(session, nomination) if nomination is not None else None
    if window is None or not window.open(local_day(now)):
        raise EditRefused([NOTICE_MESSAGES.violation("notice_not_posted")])
    text, name, contact = _clean(text), _clean(name), _clean(contact)
    problems = []
    if text is None:
        problems.append(NOTICE_MESSAGES.violation("comment_text_required"))
    for value, limit, vi, en in (
        (text, TEXT_MAX, "Nội dung", "Comment"),
        (name, NAME_MAX, "Họ tên", "Name"),
        (contact, CONTACT_MAX, "Liên hệ", "Contact"),
    ):
        if value is not None and len(value) > limit:
            problems.append(
                NOTICE_MESSAGES.violation(
                    "comment_too_long", {"field": vi, "field_en": en, "limit": limit}
                )
            )
    if problems:
        raise EditRefused(problems)
    comment = NoticeComment(
        dossier_id=dossier_id,
        text=text,
        name=name,
        contact=contact,
        status=COMMENT_PENDING,
        created_at=now,
    )
    session.add(comment)
    session.flush()
    audit.append(
        session,
        entity_type="notice_comment",
        entity_id=comment.id,
        action="receive",
        actor_id=None,
        actor_role=None,
        unit_id=nomination.unit_id,
        to_state=COMMENT_PENDING,
        changes={"dossier_id": dossier_id, "comment_id": comment.id},
        now=now,
    )
    return comment


def moderate(
    session: Session,
    actor: Actor,
    comment_id: int,
    decision: str,
    reason: str | None = None,
    *,
    now: dt.datetime | None = None,
) -> NoticeComment:
    """An Office reviewer approves (shown to the public and the Council) or rejects (with a
    reason) a pending comment; audited."""
    refuse_unless(may_moderate_notice_comments(actor), ("duyệt ý kiến góp ý", "moderate comments"))
    if decision not in ("approve", "reject"):
        raise ValueError(decision)
    comment = session.get(NoticeComment, comment_id, with_for_update=True)
    if comment is None:
        raise NotFound()
    if comment.status != COMMENT_PENDING:
        raise EditRefused([NOTICE_MESSAGES.violation("comment_already_moderated")])
    reason = _clean(reason)
    if decision == "reject" and reason is None:
        raise EditRefused([NOTICE_MESSAGES.violation("moderation_reason_required")])
    now = now or utcnow()
    comment.status = COMMENT_APPROVED if decision == "approve" else COMMENT_REJECTED
    comment.moderated_by, comment.moderated_at = actor.user_id, now
    comment.moderation_reason = reason
    nomination = session.get(Nomination, comment.dossier_id)
    audit.append(
        session,
        entity_type="notice_comment",
        entity_id=comment.id,
        action=decision,
        actor_id=actor.user_id,
        actor_role=Role.OFFICE_REVIEWER.value,
        unit_id=nomination.unit_id if nomination else None,
        from_state=COMMENT_PENDING,
        to_state=comment.status,
        reason=reason,
        changes={"dossier_id": comment.dossier_id, "comment_id": comment.id},
        now=now,
    )
    session.flush()
    return comment


_APPROVED_COMMENTS = (
    select(NoticeComment)
    .where(
        NoticeComment.dossier_id == bindparam("dossier_id"),
        NoticeComment.status == COMMENT_APPROVED,
    )
    .order_by(NoticeComment.created_at, NoticeComment.id)
)
_PENDING_COUNT = (
    select(func.count())
    .select_from(NoticeComment)
    .where(
        NoticeComment.dossier_id == bindparam("dossier_id"),
        NoticeComment.status == COMMENT_PENDING,
    )
)


def approved_comments(session: Session, dossier_id: int) -> list[NoticeComment]:
    return list(session.scalars(_APPROVED_COMMENTS, {"dossier_id": dossier_id}))


def pending_count(session: Session, dossier_id: int) -> int:
    return session.scalar(_PENDING_COUNT, {"dossier_id": dossier_id}) or 0


def pending_comment_count(session: Session) -> int:
    """How many comments await moderation (the number on the moderator's home page)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(NoticeComment)
            .join(Nomination, Nomination.id == NoticeComment.dossier_id)
            .where(NoticeComment.status == COMMENT_PENDING)
        )
        or 0
    )


def pending_comments(session: Session) -> list:
    """Comments awaiting moderation, oldest first, with their nomination."""
    return list(
        session.execute(
            select(NoticeComment, Nomination)
            .join(Nomination, Nomination.id == NoticeComment.dossier_id)
            .where(NoticeComment.status == COMMENT_PENDING)
            .order_by(NoticeComment.created_at, NoticeComment.id)
        ).all()
    )
