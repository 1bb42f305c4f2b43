"""Campaign rules: windows and due dates, participation, admitted awards, targets and report
figures (with the Office's audited corrections), and the demo's share of them."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from models import AuditEvent, Campaign, CampaignAward, CampaignUnit, Practice, ReportFigure, Target
from tests.fixtures.people import NOW, make_dossier
from tests.fixtures.snapshots import assert_refused, snapshot
from workflow import EditRefused, NotFound, fire
from workflow.campaigns import service as svc
from workflow.campaigns.deadlines import submission_status
from workflow.campaigns.participation import submissions
from workflow.campaigns.targets import is_met
from workflow.core.audit import history, verify
from workflow.core.errors import StaleVersion
from workflow.dossiers import figures as report_figures

UTC = dt.UTC
# 23:59 and 00:00 in Hải Phòng (UTC+7) around the plan's due day, 10/3/2026.
LAST_MINUTE = dt.datetime(2026, 3, 10, 16, 59, tzinfo=UTC)
NEXT_DAY = dt.datetime(2026, 3, 10, 17, 0, tzinfo=UTC)


def _target(**kw) -> Target:
    return Target(code="X", title_vi="X", title_en="X", **{"comparison": "at_least", **kw})


@pytest.mark.parametrize(
    "target,value,baseline,met",
    [
        (_target(kind="percent", threshold=Decimal(100)), Decimal(100), None, True),
        (_target(kind="percent", threshold=Decimal(100)), Decimal("99.5"), None, False),
        (_target(kind="count", threshold=Decimal(1)), Decimal(1), None, True),
        (_target(kind="count", threshold=Decimal(1)), Decimal(0), None, False),
        (_target(kind="count", comparison="at_most", threshold=Decimal(0)), Decimal(0), None, True),
        (
            _target(kind="count", comparison="at_most", threshold=Decimal(0)),
            Decimal(2),
            None,
            False,
        ),
        (
            _target(kind="percent", comparison="above_baseline"),
            Decimal("92.4"),
            Decimal("90.1"),
            True,
        ),
        (
            _target(kind="percent", comparison="above_baseline"),
            Decimal("90.1"),
            Decimal("90.1"),
            False,
        ),
        (_target(kind="percent", comparison="above_baseline"), Decimal("92"), None, None),
        (_target(kind="yes_no"), Decimal(1), None, True),
        (_target(kind="yes_no"), Decimal(0), None, False),
        (_target(kind="percent", threshold=Decimal(100)), None, None, None),
    ],
)
def test_target_rules(target, value, baseline, met):
    assert is_met(target, value, baseline) is met


def _strict(world, **kw):
    """The world's campaign without late submissions (and any other change)."""
    for name, value in {"late_allowed": False, **kw}.items():
        setattr(world.campaign, name, value)


def _add_targets(session, world):
    rows = [
        svc.TargetRow(code="KH", title_vi="Triển khai kế hoạch thi đua", kind="yes_no"),
        svc.TargetRow(code="MH", title_vi="Mô hình đổi mới, sáng tạo", kind="count", threshold="1"),
        svc.TargetRow(
            code="GV",
            title_vi="Tỷ lệ giáo viên đạt chuẩn",
            kind="percent",
            comparison="above_baseline",
        ),
    ]
    values = {
        "code": world.campaign.code,
        "name": world.campaign.name,
        "kind": "annual",
        "year": 2026,
        "opens_on": "2026-03-01",
        "closes_on": "2026-12-10",
        "plan_due": "2026-03-10",
        "report_due": "2026-12-10",
        "late_allowed": "1",
        "active": "1",
        "all_units": "1",
    }
    svc.save_campaign(
        session,
        world.actor("reviewer"),
        values,
        campaign_id=world.campaign.id,
        targets=rows,
        now=NOW,
    )
    return {t.code: t for t in svc.targets_of(session, world.campaign.id)}


FULL = {
    "KH": {"value": "1"},
    "MH": {"value": "2", "evidence": "Quyết định công nhận số 12"},
    "GV": {"value": "92,5", "baseline": "90"},
}


def _figures(targets, rows=FULL):
    return {targets[code].id: entry for code, entry in rows.items()}


# --- due dates and windows ---------------------------------------------------------------


