"""A certificate's code in Chromium: anyone opens its page (as a QR scan would) and reads that the
award is in force; the Office revokes it on the dossier page; the same page then says it was
revoked, with the decision and the reason."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import SIZES, shot
from tests.fixtures.money import approved, draft_decision
from tests.fixtures.people import NOW, make_council_session
from workflow.publication import decisions, verification

REASON = "Kê khai thành tích không trung thực theo kết luận thanh tra."


def _issued(live_server) -> tuple[int, str]:
    """A nomination conferred by an issued decision, and its certificate's code."""
    session = live_server.session()
    try:
        world = live_server.world
        council = make_council_session(session, world)
        dossier = approved(session, world, council, "Trần Thị Thu", position="Giáo viên Toán")
        decision = draft_decision(session, world, [dossier])
        decisions.issue(session, decision.id, world.actor("secretary"), now=NOW)
        code = decision.items[0].verify_code
        session.commit()
        return dossier.id, code
    finally:
        session.close()


@SIZES
def test_a_certificate_is_verified_then_revoked(new_page, live_server):
    dossier_id, code = _issued(live_server)

    visitor = new_page()
    visitor.goto(f"/v/{code}")
    verdict = visitor.locator("#verdict")
    expect(verdict).to_contain_text("Quyết định số 05/QĐ-SGDĐT ngày 05/06/2026")
    expect(verdict).to_contain_text("đang có hiệu lực")
    expect(visitor.locator("main")).to_contain_text("Trần Thị Thu")
    expect(visitor.locator(".verify-qr svg")).to_be_visible()
    shot(visitor, "verify-in-force")

    # The code typed from paper, the way people type it, finds the same page.
    visitor.goto("/v")
    visitor.get_by_label("Mã kiểm tra in trên giấy khen").fill(
        verification.shown(code).lower().replace("0", "o")
    )
    visitor.get_by_role("button", name="Kiểm tra", exact=True).click()
    expect(visitor).to_have_url(re.compile(f"/v/{code}$"))

    office = new_page("reviewer")
    office.goto(f"/dossiers/{dossier_id}")
    office.get_by_role("link", name="Thu hồi khen thưởng").click()
    office.get_by_label("Số quyết định thu hồi").fill("12/QĐ-SGDĐT")
    office.get_by_label("Ngày quyết định thu hồi").fill("01/12/2026")
    office.get_by_role("button", name="Thu hồi khen thưởng").click()
    # No reason: refused, and what was typed is still there.
    expect(office.locator("#revoke-refused")).to_contain_text("Vui lòng nhập lý do.")
    expect(office.get_by_label("Số quyết định thu hồi")).to_have_value("12/QĐ-SGDĐT")
    office.get_by_label("Lý do thu hồi").fill(REASON)
    office.get_by_role("button", name="Thu hồi khen thưởng").click()
    expect(office.locator("#revocation")).to_contain_text("Quyết định số 12/QĐ-SGDĐT")
    expect(office.locator("#revocation")).to_contain_text(REASON)
    expect(office.get_by_role("link", name="Thu hồi khen thưởng")).to_have_count(0)

    visitor.goto(f"/v/{code}")
    expect(verdict).to_contain_text(re.compile("đã bị thu hồi", re.IGNORECASE))
    expect(verdict).to_contain_text("Quyết định số 12/QĐ-SGDĐT ngày 01/12/2026")
    expect(verdict).to_contain_text(REASON)
    expect(verdict).not_to_contain_text("đang có hiệu lực")
    shot(visitor, "verify-revoked")

    visitor.goto("/public/")
    expect(visitor.locator("tr.revoked")).to_contain_text("Đã thu hồi")
