"""Administering units and accounts: only administrators, every change audited with its diff,
a stale form refused, a refused change writes nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from models import AuditEvent, Unit
from models.passwords import verify_password
from tests.fixtures.people import NOW, PASSWORD
from workflow.accounts import account_admin, admin_imports, unit_admin
from workflow.accounts.admin import AdminRefused, stamp
from workflow.accounts.service import FREE_FAILURES, Throttled, authenticate
from workflow.core.errors import StaleVersion

pytestmark = pytest.mark.db

UNIT = {"code": "mn-hoa-sen", "name": "Trường Mầm non Hoa Sen", "kind": "preschool"}


def _events(session, entity_type: str) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.entity_type == entity_type)
    return list(session.scalars(stmt.order_by(AuditEvent.seq)))


def test_only_an_administrator_administers(session, world):
    for username in ("reviewer", "secretary", "head_a"):
        with pytest.raises(AdminRefused) as refused:
            unit_admin.create_unit(session, world.actor(username), UNIT)
        assert refused.value.is_permission
    assert _events(session, "unit") == []


def test_a_unit_is_created_with_its_search_key_and_audited(session, world):
    unit = unit_admin.create_unit(session, world.actor("admin"), UNIT)
    assert (unit.code, unit.search_key) == ("MN-HOA-SEN", "truong mam non hoa sen mn-hoa-sen")
    assert json.loads(_events(session, "unit")[0].changes)["kind"] == "preschool"
    found = session.scalars(unit_admin.units_query("hoa sen", "preschool", "active")).all()
    assert found == [unit]


def test_a_stale_stamp_is_refused_and_changes_nothing(session, world):
    unit = world.units["a"]
    drawn = stamp(unit_admin.snapshot(unit))
    admin = world.actor("admin")
    values = {**unit_admin.snapshot(unit), "name": "Tên mới"}
    unit_admin.update_unit(session, admin, unit.id, values, expected_stamp=drawn)
    with pytest.raises(StaleVersion) as stale:
        unit_admin.update_unit(
            session, admin, unit.id, {**values, "name": "Khác"}, expected_stamp=drawn
        )
    assert stale.value.current_version == stamp(unit_admin.snapshot(unit))
    assert "Người quản trị khác" in stale.value.messages("vi")[0]
    assert session.get(Unit, unit.id).name == "Tên mới"


def test_a_reset_sets_the_password_lifts_the_lock_and_ends_sessions(session, world):
    user = world.users["staff_a"]
    for _ in range(FREE_FAILURES + 1):
        authenticate(session, "staff_a", "sai", NOW, source="203.0.113.9")
    with pytest.raises(Throttled):
        authenticate(session, "staff_a", PASSWORD, NOW, source="203.0.113.9")
    token = user.session_token
    typed = {"password": "Mật-khẩu-mới-2026", "password_again": "Mật-khẩu-mới-2026"}
    assert account_admin.reset_password(session, world.actor("admin"), user.id, typed) is None
    assert verify_password(user.password_hash, "Mật-khẩu-mới-2026")
    assert user.session_token != token
    assert authenticate(session, "staff_a", "Mật-khẩu-mới-2026", NOW, source="203.0.113.9")
    with pytest.raises(AdminRefused):
        account_admin.reset_password(session, world.actor("admin"), user.id, {"password": "ngắn"})
    event = _events(session, "user_account")[-1]
    assert (event.action, json.loads(event.changes)) == ("reset_password", {"password": "typed"})


def test_an_admin_keeps_their_own_admin_role(session, world):
    admin = world.users["admin"]
    with pytest.raises(AdminRefused):
        account_admin.remove_grant(session, world.actor("admin"), admin.id, admin.grants[0].id)
    assert [g.role for g in admin.grants] == ["admin"]


def test_an_import_audits_each_unit_and_account_it_touched(session, world):
    admin = world.actor("admin")
    text = "code,name,kind\nTH-A,Trường Tiểu học A,primary\nSGDDT,Sở GDĐT Hải Phòng,department\n"
    result = admin_imports.import_units(session, admin, text)
    assert (result.created, result.updated) == (1, 1)
    assert sorted(e.action for e in _events(session, "unit")) == ["import_create", "import_update"]
    users = "username,full_name,role,unit_code\nstaff_a,Nguyễn Thị Hồng,unit_head,TH-A\n"
    admin_imports.import_users(session, admin, users)
    (event,) = _events(session, "user_account")
    assert event.action == "import_update" and "grants" in json.loads(event.changes)
    bad = admin_imports.import_users(session, admin, "username,full_name,role\nx,Y,khong-co\n")
    assert (
        bad.errors
        and session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity_type == "user_account")
        )
        == 1
    )