@pytest.mark.db
@pytest.mark.parametrize("kind,due_field", [("plan", "plan_due"), ("report", "report_due")])
def test_due_date_is_a_local_day_and_late_is_refused_unless_allowed(
    session, world, kind, due_field
):
    _strict(world, **{due_field: dt.date(2026, 3, 10)})
    on_time = make_dossier(session, world, kind, now=LAST_MINUTE)
    fire(session, on_time.id, "submit", world.actor("staff_a"), now=LAST_MINUTE)
    fire(session, on_time.id, "unit_approve", world.actor("head_a"), now=LAST_MINUTE)
    assert submission_status(world.campaign, kind, on_time, NEXT_DAY.date()) == "on_time"

    late = make_dossier(session, world, kind, now=NEXT_DAY)
    error = assert_refused(
        session,
        late.id,
        lambda: fire(session, late.id, "submit", world.actor("staff_a"), now=NEXT_DAY),
        "past_due",
    )
    assert "10/03/2026" in error.messages()[0] and "11/03/2026" in error.messages()[0]

    world.campaign.late_allowed = True
    fire(session, late.id, "submit", world.actor("staff_a"), now=NEXT_DAY)
    fire(session, late.id, "unit_approve", world.actor("head_a"), now=NEXT_DAY)
    assert submission_status(world.campaign, kind, late, NEXT_DAY.date()) == "late"


def _move_due(session, world, **dates):
    values = {
        "code": world.campaign.code,
        "name": world.campaign.name,
        "kind": world.campaign.kind,
        "year": world.campaign.year,
        "opens_on": "",
        "closes_on": "",
        "plan_due": world.campaign.plan_due.isoformat() if world.campaign.plan_due else "",
        "report_due": world.campaign.report_due.isoformat() if world.campaign.report_due else "",
        "late_allowed": "1",
        "active": "1",
        "all_units": "1",
        **dates,
    }
    return lambda reason: svc.save_campaign(
        session,
        world.actor("reviewer"),
        values,
        campaign_id=world.campaign.id,
        now=NOW,
        reason=reason,
    )


@pytest.mark.db
def test_moving_the_due_date_does_not_relabel_what_was_sent(session, world):
    _strict(world, plan_due=dt.date(2026, 3, 10), late_allowed=True)
    on_time = make_dossier(session, world, "plan", now=LAST_MINUTE)
    for trigger, who in (("submit", "staff_a"), ("unit_approve", "head_a")):
        fire(session, on_time.id, trigger, world.actor(who), now=LAST_MINUTE)
    late = make_dossier(session, world, "plan", unit="b", now=NEXT_DAY)
    for trigger, who in (("submit", "staff_b"), ("unit_approve", "head_b")):
        fire(session, late.id, trigger, world.actor(who), now=NEXT_DAY)

    _move_due(session, world, plan_due="2026-03-01")("Hạn nộp sớm hơn theo văn bản mới.")
    assert submission_status(world.campaign, "plan", on_time, NEXT_DAY.date()) == "on_time"
    by_unit = submissions(session, world.campaign, "plan", NEXT_DAY.date())
    assert by_unit[world.units["a"].id].status == "on_time"
    assert by_unit[world.units["b"].id].status == "late"

    _move_due(session, world, plan_due="2026-03-31")("Gia hạn nộp kế hoạch.")
    assert submission_status(world.campaign, "plan", late, NEXT_DAY.date()) == "late"
    assert (
        submissions(session, world.campaign, "plan", NEXT_DAY.date())[world.units["b"].id].status
        == "late"
    )


@pytest.mark.db
def test_a_due_date_moves_only_with_a_reason_kept_in_the_history(session, world):
    _strict(world, report_due=dt.date(2026, 12, 10))
    move = _move_due(session, world, report_due="2026-12-20")
    before = _stored_campaign(session, world.campaign.id)
    with pytest.raises(EditRefused) as info:
        move("   ")
    assert info.value.code == "due_change_reason_required"
    assert "báo cáo" in info.value.messages()[0]
    assert _stored_campaign(session, world.campaign.id) == before
    move("Gia hạn theo Công văn số 2150/SGDĐT-VP.")
    assert world.campaign.report_due == dt.date(2026, 12, 20)
    event = history(session, "campaign", world.campaign.id)[-1]
    assert event.reason == "Gia hạn theo Công văn số 2150/SGDĐT-VP."
    assert "report_due" in json.loads(event.changes)


