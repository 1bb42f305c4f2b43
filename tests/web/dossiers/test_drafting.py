"""The drafting pages: a half-done draft is saved and told what is missing; a document slot per
award rule; a file's type changed on the dossier page and on the edit form; the checklist
drawn again from the form's values; the head warned before sending a late plan."""

from __future__ import annotations

import io
import json
import re

from sqlalchemy import select

from models import Attachment, AuditEvent, Dossier
from tests.fixtures.awards import rule
from tests.fixtures.dossiers import page, post_with_token, setup_dossier, snapshot
from tests.fixtures.people import PDF
from tests.fixtures.web import AuthActions, app_db, csrf_from


def _evidence_rule(app, app_world) -> None:
    with app_db(app) as session:
        rule(
            session,
            app_world,
            app_world.awards["ldtt"],
            kind="evidence",
            purpose="achievement_report",
        )
        session.commit()


def _purposes(app, dossier_id: int) -> dict[str, str]:
    with app_db(app) as session:
        return dict(
            session.execute(
                select(Attachment.original_name, Attachment.purpose).where(
                    Attachment.dossier_id == dossier_id
                )
            ).all()
        )


def test_a_half_done_draft_is_saved_and_told_what_is_missing(app, client, app_world, auth):
    _evidence_rule(app, app_world)
    auth.login("staff_a")
    form = page(client, "/dossiers/new/nomination")
    # One slot per document an award may ask for, and "Minh chứng khác"; the checklist beside.
    assert 'name="files_achievement_report"' in form and 'name="files"' in form
    assert 'id="form-checklist"' in form and "Cần có trước khi gửi" in form
    response = post_with_token(
        client,
        "/dossiers/new/nomination",
        "/dossiers/new/nomination",
        {
            "campaign_id": str(app_world.ad_hoc.id),
            "nominee_kind": "individual",
            "award_type_id": str(app_world.awards["ldtt"].id),
            "files_achievement_report": [(io.BytesIO(PDF + b"r"), "bao-cao-thanh-tich.pdf")],
            "files": [(io.BytesIO(PDF + b"o"), "anh.pdf")],
        },
    )
    assert response.status_code == 302
    dossier_id = int(response.location.rsplit("/", 1)[1])
    assert _purposes(app, dossier_id) == {
        "bao-cao-thanh-tich.pdf": "achievement_report",
        "anh.pdf": "evidence",
    }
    html = page(client, response.location)
    assert (
        "Còn thiếu trước khi gửi đi: “Tiêu đề”, “Người hoặc tập thể được đề nghị”, “Thành tích”."
        in html
    )
    # The send button says why not yet, naming each field.
    assert "Vui lòng nhập “Tiêu đề”." in html and "Vui lòng nhập “Thành tích”." in html
    assert 'data-check="evidence:achievement_report"' in html


def test_the_edit_form_keeps_a_half_done_draft_and_retypes_files(app, client, app_world, auth):
    _evidence_rule(app, app_world)
    dossier_id = setup_dossier(app, app_world)
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}/edit")
    attachment = re.search(r'name="purpose_(\d+)"', html).group(1)
    assert 'form="dossier-form"' in html  # the type is saved with the form, outside it
    version = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    response = client.post(
        f"/dossiers/{dossier_id}/edit",
        content_type="multipart/form-data",
        data={
            "csrf_token": csrf_from(html),
            "version": version,
            "title": "",
            "campaign_id": str(app_world.ad_hoc.id),
            "nominee_kind": "individual",
            "person_id": str(app_world.people["teacher_a"].id),
            "award_type_id": str(app_world.awards["ldtt"].id),
            "achievements": "",
            f"purpose_{attachment}": "achievement_report",
        },
    )
    assert response.status_code == 302
    assert list(_purposes(app, dossier_id).values()) == ["achievement_report"]
    with app_db(app) as session:
        dossier = session.get(Dossier, dossier_id)
        assert (dossier.title, dossier.achievements) == ("", "")
        event = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "retype", AuditEvent.entity_id == dossier_id
            )
        ).one()
        assert json.loads(event.changes)["purpose"] == ["evidence", "achievement_report"]
    detail = page(client, f"/dossiers/{dossier_id}")
    assert "Còn thiếu trước khi gửi đi: “Tiêu đề”, “Thành tích”." in detail
    assert "Đổi loại tệp" in detail and "Minh chứng khác → Báo cáo thành tích" in detail


def _retype(client, attachment_id: int, purpose: str, version: str | None, html: str):
    data = {"csrf_token": csrf_from(html), "purpose": purpose}
    if version is not None:
        data["version"] = version
    return client.post(f"/dossiers/attachments/{attachment_id}/purpose", data=data)


