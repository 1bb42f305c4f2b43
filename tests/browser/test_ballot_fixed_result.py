"""The Council secretary in Chromium: the nominee who sits on the Council is shown recused on
the roll and cannot vote; the secretary closes the ballot and reads the result line fixed at the
close, which an edit of the award afterwards does not change."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from models import AwardType
from tests.browser.conftest import shot
from tests.fixtures.ballot_keys import CHAIR_PASSPHRASE, SECRETARY_PASSPHRASE
from tests.fixtures.browser import make_ballot_key, make_chair, open_council_session
from tests.fixtures.people import make_dossier, register_person

RESULT = (
    "2/4 phiếu đồng ý, cần ít nhất 3/4 — ba phần tư số thành viên có mặt được biểu quyết. "
    "(Quy chế Hội đồng, Điều 7)"
)


def test_the_secretary_closes_a_ballot_and_its_result_stays(new_page, live_server):
    session = live_server.session()
    world = live_server.world
    award = session.get(AwardType, world.awards["ldtt"].id)
    award.vote_threshold, award.threshold_source = "3/4", "Quy chế Hội đồng, Điều 7"
    # Ngô Quang Nam sits on the Council and is the nominee: linked through the register.
    herself = register_person(session, world, "Ngô Quang Nam", "a", user="member3")
    dossier_id = make_dossier(
        session, world, "nomination", "council_review", person_id=herself.id
    ).id
    make_chair(session, world, "member1")
    session.commit()
    session.close()

    secretary = new_page("secretary")
    open_council_session(secretary)
    session_url = re.search(r"/council/\d+$", secretary.url).group(0)
    secretary.get_by_role("link", name="Bỏ phiếu kín").click()
    make_ballot_key(secretary)
    card = secretary.locator(f"#ballot-{dossier_id}")
    card.get_by_role("button", name="Mở phiếu").click()
    expect(secretary.locator(".flash-success")).to_contain_text("4 thành viên được bỏ phiếu")
    card.locator(".ballot-roll summary").click()
    expect(card.locator(".ballot-roll li[data-roll='nominee']")).to_have_text(
        "Ngô Quang Nam — Không tham gia bỏ phiếu (là người được đề nghị)"
    )
    expect(card).to_contain_text("cần ít nhất 3/4 — ba phần tư")

    nominee = new_page("member3")
    nominee.goto(f"{session_url}/ballots")
    expect(nominee.locator(f"#ballot-{dossier_id} .my-standing")).to_have_text(
        "Bạn được miễn biểu quyết hồ sơ này."
    )
    for name in ("member1", "member2"):
        member = new_page(name)
        member.goto(f"{session_url}/vote/{dossier_id}")
        member.once("dialog", lambda dialog: dialog.accept())
        member.locator(".vote-choices").get_by_role("button", name="Đồng ý", exact=True).click()
        expect(member.locator(".flash-success")).to_have_text("Đã ghi nhận phiếu của bạn.")

    secretary.reload()
    card.get_by_label("Mật khẩu của chủ tịch Hội đồng").fill(CHAIR_PASSPHRASE)
    card.get_by_label("Mật khẩu của thư ký").fill(SECRETARY_PASSPHRASE)
    secretary.once("dialog", lambda dialog: dialog.accept())
    card.get_by_role("button", name="Đóng phiếu và kiểm phiếu").click()
    expect(secretary.locator(".flash-success")).to_contain_text("Đã đóng phiếu")
    expect(card.locator(".fixed-result")).to_contain_text(RESULT)
    expect(card.locator(".fixed-result .badge")).to_have_text("Không đạt")
    shot(secretary, "45-ballot-fixed-result")

    # The admin lowers the threshold afterwards: the closed ballot does not move.
    session = live_server.session()
    session.get(AwardType, world.awards["ldtt"].id).vote_threshold = "1/2"
    session.commit()
    session.close()
    secretary.reload()
    expect(card.locator(".fixed-result")).to_contain_text(RESULT)
    expect(card.locator(".fixed-result .badge")).to_have_text("Không đạt")
    expect(card.get_by_role("button", name="Ghi nhận: Hội đồng không thông qua")).to_be_visible()
