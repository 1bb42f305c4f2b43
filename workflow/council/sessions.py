"""Council sessions (phiên họp Hội đồng TĐKT ngành): opening, attendance, agenda, closing.

Decisions on the agenda are transitions (council_approve, council_reject, council_defer,
council_classify, publish) fired through the engine with the session's id; this module
keeps the session itself. Every change is appended to the audit chain as a
``council_session`` event in the caller's transaction. Nothing here commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from models import (
    CouncilAgendaClaim,
    CouncilAttendance,
    CouncilItem,
    CouncilSession,
    Dossier,
    RoleGrant,
    User,
)
from models.clock import utcnow
from models.council import (
    OUTCOME_APPROVED,
    OUTCOME_CLASSIFIED,
    OUTCOME_DEFERRED,
    OUTCOME_REJECTED,
    Ballot,
)
from models.text import nfc
from workflow.accounts.council_admin import in_protocol_order, positions_on
from workflow.core.actors import Actor, Role
from workflow.core.authz import may_run_council, may_view_council, refuse_unless, visible_dossiers
from workflow.core.errors import EditRefused, NotFound
from workflow.core.inputs import field_required
from workflow.core.messages import Messages
from workflow.core.registry import state_def, state_is
from workflow.core.shares import parse_share, share_text
from workflow.council.guards import COUNCIL_MESSAGES, quorum_needed
from workflow.council.records import record_event
from workflow.dossiers.queues import ANY_DOSSIER

SESSION_MESSAGES = Messages(
    {
        "session_ballots_open": (
            "Chưa thể kết thúc phiên họp: còn phiếu kín chưa đóng của hồ sơ {dossiers}. "
            "Vui lòng đóng phiếu và kiểm phiếu trước khi kết thúc phiên họp.",
            "The session cannot be closed yet: a secret ballot is still open on {dossiers}. "
            "Please close and count every open ballot before closing the session.",
        ),
        "session_ballots_unapplied": (
            "Chưa thể kết thúc phiên họp: kết quả bỏ phiếu "
            "kín của hồ sơ {dossiers} chưa được ghi nhận. "
            "Vui lòng bấm “Ghi nhận” kết quả phiếu kín trước khi kết thúc phiên họp.",
            "The session cannot be closed yet: "
            "the secret ballot result on {dossiers} is not recorded. "
            "Please record the ballot's result before closing the session.",
        ),
        "agenda_taken": (
            "Hồ sơ {dossiers} đã thuộc chương trình của phiên họp khác đang mở ({sessions}). "
            "Mỗi hồ sơ chỉ thuộc chương trình của một phiên họp đang mở: bỏ chọn các hồ sơ đó, "
            "hoặc kết thúc phiên họp kia trước.",
            "{dossiers_en} already on the agenda of another open session ({sessions}). A dossier "
            "is on the agenda of one open session at most: leave them out, or close that "
            "session first.",
        ),
    }
)

DEFAULT_QUORUM = "2/3"
# Hải Phòng has no published rule of its own for the Council's quorum (research notes, §4):
# the default cites the provincial rule it follows, and the day that rule was issued. The
# secretary may replace both when the Department's own Quy chế is issued.
DEFAULT_QUORUM_SOURCE = (
    "Điều 8 Quy chế hoạt động của Hội đồng Thi đua - Khen thưởng ban hành kèm theo "
    "Quyết định số 86/2025/QĐ-UBND (tham chiếu, chưa có quy định riêng của thành phố)"
)
DEFAULT_QUORUM_FROM = dt.date(2025, 12, 3)
ENTITY = "council_session"

# Outcome labels of a recorded Council item (models.council.VOTE_OUTCOMES).
OUTCOME_LABELS: dict[str, tuple[str, str]] = {
    OUTCOME_APPROVED: ("Thông qua", "Approved"),
    OUTCOME_REJECTED: ("Không thông qua", "Not approved"),
    OUTCOME_DEFERRED: ("Hoãn, trả Văn phòng Sở xem lại", "Deferred to the Office"),
    OUTCOME_CLASSIFIED: ("Đã xếp loại", "Classified"),
}


def display_name(dossier: Dossier) -> str:
    """Who a nomination names, or a report's title."""
    return getattr(dossier, "nominee_name", None) or dossier.title


def on_agenda(dossier: Dossier) -> bool:
    """Whether ``dossier`` awaits the Council's vote (its state is on the agenda)."""
    sdef = state_def(dossier.kind, dossier.state)
    return sdef is not None and sdef.agenda


