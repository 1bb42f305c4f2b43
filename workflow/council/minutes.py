"""The minutes of a Council session (Biên bản họp Hội đồng Thi đua, Khen thưởng) as DOCX.

Who presided, who kept the minutes, who sat and who was absent come from the session's
attendance and the Council terms running on the day it was held; the quorum with its rule;
each item the session decided, grouped by award, with its counts, the threshold it was judged
on (the one fixed at a ballot's close, or recorded with a typed count) and its outcome.
Only what the session recorded: never today's queue.
"""

from __future__ import annotations

import json
from collections import Counter
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, CouncilItem, CouncilSession, User
from models.clock import VIETNAM
from models.council import (
    OUTCOME_APPROVED,
    OUTCOME_CLASSIFIED,
    OUTCOME_DEFERRED,
    OUTCOME_REJECTED,
    POSITION_CHAIR,
    POSITION_SECRETARY,
    POSITION_VICE_CHAIR,
    Ballot,
)
from workflow.accounts.council_admin import POSITION_LABELS
from workflow.core import audit
from workflow.core.shares import needed, parse_share, share_text, share_words
from workflow.council import sessions as councils
from workflow.council.guards import BASE_WORDS, DEFAULT_QUORUM, fixed_result
from workflow.documents import docx as documents

NOMINEE_KINDS = {"individual": "cá nhân", "collective": "tập thể"}
OTHER_GROUP = "Báo cáo, hồ sơ khác"


def minutes_of(session: Session, council: CouncilSession) -> documents.Minutes:
    """The minutes' lines for ``council`` (open or closed: an open one says it has not ended)."""
    members = councils.attendance_in_order(session, council)
    positions = councils.positions_at(session, council)
    present = [a for a in members if a.present]
    absent = [a for a in members if not a.present]
    chair, chair_title, chair_role = _presiding(present, positions)
    # The Council's secretary by position; else whoever opened the session (the secretary's
    # account need not be a voting member's).
    secretary = next(
        (a.user for a in present if positions.get(a.user_id) == POSITION_SECRETARY), None
    ) or session.get(User, council.opened_by)
    secretary_name = secretary.full_name if secretary else "..."
    items = councils.decided_items(session, council.id)
    thresholds = _thresholds(session, council, items)
    opened = council.opened_at.astimezone(VIETNAM)
    ended = _ended(council)
    return documents.Minutes(
        agency_parent=documents.PARENT_AGENCY,
        agency=documents.AGENCY,
        day=council.held_on,
        meeting_title=council.title,
        when_where=[
            f"Thời gian: {opened.hour} giờ {opened.minute:02d} phút, "
            f"{documents.day_words(council.held_on)}.",
            f"Địa điểm: {council.place or '...'}.",
        ],
        chair=f"Chủ trì: {chair.full_name if chair else '...'}, {chair_role}.",
        secretary=f"Thư ký: {secretary_name}.",
        present=[_named(a.user, positions) for a in present],
        absent=[_named(a.user, positions) for a in absent],
        quorum=_quorum_line(council),
        groups=_groups(items, thresholds),
        conclusion=_conclusion(items),
        ended=ended,
        secretary_name=secretary_name,
        chair_name=chair.full_name if chair else "",
        chair_title=chair_title,
        audit_head=audit.current_head(session),
    )


def _ended(council: CouncilSession) -> str:
    if council.closed_at is None:
        return "Phiên họp kết thúc lúc ... giờ ... phút cùng ngày."
    closed = council.closed_at.astimezone(VIETNAM)
    day = documents.day_words(closed.date())
    return f"Phiên họp kết thúc lúc {closed.hour} giờ {closed.minute:02d} phút, {day}."


def minutes_docx(session: Session, council: CouncilSession) -> bytes:
    """The minutes as a DOCX file."""
    return documents.minutes_docx(minutes_of(session, council))


def _presiding(present: list, positions: dict[int, str]) -> tuple[Any, str, str]:
    """(who presides, the title over their signature, their role in words): the chair, or
    when the chair is absent the first vice-chair present, who signs as CHỦ TRÌ."""
    for position, title in (
        (POSITION_CHAIR, "CHỦ TỊCH HỘI ĐỒNG"),
        (POSITION_VICE_CHAIR, "CHỦ TRÌ"),
    ):
        found = next((a.user for a in present if positions.get(a.user_id) == position), None)
        if found is not None:
            return found, title, POSITION_LABELS[position][0]
    return None, "CHỦ TRÌ", "..."


def _named(user, positions: dict[int, str]) -> str:
    held = positions.get(user.id)
    label = POSITION_LABELS[held][0] if held else ""
    office = f", {user.position}" if user.position else ""
    return f"{user.full_name}{' — ' + label if label else ''}{office}"


