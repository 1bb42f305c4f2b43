"""The award catalogue pages (admin only, audited, bad input kept) and the eligibility checks
on the dossier page, in the action forms and in the Office queue."""

from __future__ import annotations

import io
import json
import re

import pytest
from sqlalchemy import func, select

from models import (
    Attachment,
    AuditEvent,
    AwardRule,
    AwardType,
    Evaluation,
    HigherReferral,
    Person,
)
from tests.fixtures.awards import demo_catalogue, hold, nominate, record, rule
from tests.fixtures.dossiers import act, page, setup_dossier, snapshot
from tests.fixtures.people import PDF, higher_award
from tests.fixtures.web import app_db, csrf_from
from workflow.awards import catalogue

AWARD = {
    "code": "BK-BO",
    "name_vi": "Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo",
    "name_en": "Certificate of Merit of the Minister",
    "nominee_kind": "individual",
    "conferring_authority": "ministry",
    "vote_threshold": "4/5",
    "threshold_base": "all_members",
    "public_notice_days": "10",
    "legal_source": "Luật Thi đua, khen thưởng 2022",
    "active": "y",
}


def _post(client, form_url: str, url: str, data: dict, **kw):
    return client.post(url, data={"csrf_token": csrf_from(page(client, form_url)), **data}, **kw)


def _award_events(app, award_id: int) -> list[AuditEvent]:
    with app_db(app) as session:
        return list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.entity_type == "award_type", AuditEvent.entity_id == award_id)
                .order_by(AuditEvent.seq)
            )
        )


def _award(app, code: str):
    with app_db(app) as session:
        return session.scalar(select(AwardType).where(AwardType.code == code))


def test_admin_creates_edits_and_adds_rules_all_audited(app, client, app_world, auth):
    auth.login("admin")
    assert "Danh hiệu" in page(client, "/")  # the menu entry
    response = _post(client, "/awards/new", "/awards/new", AWARD)
    award = _award(app, "BK-BO")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/awards/{award.id}/edit"
    )
    assert (award.conferring_authority, award.vote_threshold, award.public_notice_days) == (
        "ministry",
        "4/5",
        10,
    )
    events = _award_events(app, award.id)
    assert [e.action for e in events] == ["create", "add_rule"]  # every award gets the hold rule
    assert json.loads(events[0].changes)["code"] == "BK-BO" and events[0].actor_role == "admin"

    edit_url = f"/awards/{award.id}/edit"
    _post(client, edit_url, edit_url, {**AWARD, "vote_threshold": "90", "active": ""})
    diff = json.loads(_award_events(app, award.id)[-1].changes)
    # A whole percentage typed is kept as the exact fraction it is.
    assert diff == {"vote_threshold": ["4/5", "9/10"], "active": [True, False]}

    response = _post(
        client,
        edit_url,
        f"/awards/{award.id}/rules",
        {
            "rule-kind": "evidence",
            "rule-purpose": "initiative",
            "rule-hard": "y",
            "rule-source": "Luật Thi đua, khen thưởng 2022, Điều 74",
            "rule-valid_from": "2026-01-01",
        },
    )
    assert response.status_code == 302
    html = page(client, edit_url)
    assert "Hồ sơ có “Quyết định công nhận sáng kiến, đề tài”" in html and "Điều 74" in html
    added = json.loads(_award_events(app, award.id)[-1].changes)
    assert (added["kind"], added["params"], added["valid_from"]) == (
        "evidence",
        {"purpose": "initiative"},
        "2026-01-01",
    )

    rule_id = int(re.findall(r'data-rule="(\d+)"', html)[-1])
    _post(client, edit_url, f"/awards/rules/{rule_id}/delete", {})
    assert _award_events(app, award.id)[-1].action == "remove_rule"
    with app_db(app) as session:
        assert session.get(AwardRule, rule_id) is None
    assert "Bằng khen của Bộ trưởng" in page(client, "/awards/")


