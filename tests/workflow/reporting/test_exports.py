"""The consolidated XLSX report and the per-unit CSV, opened and read cell by cell."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.fixtures import dashboard_data as data
from workflow.core.audit import current_head
from workflow.reporting import exports

pytestmark = pytest.mark.db

NOW = dt.datetime(2026, 6, 1, 3, 30, tzinfo=dt.UTC)


@pytest.fixture()
def scenario(session, world):
    return data.build(session, world)


@pytest.fixture()
def book(session, scenario):
    return load_workbook(
        io.BytesIO(exports.campaign_workbook(session, scenario.campaign, data.TODAY, NOW))
    )


def _rows(ws) -> list[tuple]:
    return [tuple(row) for row in ws.iter_rows(values_only=True)]


def _find(ws, label: str) -> int:
    """The row number whose first cell is ``label``."""
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == label:
            return row[0].row
    raise AssertionError(f"{label!r} not in {ws.title}")


def test_sheets_in_vietnamese(book):
    assert book.sheetnames == ["Tổng hợp", "Đơn vị", "Chỉ tiêu theo đơn vị", "Đề nghị khen thưởng"]


def test_summary_sheet(session, book, scenario):
    ws = book["Tổng hợp"]
    assert ws["A1"].value == "BÁO CÁO TỔNG HỢP KẾT QUẢ THI ĐUA, KHEN THƯỞNG" and ws["A1"].font.b
    assert ws["A2"].value == "Phong trào thi đua năm 2026"
    plan_due = ws.cell(_find(ws, "Hạn nộp kế hoạch"), 2)
    assert plan_due.value == dt.datetime(2026, 3, 10) and plan_due.number_format == "DD/MM/YYYY"
    made = ws.cell(_find(ws, "Thời điểm lập"), 2).value
    assert made == dt.datetime(2026, 6, 1, 10, 30)  # Việt Nam time
    seq, digest = current_head(session)
    assert (
        ws.cell(_find(ws, "Đầu chuỗi nhật ký kiểm toán (số thứ tự:mã băm)"), 2).value
        == f"{seq}:{digest}"
    )
    assert ws.cell(_find(ws, "Nơi nhận"), 2).value == exports.BOARD
    header = _find(ws, "Kế hoạch, báo cáo của đơn vị")
    assert ws.cell(header, 2).font.b
    assert [c.value for c in ws[header + 1]][:6] == ["Kế hoạch thi đua", 4, 1, 1, 2, 0]
    assert [c.value for c in ws[header + 2]][:6] == ["Báo cáo kết quả", 4, 2, 0, 0, 2]
    t1 = _find(ws, "T1. Tỷ lệ cơ sở triển khai kế hoạch thi đua")
    assert [c.value for c in ws[t1]][1:6] == ["Tỷ lệ (%)", 100, 1, 1, 2]
    assert ws.cell(_find(ws, "Hội đồng thông qua"), 2).value == 1
    assert ws.cell(_find(ws, "Tổng cộng"), 2).value == 11
    assert ws.cell(_find(ws, "Lao động tiên tiến"), 2).value == 9
    assert ws.cell(_find(ws, "Tỷ lệ người lao động trực tiếp (%)"), 2).value == pytest.approx(66.7)
    assert ws.cell(_find(ws, "Khen thưởng đột xuất đã công bố"), 2).value == 1
    assert ws.cell(_find(ws, "Khen thưởng đột xuất đang xử lý"), 2).value == 1


def test_units_sheet(book):
    ws = book["Đơn vị"]
    rows = _rows(ws)
    assert rows[0] == tuple(exports.UNIT_HEADER)
    assert all(cell.font.b for cell in ws[1]) and ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width == 40
    by_code = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert set(by_code) == {"THPT-TRAN-PHU", "TH-DANG-TRAN-CON", "THCS-NGO-QUYEN", "PGDTrH"}
    b = by_code["TH-DANG-TRAN-CON"]
    assert b["Tên đơn vị"] == "Trường Tiểu học Đặng Trần Côn"  # diacritics intact
    assert (b["Kế hoạch thi đua"], b["Kế hoạch nộp muộn"]) == ("Nộp muộn", "Có")
    assert b["Ngày gửi kế hoạch"] == dt.datetime(2026, 3, 11, 0, 0)  # local time, a real date
    c = by_code["THCS-NGO-QUYEN"]
    assert (c["Kế hoạch thi đua"], c["Ngày gửi kế hoạch"], c["Báo cáo kết quả"]) == (
        "Chưa nộp",
        None,
        "Đúng hạn",
    )
    assert (
        c["Thủ trưởng đơn vị"],
        c["Email thủ trưởng"],
        c["Điện thoại thủ trưởng"],
    ) == data.HEAD_C
    a = by_code["THPT-TRAN-PHU"]
    assert (a["Hồ sơ đề nghị đã gửi Sở"], a["Được khen thưởng (đã công bố)"]) == (7, 4)
    date_cell = ws.cell(2 + [r[0] for r in rows[1:]].index("TH-DANG-TRAN-CON"), 5)
    assert date_cell.is_date and date_cell.number_format == "DD/MM/YYYY HH:MM"


def test_targets_by_unit_sheet(book):
    rows = _rows(book["Chỉ tiêu theo đơn vị"])
    assert rows[0][:4] == ("Mã đơn vị", "Tên đơn vị", "Mã chỉ tiêu", "Chỉ tiêu thi đua")
    found = {(r[0], r[2]): (r[5], r[6], r[7]) for r in rows[1:]}
    assert len(found) == 4 * 4
    assert found[("THPT-TRAN-PHU", "T3")] == (80, 75, "Đạt")
    assert found[("THCS-NGO-QUYEN", "T1")] == (90, None, "Chưa đạt")
    assert found[("THCS-NGO-QUYEN", "T3")] == (70, None, "Chưa có số liệu")
    assert found[("TH-DANG-TRAN-CON", "T1")] == (None, None, "Chưa có số liệu")  # a draft's figure


def test_nominations_sheet_lists_published_and_in_progress(book, scenario):
    rows = _rows(book["Đề nghị khen thưởng"])
    assert rows[0][1] == "Cá nhân / tập thể được đề nghị"
    ids = {r[0] for r in rows[1:]}
    listed = {
        "review_1",
        "review_2",
        "pub_direct",
        "pub_other",
        "pub_team",
        "pub_ad_hoc",
        "returned_ad_hoc",
        "at_council",
        "approved",
    }
    assert ids == {scenario.ids[n] for n in listed}
    by_id = {r[0]: r for r in rows[1:]}
    luu = by_id[scenario.ids["pub_direct"]]
    assert luu[1] == "Nguyễn Thị Lựu" and luu[6] == "Đã công bố" and luu[8] == "Có"
    assert luu[10] == "05/QĐ-SGDĐT" and luu[11] == dt.datetime(2026, 6, 5)
    assert by_id[scenario.ids["pub_ad_hoc"]][7] == "Có"


def test_unit_results_csv(session, scenario):
    body = exports.unit_results_csv(session, scenario.campaign, data.TODAY)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:3] == ["Mã đơn vị", "Tên đơn vị", "Địa bàn"]
    assert "T1 - Kết quả" in header and "T4 - Đánh giá" in header
    by_code = {r[0]: dict(zip(header, r)) for r in rows[1:]}
    a = by_code["THPT-TRAN-PHU"]
    assert a["Tên đơn vị"] == "Trường THPT Chuyên Trần Phú"
    assert (a["Kế hoạch thi đua"], a["Ngày gửi kế hoạch"]) == ("Đúng hạn", "10/03/2026")
    assert (a["T1 - Kết quả"], a["T1 - Đánh giá"], a["T2 - Đánh giá"]) == ("100", "Đạt", "Chưa đạt")
    assert by_code["TH-DANG-TRAN-CON"]["Ngày gửi kế hoạch"] == "11/03/2026"
    assert by_code["PGDTrH"]["Kế hoạch thi đua"] == "Chưa nộp"
    assert a["Hồ sơ đề nghị đã gửi Sở"] == "7"


def test_text_that_looks_like_a_formula_stays_text(session, world, scenario):
    world.units["a"].name = '=HYPERLINK("http://x")'
    session.flush()
    book = load_workbook(
        io.BytesIO(exports.campaign_workbook(session, scenario.campaign, data.TODAY, NOW))
    )
    names = [r[1] for r in _rows(book["Đơn vị"])[1:]]
    assert '\'=HYPERLINK("http://x")' in names
    body = exports.unit_results_csv(session, scenario.campaign, data.TODAY).decode("utf-8-sig")
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body


def test_numbers_are_written_plainly():
    assert (
        exports._number(Decimal("100.00")) == "100" and exports._number(Decimal("87.50")) == "87.5"
    )