@pytest.mark.db
def test_head_cannot_send_after_the_due_date_what_was_submitted_before(session, world):
    _strict(world)
    plan = make_dossier(session, world, "plan", "unit_review", now=LAST_MINUTE)
    assert_refused(
        session,
        plan.id,
        lambda: fire(session, plan.id, "unit_approve", world.actor("head_a"), now=NEXT_DAY),
        "past_due",
    )


@pytest.mark.db
def test_returned_plan_can_be_resent_after_the_due_date(session, world):
    _strict(world)
    plan = make_dossier(session, world, "plan", "returned", now=LAST_MINUTE)
    for trigger, who in (("resubmit", "staff_a"), ("unit_approve", "head_a")):
        fire(session, plan.id, trigger, world.actor(who), now=NEXT_DAY)
    assert (
        plan.state == "office_review"
        and submission_status(world.campaign, "plan", plan, NEXT_DAY.date()) == "on_time"
    )


@pytest.mark.db
def test_closed_campaign_takes_no_plan(session, world):
    plan = make_dossier(session, world, "plan")
    world.campaign.active = False
    assert_refused(
        session,
        plan.id,
        lambda: fire(session, plan.id, "submit", world.actor("staff_a"), now=NOW),
        "campaign_inactive",
    )


@pytest.mark.db
@pytest.mark.parametrize(
    "day,accepted",
    [("2026-02-28", False), ("2026-03-01", True), ("2026-12-10", True), ("2026-12-11", False)],
)
def test_nomination_window_before_inside_after(session, world, day, accepted):
    world.campaign.late_allowed = True  # late submission concerns plans and reports, not the window
    moment = dt.datetime.combine(
        dt.date.fromisoformat(day), dt.time(9), dt.timezone(dt.timedelta(hours=7))
    )
    nomination = make_dossier(session, world, now=moment)
    submit = lambda: fire(session, nomination.id, "submit", world.actor("staff_a"), now=moment)
    if accepted:
        assert submit().to_state == "unit_review"
    else:
        assert_refused(session, nomination.id, submit, "campaign_closed")


@pytest.mark.db
def test_ad_hoc_nominations_are_accepted_any_day(session, world):
    for day in (dt.datetime(2026, 1, 2, tzinfo=UTC), dt.datetime(2026, 12, 31, 16, tzinfo=UTC)):
        nomination = make_dossier(session, world, campaign_id=world.ad_hoc.id, ad_hoc=True, now=day)
        assert (
            fire(session, nomination.id, "submit", world.actor("staff_a"), now=day).to_state
            == "unit_review"
        )


# --- participation and admitted awards ---------------------------------------------------


@pytest.mark.db
@pytest.mark.parametrize("kind", ["nomination", "plan", "report"])
def test_a_unit_not_taking_part_can_neither_create_nor_submit(session, world, kind):
    drafted = make_dossier(session, world, kind, unit="b")
    session.add(CampaignUnit(campaign_id=world.campaign.id, unit_id=world.units["a"].id))
    world.campaign.all_units = False
    session.flush()
    assert svc.takes_part(world.campaign, world.units["a"].id)
    assert not svc.takes_part(world.campaign, world.units["b"].id)
    error = assert_refused(
        session,
        drafted.id,
        lambda: fire(session, drafted.id, "submit", world.actor("staff_b"), now=NOW),
        "unit_not_taking_part",
    )
    assert "không tham gia phong trào" in error.messages()[0]
    with pytest.raises(EditRefused) as info:
        make_dossier(session, world, kind, unit="b")
    assert info.value.code == "unit_not_taking_part"
    make_dossier(session, world, kind, "office_review", unit="a")


@pytest.mark.db
def test_nomination_of_an_award_the_campaign_does_not_admit(session, world):
    session.add(
        CampaignAward(campaign_id=world.campaign.id, award_type_id=world.awards["cstdcs"].id)
    )
    session.flush()
    refused = make_dossier(session, world)
    error = assert_refused(
        session,
        refused.id,
        lambda: fire(session, refused.id, "submit", world.actor("staff_a"), now=NOW),
        "award_not_admitted",
    )
    assert (
        "Chiến sĩ thi đua cơ sở" in error.messages()[0] and "Grassroots" in error.messages("en")[0]
    )
    admitted = make_dossier(session, world, award_type_id=world.awards["cstdcs"].id)
    assert (
        fire(session, admitted.id, "submit", world.actor("staff_a"), now=NOW).to_state
        == "unit_review"
    )


