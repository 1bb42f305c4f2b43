"""Certificates: one page per printed row of an issued decision, Vietnamese text as typed, the
QR code of the row's /v page, pre-printed blanks at the saved positions; refusals for drafts,
for roles that may not print, and for bad positions."""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata

import pytest
import segno
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.lib.units import mm

from models import AuditEvent
from tests.fixtures import TEST_NOW
from tests.fixtures.money import approved, draft_decision
from tests.fixtures.people import NOW, make_council_session
from web.demo.organisation import AWARDS as DEMO_AWARDS
from workflow.core.errors import EditRefused
from workflow.publication import certificates, decisions, revocation, verification

BASE = "https://vinhdanh.example.vn"
DAY = dt.date(2026, 6, 5)


def pages(pdf: bytes) -> list:
    return PdfReader(io.BytesIO(pdf)).pages


def text_of(page) -> str:
    """The page's words in NFC, lines joined (a wrapped field reads as one line)."""
    return " ".join(unicodedata.normalize("NFC", page.extract_text()).split())


def placed(page) -> dict[str, tuple[float, float]]:
    """Each text run drawn on the page, with its start point (points, from the bottom-left)."""
    found: dict[str, tuple[float, float]] = {}

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            found.setdefault(unicodedata.normalize("NFC", text.strip()), (tm[4], tm[5]))

    page.extract_text(visitor_text=visit)
    return found


def awardee(number: int, name: str, award: str, kind: str = "individual", **fields):
    values = {
        "number": number,
        "name": name,
        "position": "Giáo viên Ngữ văn" if kind == "individual" else "",
        "unit": "Trường THPT Chuyên Trần Phú",
        "unit_id": 7,
        "award_type_id": number,
        "award_vi": award,
        "award_code": f"A{number}",
        "nominee_kind": kind,
        "achievement": certificates.achievement("Phong trào thi đua năm học 2025 - 2026"),
        "code": verification.new_code(),
    }
    return certificates.Awardee(**{**values, **fields})


def sheet_of(*rows: certificates.Awardee) -> certificates.Sheet:
    return certificates.Sheet("05/QĐ-SGDĐT", DAY, "Nguyễn Văn Giám", "GIÁM ĐỐC", BASE, rows)


def test_every_demo_award_prints_its_words_with_their_marks():
    rows = [
        awardee(n, "Đặng Thị Thu Hương", name, kind)
        for n, (_code, name, _en, kind, *_rest) in enumerate(DEMO_AWARDS, start=1)
    ]
    for mode in certificates.MODES:
        printed = pages(certificates.render(sheet_of(*rows), mode))
        assert len(printed) == len(rows)
        for page, row in zip(printed, rows, strict=True):
            text = text_of(page)
            verb, award = certificates.printed_award(row.award_vi)
            for expected in (
                award,
                "Đặng Thị Thu Hương",
                "Đã có thành tích xuất sắc trong phong trào thi đua năm học 2025 - 2026.",
                "Quyết định số 05/QĐ-SGDĐT, ngày 05 tháng 6 năm 2026",
                f"Số sổ vàng: {row.number}",
                "Hải Phòng, ngày 05 tháng 6 năm 2026",
                "GIÁM ĐỐC",
                "Nguyễn Văn Giám",
                f"Mã xác minh: {verification.shown(row.code)}",
            ):
                assert expected in text, (mode, expected)
            if mode == "full":
                for line in (certificates.NATIONAL_NAME, certificates.MOTTO, verb):
                    assert line in text
                assert certificates.AUTHORITY in text
            else:
                assert certificates.NATIONAL_NAME not in text


def test_forms_are_given_and_titles_conferred():
    assert certificates.printed_award("Giấy khen của Giám đốc Sở (tập thể)") == (
        "TẶNG",
        "GIẤY KHEN",
    )
    assert certificates.printed_award("Chiến sĩ thi đua cơ sở") == (
        "TẶNG DANH HIỆU",
        "CHIẾN SĨ THI ĐUA CƠ SỞ",
    )


