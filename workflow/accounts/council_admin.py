"""The Council's membership administered in the browser: each member's position (Chủ tịch, Phó
Chủ tịch, Ủy viên, Thư ký) and term. A term is ended, never deleted (sessions and minutes keep
naming who sat). At most one Chủ tịch at a time, and one account's terms never overlap. Every
change is audited (entity ``council_membership``) with its diff.

Members are listed everywhere in protocol order: Chủ tịch, Phó Chủ tịch, Ủy viên, Thư ký, then
by name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Select, select, text
from sqlalchemy.orm import Session

from models import CouncilMembership, RoleGrant, User
from models.clock import today
from models.council import COUNCIL_POSITIONS, POSITION_CHAIR, POSITION_MEMBER
from models.text import person_sort_key, whole_number
from workflow.accounts.admin import (
    AdminRefused,
    Cleaner,
    Kind,
    fetch,
    locked,
    log,
    refuse_if_changed,
    update_record,
)
from workflow.core.actors import Actor, Role
from workflow.core.authz import may_manage_council_members, refuse_unless
from workflow.core.dates import DATE_RULE, parse_day

ENTITY = "council_membership"
# What managing the membership is called in a refusal (Vietnamese, English).
ACTION = ("Quản lý thành viên Hội đồng", "Manage the Council's members")
LABELS = {
    "user_id": ("Tài khoản", "Account"),
    "position": ("Chức danh trong Hội đồng", "Position on the Council"),
    "starts_on": ("Ngày bắt đầu nhiệm kỳ", "First day of the term"),
    "ends_on": ("Ngày kết thúc nhiệm kỳ", "Last day of the term"),
    "last_day": ("Ngày cuối của nhiệm kỳ", "Last day of the term"),
}
POSITION_LABELS: dict[str, tuple[str, str]] = {
    "chair": ("Chủ tịch Hội đồng", "Chair of the Council"),
    "vice_chair": ("Phó Chủ tịch Hội đồng", "Vice-chair of the Council"),
    "member": ("Ủy viên", "Member"),
    "secretary": ("Thư ký", "Secretary"),
}
# Accounts that may sit on the Council: those holding a Council role.
COUNCIL_ROLES = (Role.COUNCIL_MEMBER.value, Role.COUNCIL_SECRETARY.value)


def snapshot(membership: CouncilMembership) -> dict[str, Any]:
    """The term's administered fields, as audited and stamped."""
    return {
        "user_id": membership.user_id,
        "position": membership.position,
        "starts_on": membership.starts_on.isoformat(),
        "ends_on": membership.ends_on.isoformat() if membership.ends_on else None,
    }


KIND = Kind(
    CouncilMembership,
    ENTITY,
    ("của thành viên Hội đồng", "Council member"),
    ("Không tìm thấy thành viên Hội đồng.", "No such Council member."),
    snapshot,
)


def protocol_key(position: str | None, full_name: str) -> tuple:
    """Sort key of protocol order: position (a member with none counts as Ủy viên), then name."""
    rank = COUNCIL_POSITIONS.index(position if position in COUNCIL_POSITIONS else POSITION_MEMBER)
    return (rank, person_sort_key(full_name))


def positions_on(
    session: Session, user_ids: Iterable[int], day: dt.date | None = None
) -> dict[int, str]:
    """{account: position} of the terms running on ``day`` (today by default)."""
    ids, day = set(user_ids), day or today()
    if not ids:
        return {}
    terms = session.scalars(select(CouncilMembership).where(CouncilMembership.user_id.in_(ids)))
    return {t.user_id: t.position for t in terms if t.covers(day)}


def in_protocol_order(
    session: Session, rows: Iterable[Any], user_of: Any, day: dt.date | None = None
) -> list[Any]:
    """``rows`` (each naming an account through ``user_of(row)``) in protocol order on ``day``."""
    rows = list(rows)
    positions = positions_on(session, (user_of(r).id for r in rows), day)
    return sorted(
        rows, key=lambda r: protocol_key(positions.get(user_of(r).id), user_of(r).full_name)
    )


def memberships(session: Session, day: dt.date | None = None) -> list[CouncilMembership]:
    """Every term: running ones first, in protocol order; then the others, latest first."""
    day = day or today()
    terms = list(session.scalars(select(CouncilMembership)))
    running = [t for t in terms if t.covers(day)]
    others = [t for t in terms if not t.covers(day)]
    running.sort(key=lambda t: protocol_key(t.position, t.user.full_name))
    others.sort(key=lambda t: (t.starts_on, t.id), reverse=True)
    return running + others


def term_status(membership: CouncilMembership, day: dt.date | None = None) -> str:
    """``active``, ``ended`` or ``upcoming`` on ``day``."""
    day = day or today()
    if membership.covers(day):
        return "active"
    return "upcoming" if membership.starts_on > day else "ended"


def candidates_query() -> Select:
    """Active accounts holding a Council role, the ones a term may be given to."""
    return (
        select(User)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role.in_(COUNCIL_ROLES), User.active.is_(True))
        .distinct()
    )


def candidates(session: Session) -> list[User]:
    """Accounts a term may be given to, by name."""
    users = session.scalars(candidates_query())
    return sorted(users, key=lambda u: person_sort_key(u.full_name))


def _day(check: Cleaner, values: Mapping[str, Any], name: str, required: bool) -> dt.date | None:
    raw = check.text(name, 40, required=required)
    day = parse_day(raw) if raw else None
    if raw and day is None:
        check.problem(name, *DATE_RULE)
    return day


