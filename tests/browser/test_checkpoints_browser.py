"""A journalist's visit: from the public audit page to the signed checkpoints and the key,
a proof that a published event is in the log, and two checkpoints compared (a typo first,
kept in the box and named), on a desktop and on a phone."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import SIZES
from tests.fixtures.audit_tools import add_events
from web.support.checkpoints import signer
from workflow.core.audit import current_head
from workflow.core.checkpoints import sign_checkpoint


def _signed_log(live_server, tmp_path) -> dict[str, str]:
    """Two checkpoints over the cast's events and fifteen more; what the page should show."""
    app = live_server.app
    app.config["CHECKPOINT_KEY_FILE"] = str(tmp_path / "checkpoint.pem")
    app.config["CHECKPOINT_ORIGIN"] = "vinhdanh.test/audit"
    with app.app_context():
        found = signer(app, create=True)
        session = live_server.session()
        try:
            head = current_head(session)[0]
            add_events(session, 9)
            first = sign_checkpoint(session, found).checkpoint.tree_size
            add_events(session, 6)
            second = sign_checkpoint(session, found).checkpoint.tree_size
            session.commit()
        finally:
            session.close()
    mine = range(head + 1, head + 10)
    return {
        "first": str(first),
        "second": str(second),
        "key": str(found.verifier_key),
        "public": str(next(s for s in mine if s % 3 == 0)),
        "internal": str(next(s for s in mine if s % 3)),
    }


@SIZES
def test_a_journalist_checks_the_log(new_page, live_server, tmp_path):
    log = _signed_log(live_server, tmp_path)
    first, key = log["first"], log["key"]
    page = new_page()
    page.goto("/public/audit")
    page.get_by_role("link", name="Xem và tải các điểm kiểm chứng").click()
    expect(page.get_by_role("heading", name="Điểm kiểm chứng đã ký của nhật ký")).to_be_visible()
    expect(page.locator("[data-key]").first).to_have_text(key)
    expect(page.locator(f'tr[data-size="{first}"]')).to_be_visible()

    page.get_by_role("link", name="Kiểm tra hai điểm kiểm chứng có khớp nhau không").click()
    page.get_by_label("Điểm kiểm chứng cũ (số sự kiện)").fill(f"{first}x")
    page.get_by_label("Điểm kiểm chứng mới (số sự kiện)").fill("abc")
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.locator("[data-verdict]")).to_contain_text("không phải là một số thứ tự")
    expect(page.get_by_label("Điểm kiểm chứng cũ (số sự kiện)")).to_have_value(f"{first}x")
    page.get_by_label("Điểm kiểm chứng cũ (số sự kiện)").fill(first)
    page.get_by_label("Điểm kiểm chứng mới (số sự kiện)").fill(log["second"])
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.locator("[data-verdict]")).to_contain_text("lịch sử giữa hai lần ký không bị")

    page.goto(f"/public/audit/proof/{log['public']}")
    expect(page.locator("[data-verdict]")).to_contain_text(
        f"Sự kiện số {log['public']} nằm trong điểm kiểm chứng có {log['second']} sự kiện"
    )
    expect(page.get_by_role("link", name="Tải bằng chứng (JSON) để tự kiểm tra")).to_be_visible()
    page.goto(f"/public/audit/proof/{log['internal']}")
    expect(page.locator("[data-verdict]")).to_contain_text("là sự kiện nội bộ")
