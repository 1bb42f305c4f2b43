"""The administration pages: units and accounts created, edited, deactivated, roles granted and
taken away, passwords reset, CSV imported; every change audited, bad input kept, a stale form
refused, and nothing written by a refused or invalid request."""

from __future__ import annotations

import io
import json
import re

from sqlalchemy import select

from models import AuditEvent, Unit, User
from tests.fixtures.dossiers import page
from tests.fixtures.web import app_db, csrf_from

UNIT = {
    "code": "MN-HOA-SEN",
    "name": "Trường Mầm non Hoa Sen",
    "kind": "preschool",
    "locality": "phường Hồng Bàng",
    "email": "mn.hoasen@example.vn",
    "phone": "0225 3841 234",
    "parent_id": "",
}
ACCOUNT = {
    "username": "canbo.mn-hoa-sen",
    "full_name": "Nguyễn Thị Lan",
    "email": "lan@example.vn",
    "phone": "0912 345 678",
    "position": "Phó hiệu trưởng",
    "role": "unit_staff",
}


def _post(client, form_url: str, url: str, data: dict, **kw):
    return client.post(url, data={"csrf_token": csrf_from(page(client, form_url)), **data}, **kw)


def _upload(client, area: str, text: str, encoding: str = "utf-8", **kw):
    """Post ``text`` as the CSV file of the import form of /admin/``area``."""
    data = {"file": (io.BytesIO(text.encode(encoding)), f"{area}.csv")}
    url = f"/admin/{area}"
    return _post(client, url, f"{url}/import", data, content_type="multipart/form-data", **kw)


def _events(app, entity_type: str, entity_id: int) -> list[AuditEvent]:
    with app_db(app) as session:
        return list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
                .order_by(AuditEvent.seq)
            )
        )


def _unit(app, code: str) -> Unit | None:
    with app_db(app) as session:
        return session.scalar(select(Unit).where(Unit.code == code))


def _user(app, username: str) -> User | None:
    with app_db(app) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is not None:
            list(user.grants)
        return user


def _version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def test_admin_creates_edits_and_deactivates_a_unit_all_audited(app, client, app_world, auth):
    auth.login("admin")
    assert "Quản trị" in page(client, "/")
    response = _post(client, "/admin/units/new", "/admin/units/new", UNIT)
    assert response.status_code == 302
    unit = _unit(app, "MN-HOA-SEN")
    assert (unit.kind, unit.locality, unit.phone) == (
        "preschool",
        "phường Hồng Bàng",
        "0225 3841 234",
    )
    assert "Trường Mầm non Hoa Sen" in page(client, "/admin/units?q=hoa sen")

    url = f"/admin/units/{unit.id}"
    parent = str(app_world.units["dept"].id)
    response = _post(
        client, url, url, {**UNIT, "parent_id": parent, "version": _version(page(client, url))}
    )
    assert response.status_code == 302 and _unit(app, "MN-HOA-SEN").parent_id == int(parent)
    _post(client, url, f"{url}/active", {"active": "0", "version": _version(page(client, url))})
    assert _unit(app, "MN-HOA-SEN").active is False
    events = _events(app, "unit", unit.id)
    assert [e.action for e in events] == ["create", "update", "deactivate"]
    assert json.loads(events[1].changes) == {"parent_id": [None, int(parent)]}
    assert events[0].actor_role == "admin"


