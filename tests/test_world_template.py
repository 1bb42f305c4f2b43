"""The standard cast that tests get from a template database (``world_template``) is the one
``build_world`` makes in a test: the same rows, the same objects, attached to the test's
session."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, select

from models import Person, User, make_sessionmaker
from tests.fixtures.people import build_world

pytestmark = pytest.mark.db


# Drawn at random for each account: a salted hash, a token.
RANDOM = {"password_hash", "session_token"}


def columns(obj) -> dict:
    """The object's column values, but for times (the real clock's seconds differ) and what
    is drawn at random."""
    values = {a.key: getattr(obj, a.key) for a in inspect(obj).mapper.column_attrs}
    return {k: v for k, v in values.items() if not isinstance(v, dt.datetime) and k not in RANDOM}


def objects(world) -> dict:
    found = {"campaign": world.campaign, "ad_hoc": world.ad_hoc}
    for name in ("units", "users", "awards", "people"):
        found.update({f"{name}.{key}": obj for key, obj in getattr(world, name).items()})
    return found


def test_the_cast_is_the_one_build_world_makes(session, world, fresh_engine, tmp_path):
    with make_sessionmaker(fresh_engine)() as other:
        built = build_world(other, tmp_path / "built")
        other.commit()
        mine, theirs = objects(world), objects(built)
        assert mine.keys() == theirs.keys()
        for key, obj in mine.items():
            assert columns(obj) == columns(theirs[key]), key
        assert world.actors == built.actors
        for key, user in world.users.items():
            assert [columns(g) for g in user.grants] == [
                columns(g) for g in built.users[key].grants
            ]
        rows = {
            "users": (
                session.scalars(select(User.username)).all(),
                other.scalars(select(User.username)).all(),
            ),
            "people": (
                session.scalars(select(Person.full_name)).all(),
                other.scalars(select(Person.full_name)).all(),
            ),
        }
    for table, (here, there) in rows.items():
        assert sorted(here) == sorted(there), table
    assert world.upload_dir == tmp_path / "uploads"


def test_the_cast_is_in_the_tests_session_and_rolled_back_after(session, world):
    staff = world.users["staff_a"]
    assert inspect(staff).session is session and not inspect(staff).modified
    assert session.get(User, staff.id) is staff
    assert staff.grants[0].user is staff
    staff.full_name = "Tên đổi trong phép thử"
    session.flush()


def test_the_change_of_the_test_before_is_gone(session, world):
    assert world.users["staff_a"].full_name == "Nguyễn Thị Hồng"
    assert session.get(User, world.users["staff_a"].id).full_name == "Nguyễn Thị Hồng"
