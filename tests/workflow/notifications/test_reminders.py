"""Reminders of plan and report due dates: who is reminded, when, and never twice — through
``workflow.notifications.reminders`` on both databases and through ``vinhdanh remind`` (cron)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Campaign, CampaignUnit, Notification, OutboxEmail, ReminderSent
from tests.fixtures.people import build_world, make_dossier
from web.cli import main
from workflow.notifications import notify
from workflow.notifications.reminders import send_reminders, tier_for

TODAY = dt.date(2026, 6, 1)  # the fixtures' NOW
DAYS = (7, 3, 1)


def _campaign(session, **fields) -> Campaign:
    """A campaign whose plan is due in 3 days and report in 7 (from TODAY)."""
    values = dict(
        code="TD-NHAC",
        name="Đợt thi đua chào mừng 80 năm ngành Giáo dục",
        kind="periodic",
        year=2026,
        plan_due=TODAY + dt.timedelta(days=3),
        report_due=TODAY + dt.timedelta(days=7),
    )
    values.update(fields)
    campaign = Campaign(**values)
    session.add(campaign)
    session.flush()
    return campaign


def _reminded(session, world) -> dict[str, set[str]]:
    """username → the kinds of dossier they were reminded of."""
    names = {u.id: n for n, u in world.users.items()}
    seen: dict[str, set[str]] = {}
    for note in session.scalars(select(Notification).where(Notification.kind == "reminder")):
        seen.setdefault(names[note.user_id], set()).add(note.params["kind"])
    return seen


def test_the_reminder_tier_of_a_day():
    assert [tier_for(d, DAYS) for d in (9, 8, 7, 6, 4, 3, 2, 1, 0, -1)] == [
        None,
        None,
        7,
        7,
        7,
        3,
        3,
        1,
        1,
        None,
    ]


@pytest.mark.db
def test_units_that_have_not_sent_are_reminded_once(session, world):
    campaign = _campaign(session)
    make_dossier(
        session, world, kind="plan", state="office_review", unit="a", campaign_id=campaign.id
    )
    sent = send_reminders(session, TODAY, DAYS)
    # Unit a sent its plan; both have their report to send; the Department is not a participant.
    assert sorted((r.unit, r.kind, r.days_left, r.tier, r.recipients) for r in sent) == [
        ("Trường THPT Chuyên Trần Phú", "report", 7, 7, 2),
        ("Trường Tiểu học Đặng Trần Côn", "plan", 3, 3, 2),
        ("Trường Tiểu học Đặng Trần Côn", "report", 7, 7, 2),
    ]
    assert _reminded(session, world) == {
        "staff_a": {"report"},
        "head_a": {"report"},
        "staff_b": {"plan", "report"},
        "head_b": {"plan", "report"},
    }
    note = session.scalars(
        select(Notification)
        .where(Notification.user_id == world.users["head_b"].id, Notification.kind == "reminder")
        .order_by(Notification.id)
    ).first()
    title, body = notify.render_notification(note, "vi")
    assert title == "Nhắc hạn nộp kế hoạch thi đua: Đợt thi đua chào mừng 80 năm ngành Giáo dục"
    assert "Hạn nộp: 04/06/2026 (còn 3 ngày)" in body
    assert notify.render_notification(note, "en")[1].endswith("Due: 04/06/2026 (3 days left).")
    assert (
        session.scalar(
            select(func.count())
            .select_from(OutboxEmail)
            .where(OutboxEmail.subject.like("[Vinh Danh] Nhắc hạn nộp%"))
        )
        == 6
    )

    assert send_reminders(session, TODAY, DAYS) == []  # a second run sends nothing
    assert session.scalar(select(func.count()).select_from(ReminderSent)) == 3


@pytest.mark.db
def test_next_tier_and_a_missed_run_caught_up(session, world):
    _campaign(session)
    send_reminders(session, TODAY, DAYS)
    # Two days later (plan due in 1 day, report in 5): the plan's 1-day reminder only.
    later = send_reminders(session, TODAY + dt.timedelta(days=2), DAYS)
    assert sorted((r.unit, r.kind, r.tier) for r in later) == [
        ("Trường THPT Chuyên Trần Phú", "plan", 1),
        ("Trường Tiểu học Đặng Trần Côn", "plan", 1),
    ]
    # The report's 3-day run was missed; two days before, the 3-day reminder goes out.
    missed = send_reminders(session, TODAY + dt.timedelta(days=5), DAYS)
    assert {(r.kind, r.days_left, r.tier) for r in missed} == {("report", 2, 3)}
    assert send_reminders(session, TODAY + dt.timedelta(days=8), DAYS) == []  # past due: no more


@pytest.mark.db
def test_only_listed_units_of_an_active_campaign(session, world):
    chosen = _campaign(session, all_units=False)
    session.add(CampaignUnit(campaign_id=chosen.id, unit_id=world.units["b"].id))
    _campaign(session, code="TD-TAT", active=False)
    sent = send_reminders(session, TODAY, DAYS)
    assert {r.unit for r in sent} == {"Trường Tiểu học Đặng Trần Côn"}


@pytest.mark.db
def test_a_withdrawn_plan_does_not_count_as_sent(session, world):
    campaign = _campaign(session, report_due=None)
    make_dossier(session, world, kind="plan", state="withdrawn", unit="a", campaign_id=campaign.id)
    draft = make_dossier(session, world, kind="plan", unit="b", campaign_id=campaign.id)
    sent = send_reminders(session, TODAY, DAYS)
    assert {(r.unit, r.kind) for r in sent} == {
        ("Trường THPT Chuyên Trần Phú", "plan"),
        ("Trường Tiểu học Đặng Trần Côn", "plan"),
    }
    # Unit b's reminder leads to the draft it is preparing.
    links = set(
        session.scalars(
            select(Notification.link).where(
                Notification.user_id == world.users["staff_b"].id, Notification.kind == "reminder"
            )
        )
    )
    assert links == {f"/dossiers/{draft.id}"}


@pytest.mark.db
def test_the_database_refuses_the_same_reminder_twice(session, world):
    campaign = _campaign(session)
    row = dict(
        campaign_id=campaign.id,
        unit_id=world.units["a"].id,
        kind="plan",
        due_date=campaign.plan_due,
        days_before=3,
    )
    session.add(ReminderSent(**row))
    session.flush()
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(ReminderSent(**row))
        session.flush()


@pytest.mark.db
def test_two_overlapping_runs_send_each_reminder_once(fresh_engine, tmp_path):
    with Session(fresh_engine) as setup:
        world = build_world(setup, tmp_path)
        _campaign(setup)
        setup.commit()
        unit_people = {world.users[n].id for n in ("staff_a", "head_a", "staff_b", "head_b")}
    first, second = Session(fresh_engine), Session(fresh_engine)
    try:
        assert len(send_reminders(first, TODAY, DAYS)) == 4  # not committed yet
        outcome: dict[str, object] = {}

        def run_second() -> None:
            try:  # waits for the first run's rows (unique index / write lock), then skips them
                outcome["sent"] = send_reminders(second, TODAY, DAYS)
                second.commit()
            except Exception as error:  # reported to the test below
                outcome["error"] = error

        thread = threading.Thread(target=run_second)
        thread.start()
        first.commit()
        thread.join(60)
        assert not thread.is_alive()
        assert outcome.get("error") is None and outcome["sent"] == []
    finally:
        first.close()
        second.close()
    with Session(fresh_engine) as check:
        assert check.scalar(select(func.count()).select_from(ReminderSent)) == 4
        assert check.scalar(select(func.count()).select_from(Notification)) == 8
        assert set(check.scalars(select(Notification.user_id).distinct())) == unit_people


# --- the command -------------------------------------------------------------------------


def _app_campaign(app, world) -> None:
    session = app.extensions["vinhdanh.write"]()
    try:
        campaign = _campaign(session)
        make_dossier(
            session, world, kind="plan", state="office_review", unit="a", campaign_id=campaign.id
        )
        session.execute(delete(OutboxEmail))  # the set-up's own transitions queued e-mails
        session.commit()
    finally:
        session.close()


def test_remind_command_twice_sends_once(app, app_world, runner, smtp_server):
    _app_campaign(app, app_world)
    app.config.update(
        SMTP_HOST=smtp_server.host,
        SMTP_PORT=smtp_server.port,
        PUBLIC_URL="https://vinhdanh.example.vn",
    )
    first = runner.invoke(main, ["remind", "--today", "2026-06-01", "--days", "7,3,1"])
    assert first.exit_code == 0, first.output
    assert "Trường Tiểu học Đặng Trần Côn · plan" in first.output
    assert "Đã nhắc 3 đơn vị. / 3 reminders sent." in first.output
    assert "Đã gửi / sent: 6; lỗi / failed: 0" in first.output
    assert sorted(a for m in smtp_server.messages for a in m.rcpt_tos) == sorted(
        ["staff_a@example.vn", "head_a@example.vn"]
        + ["staff_b@example.vn", "head_b@example.vn"] * 2
    )
    plan = [m for m in smtp_server.to("head_b@example.vn") if "kế hoạch" in m.subject]
    assert [m.subject for m in plan] == [
        "[Vinh Danh] Nhắc hạn nộp kế hoạch thi đua: Đợt thi đua chào mừng 80 năm ngành Giáo dục"
    ]
    assert "https://vinhdanh.example.vn/dossiers/new/plan" in plan[0].body

    second = runner.invoke(main, ["remind", "--today", "2026-06-01"])
    assert second.exit_code == 0, second.output
    assert "Đã nhắc 0 đơn vị. / 0 reminders sent." in second.output
    assert len(smtp_server.messages) == 6


def test_remind_command_rejects_bad_days(runner, app_world):
    result = runner.invoke(main, ["remind", "--today", "2026-06-01", "--days", "bảy"])
    assert result.exit_code != 0 and "--days" in result.output


def test_mail_send_without_smtp_skips_and_does_not_fail(app, app_world, runner):
    _app_campaign(app, app_world)
    reminded = runner.invoke(main, ["remind", "--today", "2026-06-01", "--no-mail"])
    assert "Đã nhắc 3 đơn vị." in reminded.output
    result = runner.invoke(main, ["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "thư điện tử tắt; 6 thư được bỏ qua" in result.output
    session = app.extensions["vinhdanh.write"]()
    try:
        assert set(session.scalars(select(OutboxEmail.status))) == {"skipped"}
    finally:
        session.close()
