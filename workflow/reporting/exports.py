"""Exports of a campaign: the consolidated report for the city's Emulation and Commendation
Board (Ban Thi đua - Khen thưởng, Sở Nội vụ) as XLSX, and the per-unit results as CSV.

Both are official documents in Vietnamese whatever the reader's language. Dates are real
dates (local time, Việt Nam) so a spreadsheet can sort and filter them. A text that starts
like a formula (= + - @) is kept as text: an export never runs anything it carries.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AwardType, Campaign, Dossier, Nomination, Unit
from models.clock import VIETNAM, utcnow
from workflow.campaigns.deadlines import STATUS_LABELS
from workflow.campaigns.service import KIND_LABELS as CAMPAIGN_KIND_LABELS
from workflow.campaigns.targets import TARGET_KIND_LABELS
from workflow.core.audit import current_head
from workflow.core.inputs import CLASSIFICATIONS
from workflow.core.registry import WORKFLOWS, states_where
from workflow.documents import cells
from workflow.reporting.dashboard import (
    RESULT_LABELS,
    Dashboard,
    NominationFigures,
    UnitLine,
    campaign_dashboard,
    campaign_targets,
    nomination_conditions,
    today_local,
    unit_lines,
    year_dashboard,
)

BOARD = "Ban Thi đua - Khen thưởng, Sở Nội vụ thành phố Hải Phòng"
SENDER = "Sở Giáo dục và Đào tạo thành phố Hải Phòng"
DATE, DATETIME = "DD/MM/YYYY", "DD/MM/YYYY HH:MM"
BOLD = Font(bold=True)
YES = "Có"


def listed_out() -> tuple[str, ...]:
    """Nominations left out of the Board's list: those that ended without a public outcome
    (rejected, withdrawn); published ones and those still on their way are listed."""
    return states_where(lambda s: s.terminal and not s.public)["nomination"]


def local(moment: dt.datetime | None) -> dt.datetime | None:
    """A UTC moment as Việt Nam's wall-clock time (spreadsheets know no time zones)."""
    return moment.astimezone(VIETNAM).replace(tzinfo=None) if moment else None


def status_text(status: str) -> str:
    return STATUS_LABELS[status][0]


def _nomination_state(state: str) -> str:
    return WORKFLOWS["nomination"].state(state).label_vi


# --- XLSX ------------------------------------------------------------------------------------
# Write-only workbooks stream rows to the file: a year of nominations (tens of thousands of
# rows) is written in seconds, not minutes. Widths and frozen panes go before the first row.


class _Sheet:
    """A write-only sheet: rows are appended; bold text, date formats and widths as they go."""

    def __init__(
        self, wb: Workbook, title: str, widths: Sequence[int], freeze: str | None = None
    ) -> None:
        self.ws = wb.create_sheet(title)
        for col, width in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(col)].width = width
        if freeze:
            self.ws.freeze_panes = freeze
        self.rows = 0

    def cell(self, value: Any, font: Font | None = None, fmt: str | None = None) -> Any:
        """A styled cell, or the plain value when it needs no style (faster)."""
        value = cells.cell(value)
        if font is None and (fmt is None or value is None):
            return value
        cell = WriteOnlyCell(self.ws, value=value)
        if font is not None:
            cell.font = font
        if fmt is not None and value is not None:
            cell.number_format = fmt
        return cell

    def row(
        self, values: Sequence[Any], bold: bool = False, formats: dict[int, str] | None = None
    ) -> None:
        formats = formats or {}
        self.ws.append(
            [self.cell(v, BOLD if bold else None, formats.get(i)) for i, v in enumerate(values, 1)]
        )
        self.rows += 1

    def table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[Any]],
        formats: dict[int, str] | None = None,
    ) -> None:
        """A bold header row, ``rows``, then a blank row."""
        self.row(header, bold=True)
        for values in rows:
            self.row(values, formats=formats)
        self.row([])


def _list_sheet(
    wb: Workbook,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int],
    formats: dict[int, str] | None = None,
) -> None:
    """A sheet that is one table: header frozen, filter on, columns sized."""
    sheet = _Sheet(wb, title, widths, freeze="A2")
    sheet.row(header, bold=True)
    for values in rows:
        sheet.row(values, formats=formats)
    sheet.ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(sheet.rows, 1)}"


