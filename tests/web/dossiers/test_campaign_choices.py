"""The create forms offer only the campaigns that accept that kind of dossier from the unit
today, and say under the field which others are left out and why; the server still refuses a
campaign the form did not offer."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from models import Campaign, Dossier
from models.clock import today as clock_today
from tests.fixtures.dossiers import nomination_fields, page, post_with_token
from tests.fixtures.web import app_db


def _offered(html: str) -> list[str]:
    select_html = re.search(r'<select[^>]*name="campaign_id".*?</select>', html, re.S).group(0)
    return re.findall(r'<option[^>]*value="\d+"[^>]*>([^<(]+?)(?: \(|<)', select_html)


def _note(html: str) -> str:
    found = re.search(r'<div class="hint campaigns-left-out".*?</div>', html, re.S)
    return found.group(0) if found else ""


def _campaigns(app) -> dict[str, int]:
    """Beside the world's 2026 campaign and its ad-hoc one: a campaign whose window and plan
    due date have passed, one open now, one unit "a" does not take part in, and one ended."""
    today = clock_today()
    day = dt.timedelta(days=1)
    specs = {
        "closed": dict(
            name="Phong trào “Dạy tốt” đợt 1",
            opens_on=today - 60 * day,
            closes_on=today - 30 * day,
            plan_due=today - 50 * day,
            report_due=today - 30 * day,
        ),
        "open": dict(
            name="Phong trào “Học tốt”",
            opens_on=today - 10 * day,
            closes_on=today + 30 * day,
            plan_due=today + 5 * day,
            report_due=today + 30 * day,
        ),
        "elsewhere": dict(name="Phong trào của khối mầm non", all_units=False),
        "ended": dict(name="Phong trào đã kết thúc năm trước", active=False),
    }
    with app_db(app) as session:
        rows = {
            key: Campaign(code=f"T-{key}", kind="thematic", year=today.year, **spec)
            for key, spec in specs.items()
        }
        session.add_all(rows.values())
        session.commit()
        return {key: c.id for key, c in rows.items()}


def test_the_plan_form_offers_what_takes_a_plan_today(app, client, app_world, auth):
    ids = _campaigns(app)
    auth.login("staff_a")
    html = page(client, "/dossiers/new/plan")
    offered = _offered(html)
    assert "Phong trào “Học tốt”" in offered and app_world.campaign.name in offered
    for name in (
        app_world.ad_hoc.name,
        "Phong trào “Dạy tốt” đợt 1",
        "Phong trào của khối mầm non",
        "Phong trào đã kết thúc năm trước",
    ):
        assert name not in offered
    note = _note(html)
    assert f"“{app_world.ad_hoc.name}” chỉ nhận đề nghị khen thưởng đột xuất" in note
    assert "Đã quá hạn nộp kế hoạch thi đua của phong trào “Phong trào “Dạy tốt” đợt 1”" in note
    assert "không nhận hồ sơ nộp muộn" in note
    # Neither another unit's campaign nor an ended one is news: they are not listed at all.
    assert "Phong trào của khối mầm non" not in note
    assert "đã kết thúc năm trước" not in note
    # The server still refuses what the form left out, and nothing is created.
    response = post_with_token(
        client,
        "/dossiers/new/plan",
        "/dossiers/new/plan",
        {
            "title": "Kế hoạch thi đua",
            "campaign_id": str(ids["closed"]),
            "document_number": "12/KH-THPT",
            "summary": "Mục tiêu, chỉ tiêu thi đua.",
        },
    )
    assert response.status_code == 200
    assert "Lựa chọn không hợp lệ" in response.get_data(as_text=True)
    with app_db(app) as session:
        assert session.scalar(select(func.count()).select_from(Dossier)) == 0


def test_the_nomination_form_leaves_closed_windows_out(app, client, app_world, auth):
    ids = _campaigns(app)
    auth.login("staff_a")
    html = page(client, "/dossiers/new/nomination")
    offered = _offered(html)
    assert offered[0] == app_world.ad_hoc.name and "Phong trào “Học tốt”" in offered
    assert "Phong trào “Dạy tốt” đợt 1" not in offered
    note = _note(html)
    assert "Phong trào “Phong trào “Dạy tốt” đợt 1” không nhận hồ sơ vào ngày" in note
    assert "phong trào khen thưởng đột xuất" in note
    response = post_with_token(
        client,
        "/dossiers/new/nomination",
        "/dossiers/new/nomination",
        nomination_fields(app_world, campaign_id=str(ids["open"])),
    )
    assert response.status_code == 302


def test_a_draft_keeps_its_own_campaign_on_the_edit_form(app, client, app_world, auth):
    _campaigns(app)
    auth.login("staff_a")
    post_with_token(
        client,
        "/dossiers/new/plan",
        "/dossiers/new/plan",
        {
            "title": "Kế hoạch thi đua",
            "campaign_id": str(app_world.campaign.id),
            "document_number": "12/KH-THPT",
            "summary": "Mục tiêu, chỉ tiêu thi đua.",
        },
    )
    with app_db(app) as session:
        dossier_id = session.scalar(select(Dossier.id))
        session.get(Campaign, app_world.campaign.id).active = False
        session.commit()
    html = page(client, f"/dossiers/{dossier_id}/edit")
    assert app_world.campaign.name in _offered(html)
