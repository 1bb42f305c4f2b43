"""A full Council session in Chromium: the secretary opens the session and two secret
ballots, three members vote from three browser contexts (their own devices), the secretary
closes, applies the results, draws up a decision and issues it; the outcome is public.

No page ever shows a member's choice back, nor a name beside a choice.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from models import Dossier
from models.council import Ballot
from tests.browser.conftest import shot
from tests.fixtures.ballot_keys import CHAIR_PASSPHRASE, SECRETARY_PASSPHRASE
from tests.fixtures.browser import make_ballot_key, make_chair, open_council_session, state
from tests.fixtures.people import make_dossier

VOTES = {
    "member1": ("Bùi Văn Long", "Đồng ý"),
    "member2": ("Đỗ Thị Mai", "Đồng ý"),
    "member3": ("Ngô Quang Nam", "Không đồng ý"),
}


def agenda(live_server) -> tuple[int, int]:
    """Two nominations awaiting the Council, moved there by the engine."""
    session = live_server.session()
    world = live_server.world
    first = make_dossier(
        session,
        world,
        "nomination",
        "council_review",
        nominee_name="Trần Phú Quốc",
        position="Giáo viên Vật lý",
    )
    second = make_dossier(
        session,
        world,
        "nomination",
        "council_review",
        unit="b",
        nominee_name="Lê Văn Bảo",
        position="Nhân viên thư viện",
    )
    ids = first.id, second.id
    make_chair(session, world, "member1")
    session.commit()
    session.close()
    return ids


def ballot_card(page: Page, dossier_id: int):
    return page.locator(f"#ballot-{dossier_id}")


def open_ballot(page: Page, dossier_id: int) -> None:
    ballot_card(page, dossier_id).get_by_role("button", name="Mở phiếu").click()
    expect(page.locator(".flash-success")).to_contain_text(
        "Đã mở phiếu: 5 thành viên được bỏ phiếu."
    )
    expect(ballot_card(page, dossier_id)).to_have_attribute("data-ballot", "open")


def member_votes(
    page: Page, session_url: str, dossier_id: int, choice: str, screenshot: str | None = None
) -> None:
    """A member finds the ballot through the menu and votes; the page never echoes the choice."""
    page.get_by_role("link", name="Hội đồng", exact=True).click()
    page.locator(f"a[href='{session_url}']").click()
    page.get_by_role("link", name="Bỏ phiếu kín").click()
    ballot_card(page, dossier_id).get_by_role("link", name="Bỏ phiếu").click()
    expect(page.locator(".vote-box")).to_have_attribute("data-standing", "may_vote")
    if screenshot:
        shot(page, screenshot)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".vote-choices").get_by_role("button", name=choice, exact=True).click()
    expect(page.locator(".flash-success")).to_have_text("Đã ghi nhận phiếu của bạn.")
    box = page.locator(".vote-box")
    expect(box).to_contain_text("Bạn đã bỏ phiếu.")
    expect(box.locator("button")).to_have_count(0)
    for word in ("Đồng ý", "Không đồng ý", "Không biểu quyết"):
        expect(box).not_to_contain_text(word)


def no_name_beside_a_choice(page: Page) -> None:
    """No table row, list entry or paragraph holds a voter's name and a choice together."""
    blocks = page.locator("tr, li, p, dl, .card").all_inner_texts()
    for text in blocks:
        for name, _ in VOTES.values():
            if name in text:
                assert not re.search(r"Đồng ý|Không đồng ý|Không biểu quyết", text), text