# --- managing campaigns ------------------------------------------------------------------

# The reason given when an edit of the test world's campaign moves its due dates.
MOVED = "Điều chỉnh hạn nộp theo văn bản mới của Sở."

CAMPAIGN = {
    "code": "dot-30-4",
    "name": "Đợt thi đua chào mừng 30/4 và 1/5",
    "kind": "periodic",
    "year": "2026",
    "opens_on": "2026-04-01",
    "closes_on": "2026-05-15",
    "plan_due": "",
    "report_due": "20/05/2026",
    "active": "1",
}


@pytest.mark.db
def test_office_creates_a_campaign_with_chosen_units_awards_and_targets(session, world):
    campaign = svc.save_campaign(
        session,
        world.actor("reviewer"),
        CAMPAIGN,
        unit_ids=[world.units["a"].id, "x"],
        award_ids=[world.awards["ldtt"].id],
        now=NOW,
        targets=[
            svc.TargetRow(title_vi="Tiết dạy ứng dụng công nghệ số", kind="count", threshold="3"),
            svc.TargetRow(),
        ],
    )
    assert (campaign.code, campaign.report_due, campaign.all_units) == (
        "DOT-30-4",
        dt.date(2026, 5, 20),
        False,
    )
    assert svc.chosen_unit_ids(session, campaign.id) == [world.units["a"].id]
    assert svc.admitted_award_ids(session, campaign.id) == [world.awards["ldtt"].id]
    [target] = svc.targets_of(session, campaign.id)
    assert (target.code, target.kind, target.threshold, target.title_en) == (
        "CT1",
        "count",
        Decimal(3),
        "Tiết dạy ứng dụng công nghệ số",
    )
    [event] = history(session, "campaign", campaign.id)
    assert (event.action, event.actor_role) == ("create", "office_reviewer")
    assert json.loads(event.changes)["targets"] == {"added": ["CT1"]}

    svc.save_campaign(
        session,
        world.actor("admin"),
        {**CAMPAIGN, "all_units": "1", "late_allowed": "1"},
        campaign_id=campaign.id,
        award_ids=[],
        now=NOW,
        targets=[
            svc.TargetRow(
                id=target.id, code="CT1", title_vi=target.title_vi, kind="count", threshold="5"
            )
        ],
    )
    edit = history(session, "campaign", campaign.id)[-1]
    changes = json.loads(edit.changes)
    assert (edit.action, changes["late_allowed"], changes["units"]) == (
        "edit",
        [False, True],
        [[world.units["a"].id], []],
    )
    assert (
        changes["targets"] == {"changed": {"CT1": {"threshold": ["3", "5"]}}} and changes["awards"]
    )
    assert verify(session).ok


@pytest.mark.db
def test_campaign_form_problems_are_reported_together_and_nothing_is_saved(session, world):
    before = session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
    bad = {
        **CAMPAIGN,
        "code": "TD-2026",
        "name": "",
        "kind": "weekly",
        "year": "26",
        "opens_on": "2026-05-20",
        "closes_on": "2026-04-01",
        "report_due": "31/02/2026",
        "all_units": "",
    }
    with pytest.raises(EditRefused) as info:
        svc.save_campaign(
            session,
            world.actor("reviewer"),
            bad,
            now=NOW,
            targets=[svc.TargetRow(title_vi="Tỷ lệ", kind="percent", threshold="120")],
        )
    codes = [v.code for v in info.value.violations]
    assert codes == [
        "field_required",
        "campaign_code_taken",
        "choice_invalid",
        "year_invalid",
        "date_invalid",
        "dates_out_of_order",
        "units_required",
        "target_invalid",
    ]
    assert "từ 0 đến 100" in info.value.messages()[-1]
    assert session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1)) == before


@pytest.mark.db
@pytest.mark.parametrize("who", ["staff_a", "head_b", "secretary", "member1"])
def test_only_the_office_and_admins_manage_campaigns(session, world, who):
    with pytest.raises(EditRefused) as info:
        svc.save_campaign(session, world.actor(who), CAMPAIGN, now=NOW)
    assert info.value.is_permission


