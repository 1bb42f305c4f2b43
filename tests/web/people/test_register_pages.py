"""The register's pages through the client: the list (scope, filters, sorting, exports), adding
and editing a person (duplicates, stale edits), transfers, groups, issuers, merges, history."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from models import AuditEvent, Evaluation, Person
from tests.fixtures.dossiers import page
from tests.fixtures.register import PRIVATE_VALUES, make_group, make_person, record_award
from tests.fixtures.web import app_db, csrf_from

# Each test starts from a register without entries (as a unit finds it before its first).
pytestmark = pytest.mark.usefixtures("empty_app_register")


PERSON = {
    "full_name": "Đỗ Minh Châu",
    "gender": "female",
    "position": "Giáo viên Toán",
    "identity_kind": "national_id",
    "identity_number": "031190004567",
    "date_of_birth": "02/09/1990",
    "phone": "0904 111 222",
    "email": "minhchau@example.vn",
}


@pytest.fixture()
def people(app, app_world):
    """Two people of unit a, one of unit b."""
    with app_db(app) as session:
        group = make_group(session, app_world)
        ids = {
            "trang": make_person(
                session,
                app_world,
                collective_id=group.id,
                **PRIVATE_VALUES,
                identity_kind="national_id",
            ).id,
            "anh": make_person(session, app_world, "Lê Đức Anh", gender="male").id,
            "bao": make_person(session, app_world, "Ngô Văn Bảo", unit="b").id,
            "group": group.id,
        }
    return ids


def _count(app, model) -> int:
    with app_db(app) as session:
        return session.scalar(select(func.count()).select_from(model))


def _post(client, form_url: str, data: dict, post_url: str | None = None, **kw):
    token = csrf_from(page(client, form_url))
    return client.post(post_url or form_url, data={"csrf_token": token, **data}, **kw)


def test_a_unit_sees_its_own_people_sorted_by_given_name(client, auth, people):
    auth.login("staff_a")
    html = page(client, "/register/")
    assert html.index("Lê Đức Anh") < html.index("Phạm Thu Trang")
    assert "Ngô Văn Bảo" not in html
    assert "Phạm Thu Trang" in page(client, "/register/?q=trang")
    assert "Lê Đức Anh" not in page(client, "/register/?q=trang")
    assert "Lê Đức Anh" not in page(client, "/register/?gender=female")
    assert "Lê Đức Anh" not in page(client, f"/register/?group={people['group']}")
    added = page(client, "/register/?sort=-added")
    assert added.index("Lê Đức Anh") < added.index("Phạm Thu Trang")


def test_the_office_sees_every_unit_with_a_unit_filter(client, auth, app_world, people):
    auth.login("reviewer")
    html = page(client, "/register/")
    assert "Ngô Văn Bảo" in html and "Phạm Thu Trang" in html
    filtered = page(client, f"/register/?unit={app_world.units['b'].id}")
    assert "Ngô Văn Bảo" in filtered and "Phạm Thu Trang" not in filtered


def test_an_empty_register_calls_to_add_or_import(client, auth, app_world):
    auth.login("staff_a")
    html = page(client, "/register/")
    assert "Sổ chưa có ai." in html and "/register/people/new" in html


def test_the_exports_leave_out_the_private_fields(client, auth, people):
    auth.login("staff_a")
    response = client.get("/register/export.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "so-ca-nhan.csv" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    book = load_workbook(io.BytesIO(client.get("/register/export.xlsx").data))
    cells = " ".join(str(c.value) for row in book.active.iter_rows() for c in row)
    for data in (text, cells):
        assert "Phạm Thu Trang" in data and "Ngô Văn Bảo" not in data
        for value in (*PRIVATE_VALUES.values(), "1988-03-14"):
            assert value not in data


def test_a_person_is_added_and_a_duplicate_needs_the_tick(client, auth, app, people):
    auth.login("staff_a")
    response = _post(client, "/register/people/new", PERSON, follow_redirects=True)
    assert response.status_code == 200 and "Đỗ Minh Châu" in response.get_data(as_text=True)
    before = _count(app, Person)
    again = _post(client, "/register/people/new", {**PERSON, "full_name": "Đỗ M. Châu"})
    html = again.get_data(as_text=True)
    assert again.status_code == 422 and "data-duplicates" in html
    assert "Tôi đã kiểm tra, đây là người khác" in html and 'value="Đỗ M. Châu"' in html
    assert _count(app, Person) == before
    confirmed = _post(
        client, "/register/people/new", {**PERSON, "full_name": "Đỗ M. Châu", "confirmed": "1"}
    )
    assert confirmed.status_code == 302 and _count(app, Person) == before + 1


def test_bad_input_comes_back_with_the_values_and_a_vietnamese_message(client, auth, app, people):
    auth.login("staff_a")
    before = _count(app, Person)
    response = _post(
        client, "/register/people/new", {**PERSON, "identity_number": "123", "date_of_birth": "x"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "“Số định danh”: số định danh cá nhân gồm đúng 12 chữ số." in html
    assert "“Ngày sinh”" in html and 'value="Đỗ Minh Châu"' in html
    assert _count(app, Person) == before


def test_a_stale_edit_answers_409_with_the_typed_values(client, auth, app, app_world, people):
    auth.login("staff_a")
    url = f"/register/people/{people['anh']}/edit"
    html = page(client, url)
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    with app_db(app) as session:
        from workflow.people import entries

        entries.update_person(
            session,
            people["anh"],
            app_world.actor("head_a"),
            {"full_name": "Lê Đức Anh", "gender": "male", "position": "Tổ trưởng"},
        )
    response = client.post(
        url,
        data={
            "csrf_token": csrf_from(html),
            "version": version,
            "full_name": "Lê Đức Anh",
            "gender": "male",
            "position": "Hiệu phó",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Trần Văn Bình" in body and 'value="Hiệu phó"' in body
    with app_db(app) as session:
        assert session.get(Person, people["anh"]).position == "Tổ trưởng"


def test_another_unit_is_refused_and_nothing_changes(client, auth, app, people):
    auth.login("staff_b")
    person = people["trang"]
    assert client.get(f"/register/people/{person}").status_code == 404
    assert client.get(f"/register/people/{person}/edit").status_code == 404
    token = csrf_from(page(client, "/register/"))
    events = _count(app, AuditEvent)
    for path, data in (
        (f"/register/people/{person}/edit", {"full_name": "X"}),
        (f"/register/people/{person}/transfer", {"starts_on": "01/09/2026"}),
        (f"/register/people/{person}/ratings", {"year": "2025", "rating": "good"}),
    ):
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 404
    assert _count(app, AuditEvent) == events and _count(app, Evaluation) == 0


def test_the_person_page_shows_history_and_records_a_rating(client, auth, app, app_world, people):
    with app_db(app) as session:
        record_award(session, app_world, session.get(Person, people["trang"]), 2024)
    auth.login("staff_a")
    url = f"/register/people/{people['trang']}"
    html = page(client, url)
    assert "15/QĐ-UBND" in html and PRIVATE_VALUES["identity_number"] in html
    bad = _post(client, url, {"year": "năm ngoái", "rating": "good"}, f"{url}/ratings")
    assert bad.status_code == 422 and "“Năm”" in bad.get_data(as_text=True)
    ok = _post(client, url, {"year": "2025", "rating": "excellent"}, f"{url}/ratings")
    assert ok.status_code == 302
    assert "Hoàn thành xuất sắc nhiệm vụ" in page(client, url)


def test_a_transfer_hands_the_person_to_the_new_unit(client, auth, app, app_world, people):
    auth.login("staff_a")
    url = f"/register/people/{people['anh']}"
    response = _post(
        client,
        url,
        {"unit_id": app_world.units["b"].id, "starts_on": "01/09/2026"},
        f"{url}/transfer",
    )
    assert response.status_code == 302
    assert client.get(url).status_code == 404
    auth.logout()
    auth.login("staff_b")
    assert "Lê Đức Anh" in page(client, "/register/")


def test_groups_and_issuers_pages(client, auth, app, people):
    auth.login("staff_a")
    html = page(client, "/register/groups")
    assert "Tổ Toán - Tin" in html and "Trường THPT Chuyên Trần Phú" in html
    added = _post(client, "/register/groups", {"name": "Tổ Văn", "kind": "team"})
    assert added.status_code == 302 and "Tổ Văn" in page(client, "/register/groups")
    same = _post(client, "/register/groups", {"name": "tổ văn", "kind": "team"})
    assert same.status_code == 422
    assert client.get("/register/issuers").status_code == 403
    auth.logout()
    auth.login("reviewer")
    issuer = {"code": "UBND-XA-A", "name": "Chủ tịch UBND xã A", "kind": "commune"}
    assert _post(client, "/register/issuers", issuer).status_code == 302
    assert _post(client, "/register/issuers", issuer).status_code == 422
    assert "Chủ tịch UBND xã A" in page(client, "/register/issuers")


def test_the_office_merges_and_the_old_address_leads_to_the_survivor(client, auth, app, app_world):
    with app_db(app) as session:
        first = make_person(session, app_world, **PRIVATE_VALUES, identity_kind="national_id")
        second = make_person(
            session,
            app_world,
            "Phạm T. Trang",
            unit="b",
            **PRIVATE_VALUES,
            identity_kind="national_id",
        )
        record_award(session, app_world, second, 2023, decision_number="07/QĐ-UBND")
        ids = first.id, second.id
    auth.login("staff_a")
    assert "chỉ Văn phòng Sở được gộp" in page(client, "/register/duplicates")
    assert client.get(f"/register/merge/{ids[0]}/{ids[1]}").status_code == 403
    auth.logout()
    auth.login("reviewer")
    assert f'data-pair="{ids[0]}-{ids[1]}"' in page(client, "/register/duplicates")
    url = f"/register/merge/{ids[0]}/{ids[1]}"
    response = _post(client, url, {"survivor": ids[0]})
    assert response.status_code == 302
    assert (
        client.get(f"/register/people/{ids[1]}")
        .headers["Location"]
        .endswith(f"/register/people/{ids[0]}")
    )
    assert "07/QĐ-UBND" in page(client, f"/register/people/{ids[0]}")


def test_a_group_page_lists_its_members_and_another_unit_gets_404(client, auth, people):
    auth.login("staff_a")
    html = page(client, f"/register/collectives/{people['group']}")
    assert "Phạm Thu Trang" in html and "Lê Đức Anh" not in html
    auth.logout()
    auth.login("staff_b")
    assert client.get(f"/register/collectives/{people['group']}").status_code == 404


def test_an_entry_without_a_published_award_has_no_public_page(client, app, app_world, people):
    with app_db(app) as session:
        record_award(session, app_world, session.get(Person, people["trang"]), 2024)
    # An imported record is for the unit and the Office, not a published outcome.
    assert client.get(f"/register/public/people/{people['trang']}").status_code == 404
    assert client.get(f"/register/public/collectives/{people['group']}").status_code == 404
    assert client.get("/register/public/people/999999").status_code == 404


def test_adding_to_another_unit_is_refused(client, auth, app, app_world, people):
    auth.login("staff_a")
    html = page(client, f"/register/people/new?unit_id={app_world.units['b'].id}")
    assert "Trường THPT Chuyên Trần Phú" in html and "Trường Tiểu học Đặng Trần Côn" not in html
    before = _count(app, Person)
    response = _post(client, "/register/people/new", {**PERSON, "unit_id": app_world.units["b"].id})
    assert response.status_code == 403 and _count(app, Person) == before


def test_the_office_chooses_the_unit_first(client, auth, app_world, people):
    auth.login("reviewer")
    html = page(client, f"/register/people/new?unit_id={app_world.units['b'].id}")
    assert f'name="unit_id" value="{app_world.units["b"].id}"' in html
