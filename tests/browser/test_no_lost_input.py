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
