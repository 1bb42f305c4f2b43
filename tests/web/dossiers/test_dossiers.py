"""The dossier pages: the unit's list, create and edit with evidence (kept when another field is
wrong), evidence upload, download and removal."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from models import Dossier, Person
from tests.fixtures.dossiers import (
    PNG,
    act,
    attachment_ids,
    chosen,
    nomination_fields,
    page,
    post_with_token,
    setup_dossier,
    snapshot,
    the_dossier,
)
from tests.fixtures.people import PDF, add_person
from tests.fixtures.web import AuthActions, csrf_from

# --- pages render for the right people ----------------------------------------------------


def test_pages_need_sign_in(client, app_world):
    dossier_id = setup_dossier(client.application, app_world)
    for url in (
        "/dossiers/",
        "/dossiers/new/nomination",
        f"/dossiers/{dossier_id}",
        f"/dossiers/{dossier_id}/edit",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.location


@pytest.mark.parametrize("kind", ["nomination", "plan", "report"])
def test_unit_member_sees_list_forms_and_dossier(app, client, app_world, auth, kind):
    dossier_id = setup_dossier(app, app_world, kind)
    auth.login("staff_a")
    listing = page(client, "/dossiers/")
    assert "Hồ sơ kiểm thử" in listing and f"/dossiers/{dossier_id}" in listing
    form = page(client, f"/dossiers/new/{kind}")
    assert "Tiêu đề hồ sơ" in form and 'name="campaign_id"' in form
    detail = page(client, f"/dossiers/{dossier_id}")
    assert "Lịch sử xử lý" in detail and "Tạo hồ sơ" in detail and "data-print" in detail
    assert f"/dossiers/{dossier_id}/actions/submit" in detail  # the staff's button, from the engine
    edit = page(client, f"/dossiers/{dossier_id}/edit")
    assert 'name="version"' in edit and "Hồ sơ kiểm thử" in edit


def test_unit_list_filters_sorts_and_pages(app, client, app_world, auth):
    app.config["PAGE_SIZE"] = 2
    for i in range(3):
        setup_dossier(app, app_world, "plan", title=f"Kế hoạch {i}")
    setup_dossier(
        app,
        app_world,
        "nomination",
        "unit_review",
        title="Đề nghị chờ duyệt",
        nominee_name="Ngô Bảo Châu",
    )
    setup_dossier(app, app_world, "plan", unit="b", title="Kế hoạch của trường khác")
    auth.login("head_a")
    first = page(client, "/dossiers/?sort=title")
    assert "Trang 1/2" in first and "Kế hoạch của trường khác" not in first
    plans = page(client, "/dossiers/?kind=plan&sort=-title")
    assert plans.index("Kế hoạch 2") < plans.index("Kế hoạch 1")
    waiting = page(client, "/dossiers/?state=unit_review")
    assert "Đề nghị chờ duyệt" in waiting and "Kế hoạch 0" not in waiting
    found = page(client, "/dossiers/?q=ngo+bao")  # diacritic-insensitive on the nominee
    assert "Đề nghị chờ duyệt" in found and "Kế hoạch 1" not in found
    assert "Không có hồ sơ nào khớp bộ lọc" in page(
        client, f"/dossiers/?campaign={app_world.ad_hoc.id}&kind=plan"
    )


def test_empty_list_explains_what_to_do(client, app_world, auth):
    auth.login("staff_b")
    html = page(client, "/dossiers/")
    assert "Đơn vị chưa có hồ sơ nào" in html and "/dossiers/new/nomination" in html


def test_people_without_a_unit_have_no_unit_list(client, app_world, auth):
    auth.login("reviewer")
    assert client.get("/dossiers/").status_code == 403
    assert client.get("/dossiers/new/nomination").status_code == 403


def test_unknown_kind_is_404(client, app_world, auth):
    auth.login("staff_a")
    assert client.get("/dossiers/new/letter").status_code == 404


# --- create and edit with evidence ----------------------------------------------------------


def test_create_nomination_with_evidence_through_the_form(app, client, app_world, auth):
    auth.login("staff_a")
    data = nomination_fields(
        app_world,
        files=[(io.BytesIO(PDF), "Tờ trình số 12.pdf"), (io.BytesIO(PNG), "Ảnh giấy khen.png")],
    )
    response = post_with_token(client, "/dossiers/new/nomination", "/dossiers/new/nomination", data)
    assert response.status_code == 302
    dossier = the_dossier(app, "Đề nghị Lao động tiên tiến")
    assert response.location == f"/dossiers/{dossier.id}"
    assert (dossier.state, dossier.nominee_name, dossier.direct_worker, dossier.ad_hoc) == (
        "draft",
        "Đặng Thị Thu",
        True,
        False,
    )
    # The decision's name and position are copied from the register entry.
    assert (dossier.person_id, dossier.position) == (
        app_world.people["teacher_a"].id,
        "Giáo viên Ngữ văn",
    )
    html = page(client, response.location)
    assert "Đã tạo hồ sơ" in html and "Tờ trình số 12.pdf" in html and "Ảnh giấy khen.png" in html
    assert "Giáo viên dạy giỏi cấp thành phố" in html and "Đính kèm tệp" in html


def test_validation_errors_keep_typed_fields_and_uploaded_files(app, client, app_world, auth):
    auth.login("staff_a")
    # A draft may leave the title empty, not overlong.
    data = nomination_fields(
        app_world, title="T" * 401, files=[(io.BytesIO(PDF), "Báo cáo thành tích.pdf")]
    )
    response = post_with_token(client, "/dossiers/new/nomination", "/dossiers/new/nomination", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "vượt quá giới hạn 400 ký tự" in html
    assert (
        chosen(html, app_world.people["teacher_a"]) and "Giáo viên dạy giỏi cấp thành phố" in html
    )
    assert "Báo cáo thành tích.pdf" in html and 'name="keep_pending"' in html
    token = re.search(r'name="pending_token" value="([^"]+)"', html).group(1)
    # The second try sends no file: the waiting one is saved with the dossier.
    fixed = {
        **nomination_fields(app_world),
        "csrf_token": csrf_from(html),
        "pending_token": token,
        "keep_pending": re.search(r'name="keep_pending" value="([^"]+)"', html).group(1),
    }
    response = client.post(
        "/dossiers/new/nomination", data=fixed, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    dossier_id = int(response.location.rsplit("/", 1)[1])
    assert snapshot(app, dossier_id)[3] == 1
    assert "Báo cáo thành tích.pdf" in page(client, response.location)


def test_unticked_waiting_file_is_dropped(app, client, app_world, auth):
    auth.login("staff_a")
    data = nomination_fields(
        app_world, title="T" * 401, files=[(io.BytesIO(PDF), "Không dùng.pdf")]
    )
    html = post_with_token(
        client, "/dossiers/new/nomination", "/dossiers/new/nomination", data
    ).get_data(as_text=True)
    assert "vượt quá giới hạn 400 ký tự" in html
    token = re.search(r'name="pending_token" value="([^"]+)"', html).group(1)
    response = client.post(
        "/dossiers/new/nomination",
        content_type="multipart/form-data",
        data={
            **nomination_fields(app_world),
            "csrf_token": csrf_from(html),
            "pending_token": token,
        },
    )
    assert response.status_code == 302
    assert snapshot(app, int(response.location.rsplit("/", 1)[1]))[3] == 0


def test_waiting_files_of_another_session_are_not_honoured(app, client, app_world, auth):
    auth.login("staff_a")
    data = nomination_fields(
        app_world, title="T" * 401, files=[(io.BytesIO(PDF), "Của người khác.pdf")]
    )
    html = post_with_token(
        client, "/dossiers/new/nomination", "/dossiers/new/nomination", data
    ).get_data(as_text=True)
    token = re.search(r'name="pending_token" value="([^"]+)"', html).group(1)
    other = app.test_client()
    AuthActions(other).login("staff_a")
    form = page(other, "/dossiers/new/nomination")
    response = other.post(
        "/dossiers/new/nomination",
        content_type="multipart/form-data",
        data={
            **nomination_fields(app_world),
            "csrf_token": csrf_from(form),
            "pending_token": token,
            "keep_pending": "x",
        },
    )
    assert response.status_code == 302
    assert snapshot(app, int(response.location.rsplit("/", 1)[1]))[3] == 0


@pytest.mark.parametrize(
    "name,data,message",
    [
        (
            "chuong-trinh.exe",
            b"MZ\x90\x00" + b"\x00" * 60,
            "Tệp “chuong-trinh.exe” không được chấp nhận",
        ),
        ("gia-mao.pdf", b"day khong phai PDF", "Tệp “gia-mao.pdf” không được chấp nhận"),
    ],
)
def test_refused_file_type_on_create_keeps_everything(
    app, client, app_world, auth, name, data, message
):
    auth.login("staff_a")
    fields = nomination_fields(
        app_world, files=[(io.BytesIO(data), name), (io.BytesIO(PDF), "Hợp lệ.pdf")]
    )
    response = post_with_token(
        client, "/dossiers/new/nomination", "/dossiers/new/nomination", fields
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    assert 'value="Đề nghị Lao động tiên tiến"' in html and "Hợp lệ.pdf" in html
    session = app.extensions["vinhdanh.write"]()
    assert session.scalar(select(func.count()).select_from(Dossier)) == 0
    session.close()


def test_oversized_file_is_refused_by_name(app, client, app_world, auth):
    app.config["MAX_UPLOAD_BYTES"] = 1024 * 1024
    auth.login("staff_a")
    big = PDF + b"0" * (1024 * 1024)
    fields = nomination_fields(app_world, files=[(io.BytesIO(big), "Quá lớn.pdf")])
    html = post_with_token(
        client, "/dossiers/new/nomination", "/dossiers/new/nomination", fields
    ).get_data(as_text=True)
    assert "Tệp “Quá lớn.pdf” (1,1 MB) quá lớn: tối đa 1 MB mỗi tệp" in html
    assert chosen(html, app_world.people["teacher_a"])


def test_the_nominee_is_a_current_person_of_the_unit(app, client, app_world, auth):
    auth.login("staff_a")
    form = page(client, "/dossiers/new/nomination")
    # The unit's own people only, by given name, with position; the other school's are not.
    assert "Đặng Thị Thu — Giáo viên Ngữ văn" in form and "Phan Văn Khải" not in form
    assert form.index(">Trần Văn Bình —") < form.index(">Nguyễn Thị Hồng —")  # Bình, then Hồng
    data = nomination_fields(app_world, person_id=str(app_world.people["teacher_b"].id))
    response = post_with_token(client, "/dossiers/new/nomination", "/dossiers/new/nomination", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Chưa lưu được hồ sơ" in html
    assert 'value="Đề nghị Lao động tiên tiến"' in html and "Giáo viên dạy giỏi" in html
    session = app.extensions["vinhdanh.write"]()
    assert session.scalar(select(func.count()).select_from(Dossier)) == 0
    session.close()


def test_an_empty_register_is_said_on_the_form(app, client, app_world, auth):
    with app.app_context():
        session = app.extensions["vinhdanh.write"]()
        for username in ("staff_b", "head_b", "teacher_b"):
            session.get(Person, app_world.people[username].id).unit_id = None
        session.commit()
        session.close()
    auth.login("staff_b")
    html = page(client, "/dossiers/new/nomination")
    assert "Sổ theo dõi cá nhân của đơn vị chưa có ai" in html


def test_request_over_the_limit_shows_the_413_page(app, client, app_world, auth):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    auth.login("staff_a")
    dossier_id = setup_dossier(app, app_world)
    html = page(client, f"/dossiers/{dossier_id}")
    response = client.post(
        f"/dossiers/{dossier_id}/attachments",
        content_type="multipart/form-data",
        data={
            "csrf_token": csrf_from(html),
            "files": [(io.BytesIO(PDF + b"0" * 100_000), "to.pdf")],
        },
    )
    assert response.status_code == 413 and "Tệp quá lớn" in response.get_data(as_text=True)
    assert snapshot(app, dossier_id)[3] == 1


def test_award_must_fit_the_nominee_kind(app, client, app_world, auth):
    auth.login("staff_a")
    fields = nomination_fields(app_world, nominee_kind="collective")  # LĐTT is for individuals
    html = post_with_token(
        client, "/dossiers/new/nomination", "/dossiers/new/nomination", fields
    ).get_data(as_text=True)
    assert "Danh hiệu này dành cho cá nhân" in html


def test_member_of_two_units_picks_the_unit(app, client, app_world, auth):
    session = app.extensions["vinhdanh.write"]()
    add_person(
        session, app_world, "staff_ab", "Lương Thị Hai", [("unit_staff", "a"), ("unit_staff", "b")]
    )
    session.commit()
    session.close()
    auth.login("staff_ab")
    form = page(client, "/dossiers/new/plan")
    assert "Trường Tiểu học Đặng Trần Côn" in form and "Bạn thuộc nhiều đơn vị" in form
    fields = {
        "title": "Kế hoạch của trường B",
        "campaign_id": str(app_world.campaign.id),
        "summary": "Nội dung",
        "unit_id": str(app_world.units["b"].id),
    }
    response = post_with_token(client, "/dossiers/new/plan", "/dossiers/new/plan", fields)
    assert response.status_code == 302
    assert the_dossier(app, "Kế hoạch của trường B").unit_id == app_world.units["b"].id
    missing = post_with_token(
        client, "/dossiers/new/plan", "/dossiers/new/plan", {**fields, "unit_id": ""}
    )
    assert "Vui lòng chọn “Đơn vị”" in missing.get_data(as_text=True)
    foreign = post_with_token(
        client,
        "/dossiers/new/plan",
        "/dossiers/new/plan",
        {**fields, "unit_id": str(app_world.units["dept"].id)},
    )
    assert "Lựa chọn không hợp lệ" in foreign.get_data(as_text=True)


def test_edit_saves_with_version_and_audits(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world)
    before = snapshot(app, dossier_id)
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}/edit")
    fields = nomination_fields(
        app_world, title="Tiêu đề đã sửa", csrf_token=csrf_from(html), version=str(before[1])
    )
    response = client.post(f"/dossiers/{dossier_id}/edit", data=fields)
    assert response.status_code == 302
    state, version, events, _files = snapshot(app, dossier_id)
    assert version > before[1] and events == before[2] + 1
    detail = page(client, f"/dossiers/{dossier_id}")
    assert "Tiêu đề đã sửa" in detail and "Sửa nội dung" in detail and "Đã sửa: Tiêu đề" in detail


def test_edit_on_a_stale_version_keeps_the_input_and_changes_nothing(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world)
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}/edit")
    old_version = re.search(
        r'name="version" type="hidden" value="(\d+)"|name="version" value="(\d+)"', html
    )
    old_version = old_version.group(1) or old_version.group(2)
    other = app.test_client()  # the head edits first
    AuthActions(other).login("head_a")
    other_html = page(other, f"/dossiers/{dossier_id}/edit")
    other.post(
        f"/dossiers/{dossier_id}/edit",
        data=nomination_fields(
            app_world,
            title="Sửa của thủ trưởng",
            csrf_token=csrf_from(other_html),
            version=old_version,
        ),
    )
    before = snapshot(app, dossier_id)
    response = client.post(
        f"/dossiers/{dossier_id}/edit",
        data=nomination_fields(
            app_world, title="Sửa của cán bộ", csrf_token=csrf_from(html), version=old_version
        ),
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert (
        "Người khác đã thao tác trên hồ sơ này trước bạn" in body
        and 'value="Sửa của cán bộ"' in body
    )
    assert snapshot(app, dossier_id) == before
    assert the_dossier(app, "Sửa của thủ trưởng").id == dossier_id


def test_edit_is_refused_outside_draft_and_returned(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world, state="unit_review")
    auth.login("staff_a")
    response = client.get(f"/dossiers/{dossier_id}/edit", follow_redirects=True)
    assert "không được chỉnh sửa" in response.get_data(as_text=True)
    assert "Sửa nội dung</a>" not in page(client, f"/dossiers/{dossier_id}")


def test_edit_posted_after_the_dossier_was_sent_keeps_the_input(app, client, app_world, auth):
    """The head submitted it while the staff member was typing: refused, and nothing typed is
    lost."""
    dossier_id = setup_dossier(app, app_world)
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}/edit")
    version = re.search(
        r'name="version" type="hidden" value="(\d+)"|name="version" value="(\d+)"', html
    )
    other = app.test_client()
    AuthActions(other).login("head_a")
    act(other, dossier_id, "submit")
    before = snapshot(app, dossier_id)
    response = client.post(
        f"/dossiers/{dossier_id}/edit",
        data=nomination_fields(
            app_world,
            title="Đoạn đã gõ dở",
            csrf_token=csrf_from(html),
            version=version.group(1) or version.group(2),
        ),
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "không được chỉnh sửa" in body and 'value="Đoạn đã gõ dở"' in body
    assert snapshot(app, dossier_id) == before


# --- evidence on an existing dossier ------------------------------------------------------


def test_attachment_download_is_scoped_and_safe(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world)
    attachment_id = attachment_ids(app, dossier_id)[0]
    auth.login("staff_a")
    response = client.get(f"/dossiers/attachments/{attachment_id}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert (
        disposition.startswith("attachment")
        and "filename*=UTF-8''Minh%20ch%E1%BB%A9ng%201.pdf" in disposition
    )
    auth.logout()
    auth.login("head_b")
    assert client.get(f"/dossiers/attachments/{attachment_id}").status_code == 404


def test_upload_keeps_good_files_and_names_the_refused_one(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world)
    before = snapshot(app, dossier_id)
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}")
    response = client.post(
        f"/dossiers/{dossier_id}/attachments",
        content_type="multipart/form-data",
        follow_redirects=True,
        data={
            "csrf_token": csrf_from(html),
            "files": [
                (io.BytesIO(PDF + b"2"), "Biên bản họp.pdf"),
                (io.BytesIO(b"MZ\x90"), "cai-dat.exe"),
            ],
        },
    )
    body = response.get_data(as_text=True)
    assert (
        "Đã đính kèm: “Biên bản họp.pdf”" in body
        and "Tệp “cai-dat.exe” không được chấp nhận" in body
    )
    assert snapshot(app, dossier_id)[3] == before[3] + 1


def test_upload_and_removal_are_refused_when_not_editable(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world, state="unit_review")
    before = snapshot(app, dossier_id)
    attachment_id = attachment_ids(app, dossier_id)[0]
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}")
    assert "Tải thêm tệp minh chứng" not in html
    token = csrf_from(html)
    client.post(
        f"/dossiers/{dossier_id}/attachments",
        content_type="multipart/form-data",
        data={"csrf_token": token, "files": [(io.BytesIO(PDF), "Thêm.pdf")]},
    )
    client.post(f"/dossiers/attachments/{attachment_id}/delete", data={"csrf_token": token})
    assert snapshot(app, dossier_id) == before
    auth.logout()
    auth.login("head_b")
    foreign = client.post(
        f"/dossiers/attachments/{attachment_id}/delete",
        data={"csrf_token": csrf_from(page(client, "/"))},
    )
    assert foreign.status_code == 404 and snapshot(app, dossier_id) == before


def test_remove_an_attachment_from_a_draft(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world, evidence_files=2)
    attachment_id = attachment_ids(app, dossier_id)[0]
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}/edit")
    response = client.post(
        f"/dossiers/attachments/{attachment_id}/delete",
        follow_redirects=True,
        data={"csrf_token": csrf_from(html), "next": f"/dossiers/{dossier_id}/edit"},
    )
    body = response.get_data(as_text=True)
    assert "Đã gỡ tệp “Minh chứng 1.pdf” khỏi hồ sơ." in body and "Sửa hồ sơ" in body
    assert attachment_ids(app, dossier_id) != [] and attachment_id not in attachment_ids(
        app, dossier_id
    )
    assert "Gỡ tệp" in page(client, f"/dossiers/{dossier_id}")


def test_dossier_page_in_english(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world, state="returned")
    auth.login("staff_a")
    home = page(client, "/")
    client.post("/lang/en", data={"csrf_token": csrf_from(home), "next": f"/dossiers/{dossier_id}"})
    html = page(client, f"/dossiers/{dossier_id}")
    for text in (
        "History",
        "Dossier returned – reason",
        "Returned for correction",
        "Resubmit",
        "Evidence files",
    ):
        assert text in html, text


def test_unit_list_rows_show_the_nominee_award_tags_and_return_reason(app, client, app_world, auth):
    dossier_id = setup_dossier(
        app,
        app_world,
        "nomination",
        "returned",
        title="Đề nghị bị trả lại",
        nominee_name="Ngô Bảo Châu",
        ad_hoc=True,
        direct_worker=True,
    )
    setup_dossier(app, app_world, "plan", title="Kế hoạch nháp")
    with app.app_context():
        session = app.extensions["vinhdanh.write"]()
        nomination = session.get(Dossier, dossier_id)
        nomination.return_reason = "Thiếu minh chứng <bản gốc>"  # as the Office's return writes it
        session.commit()
        award = (nomination.award_type.name_vi, nomination.award_type.name_en)
        campaign = nomination.campaign.name
        session.close()
    auth.login("staff_a")
    listing = page(client, "/dossiers/")
    row = re.search(
        rf'<tr class="tone-danger">\s*<td class="num">{dossier_id}</td>.*?</tr>', listing, re.S
    )
    assert row, listing
    row = " ".join(row.group(0).split())
    assert f"Ngô Bảo Châu · {award[0]}" in row
    assert '<span class="tag">Đột xuất</span>' in row
    assert '<span class="tag">Lao động trực tiếp</span>' in row
    assert "Lý do trả lại: Thiếu minh chứng &lt;bản gốc&gt;" in row
    assert f"<td>{campaign}</td>" in row and 'data-state="returned"' in row
    assert "Kế hoạch nháp" in listing
    client.post("/lang/en", data={"csrf_token": csrf_from(listing), "next": "/"})
    english = " ".join(page(client, "/dossiers/").split())
    assert f"Ngô Bảo Châu · {award[1]}" in english and "Returned for correction" in english
