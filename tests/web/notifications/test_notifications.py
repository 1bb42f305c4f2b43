"""Notifications in the web app: e-mail sent after an action's commit (to a real local SMTP
server), the list, the unread badge, marking read with CSRF, and nobody else's."""

from __future__ import annotations

import re

from sqlalchemy import delete, select

from models import Notification, OutboxEmail
from tests.fixtures.dossiers import act, page
from tests.fixtures.dossiers import setup_dossier as _setup_dossier
from tests.fixtures.web import csrf_from

REASON = "Bổ sung biên bản họp Hội đồng thi đua đơn vị."


def setup_dossier(app, world, **kw) -> int:
    """A dossier moved by the engine; the e-mails its set-up queued are dropped."""
    dossier_id = _setup_dossier(app, world, **kw)
    session = app.extensions["vinhdanh.write"]()
    try:
        session.execute(delete(OutboxEmail))
        session.commit()
    finally:
        session.close()
    return dossier_id


def _rows(app, model, *where):
    session = app.extensions["vinhdanh.write"]()
    try:
        return session.scalars(select(model).where(*where).order_by(model.id)).all()
    finally:
        session.close()


def _notes_of(app, world, username):
    return _rows(app, Notification, Notification.user_id == world.users[username].id)


def _badge(html: str):
    match = re.search(r'data-unread="(\d+)"', html)
    return int(match.group(1)) if match else 0


def _use_smtp(app, host: str, port: int) -> None:
    app.config.update(SMTP_HOST=host, SMTP_PORT=port, SMTP_SENDER="vinhdanh@sgd.example.vn")


# --- e-mail after the action ---------------------------------------------------------------


def test_an_action_sends_the_e_mail_after_its_commit(app, client, app_world, auth, smtp_server):
    _use_smtp(app, smtp_server.host, smtp_server.port)
    dossier_id = setup_dossier(app, app_world, state="unit_review")
    before = max(n.id for n in _rows(app, Notification))
    auth.login("head_a")
    response = act(client, dossier_id, "unit_approve", follow=True)
    assert response.status_code == 200
    assert sorted(a for m in smtp_server.messages for a in m.rcpt_tos) == [
        "reviewer2@example.vn",
        "reviewer@example.vn",
    ]
    message = smtp_server.to("reviewer@example.vn")[0]
    assert message.subject == "[Vinh Danh] Hồ sơ chờ bạn xử lý: Hồ sơ kiểm thử"
    assert "Trần Văn Bình: Duyệt và gửi Sở" in message.body
    assert f"http://localhost/dossiers/{dossier_id}" in message.body  # the request's own address
    assert {e.status for e in _rows(app, OutboxEmail)} == {"sent"}
    users = {u.id: name for name, u in app_world.users.items()}
    assert sorted(users[n.user_id] for n in _rows(app, Notification, Notification.id > before)) == [
        "reviewer",
        "reviewer2",
    ]  # not the actor


def test_without_smtp_the_action_works_and_nothing_is_sent(
    app, client, app_world, auth, smtp_server
):
    assert app.config["SMTP_HOST"] == ""
    dossier_id = setup_dossier(app, app_world, state="unit_review")
    auth.login("head_a")
    response = act(client, dossier_id, "unit_approve", follow=True)
    assert response.status_code == 200 and "Đã thực hiện: Duyệt và gửi Sở." in response.get_data(
        as_text=True
    )
    assert smtp_server.messages == []
    assert {e.status for e in _rows(app, OutboxEmail)} == {"skipped"}
    assert len(_notes_of(app, app_world, "reviewer")) == 1  # in-app still works


def test_smtp_down_never_breaks_the_action(app, client, app_world, auth, dead_port):
    _use_smtp(app, "127.0.0.1", dead_port)
    dossier_id = setup_dossier(app, app_world, state="unit_review")
    auth.login("head_a")
    response = act(client, dossier_id, "unit_approve", follow=True)
    assert response.status_code == 200 and "Đã thực hiện" in response.get_data(as_text=True)
    emails = _rows(app, OutboxEmail)
    assert len(emails) == 2
    assert all(e.status == "queued" and e.attempts == 1 and e.last_error for e in emails)


def test_returned_the_unit_sees_the_reason_in_app(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world, state="office_review")
    auth.login("reviewer")
    act(client, dossier_id, "office_return", reason=REASON)
    auth.logout()
    auth.login("staff_a")
    html = page(client, "/notifications/")
    assert "Hồ sơ bị trả lại: Hồ sơ kiểm thử" in html and f"Lý do: {REASON}" in html


# --- the list, the badge, marking read -----------------------------------------------------