def _summary(wb: Workbook, board: Dashboard, head: tuple[int, str], now: dt.datetime) -> None:
    campaign, n = board.campaign, board.nominations
    sheet = _Sheet(wb, "Tổng hợp", [52, 22, 12, 12, 18, 16])
    sheet.ws.append(
        [sheet.cell("BÁO CÁO TỔNG HỢP KẾT QUẢ THI ĐUA, KHEN THƯỞNG", Font(bold=True, size=14))]
    )
    sheet.row([campaign.name], bold=True)
    sheet.row([])
    for label, value, fmt in [
        ("Đơn vị báo cáo", SENDER, None),
        ("Nơi nhận", BOARD, None),
        ("Mã phong trào", campaign.code, None),
        ("Năm", campaign.year, None),
        ("Bắt đầu", campaign.opens_on, DATE),
        ("Kết thúc", campaign.closes_on, DATE),
        ("Hạn nộp kế hoạch", campaign.plan_due, DATE),
        ("Hạn nộp báo cáo", campaign.report_due, DATE),
        ("Số liệu tính đến ngày", board.today, DATE),
        ("Thời điểm lập", local(now), DATETIME),
        ("Đầu chuỗi nhật ký kiểm toán (số thứ tự:mã băm)", f"{head[0]}:{head[1]}", None),
    ]:
        sheet.ws.append([sheet.cell(label, BOLD), sheet.cell(value, fmt=fmt)])
    sheet.row([])
    sheet.table(
        [
            "Kế hoạch, báo cáo của đơn vị",
            "Số đơn vị phải nộp",
            "Đúng hạn",
            "Nộp muộn",
            "Chưa nộp (quá hạn)",
            "Chưa đến hạn",
        ],
        [
            (label, c.expected, *(c.counts[s] for s in ("on_time", "late", "missing", "pending")))
            for label, c in (("Kế hoạch thi đua", board.plans), ("Báo cáo kết quả", board.reports))
        ],
    )
    sheet.table(
        ["Chỉ tiêu thi đua", "Loại", "Ngưỡng", "Đạt", "Chưa đạt", "Chưa có số liệu"],
        [
            (
                f"{t.target.code}. {t.target.title_vi}",
                TARGET_KIND_LABELS[t.target.kind][0],
                t.target.threshold,
                *(t.counts[r] for r in RESULT_LABELS),
            )
            for t in board.targets
        ],
    )
    _nomination_tables(sheet, n)


# The published counts stay what was published (history); the revoked among them beside them.
REVOKED_LABEL = "Trong số đã công bố: đã thu hồi"


def _nomination_tables(sheet: _Sheet, n: NominationFigures) -> None:
    """The nominations sent, by state and by award, and the plan's priorities."""
    sheet.table(
        ["Hồ sơ đề nghị khen thưởng đã gửi Sở, theo trạng thái", "Số hồ sơ"],
        [(c.label_vi, c.count) for c in n.by_state]
        + [("Tổng cộng", n.total), (REVOKED_LABEL, n.published_revoked)],
    )
    sheet.table(
        ["Theo danh hiệu, hình thức khen thưởng", "Số hồ sơ"],
        [(c.label_vi, c.count) for c in n.by_award],
    )
    share = n.direct_share
    sheet.table(
        ["Ưu tiên theo Kế hoạch", "Số lượng"],
        [
            ("Cá nhân được khen thưởng (đã công bố)", n.published_individuals),
            ("Trong đó: người lao động trực tiếp", n.published_direct),
            (
                "Tỷ lệ người lao động trực tiếp (%)",
                None if share is None else round(100 * share, 1),
            ),
            ("Khen thưởng đột xuất đã công bố", n.ad_hoc_published),
            ("Khen thưởng đột xuất đang xử lý", n.ad_hoc_in_progress),
        ],
    )


