"""The Office, in the browser: selects a whole page of 20 dossiers and accepts them at once;
the one the reviewer is the nominee of is refused with why, the 19 others go through."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import SIZES, shot
from tests.fixtures.people import make_dossier
from workflow.dossiers.guards import DOSSIER_MESSAGES
from workflow.dossiers.queues import office_default_state


@SIZES
def test_bulk_accept_of_twenty_rows_with_one_refusal(new_page, live_server):
    w = live_server.world
    session = live_server.session()
    review = office_default_state()
    for n in range(19):
        make_dossier(session, w, "nomination", review, title=f"Đề nghị số {n + 1}")
    own = make_dossier(
        session,
        w,
        "nomination",
        review,
        title="Đề nghị của chính người thẩm định",
        nominee_user_id=w.users["reviewer"].id,
    ).id
    session.commit()
    session.close()

    page = new_page("reviewer")
    page.goto("/office/")
    page.get_by_label("Chọn tất cả hồ sơ trên trang này").check()
    expect(page.locator("input[name=ids]:checked")).to_have_count(20)
    page.get_by_role("button", name="Chấp thuận").click()

    expect(page.locator(".bulk-summary")).to_have_text(
        "Đã xử lý: 19 hồ sơ. Không thực hiện được: 1 hồ sơ."
    )
    expect(page.locator("tr[data-done]")).to_have_count(19)
    refused = page.locator(f'tr[data-refused="{own}"]')
    expect(refused).to_contain_text("Đề nghị của chính người thẩm định")
    reason = DOSSIER_MESSAGES.texts["reviewer_is_nominee"][0]
    expect(refused).to_contain_text(reason)
    shot(page, "office-bulk-result")