@pytest.mark.db
def test_a_target_with_figures_cannot_be_removed(session, world):
    targets = _add_targets(session, world)
    report = make_dossier(session, world, "report")
    report_figures.save_figures(
        session,
        report.id,
        world.actor("staff_a"),
        _figures(targets, {"KH": {"value": "1"}}),
        now=NOW,
    )
    rows = [
        svc.TargetRow(
            id=t.id,
            code=t.code,
            title_vi=t.title_vi,
            kind=t.kind,
            comparison=t.comparison,
            threshold=t.threshold or "",
            remove=t.code == "KH",
        )
        for t in targets.values()
    ]
    with pytest.raises(EditRefused) as info:
        svc.save_campaign(
            session,
            world.actor("reviewer"),
            {**CAMPAIGN, "code": "TD-2026", "all_units": "1"},
            campaign_id=world.campaign.id,
            targets=rows,
            now=NOW,
            reason=MOVED,
        )
    assert info.value.code == "target_in_use"


# --- optimistic locking of campaigns -----------------------------------------------------


def _stored_campaign(session, campaign_id: int) -> tuple:
    """The campaign as stored (not the session's copy): fields, units, awards, targets, version,
    and the number of audit events."""
    row = session.execute(
        select(Campaign.name, Campaign.closes_on, Campaign.all_units, Campaign.version).where(
            Campaign.id == campaign_id
        )
    ).one()
    targets = session.execute(
        select(Target.code, Target.title_vi, Target.threshold)
        .where(Target.campaign_id == campaign_id)
        .order_by(Target.code)
    ).all()
    return (
        tuple(row),
        svc.chosen_unit_ids(session, campaign_id),
        svc.admitted_award_ids(session, campaign_id),
        [tuple(t) for t in targets],
        session.scalar(select(func.count()).select_from(AuditEvent)),
    )


@pytest.mark.db
def test_a_stale_campaign_save_is_refused_and_changes_nothing(session, world):
    campaign = svc.save_campaign(
        session,
        world.actor("reviewer"),
        {**CAMPAIGN, "all_units": "1"},
        now=NOW,
        targets=[svc.TargetRow(code="TD", title_vi="Tiết dạy tốt", kind="count", threshold="3")],
    )
    drawn = campaign.version
    assert drawn == 1
    # Another reviewer saves first, from a form drawn at the same version.
    svc.save_campaign(
        session,
        world.actor("reviewer2"),
        {**CAMPAIGN, "closes_on": "2026-05-20", "all_units": "1"},
        campaign_id=campaign.id,
        now=NOW,
        expected_version=drawn,
    )
    before = _stored_campaign(session, campaign.id)
    assert before[0] == (CAMPAIGN["name"], dt.date(2026, 5, 20), True, drawn + 1)
    [target] = svc.targets_of(session, campaign.id)
    with pytest.raises(StaleVersion) as info:
        svc.save_campaign(
            session,
            world.actor("reviewer"),
            {**CAMPAIGN, "name": "Đợt thi đua (bản của tôi)", "all_units": ""},
            campaign_id=campaign.id,
            unit_ids=[world.units["a"].id],
            award_ids=[world.awards["ldtt"].id],
            now=NOW,
            expected_version=drawn,
            targets=[
                svc.TargetRow(
                    id=target.id, code="TD", title_vi="Tiết dạy giỏi", kind="count", threshold="9"
                ),
                svc.TargetRow(code="MH", title_vi="Mô hình mới", kind="count", threshold="1"),
            ],
        )
    assert info.value.code == "campaign_stale_version" and info.value.current_version == drawn + 1
    assert not info.value.is_permission
    assert info.value.messages("vi") == [
        "Người khác đã thay đổi phong trào thi đua này "
        "trước bạn. Trạng thái hiện tại: “Đang diễn ra”. "
        "Vui lòng xem lại nội dung hiện tại của phong trào thi đua rồi thực hiện lại."
    ]
    assert info.value.messages("en") == [
        "Someone else changed this emulation campaign first. It is now “Active”. "
        "Please review its current content and try again."
    ]
    session.flush()
    assert _stored_campaign(session, campaign.id) == before
    assert [e.action for e in history(session, "campaign", campaign.id)] == ["create", "edit"]


