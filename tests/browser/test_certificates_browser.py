"""Certificates in Chromium: the secretary downloads the certificates of an issued decision from
its page (the whole decision, then one awardee's); the Office saves a blank's positions, and a
mistyped number comes back as typed with its message."""

from __future__ import annotations

import io
import unicodedata

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import SIZES, shot
from tests.fixtures.money import approved, draft_decision
from tests.fixtures.people import NOW, make_council_session
from workflow.publication import decisions


def issued_decision(live_server) -> int:
    world = live_server.world
    session = live_server.session()
    try:
        council = make_council_session(session, world)
        cstdcs = world.awards["cstdcs"].id
        made = [
            approved(session, world, council, "Trần Phú", award_type_id=cstdcs),
            approved(session, world, council, "Lương Thế Vinh", award_type_id=cstdcs),
        ]
        decision = draft_decision(session, world, made, "12/QĐ-SGDĐT")
        decisions.issue(session, decision.id, world.actor("secretary"), now=NOW)
        session.commit()
        return decision.id
    finally:
        session.close()


def pdf_text(download) -> list[str]:
    with open(download.value.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [unicodedata.normalize("NFC", p.extract_text()) for p in reader.pages]


@SIZES
def test_the_secretary_downloads_the_certificates_from_the_decision_page(new_page, live_server):
    decision_id = issued_decision(live_server)
    page = new_page("secretary")
    page.goto(f"/council/decisions/{decision_id}")
    section = page.get_by_role("region", name="Giấy khen, bằng chứng nhận")
    expect(section).to_be_visible()
    shot(page, "decision-certificates")
    with page.expect_download() as download:
        section.get_by_role("button", name="Tải giấy khen cả quyết định (giấy trắng)").click()
    assert download.value.suggested_filename == "giay-khen-12-QĐ-SGDĐT.pdf"
    pages = pdf_text(download)
    assert len(pages) == 2
    assert all("CHIẾN SĨ THI ĐUA CƠ SỞ" in p and "Mã xác minh:" in p for p in pages)
    row = page.locator('[data-certificate-row="1"]')
    expect(row).to_have_text("Giấy khen")
    with page.expect_download() as one:
        row.click()
    assert one.value.suggested_filename == "giay-khen-12-QĐ-SGDĐT-dong-1.pdf"
    (only,) = pdf_text(one)
    assert "Trần Phú" in only and "Số sổ vàng: 1" in only


def test_the_office_saves_a_blanks_positions_and_keeps_a_mistyped_number(new_page, live_server):
    award = live_server.world.awards["cstdcs"].id
    page = new_page("reviewer")
    page.goto("/office/certificates/")
    row = page.locator(f'[data-award="{award}"]')
    expect(row).to_contain_text("Được in")
    row.get_by_role("link", name="Đặt vị trí").click()
    expect(page.get_by_role("heading", name="Chiến sĩ thi đua cơ sở")).to_be_visible()
    name = page.locator('[data-field="name"]')
    name.get_by_label("Từ mép trên (mm)").fill("9x")
    page.get_by_role("button", name="Lưu vị trí").click()
    expect(page.get_by_text("cần một số từ 0 đến 210")).to_be_visible()
    expect(name.get_by_label("Từ mép trên (mm)")).to_have_value("9x")
    shot(page, "certificate-layout-refused")
    name.get_by_label("Từ mép trên (mm)").fill("95,5")
    page.get_by_role("button", name="Lưu vị trí").click()
    expect(page.get_by_text("Đã lưu vị trí in trên phôi")).to_be_visible()
    expect(name.get_by_label("Từ mép trên (mm)")).to_have_value("95.5")


@SIZES
def test_the_offices_certificate_pages_fit_the_screen(new_page, live_server):
    issued_decision(live_server)
    award = live_server.world.awards["cstdcs"].id
    page = new_page("reviewer")
    page.goto("/office/certificates/")
    expect(page.locator("table.certificate-decisions")).to_contain_text("12/QĐ-SGDĐT")
    expect(page.locator(f'[data-award="{award}"]')).to_contain_text("Được in")
    shot(page, "office-certificates")
    page.goto(f"/office/certificates/awards/{award}/layout")
    expect(page.get_by_role("button", name="Lưu vị trí")).to_be_visible()