def test_the_fonts_are_embedded_as_subsets():
    pdf = certificates.render(sheet_of(awardee(1, "Vũ Thị Ngọc Ánh", "Chiến sĩ thi đua cơ sở")))
    fonts = set()
    for page in pages(pdf):
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            assert "/FontFile2" in font["/FontDescriptor"]
    # reportlab names subsets "AAAAAA+Name"; every font is one.
    assert fonts and all("+" in name for name in fonts)


def qr_matrix(page, pos: certificates.Position) -> list[list[bool]]:
    """The QR code drawn on ``page`` read back from its rectangles (each a run of modules)."""
    ops = ContentStream(page.get_contents(), page.pdf).operations
    rects = [[float(v) for v in operands] for operands, op in ops if op == b"re"]
    size = pos.width * mm
    left, top = pos.x * mm, (certificates.PAGE_H - pos.y) * mm
    inside = [r for r in rects if left - 0.01 <= r[0] < left + size and r[1] <= top + 0.01]
    inside = [r for r in inside if r[1] >= top - size - 0.01]
    module = min(r[3] for r in inside)
    count = round(size / module)
    grid = [[False] * count for _ in range(count)]
    for x, y, w, h in inside:
        row = round((top - y - h) / module)
        first = round((x - left) / module)
        for col in range(first, first + round(w / module)):
            grid[row][col] = True
    return grid


def test_the_qr_code_opens_the_rows_verification_page():
    row = awardee(1, "Lê Văn Tám", "Giấy khen của Giám đốc Sở")
    page = pages(certificates.render(sheet_of(row)))[0]
    drawn = qr_matrix(page, certificates.DEFAULT_POSITIONS["qr"])
    url = f"{BASE}/v/{row.code}"
    expected = [[bool(v) for v in line] for line in segno.make(url, error="m").matrix]
    assert drawn == expected
    other = segno.make(f"{BASE}/v/{verification.new_code()}", error="m").matrix
    assert drawn != [[bool(v) for v in line] for line in other]


def test_preprinted_mode_puts_each_field_where_it_was_saved():
    row = awardee(1, "Trịnh Thị Yến", "Giấy khen của Giám đốc Sở")
    saved = dict(certificates.DEFAULT_POSITIONS)
    saved["name"] = certificates.Position(50, 80.5, 100, 18)
    saved["ledger"] = certificates.Position(200, 30, 60, 11)
    saved["award"] = certificates.Position(30, 60, 200, 20, shown=False)
    page = pages(
        certificates.render(sheet_of(row), "preprinted", {(row.award_type_id, row.unit_id): saved})
    )[0]
    found = placed(page)
    height = certificates.PAGE_H * mm
    name_x, name_y = found["Trịnh Thị Yến"]
    assert name_y == pytest.approx(height - 80.5 * mm, abs=0.01)
    assert 50 * mm < name_x < 150 * mm  # centred in its box
    assert found["Số sổ vàng: 1"] == pytest.approx((200 * mm, height - 30 * mm), abs=0.01)
    assert "GIẤY KHEN" not in text_of(page)  # already on the blank


def test_a_unit_layout_wins_over_the_awards_own():
    row = awardee(1, "Mai Văn Hùng", "Giấy khen của Giám đốc Sở")
    award_wide = {**certificates.DEFAULT_POSITIONS, "ledger": certificates.Position(20, 20, 60, 11)}
    unit_own = {**certificates.DEFAULT_POSITIONS, "ledger": certificates.Position(40, 40, 60, 11)}
    layouts = {(row.award_type_id, None): award_wide, (row.award_type_id, row.unit_id): unit_own}
    found = placed(pages(certificates.render(sheet_of(row), "preprinted", layouts))[0])
    assert found["Số sổ vàng: 1"] == pytest.approx((40 * mm, (210 - 40) * mm), abs=0.01)