@pytest.mark.db
def test_the_right_campaign_version_saves_once_and_moves_the_version(session, world):
    reviewer, campaign_id = world.actor("reviewer"), world.campaign.id
    values = {**CAMPAIGN, "code": world.campaign.code, "all_units": "1"}
    svc.save_campaign(
        session,
        reviewer,
        values,
        campaign_id=campaign_id,
        now=NOW,
        expected_version=1,
        reason=MOVED,
    )
    version = _stored_campaign(session, campaign_id)[0][3]
    assert version == 2  # several fields, one UPDATE: the version moves by one
    events = _stored_campaign(session, campaign_id)[4]
    svc.save_campaign(
        session, reviewer, values, campaign_id=campaign_id, now=NOW, expected_version=version
    )
    assert (
        _stored_campaign(session, campaign_id)[0][3] == version
    )  # nothing changed: no new version
    # Only the admitted awards and a target change (other tables): the version still moves, once.
    svc.save_campaign(
        session,
        reviewer,
        values,
        campaign_id=campaign_id,
        award_ids=[world.awards["ldtt"].id],
        targets=[svc.TargetRow(code="KH", title_vi="Kế hoạch", kind="yes_no")],
        now=NOW,
        expected_version=version,
    )
    stored = _stored_campaign(session, campaign_id)
    assert (stored[0][3], stored[2], stored[4]) == (
        version + 1,
        [world.awards["ldtt"].id],
        events + 1,
    )
    with pytest.raises(StaleVersion):  # the form drawn before that save is now stale
        svc.save_campaign(
            session,
            reviewer,
            values,
            campaign_id=campaign_id,
            award_ids=[],
            now=NOW,
            expected_version=version,
        )
    assert verify(session).ok


# --- report figures ----------------------------------------------------------------------


@pytest.mark.db
def test_report_submission_needs_every_figure(session, world):
    targets = _add_targets(session, world)
    report = make_dossier(session, world, "report")
    error = assert_refused(
        session,
        report.id,
        lambda: fire(session, report.id, "submit", world.actor("staff_a"), now=NOW),
        "figures_missing",
    )
    assert all(t.title_vi in error.messages()[0] for t in targets.values())
    report_figures.save_figures(
        session,
        report.id,
        world.actor("staff_a"),
        _figures(targets, {**FULL, "GV": {"value": "92,5"}}),
        now=NOW,
    )  # no 2025 baseline yet
    error = assert_refused(
        session,
        report.id,
        lambda: fire(session, report.id, "submit", world.actor("staff_a"), now=NOW),
        "figures_missing",
    )
    assert (
        error.messages("en")[0]
        == "The report has no figure yet for these targets: Tỷ lệ giáo viên đạt chuẩn."
    )
    report_figures.save_figures(
        session, report.id, world.actor("head_a"), _figures(targets), now=NOW
    )
    assert (
        fire(session, report.id, "submit", world.actor("staff_a"), now=NOW).to_state
        == "unit_review"
    )


@pytest.mark.db
def test_saving_figures_is_an_audited_edit_that_moves_the_version(session, world):
    targets = _add_targets(session, world)
    report = make_dossier(session, world, "report")
    version = report.version
    event = report_figures.save_figures(
        session, report.id, world.actor("staff_a"), _figures(targets), version, now=NOW
    )
    assert (event.entity_type, event.action, event.actor_role) == ("dossier", "edit", "unit_staff")
    assert json.loads(event.changes)["figures"]["GV"] == {
        "value": [None, "92.5"],
        "baseline": [None, "90"],
    }
    figures = {
        f.target.code: f
        for f in session.scalars(select(ReportFigure).where(ReportFigure.report_id == report.id))
    }
    assert (figures["GV"].value, figures["MH"].evidence) == (
        Decimal("92.5"),
        "Quyết định công nhận số 12",
    )
    assert report.version == version + 1
    assert (
        report_figures.save_figures(
            session, report.id, world.actor("staff_a"), _figures(targets), now=NOW
        )
        is None
    )
    with pytest.raises(StaleVersion):
        report_figures.save_figures(
            session, report.id, world.actor("staff_a"), _figures(targets), version, now=NOW
        )


@pytest.mark.db
def test_bad_figures_are_refused_together_and_change_nothing(session, world):
    targets = _add_targets(session, world)
    report = make_dossier(session, world, "report")
    before = snapshot(session, report.id)
    with pytest.raises(EditRefused) as info:
        report_figures.save_figures(
            session,
            report.id,
            world.actor("staff_a"),
            _figures(
                targets,
                {
                    "KH": {"value": "có lẽ"},
                    "MH": {"value": "1,5"},
                    "GV": {"value": "101", "baseline": "-3"},
                },
            ),
            now=NOW,
        )
    assert [v.code for v in info.value.violations] == ["figure_invalid"] * 4
    assert "vui lòng chọn Có hoặc Không" in info.value.messages()[0]
    assert snapshot(session, report.id) == before
    assert (
        session.scalar(select(ReportFigure.id).where(ReportFigure.report_id == report.id)) is None
    )