@pytest.mark.parametrize("username", ["staff_a", "head_a", "reviewer", "secretary", "member1"])
def test_others_are_refused_and_nothing_changes(app, client, app_world, auth, username):
    auth.login(username)
    assert "/awards/" not in page(client, "/")
    ldtt = app_world.awards["ldtt"].id
    for url in ("/awards/", "/awards/new", f"/awards/{ldtt}/edit"):
        assert client.get(url).status_code == 403, url
    token = csrf_from(page(client, "/"))
    assert client.post("/awards/new", data={**AWARD, "csrf_token": token}).status_code == 403
    assert (
        client.post(f"/awards/{ldtt}/edit", data={**AWARD, "csrf_token": token}).status_code == 403
    )
    assert (
        client.post(
            f"/awards/{ldtt}/rules",
            data={"rule-kind": "hold", "rule-source": "x", "csrf_token": token},
        ).status_code
        == 403
    )
    assert _award(app, "BK-BO") is None
    with app_db(app) as session:
        assert session.scalar(select(func.count()).select_from(AwardRule)) == 0
        assert (
            session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.entity_type == "award_type")
            )
            == 0
        )


def test_visitor_is_sent_to_sign_in(client, app_world):
    response = client.get("/awards/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_bad_input_keeps_what_was_typed(app, client, app_world, auth):
    auth.login("admin")
    bad = {
        **AWARD,
        "code": "bk bộ",
        "name_en": "",
        "vote_threshold": "120",
        "public_notice_days": "mười",
    }
    response = _post(client, "/awards/new", "/awards/new", bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    for typed in ("bk bộ", "Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo", "120", "mười"):
        assert typed in html, typed
    assert "chỉ gồm chữ in hoa không dấu" in html and "phải là một phân số như 4/5" in html
    assert "không được để trống" in html
    assert _award(app, "BK BỘ") is None and _award(app, "bk bộ") is None

    ldtt = app_world.awards["ldtt"].id
    edit_url = f"/awards/{ldtt}/edit"
    response = _post(
        client,
        edit_url,
        f"/awards/{ldtt}/rules",
        {
            "rule-kind": "prior_title",
            "rule-award": "CSTDCS",
            "rule-years": "0",
            "rule-source": "",
            "rule-valid_from": "2026-13-01",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert (
        "cần ghi căn cứ" in html
        and "phải là số nguyên từ 1 đến 10" in html
        and "2026-13-01" in html
    )
    assert "phải theo dạng ngày/tháng/năm, ví dụ 05/12/2026" in html
    with app_db(app) as session:
        assert session.scalar(select(func.count()).select_from(AwardRule)) == 0

    # A code already used by another award: said under the code, nothing saved.
    response = _post(
        client,
        edit_url,
        edit_url,
        {**AWARD, "code": "CSTDCS", "name_vi": "Lao động tiên tiến (sửa)"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "đã có danh hiệu khác dùng mã này" in html
    assert (
        "Lao động tiên tiến (sửa)" in html and _award(app, "LDTT").name_vi == "Lao động tiên tiến"
    )


def _award_state(app, award_id: int) -> tuple:
    with app_db(app) as session:
        award = session.get(AwardType, award_id)
        events = session.scalar(select(func.count()).select_from(AuditEvent))
        return award.name_vi, award.vote_threshold, award.active, award.version, events


def test_a_stale_award_edit_comes_back_with_what_was_typed(app, client, app_world, auth):
    award = app_world.awards["ldtt"]
    edit_url = f"/awards/{award.id}/edit"
    auth.login("admin")
    form = page(client, edit_url)
    assert 'name="version" type="hidden" value="1"' in form
    with app_db(app) as session:  # another administrator saves first
        catalogue.update_award(
            session,
            app_world.actor("admin"),
            award.id,
            {**catalogue.snapshot(session.get(AwardType, award.id)), "active": False},
        )
    before = _award_state(app, award.id)
    typed = {
        **AWARD,
        "code": award.code,
        "name_vi": "Lao động tiên tiến – bản tôi vừa gõ",
        "vote_threshold": "2/3",
        "legal_source": "Căn cứ tôi vừa gõ",
    }
    response = client.post(edit_url, data={"csrf_token": csrf_from(form), "version": "1", **typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    for text in (
        'value="Lao động tiên tiến – bản tôi vừa gõ"',
        'value="2/3"',
        "Căn cứ tôi vừa gõ",
        'name="version" type="hidden" value="2"',
        "“Ngừng sử dụng”",
        "Người khác đã thay đổi danh hiệu, hình thức khen thưởng này trước bạn",
        "Xem nội dung hiện tại của danh hiệu",
    ):
        assert text in html, text
    assert _award_state(app, award.id) == before
    # Saving again from the form that came back applies what was typed.
    again = client.post(edit_url, data={"csrf_token": csrf_from(html), "version": "2", **typed})
    assert again.status_code == 302
    assert _award_state(app, award.id) == (
        "Lao động tiên tiến – bản tôi vừa gõ",
        "2/3",
        True,
        3,
        before[4] + 1,
    )


def _with_catalogue(app, world):
    with app_db(app) as session:
        demo_catalogue(session, world)


def test_checks_on_the_dossier_page_for_the_department_and_the_unit(app, client, app_world, auth):
    _with_catalogue(app, app_world)
    with app_db(app) as session:
        cstdcs = session.scalar(select(AwardType).where(AwardType.code == "CSTDCS"))
        dossier_id = nominate(
            session, app_world, cstdcs, "Nguyễn Văn Đạt", purposes=("achievement_report",)
        ).id
    auth.login("reviewer")
    html = page(client, f"/dossiers/{dossier_id}")
    assert 'class="card eligibility"' in html
    assert re.search(r'class="check-ok" data-check="evidence:achievement_report"', html)
    assert re.search(r'class="check-fail" data-check="evidence:initiative"', html)
    assert "Thiếu “Quyết định công nhận sáng kiến, đề tài”" in html and "Điều 23" in html
    # The approve button is disabled and says why.
    assert "Chưa đạt điều kiện khen thưởng:" in html
    auth.logout()
    # The unit sees the same checks while it drafts, and the nominee's history next to them.
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}")
    assert re.search(r'class="check-fail" data-check="evidence:initiative"', html)
    assert "data-history" in html


def test_the_nominee_history_next_to_the_checks_and_holds_told_to_the_unit(
    app, client, app_world, auth
):
    _with_catalogue(app, app_world)
    with app_db(app) as session:
        awards = {a.code: a for a in session.scalars(select(AwardType))}
        person = session.get(Person, app_world.people["teacher_a"].id)
        record(session, awards["LDTT"], person.full_name, 2025, person.unit_id, person=person)
        session.add(Evaluation(person_id=person.id, year=2025, rating="excellent"))
        hold(session, person=person, reason="Đang xác minh đơn thư nặc danh.")
        dossier_id = nominate(
            session,
            app_world,
            awards["LDTT"],
            purposes=("achievement_report",),
            person_id=person.id,
        ).id
    for who, reason_shown in (("reviewer", True), ("staff_a", False)):
        auth.login(who)
        html = page(client, f"/dossiers/{dossier_id}")
        assert 'data-history-year="2025"' in html and "Lao động tiên tiến" in html
        assert "2025: Hoàn thành xuất sắc nhiệm vụ" in html
        assert re.search(r'class="check-fail" data-check="hold"', html)
        assert ("Đang xác minh đơn thư nặc danh." in html) is reason_shown
        auth.logout()


def test_queue_column_and_override_through_the_page(app, client, app_world, auth):
    _with_catalogue(app, app_world)
    with app_db(app) as session:
        awards = {a.code: a for a in session.scalars(select(AwardType))}
        warned = nominate(
            session, app_world, awards["GK-GD-CN"], "Vũ Văn Thắng", purposes=("proposal",)
        ).id
        failing = nominate(
            session, app_world, awards["CSTDCS"], "Lê Văn Hải", purposes=("achievement_report",)
        ).id
        fine = nominate(
            session, app_world, awards["LDTT"], "Phạm Thị Lan", purposes=("achievement_report",)
        ).id
    plain_plan = setup_dossier(app, app_world, "plan", "office_review")
    auth.login("reviewer")
    queue = page(client, "/office/")
    cells = dict(re.findall(r'<tr data-dossier="(\d+)".*?data-checks="(\w+)"', queue, re.S))
    assert cells == {
        str(warned): "warn",
        str(failing): "fail",
        str(fine): "ok",
        str(plain_plan): "none",
    }

    html = page(client, f"/dossiers/{warned}")
    assert "Lý do vẫn trình Hội đồng" in html and "Còn cảnh báo:" in html
    refused = act(client, warned, "office_approve")
    body = refused.get_data(as_text=True)
    assert refused.status_code == 409, body
    assert "Nếu vẫn trình Hội đồng, vui lòng nhập lý do." in body, re.findall(
        r'role="alert".*?</ul>', body, re.S
    )
    assert snapshot(app, warned)[0] == "office_review"
    reason = "Khen đột xuất: thành tích đã nêu trong tờ trình."
    act(client, warned, "office_approve", reason=reason)
    assert snapshot(app, warned)[0] == "council_review"
    with app_db(app) as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == warned).order_by(AuditEvent.seq.desc())
        ).first()
    assert (
        event.reason == reason
        and json.loads(event.changes)["eligibility_override"]["reason"] == reason
    )
    assert "Lý do vẫn trình Hội đồng" not in page(client, f"/dossiers/{fine}")


def test_upload_records_the_purpose(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world)
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}")
    assert 'name="purpose"' in html and "Biên bản họp xét thi đua, khen thưởng" in html
    client.post(
        f"/dossiers/{dossier_id}/attachments",
        content_type="multipart/form-data",
        data={
            "csrf_token": csrf_from(html),
            "purpose": "minutes",
            "files": [(io.BytesIO(PDF + b"m"), "Biên bản.pdf")],
        },
    )
    client.post(
        f"/dossiers/{dossier_id}/attachments",
        content_type="multipart/form-data",
        data={
            "csrf_token": csrf_from(html),
            "purpose": "bogus",
            "files": [(io.BytesIO(PDF + b"x"), "Khác.pdf")],
        },
    )
    with app_db(app) as session:
        purposes = dict(
            session.execute(
                select(Attachment.original_name, Attachment.purpose).where(
                    Attachment.dossier_id == dossier_id
                )
            ).all()
        )
    assert purposes["Biên bản.pdf"] == "minutes" and purposes["Khác.pdf"] == "evidence"
    assert 'data-purpose="minutes"' in page(client, f"/dossiers/{dossier_id}")


def test_forward_and_record_through_the_page(app, client, app_world, auth):
    with app_db(app) as session:
        award_id = higher_award(session, app_world).id
    dossier_id = setup_dossier(app, app_world, state="approved", award_type_id=award_id)
    auth.login("reviewer")
    html = page(client, f"/dossiers/{dossier_id}")
    assert 'name="submission_number"' in html and "Trình cấp trên" in html
    bad = act(
        client, dossier_id, "forward", submission_number="1580 TTr", submission_date="2026-06-06"
    )
    assert bad.status_code == 409 and "1580 TTr" in bad.get_data(as_text=True)
    act(
        client,
        dossier_id,
        "forward",
        submission_number="1580/TTr-SGDĐT",
        submission_date="2026-06-06",
    )
    assert snapshot(app, dossier_id)[0] == "forwarded"
    html = page(client, f"/dossiers/{dossier_id}")
    assert "Đã trình cấp trên" in html and "Ghi nhận quyết định khen thưởng của cấp trên" in html
    act(
        client,
        dossier_id,
        "record_higher_decision",
        decision_number="2105/QĐ-UBND",
        decision_date="2026-06-20",
        decision_signer="Chủ tịch UBND thành phố",
    )
    assert snapshot(app, dossier_id)[0] == "published"
    with app_db(app) as session:
        referral = session.scalar(
            select(HigherReferral).where(HigherReferral.dossier_id == dossier_id)
        )
        assert (referral.letter_number, referral.outcome) == ("1580/TTr-SGDĐT", "conferred")
    assert "2105/QĐ-UBND" in page(client, f"/public/outcomes/{dossier_id}")


def test_rule_without_source_is_refused_by_the_service(app, app_world):
    from workflow.awards.catalogue import CatalogueRefused

    with app_db(app) as session:
        with pytest.raises(CatalogueRefused) as info:
            rule(session, app_world, app_world.awards["ldtt"], kind="hold", source="")
        assert info.value.violations[0].params["field"] == "source"
        session.rollback()


def test_holds_page_records_ends_and_blocks(app, client, app_world, auth):
    _with_catalogue(app, app_world)
    with app_db(app) as session:
        ldtt = session.scalar(select(AwardType).where(AwardType.code == "LDTT"))
        nomination = nominate(
            session, app_world, ldtt, "Đỗ Thị Mai", purposes=("achievement_report",)
        )
        dossier_id, person_id = nomination.id, nomination.person_id
    auth.login("staff_a")
    assert client.get("/awards/holds").status_code == 403
    auth.logout()
    auth.login("reviewer")
    bad = _post(
        client,
        "/awards/holds",
        "/awards/holds",
        {"person_id": "", "unit_id": "", "reason": "Đang xem xét", "starts_on": "2026-02-30"},
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "Đang xem xét" in html and "2026-02-30" in html
    assert "cần chọn một người trong sổ theo dõi" in html
    assert "phải theo dạng ngày/tháng/năm, ví dụ 05/12/2026" in html
    # The register's people are offered by unit, the nominee among them.
    assert f'<option value="{person_id}">Đỗ Thị Mai — Giáo viên</option>' in html
    _post(
        client,
        "/awards/holds",
        "/awards/holds",
        {
            "person_id": str(person_id),
            "unit_id": "",
            "reason": "Đang xem xét đơn khiếu nại.",
            "starts_on": "2026-01-05",
        },
    )
    html = page(client, f"/dossiers/{dossier_id}")
    assert (
        re.search(r'class="check-fail" data-check="hold"', html)
        and "Đang xem xét đơn khiếu nại." in html
    )
    assert "Chưa đạt điều kiện khen thưởng:" in html
    with app_db(app) as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "award_hold"))
        assert (event.action, event.actor_role, event.reason) == (
            "create",
            "office_reviewer",
            "Đang xem xét đơn khiếu nại.",
        )
    hold_id = re.search(r'data-hold="(\d+)"', page(client, "/awards/holds")).group(1)
    _post(client, "/awards/holds", f"/awards/holds/{hold_id}/end", {})
    assert re.search(r'class="check-ok" data-check="hold"', page(client, f"/dossiers/{dossier_id}"))
    # A second "end" (a stale page, a second click) is refused with a message; nothing changes.
    again = _post(
        client, "/awards/holds", f"/awards/holds/{hold_id}/end", {}, follow_redirects=True
    )
    assert "đã kết thúc" in again.get_data(as_text=True)
    with app_db(app) as session:
        ends = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity_type == "award_hold")
            .order_by(AuditEvent.seq)
        ).all()
        assert ends == ["create", "end"]


def test_the_threshold_source_and_day_through_the_form(app, client, app_world, auth):
    auth.login("admin")
    typed = {
        **AWARD,
        "threshold_source": "Nghị định 98/2023/NĐ-CP, Điều 30",
        "threshold_from": "31/02/2024",
    }
    response = _post(client, "/awards/new", "/awards/new", typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and _award(app, "BK-BO") is None
    assert 'value="31/02/2024"' in html and 'value="Nghị định 98/2023/NĐ-CP, Điều 30"' in html
    _post(client, "/awards/new", "/awards/new", {**typed, "threshold_from": "01/01/2024"})
    award = _award(app, "BK-BO")
    assert (award.threshold_source, str(award.threshold_from)) == (
        typed["threshold_source"],
        "2024-01-01",
    )
    form = page(client, f"/awards/{award.id}/edit")
    assert 'value="01/01/2024"' in form
    assert "áp dụng từ 01/01/2024" in page(client, "/awards/")