def test_long_lines_wrap_within_their_box():
    long_unit = "Trường Trung học phổ thông Chuyên Trần Phú, thành phố Hải Phòng " * 3
    row = awardee(1, "Phạm Thị Lan", "Giấy khen của Giám đốc Sở", unit=long_unit.strip())
    box = certificates.Position(60, 100, 80, 12)
    layout = {**certificates.DEFAULT_POSITIONS, "detail": box}
    page = pages(certificates.render(sheet_of(row), "preprinted", {(1, 7): layout}))[0]
    lines = {
        t: p
        for t, p in placed(page).items()
        if ("Trường" in t or "Hải Phòng" in t) and not t.startswith("Hải Phòng, ngày")
    }
    ys = sorted({round(y, 2) for _x, y in lines.values()})
    assert len(ys) >= 3
    for text, (x, _y) in lines.items():
        assert x >= 60 * mm - 0.01
        width = certificates.pdfmetrics.stringWidth(text, certificates.fonts().names["regular"], 12)
        assert x + width <= 140 * mm + 0.01


def test_no_font_is_refused_in_words():
    with pytest.raises(certificates.FontMissing) as refused:
        certificates.render(sheet_of(awardee(1, "A", "Giấy khen")), families=[("X", ("/no",) * 4)])
    assert "fonts-liberation2" in refused.value.messages("vi")[0]


def test_progress_is_told_as_the_pages_are_drawn(monkeypatch):
    """A job's bar moves while the PDF is drawn: every PROGRESS_STEP pages, then at the end."""
    monkeypatch.setattr(certificates, "PROGRESS_STEP", 2)
    told: list[tuple[int, int]] = []
    rows = [awardee(n, f"Người thứ {n}", "Giấy khen") for n in range(1, 6)]
    pdf = certificates.render(sheet_of(*rows), progress=lambda *pair: told.append(pair))
    assert told == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert len(pages(pdf)) == 5


def test_the_calibration_page_is_a_landscape_a4_with_its_scale():
    page = pages(certificates.calibration_pdf())[0]
    assert float(page.mediabox.width) == pytest.approx(297 * mm, abs=0.01)
    assert float(page.mediabox.height) == pytest.approx(210 * mm, abs=0.01)
    text = text_of(page)
    assert "TRANG CĂN CHỈNH VỊ TRÍ IN GIẤY KHEN" in text and "290" in text and "200" in text


# --- from the database ---------------------------------------------------------------------


@pytest.fixture()
def decision(session, world):
    council = make_council_session(session, world)
    made = [
        approved(session, world, council, "Trần Phú", award_type_id=world.awards["cstdcs"].id),
        approved(session, world, council, "Đỗ Thị Mai"),  # Lao động tiên tiến: money only
        approved(
            session, world, council, "Lương Thế Vinh", award_type_id=world.awards["cstdcs"].id
        ),
    ]
    return draft_decision(session, world, made)


@pytest.mark.db
def test_a_draft_decision_prints_nothing(session, world, decision):
    with pytest.raises(EditRefused) as refused:
        certificates.sheet(session, world.actor("secretary"), decision.id, BASE)
    assert "chưa ban hành" in refused.value.messages("vi")[0]


@pytest.mark.db
@pytest.mark.parametrize("who", ["staff_a", "head_a"])
def test_units_may_not_print_certificates(session, world, decision, who):
    decisions.issue(session, decision.id, world.actor("secretary"), now=NOW)
    with pytest.raises(EditRefused):
        certificates.sheet(session, world.actor(who), decision.id, BASE)


