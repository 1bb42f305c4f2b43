"""The dossier page's actions: every transition through POST /dossiers/<id>/actions/<trigger>,
refusals that change nothing (403, 404, 409, stale version), scope, and the key story on
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest

from tests.fixtures.dossiers import (
    act,
    attachment_ids,
    nomination_fields,
    page,
    post_with_token,
    setup_dossier,
    snapshot,
)
from tests.fixtures.people import PDF, make_council_session
from tests.fixtures.web import AuthActions, csrf_from
from web import create_app
from workflow.core.audit import verify
from workflow.publication import decisions

# --- transitions through POST /dossiers/<id>/actions/<trigger> -----------------------------


def test_the_whole_unit_and_office_path_through_the_pages(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world)
    auth.login("staff_a")
    response = act(client, dossier_id, "submit", follow=True)
    assert (
        "Đã thực hiện: Gửi thủ trưởng duyệt. Trạng thái mới: Chờ thủ trưởng duyệt."
        in response.get_data(as_text=True)
    )
    auth.logout()
    auth.login("head_a")
    act(client, dossier_id, "unit_return", reason="Thiếu biên bản họp hội đồng thi đua đơn vị.")
    assert snapshot(app, dossier_id)[0] == "draft"
    html = page(client, f"/dossiers/{dossier_id}")
    assert (
        "Hồ sơ bị trả lại – lý do" in html and "Thiếu biên bản họp hội đồng thi đua đơn vị." in html
    )
    auth.logout()
    auth.login("staff_a")
    act(client, dossier_id, "submit")
    auth.logout()
    auth.login("head_a")
    act(client, dossier_id, "unit_approve")
    assert snapshot(app, dossier_id)[0] == "office_review"
    auth.logout()
    auth.login("reviewer")
    act(
        client,
        dossier_id,
        "office_return",
        reason="Bổ sung bản sao quyết định công nhận sáng kiến.",
    )
    auth.logout()
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}")
    assert "Trả lại bổ sung" in html and "Bổ sung bản sao quyết định công nhận sáng kiến." in html
    assert html.index("Hồ sơ bị trả lại") < html.index("Nội dung hồ sơ")  # shown first, prominently
    act(client, dossier_id, "resubmit")
    assert snapshot(app, dossier_id)[0] == "unit_review"
    auth.logout()
    auth.login("head_a")
    act(client, dossier_id, "withdraw", reason="Đơn vị rút để đề nghị vào đợt sau.")
    assert snapshot(app, dossier_id)[0] == "withdrawn"
    timeline = page(client, f"/dossiers/{dossier_id}")
    for text in (
        "Thiếu biên bản họp hội đồng thi đua đơn vị.",
        "Bổ sung bản sao quyết định công nhận sáng kiến.",
        "Đơn vị rút để đề nghị vào đợt sau.",
        "Trần Văn Bình",
        "Đặng Thu Hà",
        "Chuyên viên Văn phòng Sở",
        "Rút hồ sơ",
        "Hồ sơ đã kết thúc quy trình",
    ):
        assert text in timeline, text
    session = app.extensions["vinhdanh.write"]()
    assert verify(session).ok
    session.close()


def test_council_and_publication_through_the_page(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world, state="council_review")
    session = app.extensions["vinhdanh.write"]()
    council = make_council_session(session, app_world)
    session.commit()
    council_id = council.id
    session.close()
    auth.login("secretary")
    html = page(client, f"/dossiers/{dossier_id}")
    assert 'name="session_id"' in html and 'name="votes_for"' in html
    act(
        client,
        dossier_id,
        "council_approve",
        session_id=str(council_id),
        votes_for="5",
        votes_against="0",
        votes_abstain="0",
    )
    assert snapshot(app, dossier_id)[0] == "approved"
    html = page(client, f"/dossiers/{dossier_id}")
    # A nomination is published by issuing its award decision: no form for it here, and a
    # form posted anyway is refused with nothing changed.
    assert 'name="decision_number"' not in html and "Kết quả xét của Hội đồng" in html
    assert "Công bố: hồ sơ đề nghị khen thưởng chỉ được công bố khi ban hành quyết định" in html
    before = snapshot(app, dossier_id)
    response = act(
        client,
        dossier_id,
        "publish",
        decision_number="12/QĐ-SGDĐT",
        decision_date="2026-06-10",
        decision_signer="Nguyễn Văn Giám",
    )
    assert response.status_code == 409 and snapshot(app, dossier_id) == before
    assert "chỉ được công bố khi ban hành quyết định khen thưởng" in response.get_data(as_text=True)
    session = app.extensions["vinhdanh.write"]()
    secretary = app_world.actor("secretary")
    draft = decisions.create(
        session,
        secretary,
        number="12/QĐ-SGDĐT",
        decided_on=dt.date(2026, 6, 10),
        signer="Nguyễn Văn Giám",
        title="Về việc khen thưởng",
        legal_bases="",
        dossier_ids=[dossier_id],
    )
    decisions.issue(session, draft.id, secretary)
    session.commit()
    session.close()
    html = page(client, f"/dossiers/{dossier_id}")
    assert "Đã công bố theo Quyết định số 12/QĐ-SGDĐT ngày 10/06/2026" in html
    assert "5 đồng ý, 0 không đồng ý, 0 không biểu quyết" in html


def test_report_classification_select(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world, kind="report", state="council_review")
    session = app.extensions["vinhdanh.write"]()
    council_id = make_council_session(session, app_world).id
    session.commit()
    session.close()
    auth.login("secretary")
    assert "Hoàn thành xuất sắc nhiệm vụ" in page(client, f"/dossiers/{dossier_id}")
    act(
        client,
        dossier_id,
        "council_classify",
        session_id=str(council_id),
        classification="good",
        votes_for="4",
        votes_against="1",
        votes_abstain="0",
    )
    html = page(client, f"/dossiers/{dossier_id}")
    assert snapshot(app, dossier_id)[0] == "classified" and "Hoàn thành tốt nhiệm vụ" in html


def test_missing_reason_shows_the_rule_and_keeps_the_rest(app, client, app_world, auth):
    # A report the Council classified is published from its page with the decision typed.
    dossier_id = setup_dossier(app, app_world, kind="report", state="classified")
    before = snapshot(app, dossier_id)
    auth.login("secretary")
    response = act(
        client,
        dossier_id,
        "publish",
        decision_number="sai số",
        decision_date="2026-06-10",
        decision_signer="Nguyễn Văn Giám",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Số quyết định “sai số” không đúng mẫu" in html and 'value="Nguyễn Văn Giám"' in html
    assert snapshot(app, dossier_id) == before


def test_disabled_buttons_list_the_rules_not_met(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world, evidence_files=0)
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}")
    assert "Hồ sơ chưa có tệp minh chứng nào." in html and "disabled" in html
    response = act(client, dossier_id, "submit")
    assert response.status_code == 409 and snapshot(app, dossier_id)[0] == "draft"


@pytest.mark.parametrize(
    "who,state,trigger,unit,status",
    [
        ("staff_a", "unit_review", "unit_approve", "a", 403),  # role may not
        (
            "head_b",
            "unit_review",
            "unit_approve",
            "a",
            404,
        ),  # another unit's dossier: not even seen
        ("reviewer", "draft", "submit", "a", 404),  # not yet sent to the Department
        ("reviewer", "returned", "resubmit", "a", 403),  # seen, but a unit's action
        ("staff_a", "office_review", "office_approve", "a", 403),
        ("secretary", "office_review", "office_return", "a", 403),
        ("staff_b", "draft", "submit", "a", 404),
    ],
)
def test_forbidden_transition_is_refused_and_changes_nothing(
    app, client, app_world, auth, who, state, trigger, unit, status
):
    dossier_id = setup_dossier(app, app_world, state=state, unit=unit)
    before = snapshot(app, dossier_id)
    auth.login(who)
    html = page(client, "/")
    response = client.post(
        f"/dossiers/{dossier_id}/actions/{trigger}",
        data={"csrf_token": csrf_from(html), "version": str(before[1]), "reason": "Thử"},
    )
    assert response.status_code == status
    assert snapshot(app, dossier_id) == before
    if status == 404:
        assert "Hồ sơ kiểm thử" not in response.get_data(as_text=True)


def test_transition_from_the_wrong_state_is_a_rule_refusal(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world, state="office_review")
    before = snapshot(app, dossier_id)
    auth.login("reviewer")
    html = page(client, f"/dossiers/{dossier_id}")
    response = client.post(
        f"/dossiers/{dossier_id}/actions/submit",
        data={"csrf_token": csrf_from(html), "version": str(before[1])},
    )
    assert (
        response.status_code == 409
        and "không thể thực hiện" in response.get_data(as_text=True).lower()
    )
    assert snapshot(app, dossier_id) == before


def test_refusal_with_next_goes_back_there_with_the_message(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world, state="office_review")
    auth.login("reviewer")
    html = page(client, f"/dossiers/{dossier_id}")
    response = client.post(
        f"/dossiers/{dossier_id}/actions/office_return",
        data={"csrf_token": csrf_from(html), "next": "/dossiers/999?x=1"},
    )
    assert response.status_code == 302 and response.location == "/dossiers/999?x=1"
    with client.session_transaction() as flask_session:
        assert "Vui lòng nhập lý do." in str(flask_session["_flashes"])
    evil = client.post(
        f"/dossiers/{dossier_id}/actions/office_return",
        data={
            "csrf_token": csrf_from(html),
            "next": "//evil.example/",
            "reason": "Thiếu minh chứng",
        },
    )
    assert evil.location == f"/dossiers/{dossier_id}"


def test_second_person_acting_on_an_old_page_is_told_someone_acted_first(
    app, client, app_world, auth
):
    dossier_id = setup_dossier(app, app_world, state="unit_review")
    auth.login("head_a")
    html = page(client, f"/dossiers/{dossier_id}")
    shown_version = re.search(r'name="version" value="(\d+)"', html).group(1)
    other = app.test_client()
    AuthActions(other).login("head_a")
    assert act(other, dossier_id, "unit_approve").status_code == 302
    before = snapshot(app, dossier_id)
    response = client.post(
        f"/dossiers/{dossier_id}/actions/unit_return",
        data={"csrf_token": csrf_from(html), "version": shown_version, "reason": "Sửa lại"},
        follow_redirects=True,
    )
    body = response.get_data(as_text=True)
    assert (
        "Người khác đã thao tác trên hồ sơ này trước bạn" in body
        and "Văn phòng Sở thẩm định" in body
    )
    assert snapshot(app, dossier_id) == before


def test_post_without_csrf_token_is_refused(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world)
    before = snapshot(app, dossier_id)
    auth.login("staff_a")
    for url in (
        f"/dossiers/{dossier_id}/actions/submit",
        f"/dossiers/{dossier_id}/edit",
        "/dossiers/new/nomination",
        f"/dossiers/{dossier_id}/attachments",
    ):
        assert client.post(url, data={"version": str(before[1]), "title": "x"}).status_code == 400
    assert snapshot(app, dossier_id) == before


# --- scope: another unit's dossier and evidence --------------------------------------------


@pytest.mark.parametrize("who", ["staff_b", "head_b", "reviewer", "secretary", "member1"])
def test_another_units_draft_is_not_found_and_not_shown(app, client, app_world, auth, who):
    dossier_id = setup_dossier(
        app, app_world, title="Bí mật của trường A", nominee_name="Trương Vô Kỵ"
    )
    attachment_id = attachment_ids(app, dossier_id)[0]
    auth.login(who)
    for url in (
        f"/dossiers/{dossier_id}",
        f"/dossiers/{dossier_id}/edit",
        f"/dossiers/attachments/{attachment_id}",
    ):
        response = client.get(url)
        body = response.get_data(as_text=True)
        assert (
            response.status_code == 404
            and "Bí mật của trường A" not in body
            and "Trương Vô Kỵ" not in body
        )
    if who.endswith("_b"):
        assert "Bí mật của trường A" not in page(client, "/dossiers/")


def test_department_sees_sent_dossiers_but_may_not_edit_them(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world, state="office_review")
    auth.login("reviewer")
    assert f"/dossiers/{dossier_id}/actions/office_approve" in page(
        client, f"/dossiers/{dossier_id}"
    )
    assert client.get(f"/dossiers/{dossier_id}/edit").status_code == 403


# --- the key stories on both databases -----------------------------------------------------


@pytest.fixture()
def db_app(fresh_url, tmp_path):
    """The app on this test's own database of the current backend (SQLite and PostgreSQL)."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": fresh_url,
            "SECRET_KEY": "test-secret",
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "RATELIMIT_ENABLED": False,
            "PENDING_UPLOAD_DIR": str(tmp_path / "pending"),
        }
    )
    yield app
    app.extensions["vinhdanh.engine"].dispose()


