"""Administrative documents as DOCX (python-docx), laid out as Nghị định 30/2020/NĐ-CP asks.

Two documents share one layout: the Department's decision (Quyết định, ``N/QĐ-SGDĐT``) and
a unit's proposal letter (Tờ trình, ``N/TTr-…``). Top left the agency under its parent,
top right the national motto, then the number, place and date, the title and subject,
the legal bases, the body with the list of awardees as a table, the recipients and the
signer. A decision with an annex (Phụ lục: the list with each row's award money) lists its
rows there, on a page of its own after the signature, instead of in the body. A footer line
carries the audit chain's head so a printed copy can be matched to
the published history. Builders take plain data (no database, no Flask). PDF comes from
LibreOffice when it is installed; without it :func:`to_pdf` returns None.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

# Abbreviated as Nghị định 30 allows: the full name does not fit the heading's column on one
# line, and a line of the heading must never wrap inside a word.
PARENT_AGENCY = "UBND THÀNH PHỐ HẢI PHÒNG"
AGENCY = "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
DEPARTMENT_FOR_UNITS = "SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI PHÒNG"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE = "Độc lập - Tự do - Hạnh phúc"
PLACE = "Hải Phòng"
DIRECTOR = "GIÁM ĐỐC"
FONT = "Times New Roman"
DRAFT_MARK = "DỰ THẢO"
QUOTES = "“”\"'"
MADE_HEAD = "tại thời điểm lập văn bản"
# Nghị định 30/2020/NĐ-CP appendix III: "12/TTr-THPT" (leading zero below 10, no spaces).
PROPOSAL_NUMBER = re.compile(r"^(0[1-9]|[1-9]\d+)/TTr-[A-ZĐ][A-ZĐ0-9]*(-[A-ZĐ0-9]+)*$")
TABLE_HEAD = ("STT", "Họ và tên / Tập thể", "Chức vụ", "Đơn vị", "Danh hiệu, hình thức")
TEXT_WIDTH = 16.5  # cm: A4 less the 3 cm and 1.5 cm margins
HEAD_WIDTHS = (8.4, 9.8)  # agency | national motto (wider than the text: one line each)
ANNEX_HEAD = ("STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị", "Số tiền (đồng)")
ANNEX_WIDTHS = (1.2, 5.0, 3.4, 4.4, 2.5)


@dataclass(frozen=True)
class Awardee:
    """One row of a list of awardees."""

    name: str
    position: str
    unit: str
    award: str


@dataclass(frozen=True)
class AnnexRow:
    """One row of an annex table: a heading across the table (an award, or its individuals or
    collectives), a person or collective (STT, name, position, unit, amount) or a total (its
    label across the first columns, the amount in the last)."""

    kind: Literal["heading", "row", "total"]
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Annex:
    """The list attached to a decision (Phụ lục), after the signature."""

    title: str  # "DANH SÁCH …"
    subtitle: str  # "(Kèm theo Quyết định số … ngày … của …)"
    rows: Sequence[AnnexRow]
    columns: Sequence[str] = ANNEX_HEAD


@dataclass
class Letter:
    """What both documents carry: heading, number, date, subject, body and signature."""

    agency_parent: str
    agency: str
    number: str
    day: dt.date
    kind_title: str  # "QUYẾT ĐỊNH", "TỜ TRÌNH"
    subject: str  # "Về việc …"
    bases: Sequence[str]
    rows: Sequence[Awardee]
    signer: str
    signer_title: str
    recipients: Sequence[str]
    audit_head: tuple[int, str] | None = None
    authority: str = ""  # "GIÁM ĐỐC SỞ …" above the bases of a decision
    addressee: str = ""  # "Kính gửi: …" of a proposal
    articles: Sequence[str] = field(default_factory=list)  # Điều 2, Điều 3 … after the list
    intro: str = ""  # the sentence before the table
    closing: str = ""  # the sentence after the table (a proposal)
    columns: Sequence[str] = TABLE_HEAD
    annex: Annex | None = None  # a decision's list with its money, instead of the body's table
    draft: bool = False  # not yet issued: "DỰ THẢO" at the top of the first page
    audit_when: str = MADE_HEAD  # the moment ``audit_head`` was read


def quoted(text: str) -> str:
    """ "“Phong trào thi đua 2026”" once, whether or not ``text`` brings its own quotes."""
    bare = text.strip().strip(QUOTES).strip()
    return f"“{bare}”"


def date_line(day: dt.date, place: str = PLACE) -> str:
    """ "Hải Phòng, ngày 05 tháng 6 năm 2026"."""
    return f"{place}, {day_words(day)}"


def day_words(day: dt.date) -> str:
    """ "ngày 05 tháng 6 năm 2026": a zero before days below 10 and months 1 and 2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def decision_docx(letter: Letter) -> bytes:
    """The decision: Điều 1 with its table of awardees, then the other articles."""
    doc = _document()
    _draft_mark(doc, letter)
    _heading(doc, letter, "Số: ")
    _title(doc, letter)
    _para(doc, letter.authority, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    for basis in letter.bases:
        _para(doc, basis, italic=True, indent=True)
    _para(
        doc,
        "QUYẾT ĐỊNH:",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_before=6,
        space_after=6,
    )
    _article(doc, "Điều 1.", letter.intro)
    if letter.annex is None:
        _awardees(doc, letter)
    for number, text in enumerate(letter.articles, start=2):
        _article(doc, f"Điều {number}.", text)
    _signature(doc, letter)
    if letter.annex is not None:
        _annex(doc, letter.annex)
    _footer(doc, letter)
    _page_numbers(doc)
    return _save(doc)


def proposal_docx(letter: Letter) -> bytes:
    """The unit's proposal letter: addressee, grounds, the list, the request."""
    doc = _document()
    _draft_mark(doc, letter)
    _heading(doc, letter, "Số: ")
    _title(doc, letter)
    _para(doc, letter.addressee, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    for basis in letter.bases:
        _para(doc, basis, indent=True)
    _para(doc, letter.intro, indent=True)
    _awardees(doc, letter)
    _para(doc, letter.closing, indent=True, space_before=6)
    _signature(doc, letter)
    _footer(doc, letter)
    _page_numbers(doc)
    return _save(doc)


MINUTES_TITLE = "BIÊN BẢN"
MINUTES_SUBJECT = "HỌP HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG"
MINUTES_NUMBER = "Số: .../BB-HĐTĐKT"  # numbered by hand when the minutes are registered
MINUTES_HEAD = ("STT", "Họ và tên / Tập thể", "Đơn vị", "Số phiếu (đồng ý / không / không BQ)")
MINUTES_WIDTHS = (1.1, 4.4, 3.6, 3.0, 4.4)


@dataclass(frozen=True)
class MinutesItem:
    """One agenda item as the minutes record it."""

    name: str
    unit: str
    votes: str  # "7 / 1 / 0", or "—" when no count was taken (a deferral)
    result: str  # threshold in words and the outcome


@dataclass(frozen=True)
class MinutesGroup:
    """The items of one award: "1. Chiến sĩ thi đua cơ sở (3 cá nhân, 0 tập thể)"."""

    title: str
    items: Sequence[MinutesItem]


@dataclass
class Minutes:
    """The minutes of a Council session (biên bản họp), laid out as Nghị định 30/2020 asks;
    every line is prepared by the caller."""

    agency_parent: str
    agency: str
    day: dt.date
    meeting_title: str
    when_where: Sequence[str]  # time and place
    chair: str  # "Chủ trì: …"
    secretary: str  # "Thư ký: …"
    present: Sequence[str]  # names in protocol order, with their positions
    absent: Sequence[str]
    quorum: str
    groups: Sequence[MinutesGroup]
    conclusion: Sequence[str]
    ended: str
    secretary_name: str
    chair_name: str
    chair_title: str  # "CHỦ TỊCH HỘI ĐỒNG", or "CHỦ TRÌ" when a vice-chair presides
    number_line: str = MINUTES_NUMBER
    audit_head: tuple[int, str] | None = None
    audit_when: str = MADE_HEAD


def minutes_docx(minutes: Minutes) -> bytes:
    """The minutes: heading, title, who sat, the quorum, each item's result, the conclusion,
    the end, and the secretary's (left) and the chair's (right) signatures."""
    doc = _document()
    _head(doc, minutes.agency_parent, minutes.agency, minutes.number_line, minutes.day)
    _para(doc, MINUTES_TITLE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=18)
    _para(doc, MINUTES_SUBJECT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(doc, minutes.meeting_title, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _rule(doc, TEXT_WIDTH, 4)
    _para(doc, "", space_after=6)
    for line in minutes.when_where:
        _para(doc, line, indent=True)
    _para(doc, minutes.chair, indent=True)
    _para(doc, minutes.secretary, indent=True)
    _para(doc, f"Thành viên có mặt ({len(minutes.present)}):", indent=True, bold=True)
    for name in minutes.present:
        _para(doc, f"- {name}", indent=True)
    _para(doc, f"Thành viên vắng mặt ({len(minutes.absent)}):", indent=True, bold=True)
    for name in minutes.absent or ["Không."]:
        _para(doc, f"- {name}" if minutes.absent else name, indent=True)
    _para(doc, minutes.quorum, indent=True, space_before=3)
    _para(doc, "Nội dung: Hội đồng xét, biểu quyết các hồ sơ đề nghị khen thưởng", bold=True)
    for group in minutes.groups:
        _para(doc, group.title, bold=True, indent=True, space_before=6)
        _minutes_table(doc, group.items)
    if not minutes.groups:
        _para(doc, "Phiên họp không quyết định hồ sơ nào.", indent=True)
    _para(doc, "Kết luận", bold=True, space_before=6)
    for line in minutes.conclusion:
        _para(doc, line, indent=True)
    _para(doc, minutes.ended, indent=True, space_before=6)
    _minutes_signatures(doc, minutes)
    _audit_footer(doc, minutes.audit_head, minutes.audit_when)
    _page_numbers(doc)
    return _save(doc)


def _minutes_table(doc, items: Sequence[MinutesItem]) -> None:
    table = doc.add_table(rows=1, cols=len(MINUTES_WIDTHS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, MINUTES_WIDTHS)
    left, centre = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER
    for cell, label in zip(table.rows[0].cells, (*MINUTES_HEAD, "Tỷ lệ cần đạt, kết quả")):
        _in_cell(cell, label, centre, bold=True)
    _repeat_as_header(table.rows[0])
    for number, item in enumerate(items, start=1):
        cells = table.add_row().cells
        values = (str(number), item.name, item.unit, item.votes, item.result)
        for cell, value, align in zip(cells, values, (centre, left, left, centre, left)):
            _in_cell(cell, value, align)


def _minutes_signatures(doc, minutes: Minutes) -> None:
    """THƯ KÝ on the left, the chair (or the vice-chair who presided) on the right."""
    _para(doc, "", space_after=12)
    table = doc.add_table(rows=1, cols=2)
    _widths(table, (8.25, 8.25))
    left, right = table.rows[0].cells
    for cell, title, name in (
        (left, "THƯ KÝ", minutes.secretary_name),
        (right, minutes.chair_title, minutes.chair_name),
    ):
        _cell_text(cell, title, bold=True, size=14, first=True)
        _cell_text(cell, "(Ký, ghi rõ họ tên)", italic=True, size=13)
        for _ in range(3):
            _cell_text(cell, "", size=14)
        _cell_text(cell, name, bold=True, size=14)


def pdf_converter() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("libreoffice") or shutil.which("soffice")


def to_pdf(docx: bytes, timeout: int = 120) -> bytes | None:
    """The document as PDF through ``libreoffice --headless``; None without LibreOffice."""
    converter = pdf_converter()
    if converter is None:
        return None
    with tempfile.TemporaryDirectory(prefix="vinhdanh-pdf-") as work:
        source = Path(work) / "document.docx"
        source.write_bytes(docx)
        # Its own profile directory: a desktop LibreOffice that is open would lock the default one.
        subprocess.run(
            [
                converter,
                f"-env:UserInstallation=file://{work}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                work,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        return (Path(work) / "document.pdf").read_bytes()


# --- layout ------------------------------------------------------------------------------


def _document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)
    return doc


def _para(
    container,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 14,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = False,
    space_before: float = 0,
    space_after: float = 3,
):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(space_before), Pt(space_after)
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _rule(container, room_cm: float, width_cm: float) -> None:
    """The short line under an agency name, the motto or a subject: a bottom border on an
    empty paragraph indented to ``width_cm`` in the middle of ``room_cm``."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Cm(max((room_cm - width_cm) / 2, 0))
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), Pt(3)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    fmt.element.get_or_add_pPr().append(borders)


def _cell_text(
    cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 13,
    first: bool = False,
):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _widths(table, widths_cm: Sequence[float]) -> None:
    """Fixed column widths (LibreOffice reads the grid, Word the cells: set both)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def _heading(doc, letter: Letter, number_prefix: str) -> None:
    """Agency and motto side by side, then the number and the place and date."""
    _head(doc, letter.agency_parent, letter.agency, f"{number_prefix}{letter.number}", letter.day)


def _head(doc, parent: str, agency: str, number_line: str, day: dt.date) -> None:
    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, HEAD_WIDTHS)
    left, right = table.rows[0].cells
    _cell_text(left, parent, size=12, first=True)
    _cell_text(left, agency, bold=True, size=12)
    _rule(left, HEAD_WIDTHS[0], 2.5)
    _cell_text(right, MOTTO, bold=True, size=12, first=True)
    _cell_text(right, MOTTO_LINE, bold=True, size=13)
    _rule(right, HEAD_WIDTHS[1], 5.5)
    number, place = table.rows[1].cells
    _cell_text(number, number_line, size=13, first=True)
    _cell_text(place, date_line(day), italic=True, size=13, first=True)


def _title(doc, letter: Letter) -> None:
    _para(
        doc,
        letter.kind_title,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_before=18,
        space_after=0,
    )
    _para(doc, letter.subject, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _rule(doc, TEXT_WIDTH, 4)
    _para(doc, "", space_after=6)


def _article(doc, label: str, text: str) -> None:
    paragraph = _para(doc, "", indent=True)
    head = paragraph.add_run(label + " ")
    head.bold = True
    paragraph.add_run(text)


def _awardees(doc, letter: Letter) -> None:
    table = doc.add_table(rows=1, cols=len(letter.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, label in zip(table.rows[0].cells, letter.columns):
        _cell_text(cell, label, bold=True, size=12, first=True)
    _repeat_as_header(table.rows[0])
    for number, row in enumerate(letter.rows, start=1):
        cells = table.add_row().cells
        values = (str(number), row.name, row.position, row.unit, row.award)
        for index, (cell, value) in enumerate(zip(cells, values)):
            paragraph = _cell_text(cell, value, size=12, first=True)
            if index in (1, 3):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _widths(table, (1.2, 4.4, 3.4, 4.2, 3.3))
    _para(doc, "", size=6, space_after=0)


def _annex(doc, annex: Annex) -> None:
    """The annex on a new page: its title, then one table of every row.

    Thousands of rows: each cell is formatted directly (alignment, size), never through a
    paragraph style, whose assignment searches the document's styles every time; widths come
    from the table grid, which ``add_row`` copies into each new cell."""
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "PHỤ LỤC", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, annex.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(doc, annex.subtitle, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    left, centre, right = (
        WD_ALIGN_PARAGRAPH.LEFT,
        WD_ALIGN_PARAGRAPH.CENTER,
        WD_ALIGN_PARAGRAPH.RIGHT,
    )
    aligns = (centre, left, left, left, right)
    table = doc.add_table(rows=1, cols=len(annex.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, ANNEX_WIDTHS)
    for cell, label in zip(table.rows[0].cells, annex.columns):
        _in_cell(cell, label, centre, bold=True)
    _repeat_as_header(table.rows[0])
    for row in annex.rows:
        cells = table.add_row().cells
        if row.kind == "row":
            for cell, value, align in zip(cells, row.cells, aligns):
                _in_cell(cell, value, align)
        elif row.kind == "heading":
            _in_cell(cells[0].merge(cells[-1]), row.cells[0], left, bold=True)
        else:
            _in_cell(cells[0].merge(cells[-2]), row.cells[0], right, bold=True)
            _in_cell(cells[-1], row.cells[-1], right, bold=True)


_CELL_SIZE = Pt(12)


def _in_cell(cell, text: str, align, *, bold: bool = False) -> None:
    """``text`` in the cell's first paragraph, 12 pt (the body's spacing: none after)."""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    if text:
        run = paragraph.add_run(text)
        run.font.size = _CELL_SIZE
        if bold:
            run.bold = True


def _signature(doc, letter: Letter) -> None:
    _para(doc, "", space_after=6)
    table = doc.add_table(rows=1, cols=2)
    _widths(table, (7.5, 9))
    recipients, signer = table.rows[0].cells
    head = recipients.paragraphs[0]
    run = head.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    for line in letter.recipients:
        paragraph = recipients.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(line).font.size = Pt(11)
    _cell_text(signer, letter.signer_title, bold=True, size=14, first=True)
    for _ in range(3):
        _cell_text(signer, "", size=14)
    _cell_text(signer, letter.signer, bold=True, size=14)


def _footer(doc, letter: Letter) -> None:
    _audit_footer(doc, letter.audit_head, letter.audit_when)


def _audit_footer(doc, audit_head: tuple[int, str] | None, audit_when: str) -> None:
    if audit_head is None:
        return
    seq, digest = audit_head
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    run = paragraph.add_run(f"Vinh Danh — nhật ký kiểm toán {audit_when}: {seq}:{digest}")
    run.font.size = Pt(8)


def _draft_mark(doc, letter: Letter) -> None:
    """ "DỰ THẢO" boxed at the top right of a draft: a draft printed is not the decision."""
    if not letter.draft:
        return
    paragraph = _para(doc, DRAFT_MARK, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.RIGHT)
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        line = OxmlElement(f"w:{side}")
        for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "2")):
            line.set(qn(key), value)
        borders.append(line)
    paragraph.paragraph_format.element.get_or_add_pPr().append(borders)


def _repeat_as_header(row) -> None:
    """The table's first row printed again at the top of every page it runs onto."""
    # A cell's paragraph's element sits in the cell (w:tc), in the row (w:tr).
    tr = row.cells[0].paragraphs[0].paragraph_format.element.getparent().getparent()
    properties = tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _page_numbers(doc) -> None:
    """The page number centred at the top from page 2 (Nghị định 30: none on the first)."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, code in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(13)
        if kind is None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = code
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run.element.append(element)
    # The first page has its own (empty) header and the footer line of the audit head.
    first = section.first_page_footer.paragraphs[0]
    for line in section.footer.paragraphs[0].runs:
        copy = first.add_run(line.text)
        copy.font.size = line.font.size


def _save(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