def clean(session: Session, values: Mapping[str, Any], user_id: int | None) -> dict[str, Any]:
    """The term's fields from ``values`` (``user_id`` fixed when editing); AdminRefused naming
    every field that is wrong."""
    check = Cleaner(values, LABELS)
    if user_id is None:
        check.text("user_id", 20, required=True)
        user_id = whole_number(values.get("user_id"))
        if values.get("user_id") and (
            user_id is None
            or session.scalar(
                candidates_query().where(User.id == user_id).with_only_columns(User.id)
            )
            is None
        ):
            check.problem(
                "user_id",
                "phải là tài khoản đang hoạt động có vai trò Hội đồng",
                "must be an active account holding a Council role",
            )
    position = check.text("position", 20, required=True)
    if position and position not in COUNCIL_POSITIONS:
        check.problem("position", "chưa chọn giá trị hợp lệ", "is not a valid choice")
    starts_on = _day(check, values, "starts_on", required=True)
    ends_on = _day(check, values, "ends_on", required=False)
    if starts_on and ends_on and ends_on < starts_on:
        check.problem("ends_on", "không được trước ngày bắt đầu", "cannot be before the first day")
    check.raise_if_any()
    return {"user_id": user_id, "position": position, "starts_on": starts_on, "ends_on": ends_on}


def _overlaps(a_start: dt.date, a_end: dt.date | None, b: CouncilMembership) -> bool:
    return (b.ends_on is None or a_start <= b.ends_on) and (a_end is None or b.starts_on <= a_end)


def _check_rules(session: Session, term: Mapping[str, Any], term_id: int | None) -> None:
    """AdminRefused when the term overlaps another of the account, or a second Chủ tịch."""
    check = Cleaner(term, LABELS)
    others = session.scalars(
        select(CouncilMembership).where(CouncilMembership.id != (term_id or 0))
    )
    for other in others:
        if not _overlaps(term["starts_on"], term["ends_on"], other):
            continue
        if other.user_id == term["user_id"]:
            check.problem(
                "starts_on",
                "trùng với một nhiệm kỳ khác của tài khoản này",
                "overlaps another term of this account",
            )
        elif term["position"] == POSITION_CHAIR and other.position == POSITION_CHAIR:
            check.problem(
                "position",
                f"đã có Chủ tịch Hội đồng trong thời gian này ({other.user.full_name})",
                f"is already held by a chair in this period ({other.user.full_name})",
            )
    check.raise_if_any()


def _serialise(session: Session) -> None:
    """Let one membership change at a time check the rules: two admins adding a Chủ tịch at
    once must not both see none. SQLite already serialises writers (BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE council_membership IN SHARE ROW EXCLUSIVE MODE"))


def _apply(membership: CouncilMembership, term: Mapping[str, Any]) -> None:
    for name, value in term.items():
        setattr(membership, name, value)


def require_manager(actor: Actor | None) -> Actor:
    """The actor, when they may manage the membership; else AdminRefused."""
    refuse_unless(may_manage_council_members(actor), ACTION, error=AdminRefused)
    return actor


def get_membership(session: Session, membership_id: int) -> CouncilMembership | None:
    """The term, or None."""
    return fetch(session, KIND, membership_id)


def add_member(
    session: Session, actor: Actor | None, values: Mapping[str, Any], now: dt.datetime | None = None
) -> CouncilMembership:
    """Give an account a term on the Council. Never commits."""
    actor = require_manager(actor)
    term = clean(session, values, None)
    _serialise(session)
    _check_rules(session, term, None)
    membership = CouncilMembership()
    _apply(membership, term)
    session.add(membership)
    session.flush()
    log(session, actor, ENTITY, membership.id, "create", snapshot(membership), now=now)
    return membership


def update_member(
    session: Session,
    actor: Actor | None,
    membership_id: int,
    values: Mapping[str, Any],
    *,
    expected_stamp: int | None = None,
    now: dt.datetime | None = None,
) -> dict[str, list[Any]]:
    """Change a term's position or days; returns (and audits) the diff. A form drawn before
    another admin's save is refused (StaleVersion)."""
    actor = require_manager(actor)
    _serialise(session)
    membership = locked(session, KIND, membership_id)

    def apply() -> None:
        term = clean(session, values, membership.user_id)
        _check_rules(session, term, membership.id)
        _apply(membership, term)

    return update_record(session, actor, KIND, membership, apply, expected_stamp, now)


def end_term(
    session: Session,
    actor: Actor | None,
    membership_id: int,
    last_day: Any = None,
    *,
    expected_stamp: int | None = None,
    now: dt.datetime | None = None,
) -> bool:
    """End a term on ``last_day`` (typed dd/mm/yyyy; today when blank); True when it changed.
    The member stays in the list with the term ended."""
    actor = require_manager(actor)
    _serialise(session)
    membership = locked(session, KIND, membership_id)
    refuse_if_changed(snapshot(membership), expected_stamp, KIND.record)
    check = Cleaner({"last_day": last_day or today().isoformat()}, LABELS)
    day = _day(check, check.values, "last_day", required=True)
    if day and day < membership.starts_on:
        check.problem("ends_on", "không được trước ngày bắt đầu", "cannot be before the first day")
    if day and membership.ends_on is not None and day > membership.ends_on:
        check.problem(
            "last_day",
            "không được sau ngày kết thúc đã định",
            "cannot be after the last day already set",
        )
    check.raise_if_any()
    if membership.ends_on == day:
        return False
    before = membership.ends_on
    membership.ends_on = day
    changes = {"ends_on": [before.isoformat() if before else None, day.isoformat()]}
    log(session, actor, ENTITY, membership.id, "end_term", changes, now=now)
    return True