@pytest.mark.db
@pytest.mark.parametrize("who", ["secretary", "member1", "reviewer", "admin"])
def test_an_issued_decision_prints_its_certified_rows(session, world, decision, who):
    decisions.issue(session, decision.id, world.actor("secretary"), now=NOW)
    made = certificates.sheet(session, world.actor(who), decision.id, BASE)
    # Lao động tiên tiến carries money only: its row keeps its number and prints nothing.
    # (Names sort by the given name, as the annex does.)
    assert [(a.name, a.number) for a in made.awardees] == [("Trần Phú", 2), ("Lương Thế Vinh", 3)]
    codes = {i.dossier.nominee_name: i.verify_code for i in decision.items}
    assert [a.code for a in made.awardees] == [codes["Trần Phú"], codes["Lương Thế Vinh"]]
    pdf = certificates.certificates_pdf(session, made)
    assert len(pages(pdf)) == 2
    one = certificates.sheet(session, world.actor(who), decision.id, BASE, row=3)
    assert [a.name for a in one.awardees] == ["Lương Thế Vinh"]
    with pytest.raises(EditRefused):
        certificates.sheet(session, world.actor(who), decision.id, BASE, row=1)


@pytest.mark.db
def test_a_revoked_award_keeps_its_number_and_prints_nothing(session, world, decision):
    decisions.issue(session, decision.id, world.actor("secretary"), now=NOW)
    vinh = next(i.dossier_id for i in decision.items if i.dossier.nominee_name == "Lương Thế Vinh")
    revocation.revoke(
        session,
        vinh,
        world.actor("reviewer"),
        number="12/QĐ-SGDĐT",
        decided_on="01/12/2026",
        reason="Kê khai thành tích không trung thực.",
        now=TEST_NOW,
    )
    made = certificates.sheet(session, world.actor("reviewer"), decision.id, BASE)
    assert [(a.name, a.number) for a in made.awardees] == [("Trần Phú", 2)]
    with pytest.raises(EditRefused) as refused:
        certificates.sheet(session, world.actor("reviewer"), decision.id, BASE, row=3)
    assert "đã bị thu hồi theo Quyết định số 12/QĐ-SGDĐT" in refused.value.messages("vi")[0]


@pytest.mark.db
def test_a_money_only_title_prints_once_the_office_says_so(session, world, decision):
    decisions.issue(session, decision.id, world.actor("secretary"), now=NOW)
    ldtt = world.awards["ldtt"]
    certificates.set_prints(session, world.actor("reviewer"), ldtt.id, True, now=NOW)
    made = certificates.sheet(session, world.actor("reviewer"), decision.id, BASE)
    assert [a.name for a in made.awardees] == ["Đỗ Thị Mai", "Trần Phú", "Lương Thế Vinh"]
    event = session.query(AuditEvent).filter_by(entity_type="award_type").all()[-1]
    assert event.entity_id == ldtt.id and json.loads(event.changes)["prints_certificate"] == [
        None,
        True,
    ]
    with pytest.raises(EditRefused):
        certificates.set_prints(session, world.actor("secretary"), ldtt.id, False, now=NOW)
    assert ldtt.prints_certificate is True


def layout_form(**changes: str) -> dict[str, str]:
    return {**certificates.layout_form_values(certificates.DEFAULT_POSITIONS), **changes}


@pytest.mark.db
def test_saved_positions_are_used_and_audited(session, world, decision):
    decisions.issue(session, decision.id, world.actor("secretary"), now=NOW)
    cstdcs, unit = world.awards["cstdcs"].id, world.units["a"].id
    layout = certificates.save_layout(
        session, world.actor("reviewer"), cstdcs, unit, layout_form(name_y="77.5"), now=NOW
    )
    assert certificates.positions_for(session, cstdcs, unit)["name"].y == 77.5
    assert certificates.positions_for(session, cstdcs, world.units["b"].id)["name"].y == 106
    event = session.query(AuditEvent).filter_by(entity_type="certificate_layout").one()
    assert event.entity_id == layout.id and json.loads(event.changes)["unit_id"] == unit
    made = certificates.sheet(session, world.actor("reviewer"), decision.id, BASE, row=2)
    page = pages(certificates.certificates_pdf(session, made, "preprinted"))[0]
    assert placed(page)["Trần Phú"][1] == pytest.approx((210 - 77.5) * mm, abs=0.01)
    # A save drawn on an older version is refused; nothing changes.
    with pytest.raises(EditRefused):
        certificates.save_layout(
            session, world.actor("admin"), cstdcs, unit, layout_form(name_y="90"), version=0
        )
    assert json.loads(layout.positions)["name"]["y"] == 77.5