def _submitted(app, client, world, auth) -> int:
    """staff_a submits a dossier; head_a gets one notification. Returns the dossier id."""
    dossier_id = setup_dossier(app, world)
    auth.login("staff_a")
    act(client, dossier_id, "submit")
    auth.logout()
    return dossier_id


def test_the_list_and_the_unread_badge(app, client, app_world, auth):
    dossier_id = _submitted(app, client, app_world, auth)
    auth.login("head_a")
    home = page(client, "/")
    assert _badge(home) == 1 and 'href="/notifications/"' in home
    html = page(client, "/notifications/")
    assert "Hồ sơ chờ bạn xử lý: Hồ sơ kiểm thử" in html
    assert 'class="card unread"' in html and "Mới" in html
    assert "Nguyễn Thị Hồng: Gửi thủ trưởng duyệt" in html
    note = _notes_of(app, app_world, "head_a")[0]
    assert note.link == f"/dossiers/{dossier_id}"
    auth.logout()
    auth.login("staff_b")
    assert _badge(page(client, "/")) == 0
    assert "Bạn chưa có thông báo nào." in page(client, "/notifications/")


def test_mark_one_read_then_the_badge_goes(app, client, app_world, auth):
    _submitted(app, client, app_world, auth)
    auth.login("head_a")
    note = _notes_of(app, app_world, "head_a")[0]
    html = page(client, "/notifications/")
    response = client.post(f"/notifications/{note.id}/read", data={"csrf_token": csrf_from(html)})
    assert response.status_code == 302 and response.location.endswith("/notifications/")
    assert _notes_of(app, app_world, "head_a")[0].read_at is not None
    assert _badge(page(client, "/")) == 0
    assert 'class="card unread"' not in page(client, "/notifications/")


def test_opening_an_unread_notification_marks_it_and_goes_to_the_dossier(
    app, client, app_world, auth
):
    dossier_id = _submitted(app, client, app_world, auth)
    auth.login("head_a")
    note = _notes_of(app, app_world, "head_a")[0]
    html = page(client, "/notifications/")
    response = client.post(
        f"/notifications/{note.id}/read", data={"csrf_token": csrf_from(html), "open": "1"}
    )
    assert response.status_code == 302 and response.location.endswith(f"/dossiers/{dossier_id}")
    assert _notes_of(app, app_world, "head_a")[0].read_at is not None


def test_mark_read_needs_the_csrf_token(app, client, app_world, auth):
    _submitted(app, client, app_world, auth)
    auth.login("head_a")
    note = _notes_of(app, app_world, "head_a")[0]
    response = client.post(f"/notifications/{note.id}/read", data={})
    assert response.status_code == 400
    assert _notes_of(app, app_world, "head_a")[0].read_at is None


def test_another_persons_notification_cannot_be_marked(app, client, app_world, auth):
    _submitted(app, client, app_world, auth)
    note = _notes_of(app, app_world, "head_a")[0]
    auth.login("head_b")
    html = page(client, "/notifications/")
    response = client.post(f"/notifications/{note.id}/read", data={"csrf_token": csrf_from(html)})
    assert response.status_code == 404
    assert (
        client.post("/notifications/999999/read", data={"csrf_token": csrf_from(html)}).status_code
        == 404
    )
    assert _notes_of(app, app_world, "head_a")[0].read_at is None


def test_mark_all_read(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world, state="unit_review")
    auth.login("head_a")
    act(client, dossier_id, "unit_return", reason=REASON)
    act(client, setup_dossier(app, app_world, state="unit_review"), "unit_return", reason=REASON)
    auth.logout()
    auth.login("staff_a")
    html = page(client, "/notifications/")
    assert _badge(html) == 2
    response = client.post(
        "/notifications/read-all", data={"csrf_token": csrf_from(html)}, follow_redirects=True
    )
    assert "Đã đánh dấu 2 thông báo là đã đọc." in response.get_data(as_text=True)
    assert all(n.read_at for n in _notes_of(app, app_world, "staff_a"))
    assert _badge(page(client, "/")) == 0


def test_the_list_in_english(app, client, app_world, auth):
    _submitted(app, client, app_world, auth)
    auth.login("head_a")
    home = page(client, "/")
    client.post("/lang/en", data={"csrf_token": csrf_from(home), "next": "/notifications/"})
    html = page(client, "/notifications/")
    assert "Awaiting your action: Hồ sơ kiểm thử" in html and "1 unread" in html


def test_visitors_are_sent_to_sign_in(client, app_world):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/auth/login" in response.location
    assert "data-unread" not in page(client, "/public/")
