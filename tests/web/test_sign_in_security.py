"""Sign-in as an attacker sees it: copied cookies after sign-out, and the throttle that must
not become a way to lock someone else out."""

from __future__ import annotations

import re

from tests.fixtures.web import AuthActions, app_db
from web import create_app
from workflow.accounts.service import FREE_FAILURES, change_password, deactivate

ATTACKER, OWNER = "203.0.113.9", "10.1.2.3"


def _client_from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client, AuthActions(client)


def _replay(app, cookie: str):
    """A fresh browser holding a copy of someone's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get("/")


def _user(session, app_world, name: str):
    return session.get(type(app_world.users[name]), app_world.users[name].id)


def test_a_cookie_copied_before_sign_out_is_worthless_after(app, client, app_world, auth):
    auth.login("staff_a")
    cookie = client.get_cookie("session").value
    assert _replay(app, cookie).status_code == 200  # the copy works while signed in
    auth.logout()
    response = _replay(app, cookie)
    assert response.status_code == 302 and response.location.startswith("/auth/login")


def test_password_change_and_deactivation_end_every_session(app, client, app_world, auth):
    auth.login("staff_a")
    cookie = client.get_cookie("session").value
    with app_db(app) as session:
        change_password(_user(session, app_world, "staff_a"), "Mật-khẩu-mới-2")
    assert _replay(app, cookie).status_code == 302
    assert client.get("/").status_code == 302

    auth.login("staff_a", "Mật-khẩu-mới-2")
    cookie = client.get_cookie("session").value
    with app_db(app) as session:
        deactivate(_user(session, app_world, "staff_a"))
    with app_db(app) as session:  # reactivated: old sessions stay dead
        _user(session, app_world, "staff_a").active = True
    assert _replay(app, cookie).status_code == 302


def test_an_attacker_elsewhere_cannot_lock_a_reviewer_out(app, app_world):
    _, attacker = _client_from(app, ATTACKER)
    codes = [attacker.login("reviewer", "đoán-mò").status_code for _ in range(FREE_FAILURES + 4)]
    assert 429 in codes
    owner_client, owner = _client_from(app, OWNER)
    response = owner.login("reviewer")
    assert response.status_code == 302 and owner_client.get("/").status_code == 200


def test_a_throttled_person_is_told_when_to_try_again(app, app_world):
    client, auth = _client_from(app, OWNER)
    for _ in range(FREE_FAILURES):
        wrong = auth.login("reviewer", "sai-mật-khẩu")
        assert wrong.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in wrong.get_data(as_text=True)
    auth.login("reviewer", "sai-mật-khẩu")  # the first failure that costs a wait
    response = auth.login("reviewer")  # even the right password waits
    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])
    assert 0 < wait <= 30
    html = response.get_data(as_text=True)
    match = re.search(
        r"Đăng nhập sai nhiều lần liên tiếp từ địa chỉ này\. Vui lòng thử lại sau "
        r"(\d\d:\d\d:\d\d \d\d/\d\d/\d{4}) \(còn (\d+) giây\)\.",
        html,
    )
    assert match and int(match.group(2)) == wait
    assert client.get("/").status_code == 302


def test_the_throttle_holds_across_two_app_processes(app, web_url, tmp_path, app_world):
    other = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": web_url,
            "SECRET_KEY": "test-secret",
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "RATELIMIT_ENABLED": False,
        }
    )
    try:
        pairs = [_client_from(app, ATTACKER)[1], _client_from(other, ATTACKER)[1]]
        for attempt in range(FREE_FAILURES + 1):
            assert pairs[attempt % 2].login("reviewer", "sai").status_code == 200
        assert all(actions.login("reviewer").status_code == 429 for actions in pairs)
    finally:
        other.extensions["vinhdanh.engine"].dispose()