def year_workbook(
    session: Session, year: int, today: dt.date | None = None, now: dt.datetime | None = None
) -> bytes:
    """The whole year's report (XLSX) across campaigns: each campaign's share, then the
    nominations by state, award and unit, and the plan's priorities counted on the year."""
    now = now or utcnow()
    board = year_dashboard(session, year)
    head = current_head(session)
    wb = Workbook(write_only=True)
    sheet = _Sheet(wb, f"Tổng hợp năm {year}", [52, 16, 16, 16, 16, 16])
    sheet.ws.append(
        [sheet.cell("BÁO CÁO TỔNG HỢP THI ĐUA, KHEN THƯỞNG CẢ NĂM", Font(bold=True, size=14))]
    )
    sheet.row([f"Năm {year}, mọi phong trào thi đua"], bold=True)
    sheet.row([])
    for label, value, fmt in [
        ("Đơn vị báo cáo", SENDER, None),
        ("Nơi nhận", BOARD, None),
        ("Số liệu tính đến ngày", today or today_local(now), DATE),
        ("Thời điểm lập", local(now), DATETIME),
        ("Đầu chuỗi nhật ký kiểm toán (số thứ tự:mã băm)", f"{head[0]}:{head[1]}", None),
    ]:
        sheet.ws.append([sheet.cell(label, BOLD), sheet.cell(value, fmt=fmt)])
    sheet.row([])
    sheet.table(
        [
            "Phong trào thi đua",
            "Loại",
            "Đã gửi Sở",
            "Đã công bố",
            REVOKED_LABEL,
            "Khen thưởng đột xuất",
        ],
        [
            (
                r.campaign.name,
                CAMPAIGN_KIND_LABELS[r.campaign.kind][0],
                r.sent,
                r.published,
                r.revoked,
                r.ad_hoc,
            )
            for r in board.campaigns
        ],
    )
    _nomination_tables(sheet, board.figures)
    sheet.table(["Theo đơn vị", "Số hồ sơ"], [(c.label_vi, c.count) for c in board.figures.by_unit])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _unit_row(line: UnitLine) -> list[Any]:
    heads = line.heads
    join = lambda values: "; ".join(v for v in values if v)  # noqa: E731
    return [
        line.unit.code,
        line.unit.name,
        line.unit.locality,
        status_text(line.plan.status),
        local(line.plan.sent_at),
        YES if line.plan.status == "late" else "",
        status_text(line.report.status),
        local(line.report.sent_at),
        YES if line.report.status == "late" else "",
        CLASSIFICATIONS.get(line.classification or "", ("",))[0],
        line.nominations_sent,
        line.nominations_published,
        join(h.name for h in heads),
        join(h.email for h in heads),
        join(h.phone for h in heads),
    ]


UNIT_HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Địa bàn",
    "Kế hoạch thi đua",
    "Ngày gửi kế hoạch",
    "Kế hoạch nộp muộn",
    "Báo cáo kết quả",
    "Ngày gửi báo cáo",
    "Báo cáo nộp muộn",
    "Xếp loại",
    "Hồ sơ đề nghị đã gửi Sở",
    "Được khen thưởng (đã công bố)",
    "Thủ trưởng đơn vị",
    "Email thủ trưởng",
    "Điện thoại thủ trưởng",
]


def _nomination_rows(session: Session, campaign: Campaign):
    d, nom = Dossier.__table__, Nomination.__table__
    stmt = (
        select(
            d.c.id,
            nom.c.nominee_name,
            nom.c.nominee_kind,
            nom.c.position,
            Unit.name,
            AwardType.name_vi,
            d.c.state,
            nom.c.ad_hoc,
            nom.c.direct_worker,
            d.c.sent_at,
            d.c.decision_number,
            d.c.decision_date,
            d.c.decision_signer,
        )
        .select_from(d.join(nom, nom.c.id == d.c.id))
        .join(Unit, Unit.id == d.c.unit_id)
        .join(AwardType, AwardType.id == nom.c.award_type_id)
        .where(*nomination_conditions(campaign), d.c.state.not_in(listed_out()))
        .order_by(Unit.name, d.c.id)
    )
    for row in session.execute(stmt):
        yield [
            row.id,
            row.nominee_name,
            "Cá nhân" if row.nominee_kind == "individual" else "Tập thể",
            row.position,
            row.name,
            row.name_vi,
            _nomination_state(row.state),
            YES if row.ad_hoc or campaign.is_ad_hoc else "",
            YES if row.direct_worker else "",
            local(row.sent_at),
            row.decision_number,
            row.decision_date,
            row.decision_signer,
        ]


Progress = Callable[[int, int], None]
# Rows between two progress reports: often enough for a bar, rare enough to cost nothing.
PROGRESS_STEP = 200