@pytest.mark.db
def test_bad_positions_are_refused_by_field(session, world):
    cstdcs = world.awards["cstdcs"].id
    with pytest.raises(EditRefused) as refused:
        certificates.save_layout(
            session,
            world.actor("reviewer"),
            cstdcs,
            None,
            layout_form(name_x="abc", detail_size="2", signer_x="250", signer_width="80"),
        )
    messages = refused.value.messages("vi")
    assert len(messages) == 3
    assert any("Họ và tên" in m and "lề trái" in m for m in messages)
    assert any("vượt ra ngoài" in m for m in messages)
    with pytest.raises(EditRefused):
        certificates.save_layout(session, world.actor("secretary"), cstdcs, None, layout_form())
    assert certificates.layout_for(session, cstdcs, None) is None


@pytest.mark.db
def test_a_deputy_signs_for_the_director_on_the_decision_and_its_certificates(session, world):
    council = make_council_session(session, world)
    made = approved(session, world, council, "Trần Phú", award_type_id=world.awards["cstdcs"].id)
    decision = decisions.create(
        session,
        world.actor("secretary"),
        number="07/QĐ-SGDĐT",
        decided_on=DAY,
        signer="Phạm Văn Phó",
        signer_deputy=True,
        title="Về việc công nhận danh hiệu “Chiến sĩ thi đua cơ sở” năm 2026",
        legal_bases="",
        dossier_ids=[made.id],
        now=NOW,
    )
    event = session.query(AuditEvent).filter_by(entity_type="decision").all()[-1]
    assert json.loads(event.changes)["signer_deputy"] is True
    assert decisions.decision_letter(session, decision).signer_title == (
        "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    )
    decisions.issue(session, decision.id, world.actor("secretary"), now=NOW)
    made_sheet = certificates.sheet(session, world.actor("secretary"), decision.id, BASE)
    page = pages(certificates.certificates_pdf(session, made_sheet))[0]
    found = placed(page)
    title, deputy = found["KT. GIÁM ĐỐC"], found["PHÓ GIÁM ĐỐC"]
    assert title[1] > deputy[1]  # two lines, "KT." above
    assert "Phạm Văn Phó" in text_of(page)


def test_the_emblem_is_drawn_only_from_the_configured_artwork(tmp_path):
    from PIL import Image

    artwork = tmp_path / "quoc-huy.png"
    Image.new("RGB", (64, 64), (200, 16, 22)).save(artwork)
    row = awardee(1, "Hà Văn Sơn", "Giấy khen của Giám đốc Sở")
    with_emblem = pages(certificates.render(sheet_of(row), emblem=artwork))[0]
    images = with_emblem["/Resources"]["/XObject"]
    assert len(images) == 1
    (image,) = (v.get_object() for v in images.values())
    assert image["/Subtype"] == "/Image"
    without = pages(certificates.render(sheet_of(row)))[0]
    assert "/XObject" not in without["/Resources"]
    missing = pages(certificates.render(sheet_of(row), emblem=tmp_path / "none.png"))[0]
    assert "/XObject" not in missing["/Resources"]


@given(
    st.dictionaries(
        st.sampled_from(sorted(certificates.layout_form_values(certificates.DEFAULT_POSITIONS))),
        st.text(max_size=8),
    )
)
def test_any_typed_positions_are_refused_in_words_or_fit_the_sheet(typed):
    form = {**certificates.layout_form_values(certificates.DEFAULT_POSITIONS), **typed}
    positions, problems = certificates.parse_positions(form)
    assert all(p.message("vi") and p.message("en") for p in problems)
    if not problems:
        assert set(positions) == set(certificates.FIELDS)
    for pos in positions.values():
        assert pos.x >= 0 and pos.x + pos.width <= certificates.PAGE_W
        assert 0 <= pos.y <= certificates.PAGE_H and 6 <= pos.size <= 48