@dataclass(frozen=True)
class Quorum:
    """Who is there against how many must be."""

    members: int
    present: int
    required: int

    @property
    def met(self) -> bool:
        return self.present > 0 and self.present >= self.required


def quorum(council: CouncilSession) -> Quorum:
    """The session's quorum, counted as the ``council_quorum`` guard counts it."""
    return Quorum(council.member_count, council.present_count, quorum_needed(council))


def council_members(session: Session) -> list[User]:
    """Active users holding the council_member role, in protocol order (Chủ tịch, Phó Chủ
    tịch, Ủy viên, Thư ký by today's terms; then by name)."""
    users = session.scalars(
        select(User)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == Role.COUNCIL_MEMBER.value, User.active.is_(True))
        .distinct()
    )
    return in_protocol_order(session, users, lambda u: u)


def attendance_in_order(session: Session, council: CouncilSession) -> list[CouncilAttendance]:
    """The session's members in protocol order, by the terms running on the day it was held."""
    return in_protocol_order(session, council.attendance, lambda a: a.user, council.held_on)


def positions_at(session: Session, council: CouncilSession) -> dict[int, str]:
    """{member: position} by the terms running on the day the session was held."""
    return positions_on(session, (a.user_id for a in council.attendance), council.held_on)


def get(
    session: Session, council_id: int, actor: Actor, *, for_update: bool = False
) -> CouncilSession:
    """A session the actor may see (NotFound otherwise)."""
    stmt = select(CouncilSession).where(CouncilSession.id == council_id)
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    council = session.scalars(stmt).one_or_none()
    if council is None or not may_view_council(actor):
        raise NotFound()
    return council


def list_sessions(session: Session) -> list[CouncilSession]:
    """Every session, latest first."""
    return list(
        session.scalars(
            select(CouncilSession)
            .options(selectinload(CouncilSession.items))
            .order_by(CouncilSession.held_on.desc(), CouncilSession.id.desc())
        )
    )


def open_session(
    session: Session,
    actor: Actor,
    *,
    title: str,
    held_on: dt.date,
    place: str,
    quorum: str,
    present_ids: Iterable[int],
    agenda_ids: Iterable[int] | None = None,
    quorum_source: str = DEFAULT_QUORUM_SOURCE,
    quorum_from: dt.date | None = DEFAULT_QUORUM_FROM,
    now: dt.datetime | None = None,
) -> CouncilSession:
    """Open a session of every current Council member; those in ``present_ids`` are present.

    Its agenda takes ``agenda_ids`` (those still awaiting the Council), refused when another
    open session holds one of them; None takes every dossier awaiting the Council that no
    open session holds."""
    refuse_unless(may_run_council(actor), ("Mở phiên họp Hội đồng", "Open a Council session"))
    now = now or utcnow()
    problems = []
    if not nfc(title):
        problems.append(field_required(("Tên phiên họp", "Title")))
    share = parse_share(quorum)
    if share is None:
        problems.append(COUNCIL_MESSAGES.violation("quorum_invalid", {"value": quorum}))
    members = council_members(session)
    if not members:
        problems.append(field_required(("Thành viên Hội đồng", "Council members")))
    if problems:
        raise EditRefused(problems)
    present = set(present_ids)
    council = CouncilSession(
        title=nfc(title),
        held_on=held_on,
        place=nfc(place),
        status="open",
        quorum=share_text(share),
        quorum_source=nfc(quorum_source) or None,
        quorum_from=quorum_from,
        opened_by=actor.user_id,
        opened_at=now,
    )
    council.attendance = [CouncilAttendance(user_id=u.id, present=u.id in present) for u in members]
    session.add(council)
    session.flush()
    taken = _claim(session, council, actor, agenda_ids, now)
    record_event(
        session,
        ENTITY,
        council,
        actor,
        "open",
        now,
        to_state="open",
        changes={
            "title": council.title,
            "held_on": held_on,
            "place": council.place,
            "quorum": share_text(share),
            "quorum_source": council.quorum_source,
            "quorum_from": quorum_from,
            "agenda": taken,
            **_attendance_changes(council),
        },
    )
    return council


def claimed_elsewhere(session: Session, council_id: int | None = None) -> dict[int, str]:
    """{dossier id: session title} of dossiers on the agenda of open sessions other than
    ``council_id``."""
    rows = session.execute(
        select(CouncilAgendaClaim.dossier_id, CouncilSession.title)
        .join(CouncilSession, CouncilSession.id == CouncilAgendaClaim.session_id)
        .where(CouncilAgendaClaim.session_id != (council_id or 0))
    )
    return {dossier_id: title for dossier_id, title in rows}


