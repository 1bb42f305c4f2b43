"""A one-time password set by an admin must be changed at the next sign-in before anything
else; the change ends the account's other sessions and is audited."""

from __future__ import annotations

import re

from sqlalchemy import select

from models import AuditEvent
from tests.fixtures.dossiers import page
from tests.fixtures.people import PASSWORD
from tests.fixtures.web import AuthActions, app_db, csrf_from

NEW_PASSWORD = "Mật-khẩu-riêng-2026"


def _one_time_password(client, auth, user_id: int) -> str:
    """The admin resets the account's password with a generated one."""
    auth.login("admin")
    html = page(client, f"/admin/accounts/{user_id}")
    answer = client.post(
        f"/admin/accounts/{user_id}/password", data={"csrf_token": csrf_from(html)}
    )
    password = re.search(r"<code data-password>([^<]+)</code>", answer.get_data(as_text=True))
    auth.logout()
    return password.group(1)


def _change(client, current: str, new: str = NEW_PASSWORD, again: str | None = None):
    html = page(client, "/auth/password")
    data = {
        "current_password": current,
        "password": new,
        "password_again": new if again is None else again,
        "csrf_token": csrf_from(html),
    }
    return client.post("/auth/password", data=data)


def test_every_other_page_waits_for_the_change(app, client, app_world, auth):
    user_id = app_world.users["staff_a"].id
    one_time = _one_time_password(client, auth, user_id)
    assert auth.login("staff_a", one_time).status_code == 302
    for url in ("/", "/dossiers/", "/notifications/", "/dossiers/new/nomination"):
        answer = client.get(url)
        assert answer.status_code == 302 and answer.headers["Location"].endswith(
            "/auth/password"
        ), url
    html = page(client, "/auth/password")
    posted = client.post("/notifications/read-all", data={"csrf_token": csrf_from(html)})
    assert posted.headers["Location"].endswith("/auth/password")
    assert "mật khẩu dùng một lần do người quản trị cấp" in html


def test_the_change_lifts_the_block_and_is_audited(app, client, app_world, auth):
    user_id = app_world.users["staff_a"].id
    one_time = _one_time_password(client, auth, user_id)
    auth.login("staff_a", one_time)
    refused = _change(client, one_time, one_time)  # the same one again
    assert refused.status_code == 400
    assert "phải khác mật khẩu hiện tại" in refused.get_data(as_text=True)
    wrong = _change(client, "sai-mat-khau-roi")
    assert "“Mật khẩu hiện tại” không đúng" in wrong.get_data(as_text=True)
    done = _change(client, one_time)
    assert done.status_code == 302
    assert client.get("/dossiers/").status_code == 200  # this session goes on
    with app_db(app) as session:
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "user_account", AuditEvent.entity_id == user_id)
            .order_by(AuditEvent.seq.desc())
        ).first()
    assert event.action == "change_password" and event.actor_id == user_id
    assert '"forced":true' in event.canonical
    auth.logout()
    assert auth.login("staff_a", NEW_PASSWORD).status_code == 302
    assert client.get("/").status_code == 200


def test_a_typed_password_needs_no_change(app, client, app_world, auth):
    user_id = app_world.users["staff_a"].id
    auth.login("admin")
    html = page(client, f"/admin/accounts/{user_id}")
    client.post(
        f"/admin/accounts/{user_id}/password",
        data={
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
            "csrf_token": csrf_from(html),
        },
    )
    auth.logout()
    auth.login("staff_a", NEW_PASSWORD)
    assert client.get("/dossiers/").status_code == 200


def test_a_new_account_with_a_generated_password_changes_it_first(app, client, app_world, auth):
    auth.login("admin")
    html = page(client, "/admin/accounts/new")
    answer = client.post(
        "/admin/accounts/new",
        data={
            "username": "canbo.moi",
            "full_name": "Cán Bộ Mới",
            "role": "office_reviewer",
            "csrf_token": csrf_from(html),
        },
    )
    one_time = re.search(r"<code data-password>([^<]+)</code>", answer.get_data(as_text=True))
    auth.logout()
    auth.login("canbo.moi", one_time.group(1))
    assert client.get("/office/").headers["Location"].endswith("/auth/password")


def test_changing_ends_the_other_sessions(app, client, app_world, auth):
    other = app.test_client()
    AuthActions(other).login("staff_a")
    auth.login("staff_a")
    _change(client, PASSWORD)
    assert client.get("/dossiers/").status_code == 200
    assert "/auth/login" in other.get("/dossiers/").headers["Location"]


def test_sign_out_stays_open_while_the_change_waits(app, client, app_world, auth):
    one_time = _one_time_password(client, auth, app_world.users["staff_a"].id)
    auth.login("staff_a", one_time)
    html = page(client, "/auth/password")
    out = client.post("/auth/logout", data={"csrf_token": csrf_from(html)})
    assert out.headers["Location"].endswith("/auth/login")