@pytest.mark.db
@pytest.mark.parametrize(
    "who,state,error",
    [
        ("staff_b", "draft", NotFound),
        ("reviewer", "draft", NotFound),
        ("staff_a", "unit_review", EditRefused),
        ("reviewer", "office_review", EditRefused),
    ],
)
def test_only_the_unit_fills_figures_and_only_while_editable(session, world, who, state, error):
    targets = _add_targets(session, world)
    report = make_dossier(session, world, "report", "draft")
    report_figures.save_figures(
        session, report.id, world.actor("staff_a"), _figures(targets), now=NOW
    )
    for trigger, actor in {
        "draft": [],
        "unit_review": [("submit", "staff_a")],
        "office_review": [("submit", "staff_a"), ("unit_approve", "head_a")],
    }[state]:
        fire(session, report.id, trigger, world.actor(actor), now=NOW)
    assert_refused(
        session,
        report.id,
        lambda: report_figures.save_figures(
            session, report.id, world.actor(who), _figures(targets, {"KH": {"value": "0"}}), now=NOW
        ),
        errors=(error,),
    )


@pytest.mark.db
def test_office_corrects_a_figure_with_a_reason_and_the_history_shows_it(session, world):
    targets = _add_targets(session, world)
    report = make_dossier(session, world, "report")
    report_figures.save_figures(
        session, report.id, world.actor("staff_a"), _figures(targets), now=NOW
    )
    figure = session.scalar(
        select(ReportFigure).where(
            ReportFigure.report_id == report.id, ReportFigure.target_id == targets["GV"].id
        )
    )
    with pytest.raises(
        NotFound
    ):  # not sent yet: the Office does not see it, the unit still edits it
        report_figures.correct_figure(
            session, figure.id, world.actor("reviewer"), "89", "Sai số liệu", now=NOW
        )
    for trigger, actor in (("submit", "staff_a"), ("unit_approve", "head_a")):
        fire(session, report.id, trigger, world.actor(actor), now=NOW)
    assert_refused(
        session,
        report.id,
        lambda: report_figures.correct_figure(
            session, figure.id, world.actor("reviewer"), "89", "  ", now=NOW
        ),
        "reason_required",
        errors=(EditRefused,),
    )
    for who in ("staff_a", "head_a", "admin", "secretary"):
        with pytest.raises(EditRefused) as info:
            report_figures.correct_figure(
                session, figure.id, world.actor(who), "89", "Sai", now=NOW
            )
        assert info.value.is_permission
    reason = "Biểu tổng hợp của Phòng Tổ chức cán bộ ghi 89,6%."
    event = report_figures.correct_figure(
        session, figure.id, world.actor("reviewer"), "89,6", reason, now=NOW
    )
    assert (event.action, event.reason, event.to_state) == (
        "figure_correction",
        reason,
        "office_review",
    )
    assert json.loads(event.changes) == {"figures": {"GV": {"value": ["92.5", "89.6"]}}}
    assert (figure.value, figure.corrected_by, figure.correction_reason) == (
        Decimal("89.6"),
        world.users["reviewer"].id,
        reason,
    )
    assert is_met(targets["GV"], figure.value, figure.baseline) is False
    assert history(session, "dossier", report.id)[-1].action == "figure_correction"


