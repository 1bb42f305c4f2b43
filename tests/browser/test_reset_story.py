"""Passwords in the browser: a head of unit who forgot hers asks for a link on the sign-in page,
receives it by e-mail (a real local SMTP server) and sets a new one, once; an officer handed a
one-time password by the admin must change it before anything else. In an English-language
browser the file chooser and the form messages still speak the page's language."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import SIZES, open_menu, shot, sign_in

LINK = re.compile(r"https?://\S+/auth/reset/[A-Za-z0-9_-]+")


def _link_in_mailbox(page, smtp_server, address: str) -> str:
    """The reset link of the newest e-mail to ``address`` (it is sent once the answer is out)."""
    for _ in range(100):
        messages = smtp_server.to(address)
        if messages:
            return LINK.search(messages[-1].body).group(0)
        page.wait_for_timeout(100)
    raise AssertionError(f"no e-mail to {address}")


@SIZES
def test_a_forgotten_password_is_reset_by_an_e_mailed_link(new_page, live_server, smtp_server):
    live_server.app.config.update(SMTP_HOST=smtp_server.host, SMTP_PORT=smtp_server.port)
    page = new_page()
    page.goto("/auth/login")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    page.get_by_label("Tên đăng nhập hoặc thư điện tử").fill("head_a@example.vn")
    page.get_by_role("button", name="Gửi liên kết đặt lại mật khẩu").click()
    expect(page.get_by_role("heading", name="Hãy kiểm tra hộp thư")).to_be_visible()
    link = _link_in_mailbox(page, smtp_server, "head_a@example.vn")

    page.goto(link)
    expect(page.get_by_role("heading", name="Đặt mật khẩu mới")).to_be_visible()
    page.get_by_label("Mật khẩu mới", exact=True).fill("ngắn")
    page.get_by_label("Nhập lại mật khẩu mới").fill("ngắn")
    page.get_by_role("button", name="Đặt mật khẩu mới").click()
    expect(page.get_by_text("cần ít nhất 10 ký tự", exact=False).first).to_be_visible()
    page.get_by_label("Mật khẩu mới", exact=True).fill("Hoa-Phuong-2026")
    page.get_by_label("Nhập lại mật khẩu mới").fill("Hoa-Phuong-2026")
    page.get_by_role("button", name="Đặt mật khẩu mới").click()
    expect(page.get_by_text("Đã đặt mật khẩu mới.", exact=False)).to_be_visible()
    shot(page, "reset-done")

    sign_in(page, "head_a", "Hoa-Phuong-2026")
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible()
    page.goto(link)
    expect(page.get_by_text("đã được dùng", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="Yêu cầu liên kết mới")).to_be_visible()


@SIZES
def test_a_one_time_password_must_be_changed_first(new_page):
    admin = new_page("admin")
    open_menu(admin)
    admin.get_by_role("link", name="Quản trị", exact=True).click()
    admin.get_by_role("link", name="Tài khoản", exact=True).click()
    admin.get_by_role("link", name="staff_a").click()
    admin.locator("#password").get_by_role("button", name="Đặt lại mật khẩu").click()
    one_time = admin.locator("[data-password]").inner_text()
    expect(
        admin.get_by_text("họ phải đổi sang mật khẩu của riêng mình", exact=False)
    ).to_be_visible()

    officer = new_page()
    sign_in(officer, "staff_a", one_time)
    expect(officer.get_by_role("heading", name="Đổi mật khẩu")).to_be_visible()
    expect(officer.get_by_text("Bạn đang dùng mật khẩu dùng một lần", exact=False)).to_be_visible()
    officer.goto("/dossiers/")
    expect(officer).to_have_url(re.compile(r"/auth/password$"))
    shot(officer, "forced-change")
    officer.get_by_label("Mật khẩu hiện tại").fill(one_time)
    officer.get_by_label("Mật khẩu mới", exact=True).fill("Rieng-Cua-Toi-2026")
    officer.get_by_label("Nhập lại mật khẩu mới").fill("Rieng-Cua-Toi-2026")
    officer.get_by_role("button", name="Đổi mật khẩu").click()
    expect(officer.get_by_text("Đã đổi mật khẩu.", exact=False)).to_be_visible()
    officer.goto("/dossiers/")
    expect(officer.get_by_role("heading", name="Hồ sơ đơn vị")).to_be_visible()


@SIZES
def test_an_english_browser_reads_the_pages_words(new_page, live_server):
    page = new_page(locale="en-US")
    page.goto("/auth/forgot")
    live_server.app.config.update(SMTP_HOST="127.0.0.1")
    page.reload()
    # Sent empty: the server's own message, not the browser's "Please fill out this field".
    page.get_by_role("button", name="Gửi liên kết đặt lại mật khẩu").click()
    expect(
        page.get_by_text("Vui lòng nhập tên đăng nhập hoặc địa chỉ thư điện tử.")
    ).to_be_visible()

    sign_in(page, "admin")
    page.goto("/admin/accounts")
    page.get_by_text("Nhập tài khoản từ tệp CSV").click()
    chooser = page.locator(".file-chooser").first
    expect(chooser.get_by_text("Chọn tệp…")).to_be_visible()
    expect(chooser.get_by_text("Chưa chọn tệp nào")).to_be_visible()
    chooser.locator("input[type=file]").set_input_files(
        files=[{"name": "tai-khoan.csv", "mimeType": "text/csv", "buffer": b"username\n"}]
    )
    expect(chooser.get_by_text("tai-khoan.csv")).to_be_visible()
    shot(page, "file-chooser")
