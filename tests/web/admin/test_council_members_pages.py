"""The Council's members in /admin: added, edited and ended by administrators only, listed in
protocol order, bad input kept, a stale form refused, every change audited."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from models import AuditEvent, CouncilMembership
from tests.fixtures.dossiers import page
from tests.fixtures.web import app_db, csrf_from
from tests.web.council.test_council import open_via_web, the_session


def _post(client, form_url: str, url: str, data: dict):
    return client.post(url, data={"csrf_token": csrf_from(page(client, form_url)), **data})


def _term(app_world, username: str, position: str, starts: str, ends: str = "") -> dict:
    uid = str(app_world.users[username].id)
    return {"user_id": uid, "position": position, "starts_on": starts, "ends_on": ends}


def _terms(app) -> list[CouncilMembership]:
    with app_db(app) as session:
        return list(session.scalars(select(CouncilMembership).order_by(CouncilMembership.id)))


def _actions(app) -> list[str]:
    with app_db(app) as session:
        stmt = select(AuditEvent.action).where(AuditEvent.entity_type == "council_membership")
        return list(session.scalars(stmt.order_by(AuditEvent.seq)))


def _version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def _add(client, data: dict):
    return _post(client, "/admin/council/new", "/admin/council/new", data)


def test_admin_adds_edits_and_ends_a_term_listed_in_protocol_order(app, client, app_world, auth):
    auth.login("admin")
    assert _add(client, _term(app_world, "member1", "member", "01/01/2026")).status_code == 302
    assert _add(client, _term(app_world, "member2", "chair", "01/01/2026")).status_code == 302
    html = page(client, "/admin/council")
    assert "Hội đồng Thi đua – Khen thưởng" in html and "01/01/2026" in html
    assert html.index("Đỗ Thị Mai") < html.index("Bùi Văn Long")
    assert "Chủ tịch Hội đồng" in html and "Đang trong nhiệm kỳ" in html

    term = _terms(app)[0]
    url = f"/admin/council/{term.id}"
    values = {"position": "vice_chair", "starts_on": "01/01/2026", "ends_on": ""}
    response = _post(client, url, url, {**values, "version": _version(page(client, url))})
    assert response.status_code == 302 and _terms(app)[0].position == "vice_chair"
    response = _post(
        client,
        url,
        f"{url}/end",
        {"last_day": "05/12/2026", "version": _version(page(client, url))},
    )
    assert response.status_code == 302 and _terms(app)[0].ends_on.isoformat() == "2026-12-05"
    assert "Đã kết thúc" in page(client, "/admin/council")
    assert _actions(app) == ["create", "create", "update", "end_term"]


def test_a_bad_form_keeps_what_was_typed_and_writes_nothing(app, client, app_world, auth):
    auth.login("admin")
    response = _add(client, _term(app_world, "member1", "vice_chair", "31/02/2026", "15/03/2027"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "phải theo dạng ngày/tháng/năm" in html
    assert 'value="31/02/2026"' in html and 'value="15/03/2027"' in html
    assert 'value="vice_chair" selected' in html
    assert _terms(app) == [] and _actions(app) == []


def test_a_second_chair_is_refused_with_the_form_kept(app, client, app_world, auth):
    auth.login("admin")
    _add(client, _term(app_world, "member1", "chair", "01/01/2026"))
    response = _add(client, _term(app_world, "member2", "chair", "01/06/2026", "31/12/2026"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "đã có Chủ tịch Hội đồng" in html
    assert 'value="01/06/2026"' in html and 'value="31/12/2026"' in html
    assert len(_terms(app)) == 1


def test_of_two_admins_editing_one_term_exactly_one_wins(app, client, app_world, auth):
    auth.login("admin")
    _add(client, _term(app_world, "member1", "member", "01/01/2026"))
    url = f"/admin/council/{_terms(app)[0].id}"
    values = {"starts_on": "01/01/2026", "version": _version(page(client, url))}
    first = _post(client, url, url, {**values, "position": "vice_chair"})
    second = _post(client, url, url, {**values, "position": "secretary"})
    assert first.status_code == 302 and second.status_code == 409
    html = second.get_data(as_text=True)
    assert "Người quản trị khác đã lưu" in html and 'value="secretary" selected' in html
    assert _terms(app)[0].position == "vice_chair"


@pytest.mark.parametrize("username", ["secretary", "member1", "reviewer"])
def test_others_are_refused_and_change_nothing(app, client, app_world, auth, username):
    auth.login(username)
    assert client.get("/admin/council").status_code == 403
    token = csrf_from(page(client, "/"))
    data = {**_term(app_world, "member1", "chair", "01/01/2026"), "csrf_token": token}
    assert client.post("/admin/council/new", data=data).status_code == 403
    assert _terms(app) == []


def test_the_session_page_lists_members_in_protocol_order(app, client, app_world, auth):
    """The session page (printed as the minutes) names each member's position, in order."""
    auth.login("admin")
    _add(client, _term(app_world, "member1", "member", "01/01/2026"))
    _add(client, _term(app_world, "member5", "chair", "01/01/2026"))
    _add(client, _term(app_world, "member3", "vice_chair", "01/01/2026"))
    auth.logout()
    auth.login("secretary")
    open_via_web(client, app_world)
    html = page(client, f"/council/{the_session(app).id}")
    order = [html.index(name) for name in ("Lý Văn Phúc", "Ngô Quang Nam", "Bùi Văn Long")]
    assert order == sorted(order)
    assert html.index("Chủ tịch Hội đồng") < html.index("Phó Chủ tịch Hội đồng")