def test_a_files_type_is_changed_on_the_dossier_page(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world)
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}")
    attachment = int(re.search(r"/dossiers/attachments/(\d+)/purpose", html).group(1))
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    response = _retype(client, attachment, "minutes", version, html)
    assert response.status_code == 302
    shown = page(client, f"/dossiers/{dossier_id}")
    assert "thành “Biên bản họp xét thi đua, khen thưởng”" in shown
    assert list(_purposes(app, dossier_id).values()) == ["minutes"]
    # The page it was drawn from is stale now: refused, nothing changes.
    before = snapshot(app, dossier_id)
    stale = _retype(client, attachment, "initiative", version, html)
    assert stale.status_code == 302 and snapshot(app, dossier_id) == before
    assert "Người khác đã thao tác trên hồ sơ này trước bạn" in page(
        client, f"/dossiers/{dossier_id}"
    )


def test_others_cannot_change_a_files_type(app, app_world):
    draft = setup_dossier(app, app_world)
    sent = setup_dossier(app, app_world, state="office_review")
    cases = (
        (draft, "staff_b", 404),  # another unit's: not seen
        (draft, "reviewer", 404),  # a draft is the unit's alone
        (sent, "reviewer", 403),  # seen by the Office, not the Office's to change
        (sent, "staff_a", 302),  # the unit's, but sent on: told so on the page
    )
    for dossier_id, username, status in cases:
        with app_db(app) as session:
            attachment = session.scalar(
                select(Attachment.id).where(Attachment.dossier_id == dossier_id)
            )
        before = snapshot(app, dossier_id)
        other = app.test_client()
        AuthActions(other).login(username)
        response = _retype(other, attachment, "minutes", None, page(other, "/"))
        assert response.status_code == status, username
        assert snapshot(app, dossier_id) == before


def test_the_checklist_is_drawn_again_from_the_forms_values(app, client, app_world, auth):
    _evidence_rule(app, app_world)
    dossier_id = setup_dossier(app, app_world)
    auth.login("staff_a")
    base = {
        "dossier_id": dossier_id,
        "title": "Đề nghị",
        "campaign_id": app_world.ad_hoc.id,
        "nominee_kind": "individual",
        "person_id": app_world.people["teacher_a"].id,
        "award_type_id": app_world.awards["ldtt"].id,
        "achievements": "Giỏi",
    }
    html = page(
        client, "/dossiers/checklist/nomination?" + "&".join(f"{k}={v}" for k, v in base.items())
    )
    assert 'data-slots="achievement_report evidence"' in html
    assert re.search(r'check-fail" data-check="evidence:achievement_report"', html)
    chosen = page(
        client,
        "/dossiers/checklist/nomination?"
        + "&".join(f"{k}={v}" for k, v in base.items())
        + "&chosen=achievement_report",
    )
    assert re.search(r'check-ok" data-check="evidence:achievement_report"', chosen)
    assert "Đã đủ thông tin bắt buộc để gửi." in chosen
    empty = page(
        client,
        f"/dossiers/checklist/nomination?dossier_id={dossier_id}&award_type_id={base['award_type_id']}&nominee_kind=individual&campaign_id={base['campaign_id']}",
    )
    assert "Vui lòng nhập “Tiêu đề”." in empty and "Chọn người được đề nghị" in empty
    # Another unit's dossier is not found; the Office does not draft.
    other = app.test_client()
    AuthActions(other).login("staff_b")
    assert other.get(f"/dossiers/checklist/nomination?dossier_id={dossier_id}").status_code == 404
    office = app.test_client()
    AuthActions(office).login("reviewer")
    assert office.get("/dossiers/checklist/nomination").status_code == 403


def test_the_head_is_warned_before_sending_a_late_plan(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world, "plan", "unit_review")
    auth.login("head_a")
    html = page(client, f"/dossiers/{dossier_id}")
    warning = "Kế hoạch sẽ được ghi nhận là nộp muộn 271 ngày (hạn 10/03/2026)."
    assert f"data-late-warning>{warning}</p>" in html
    assert re.search(r'data-confirm="Kế hoạch sẽ được ghi nhận là nộp muộn 271 ngày', html)
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    response = client.post(
        f"/dossiers/{dossier_id}/actions/unit_approve",
        data={"csrf_token": csrf_from(html), "version": version},
    )
    assert response.status_code == 302
    with app_db(app) as session:
        assert session.get(Dossier, dossier_id).sent_late is True
    sent = page(client, f"/dossiers/{dossier_id}")
    assert "data-late-warning" not in sent and "Nộp muộn" in sent
    # A report due 10/12 sent on 6/12 is on time: no warning.
    report = setup_dossier(app, app_world, "report", "unit_review")
    assert "data-late-warning" not in page(client, f"/dossiers/{report}")


def test_the_checklist_reads_odd_values_as_a_save_would(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world)
    auth.login("staff_a")
    for query in (
        "person_id=99999999999999999999",
        "award_type_id=99999999999999999999",
        "campaign_id=²&nominee_kind=nhóm",
        "unit_id=99999999999999999999&person_id=1",
        "dossier_id=99999999999999999999",
        "nominee_kind=collective&collective_id=99999999999999999999",
        f"dossier_id={dossier_id}&purpose_1=zz&chosen=zz&keep_pending=1&pending_token=abc",
    ):
        response = client.get(f"/dossiers/checklist/nomination?{query}")
        assert response.status_code < 500, query
    assert client.get("/dossiers/checklist/zzz").status_code == 404
