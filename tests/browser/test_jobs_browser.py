"""The jobs page in Chromium: the Office asks for the campaign's workbook, the page shows the
job waiting, and when the worker has run it, the same page (not reloaded) shows it done, its
progress bar full and the file to download."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import SIZES
from tests.fixtures.queue import private_redis, run_worker  # noqa: F401  (a fixture)

EXPORT = "Báo cáo tổng hợp gửi Ban Thi đua - Khen thưởng (XLSX)"


@SIZES
def test_a_job_progresses_on_the_page_without_a_reload(live_server, new_page, private_redis):
    app = live_server.app
    app.config["REDIS_URL"] = private_redis.url
    for n in range(3):
        live_server.dossier_at_office(f"Hồ sơ chờ thẩm định {n}")
    page = new_page("reviewer")
    page.goto(f"/dashboard?campaign={live_server.world.campaign.id}")
    page.get_by_role("button", name=EXPORT).click()
    page.wait_for_url("**/office/jobs")
    expect(page.get_by_text("Đang tạo bảng tổng hợp của đợt")).to_be_visible()
    row = page.locator("tr[data-job]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Xuất bảng tổng hợp của đợt thi đua")
    expect(row).to_contain_text("Đang chờ")
    page.evaluate("window.notReloaded = true")

    run_worker(app)

    expect(row).to_contain_text("Xong", timeout=10000)
    bar = row.locator("progress")
    expect(bar).to_have_attribute("max", re.compile(r"^\d+$"))
    rows_written = bar.get_attribute("max")
    assert int(rows_written) >= 3  # the units and the three nominations at least
    expect(bar).to_have_attribute("value", rows_written)
    expect(row.get_by_role("link", name="Tải về")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    with page.expect_download() as download:
        row.get_by_role("link", name="Tải về").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_a_council_member_follows_a_certificates_batch_to_its_file(
    live_server, new_page, private_redis
):
    """The whole decision's certificates: the button leads to the job's own page, which shows
    the certificates drawn of all and, once the worker is done, the file (same page)."""
    from tests.browser.test_certificates_browser import issued_decision, pdf_text

    app = live_server.app
    app.config["REDIS_URL"] = private_redis.url
    decision_id = issued_decision(live_server)
    page = new_page("member1")
    page.goto(f"/council/decisions/{decision_id}")
    page.get_by_role("button", name="Tải giấy khen cả quyết định (giấy trắng)").click()
    page.wait_for_url("**/office/certificates/jobs/*")
    expect(page.get_by_text("Đang tạo 2 giấy khen của Quyết định số 12/QĐ-SGDĐT")).to_be_visible()
    row = page.locator("tr[data-job]")
    expect(row).to_contain_text("Đang chờ")
    page.evaluate("window.notReloaded = true")

    run_worker(app)

    expect(row).to_contain_text("Xong", timeout=10000)
    bar = row.locator("progress")
    expect(bar).to_have_attribute("max", "2")
    expect(bar).to_have_attribute("value", "2")
    assert page.evaluate("window.notReloaded") is True
    with page.expect_download() as download:
        row.get_by_role("link", name="Tải về").click()
    assert download.value.suggested_filename == "giay-khen-12-QĐ-SGDĐT.pdf"
    assert len(pdf_text(download)) == 2