def _quorum_line(council: CouncilSession) -> str:
    share = parse_share(council.quorum) or parse_share(DEFAULT_QUORUM)
    required = needed(council.member_count, share)
    met = council.present_count >= required and council.present_count > 0
    source = council.quorum_source or "..."
    since = (
        f", áp dụng từ {council.quorum_from.strftime('%d/%m/%Y')}" if council.quorum_from else ""
    )
    return (
        f"Số thành viên có mặt: {council.present_count}/{council.member_count}; cần ít nhất "
        f"{required}/{council.member_count} — {share_words(share)[0]} tổng số thành viên "
        f"({share_text(share)}). Phiên họp {'đủ' if met else 'không đủ'} túc số theo "
        f"{source}{since}."
    )


def _thresholds(
    session: Session, council: CouncilSession, items: list[CouncilItem]
) -> dict[int, dict[str, Any]]:
    """{dossier id: the threshold its decision was judged on}: a ballot's fixed result, or
    the threshold the decision's audit event recorded with typed counts."""
    ids = [i.dossier_id for i in items]
    found: dict[int, dict[str, Any]] = {}
    for ballot in session.scalars(
        select(Ballot).where(Ballot.session_id == council.id, Ballot.dossier_id.in_(ids))
    ):
        if not ballot.is_open:
            found[ballot.dossier_id] = fixed_result(ballot)
    events = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.entity_type == "dossier",
            AuditEvent.entity_id.in_([i for i in ids if i not in found]),
            AuditEvent.action.like("council_%"),
        )
        .order_by(AuditEvent.seq)
    )
    for event in events:
        changes = json.loads(event.changes or "{}")
        if changes.get("council_session_id") == council.id and changes.get("threshold"):
            found[event.entity_id] = changes["threshold"]
    return found


def _threshold_words(fixed: dict[str, Any] | None) -> str:
    if not fixed or fixed.get("needed") is None:
        return ""
    share = parse_share(fixed.get("threshold")) or Fraction(1, 2)
    on = BASE_WORDS["all_members" if fixed.get("threshold_base") == "all_members" else "present"]
    return f"cần ít nhất {fixed['needed']}/{fixed['base']} — {share_words(share)[0]} {on[0]}"


OUTCOME_WORDS = {
    OUTCOME_APPROVED: "Thông qua",
    OUTCOME_REJECTED: "Không thông qua",
    OUTCOME_DEFERRED: "Hoãn xét, trả Văn phòng Sở xem lại",
    OUTCOME_CLASSIFIED: "Đã xếp loại",
}


def _groups(
    items: list[CouncilItem], thresholds: dict[int, dict[str, Any]]
) -> list[documents.MinutesGroup]:
    by_award: dict[str, list[CouncilItem]] = {}
    for item in items:
        award = getattr(item.dossier, "award_type", None)
        by_award.setdefault(award.name_vi if award else OTHER_GROUP, []).append(item)
    groups = []
    for number, (name, rows) in enumerate(
        sorted(by_award.items(), key=lambda kv: (kv[0] == OTHER_GROUP, kv[0])), start=1
    ):
        kinds = Counter(getattr(i.dossier, "nominee_kind", None) for i in rows)
        counts = ", ".join(f"{kinds.get(k, 0)} {word}" for k, word in NOMINEE_KINDS.items())
        title = f"{number}. {name}" + (f" ({counts})" if name != OTHER_GROUP else "")
        groups.append(
            documents.MinutesGroup(title, [_item(i, thresholds.get(i.dossier_id)) for i in rows])
        )
    return groups


def _item(item: CouncilItem, fixed: dict[str, Any] | None) -> documents.MinutesItem:
    dossier = item.dossier
    name = councils.display_name(dossier)
    counted = item.votes_for is not None
    votes = f"{item.votes_for} / {item.votes_against} / {item.votes_abstain}" if counted else "—"
    words = _threshold_words(fixed)
    outcome = OUTCOME_WORDS.get(item.outcome or "", item.outcome or "")
    if item.reason and item.outcome != OUTCOME_APPROVED:
        outcome += f" (lý do: {item.reason})"
    return documents.MinutesItem(
        name, dossier.unit.name, votes, f"{words}: {outcome}" if words else outcome
    )


def _conclusion(items: list[CouncilItem]) -> list[str]:
    outcomes = Counter(i.outcome for i in items)
    parts = [
        f"{OUTCOME_WORDS[o].lower()} {outcomes[o]} hồ sơ" for o in OUTCOME_WORDS if outcomes.get(o)
    ]
    if not parts:
        return ["Phiên họp không quyết định hồ sơ nào."]
    return [
        f"Hội đồng đã xét {len(items)} hồ sơ: {'; '.join(parts)}.",
        "Thư ký Hội đồng hoàn thiện hồ sơ các trường hợp được thông qua, trình Giám đốc Sở "
        "ban hành quyết định khen thưởng.",
    ]