def test_a_bad_unit_form_keeps_what_was_typed_and_writes_nothing(app, client, app_world, auth):
    auth.login("admin")
    bad = {**UNIT, "code": "có dấu", "email": "không-phải-thư", "name": ""}
    response = _post(client, "/admin/units/new", "/admin/units/new", bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Vui lòng nhập “Tên đơn vị”." in html and "“Thư điện tử” không đúng định dạng." in html
    assert 'value="phường Hồng Bàng"' in html and 'value="0225 3841 234"' in html
    assert _unit(app, "CÓ DẤU") is None and _events(app, "unit", 0) == []


def test_a_unit_cannot_sit_under_itself(app, client, app_world, auth):
    auth.login("admin")
    unit = app_world.units["a"]
    url = f"/admin/units/{unit.id}"
    values = {**UNIT, "code": unit.code, "parent_id": str(unit.id)}
    response = _post(client, url, url, {**values, "version": _version(page(client, url))})
    assert response.status_code == 400
    assert "không thể là chính đơn vị này" in response.get_data(as_text=True)


def test_of_two_admins_editing_one_account_exactly_one_wins(app, client, app_world, auth):
    auth.login("admin")
    user = app_world.users["staff_a"]
    url = f"/admin/accounts/{user.id}"
    drawn = page(client, url)
    values = {**ACCOUNT, "username": "staff_a", "version": _version(drawn)}
    first = _post(client, url, url, {**values, "full_name": "Người thứ nhất"})
    second = _post(client, url, url, {**values, "full_name": "Người thứ hai"})
    assert first.status_code == 302 and second.status_code == 409
    html = second.get_data(as_text=True)
    assert "Người quản trị khác đã lưu" in html and 'value="Người thứ hai"' in html
    assert _user(app, "staff_a").full_name == "Người thứ nhất"
    # Saving again from the form drawn back is a deliberate choice, and goes through.
    again = _post(
        client, url, url, {**values, "full_name": "Người thứ hai", "version": _version(html)}
    )
    assert again.status_code == 302 and _user(app, "staff_a").full_name == "Người thứ hai"


def test_admin_creates_an_account_with_a_unit_role_and_resets_its_password(
    app, client, app_world, auth
):
    auth.login("admin")
    unit = app_world.units["a"]
    response = _post(
        client, "/admin/accounts/new", "/admin/accounts/new", {**ACCOUNT, "unit_id": str(unit.id)}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "chỉ hiển thị lần này" in html
    password = re.search(r"<code data-password>([^<]+)</code>", html).group(1)
    user = _user(app, "canbo.mn-hoa-sen")
    assert [(g.role, g.unit_id) for g in user.grants] == [("unit_staff", unit.id)]

    token = user.session_token
    url = f"/admin/accounts/{user.id}"
    reset = _post(client, url, f"{url}/password", {"password": "", "password_again": ""})
    new_password = re.search(
        r"<code data-password>([^<]+)</code>", reset.get_data(as_text=True)
    ).group(1)
    assert new_password != password and _user(app, "canbo.mn-hoa-sen").session_token != token
    actions = [e.action for e in _events(app, "user_account", user.id)]
    assert actions == ["create", "reset_password"]
    assert all(password not in (e.changes or "") for e in _events(app, "user_account", user.id))

    auth.logout()
    assert auth.login("canbo.mn-hoa-sen", password).status_code == 200  # the old one: refused
    assert auth.login("canbo.mn-hoa-sen", new_password).status_code == 302


def test_a_unit_role_needs_a_unit_and_a_typed_password_must_match(app, client, app_world, auth):
    auth.login("admin")
    data = {**ACCOUNT, "unit_id": "", "password": "Mật-khẩu-dài-1", "password_again": "khác"}
    response = _post(client, "/admin/accounts/new", "/admin/accounts/new", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "“Đơn vị” cần chọn cho vai trò cán bộ, thủ trưởng đơn vị." in html
    assert 'value="Nguyễn Thị Lan"' in html and "Mật-khẩu-dài-1" not in html
    assert _user(app, "canbo.mn-hoa-sen") is None


def test_grants_are_added_and_taken_away_and_end_the_sessions(app, client, app_world, auth):
    auth.login("admin")
    user = app_world.users["reviewer"]
    url = f"/admin/accounts/{user.id}"
    _post(client, url, f"{url}/grants", {"role": "council_member", "unit_id": ""})
    grants = {g.role: g.id for g in _user(app, "reviewer").grants}
    assert set(grants) == {"office_reviewer", "council_member"}
    twice = _post(client, url, f"{url}/grants", {"role": "council_member", "unit_id": ""})
    assert twice.status_code == 400 and "đã có vai trò này" in twice.get_data(as_text=True)
    _post(client, url, f"{url}/grants/{grants['office_reviewer']}/delete", {})
    assert [g.role for g in _user(app, "reviewer").grants] == ["council_member"]
    assert [e.action for e in _events(app, "user_account", user.id)] == ["grant", "revoke"]


def test_a_deactivated_account_cannot_sign_in_and_can_be_reactivated(app, client, app_world, auth):
    auth.login("admin")
    user = app_world.users["staff_b"]
    url = f"/admin/accounts/{user.id}"
    _post(client, url, f"{url}/active", {"active": "0", "version": _version(page(client, url))})
    assert _user(app, "staff_b").active is False
    assert "staff_b" in page(client, "/admin/accounts?status=inactive")
    own = f"/admin/accounts/{app_world.users['admin'].id}"
    refused = _post(
        client, own, f"{own}/active", {"active": "0", "version": _version(page(client, own))}
    )
    assert refused.status_code == 400 and _user(app, "admin").active is True
    _post(client, url, f"{url}/active", {"active": "1", "version": _version(page(client, url))})
    auth.logout()
    assert auth.login("staff_b").status_code == 302


def test_csv_imports_show_errors_per_line_or_the_counts(app, client, app_world, auth):
    auth.login("admin")
    bad = "code,name,kind\nTH-A,Trường A,primary\nTH-B,Trường B,sao-hỏa\n"
    response = _upload(client, "units", bad)
    assert response.status_code == 400 and "Dòng 3" in response.get_data(as_text=True)
    assert _unit(app, "TH-A") is None

    good = "code,name,kind,locality\nTH-A,Trường Tiểu học A,primary,xã An Lão\n"
    response = _upload(client, "units", good, follow_redirects=True)
    assert "1 đơn vị mới" in response.get_data(as_text=True)
    assert [e.action for e in _events(app, "unit", _unit(app, "TH-A").id)] == ["import_create"]

    users = "username,full_name,role,unit_code\ncanbo.th-a,Lê Văn Tư,unit_staff,TH-A\n"
    response = _upload(client, "accounts", users)
    assert response.status_code == 200 and "canbo.th-a" in response.get_data(as_text=True)
    assert _user(app, "canbo.th-a").grants[0].role == "unit_staff"
    latin1 = _upload(client, "accounts", "username\nné", "latin-1")
    assert latin1.status_code == 400 and "UTF-8" in latin1.get_data(as_text=True)


def test_lists_search_filter_sort_and_say_when_nothing_matches(app, client, app_world, auth):
    auth.login("admin")
    html = page(client, "/admin/accounts?role=council_member&sort=-username")
    assert html.index("member5") < html.index("member1") and "staff_a" not in html
    assert "Không có tài khoản nào khớp với bộ lọc." in page(client, "/admin/accounts?q=zzz")
    assert "reviewer" in page(client, "/admin/accounts?q=Đặng Thu")
    html = page(client, f"/admin/accounts?unit={app_world.units['a'].id}")
    assert "staff_a" in html and "head_a" in html and "staff_b" not in html
    assert "Không có đơn vị nào khớp với bộ lọc." in page(client, "/admin/units?q=zzz")
    assert "Trường Tiểu học Đặng Trần Côn" in page(client, "/admin/units?q=th-dang")


def test_other_roles_are_refused_and_change_nothing(app, client, app_world, auth):
    auth.login("reviewer")
    assert client.get("/admin/accounts").status_code == 403
    token = csrf_from(page(client, "/"))
    response = client.post("/admin/units/new", data={**UNIT, "csrf_token": token})
    assert response.status_code == 403 and _unit(app, "MN-HOA-SEN") is None