@pytest.fixture()
def db_world(db_app):
    from tests.fixtures.people import build_world

    session = db_app.extensions["vinhdanh.write"]()
    world = build_world(session, Path(db_app.config["UPLOAD_DIR"]))
    session.commit()
    session.close()
    return world


@pytest.mark.db
def test_create_submit_approve_and_refusals_on_each_database(db_app, db_world):
    client = db_app.test_client()
    auth = AuthActions(client)
    auth.login("staff_a")
    response = post_with_token(
        client,
        "/dossiers/new/nomination",
        "/dossiers/new/nomination",
        nomination_fields(db_world, files=[(io.BytesIO(PDF), "Tờ trình.pdf")]),
    )
    assert response.status_code == 302
    dossier_id = int(response.location.rsplit("/", 1)[1])
    act(client, dossier_id, "submit")
    before = snapshot(db_app, dossier_id)
    assert before[0] == "unit_review"
    forbidden = act(client, dossier_id, "unit_approve")  # staff may not approve
    assert forbidden.status_code == 403 and snapshot(db_app, dossier_id) == before
    auth.logout()
    auth.login("head_b")
    assert client.get(f"/dossiers/{dossier_id}").status_code == 404
    assert snapshot(db_app, dossier_id) == before
    auth.logout()
    auth.login("head_a")
    html = page(client, f"/dossiers/{dossier_id}")
    stale_version = re.search(r'name="version" value="(\d+)"', html).group(1)
    assert act(client, dossier_id, "unit_approve").status_code == 302
    after = snapshot(db_app, dossier_id)
    assert after[0] == "office_review"
    late = client.post(
        f"/dossiers/{dossier_id}/actions/withdraw",
        follow_redirects=True,
        data={"csrf_token": csrf_from(html), "version": stale_version, "reason": "Rút"},
    )
    assert "Người khác đã thao tác trên hồ sơ này trước bạn" in late.get_data(as_text=True)
    assert snapshot(db_app, dossier_id) == after
    session = db_app.extensions["vinhdanh.write"]()
    assert verify(session).ok
    session.close()


@pytest.mark.parametrize(
    "who,can_act",
    [
        ("reviewer", True),
        ("reviewer2", True),
        ("secretary", False),
        ("member1", False),
        ("admin", False),
    ],
)
def test_department_roles_read_a_sent_dossier(app, client, app_world, auth, who, can_act):
    dossier_id = setup_dossier(app, app_world, state="office_review", title="Hồ sơ đã gửi Sở")
    auth.login(who)
    html = page(client, f"/dossiers/{dossier_id}")
    assert "Hồ sơ đã gửi Sở" in html and "Lịch sử xử lý" in html and "Minh chứng 1.pdf" in html
    assert (f"/dossiers/{dossier_id}/actions/office_approve" in html) is can_act
    assert "Sửa nội dung</a>" not in html and "Tải thêm tệp minh chứng" not in html
