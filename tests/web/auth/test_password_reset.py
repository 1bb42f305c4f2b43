"""The password reset by a one-time e-mailed link: the link arrives by real SMTP (a local
server), works once, expires after an hour, is stored only as its hash, answers the same
whether or not the account exists, ends the account's sessions and lifts its throttle; the
admin sends the same link from the account's page. Every step is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from sqlalchemy import select

from models import AuditEvent, PasswordResetToken, User
from models.clock import clock_at
from models.org import LoginThrottle
from tests.fixtures import TEST_NOW
from tests.fixtures.dossiers import page
from tests.fixtures.people import PASSWORD
from tests.fixtures.web import AuthActions, app_db, csrf_from
from workflow.accounts.service import FREE_FAILURES

NEW_PASSWORD = "Mật-khẩu-riêng-2026"
LINK = re.compile(r"https?://\S+/auth/reset/([A-Za-z0-9_-]+)")


def _use_smtp(app, smtp_server) -> None:
    app.config.update(
        SMTP_HOST=smtp_server.host, SMTP_PORT=smtp_server.port, SMTP_SENDER="vd@sgd.example.vn"
    )


def _ask(client, account: str):
    html = page(client, "/auth/forgot")
    response = client.post("/auth/forgot", data={"account": account, "csrf_token": csrf_from(html)})
    response.get_data()
    response.close()  # the e-mail goes once the response is out, as a server sends it
    return response


def _secret_of(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def _set_password(client, secret: str, password: str = NEW_PASSWORD, again: str | None = None):
    response = client.get(f"/auth/reset/{secret}")
    if response.status_code != 200:
        return response
    data = {
        "password": password,
        "password_again": password if again is None else again,
        "csrf_token": csrf_from(response.get_data(as_text=True)),
    }
    return client.post(f"/auth/reset/{secret}", data=data)


def _events(app, user_id: int) -> list[AuditEvent]:
    with app_db(app) as session:
        return session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "user_account", AuditEvent.entity_id == user_id)
            .order_by(AuditEvent.seq)
        ).all()


def test_the_link_arrives_by_smtp_and_works_once(app, client, app_world, auth, smtp_server):
    _use_smtp(app, smtp_server)
    answer = _ask(client, "staff_a")
    assert answer.status_code == 200
    assert "Hãy kiểm tra hộp thư" in answer.get_data(as_text=True)
    [message] = smtp_server.to("staff_a@example.vn")
    assert "Đặt lại mật khẩu" in message.subject
    secret = _secret_of(message)

    done = _set_password(client, secret)
    assert done.status_code == 302 and done.headers["Location"].endswith("/auth/login")
    assert auth.login("staff_a", PASSWORD).status_code == 200  # the old one no longer works
    assert auth.login("staff_a", NEW_PASSWORD).status_code == 302
    auth.logout()

    again = client.get(f"/auth/reset/{secret}")
    assert again.status_code == 410
    assert "đã được dùng" in again.get_data(as_text=True)
    actions = [e.action for e in _events(app, app_world.users["staff_a"].id)]
    assert actions[-2:] == ["request_reset_link", "reset_password"]


def test_only_the_hash_of_the_link_is_stored(app, client, app_world, smtp_server):
    _use_smtp(app, smtp_server)
    _ask(client, "staff_a@example.vn")  # the e-mail address finds the account too
    secret = _secret_of(smtp_server.to("staff_a@example.vn")[0])
    with app_db(app) as session:
        [token] = session.scalars(select(PasswordResetToken)).all()
        assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        stored = " ".join(e.canonical for e in session.scalars(select(AuditEvent)))
    assert secret not in stored


def test_the_answer_is_the_same_whether_or_not_the_account_exists(
    app, client, app_world, smtp_server
):
    _use_smtp(app, smtp_server)
    known = _ask(client, "staff_a").get_data(as_text=True)
    unknown = _ask(client, "khong-co-ai").get_data(as_text=True)
    strip = re.compile(r'name="csrf_token" value="[^"]+"')
    assert strip.sub("", known) == strip.sub("", unknown)
    assert [m.rcpt_tos for m in smtp_server.messages] == [["staff_a@example.vn"]]


def test_a_link_expires_after_an_hour(app, client, app_world, smtp_server):
    _use_smtp(app, smtp_server)
    _ask(client, "staff_a")
    secret = _secret_of(smtp_server.messages[0])
    with clock_at(TEST_NOW + dt.timedelta(minutes=59)):
        assert client.get(f"/auth/reset/{secret}").status_code == 200
    with clock_at(TEST_NOW + dt.timedelta(minutes=61)):
        expired = _set_password(client, secret)
    assert expired.status_code == 410
    assert "đã hết hạn" in expired.get_data(as_text=True)


def test_an_unknown_link_says_so(client, app_world):
    answer = client.get("/auth/reset/khong-phai-lien-ket")
    assert answer.status_code == 404
    assert answer.headers["Referrer-Policy"] == "no-referrer"  # the address holds the secret
    assert "Yêu cầu liên kết mới" in answer.get_data(as_text=True)


def test_a_short_password_is_refused_and_the_link_still_works(app, client, app_world, smtp_server):
    _use_smtp(app, smtp_server)
    _ask(client, "staff_a")
    secret = _secret_of(smtp_server.messages[0])
    refused = _set_password(client, secret, "ngắn")
    assert refused.status_code == 400
    assert "cần ít nhất 10 ký tự" in refused.get_data(as_text=True)
    mismatch = _set_password(client, secret, NEW_PASSWORD, again="Khác-hẳn-2026")
    assert "không khớp" in mismatch.get_data(as_text=True)
    assert _set_password(client, secret).status_code == 302


def test_the_reset_ends_other_sessions_and_lifts_the_throttle(
    app, app_world, client, auth, smtp_server
):
    _use_smtp(app, smtp_server)
    other = app.test_client()
    AuthActions(other).login("staff_a")
    assert other.get("/dossiers/").status_code == 200
    for _ in range(FREE_FAILURES + 1):
        auth.login("staff_a", "sai-mat-khau")
    _ask(client, "staff_a")
    _set_password(client, _secret_of(smtp_server.messages[0]))
    with app_db(app) as session:
        assert session.scalars(select(LoginThrottle)).all() == []
    assert "/auth/login" in other.get("/dossiers/").headers["Location"]
    assert auth.login("staff_a", NEW_PASSWORD).status_code == 302


def test_only_the_newest_links_are_sent_within_the_hour(app, client, app_world, smtp_server):
    _use_smtp(app, smtp_server)
    for _ in range(5):
        _ask(client, "staff_a")
    assert len(smtp_server.messages) == 3


def test_a_deactivated_account_gets_no_link(app, client, app_world, smtp_server):
    _use_smtp(app, smtp_server)
    with app_db(app) as session:
        session.get(User, app_world.users["staff_a"].id).active = False
    _ask(client, "staff_a")
    assert smtp_server.messages == []


def test_without_smtp_the_page_says_to_ask_the_admin(client, app_world):
    html = page(client, "/auth/forgot")
    assert "chưa được cấu hình gửi thư" in html
    assert "Quên mật khẩu?" in page(client, "/auth/login")


def test_the_admin_sends_the_link_from_the_account_page(app, client, app_world, auth, smtp_server):
    _use_smtp(app, smtp_server)
    auth.login("admin")
    user_id = app_world.users["staff_a"].id
    html = page(client, f"/admin/accounts/{user_id}")
    assert "Gửi liên kết qua thư" in html
    answer = client.post(
        f"/admin/accounts/{user_id}/reset-link",
        data={"csrf_token": csrf_from(html)},
        follow_redirects=True,  # following the redirect closes the response: the e-mail goes
    )
    assert "Đã gửi liên kết đặt lại mật khẩu tới staff_a@example.vn" in answer.get_data(
        as_text=True
    )
    secret = _secret_of(smtp_server.to("staff_a@example.vn")[0])
    auth.logout()
    assert _set_password(client, secret).status_code == 302
    events = _events(app, user_id)
    sent = next(e for e in events if e.action == "send_reset_link")
    assert sent.actor_id == app_world.users["admin"].id
    assert events[-1].action == "reset_password"


def test_the_admin_cannot_send_a_link_to_an_account_without_an_address(
    app, client, app_world, auth, smtp_server
):
    _use_smtp(app, smtp_server)
    with app_db(app) as session:
        session.get(User, app_world.users["staff_a"].id).email = None
    auth.login("admin")
    user_id = app_world.users["staff_a"].id
    html = page(client, f"/admin/accounts/{user_id}")
    answer = client.post(
        f"/admin/accounts/{user_id}/reset-link", data={"csrf_token": csrf_from(html)}
    )
    assert answer.status_code == 400
    assert "chưa có địa chỉ thư điện tử" in answer.get_data(as_text=True)
    assert smtp_server.messages == []
