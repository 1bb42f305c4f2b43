"""Campaign pages (the Office and admins only), the report-figures page, and the late badge."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from models import AuditEvent, Campaign, CampaignUnit, Dossier, ReportFigure, Target
from tests.fixtures.dossiers import act, page, snapshot
from tests.fixtures.people import NOW, make_dossier
from tests.fixtures.web import app_db, csrf_from
from workflow.campaigns import service as svc

FORM = {
    "name": "Đợt thi đua chào mừng Ngày Nhà giáo Việt Nam 20/11",
    "code": "DOT-20-11",
    "kind": "periodic",
    "year": "2026",
    "opens_on": "2026-10-01",
    "closes_on": "2026-11-30",
    "plan_due": "",
    "report_due": "",
    # Editing the test world's campaign moves its due dates: that needs a reason.
    "due_change_reason": "Điều chỉnh theo văn bản mới của Sở.",
    "description": "",
    "active": "1",
    "all_units": "1",
    "target_rows": "1",
    "t0-title_vi": "Tiết dạy tốt",
    "t0-kind": "count",
    "t0-comparison": "at_least",
    "t0-threshold": "5",
}


def _post(client, url: str, data: dict, **kw):
    return client.post(url, data={"csrf_token": csrf_from(page(client, url)), **data}, **kw)


def _count(app, model) -> int:
    with app_db(app) as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    "username,status",
    [
        ("reviewer", 200),
        ("admin", 200),
        ("staff_a", 403),
        ("head_b", 403),
        ("secretary", 403),
        ("member1", 403),
    ],
)
def test_campaign_pages_by_role(client, app_world, auth, username, status):
    auth.login(username)
    for url in ("/campaigns/", "/campaigns/new", f"/campaigns/{app_world.campaign.id}/edit"):
        assert client.get(url).status_code == status, url


def test_visitors_are_sent_to_sign_in(client, app_world):
    response = client.get("/campaigns/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_forbidden_post_changes_nothing(client, app_world, auth, app):
    auth.login("staff_a")
    token = csrf_from(page(client, "/dossiers/"))
    before = _count(app, Campaign), _count(app, AuditEvent)
    assert client.post("/campaigns/new", data={**FORM, "csrf_token": token}).status_code == 403
    assert (
        client.post(
            f"/campaigns/{app_world.campaign.id}/edit", data={**FORM, "csrf_token": token}
        ).status_code
        == 403
    )
    assert (_count(app, Campaign), _count(app, AuditEvent)) == before


def test_office_creates_and_edits_a_campaign(client, app_world, auth, app):
    auth.login("reviewer")
    response = _post(
        client,
        "/campaigns/new",
        {
            **FORM,
            "all_units": "",
            "unit_ids": [str(app_world.units["b"].id)],
            "award_ids": [str(app_world.awards["ldtt"].id)],
        },
    )
    assert response.status_code == 302
    listing = page(client, "/campaigns/")
    assert FORM["name"] in listing and "1 đơn vị được chọn" in listing
    with app_db(app) as session:
        campaign = session.scalar(select(Campaign).where(Campaign.code == "DOT-20-11"))
        [target] = session.scalars(select(Target).where(Target.campaign_id == campaign.id)).all()
        assert (campaign.kind, campaign.all_units, target.threshold) == (
            "periodic",
            False,
            Decimal(5),
        )
        campaign_id, target_id = campaign.id, target.id
    form = page(client, f"/campaigns/{campaign_id}/edit")
    assert (
        'value="Tiết dạy tốt"' in form and "Tạo phong trào" in form
    )  # the history names the creation
    edited = {
        **FORM,
        "late_allowed": "1",
        "t0-id": str(target_id),
        "t0-threshold": "6,5",
        "t0-kind": "percent",
    }
    assert _post(client, f"/campaigns/{campaign_id}/edit", edited).status_code == 302
    with app_db(app) as session:
        assert session.get(Campaign, campaign_id).late_allowed
        assert session.get(Target, target_id).threshold == Decimal("6.5")
    assert "Sửa phong trào" in page(client, f"/campaigns/{campaign_id}/edit")


def test_bad_campaign_form_keeps_what_was_typed(client, app_world, auth, app):
    auth.login("admin")
    before = _count(app, Campaign)
    bad = {
        **FORM,
        "code": app_world.campaign.code,
        "closes_on": "2026-09-01",
        "t0-threshold": "nhiều",
        "all_units": "",
        "description": "Mô tả đã gõ",
    }
    response = _post(client, "/campaigns/new", bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for text in (
        "Chưa lưu được phong trào",
        "đã được dùng",
        "không được trước",
        "Chọn ít nhất một đơn vị",
        "phải là một số",
        f'value="{FORM["name"]}"',
        "Mô tả đã gõ",
        'value="nhiều"',
        'value="Tiết dạy tốt"',
    ):
        assert text in html, text
    assert _count(app, Campaign) == before


def _campaign_state(app, campaign_id: int) -> tuple:
    """What is stored of the campaign: fields, units, awards, targets, version, audit events."""
    with app_db(app) as session:
        campaign = session.get(Campaign, campaign_id)
        targets = sorted(
            session.execute(
                select(Target.title_vi, Target.threshold).where(Target.campaign_id == campaign_id)
            ).all()
        )
        return (
            campaign.name,
            campaign.all_units,
            campaign.version,
            svc.chosen_unit_ids(session, campaign_id),
            svc.admitted_award_ids(session, campaign_id),
            targets,
            session.scalar(select(func.count()).select_from(AuditEvent)),
        )


def test_a_stale_campaign_edit_comes_back_with_what_was_typed(client, app_world, auth, app):
    campaign_id, url = app_world.campaign.id, f"/campaigns/{app_world.campaign.id}/edit"
    auth.login("reviewer")
    form = page(client, url)
    assert 'name="version" value="1"' in form
    with app_db(app) as session:  # another reviewer saves first
        svc.save_campaign(
            session,
            app_world.actor("reviewer2"),
            {**FORM, "code": app_world.campaign.code, "name": "Bản của người khác"},
            campaign_id=campaign_id,
            now=NOW,
            reason=FORM["due_change_reason"],
        )
    before = _campaign_state(app, campaign_id)
    unit, award = app_world.units["b"], app_world.awards["cstdcs"]
    typed = {
        **FORM,
        "code": app_world.campaign.code,
        "name": "Phong trào – bản tôi vừa gõ",
        "all_units": "",
        "unit_ids": [str(unit.id)],
        "award_ids": [str(award.id)],
        "description": "Mô tả tôi vừa gõ",
        "target_rows": "2",
        "t0-title_vi": "Tiết dạy tốt",
        "t0-kind": "count",
        "t0-threshold": "7",
        "t1-title_vi": "Chỉ tiêu tôi vừa thêm",
        "t1-kind": "percent",
        "t1-comparison": "at_least",
        "t1-threshold": "95,5",
    }
    response = client.post(url, data={"csrf_token": csrf_from(form), "version": "1", **typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    for text in (
        'value="Phong trào – bản tôi vừa gõ"',
        "Mô tả tôi vừa gõ",
        'value="Chỉ tiêu tôi vừa thêm"',
        'value="95,5"',
        'value="7"',
        f'<option value="{unit.id}" selected>',
        f'name="award_ids" value="{award.id}" checked',
        'name="version" value="2"',
        "Người khác đã thay đổi phong trào thi đua này trước bạn",
        "“Đang diễn ra”",
        "Xem nội dung hiện tại của phong trào",
    ):
        assert text in html, text
    assert 'id="c-all_units" name="all_units" value="1" checked' not in html
    assert _campaign_state(app, campaign_id) == before
    # Having looked, the reviewer saves again from the form that came back: it now applies.
    again = client.post(url, data={"csrf_token": csrf_from(html), "version": "2", **typed})
    assert again.status_code == 302
    after = _campaign_state(app, campaign_id)
    assert after[:5] == ("Phong trào – bản tôi vừa gõ", False, 3, [unit.id], [award.id])
    assert [t[0] for t in after[5]] == ["Chỉ tiêu tôi vừa thêm", "Tiết dạy tốt"] and after[
        6
    ] == before[6] + 1


def test_a_stale_campaign_edit_in_english(client, app_world, auth, app):
    url = f"/campaigns/{app_world.campaign.id}/edit"
    auth.login("admin")
    form = page(client, url)
    client.post("/lang/en", data={"csrf_token": csrf_from(form), "next": "/"})
    with app_db(app) as session:
        svc.save_campaign(
            session,
            app_world.actor("reviewer"),
            {**FORM, "code": app_world.campaign.code},
            campaign_id=app_world.campaign.id,
            now=NOW,
            reason=FORM["due_change_reason"],
        )
    html = client.post(
        url,
        data={
            "csrf_token": csrf_from(form),
            "version": "1",
            **FORM,
            "code": app_world.campaign.code,
        },
    ).get_data(as_text=True)
    assert "Someone else changed this emulation campaign first. It is now “Active”." in html
    assert "What you typed is kept below." in html and "See the campaign's current content" in html


def test_campaign_pickers_show_ad_hoc_first(client, app_world, auth):
    auth.login("staff_a")
    html = page(client, "/dossiers/new/nomination")
    assert html.index(app_world.ad_hoc.name) < html.index(app_world.campaign.name)


def test_campaign_picker_offers_only_campaigns_the_unit_takes_part_in(client, app_world, auth, app):
    """A campaign of other units is not offered, and a forged choice of it is refused (nothing
    created, what was typed kept): a draft in it could never be submitted."""
    with app_db(app) as session:
        others = Campaign(
            code="RIENG-B",
            name="Phong trào riêng của trường Đặng Trần Côn",
            kind="thematic",
            year=2026,
            active=True,
            all_units=False,
        )
        session.add(others)
        session.flush()
        session.add(CampaignUnit(campaign_id=others.id, unit_id=app_world.units["b"].id))
        session.commit()
        others_id = others.id
    auth.login("staff_a")
    html = page(client, "/dossiers/new/plan")
    assert app_world.campaign.name in html and "Phong trào riêng" not in html
    before = _count(app, Dossier)
    response = _post(
        client,
        "/dossiers/new/plan",
        {
            "unit_id": str(app_world.units["a"].id),
            "campaign_id": str(others_id),
            "title": "Kế hoạch đã gõ",
            "summary": "Nội dung đã gõ",
        },
    )
    assert response.status_code in (200, 400, 422)
    assert _count(app, Dossier) == before
    assert "Kế hoạch đã gõ" in response.get_data(as_text=True)
    auth.login("staff_b")
    assert "Phong trào riêng" in page(client, "/dossiers/new/plan")


# --- report figures ----------------------------------------------------------------------


@pytest.fixture()
def report_setup(app, app_world):
    """Targets on the world's campaign and a draft report of unit a; returns (report id, targets by
    code)."""
    with app_db(app) as session:
        campaign = session.get(Campaign, app_world.campaign.id)
        targets = {
            code: Target(
                campaign_id=campaign.id,
                code=code,
                title_vi=title,
                title_en=en,
                kind=kind,
                comparison=cmp,
                threshold=threshold,
                position=i,
            )
            for i, (code, title, en, kind, cmp, threshold) in enumerate(
                [
                    (
                        "KH",
                        "Triển khai kế hoạch thi đua",
                        "Emulation plan deployed",
                        "yes_no",
                        "at_least",
                        None,
                    ),
                    (
                        "MH",
                        "Mô hình đổi mới, sáng tạo",
                        "Innovative models",
                        "count",
                        "at_least",
                        Decimal(1),
                    ),
                    (
                        "GV",
                        "Tỷ lệ giáo viên đạt chuẩn",
                        "Teachers meeting standards",
                        "percent",
                        "above_baseline",
                        None,
                    ),
                ]
            )
        }
        session.add_all(targets.values())
        session.flush()
        report = make_dossier(
            session, app_world, "report", title="Báo cáo kết quả thi đua năm 2026"
        )
        return report.id, {code: t.id for code, t in targets.items()}


def _figures_form(targets, kh="1", mh="2", gv="92,5", base="90"):
    return {
        "action": "save",
        f"value-{targets['KH']}": kh,
        f"value-{targets['MH']}": mh,
        f"evidence-{targets['MH']}": "Quyết định 12/QĐ-THPT",
        f"value-{targets['GV']}": gv,
        f"baseline-{targets['GV']}": base,
    }


def _with_version(client, url: str, data: dict) -> dict:
    html = page(client, url)
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    return {"csrf_token": csrf_from(html), "version": version, **data}


def test_unit_fills_figures_then_submits(client, app_world, auth, app, report_setup):
    report_id, targets = report_setup
    auth.login("staff_a")
    detail = page(client, f"/dossiers/{report_id}")
    assert (
        "Chỉ tiêu thi đua" in detail and "Nhập số liệu chỉ tiêu" in detail and "0/3 đạt" in detail
    )
    refused = act(client, report_id, "submit")
    assert refused.status_code == 409 and "chưa có số liệu cho các chỉ tiêu" in refused.get_data(
        as_text=True
    )

    url = f"/campaigns/reports/{report_id}/figures"
    response = client.post(url, data=_with_version(client, url, _figures_form(targets)))
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/dossiers/{report_id}"
    )
    detail = page(client, f"/dossiers/{report_id}")
    assert "3/3 đạt" in detail and "92,5%" in detail and "Quyết định 12/QĐ-THPT" in detail
    # The history shows the edit by the target's name, never its code.
    assert "Chỉ tiêu “Tỷ lệ giáo viên đạt chuẩn”: — → 92,5%" in detail
    assert "Chỉ tiêu “Triển khai kế hoạch thi đua”: — → Có" in detail
    assert "Chỉ tiêu GV" not in detail and "Chỉ tiêu KH" not in detail
    assert "Ít nhất 1" in detail or "Ít nhất 1" in page(client, url)
    assert act(client, report_id, "submit", follow=True).status_code == 200
    assert snapshot(app, report_id)[0] == "unit_review"
    # Sent: the unit can no longer change figures.
    form = page(client, url)
    assert 'name="value-' not in form and "không sửa được số liệu" in form


def test_bad_figures_keep_what_was_typed(client, app_world, auth, app, report_setup):
    report_id, targets = report_setup
    auth.login("head_a")
    url = f"/campaigns/reports/{report_id}/figures"
    before = snapshot(app, report_id)
    response = client.post(
        url, data=_with_version(client, url, _figures_form(targets, mh="1,5", gv="120"))
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "phải là số nguyên" in html and "từ 0 đến 100" in html
    assert 'value="1,5"' in html and 'value="120"' in html and "Quyết định 12/QĐ-THPT" in html
    assert snapshot(app, report_id) == before and _count(app, ReportFigure) == 0


def test_stale_figures_form_keeps_what_was_typed(client, app_world, auth, app, report_setup):
    report_id, targets = report_setup
    auth.login("staff_a")
    url = f"/campaigns/reports/{report_id}/figures"
    data = _with_version(client, url, _figures_form(targets))
    assert client.post(url, data={**data, **_figures_form(targets, mh="3")}).status_code == 302
    response = client.post(url, data={**data, **_figures_form(targets, mh="4")})
    assert response.status_code == 409 and 'value="4"' in response.get_data(as_text=True)


def test_figures_page_by_role(client, app_world, auth, app, report_setup):
    report_id, targets = report_setup
    url = f"/campaigns/reports/{report_id}/figures"
    auth.login("staff_b")
    assert client.get(url).status_code == 404
    auth.login("reviewer")
    assert client.get(url).status_code == 404  # not sent to the Department yet
    with app_db(app) as session:
        plan = make_dossier(session, app_world, "plan")
    auth.login("staff_a")
    assert client.get(f"/campaigns/reports/{plan.id}/figures").status_code == 404


def _fill_and_send(client, auth, report_id: int, targets: dict) -> str:
    """The unit fills every figure, submits and sends the report; returns its figures page."""
    auth.login("staff_a")
    url = f"/campaigns/reports/{report_id}/figures"
    client.post(url, data=_with_version(client, url, _figures_form(targets)))
    act(client, report_id, "submit")
    auth.login("head_a")
    act(client, report_id, "unit_approve")
    return url


def test_office_corrects_a_sent_figure_with_a_reason(client, app_world, auth, app, report_setup):
    report_id, targets = report_setup
    url = _fill_and_send(client, auth, report_id, targets)
    target_id = targets["GV"]

    auth.login("staff_a")  # the unit may not correct, nor save any more
    token = csrf_from(page(client, f"/dossiers/{report_id}"))
    before = snapshot(app, report_id)
    assert (
        client.post(
            url,
            data={
                "csrf_token": token,
                "action": "correct",
                "target_id": target_id,
                "value": "80",
                "reason": "Sai",
            },
        ).status_code
        == 403
    )
    assert (
        client.post(url, data={"csrf_token": token, **_figures_form(targets, kh="0")}).status_code
        == 302
    )
    assert snapshot(app, report_id) == before

    auth.login("reviewer")
    detail = page(client, f"/dossiers/{report_id}")
    assert "Điều chỉnh số liệu" in detail
    form = page(client, url)
    no_reason = client.post(
        url,
        data={
            "csrf_token": csrf_from(form),
            "action": "correct",
            "target_id": target_id,
            "value": "89,6",
            "reason": " ",
        },
    )
    assert no_reason.status_code == 422 and 'value="89,6"' in no_reason.get_data(as_text=True)
    assert snapshot(app, report_id) == before
    reason = "Biểu tổng hợp của Phòng Tổ chức cán bộ ghi 89,6%."
    done = client.post(
        url,
        data={
            "csrf_token": csrf_from(form),
            "action": "correct",
            "target_id": target_id,
            "value": "89,6",
            "reason": reason,
        },
        follow_redirects=True,
    )
    html = done.get_data(as_text=True)
    assert (
        "Văn phòng Sở điều chỉnh số liệu chỉ tiêu" in html and reason in html and "Chưa đạt" in html
    )
    assert "Chỉ tiêu “Tỷ lệ giáo viên đạt chuẩn”: 92,5% → 89,6%" in html


def test_office_enters_the_figure_of_a_target_added_after_the_report_was_sent(
    client, app_world, auth, app, report_setup
):
    report_id, targets = report_setup
    url = _fill_and_send(client, auth, report_id, targets)
    with app_db(app) as session:  # the Office adds a target to the campaign afterwards
        added = Target(
            campaign_id=app_world.campaign.id,
            code="TV",
            title_vi="Tủ sách lớp học",
            title_en="Classroom bookshelves",
            kind="count",
            comparison="at_least",
            threshold=Decimal(3),
            position=9,
        )
        session.add(added)
        session.commit()
        added_id = added.id
    auth.login("reviewer")
    form = page(client, url)
    assert "Nhập số liệu (chỉ tiêu bổ sung sau khi báo cáo đã gửi)" in form
    done = client.post(
        url,
        data={
            "csrf_token": csrf_from(form),
            "action": "correct",
            "target_id": added_id,
            "value": "4",
            "reason": "Trường báo cáo bổ sung bằng công văn số 12/CV-THPT.",
        },
        follow_redirects=True,
    )
    assert done.status_code == 200 and "Chỉ tiêu “Tủ sách lớp học”: — → 4" in done.get_data(
        as_text=True
    )
    with app_db(app) as session:
        figure = session.scalar(
            select(ReportFigure).where(
                ReportFigure.report_id == report_id, ReportFigure.target_id == added_id
            )
        )
        assert (figure.value, figure.corrected_by) == (Decimal(4), app_world.users["reviewer"].id)
    other = client.post(
        url,
        data={
            "csrf_token": csrf_from(form),
            "action": "correct",
            "target_id": 999999,
            "value": "4",
            "reason": "Sai",
        },
    )
    assert other.status_code == 404


# --- late badge --------------------------------------------------------------------------


def test_late_plans_are_marked_late_wherever_they_are_shown(client, app_world, auth, app):
    on_time = dt.datetime(2026, 3, 9, 2, tzinfo=dt.UTC)
    with app_db(app) as session:
        late = make_dossier(
            session, app_world, "plan", "office_review", title="Kế hoạch gửi muộn", now=NOW
        )
        early = make_dossier(
            session, app_world, "plan", "office_review", title="Kế hoạch đúng hạn", now=on_time
        )
    late_badge = re.compile(r"Kế hoạch gửi muộn.*?badge-late", re.S)
    auth.login("staff_a")
    assert "badge-late" in page(client, f"/dossiers/{late.id}")
    assert "badge-late" not in page(client, f"/dossiers/{early.id}")
    unit_list = page(client, "/dossiers/")
    assert late_badge.search(unit_list) and unit_list.count("badge-late") == 1
    auth.login("reviewer")
    queue = page(client, "/office/")
    assert late_badge.search(queue) and queue.count("badge-late") == 1
    assert "Nộp muộn" in queue
    home = page(client, "/")
    assert late_badge.search(home) and home.count("badge-late") == 1


def test_pages_in_english(client, app_world, auth, app, report_setup):
    report_id, targets = report_setup
    auth.login("staff_a")
    client.post("/lang/en", data={"csrf_token": csrf_from(page(client, "/")), "next": "/"})
    url = f"/campaigns/reports/{report_id}/figures"
    client.post(url, data=_with_version(client, url, _figures_form(targets, mh="0")))
    detail = page(client, f"/dossiers/{report_id}")
    for text in (
        "Emulation targets",
        "2 of 3 met",
        "Not met",
        "Teachers meeting standards",
        "92.5%",
        "Target “Teachers meeting standards”: — → 92.5%",
    ):
        assert text in detail, text
    assert "Unit’s figure" in page(client, url)
    auth.login("admin")
    client.post("/lang/en", data={"csrf_token": csrf_from(page(client, "/")), "next": "/"})
    listing = page(client, "/campaigns/")
    for text in ("Yearly emulation movement", "Ad-hoc commendation", "At any time", "New campaign"):
        assert text in listing, text


def test_moving_a_due_date_asks_for_the_reason_and_the_history_shows_it(
    client, app_world, auth, app
):
    url = f"/campaigns/{app_world.campaign.id}/edit"
    auth.login("reviewer")
    form = page(client, url)
    assert 'name="due_change_reason"' in form
    typed = {**FORM, "code": app_world.campaign.code, "report_due": "2026-12-31"}
    data = {"csrf_token": csrf_from(form), "version": "1", **typed, "due_change_reason": ""}
    refused = client.post(url, data=data)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Hãy ghi lý do thay đổi hạn nộp báo cáo" in html
    assert 'value="31/12/2026"' in html  # what was typed is kept, day first
    reason = "Gia hạn theo Công văn số 2150/SGDĐT-VP."
    saved = client.post(url, data={**data, "due_change_reason": reason})
    assert saved.status_code == 302
    assert reason in page(client, url)
