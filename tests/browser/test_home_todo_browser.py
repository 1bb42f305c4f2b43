"""A unit that owes its plan sees it overdue on its home page, before any dossier exists, and
the link opens the plan's form; the Office reminds the late units from its dashboard; every
role's "Việc cần làm" reads well on a desktop and a phone."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import SIZES, shot
from web.home.presenters import today


@SIZES
def test_a_unit_that_owes_a_plan_sees_it_overdue(new_page, live_server):
    campaign = live_server.world.campaign
    overdue = (today() - campaign.plan_due).days
    page = new_page("staff_a")
    item = page.locator(f'[data-obligation="plan-{campaign.id}-{live_server.world.units["a"].id}"]')
    expect(item).to_contain_text(f"quá hạn {overdue} ngày")
    expect(item).to_contain_text("Hạn nộp: 10/03/2026")
    shot(page, "home-obligations")
    item.get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/dossiers/new/plan")


@SIZES
def test_the_office_reminds_the_late_units_in_one_click(new_page, live_server):
    page = new_page("reviewer")
    page.goto(f"/dashboard/?campaign={live_server.world.campaign.id}")
    page.locator('[data-remind="plan"]').click()
    expect(page.get_by_text("Đã gửi nhắc nhở kế hoạch thi đua tới 2 đơn vị.")).to_be_visible()
    page.locator('[data-remind="plan"]').click()
    expect(page.get_by_text("đã được nhắc hôm nay", exact=False)).to_be_visible()


@SIZES
def test_every_role_has_its_todo_page(new_page, live_server):
    campaign, unit = live_server.world.campaign, live_server.world.units["a"]
    for username in ("head_a", "secretary", "member1", "admin"):
        page = new_page(username)
        expect(page.get_by_role("heading", name="Việc cần làm", level=1)).to_be_visible()
        if username == "head_a":  # the unit's deadlines are its head's too
            item = page.locator(f'[data-obligation="plan-{campaign.id}-{unit.id}"]')
            expect(item).to_contain_text("quá hạn")
        shot(page, f"home-{username}")
