"""Chromium starts, the sign-in page renders with its own CSS, and signing in works."""

from playwright.sync_api import expect

from tests.browser.conftest import shot


def test_sign_in_page(new_page):
    page = new_page()
    page.goto("/auth/login")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    # The stylesheet is served locally and applied (header colour from app.css).
    colour = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert colour == "rgb(179, 18, 27)"
    shot(page, "00-sign-in")


def test_sign_in_and_out(new_page):
    page = new_page("staff_a")
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()