def test_full_council_session_with_a_secret_ballot(new_page, live_server):
    first, second = agenda(live_server)
    secretary = new_page("secretary")
    open_council_session(secretary)
    session_url = re.search(r"/council/\d+$", secretary.url).group(0)
    secretary.get_by_role("link", name="Bỏ phiếu kín").click()
    expect(secretary.get_by_role("heading", name="Bỏ phiếu kín")).to_be_visible()
    make_ballot_key(secretary)
    card = ballot_card(secretary, second)
    card.get_by_label("Thành viên có xung đột lợi ích").select_option(label="Đinh Thị Oanh")
    card.get_by_label("Lý do").fill("Công tác cùng đơn vị với người được đề nghị")
    card.get_by_role("button", name="Ghi nhận xung đột lợi ích").click()
    expect(ballot_card(secretary, second)).to_contain_text("Đinh Thị Oanh (Công tác cùng đơn vị")
    open_ballot(secretary, first)
    ballot_card(secretary, second).get_by_role("button", name="Mở phiếu").click()
    expect(secretary.locator(".flash-success")).to_contain_text("4 thành viên được bỏ phiếu")
    shot(secretary, "40-ballots-open")

    members = {name: new_page(name) for name in VOTES}
    for name, (_, choice) in VOTES.items():
        member_votes(
            members[name],
            session_url,
            first,
            choice,
            screenshot="41-member-ballot" if name == "member1" else None,
        )
        member_votes(members[name], session_url, second, "Đồng ý")
    shot(members["member3"], "42-member-voted")
    # A second vote from the same member is refused and counts nothing.
    member = members["member1"]
    member.goto(f"{session_url}/ballots")
    expect(ballot_card(member, first).locator(".my-standing")).to_have_text("Bạn đã bỏ phiếu.")
    # The recused member is told so and has no vote button.
    oanh = new_page("member4")
    oanh.goto(f"{session_url}/ballots")
    expect(ballot_card(oanh, second).locator(".my-standing")).to_have_text(
        "Bạn được miễn biểu quyết hồ sơ này."
    )
    expect(ballot_card(oanh, first).get_by_role("link", name="Bỏ phiếu")).to_be_visible()

    secretary.reload()
    card = ballot_card(secretary, first)
    expect(card.locator(".ballot-status")).to_contain_text("3/5 thành viên đã bỏ phiếu.")
    expect(card.locator(".ballot-result")).to_have_count(0)  # no tally while the ballot is open
    no_name_beside_a_choice(secretary)
    for dossier_id in (first, second):
        card = ballot_card(secretary, dossier_id)
        card.get_by_label("Mật khẩu của chủ tịch Hội đồng").fill(CHAIR_PASSPHRASE)
        card.get_by_label("Mật khẩu của thư ký").fill(SECRETARY_PASSPHRASE)
        secretary.once("dialog", lambda dialog: dialog.accept())
        card.get_by_role("button", name="Đóng phiếu và kiểm phiếu").click()
        expect(secretary.locator(".flash-success")).to_contain_text("Đã đóng phiếu")
    card = ballot_card(secretary, first)
    expect(card.locator(".votes-for")).to_have_text("2")
    expect(card.locator(".votes-against")).to_have_text("1")
    expect(card.locator(".votes-abstain")).to_have_text("0")
    expect(card).to_contain_text(
        "2/5 phiếu đồng ý, cần ít nhất 3/5 — một phần hai số thành viên có mặt được biểu quyết."
    )
    expect(ballot_card(secretary, second)).to_contain_text(
        "3/4 phiếu đồng ý, cần ít nhất 2/4 — một phần hai số thành viên có mặt được biểu quyết."
    )
    shot(secretary, "43-ballots-closed")
    no_name_beside_a_choice(secretary)

    ballot_card(secretary, first).get_by_role(
        "button", name="Ghi nhận: Hội đồng không thông qua"
    ).click()
    expect(ballot_card(secretary, first).locator("h2 .badge")).to_have_text(
        state("nomination", "rejected")
    )
    ballot_card(secretary, second).get_by_role(
        "button", name="Ghi nhận: Hội đồng thông qua"
    ).click()
    expect(ballot_card(secretary, second).locator("h2 .badge")).to_have_text(
        state("nomination", "approved")
    )
    # The members see the result now, still without names.
    members["member2"].goto(f"{session_url}/ballots")
    expect(ballot_card(members["member2"], first).locator(".votes-for")).to_have_text("2")
    no_name_beside_a_choice(members["member2"])

    # A decision of the approved dossier, issued: the outcome is public.
    secretary.get_by_role("link", name="Quyết định khen thưởng").click()
    secretary.get_by_role("link", name="Lập quyết định").click()
    expect(secretary.get_by_label("Lê Văn Bảo")).to_be_checked()
    secretary.get_by_label("Số quyết định").fill("05/QĐ-SGDĐT")
    secretary.get_by_label("Ngày quyết định").fill("2026-06-05")
    secretary.get_by_label("Người ký").fill("Nguyễn Văn Giám")
    secretary.get_by_role("button", name="Lưu dự thảo quyết định").click()
    expect(secretary.get_by_role("heading", name="Quyết định số 05/QĐ-SGDĐT")).to_be_visible()
    with secretary.expect_download() as download:
        secretary.get_by_role("link", name="Tải DOCX").click()
    assert download.value.suggested_filename.endswith(".docx")
    secretary.once("dialog", lambda dialog: dialog.accept())
    secretary.get_by_role("button", name="Ban hành và công bố").click()
    expect(secretary.locator(".flash-success")).to_have_text(
        "Đã ban hành quyết định và công bố 1 hồ sơ."
    )
    shot(secretary, "44-decision-issued")

    visitor = new_page()
    visitor.goto("/public/?q=le+van+bao")
    expect(visitor.locator("table tbody tr")).to_contain_text("05/QĐ-SGDĐT")
    session = live_server.session()
    try:
        assert session.get(Dossier, second).state == "published"
        assert session.get(Dossier, first).state == "rejected"
        assert len(session.scalars(select(Ballot)).all()) == 2
    finally:
        session.close()
