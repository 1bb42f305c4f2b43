"""Sign-in throttled per account and source together, and the ends of a session."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from sqlalchemy import select

from models.org import LoginThrottle
from tests.fixtures.people import PASSWORD
from workflow.accounts.service import (
    FIRST_DELAY,
    FORGET_AFTER,
    FREE_FAILURES,
    MAX_DELAY,
    Throttled,
    authenticate,
    change_password,
    deactivate,
    delay_after,
    sign_out,
)

NOW = dt.datetime(2026, 12, 5, 8, 0, tzinfo=dt.UTC)
ATTACKER, OWNER = "203.0.113.9", "10.1.2.3"


def _fail(session, now, source=ATTACKER, username="reviewer"):
    assert authenticate(session, username, "sai-mật-khẩu", now, source=source) is None


@pytest.mark.db
def test_an_attacker_elsewhere_cannot_lock_the_owner_out(session, world):
    for _ in range(FREE_FAILURES + 6):
        with contextlib.suppress(Throttled):
            _fail(session, NOW)
    with pytest.raises(Throttled):
        authenticate(session, "reviewer", PASSWORD, NOW, source=ATTACKER)
    user = authenticate(session, "Reviewer", PASSWORD, NOW, source=OWNER)
    assert user is not None and user.username == "reviewer"


@pytest.mark.db
def test_delays_grow_after_the_free_failures(session, world):
    now, waits = NOW, []
    for _ in range(FREE_FAILURES + 5):
        _fail(session, now)
        until = session.scalar(
            select(LoginThrottle.blocked_until).where(LoginThrottle.source == ATTACKER)
        )
        wait = (until - now) if until else dt.timedelta(0)
        waits.append(wait)
        if wait:
            with pytest.raises(Throttled):  # too early: refused, and not counted
                _fail(session, now + wait - dt.timedelta(seconds=1))
        now += wait
    assert waits[:FREE_FAILURES] == [dt.timedelta(0)] * FREE_FAILURES
    assert waits[FREE_FAILURES:] == [FIRST_DELAY * 2**i for i in range(5)]
    assert [delay_after(n).total_seconds() for n in range(FREE_FAILURES, FREE_FAILURES + 8)] == [
        0.0,
        30.0,
        60.0,
        120.0,
        240.0,
        480.0,
        900.0,
        900.0,
    ]
    assert delay_after(10_000) == MAX_DELAY


@pytest.mark.db
def test_unknown_names_are_throttled_like_real_ones(session, world):
    for _ in range(FREE_FAILURES + 1):
        _fail(session, NOW, username="khong-co-ai")
    with pytest.raises(Throttled) as raised:
        authenticate(session, "khong-co-ai", "x", NOW, source=ATTACKER)
    assert raised.value.retry_after == FIRST_DELAY.total_seconds()


@pytest.mark.db
def test_success_resets_only_its_own_pair_and_idle_pairs_are_forgotten(session, world):
    for _ in range(FREE_FAILURES - 1):
        _fail(session, NOW, source=ATTACKER)
        _fail(session, NOW, source=OWNER)
    assert authenticate(session, "reviewer", PASSWORD, NOW, source=OWNER) is not None
    sources = set(session.scalars(select(LoginThrottle.source)))
    assert sources == {ATTACKER}
    _fail(session, NOW + FORGET_AFTER + dt.timedelta(seconds=1), source=OWNER)
    rows = dict(session.execute(select(LoginThrottle.source, LoginThrottle.failures)).all())
    assert rows == {OWNER: 1}  # the attacker's idle pair was swept


@pytest.mark.db
def test_sign_out_password_change_and_deactivation_rotate_the_token(session, world):
    user = world.users["staff_a"]
    tokens = [user.session_token]
    sign_out(session, user.id)
    tokens.append(user.session_token)
    change_password(user, "Mật-khẩu-mới-2")
    tokens.append(user.session_token)
    deactivate(user)
    tokens.append(user.session_token)
    assert len(set(tokens)) == 4 and not user.active
    assert authenticate(session, "staff_a", "Mật-khẩu-mới-2", NOW, source=OWNER) is None
