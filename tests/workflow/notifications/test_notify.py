"""Notifications of transitions: who hears of what (never the actor), the unit and its
reasons, the e-mail outbox, and sending it to a real local SMTP server."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from models import Notification, OutboxEmail
from tests.fixtures.people import NOW, make_dossier
from workflow import TransitionRefused, fire
from workflow.core.engine import TRANSITION_LISTENERS
from workflow.notifications import notify
from workflow.notifications.mailer import MAX_ATTEMPTS, SmtpSettings, send_pending

pytestmark = pytest.mark.db
RETURN_REASON = "Thiếu bản sao quyết định công nhận sáng kiến kinh nghiệm."
DECISION = {
    "decision_number": "05/QĐ-SGDĐT",
    "decision_date": "2026-06-05",
    "decision_signer": "Nguyễn Văn Giám",
}


def _last_id(session, model) -> int:
    return session.scalar(select(func.coalesce(func.max(model.id), 0)))


def _fire(session, world, dossier, trigger, who, **inputs):
    """Fire and return (notifications, e-mails) the transition created, by recipient."""
    notes, mails = _last_id(session, Notification), _last_id(session, OutboxEmail)
    fire(session, dossier.id, trigger, world.actor(who), inputs=inputs, now=NOW)
    session.flush()
    users = {u.id: name for name, u in world.users.items()}
    created = session.scalars(
        select(Notification).where(Notification.id > notes).order_by(Notification.id)
    ).all()
    emails = session.scalars(
        select(OutboxEmail).where(OutboxEmail.id > mails).order_by(OutboxEmail.id)
    ).all()
    return {users[n.user_id]: n for n in created}, {e.to_address: e for e in emails}


def test_notify_is_registered_once_as_a_listener_of_fire():
    assert TRANSITION_LISTENERS.count(notify.notify_transition) == 1


def test_submit_reaches_the_head_only_never_the_actor(session, world):
    dossier = make_dossier(session, world)
    notes, mails = _fire(session, world, dossier, "submit", "staff_a")
    assert set(notes) == {"head_a"}
    note = notes["head_a"]
    assert (note.kind, note.dossier_id, note.link) == (
        "queue",
        dossier.id,
        f"/dossiers/{dossier.id}",
    )
    title, body = notify.render_notification(note, "vi")
    assert title == "Hồ sơ chờ bạn xử lý: Hồ sơ kiểm thử"
    assert "Trường THPT Chuyên Trần Phú" in body and "«Chờ thủ trưởng duyệt»" in body
    assert "Nguyễn Thị Hồng: Gửi thủ trưởng duyệt" in body
    assert set(mails) == {"head_a@example.vn"}
    assert mails["head_a@example.vn"].subject == "[Vinh Danh] Hồ sơ chờ bạn xử lý: Hồ sơ kiểm thử"
    assert session.info.get(notify.OUTBOX_FLAG) is True


def test_sent_to_the_department_reaches_every_office_reviewer(session, world):
    dossier = make_dossier(session, world, state="unit_review")
    notes, mails = _fire(session, world, dossier, "unit_approve", "head_a")
    assert set(notes) == {"reviewer", "reviewer2"}
    assert set(mails) == {"reviewer@example.vn", "reviewer2@example.vn"}
    assert (
        notify.render_notification(notes["reviewer"], "en")[0]
        == "Awaiting your action: Hồ sơ kiểm thử"
    )


def test_the_council_secretary_hears_of_dossiers_for_the_council(session, world):
    dossier = make_dossier(session, world, state="office_review")
    notes, _ = _fire(session, world, dossier, "office_approve", "reviewer")
    assert set(notes) == {"secretary"}


def test_office_return_tells_the_unit_the_reason(session, world):
    dossier = make_dossier(session, world, state="office_review")
    notes, mails = _fire(session, world, dossier, "office_return", "reviewer", reason=RETURN_REASON)
    assert set(notes) == {"staff_a", "head_a"}  # not the reviewer who returned it, not unit b
    for note in notes.values():
        assert note.kind == "returned"
        title, body = notify.render_notification(note, "vi")
        assert title == "Hồ sơ bị trả lại: Hồ sơ kiểm thử"
        assert f"Lý do: {RETURN_REASON}" in body and "Đặng Thu Hà: Trả lại bổ sung" in body
        assert f"Reason: {RETURN_REASON}" in notify.render_notification(note, "en")[1]
    assert RETURN_REASON in mails["staff_a@example.vn"].body_text


def test_unit_return_tells_the_staff_not_the_head_who_returned_it(session, world):
    dossier = make_dossier(session, world, state="unit_review")
    notes, _ = _fire(session, world, dossier, "unit_return", "head_a", reason=RETURN_REASON)
    assert set(notes) == {"staff_a"}
    assert (
        notes["staff_a"].kind == "returned" and notes["staff_a"].params["reason"] == RETURN_REASON
    )


def test_publication_tells_the_unit_with_the_decision(session, world):
    dossier = make_dossier(session, world, state="approved")
    notes, _ = _fire(session, world, dossier, "publish", "secretary", **DECISION)
    assert set(notes) == {"staff_a", "head_a"}
    title, body = notify.render_notification(notes["head_a"], "vi")
    assert title == "Đã công bố: Hồ sơ kiểm thử"
    assert "Quyết định số 05/QĐ-SGDĐT ngày 05/06/2026" in body


def test_another_units_dossiers_never_reach_unit_b(session, world):
    dossier = make_dossier(session, world, unit="a")
    for trigger, who in (("submit", "staff_a"), ("unit_return", "head_a")):
        notes, _ = _fire(session, world, dossier, trigger, who, reason=RETURN_REASON)
        assert not {"staff_b", "head_b"} & set(notes)


def test_withdrawal_notifies_nobody(session, world):
    dossier = make_dossier(session, world, state="office_review")
    notes, mails = _fire(
        session, world, dossier, "withdraw", "head_a", reason="Rút để đề nghị đợt sau."
    )
    assert notes == {} and mails == {}


def test_a_person_without_e_mail_gets_the_in_app_notification_only(session, world):
    world.users["head_a"].email = None
    dossier = make_dossier(session, world)
    notes, mails = _fire(session, world, dossier, "submit", "staff_a")
    assert set(notes) == {"head_a"} and mails == {}


def test_an_inactive_account_is_not_notified(session, world):
    world.users["reviewer2"].active = False
    dossier = make_dossier(session, world, state="unit_review")
    notes, _ = _fire(session, world, dossier, "unit_approve", "head_a")
    assert set(notes) == {"reviewer"}


def test_a_refused_transition_notifies_nobody(session, world):
    dossier = make_dossier(session, world)
    before = (_last_id(session, Notification), _last_id(session, OutboxEmail))
    with pytest.raises(TransitionRefused):
        fire(session, dossier.id, "unit_approve", world.actor("staff_a"), now=NOW)
    assert (_last_id(session, Notification), _last_id(session, OutboxEmail)) == before


def test_fire_returns_its_audit_event_as_before(session, world):
    dossier = make_dossier(session, world)
    event = fire(session, dossier.id, "submit", world.actor("staff_a"), now=NOW)
    assert (event.action, event.from_state, event.to_state, event.entity_id) == (
        "submit",
        "draft",
        "unit_review",
        dossier.id,
    )


# --- sending through SMTP ------------------------------------------------------------------


def _queued_submit(session, world):
    dossier = make_dossier(session, world)
    _fire(session, world, dossier, "submit", "staff_a")
    session.commit()  # a savepoint here: the test's transaction is rolled back at the end
    return dossier


def test_queued_e_mail_is_delivered_in_vietnamese(session, world, smtp_server):
    dossier = _queued_submit(session, world)
    settings = SmtpSettings(
        host=smtp_server.host,
        port=smtp_server.port,
        sender="vinhdanh@sgd.example.vn",
        base_url="https://vinhdanh.example.vn/",
    )
    result = send_pending(session, settings, limit=10)
    assert (result.sent, result.failed) == (1, 0)
    [received] = smtp_server.messages
    assert received.rcpt_tos == ["head_a@example.vn"]
    assert received.mail_from == "vinhdanh@sgd.example.vn"
    assert received.subject == "[Vinh Danh] Hồ sơ chờ bạn xử lý: Hồ sơ kiểm thử"
    assert "=?utf-8?" in received.message.as_string().lower()  # RFC 2047 on the wire
    assert received.message.get_content_charset() == "utf-8"
    body = received.body
    assert "vừa chuyển sang trạng thái «Chờ thủ trưởng duyệt»" in body
    assert "Awaiting your action" in body  # English follows the Vietnamese
    assert f"https://vinhdanh.example.vn/dossiers/{dossier.id}" in body
    email = session.scalars(select(OutboxEmail)).one()
    assert (email.status, email.attempts, email.last_error) == ("sent", 1, None)
    assert send_pending(session, settings).sent == 0  # never twice


def test_without_smtp_nothing_is_sent_and_the_outbox_is_skipped(session, world, smtp_server):
    _queued_submit(session, world)
    result = send_pending(session, SmtpSettings(), limit=10)
    assert (result.sent, result.skipped, result.errors) == (0, 1, [])
    assert smtp_server.messages == []
    assert session.scalars(select(OutboxEmail.status)).all() == ["skipped"]


def test_smtp_down_records_the_error_and_retries_later(session, world, smtp_server, dead_port):
    _queued_submit(session, world)
    down = SmtpSettings(host="127.0.0.1", port=dead_port, timeout=2)
    result = send_pending(session, down, now=NOW)
    assert (result.sent, result.failed) == (0, 1) and result.errors
    email = session.scalars(select(OutboxEmail)).one()
    assert email.status == "queued" and email.attempts == 1 and email.last_error
    assert email.next_attempt_at == NOW + dt.timedelta(minutes=1)

    up = SmtpSettings(host=smtp_server.host, port=smtp_server.port)
    assert send_pending(session, up, now=NOW).sent == 0  # not before its back-off
    later = NOW + dt.timedelta(minutes=2)
    assert send_pending(session, up, now=later).sent == 1
    assert [m.rcpt_tos for m in smtp_server.messages] == [["head_a@example.vn"]]
    session.refresh(email)
    assert (email.status, email.attempts, email.sent_at) == ("sent", 2, later)


def test_an_e_mail_that_keeps_failing_is_given_up(session, world, dead_port):
    _queued_submit(session, world)
    down = SmtpSettings(host="127.0.0.1", port=dead_port, timeout=2)
    moment = NOW
    for _ in range(MAX_ATTEMPTS):
        send_pending(session, down, now=moment)
        moment += dt.timedelta(days=1)
    email = session.scalars(select(OutboxEmail)).one()
    assert (email.status, email.attempts) == ("failed", MAX_ATTEMPTS)
    assert send_pending(session, down, now=moment).failed == 0


def test_rendering_in_english(session, world):
    dossier = make_dossier(session, world, state="council_review")
    notes, _ = _fire(
        session, world, dossier, "council_defer", "secretary", reason="Cần xác minh thêm."
    )
    title, body = notify.render_notification(notes["reviewer"], "en")
    assert title == "Awaiting your action: Hồ sơ kiểm thử"
    assert "“Under Office review”" in body and "Reason: Cần xác minh thêm." in body