@pytest.mark.db
def test_office_enters_a_figure_for_a_target_added_after_sending(session, world):
    targets = _add_targets(session, world)
    report = make_dossier(session, world, "report")
    report_figures.save_figures(
        session, report.id, world.actor("staff_a"), _figures(targets), now=NOW
    )
    for trigger, actor in (("submit", "staff_a"), ("unit_approve", "head_a")):
        fire(session, report.id, trigger, world.actor(actor), now=NOW)
    added = Target(
        campaign_id=world.campaign.id,
        code="TV",
        title_vi="Tủ sách lớp học",
        title_en="Bookshelves",
        kind="count",
        comparison="at_least",
        threshold=Decimal(3),
        position=9,
    )
    elsewhere = Target(
        campaign_id=world.ad_hoc.id,
        code="KH",
        title_vi="Chỉ tiêu của phong trào khác",
        title_en="Another campaign's target",
        kind="yes_no",
        comparison="at_least",
        position=1,
    )
    session.add_all([added, elsewhere])
    session.flush()
    reviewer = world.actor("reviewer")
    with pytest.raises(NotFound):  # a target of another campaign is not this report's
        report_figures.correct_target_figure(
            session, report.id, elsewhere.id, reviewer, "1", "Bổ sung", now=NOW
        )
    assert_refused(
        session,
        report.id,
        lambda: report_figures.correct_target_figure(
            session, report.id, added.id, reviewer, "", "Bổ sung", now=NOW
        ),
        errors=(EditRefused,),
    )
    event = report_figures.correct_target_figure(
        session, report.id, added.id, reviewer, "4", "Bổ sung theo công văn", now=NOW
    )
    assert json.loads(event.changes) == {"figures": {"TV": {"value": [None, "4"]}}}
    figure = session.scalar(
        select(ReportFigure).where(
            ReportFigure.report_id == report.id, ReportFigure.target_id == added.id
        )
    )
    assert (figure.value, figure.corrected_by) == (Decimal(4), world.users["reviewer"].id)


# --- the demo ----------------------------------------------------------------------------


@pytest.mark.db
def test_demo_has_the_2026_targets_figures_campaigns_and_practices(demo):
    from models import Campaign, Dossier
    from workflow.campaigns.guards import missing_targets

    factory, _, _ = demo
    with factory() as session:
        campaigns = {c.code: c for c in session.scalars(select(Campaign))}
        targets = {t.code: t for t in svc.targets_of(session, campaigns["TD-2026"].id)}
        assert {(t.kind, t.comparison) for t in targets.values()} >= {
            ("yes_no", "at_least"),
            ("count", "at_least"),
            ("percent", "above_baseline"),
            ("count", "at_most"),
        }
        assert (
            "mô hình đổi mới" in targets["MO-HINH"].title_vi and targets["MO-HINH"].threshold == 1
        )
        reports = session.scalars(
            select(Dossier).where(
                Dossier.kind == "report", Dossier.campaign_id == campaigns["TD-2026"].id
            )
        ).all()
        sent = [r for r in reports if r.sent_at is not None]
        assert len(sent) >= 3 and not any(missing_targets(session, r) for r in sent)
        assert any(missing_targets(session, r) for r in reports if r.state == "draft")
        met = [is_met(f.target, f.value, f.baseline) for f in session.scalars(select(ReportFigure))]
        assert met.count(True) > met.count(False) > 0
        assert session.scalar(
            select(AuditEvent).where(AuditEvent.action == "figure_correction")
        ).reason
        for code, kind in (("CD-CDS-2026", "thematic"), ("DOT-20-11-2026", "periodic")):
            chosen = svc.chosen_unit_ids(session, campaigns[code].id)
            assert (
                campaigns[code].kind == kind and not campaigns[code].all_units and len(chosen) >= 3
            )
            assert svc.admitted_award_ids(session, campaigns[code].id)
        statuses = [p.status for p in session.scalars(select(Practice))]
        assert statuses.count("exemplary") >= 2 and "registered" in statuses
        late = [
            d
            for d in session.scalars(select(Dossier).where(Dossier.kind == "plan"))
            if submission_status(d.campaign, "plan", d, dt.date(2026, 11, 26)) == "late"
        ]
        assert late


class _Sending:
    """What ``submission_status`` reads of a dossier."""

    def __init__(self, state: str, sent_late: bool | None = False) -> None:
        self.state, self.sent_late = state, sent_late
        self.sent_at = LAST_MINUTE


@pytest.mark.parametrize(
    "kind,state,status",
    [
        ("plan", "withdrawn", "missing"),
        ("report", "withdrawn", "missing"),
        ("plan", "office_review", "on_time"),
        ("report", "published", "on_time"),
        # A state the kind's lifecycle does not name is not a withdrawal (what
        # participation passes for a sending already filtered in SQL).
        ("plan", "sent", "on_time"),
        ("no_such_kind", "withdrawn", "on_time"),
    ],
)
def test_a_withdrawn_sending_counts_as_not_sent(kind, state, status):
    campaign = Campaign(plan_due=dt.date(2026, 3, 10), report_due=dt.date(2026, 3, 10))
    assert submission_status(campaign, kind, _Sending(state), dt.date(2026, 3, 11)) == status
