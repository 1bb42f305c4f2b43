"""Revocation of a published award: only the Office's reviewers, with a revoking decision and a
reason, one public audit event; the history stays, the public list and the verification say
revoked, and the award no longer counts as held."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from models import (
    AuditEvent,
    AwardRecord,
    Initiative,
    Nomination,
    Notification,
    OutboxEmail,
    Revocation,
    make_sessionmaker,
)
from models.clock import local_day
from tests.fixtures import TEST_NOW
from tests.fixtures.money import approved, draft_decision
from tests.fixtures.people import (
    NOW,
    build_world,
    make_council_session,
    make_dossier,
    register_person,
)
from tests.workflow.core.test_concurrency import _run_together
from workflow.awards.eligibility import Checker
from workflow.core.audit import current_head
from workflow.core.errors import EditRefused, NotFound
from workflow.notifications import notify
from workflow.people.history import person_history
from workflow.publication import decisions, revocation, verification
from workflow.publication.outcomes import get_outcome
from workflow.reporting import dashboard, exports

REASON = "Kê khai thành tích không trung thực (kết luận thanh tra số 12/KL-TTr)."


def issued(session, world, names=("Trần Phú", "Đỗ Thị Mai")) -> list[Nomination]:
    """Nominations published by an issued decision 05/QĐ-SGDĐT of 05/6/2026."""
    council = make_council_session(session, world)
    made = [approved(session, world, council, name) for name in names]
    decision = draft_decision(session, world, made)
    decisions.issue(session, decision.id, world.actor("secretary"), now=NOW)
    return made


def revoke(session, world, dossier_id, who="reviewer", **typed):
    values = {"number": "12/QĐ-SGDĐT", "decided_on": "01/12/2026", "reason": REASON} | typed
    return revocation.revoke(session, dossier_id, world.actor(who), now=TEST_NOW, **values)


def _code(session, dossier_id):
    return session.scalar(
        select(decisions.DecisionItem.verify_code).where(
            decisions.DecisionItem.dossier_id == dossier_id
        )
    )


@pytest.mark.db
def test_the_office_revokes_with_a_public_event_and_the_history_stays(session, world):
    first, second = issued(session, world)
    state_before = first.state
    made = revoke(session, world, first.id)
    assert (made.number, made.decided_on, made.reason) == (
        "12/QĐ-SGDĐT",
        dt.date(2026, 12, 1),
        REASON,
    )
    event = session.get(AuditEvent, made.audit_seq)
    assert event.visibility == "public" and event.action == "revoke"
    assert event.entity_type == "dossier" and event.entity_id == first.id
    assert event.reason == REASON
    assert json.loads(event.changes) == {
        "revocation_number": "12/QĐ-SGDĐT",
        "revocation_date": "2026-12-01",
        "revoked_decision": "05/QĐ-SGDĐT",
    }
    # Nothing of the publication is undone: state, decision and record all stay.
    session.refresh(first)
    assert first.state == state_before and first.decision_number == "05/QĐ-SGDĐT"
    record = session.scalars(select(AwardRecord).where(AwardRecord.dossier_id == first.id)).one()
    assert record.revocation_id == made.id
    # The public list keeps the row, marked; the other row is untouched.
    shown = get_outcome(session, first.id)
    assert shown.revoked and shown.revoked_number == "12/QĐ-SGDĐT"
    assert shown.revoked_reason == REASON and shown.revoked_date == dt.date(2026, 12, 1)
    assert not get_outcome(session, second.id).revoked
    # The code on the certificate says so too.
    page = verification.verify(session, _code(session, first.id))
    assert page.revoked and page.revocation_event.seq == made.audit_seq
    assert page.publication.action == "publish"
    assert not verification.verify(session, _code(session, second.id)).revoked


@pytest.mark.db
@pytest.mark.parametrize("who", ["staff_a", "head_a", "secretary", "member1", "admin"])
def test_other_roles_are_refused_and_nothing_changes(session, world, who):
    (first,) = issued(session, world, ("Trần Phú",))
    head = current_head(session)
    with pytest.raises(EditRefused) as refused:
        revoke(session, world, first.id, who=who)
    assert refused.value.code == "role_not_permitted"
    assert refused.value.violations[0].is_permission
    assert session.scalar(select(func.count()).select_from(Revocation)) == 0
    assert current_head(session) == head
    assert not get_outcome(session, first.id).revoked


@pytest.mark.db
def test_the_unit_staff_and_head_are_told_in_app_and_by_email(session, world):
    (first,) = issued(session, world, ("Trần Phú",))
    notes = session.scalar(select(func.coalesce(func.max(Notification.id), 0)))
    mails = session.scalar(select(func.coalesce(func.max(OutboxEmail.id), 0)))
    revoke(session, world, first.id)
    users = {u.id: name for name, u in world.users.items()}
    told = session.scalars(select(Notification).where(Notification.id > notes)).all()
    assert sorted(users[n.user_id] for n in told) == ["head_a", "staff_a"]
    note = told[0]
    assert (note.kind, note.dossier_id, note.link) == ("revoked", first.id, f"/dossiers/{first.id}")
    title, body = notify.render_notification(note, "vi")
    assert title.startswith("Khen thưởng bị thu hồi")
    assert "đã bị thu hồi theo Quyết định số 12/QĐ-SGDĐT ngày 01/12/2026" in body
    assert "Quyết định số 05/QĐ-SGDĐT ngày 05/06/2026" in body and REASON in body
    title_en, body_en = notify.render_notification(note, "en")
    assert (
        title_en.startswith("Award revoked") and "Decision No. 12/QĐ-SGDĐT of 01/12/2026" in body_en
    )
    emails = session.scalars(select(OutboxEmail).where(OutboxEmail.id > mails)).all()
    assert sorted(e.to_address for e in emails) == sorted(
        world.users[name].email for name in ("head_a", "staff_a")
    )
    assert all("12/QĐ-SGDĐT" in e.subject + e.body_text for e in emails)
    assert all("— English —" in e.body_text and "Award revoked" in e.body_text for e in emails)


@pytest.mark.db
def test_a_reviewer_may_not_revoke_their_own_award(session, world):
    (first,) = issued(session, world, ("Trần Phú",))
    # The reviewer's account is the register entry the award went to (the nominee's account).
    herself = register_person(session, world, "Trần Phú", "a", user="reviewer")
    assert first.person_id == herself.id
    head = current_head(session)
    assert not revocation.may_revoke(world.actor("reviewer"), first, None)
    with pytest.raises(EditRefused) as refused:
        revoke(session, world, first.id)
    assert refused.value.code == "revocation_of_own_award"
    assert refused.value.violations[0].is_permission
    assert "Bạn là người được khen thưởng này" in refused.value.messages("vi")[0]
    assert "yours" in refused.value.messages("en")[0]
    assert session.scalar(select(func.count()).select_from(Revocation)) == 0
    assert current_head(session) == head
    assert not get_outcome(session, first.id).revoked
    # Another reviewer may.
    assert revocation.may_revoke(world.actor("reviewer2"), first, None)
    assert revoke(session, world, first.id, who="reviewer2").dossier_id == first.id


@pytest.mark.db
def test_bad_input_is_refused_with_every_problem_and_changes_nothing(session, world):
    (first,) = issued(session, world, ("Trần Phú",))
    head = current_head(session)
    cases = {
        ("12/QD-SGDDT", "01/12/2026", REASON): ["decision_number_invalid"],
        ("05/QĐ-SGDĐT", "01/12/2026", REASON): ["revocation_same_number"],
        ("12/QĐ-SGDĐT", "", " "): ["decision_date_missing", "reason_required"],
        ("12/QĐ-SGDĐT", "31/02/2026", REASON): ["date_format"],
        ("12/QĐ-SGDĐT", "07/12/2026", REASON): ["revocation_in_future"],
        ("12/QĐ-SGDĐT", "04/06/2026", REASON): ["revocation_before_award"],
        ("12/QĐ-SGDĐT", "01/12/2026", "x" * 2001): ["field_too_long"],
    }
    for (number, day, reason), codes in cases.items():
        with pytest.raises(EditRefused) as refused:
            revoke(session, world, first.id, number=number, decided_on=day, reason=reason)
        assert [v.code for v in refused.value.violations] == codes, (number, day)
    assert session.scalar(select(func.count()).select_from(Revocation)) == 0
    assert current_head(session) == head
    assert local_day(TEST_NOW) == dt.date(2026, 12, 6)  # "today" of the future-date case


@pytest.mark.db
def test_only_a_published_award_is_revoked_and_only_once(session, world):
    (first,) = issued(session, world, ("Trần Phú",))
    pending = make_dossier(session, world, "nomination", "approved", nominee_name="Lê Văn Tám")
    with pytest.raises(EditRefused) as refused:
        revoke(session, world, pending.id)
    assert refused.value.code == "revocation_not_published"
    revoke(session, world, first.id)
    with pytest.raises(EditRefused) as again:
        revoke(session, world, first.id, number="13/QĐ-SGDĐT")
    assert again.value.code == "revocation_done"
    message = again.value.violations[0].message()
    assert "12/QĐ-SGDĐT" in message and "01/12/2026" in message and REASON in message
    with pytest.raises(NotFound):
        revoke(session, world, 999_999)


@pytest.mark.db
def test_a_revoked_award_is_not_held(session, world):
    first, second = issued(session, world)
    award, unit, year = first.award_type_id, first.unit_id, first.campaign.year
    assert first.person_id is not None
    # A later, higher title of the same person, which asks whether the first is held.
    again = make_dossier(
        session,
        world,
        "nomination",
        "draft",
        nominee_name="Trần Phú",
        award_type_id=world.awards["cstdcs"].id,
    )
    assert again.person_id == first.person_id
    assert Checker(session, local_day(NOW)).same_year_nominations(award, again, year) == [
        (first.id, first.state)
    ]
    assert Checker(session, local_day(NOW)).count(award, unit, year) == 2
    assert [h.dossier_id for h in Checker(session, local_day(NOW)).records_of(first)] == [first.id]
    revoke(session, world, first.id)
    checker = Checker(session, local_day(NOW))
    assert checker.count(award, unit, year) == 1
    assert checker.records_of(first) == []
    assert checker.records_of(second) != []
    prefetched = Checker(session, local_day(NOW))
    prefetched.prefetch([first, second, again])
    assert prefetched.records_of(first) == [] and prefetched.records_of(second) != []
    # Nor does the published nomination itself count as this year's same award any more.
    assert checker.same_year_nominations(award, again, year) == []
    # The register's history keeps the line, marked revoked.
    (line,) = [a for a in person_history(session, first.person).awards if a.dossier_id == first.id]
    assert line.result == "revoked" and "12/QĐ-SGDĐT" in line.result_vi
    (public_line,) = person_history(session, first.person, public=True).awards
    assert public_line.result == "revoked"


@pytest.fixture()
def committed(fresh_engine, tmp_path):
    factory = make_sessionmaker(fresh_engine)
    with factory() as session:
        world = build_world(session, tmp_path / "uploads")
        (first,) = issued(session, world, ("Trần Phú",))
        session.commit()
        return factory, world, first.id


@pytest.mark.db
def test_two_people_revoking_at_once_one_wins_the_other_is_told_why(committed):
    factory, world, dossier_id = committed
    who = ["reviewer", "reviewer2"]

    def attempt(i: int) -> str:
        with factory() as session:
            try:
                revoke(session, world, dossier_id, who=who[i], number=f"1{i}/QĐ-SGDĐT")
                session.commit()
                return "won"
            except EditRefused as refused:
                session.rollback()
                return refused.code

    outcomes = _run_together(2, attempt)
    assert sorted(outcomes) == ["revocation_done", "won"]
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Revocation)) == 1
        events = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "revoke")
        )
        assert events == 1


def _cells(xlsx: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(xlsx), read_only=True)
    return [list(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]


@pytest.mark.db
def test_the_reports_keep_the_published_count_and_show_the_revoked_beside_it(session, world):
    first, _ = issued(session, world)
    campaign = first.campaign
    before = dashboard.nomination_figures(session, campaign)
    assert before.published_revoked == 0
    revoke(session, world, first.id)
    after = dashboard.nomination_figures(session, campaign)
    # History: what was published stays counted; the revoked among them are shown beside it.
    assert (after.published, after.total) == (before.published, before.total)
    assert after.published_individuals == before.published_individuals
    assert after.published_revoked == 1
    year = dashboard.year_dashboard(session, campaign.year)
    assert year.figures.published_revoked == 1
    (row,) = [r for r in year.campaigns if r.campaign.id == campaign.id]
    assert (row.published, row.revoked) == (before.published, 1)
    campaign_rows = _cells(exports.campaign_workbook(session, campaign, now=TEST_NOW))
    assert [exports.REVOKED_LABEL, 1] in [r[:2] for r in campaign_rows]
    year_rows = _cells(exports.year_workbook(session, campaign.year, now=TEST_NOW))
    assert [exports.REVOKED_LABEL, 1] in [r[:2] for r in year_rows]
    (line,) = [r for r in year_rows if r and r[0] == campaign.name]
    assert line[2:5] == [before.total, before.published, 1]


@pytest.mark.db
def test_the_initiatives_the_award_was_granted_on_are_freed(session, world):
    first, second = issued(session, world)
    records = {
        r.dossier_id: r.id
        for r in session.scalars(
            select(AwardRecord).where(AwardRecord.dossier_id.in_((first.id, second.id)))
        )
    }
    mine = Initiative(person_id=first.person_id, year=2026, title="Sáng kiến dạy học STEM")
    theirs = Initiative(person_id=second.person_id, year=2026, title="Sáng kiến thư viện số")
    # Credited as publishing credits them (``record_award``): one initiative, one award.
    mine.used_by_record_id, theirs.used_by_record_id = records[first.id], records[second.id]
    session.add_all([mine, theirs])
    session.flush()
    made = revoke(session, world, first.id)
    session.refresh(mine)
    session.refresh(theirs)
    assert mine.used_by_record_id is None  # may be the ground of another award again
    assert theirs.used_by_record_id == records[second.id]
    event = session.get(AuditEvent, made.audit_seq)
    assert json.loads(event.changes)["initiatives_freed"] == [mine.id]
