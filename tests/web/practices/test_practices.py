"""Practice pages: units register and edit, the Office marks exemplary, the public page."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import AuditEvent, Practice
from tests.fixtures.dossiers import page
from tests.fixtures.people import NOW
from tests.fixtures.web import app_db, csrf_from
from workflow.practices import service as svc

PRACTICE = {
    "title": "Mô hình “Thư viện xanh” trong trường học",
    "summary": "Học sinh tự quản thư viện ngoài trời.",
    "results": "Hơn 2.000 lượt mượn sách mỗi học kỳ.",
    "evidence": "Quyết định công nhận sáng kiến số 5",
}


@pytest.fixture()
def practice_ids(app, app_world):
    """A registered practice of unit a and an exemplary one of unit b."""
    with app_db(app) as session:
        own = svc.register_practice(
            session, app_world.actor("staff_a"), app_world.units["a"].id, PRACTICE, now=NOW
        )
        other = svc.register_practice(
            session,
            app_world.actor("staff_b"),
            app_world.units["b"].id,
            {"title": "Câu lạc bộ Toán học tuổi thơ", "summary": "Sinh hoạt hằng tuần."},
            now=NOW,
        )
        svc.mark_exemplary(session, other.id, app_world.actor("reviewer"), now=NOW)
        return own.id, other.id


def _state(app, practice_id: int) -> tuple:
    with app_db(app) as session:
        practice = session.get(Practice, practice_id)
        events = session.scalar(select(func.count()).select_from(AuditEvent))
        return practice.status, practice.title, events, practice.version


def _edit_meanwhile(app, world, practice_id: int, **fields) -> None:
    """Someone else of the unit saves the practice (after the test's page was drawn)."""
    with app_db(app) as session:
        svc.update_practice(session, practice_id, world.actor("head_a"), fields, now=NOW)


@pytest.mark.parametrize(
    "username,status",
    [
        ("staff_a", 200),
        ("head_b", 200),
        ("reviewer", 200),
        ("admin", 200),
        ("secretary", 403),
        ("member1", 403),
    ],
)
def test_practice_list_by_role(client, app_world, auth, username, status, practice_ids):
    auth.login(username)
    response = client.get("/practices/")
    assert response.status_code == status
    if status == 200:
        html = response.get_data(as_text=True)
        own_visible = username in ("staff_a", "reviewer", "admin")
        assert ("Thư viện xanh" in html) == own_visible


def test_unit_registers_and_edits_a_practice(client, app_world, auth, app):
    auth.login("staff_a")
    form = page(client, "/practices/new")
    response = client.post("/practices/new", data={"csrf_token": csrf_from(form), **PRACTICE})
    assert response.status_code == 302
    detail = page(client, response.headers["Location"])
    assert "Thư viện xanh" in detail and "Đã đăng ký" in detail and "Đăng ký mô hình" in detail
    practice_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    edit = page(client, f"/practices/{practice_id}/edit")
    assert 'value="Mô hình “Thư viện xanh” trong trường học"' in edit
    changed = {**PRACTICE, "results": "Hơn 3.000 lượt mượn sách."}
    assert (
        client.post(
            f"/practices/{practice_id}/edit", data={"csrf_token": csrf_from(edit), **changed}
        ).status_code
        == 302
    )
    assert "Hơn 3.000 lượt" in page(client, f"/practices/{practice_id}")


def test_bad_practice_form_keeps_what_was_typed(client, app_world, auth, app):
    auth.login("head_a")
    form = page(client, "/practices/new")
    response = client.post(
        "/practices/new", data={"csrf_token": csrf_from(form), **PRACTICE, "title": "  "}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Chưa lưu được mô hình" in html
    assert (
        "Học sinh tự quản thư viện ngoài trời." in html
        and "Quyết định công nhận sáng kiến số 5" in html
    )
    with app_db(app) as session:
        assert session.scalar(select(func.count()).select_from(Practice)) == 0


def test_only_unit_members_register(client, app_world, auth):
    auth.login("reviewer")
    assert client.get("/practices/new").status_code == 403


def test_other_units_and_the_office_cannot_edit(client, app_world, auth, app, practice_ids):
    own, _ = practice_ids
    before = _state(app, own)
    auth.login("staff_b")
    assert client.get(f"/practices/{own}").status_code == 404
    token = csrf_from(page(client, "/practices/"))
    assert (
        client.post(
            f"/practices/{own}/edit", data={"csrf_token": token, **PRACTICE, "title": "Khác"}
        ).status_code
        == 404
    )
    auth.login("reviewer")
    assert client.get(f"/practices/{own}/edit").status_code == 403
    token = csrf_from(page(client, "/practices/"))
    assert (
        client.post(
            f"/practices/{own}/edit", data={"csrf_token": token, **PRACTICE, "title": "Khác"}
        ).status_code
        == 403
    )
    assert _state(app, own) == before


def test_office_marks_exemplary_and_the_public_sees_it(client, app_world, auth, app, practice_ids):
    own, other = practice_ids
    auth.login("staff_a")
    token = csrf_from(page(client, "/practices/"))
    before = _state(app, own)
    assert (
        client.post(
            f"/practices/{own}/mark", data={"csrf_token": token, "exemplary": "1"}
        ).status_code
        == 403
    )
    assert _state(app, own) == before

    auth.login("reviewer")
    detail = page(client, f"/practices/{own}")
    assert "Công nhận mô hình tiêu biểu" in detail
    response = client.post(
        f"/practices/{own}/mark",
        data={"csrf_token": csrf_from(detail), "exemplary": "1", "reason": "Nhân rộng toàn ngành"},
        follow_redirects=True,
    )
    assert "Đã công nhận mô hình tiêu biểu" in response.get_data(as_text=True)
    assert _state(app, own)[0] == "exemplary"

    auth.login("staff_a")  # exemplary: locked for the unit
    locked = client.get(f"/practices/{own}/edit", follow_redirects=True).get_data(as_text=True)
    assert "đã được công nhận tiêu biểu" in locked

    auth.logout()
    public = page(client, "/practices/public")
    assert "Thư viện xanh" in public and "Câu lạc bộ Toán học" in public
    assert page(client, f"/practices/public/{own}").count("Hơn 2.000 lượt mượn sách") == 1
    found = page(client, "/practices/public?q=thu+vien")
    assert "Thư viện xanh" in found and "Câu lạc bộ" not in found
    assert "Không tìm thấy mô hình" in page(client, "/practices/public?q=khong+co+gi")


def test_unmarking_needs_a_reason_and_hides_it_from_the_public(
    client, app_world, auth, app, practice_ids
):
    _, other = practice_ids
    auth.login("reviewer")
    detail = page(client, f"/practices/{other}")
    refused = client.post(
        f"/practices/{other}/mark",
        data={"csrf_token": csrf_from(detail), "exemplary": "0", "reason": ""},
    )
    assert refused.status_code == 422 and "Vui lòng nhập lý do" in refused.get_data(as_text=True)
    assert _state(app, other)[0] == "exemplary"
    client.post(
        f"/practices/{other}/mark",
        data={
            "csrf_token": csrf_from(detail),
            "exemplary": "0",
            "reason": "Trùng với mô hình đã công nhận năm 2025",
        },
    )
    assert "Trùng với mô hình" in page(client, f"/practices/{other}")
    auth.logout()
    assert client.get(f"/practices/public/{other}").status_code == 404
    assert "Chưa có mô hình tiêu biểu" in page(client, "/practices/public")


def test_public_page_needs_no_sign_in_and_registered_ones_stay_hidden(
    client, app_world, practice_ids
):
    own, other = practice_ids
    assert client.get("/practices/public").status_code == 200
    assert client.get(f"/practices/public/{own}").status_code == 404
    assert client.get(f"/practices/public/{other}").status_code == 200
    assert client.get("/practices/").status_code == 302


def test_public_page_in_english(client, app_world, practice_ids):
    client.post(
        "/lang/en", data={"csrf_token": csrf_from(page(client, "/practices/public")), "next": "/"}
    )
    html = page(client, "/practices/public?q=toan")
    assert "Exemplary models and good practices" in html and "Câu lạc bộ Toán học" in html
    assert "No practice matches" in page(client, "/practices/public?q=zzz")


def test_a_stale_edit_comes_back_with_what_was_typed(client, app_world, auth, app, practice_ids):
    own, _ = practice_ids
    auth.login("staff_a")
    edit = page(client, f"/practices/{own}/edit")
    assert 'name="version" value="1"' in edit
    _edit_meanwhile(app, app_world, own, title="Thư viện xanh – bản của thủ trưởng")
    before = _state(app, own)
    typed = {**PRACTICE, "title": "Thư viện xanh – bản của cán bộ", "results": "Kết quả tôi vừa gõ"}
    response = client.post(
        f"/practices/{own}/edit", data={"csrf_token": csrf_from(edit), "version": "1", **typed}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'value="Thư viện xanh – bản của cán bộ"' in html and "Kết quả tôi vừa gõ" in html
    assert "Người khác đã thay đổi mô hình này trước bạn" in html and "“Đã đăng ký”" in html
    assert "Xem nội dung hiện tại của mô hình" in html and 'name="version" value="2"' in html
    assert _state(app, own) == before
    # Having looked, the person saves again from the form that came back: it now applies.
    again = client.post(
        f"/practices/{own}/edit", data={"csrf_token": csrf_from(html), "version": "2", **typed}
    )
    assert again.status_code == 302
    assert _state(app, own)[1:] == ("Thư viện xanh – bản của cán bộ", before[2] + 1, 3)


def test_a_stale_edit_in_english(client, app_world, auth, app, practice_ids):
    own, _ = practice_ids
    auth.login("staff_a")
    edit = page(client, f"/practices/{own}/edit")
    client.post("/lang/en", data={"csrf_token": csrf_from(edit), "next": "/"})
    _edit_meanwhile(app, app_world, own, results="Khác")
    html = client.post(
        f"/practices/{own}/edit", data={"csrf_token": csrf_from(edit), "version": "1", **PRACTICE}
    ).get_data(as_text=True)
    assert "Someone else changed this practice first. It is now “Registered”." in html
    assert "What you typed is kept below." in html


def test_a_stale_mark_changes_nothing(client, app_world, auth, app, practice_ids):
    own, _ = practice_ids
    auth.login("reviewer")
    detail = page(client, f"/practices/{own}")
    assert 'name="version" value="1"' in detail
    _edit_meanwhile(app, app_world, own, results="Số liệu đã sửa sau khi Văn phòng mở trang")
    before = _state(app, own)
    response = client.post(
        f"/practices/{own}/mark",
        data={
            "csrf_token": csrf_from(detail),
            "exemplary": "1",
            "version": "1",
            "reason": "Nhân rộng toàn ngành",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/practices/{own}"
    )
    assert _state(app, own) == before
    html = page(client, response.headers["Location"])
    assert "Người khác đã thay đổi mô hình này trước bạn" in html
    assert "Nội dung bạn đã nhập (chưa được lưu): “Nhân rộng toàn ngành”" in html
    assert (
        "Số liệu đã sửa sau khi Văn phòng mở trang" in html and 'name="version" value="2"' in html
    )


def test_an_edit_posted_after_the_office_marked_it_keeps_what_was_typed(
    client, app_world, auth, app, practice_ids
):
    own, _ = practice_ids
    auth.login("staff_a")
    edit = page(client, f"/practices/{own}/edit")
    with app_db(app) as session:
        svc.mark_exemplary(session, own, app_world.actor("reviewer"), now=NOW)
    before = _state(app, own)
    typed = {**PRACTICE, "results": "Kết quả tôi vừa gõ"}
    response = client.post(
        f"/practices/{own}/edit", data={"csrf_token": csrf_from(edit), "version": "1", **typed}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "“Tiêu biểu”" in html and "Kết quả tôi vừa gõ" in html
    again = client.post(
        f"/practices/{own}/edit", data={"csrf_token": csrf_from(html), "version": "2", **typed}
    )
    assert again.status_code == 422 and "đã được công nhận tiêu biểu" in again.get_data(
        as_text=True
    )
    assert "Kết quả tôi vừa gõ" in again.get_data(as_text=True) and _state(app, own) == before
