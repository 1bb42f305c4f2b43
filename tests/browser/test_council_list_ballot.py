"""A list ballot in Chromium: the secretary and the chair set the session's ballot key, every
agenda nomination opens at once, members vote the whole list on phone-size screens (a missing
mark keeps the others; the nominee's own row is not theirs to mark), the live count moves on
the secretary's and a member's page without reloading, and the close needs both passphrases."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, shot
from tests.fixtures.browser import (
    close_ballot_list,
    make_ballot_key,
    make_chair,
    open_council_session,
)
from tests.fixtures.people import make_dossier

NOMINEES = ("Trần Phú Quốc", "Đinh Thị Oanh", "Lê Văn Bảo")
# The live count asks every 4 s: a change shows within two rounds.
LIVE_MS = 10_000


def agenda(live_server) -> list[int]:
    """Three nominations awaiting the Council; member4 (Đinh Thị Oanh) is the second's nominee."""
    session = live_server.session()
    world = live_server.world
    ids = [
        make_dossier(
            session,
            world,
            "nomination",
            "council_review",
            nominee_name=name,
            **({"nominee_user_id": world.users["member4"].id} if name == "Đinh Thị Oanh" else {}),
        ).id
        for name in NOMINEES
    ]
    make_chair(session, world, "member1")
    session.commit()
    session.close()
    return ids


def row(page: Page, dossier_id: int):
    return page.locator(f".vote-row[data-dossier='{dossier_id}']")


def send(page: Page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Gửi phiếu").click()


def test_members_vote_a_list_on_their_phones(new_page, live_server):
    ids = agenda(live_server)
    secretary = new_page("secretary")
    open_council_session(secretary)
    session_url = re.search(r"/council/\d+$", secretary.url).group(0)
    secretary.get_by_role("link", name="Bỏ phiếu kín").click()
    expect(secretary.get_by_role("button", name="Mở phiếu tất cả hồ sơ")).to_have_count(0)
    make_ballot_key(secretary)
    secretary.get_by_role("button", name="Mở phiếu tất cả hồ sơ").click()
    expect(secretary.locator(".flash-success")).to_contain_text(
        "Đã mở phiếu 3 hồ sơ trong một danh sách."
    )
    count = secretary.locator(".ballot-list .ballot-turnout")
    expect(count).to_have_text("0/5 thành viên đã bỏ phiếu")
    vote_url = secretary.get_by_role("link", name="Trang bỏ phiếu của danh sách").get_attribute(
        "href"
    )
    assert vote_url.startswith(session_url)

    long = new_page("member1", viewport=PHONE)
    long.goto(vote_url)
    expect(long.locator(".vote-row")).to_have_count(3)
    row(long, ids[0]).get_by_label("Đồng ý", exact=True).check()
    row(long, ids[1]).get_by_label("Không đồng ý").check()
    send(long)
    expect(long.locator(".notice-error")).to_contain_text("Còn 1 hồ sơ chưa chọn ý kiến")
    expect(row(long, ids[0]).get_by_label("Đồng ý", exact=True)).to_be_checked()
    expect(row(long, ids[1]).get_by_label("Không đồng ý")).to_be_checked()
    expect(row(long, ids[2])).to_have_class(re.compile("has-error"))
    shot(long, "45-list-ballot-missing-mark")
    row(long, ids[2]).get_by_label("Không ý kiến").check()
    send(long)
    expect(long.locator(".flash-success")).to_have_text("Đã ghi nhận phiếu của bạn cho 3 hồ sơ.")
    expect(long.locator(".vote-box")).to_contain_text("Bạn đã bỏ phiếu.")
    expect(long.locator("input[type=radio]")).to_have_count(0)
    # The secretary's count moved without a reload.
    expect(count).to_have_text("1/5 thành viên đã bỏ phiếu", timeout=LIVE_MS)

    oanh = new_page("member4", viewport=PHONE)
    oanh.goto(vote_url)
    expect(row(oanh, ids[1])).to_contain_text("Không tham gia biểu quyết (là người được đề nghị)")
    expect(row(oanh, ids[1]).locator("input")).to_have_count(0)
    shot(oanh, "46-list-ballot-recused-row")
    row(oanh, ids[0]).get_by_label("Không đồng ý").check()
    row(oanh, ids[2]).get_by_label("Đồng ý", exact=True).check()
    send(oanh)
    expect(oanh.locator(".flash-success")).to_have_text("Đã ghi nhận phiếu của bạn cho 2 hồ sơ.")
    # Both the secretary's page and the first member's page follow.
    expect(count).to_have_text("2/5 thành viên đã bỏ phiếu", timeout=LIVE_MS)
    expect(long.locator(".ballot-turnout")).to_have_text(
        "2/5 thành viên đã bỏ phiếu", timeout=LIVE_MS
    )

    close_ballot_list(secretary, "không phải mật khẩu")
    expect(secretary.locator(".flash-error")).to_contain_text(
        "Mật khẩu của chủ tịch hoặc của thư ký không đúng"
    )
    close_ballot_list(secretary)
    expect(secretary.locator(".flash-success")).to_contain_text(
        "Đã đóng phiếu và kiểm phiếu 3 hồ sơ."
    )
    expect(secretary.locator(f"#ballot-{ids[0]} .votes-for")).to_have_text("1")
    expect(secretary.locator(f"#ballot-{ids[0]} .votes-against")).to_have_text("1")
    expect(secretary.locator(f"#ballot-{ids[1]} .votes-against")).to_have_text("1")
    expect(
        secretary.get_by_role("link", name=re.compile("Tải dữ liệu kiểm chứng kết quả"))
    ).to_be_visible()
    shot(secretary, "47-list-ballot-closed")
    long.goto(vote_url)
    expect(long.locator(".vote-box")).to_contain_text("Cuộc bỏ phiếu kín đã kết thúc.")
