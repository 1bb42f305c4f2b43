"""Plan and report lifecycles end to end: every transition of their definitions."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from models import CouncilItem, Dossier
from tests.fixtures.people import NOW, make_council_session, make_dossier
from tests.fixtures.snapshots import assert_refused, new_events, snapshot
from workflow import can_view, fire, visible_dossiers
from workflow.core.audit import history, verify
from workflow.core.registry import WORKFLOWS

DECISION = {
    "decision_number": "12/QĐ-SGDĐT",
    "decision_date": "2026-12-20",
    "decision_signer": "Nguyễn Văn Giám",
}


def _walk(session, world, dossier, steps):
    """Fire each (trigger, actor, inputs, expected state) and check its single event."""
    for trigger, actor, inputs, dest in steps:
        before = snapshot(session, dossier.id)
        event = fire(
            session,
            dossier.id,
            trigger,
            world.actor(actor),
            inputs=inputs,
            expected_version=before.version,
            now=NOW,
        )
        assert [(e.seq, e.hash) for e in new_events(session, before.head[0])] == [
            (event.seq, event.hash)
        ]
        assert (event.action, event.from_state, event.to_state) == (trigger, before.state, dest)
        assert snapshot(session, dossier.id)[:3] == (dest, before.version + 1, before.events + 1)


def _fired(session, dossier) -> set[str]:
    return {e.action for e in history(session, "dossier", dossier.id)} - {"create", "attach"}


@pytest.mark.db
def test_plan_lifecycle_end_to_end(session, world):
    plan = make_dossier(
        session,
        world,
        kind="plan",
        title="Kế hoạch thi đua năm học 2025-2026",
        document_number="15/KH-THPTTP",
    )
    reason = {"reason": "Bổ sung chỉ tiêu chuyển đổi số"}
    _walk(
        session,
        world,
        plan,
        [
            ("submit", "staff_a", {}, "unit_review"),
            ("unit_return", "head_a", reason, "draft"),
            ("submit", "head_a", {}, "unit_review"),
            ("unit_approve", "head_a", {}, "office_review"),
            ("office_return", "reviewer", reason, "returned"),
            ("resubmit", "staff_a", {}, "unit_review"),
            ("unit_approve", "head_a", {}, "office_review"),
            ("office_accept", "reviewer", {}, "accepted"),
        ],
    )
    assert plan.return_reason == reason["reason"] and plan.sent_at == NOW
    withdrawn = make_dossier(session, world, kind="plan", state="returned")
    _walk(
        session,
        world,
        withdrawn,
        [("withdraw", "head_a", {"reason": "Lập kế hoạch mới"}, "withdrawn")],
    )
    assert _fired(session, plan) | _fired(session, withdrawn) == {
        t.trigger for t in WORKFLOWS["plan"].transitions
    }
    assert verify(session).ok


@pytest.mark.db
def test_plan_terminal_states_absorb(session, world):
    for state in ("accepted", "withdrawn"):
        plan = make_dossier(session, world, kind="plan", state=state)
        for tdef in WORKFLOWS["plan"].transitions:
            for actor in ("staff_a", "head_a", "reviewer"):
                assert_refused(
                    session,
                    plan.id,
                    lambda: fire(
                        session,
                        plan.id,
                        tdef.trigger,
                        world.actor(actor),
                        inputs={"reason": "Thử"},
                        now=NOW,
                    ),
                )


@pytest.mark.db
def test_plan_requires_a_title(session, world):
    plan = make_dossier(session, world, kind="plan", title="  ")
    assert_refused(
        session,
        plan.id,
        lambda: fire(session, plan.id, "submit", world.actor("staff_a"), now=NOW),
        "field_required",
    )


@pytest.mark.db
def test_accepted_plans_are_visible_to_other_units(session, world):
    accepted = make_dossier(session, world, kind="plan", state="accepted")
    pending = make_dossier(session, world, kind="plan", state="office_review")
    report = make_dossier(session, world, kind="report", state="council_review")
    others = [world.actor(n) for n in ("staff_b", "head_b", "member1", "admin")]
    for actor in others:
        assert can_view(actor, accepted)
        visible = set(session.scalars(select(Dossier.id).where(visible_dossiers(actor))))
        assert accepted.id in visible
        if not actor.is_department:
            assert not can_view(actor, pending) and not can_view(actor, report)
            assert pending.id not in visible and report.id not in visible
    # Seeing is not acting: unit b still may not touch it.
    assert_refused(
        session,
        accepted.id,
        lambda: fire(
            session,
            accepted.id,
            "withdraw",
            world.actor("head_b"),
            inputs={"reason": "Thử"},
            now=NOW,
        ),
        "not_allowed_from_state",
    )


@pytest.mark.db
def test_visible_dossiers_agrees_with_can_view(session, world):
    dossiers = [
        make_dossier(session, world, kind=k, state=s, unit=u)
        for k, s in (
            ("nomination", "draft"),
            ("nomination", "office_review"),
            ("plan", "accepted"),
            ("plan", "draft"),
            ("report", "published"),
            ("nomination", "withdrawn"),
        )
        for u in ("a", "b")
    ]
    for name, actor in world.actors.items():
        visible = set(session.scalars(select(Dossier.id).where(visible_dossiers(actor))))
        assert visible == {d.id for d in dossiers if can_view(actor, d)}, name


@pytest.mark.db
def test_report_lifecycle_end_to_end(session, world):
    council = make_council_session(session, world, present=4)
    report = make_dossier(session, world, kind="report", title="Báo cáo kết quả thi đua năm 2026")
    reason = {"reason": "Thiếu số liệu chỉ tiêu"}
    vote = {"session_id": council.id, "votes_for": 3, "votes_against": 1, "votes_abstain": 0}
    _walk(
        session,
        world,
        report,
        [
            ("submit", "staff_a", {}, "unit_review"),
            ("unit_return", "head_a", reason, "draft"),
            ("submit", "staff_a", {}, "unit_review"),
            ("unit_approve", "head_a", {}, "office_review"),
            ("office_return", "reviewer", reason, "returned"),
            ("resubmit", "head_a", {}, "unit_review"),
            ("unit_approve", "head_a", {}, "office_review"),
            ("office_approve", "reviewer", {}, "council_review"),
            (
                "council_defer",
                "secretary",
                {"reason": "Cần xác minh thêm", "session_id": council.id},
                "office_review",
            ),
            ("office_approve", "reviewer2", {}, "council_review"),
            ("council_classify", "secretary", {**vote, "classification": "good"}, "classified"),
            ("publish", "secretary", DECISION, "published"),
        ],
    )
    session.expire(report)
    assert report.classification == "good"
    classify = next(
        e for e in history(session, "dossier", report.id) if e.action == "council_classify"
    )
    assert json.loads(classify.changes) == {
        "classification": "good",
        "votes": [3, 1, 0],
        "council_session_id": council.id,
    }
    item = session.scalar(select(CouncilItem).where(CouncilItem.dossier_id == report.id))
    assert (item.outcome, item.votes_for) == (
        "classified",
        3,
    )  # the deferral was overwritten in place
    assert (report.decision_number, str(report.decision_date)) == ("12/QĐ-SGDĐT", "2026-12-20")
    withdrawn = make_dossier(session, world, kind="report", state="unit_review")
    _walk(session, world, withdrawn, [("withdraw", "head_a", {"reason": "Nộp nhầm"}, "withdrawn")])
    assert _fired(session, report) | _fired(session, withdrawn) == {
        t.trigger for t in WORKFLOWS["report"].transitions
    }
    assert verify(session).ok


@pytest.mark.db
@pytest.mark.parametrize("classification", ["excellent", "good", "completed", "not_completed"])
def test_report_classification_recorded(session, world, classification):
    council = make_council_session(session, world)
    report = make_dossier(session, world, kind="report", state="council_review")
    event = fire(
        session,
        report.id,
        "council_classify",
        world.actor("secretary"),
        now=NOW,
        inputs={"session_id": council.id, "votes_for": 5, "classification": classification},
    )
    assert json.loads(event.changes)["classification"] == classification
    assert session.scalar(select(Dossier.state).where(Dossier.id == report.id)) == "classified"
    assert report.classification == classification
