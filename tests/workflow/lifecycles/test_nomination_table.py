"""One test per row of the nomination lifecycle's table (README, "Lifecycles"): who may fire it,
from where, and what it records; and the three refusals (wrong role, another unit, wrong state)
changing nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from models import CouncilItem
from tests.fixtures.lifecycle_table import Row
from tests.fixtures.people import NOW, make_council_session, make_dossier
from tests.fixtures.snapshots import assert_refused, new_events, snapshot
from workflow import NotFound, fire
from workflow.core.audit import verify

REASON = "Thiếu biên bản họp xét của đơn vị"

DECISION = {
    "decision_number": "05/QĐ-SGDĐT",
    "decision_date": "2026-06-05",
    "decision_signer": "Nguyễn Văn Giám",
}

ROWS = [
    Row(
        "submit",
        "draft",
        "staff_a",
        "unit_review",
        "unit_staff",
        "reviewer",
        "",
        "staff_b",
        "unit_review",
    ),
    Row(
        "submit",
        "draft",
        "head_a",
        "unit_review",
        "unit_head",
        "admin",
        "",
        "head_b",
        "office_review",
    ),
    Row(
        "unit_approve",
        "unit_review",
        "head_a",
        "office_review",
        "unit_head",
        "staff_a",
        "role_not_permitted",
        "head_b",
        "draft",
    ),
    Row(
        "unit_return",
        "unit_review",
        "head_a",
        "draft",
        "unit_head",
        "staff_a",
        "role_not_permitted",
        "head_b",
        "office_review",
        "reason",
    ),
    Row(
        "office_return",
        "office_review",
        "reviewer",
        "returned",
        "office_reviewer",
        "head_a",
        "role_not_permitted",
        "head_b",
        "council_review",
        "reason",
    ),
    Row(
        "office_decline",
        "office_review",
        "reviewer",
        "declined",
        "office_reviewer",
        "head_a",
        "role_not_permitted",
        "head_b",
        "council_review",
        "reason",
    ),
    Row(
        "resubmit",
        "returned",
        "staff_a",
        "unit_review",
        "unit_staff",
        "reviewer",
        "role_not_permitted",
        "staff_b",
        "office_review",
    ),
    Row(
        "resubmit",
        "returned",
        "head_a",
        "unit_review",
        "unit_head",
        "secretary",
        "role_not_permitted",
        "head_b",
        "draft",
    ),
    Row(
        "office_approve",
        "office_review",
        "reviewer",
        "council_review",
        "office_reviewer",
        "secretary",
        "role_not_permitted",
        "head_b",
        "returned",
    ),
    Row(
        "council_approve",
        "council_review",
        "secretary",
        "approved",
        "council_secretary",
        "member1",
        "role_not_permitted",
        "head_b",
        "office_review",
        "vote",
    ),
    Row(
        "council_reject",
        "council_review",
        "secretary",
        "rejected",
        "council_secretary",
        "reviewer",
        "role_not_permitted",
        "staff_b",
        "approved",
        "reject",
    ),
    Row(
        "council_defer",
        "council_review",
        "secretary",
        "office_review",
        "council_secretary",
        "head_a",
        "role_not_permitted",
        "head_b",
        "approved",
        "defer",
    ),
    Row(
        "publish",
        "approved",
        "secretary",
        "published",
        "council_secretary",
        "admin",
        "role_not_permitted",
        "head_b",
        "council_review",
        "decision",
    ),
] + [
    Row(
        "withdraw",
        source,
        "head_a",
        "withdrawn",
        "unit_head",
        "staff_a",
        "role_not_permitted",
        "head_b",
        "council_review",
        "reason",
    )
    for source in ("draft", "unit_review", "office_review", "returned")
]


def _inputs(kind: str, council) -> dict[str, Any]:
    vote = {"session_id": council.id, "votes_for": 4, "votes_against": 1, "votes_abstain": 0}
    return {
        "": {},
        "reason": {"reason": REASON},
        "vote": vote,
        "reject": {**vote, "votes_for": 1, "votes_against": 4, "reason": REASON},
        "defer": {"session_id": council.id, "reason": REASON},
        "decision": DECISION,
    }[kind]


@pytest.fixture()
def council(session, world):
    return make_council_session(session, world)


@pytest.mark.db
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_row_right_actor_succeeds_with_one_event(session, world, council, row: Row):
    dossier = make_dossier(session, world, state=row.source, council=council)
    before = snapshot(session, dossier.id)
    inputs = _inputs(row.inputs, council)
    actor = world.actor(row.actor)

    event = fire(
        session,
        dossier.id,
        row.trigger,
        actor,
        inputs=inputs,
        expected_version=before.version,
        now=NOW,
    )

    after = snapshot(session, dossier.id)
    assert (after.state, after.version, after.events) == (
        row.dest,
        before.version + 1,
        before.events + 1,
    )
    assert [(e.seq, e.hash) for e in new_events(session, before.head[0])] == [
        (event.seq, event.hash)
    ]
    assert after.head == (event.seq, event.hash) and event.prev_hash == before.head[1]
    assert (event.action, event.entity_type, event.entity_id) == (
        row.trigger,
        "dossier",
        dossier.id,
    )
    assert (event.from_state, event.to_state) == (row.source, row.dest)
    assert (event.actor_id, event.actor_role) == (actor.user_id, row.role)
    assert event.unit_id == world.units["a"].id
    assert event.reason == inputs.get("reason")
    assert event.visibility == ("public" if row.trigger == "publish" else "internal")
    _check_effects(session, dossier, row, json.loads(event.changes), council)
    assert verify(session).ok


def _check_effects(session, dossier, row: Row, changes: dict, council) -> None:
    if row.trigger == "unit_approve":
        assert dossier.sent_at == NOW and changes["sent_at"] == "2026-06-01T08:00:00.000000Z"
    if row.trigger in ("unit_return", "office_return", "office_decline"):
        assert dossier.return_reason == REASON
    if row.trigger.startswith("council_"):
        item = session.scalar(select(CouncilItem).where(CouncilItem.dossier_id == dossier.id))
        outcome = {
            "council_approve": "approved",
            "council_reject": "rejected",
            "council_defer": "deferred",
        }[row.trigger]
        assert (item.session_id, item.outcome) == (council.id, outcome)
        assert changes["council_session_id"] == council.id
        if row.inputs in ("vote", "reject"):
            tally = _inputs(row.inputs, council)
            expected = [tally["votes_for"], tally["votes_against"], tally["votes_abstain"]]
            assert [item.votes_for, item.votes_against, item.votes_abstain] == expected
            assert changes["votes"] == expected
    if row.trigger == "publish":
        assert (
            dossier.decision_number,
            dossier.decision_date.isoformat(),
            dossier.decision_signer,
        ) == ("05/QĐ-SGDĐT", "2026-06-05", "Nguyễn Văn Giám")
        assert changes == DECISION
        assert dossier.published_at == NOW


@pytest.mark.db
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_row_wrong_role_is_refused(session, world, council, row: Row):
    dossier = make_dossier(session, world, state=row.source, council=council)
    call = lambda: fire(
        session,
        dossier.id,
        row.trigger,
        world.actor(row.wrong_role),
        inputs=_inputs(row.inputs, council),
        now=NOW,
    )
    error = assert_refused(session, dossier.id, call, row.wrong_role_code or None)
    if not row.wrong_role_code:
        assert isinstance(error, NotFound)  # a draft is not shown to the Department at all
    else:
        assert error.is_permission


@pytest.mark.db
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_row_user_of_another_unit_is_refused(session, world, council, row: Row):
    dossier = make_dossier(session, world, state=row.source, council=council)
    call = lambda: fire(
        session,
        dossier.id,
        row.trigger,
        world.actor(row.foreign),
        inputs=_inputs(row.inputs, council),
        now=NOW,
    )
    # Unit b may not even see unit a's dossier: it is "not found", not "forbidden".
    assert isinstance(assert_refused(session, dossier.id, call), NotFound)


@pytest.mark.db
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_row_wrong_source_state_is_refused(session, world, council, row: Row):
    assert row.wrong_state != row.source
    dossier = make_dossier(session, world, state=row.wrong_state, council=council)
    call = lambda: fire(
        session,
        dossier.id,
        row.trigger,
        world.actor(row.actor),
        inputs=_inputs(row.inputs, council),
        now=NOW,
    )
    error = assert_refused(session, dossier.id, call, "not_allowed_from_state")
    assert "Không thể thực hiện" in error.messages("vi")[0]


@pytest.mark.db
def test_unit_role_in_another_unit_does_not_carry_over(session, world):
    """Staff of unit a who is head of unit b is not head of unit a."""
    from tests.fixtures.people import add_person

    mixed = add_person(
        session, world, "mixed", "Phan Thị Xuân", [("unit_staff", "a"), ("unit_head", "b")]
    )
    dossier = make_dossier(session, world, state="unit_review")
    assert_refused(
        session,
        dossier.id,
        lambda: fire(session, dossier.id, "unit_approve", mixed, now=NOW),
        "out_of_scope",
    )
    assert_refused(
        session,
        dossier.id,
        lambda: fire(session, dossier.id, "withdraw", mixed, inputs={"reason": REASON}, now=NOW),
        "out_of_scope",
    )


@pytest.mark.db
def test_unknown_trigger_and_missing_dossier(session, world):
    dossier = make_dossier(session, world, kind="plan", state="office_review")
    assert_refused(
        session,
        dossier.id,
        lambda: fire(session, dossier.id, "council_approve", world.actor("secretary"), now=NOW),
        "unknown_trigger",
    )
    with pytest.raises(NotFound):
        fire(session, 10**9, "submit", world.actor("staff_a"), now=NOW)


def test_rows_cover_the_whole_nomination_definition():
    from workflow.core.registry import WORKFLOWS

    wdef = WORKFLOWS["nomination"]
    # Higher-level awards (forward and the higher level's answer) have their own table,
    # with the same four checks, in tests/workflow/lifecycles/test_higher_awards.py.
    from tests.workflow.lifecycles.test_higher_awards import HIGHER_ROWS

    assert {(t.trigger, s) for t in wdef.transitions for s in t.sources} == {
        (r.trigger, r.source) for r in ROWS + HIGHER_ROWS
    }
    for row in ROWS:
        tdef = wdef.transition(row.trigger)
        assert row.dest == tdef.dest and row.role in {r.value for r in tdef.roles}
        assert row.wrong_state not in tdef.sources
