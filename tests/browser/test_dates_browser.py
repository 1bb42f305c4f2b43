"""A date typed day/month/year in an English-language browser is stored as that day: the
field is a text field, not the browser's own date control (which would read 05/12 as May 12)."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from models import Campaign
from tests.browser.conftest import SIZES, shot


@SIZES
def test_a_date_typed_in_an_english_browser_is_read_day_first(new_page, live_server, viewport):
    page = new_page("reviewer", locale="en-US")
    page.goto(f"/campaigns/{live_server.world.campaign.id}/edit")
    due = page.locator("#c-plan_due")
    expect(due).to_have_attribute("placeholder", "dd/mm/yyyy")
    expect(due).to_have_value("10/03/2026")  # shown back day first
    due.fill("05/12/2026")
    # The calendar opens on the typed day's month, that day marked, within the screen.
    due.locator("xpath=following-sibling::button[1]").click()
    calendar = page.locator(".datepicker:not([hidden])")
    expect(calendar.locator(".chosen")).to_have_text("5")
    box = calendar.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport[0], box
    page.keyboard.press("Escape")
    page.locator("#c-due_change_reason").fill("Lùi hạn theo văn bản mới.")
    page.get_by_role("button", name="Lưu phong trào").click()
    page.wait_for_url(lambda url: "/edit" not in url)
    shot(page, "campaign-date-en-browser")
    session = live_server.session()
    try:
        assert session.get(Campaign, live_server.world.campaign.id).plan_due == dt.date(2026, 12, 5)
    finally:
        session.close()
