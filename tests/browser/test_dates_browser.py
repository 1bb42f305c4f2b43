"""A date typed day/month/year in an English-language browser is stored as that day: the
field is a text field, not the browser's own date control (which would read 05/12 as May 12)."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from models import Campaign
from tests.browser.conftest import shot, sign_in


def test_a_date_typed_in_an_english_browser_is_read_day_first(browser, live_server):
    context = browser.new_context(locale="en-US", base_url=live_server.url)
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        sign_in(page, "reviewer")
        page.goto(f"/campaigns/{live_server.world.campaign.id}/edit")
        due = page.locator("#c-plan_due")
        expect(due).to_have_attribute("placeholder", "dd/mm/yyyy")
        expect(due).to_have_value("10/03/2026")  # shown back day first
        due.fill("05/12/2026")
        # The calendar opens on the typed day's month, that day marked.
        due.locator("xpath=following-sibling::button[1]").click()
        expect(page.locator(".datepicker:not([hidden]) .chosen")).to_have_text("5")
        page.keyboard.press("Escape")
        page.locator("#c-due_change_reason").fill("Lùi hạn theo văn bản mới.")
        page.get_by_role("button", name="Lưu phong trào").click()
        page.wait_for_url(lambda url: "/edit" not in url)
        shot(page, "campaign-date-en-browser")
    finally:
        context.close()
    session = live_server.session()
    try:
        assert session.get(Campaign, live_server.world.campaign.id).plan_due == dt.date(2026, 12, 5)
    finally:
        session.close()