def unclaimed_agenda(session: Session, actor: Actor) -> list[Dossier]:
    """Dossiers awaiting the Council that no open session's agenda holds yet."""
    held = claimed_elsewhere(session)
    return [d for d in agenda(session, actor) if d.id not in held]


def session_agenda(session: Session, council: CouncilSession, actor: Actor) -> list[Dossier]:
    """The dossiers awaiting the Council that this session may decide, oldest sent first: those
    on its agenda, and those that reached the Council after it opened and no open session holds
    yet (:func:`add_to_agenda` takes them). Never those on another open session's agenda."""
    held = claimed_elsewhere(session, council.id)
    return [d for d in agenda(session, actor) if d.id not in held]


def claimed_by(session: Session, council_id: int) -> set[int]:
    """The dossiers on the agenda of a session (while it is open)."""
    return set(
        session.scalars(
            select(CouncilAgendaClaim.dossier_id).where(CouncilAgendaClaim.session_id == council_id)
        )
    )


def add_to_agenda(
    session: Session,
    council_id: int,
    actor: Actor,
    dossier_ids: Iterable[int] | None = None,
    now: dt.datetime | None = None,
) -> list[int]:
    """Put dossiers that reached the Council after the session opened on its agenda."""
    refuse_unless(may_run_council(actor), ("Bổ sung chương trình họp", "Add to the agenda"))
    council = get(session, council_id, actor, for_update=True)
    _refuse_if_closed(council)
    now = now or utcnow()
    taken = _claim(session, council, actor, dossier_ids, now)
    if taken:
        record_event(session, ENTITY, council, actor, "agenda", now, changes={"added": taken})
    return taken


def _claim(
    session: Session,
    council: CouncilSession,
    actor: Actor,
    dossier_ids: Iterable[int] | None,
    now: dt.datetime,
) -> list[int]:
    """Claim dossiers awaiting the Council for ``council``'s agenda; their ids.

    Two sessions opened at once are kept apart by the claim's primary key: on PostgreSQL the
    second insert waits for the first transaction and then fails; on SQLite the second
    transaction starts after the first commits and finds its claims. Both end in the same
    refusal naming the dossiers."""
    waiting = {d.id: d for d in agenda(session, actor)}
    held = claimed_elsewhere(session, council.id)
    if dossier_ids is None:
        wanted = [i for i in waiting if i not in held]
    else:
        wanted = [i for i in sorted(set(dossier_ids)) if i in waiting]
    mine = set(
        session.scalars(
            select(CouncilAgendaClaim.dossier_id).where(CouncilAgendaClaim.session_id == council.id)
        )
    )
    wanted = [i for i in wanted if i not in mine]
    taken_elsewhere = [i for i in wanted if i in held]
    if wanted and not taken_elsewhere:
        try:
            with session.begin_nested():
                session.execute(
                    insert(CouncilAgendaClaim),
                    [
                        {"dossier_id": i, "session_id": council.id, "claimed_at": now}
                        for i in wanted
                    ],
                )
        except IntegrityError:
            # Another session took some of them since this one looked (it has committed now).
            held = claimed_elsewhere(session, council.id)
            taken_elsewhere = [i for i in wanted if i in held] or wanted
    if taken_elsewhere:
        held = claimed_elsewhere(session, council.id)
        names = ", ".join(f"“{display_name(waiting[i])}”" for i in taken_elsewhere)
        sessions = ", ".join(sorted({f"“{held[i]}”" for i in taken_elsewhere if i in held}))
        raise EditRefused(
            [
                SESSION_MESSAGES.violation(
                    "agenda_taken",
                    {
                        "dossiers": names,
                        "dossiers_en": names,
                        "sessions": sessions or "…",
                        "dossier_ids": taken_elsewhere,
                    },
                )
            ]
        )
    return wanted


def record_attendance(
    session: Session,
    council_id: int,
    actor: Actor,
    present_ids: Iterable[int],
    now: dt.datetime | None = None,
) -> CouncilSession:
    """Mark each member of an open session present or absent."""
    refuse_unless(may_run_council(actor), ("Ghi nhận thành viên có mặt", "Record attendance"))
    council = get(session, council_id, actor, for_update=True)
    _refuse_if_closed(council)
    present = set(present_ids)
    before = _attendance_changes(council)
    for row in council.attendance:
        row.present = row.user_id in present
    after = _attendance_changes(council)
    if after != before:
        record_event(
            session,
            ENTITY,
            council,
            actor,
            "attendance",
            now or utcnow(),
            changes=after,
        )
    return council


