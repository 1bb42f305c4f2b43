"""A full Council meeting in Chromium, as the secretary runs it from the session page: the
session opened with its attendance and agenda, one item decided by counts, the other two put
to one secret list ballot, every counted ballot applied with one click from the agenda grouped by
award, the session closed, its minutes and the award decision downloaded and converted to PDF.

The ballot steps are small functions below: the chair and the secretary set the session's
ballot key, every item left opens in one list, each member marks the whole list on a phone,
and the list is counted with both officers' passphrases.
"""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from models import Dossier
from tests.browser.conftest import PHONE, shot
from tests.fixtures.browser import (
    close_ballot_list,
    issue_decision,
    make_ballot_key,
    make_chair,
    open_council_session,
    state,
)
from tests.fixtures.people import make_dossier
from workflow.documents import docx as documents

VOTERS = ("member1", "member2", "member3")


def agenda(live_server) -> dict[str, int]:
    """Three nominations awaiting the Council: two Lao động tiên tiến, one Chiến sĩ thi đua cơ
    sở."""
    session = live_server.session()
    world = live_server.world

    def nomination(name: str, award: str, unit: str = "a") -> int:
        return make_dossier(
            session,
            world,
            "nomination",
            "council_review",
            unit=unit,
            nominee_name=name,
            award_type_id=world.awards[award].id,
        ).id

    ids = {
        "quoc": nomination("Trần Phú Quốc", "ldtt"),
        "bao": nomination("Lê Văn Bảo", "ldtt", unit="b"),
        "nam": nomination("Phạm Văn Nam", "cstdcs"),
    }
    make_chair(session, world, "member1")
    session.commit()
    session.close()
    return ids


# --- the ballot steps (the session's ballot page) ------------------------------------------


def open_all(page: Page, session_url: str, count: int) -> str:
    """The chair and the secretary set the ballot key; every item left opens in one list. The
    list's voting page is returned."""
    page.goto(f"{session_url}/ballots")
    make_ballot_key(page)
    page.get_by_role("button", name="Mở phiếu tất cả hồ sơ").click()
    expect(page.locator(".flash-success")).to_contain_text(f"Đã mở phiếu {count} hồ sơ")
    return page.get_by_role("link", name="Trang bỏ phiếu của danh sách").get_attribute("href")


def cast(page: Page, vote_url: str, marks: dict[int, str]) -> None:
    """A member marks every row of the list on one page and sends it."""
    page.goto(vote_url)
    for dossier_id, choice in marks.items():
        page.locator(f".vote-row[data-dossier='{dossier_id}']").get_by_label(
            choice, exact=True
        ).check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(page.locator(".flash-success")).to_have_text(
        f"Đã ghi nhận phiếu của bạn cho {len(marks)} hồ sơ."
    )


def close_all(page: Page, session_url: str, count: int) -> None:
    """Both officers type their passphrases; the list is counted."""
    page.goto(f"{session_url}/ballots")
    close_ballot_list(page)
    expect(page.locator(".flash-success")).to_contain_text(
        f"Đã đóng phiếu và kiểm phiếu {count} hồ sơ."
    )


# --- the meeting --------------------------------------------------------------------------


def download(page: Page, link: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link).click()
    return open(info.value.path(), "rb").read()


