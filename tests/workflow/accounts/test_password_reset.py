"""Reset links at the service level, on SQLite and PostgreSQL: stored hashed, spent once (two
uses at once: exactly one wins), expiring, and the forced change of a one-time password."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import PasswordResetToken, User
from models.passwords import verify_password
from tests.fixtures.people import PASSWORD, build_world
from workflow.accounts import account_admin, password_reset
from workflow.accounts.admin import AdminRefused
from workflow.accounts.password_reset import LINK_LIFETIME, LinkRefused

NOW = dt.datetime(2026, 12, 6, 2, 0, tzinfo=dt.UTC)
NEW = {"password": "Mật-khẩu-mới-2026", "password_again": "Mật-khẩu-mới-2026"}


def _secret(mail) -> str:
    return mail.path.rsplit("/", 1)[1]


@pytest.mark.db
def test_a_link_is_stored_hashed_and_spent_once(session, world):
    assert password_reset.request_link(session, "khong-co-ai", NOW) == []
    [mail] = password_reset.request_link(session, "Staff_A", NOW)
    assert mail.to_address == "staff_a@example.vn"
    secret = _secret(mail)
    token = session.scalar(select(PasswordResetToken))
    assert token.token_hash == password_reset.digest(secret) and secret not in token.token_hash
    assert secret in mail.body("https://vinhdanh.example.vn")
    user = password_reset.reset_with_link(session, secret, NEW, NOW + dt.timedelta(minutes=5))
    assert verify_password(user.password_hash, NEW["password"])
    with pytest.raises(LinkRefused) as refused:
        password_reset.live_link(session, secret, NOW + dt.timedelta(minutes=6))
    assert refused.value.why == "used"


@pytest.mark.db
def test_a_link_expires(session, world):
    [mail] = password_reset.request_link(session, "staff_a", NOW)
    password_reset.live_link(session, _secret(mail), NOW + LINK_LIFETIME - dt.timedelta(seconds=1))
    with pytest.raises(LinkRefused) as refused:
        password_reset.reset_with_link(session, _secret(mail), NEW, NOW + LINK_LIFETIME)
    assert refused.value.why == "expired"


@pytest.mark.db
def test_a_bad_password_spends_nothing(session, world):
    [mail] = password_reset.request_link(session, "staff_a", NOW)
    with pytest.raises(AdminRefused):
        password_reset.reset_with_link(session, _secret(mail), {"password": "ngắn"}, NOW)
    assert password_reset.live_link(session, _secret(mail), NOW).used_at is None


@pytest.mark.db
def test_the_one_time_password_must_be_changed(session, world):
    admin = world.actor("admin")
    user_id = world.users["staff_a"].id
    one_time = account_admin.reset_password(session, admin, user_id, {}, NOW)
    user = session.get(User, user_id)
    assert one_time and user.must_change_password
    with pytest.raises(AdminRefused):
        password_reset.change_own_password(
            session, user_id, {"current_password": one_time, **{k: one_time for k in NEW}}
        )
    password_reset.change_own_password(session, user_id, {"current_password": one_time, **NEW})
    assert not user.must_change_password
    account_admin.reset_password(session, admin, user_id, dict(NEW), NOW)
    assert not user.must_change_password  # a typed password is not a one-time one


@pytest.mark.db
def test_two_uses_of_one_link_at_once_one_wins(fresh_engine, tmp_path):
    with Session(fresh_engine) as setup:
        build_world(setup, tmp_path)
        [mail] = password_reset.request_link(setup, "staff_a", NOW)
        setup.commit()
    secret = _secret(mail)
    first, second = Session(fresh_engine), Session(fresh_engine)
    try:
        password_reset.reset_with_link(first, secret, NEW, NOW)  # not committed yet
        outcome: dict[str, object] = {}

        def use_again() -> None:
            try:  # waits for the first use's lock, then finds the link spent
                other = {"password": "Mật-khẩu-khác-2026", "password_again": "Mật-khẩu-khác-2026"}
                password_reset.reset_with_link(second, secret, other, NOW)
                second.commit()
                outcome["done"] = True
            except LinkRefused as refused:
                second.rollback()
                outcome["refused"] = refused.why

        thread = threading.Thread(target=use_again)
        thread.start()
        first.commit()
        thread.join(60)
        assert not thread.is_alive()
        assert outcome == {"refused": "used"}
    finally:
        first.close()
        second.close()
    with Session(fresh_engine) as check:
        user = check.scalar(select(User).where(User.username == "staff_a"))
        assert verify_password(user.password_hash, NEW["password"])
        assert not verify_password(user.password_hash, PASSWORD)
