"""A reviewer opens an evidence PDF inline from the dossier page (the file is framed, not
downloaded, and served as a PDF that may only be framed by this site); anyone downloads an
issued decision as PDF from the public list, finds the outcome it published with the decision
to download, and reads how to check the public audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SIZES, shot
from tests.fixtures.money import add_bonus, approved
from tests.fixtures.people import NOW, make_council_session
from workflow.documents import docx as documents
from workflow.publication import decisions


@SIZES
def test_a_reviewer_previews_an_evidence_pdf_inline(new_page, live_server):
    dossier = live_server.dossier_at_office("Đề nghị LĐTT")

    page = new_page("reviewer")
    page.goto(f"/dossiers/{dossier}")
    page.get_by_role("link", name="Xem trước Minh chứng 1.pdf").click()
    expect(page.get_by_role("heading", name="Xem trước: Minh chứng 1.pdf")).to_be_visible()
    frame = page.locator('iframe[data-preview="pdf"]')
    expect(frame).to_be_visible()
    src = frame.get_attribute("src")
    inline = page.request.get(src)
    assert inline.ok and inline.headers["content-type"] == "application/pdf"
    assert inline.headers["content-disposition"].startswith("inline")
    assert "frame-ancestors 'self'" in inline.headers["content-security-policy"]
    shot(page, "evidence-preview")
    page.get_by_role("link", name="Về hồ sơ").click()
    expect(page).to_have_url(f"{live_server.url}/dossiers/{dossier}")

    other = new_page("staff_b")
    other.goto(src)
    expect(
        other.get_by_text("Không tìm thấy tệp, hoặc bạn không có quyền xem tệp này.")
    ).to_be_visible()


@SIZES
@pytest.mark.skipif(documents.pdf_converter() is None, reason="LibreOffice is not installed")
def test_anyone_downloads_an_issued_decision_as_pdf(new_page, live_server):
    world = live_server.world
    session = live_server.session()
    council = make_council_session(session, world)
    add_bonus(session, world, "ldtt", "0.3", "individual")
    dossier = approved(session, world, council, "Trần Phú", position="Giáo viên Toán")
    made = decisions.create(
        session,
        world.actor("secretary"),
        number="11/QĐ-SGDĐT",
        decided_on=dt.date(2026, 12, 5),
        signer="Nguyễn Văn Giám",
        title="Về việc khen thưởng năm 2026",
        legal_bases="\n".join(decisions.DEFAULT_BASES),
        dossier_ids=[dossier.id],
        now=NOW,
    )
    decisions.issue(session, made.id, world.actor("secretary"), now=NOW)
    session.commit()
    session.close()

    page = new_page()
    page.goto("/public/decisions")
    row = page.locator(f'[data-decision="{made.id}"]')
    expect(row).to_contain_text("11/QĐ-SGDĐT")
    with page.expect_download(timeout=120_000) as download:
        row.get_by_role("link", name="Tải về (PDF)").click()
    assert download.value.suggested_filename == "11-QĐ-SGDĐT.pdf"
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # The outcome it published, on the public list and its own page, then how to check the log.
    page.goto("/public/?q=tran+phu")
    results = page.locator("table tbody tr")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("Lao động tiên tiến")
    results.get_by_role("link", name="Trần Phú").click()
    expect(page.get_by_role("heading", name="Trần Phú")).to_be_visible()
    expect(page.get_by_role("link", name="Tải quyết định số 11/QĐ-SGDĐT (DOCX)")).to_be_visible()
    expect(page.get_by_role("link", name="Bản PDF")).to_be_visible()
    shot(page, "public-outcome-decision")
    page.get_by_role("link", name="Cách kiểm chứng").first.click()
    expect(page.get_by_role("heading", name="Nhật ký kiểm toán công khai")).to_be_visible()
    expect(page.get_by_role("heading", name="Nhật ký kiểm toán là gì?")).to_be_visible()
    shot(page, "public-audit")
