"""Higher-level awards: after the Council, an award the city or the Ministry confers is
forwarded with the Department's submission letter; the Office records the higher level's
answer (conferred → published, with the decision; not conferred → rejected, with the
reason). Publishing straight from approved is only for awards the Department confers."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from models import AwardRecord, HigherReferral
from tests.fixtures.people import NOW, higher_award, inputs_for, make_council_session, make_dossier
from tests.fixtures.snapshots import assert_refused, snapshot
from tests.workflow.lifecycles.test_nomination_table import Row
from workflow import NotFound, available, fire
from workflow.core.audit import verify
from workflow.publication.outcomes import get_outcome

pytestmark = pytest.mark.db

SUBMISSION = {"submission_number": "1580/TTr-SGDĐT", "submission_date": "2026-06-06"}
CITY_DECISION = {
    "decision_number": "2105/QĐ-UBND",
    "decision_date": "2026-06-20",
    "decision_signer": "Chủ tịch UBND thành phố",
}
NOT_CONFERRED = {
    "reason": "Ban Thi đua - Khen thưởng thành phố: chưa đủ tỷ lệ phiếu của Hội đồng thành phố."
}

# Like the nomination table (test_nomination_table.py), for the higher-level part.
HIGHER_ROWS = [
    Row(
        "forward",
        "approved",
        "reviewer",
        "forwarded",
        "office_reviewer",
        "secretary",
        "role_not_permitted",
        "head_b",
        "council_review",
        "submission",
    ),
    Row(
        "record_higher_decision",
        "forwarded",
        "reviewer",
        "published",
        "office_reviewer",
        "secretary",
        "role_not_permitted",
        "head_b",
        "approved",
        "city_decision",
    ),
    Row(
        "record_higher_refusal",
        "forwarded",
        "reviewer",
        "rejected",
        "office_reviewer",
        "admin",
        "role_not_permitted",
        "staff_b",
        "approved",
        "not_conferred",
    ),
]
INPUTS = {"submission": SUBMISSION, "city_decision": CITY_DECISION, "not_conferred": NOT_CONFERRED}


def _city_nomination(session, world, state: str, council=None):
    return make_dossier(
        session, world, state=state, council=council, award_type_id=higher_award(session, world).id
    )


@pytest.mark.parametrize("row", HIGHER_ROWS, ids=lambda r: r.trigger)
def test_row_right_actor_succeeds(session, world, row: Row):
    dossier = _city_nomination(session, world, row.source)
    before = snapshot(session, dossier.id)
    event = fire(
        session,
        dossier.id,
        row.trigger,
        world.actor(row.actor),
        inputs=INPUTS[row.inputs],
        expected_version=before.version,
        now=NOW,
    )
    assert (event.from_state, event.to_state, event.actor_role) == (row.source, row.dest, row.role)
    assert snapshot(session, dossier.id).state == row.dest
    assert event.visibility == ("public" if row.dest == "published" else "internal")
    assert verify(session).ok


@pytest.mark.parametrize("row", HIGHER_ROWS, ids=lambda r: r.trigger)
def test_row_wrong_role_other_unit_and_wrong_state_are_refused(session, world, row: Row):
    dossier = _city_nomination(session, world, row.source)
    wrong = assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session,
            dossier.id,
            row.trigger,
            world.actor(row.wrong_role),
            inputs=INPUTS[row.inputs],
            now=NOW,
        ),
        row.wrong_role_code,
    )
    assert wrong.is_permission
    assert isinstance(
        assert_refused(
            session,
            dossier.id,
            lambda: fire(
                session,
                dossier.id,
                row.trigger,
                world.actor(row.foreign),
                inputs=INPUTS[row.inputs],
                now=NOW,
            ),
        ),
        NotFound,
    )
    elsewhere = _city_nomination(session, world, row.wrong_state)
    assert_refused(
        session,
        elsewhere.id,
        lambda: fire(
            session,
            elsewhere.id,
            row.trigger,
            world.actor(row.actor),
            inputs=INPUTS[row.inputs],
            now=NOW,
        ),
        "not_allowed_from_state",
    )


def test_forwarded_then_recorded_then_published(session, world):
    dossier = _city_nomination(session, world, "approved")
    reviewer = world.actor("reviewer")
    offered = {t.trigger for t, _ in available(session, dossier, reviewer)}
    assert offered == {"forward"}
    # The secretary is not offered "publish" on an award the city confers.
    assert "publish" not in {
        t.trigger for t, _ in available(session, dossier, world.actor("secretary"))
    }

    event = fire(session, dossier.id, "forward", reviewer, inputs=SUBMISSION, now=NOW)
    assert json.loads(event.changes) == {**SUBMISSION, "authority": "city_chairman"}
    referral = session.scalar(select(HigherReferral).where(HigherReferral.dossier_id == dossier.id))
    assert (referral.letter_number, referral.letter_date.isoformat(), referral.outcome) == (
        "1580/TTr-SGDĐT",
        "2026-06-06",
        None,
    )
    assert get_outcome(session, dossier.id) is None  # not public while forwarded

    event = fire(
        session, dossier.id, "record_higher_decision", reviewer, inputs=CITY_DECISION, now=NOW
    )
    assert event.visibility == "public" and event.to_state == "published"
    assert json.loads(event.changes)["higher_outcome"] == "conferred"
    assert (referral.outcome, referral.answer_number) == ("conferred", "2105/QĐ-UBND")
    outcome = get_outcome(session, dossier.id)
    assert (outcome.decision_number, outcome.decision_date.isoformat()) == (
        "2105/QĐ-UBND",
        "2026-06-20",
    )
    record = session.scalar(select(AwardRecord).where(AwardRecord.dossier_id == dossier.id))
    assert (record.origin, record.year, record.award_type_id, record.decision_number) == (
        "system",
        2026,
        world.awards["cstdtp"].id,
        "2105/QĐ-UBND",
    )
    assert verify(session).ok


def test_not_conferred_is_rejected_with_the_reason(session, world):
    dossier = _city_nomination(session, world, "forwarded")
    event = fire(
        session,
        dossier.id,
        "record_higher_refusal",
        world.actor("reviewer"),
        inputs=NOT_CONFERRED,
        now=NOW,
    )
    assert (event.to_state, event.reason) == ("rejected", NOT_CONFERRED["reason"])
    referral = session.scalar(select(HigherReferral).where(HigherReferral.dossier_id == dossier.id))
    assert (referral.outcome, referral.answer_reason) == ("not_conferred", NOT_CONFERRED["reason"])
    assert session.scalar(select(AwardRecord).where(AwardRecord.dossier_id == dossier.id)) is None
    assert get_outcome(session, dossier.id) is None


def test_refusal_needs_a_reason(session, world):
    dossier = _city_nomination(session, world, "forwarded")
    assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session,
            dossier.id,
            "record_higher_refusal",
            world.actor("reviewer"),
            inputs={},
            now=NOW,
        ),
        "reason_required",
    )


def test_publish_from_approved_is_refused_for_a_city_award(session, world):
    council = make_council_session(session, world)
    dossier = _city_nomination(session, world, "approved", council)
    error = assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session,
            dossier.id,
            "publish",
            world.actor("secretary"),
            inputs=inputs_for("publish"),
            now=NOW,
        ),
        "publish_needs_higher_decision",
    )
    assert "Chủ tịch UBND thành phố" in error.messages("vi")[0]


def test_a_department_award_is_not_forwarded(session, world):
    dossier = make_dossier(session, world, state="approved")
    assert "forward" not in {
        t.trigger for t, _ in available(session, dossier, world.actor("reviewer"))
    }
    assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session, dossier.id, "forward", world.actor("reviewer"), inputs=SUBMISSION, now=NOW
        ),
        "forward_not_needed",
    )


@pytest.mark.parametrize(
    "inputs,code",
    [
        (
            {"submission_number": "1580-TTr", "submission_date": "2026-06-06"},
            "submission_number_invalid",
        ),
        (
            {"submission_number": "5/TTr-SGDĐT", "submission_date": "2026-06-06"},
            "submission_number_invalid",
        ),
        (
            {"submission_number": "1580/TTr-SGDĐT", "submission_date": "31/06/2026"},
            "submission_date_missing",
        ),
        ({}, "submission_number_invalid"),
    ],
)
def test_forward_needs_the_submission_letter(session, world, inputs, code):
    dossier = _city_nomination(session, world, "approved")
    assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session, dossier.id, "forward", world.actor("reviewer"), inputs=inputs, now=NOW
        ),
        code,
    )


def test_higher_decision_needs_a_valid_decision(session, world):
    dossier = _city_nomination(session, world, "forwarded")
    bad = {**CITY_DECISION, "decision_number": "2105 QĐ UBND"}
    assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session,
            dossier.id,
            "record_higher_decision",
            world.actor("reviewer"),
            inputs=bad,
            now=NOW,
        ),
        "decision_number_invalid",
    )