class _Counter:
    """Counts the rows written, and tells ``progress`` every ``PROGRESS_STEP`` of them."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.done, self.total, self.progress = 0, total, progress

    def rows(self, rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
        for row in rows:
            yield row
            self.done += 1
            if self.progress and self.done % PROGRESS_STEP == 0:
                self.progress(self.done, self.total)

    def finish(self) -> None:
        if self.progress:
            self.progress(self.done, self.total)


def _nomination_count(session: Session, campaign: Campaign) -> int:
    d, nom = Dossier.__table__, Nomination.__table__
    stmt = (
        select(func.count())
        .select_from(d.join(nom, nom.c.id == d.c.id))
        .where(*nomination_conditions(campaign), d.c.state.not_in(listed_out()))
    )
    return session.scalar(stmt) or 0


def campaign_workbook(
    session: Session,
    campaign: Campaign,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The consolidated campaign report (XLSX): summary, units, targets by unit, nominations.
    ``progress(done, total)`` hears of the rows written (units, targets, nominations)."""
    now = now or utcnow()
    today = today or today_local(now)
    board = campaign_dashboard(session, campaign, today, chase_limit=0)
    targets = campaign_targets(session, campaign)
    lines = unit_lines(session, campaign, today, targets)
    counter = _Counter(
        len(lines) * (1 + len(targets)) + (_nomination_count(session, campaign) if progress else 0),
        progress,
    )
    wb = Workbook(write_only=True)
    _summary(wb, board, current_head(session), now)
    _list_sheet(
        wb,
        "Đơn vị",
        UNIT_HEADER,
        counter.rows(_unit_row(line) for line in lines),
        [14, 40, 22, 16, 17, 10, 16, 17, 10, 28, 12, 14, 26, 28, 16],
        {5: DATETIME, 8: DATETIME},
    )
    _list_sheet(
        wb,
        "Chỉ tiêu theo đơn vị",
        [
            "Mã đơn vị",
            "Tên đơn vị",
            "Mã chỉ tiêu",
            "Chỉ tiêu thi đua",
            "Loại",
            "Kết quả của đơn vị",
            "Năm trước",
            "Đánh giá",
        ],
        counter.rows(
            [
                line.unit.code,
                line.unit.name,
                t.code,
                t.title_vi,
                TARGET_KIND_LABELS[t.kind][0],
                *_figure_cells(line, t.id),
            ]
            for line in lines
            for t in targets
        ),
        [14, 40, 12, 50, 14, 16, 12, 16],
    )
    _list_sheet(
        wb,
        "Đề nghị khen thưởng",
        [
            "Mã hồ sơ",
            "Cá nhân / tập thể được đề nghị",
            "Đối tượng",
            "Chức vụ",
            "Đơn vị",
            "Danh hiệu, hình thức khen thưởng",
            "Trạng thái",
            "Khen thưởng đột xuất",
            "Người lao động trực tiếp",
            "Ngày gửi Sở",
            "Số quyết định",
            "Ngày quyết định",
            "Người ký",
        ],
        counter.rows(_nomination_rows(session, campaign)),
        [10, 30, 10, 22, 40, 30, 22, 10, 10, 17, 18, 14, 24],
        {10: DATETIME, 12: DATE},
    )
    out = io.BytesIO()
    wb.save(out)
    counter.finish()
    return out.getvalue()


def _figure_cells(line: UnitLine, target_id: int) -> list[Any]:
    figure = line.figures.get(target_id)
    value, baseline = (figure.value, figure.baseline) if figure else (None, None)
    return [value, baseline, RESULT_LABELS[line.result(target_id)][0]]


# --- CSV -------------------------------------------------------------------------------------


def _number(value: Any) -> str:
    # 100.00 → "100", 87.50 → "87.5"
    return "" if value is None else format(Decimal(value).normalize(), "f")


def _day(moment: dt.datetime | None) -> str:
    return local(moment).strftime("%d/%m/%Y") if moment else ""


def unit_results_csv(session: Session, campaign: Campaign, today: dt.date | None = None) -> bytes:
    """Per participating unit: plan, report, classification, each target's figure and
    result, nominations. UTF-8 with a BOM so that Excel opens the Vietnamese correctly."""
    today = today or today_local()
    targets = campaign_targets(session, campaign)
    out = io.StringIO()
    writer = cells.CsvWriter(out)
    writer.writerow(
        [
            "Mã đơn vị",
            "Tên đơn vị",
            "Địa bàn",
            "Kế hoạch thi đua",
            "Ngày gửi kế hoạch",
            "Báo cáo kết quả",
            "Ngày gửi báo cáo",
            "Xếp loại",
        ]
        + [f"{t.code} - {label}" for t in targets for label in ("Kết quả", "Đánh giá")]
        + ["Hồ sơ đề nghị đã gửi Sở", "Được khen thưởng (đã công bố)"]
    )
    for line in unit_lines(session, campaign, today, targets):
        values = [
            line.unit.code,
            line.unit.name,
            line.unit.locality or "",
            status_text(line.plan.status),
            _day(line.plan.sent_at),
            status_text(line.report.status),
            _day(line.report.sent_at),
            CLASSIFICATIONS.get(line.classification or "", ("",))[0],
        ]
        for t in targets:
            value, _, verdict = _figure_cells(line, t.id)
            values += [_number(value), verdict]
        values += [line.nominations_sent, line.nominations_published]
        writer.writerow(values)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
