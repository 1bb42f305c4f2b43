"""An administrator, in the browser: creates a unit, an account with a role in that unit,
resets its password; the account then signs in with the new password, not the first one."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import SIZES, open_menu, shot, sign_in


@SIZES
def test_admin_creates_a_unit_and_an_account_that_signs_in(new_page):
    page = new_page("admin")
    open_menu(page)
    page.get_by_role("link", name="Quản trị").click()
    page.get_by_role("link", name="Đơn vị", exact=True).click()
    page.get_by_role("link", name="Thêm đơn vị").first.click()
    page.get_by_label("Mã đơn vị").fill("MN-HOA-SEN")
    page.get_by_label("Tên đơn vị").fill("Trường Mầm non Hoa Sen")
    page.get_by_label("Loại đơn vị").select_option(label="Trường mầm non")
    page.get_by_label("Xã, phường, đặc khu").fill("phường Hồng Bàng")
    page.get_by_label("Điện thoại").fill("0225 3841 234")
    page.get_by_role("button", name="Thêm đơn vị").click()
    expect(page.get_by_text("Đã thêm đơn vị “Trường Mầm non Hoa Sen”.")).to_be_visible()
    shot(page, "admin-units")

    page.get_by_role("link", name="Tài khoản", exact=True).click()
    page.get_by_role("link", name="Thêm tài khoản").first.click()
    page.get_by_label("Tên đăng nhập").fill("canbo.mn-hoa-sen")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Lan")
    page.get_by_label("Vai trò").select_option(label="Cán bộ thi đua đơn vị")
    page.get_by_label("Đơn vị (với cán bộ, thủ trưởng đơn vị)").select_option(
        label="Trường Mầm non Hoa Sen (MN-HOA-SEN)"
    )
    page.get_by_role("button", name="Tạo tài khoản").click()
    first_password = page.locator("[data-password]").inner_text()
    expect(page.get_by_text("Mật khẩu chỉ hiển thị lần này", exact=False)).to_be_visible()

    page.get_by_role("link", name="Về trang tài khoản").click()
    reset = page.locator("#password")
    reset.get_by_label("Mật khẩu mới", exact=True).fill("Hoa-Sen-2026!")
    reset.get_by_label("Nhập lại mật khẩu mới").fill("Hoa-Sen-2026!")
    reset.get_by_role("button", name="Đặt lại mật khẩu").click()
    expect(page.get_by_text("Đã đặt mật khẩu mới.", exact=False)).to_be_visible()
    shot(page, "admin-account")

    person = new_page()
    person.goto("/auth/login")
    person.get_by_label("Tên đăng nhập").fill("canbo.mn-hoa-sen")
    person.get_by_label("Mật khẩu").fill(first_password)
    person.get_by_role("button", name="Đăng nhập").click()
    assert "/auth/login" in person.url
    sign_in(person, "canbo.mn-hoa-sen", "Hoa-Sen-2026!")
    expect(person.get_by_role("heading", name="Việc cần làm")).to_be_visible()
    open_menu(person)
    expect(person.get_by_role("link", name="Hồ sơ đơn vị")).to_be_visible()
