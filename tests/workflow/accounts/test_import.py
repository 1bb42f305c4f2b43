"""Importing units and users from CSV: all-or-nothing, idempotent, errors name the line."""

import pytest
from sqlalchemy import func, select

from models import AuditEvent, RoleGrant, Unit, User
from models.passwords import verify_password
from tests.fixtures.web import app_db
from workflow.accounts.importer import import_units, import_users
from workflow.core.audit import head_and_shown, verify

UNITS = """\ufeffcode,name,kind,locality,parent_code,email,phone
SGDDT,Sở Giáo dục và Đào tạo Hải Phòng,department,,,,
THCS-LE-LOI,Trường THCS Lê Lợi,lower_secondary,phường Hồng Bàng,SGDDT,thcs.leloi@example.vn,\
0225 3822 111
MN-HOA-SEN,Trường Mầm non Hoa Sen,preschool,đặc khu Cát Hải,SGDDT,,
"""
USERS = """username,full_name,role,unit_code,email,phone,position,password
canbo.thcs-le-loi,Nguyễn Thị Thu,unit_staff,THCS-LE-LOI,thu@example.vn,,Văn thư,Mật-khẩu-1
thutruong.thcs-le-loi,Trần Văn Sơn,unit_head,THCS-LE-LOI,,,Hiệu trưởng,
thutruong.thcs-le-loi,Trần Văn Sơn,council_member,,,,,
"""


@pytest.mark.db
def test_units_then_users_import_and_reimport(session):
    first = import_units(session, UNITS)
    assert (first.created, first.errors) == (3, [])
    school = session.scalar(select(Unit).where(Unit.code == "MN-HOA-SEN"))
    assert (
        school.parent.code == "SGDDT"
        and school.search_key == "truong mam non hoa sen mn-hoa-sen dac khu cat hai"
    )
    users = import_users(session, USERS)
    assert (users.created, users.errors) == (2, [])
    assert list(users.passwords) == ["thutruong.thcs-le-loi"]
    staff = session.scalar(select(User).where(User.username == "canbo.thcs-le-loi"))
    assert verify_password(staff.password_hash, "Mật-khẩu-1")
    head = session.scalar(select(User).where(User.username == "thutruong.thcs-le-loi"))
    assert {g.role for g in head.grants} == {"unit_head", "council_member"}
    again_units, again_users = import_units(session, UNITS), import_users(session, USERS)
    assert (again_units.created, again_units.updated) == (0, 3)
    assert (again_users.created, again_users.updated) == (0, 2)
    assert session.scalar(select(func.count()).select_from(RoleGrant)) == 3


@pytest.mark.db
def test_a_bad_row_imports_nothing_and_names_the_line(session):
    bad = UNITS + "X,,school,,NOPE,,\n"
    result = import_units(session, bad)
    assert any(e.startswith("Dòng 5:") for e in result.errors)
    assert session.scalar(select(func.count()).select_from(Unit)) == 0


@pytest.mark.db
def test_unit_role_needs_a_real_unit(session):
    import_units(session, UNITS)
    result = import_users(session, "username,full_name,role,unit_code\nx,Tên,unit_staff,KHONG-CO\n")
    assert result.errors and "Dòng 2" in result.errors[0]
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_cli_import(runner, tmp_path):
    units, users = tmp_path / "units.csv", tmp_path / "users.csv"
    units.write_text(UNITS, encoding="utf-8")
    users.write_text(USERS, encoding="utf-8")
    assert runner.invoke(args=["import", "units", str(units)]).exit_code == 0
    out = tmp_path / "passwords.csv"
    result = runner.invoke(args=["import", "users", str(users), "--passwords-out", str(out)])
    assert result.exit_code == 0, result.output
    assert "thutruong.thcs-le-loi," in out.read_text()
    broken = tmp_path / "broken.csv"
    broken.write_text("code,name,kind\nA,Tên,khong-hop-le\n", encoding="utf-8")
    failed = runner.invoke(args=["import", "units", str(broken)])
    assert failed.exit_code == 1 and "Dòng 2" in failed.output


def test_cli_import_is_audited_as_the_system_and_renews_the_public_pages(app, runner, tmp_path):
    """The operator's imports leave the same events as the administration pages' (no account:
    the system); a unit renamed moves the head the public pages keep their pages by."""
    units = tmp_path / "units.csv"
    units.write_text(UNITS, encoding="utf-8")
    assert runner.invoke(args=["import", "units", str(units)]).exit_code == 0
    with app_db(app) as session:
        shown_before = head_and_shown(session)[2:]
    units.write_text(UNITS.replace("Trường THCS Lê Lợi", "Trường THCS Lê Lợi mới"), "utf-8")
    assert runner.invoke(args=["import", "units", str(units)]).exit_code == 0
    with app_db(app) as session:
        _renewed(session, shown_before)


def _renewed(session, shown_before) -> None:
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "unit").order_by(AuditEvent.seq)
    ).all()
    assert [e.action for e in events] == ["import_create"] * 3 + ["import_update"]
    assert {(e.actor_id, e.actor_role) for e in events} == {(None, "admin")}
    assert "Trường THCS Lê Lợi mới" in events[-1].changes
    assert head_and_shown(session)[2:] == (events[-1].seq, events[-1].hash) != shown_before
    assert verify(session).ok