def close_session(
    session: Session, council_id: int, actor: Actor, now: dt.datetime | None = None
) -> CouncilSession:
    """Close an open session: from then on the engine refuses decisions that name it.

    Refused, changing nothing, while a secret ballot of the session is still open or its
    result is not recorded yet.
    """
    refuse_unless(may_run_council(actor), ("Kết thúc phiên họp", "Close the session"))
    council = get(session, council_id, actor, for_update=True)
    _refuse_if_closed(council)
    _refuse_if_ballots_pending(session, council)
    now = now or utcnow()
    council.status, council.closed_at = "closed", now
    # What the session did not decide goes back to waiting for the next one.
    session.execute(
        delete(CouncilAgendaClaim)
        .where(CouncilAgendaClaim.session_id == council.id)
        .execution_options(synchronize_session=False)
    )
    decided = session.scalars(select(CouncilItem).where(CouncilItem.session_id == council.id)).all()
    record_event(
        session,
        ENTITY,
        council,
        actor,
        "close",
        now,
        from_state="open",
        to_state="closed",
        changes={
            "items": [
                [i.dossier_id, i.outcome, i.votes_for, i.votes_against, i.votes_abstain]
                for i in decided
            ]
        },
    )
    return council


def pending_ballots(session: Session, council_id: int) -> list[Ballot]:
    """The session's secret ballots whose result is not recorded yet: still open, or closed
    with no decision of the session on their dossier (in the order they were opened)."""
    decided = select(CouncilItem.dossier_id).where(CouncilItem.session_id == council_id)
    return list(
        session.scalars(
            select(Ballot)
            .where(Ballot.session_id == council_id, Ballot.dossier_id.not_in(decided))
            .options(selectinload(Ballot.dossier.of_type(ANY_DOSSIER)))
            .order_by(Ballot.opened_at, Ballot.id)
        )
    )


def agenda(session: Session, actor: Actor) -> list[Dossier]:
    """Dossiers of every kind awaiting the Council that the actor may see, oldest sent first.
    The rows of lists are not among them: a list's rows are decided on its own page, many at
    once (``workflow.proposals.listing.awaiting_council`` names those lists)."""
    return list(
        session.scalars(
            select(ANY_DOSSIER)
            .where(
                visible_dossiers(actor),
                state_is(ANY_DOSSIER.kind, ANY_DOSSIER.state, lambda s: s.agenda),
                or_(
                    ANY_DOSSIER.kind != "nomination",
                    ANY_DOSSIER.Nomination.proposal_id.is_(None),
                ),
            )
            .order_by(ANY_DOSSIER.sent_at, ANY_DOSSIER.id)
        ).unique()
    )


def agenda_count(session: Session, actor: Actor) -> int:
    """How many dossiers the actor sees awaiting the Council."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Dossier)
            .where(
                visible_dossiers(actor),
                state_is(Dossier.kind, Dossier.state, lambda s: s.agenda),
            )
        )
        or 0
    )


def decided_items(session: Session, council_id: int) -> list[CouncilItem]:
    """The items recorded in a session, in the order they were decided."""
    return list(
        session.scalars(
            select(CouncilItem)
            .where(CouncilItem.session_id == council_id)
            .options(selectinload(CouncilItem.dossier.of_type(ANY_DOSSIER)))
            .order_by(CouncilItem.recorded_at, CouncilItem.id)
        )
    )


def _refuse_if_closed(council: CouncilSession) -> None:
    if council.status != "open":
        raise EditRefused([COUNCIL_MESSAGES.violation("session_closed")])


def _refuse_if_ballots_pending(session: Session, council: CouncilSession) -> None:
    """A ballot left open, or counted but not recorded, in a closed session could no longer be
    applied: its dossier would stay undecided and the Council's vote would be lost. Opening a
    ballot locks the session row as closing does, so none slips in between."""
    pending = pending_ballots(session, council.id)
    problems = []
    for code, ballots in (
        ("session_ballots_open", [b for b in pending if b.is_open]),
        ("session_ballots_unapplied", [b for b in pending if not b.is_open]),
    ):
        if ballots:
            problems.append(
                SESSION_MESSAGES.violation(
                    code,
                    {
                        "dossiers": ", ".join(f"“{b.dossier.nominee_name}”" for b in ballots),
                        "dossier_ids": [b.dossier_id for b in ballots],
                    },
                )
            )
    if problems:
        raise EditRefused(problems)


def _attendance_changes(council: CouncilSession) -> dict[str, list[int]]:
    return {
        "present": sorted(a.user_id for a in council.attendance if a.present),
        "absent": sorted(a.user_id for a in council.attendance if not a.present),
    }
