"""Builders for the award-rule tests: the demo catalogue on the test world, nominations with
files of given purposes, history records and holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from models import AwardRecord, AwardType, Hold, Nomination
from models.text import fold
from tests.fixtures.people import NOW, PDF, World, inputs_for, make_council_session
from web.demo.awards import seed_rules
from web.demo.organisation import AWARDS
from workflow import fire
from workflow.awards import catalogue
from workflow.dossiers import content as dossiers
from workflow.dossiers import evidence

TODAY = dt.date(2026, 6, 1)
# Triggers from draft to each state a test needs (staff, head, reviewer, secretary).
PATH = {
    "unit_review": ["submit"],
    "office_review": ["submit", "unit_approve"],
    "council_review": ["submit", "unit_approve", "office_approve"],
    "approved": ["submit", "unit_approve", "office_approve", "council_approve"],
    "published": ["submit", "unit_approve", "office_approve", "council_approve", "publish"],
}
_WHO = {
    "submit": "staff",
    "unit_approve": "head",
    "office_approve": "reviewer",
    "council_approve": "secretary",
    "publish": "secretary",
}


def demo_catalogue(session: Session, world: World) -> dict[str, AwardType]:
    """The demo's award types (the world's LĐTT, CSTĐCS, TTLĐTT reused) with the demo's rules."""
    awards = {a.code: a for a in world.awards.values()}
    for code, name_vi, name_en, kind, authority, pct, base, source in AWARDS:
        if code not in awards:
            awards[code] = AwardType(
                code=code,
                name_vi=name_vi,
                name_en=name_en,
                nominee_kind=kind,
                conferring_authority=authority,
                vote_threshold_pct=pct,
                threshold_base=base,
                legal_source=source,
            )
            session.add(awards[code])
    session.flush()
    seed_rules(session, world.actor("admin"), awards)
    return awards


def rule(session: Session, world: World, award: AwardType, **values: Any):
    """Add one rule to ``award`` through the catalogue service (as the admin)."""
    values.setdefault("hard", True)
    values.setdefault("source", "Nguồn kiểm thử")
    return catalogue.add_rule(session, world.actor("admin"), award.id, values)


def nominate(
    session: Session,
    world: World,
    award: AwardType,
    name: str = "Trần Phú",
    *,
    state: str = "office_review",
    unit: str = "a",
    purposes: Iterable[str] = ("evidence",),
    council=None,
    **fields: Any,
) -> Nomination:
    """A nomination of ``award`` with one file per purpose, moved to ``state`` by the engine."""
    staff = world.actor(f"staff_{unit}")
    values = {
        "title": f"Đề nghị {award.name_vi}",
        "campaign_id": world.campaign.id,
        "nominee_kind": award.nominee_kind,
        "nominee_name": name,
        "position": "Giáo viên",
        "award_type_id": award.id,
        "achievements": "Hoàn thành xuất sắc nhiệm vụ.",
        **fields,
    }
    nomination = dossiers.create(
        session, staff, "nomination", world.units[unit].id, values, now=NOW
    )
    for i, purpose in enumerate(purposes):
        evidence.attach(
            session,
            nomination.id,
            staff,
            f"{purpose}.pdf",
            PDF + bytes([i, 7]),
            world.upload_dir,
            purpose=purpose,
            now=NOW,
        )
    advance(session, world, nomination, state, unit=unit, council=council)
    return nomination


def advance(
    session: Session,
    world: World,
    nomination: Nomination,
    state: str,
    *,
    unit: str = "a",
    council=None,
    reason: str | None = "Lý do kiểm thử",
) -> None:
    """Fire the triggers that lead from the nomination's state to ``state``."""
    people = {
        "staff": world.actor(f"staff_{unit}"),
        "head": world.actor(f"head_{unit}"),
        "reviewer": world.actor("reviewer"),
        "secretary": world.actor("secretary"),
    }
    done = len(PATH.get(nomination.state, []))
    for trigger in PATH.get(state, [])[done:]:
        if trigger.startswith("council_") and council is None:
            council = make_council_session(session, world)
        inputs = inputs_for(trigger, council)
        if reason is None:
            inputs.pop("reason", None)
        fire(session, nomination.id, trigger, people[_WHO[trigger]], inputs=inputs, now=NOW)


def record(
    session: Session,
    award: AwardType,
    name: str,
    year: int,
    unit_id: int | None,
    *,
    user_id: int | None = None,
    basis: str = "merit",
    origin: str = "imported",
) -> AwardRecord:
    """A line of the awards history."""
    row = AwardRecord(
        award_type_id=award.id,
        year=year,
        person_name=name,
        name_key=fold(name),
        unit_id=unit_id,
        user_id=user_id,
        origin=origin,
        basis=basis,
    )
    session.add(row)
    session.flush()
    return row


def records(
    session: Session, award: AwardType, count: int, year: int, unit_id: int, prefix: str = "Người"
) -> None:
    for i in range(count):
        record(session, award, f"{prefix} số {i + 1}", year, unit_id)


def hold(
    session: Session,
    *,
    name: str = "",
    unit_id: int | None = None,
    user_id: int | None = None,
    starts: dt.date = dt.date(2026, 5, 1),
    ends: dt.date | None = None,
    reason: str = "Đang xem xét kỷ luật theo đơn phản ánh ngày 20/4/2026.",
) -> Hold:
    row = Hold(
        person_name=name,
        name_key=fold(name),
        unit_id=unit_id,
        user_id=user_id,
        reason=reason,
        starts_on=starts,
        ends_on=ends,
    )
    session.add(row)
    session.flush()
    return row


def by_code(results, code: str):
    """The one result of ``code``."""
    found = [r for r in results if r.code == code]
    assert len(found) == 1, (code, [r.code for r in results])
    return found[0]