def pdf_text(docx: bytes) -> str:
    from pypdf import PdfReader

    pdf = documents.to_pdf(docx)
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.mark.slow
def test_a_full_meeting_from_the_session_page(new_page, live_server):
    ids = agenda(live_server)
    secretary = new_page("secretary")
    open_council_session(secretary)
    session_url = re.search(r"/council/\d+$", secretary.url).group(0)
    # The agenda by award, with counts per kind; one entry per item.
    groups = secretary.locator(".award-group")
    expect(groups).to_have_count(2)
    expect(groups.nth(0).locator("h3")).to_contain_text("Chiến sĩ thi đua cơ sở")
    expect(groups.nth(1).locator(".group-counts")).to_have_text("cá nhân: 2 · tập thể: 0")
    expect(secretary.locator(".agenda-item form.result-form")).to_have_count(3)
    shot(secretary, "50-meeting-agenda")

    # One item is decided by counts first: 4 of 5 is below nine tenths of all members.
    form = secretary.locator(f"#action-result-{ids['nam']}")
    expect(secretary.locator(f"#dossier-{ids['nam']} .needed")).to_contain_text(
        "cần ít nhất 5/5 — chín phần mười tổng số thành viên Hội đồng"
    )
    form.get_by_label("Đồng ý", exact=True).fill("4")
    form.get_by_label("Không đồng ý").fill("1")
    form.get_by_role("button", name="Ghi nhận kết quả").click()
    expect(secretary.locator(".flash-success")).to_have_text(
        "Đã ghi nhận: Hội đồng không thông qua (chưa đạt tỷ lệ)."
    )

    # The rest goes to a secret ballot, every item at once; the members vote from their phones.
    vote_url = open_all(secretary, session_url, 2)
    for name in VOTERS:
        bao = "Không đồng ý" if name != "member1" else "Đồng ý"
        cast(new_page(name, viewport=PHONE), vote_url, {ids["quoc"]: "Đồng ý", ids["bao"]: bao})
    close_all(secretary, session_url, 2)

    secretary.goto(session_url)
    # A counted ballot's item asks for no counts: its fixed result and a confirmation.
    for key in ("quoc", "bao"):
        item = secretary.locator(f"#dossier-{ids[key]}")
        expect(item).to_have_attribute("data-entry", "ballot_closed")
        expect(item.locator("input[name='votes_for']")).to_have_count(0)
    secretary.get_by_role("button", name="Ghi nhận tất cả kết quả đã kiểm phiếu (2)").click()
    expect(secretary.locator(".flash-success")).to_have_text(
        "Đã ghi nhận kết quả bỏ phiếu kín của 2 hồ sơ."
    )
    decided = secretary.locator("table.decided")
    expect(decided.locator(f"tr[data-dossier='{ids['quoc']}'] .badge")).to_have_text(
        state("nomination", "approved")
    )
    expect(decided.locator(f"tr[data-dossier='{ids['bao']}'] .badge")).to_have_text(
        state("nomination", "rejected")
    )
    shot(secretary, "51-meeting-decided")
    secretary.once("dialog", lambda dialog: dialog.accept())
    secretary.get_by_role("button", name="Kết thúc phiên họp").click()
    expect(secretary.locator(".flash-success")).to_contain_text("Đã kết thúc phiên họp")

    minutes = download(secretary, "Tải biên bản (DOCX)")
    text = [p.text for p in Document(io.BytesIO(minutes)).paragraphs]
    assert text[:2] == ["BIÊN BẢN", "HỌP HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG"]
    assert any(line.startswith("Hội đồng đã xét 3 hồ sơ") for line in text)

    issue_decision(secretary, ["Trần Phú Quốc"])
    decision = download(secretary, "Tải DOCX")
    session = live_server.session()
    assert session.get(Dossier, ids["quoc"]).state == "published"
    session.close()
    if documents.pdf_converter() is not None:
        assert "HỌP HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG" in pdf_text(minutes)
        assert "Trần Phú Quốc" in pdf_text(decision)


def test_fourteen_dossiers_fit_a_compact_page(new_page, live_server, capsys):
    """The agenda of 14 dossiers was about 14,000 px tall with three forms per item; one entry
    per item in one row, the achievements folded away, keeps it near 3,800 px."""
    session = live_server.session()
    world = live_server.world
    for i in range(14):
        make_dossier(
            session,
            world,
            "nomination",
            "council_review",
            unit="ab"[i % 2],
            nominee_name=f"Người thứ {i + 1}",
            award_type_id=world.awards["ldtt" if i % 3 else "cstdcs"].id,
        )
    session.commit()
    session.close()
    secretary = new_page("secretary")
    open_council_session(secretary)
    expect(secretary.locator(".agenda-item")).to_have_count(14)
    height = secretary.evaluate("document.documentElement.scrollHeight")
    with capsys.disabled():
        print(f"\nsession page with 14 dossiers: {height} px tall")
    shot(secretary, "52-meeting-fourteen")
    assert height < 4500
