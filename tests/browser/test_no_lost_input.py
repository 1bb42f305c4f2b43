"""Nothing typed is lost in the browser: a limited text shows a live count and is never cut."""

from __future__ import annotations

from playwright.sync_api import expect

from models.dossiers import MAX_LENGTH

LIMIT = MAX_LENGTH["achievements"]


def test_a_pasted_text_over_the_limit_is_counted_not_cut(new_page):
    page = new_page("staff_a")
    page.goto("/dossiers/new/nomination")
    achievements = page.locator("#achievements")
    counter = page.locator("#achievements-count")
    expect(counter).to_have_text("0 / 20.000 ký tự")
    achievements.fill("Giáo viên dạy giỏi")
    expect(counter).to_have_text("18 / 20.000 ký tự")
    expect(counter).not_to_have_class("char-count over")
    text = "Thành tích xuất sắc. " * 5000  # 105,000 characters, as if pasted
    achievements.fill(text)
    # Kept whole (a maxlength would have cut it at 20,000) and the count warns.
    assert page.evaluate("document.getElementById('achievements').value.length") == len(text)
    expect(counter).to_have_class("char-count over")
    expect(counter).to_contain_text("105.000 / 20.000 ký tự: vượt quá giới hạn 85.000 ký tự")


def test_a_file_too_large_is_named_before_anything_is_sent(new_page, live_server):
    page = new_page("staff_a")
    page.goto("/dossiers/new/plan")
    page.locator("#title").fill("Kế hoạch thi đua năm học 2026–2027")
    page.locator("#campaign_id").select_option(str(live_server.world.campaign.id))
    page.locator("#summary").fill("Mục tiêu, chỉ tiêu thi đua, biện pháp.")
    big = b"%PDF-1.4\n".ljust(11 * 1024 * 1024, b"0")
    files = page.locator("#files")
    files.set_input_files([{"name": "Bản scan.pdf", "mimeType": "application/pdf", "buffer": big}])
    problem = page.locator("[data-upload-problem]")
    expect(problem).to_have_text(
        "Tệp “Bản scan.pdf” (11 MB) quá lớn: tối đa 10 MB mỗi tệp, 25 MB mỗi lần gửi. "
        "Hãy chọn tệp nhỏ hơn; nội dung đã nhập vẫn được giữ."
    )
    requests = []
    page.on("request", lambda r: requests.append(r) if r.method == "POST" else None)
    page.get_by_role("button", name="Lưu hồ sơ nháp").click()
    expect(problem).to_be_visible()
    assert not requests and "/dossiers/new/plan" in page.url
    expect(page.locator("#title")).to_have_value("Kế hoạch thi đua năm học 2026–2027")
    # A file within the limits clears the message and the form goes.
    small = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    files.set_input_files(
        [{"name": "Kế hoạch.pdf", "mimeType": "application/pdf", "buffer": small}]
    )
    expect(problem).to_have_count(0)
    page.get_by_role("button", name="Lưu hồ sơ nháp").click()
    page.wait_for_url(lambda url: "/new/" not in url)
    expect(page.get_by_role("link", name="Kế hoạch.pdf", exact=True)).to_be_visible()
