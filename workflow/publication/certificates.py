"""Certificates (giấy khen, bằng chứng nhận) of an issued decision, as PDF: one A4 landscape
page per awardee row, each with a QR code of its public verification page (``/v/<code>``).

The model is the one last verified (Nghị định 98/2023/NĐ-CP, Điều 104; its successor keeps the
same fields as far as is known): Quốc huy, Quốc hiệu and Tiêu ngữ in black, the authority in
red capitals, "TẶNG" (a form) or "TẶNG DANH HIỆU" (a title), the award in red, the awardee's
name, position and unit, the achievement; the decision's number and date and the "số sổ vàng"
bottom left; place, date, the signer's title and name bottom right, with room to sign and seal.

Two modes. ``full`` draws the whole design on plain paper. ``preprinted`` prints only the
variable fields, at the positions saved for the award's blank (per unit, else for every unit,
else where the full design puts them), for units that buy pre-printed blanks; a calibration
page (a millimetre grid) is printed and measured to find those positions.

The Quốc huy is the State's emblem: it is drawn only from the official artwork file the
deployment provides (``emblem`` path); without it its place stays empty, never an imitation.

"Số sổ vàng" is the row's ordinal in the decision, in annex order (what the research found the
Department's books record: the nominee's number in the decision), so it is the same on every
copy.

Speed: 1,000 pages take about 15 s on the project's 2-core machine; more than half of it is segno
choosing the best of the eight QR masks for each code (kept: the mask makes a printed code
easier to scan), the rest reportlab, whose C accelerator (rl-accel) is a dependency for that.

Fonts are TrueType, embedded as subsets: Liberation Serif 2 (Times New Roman's metrics, full
Vietnamese) when installed, else DejaVu Serif; a font is used only if it has every Vietnamese
letter, and with none of them the caller gets ``FontMissing`` in words.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno
from reportlab.lib.colors import Color, black
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AwardType, CertificateLayout, Nomination, Unit
from models.clock import utcnow
from models.decisions import DECISION_ISSUED, Decision
from models.text import nfc
from workflow.awards.catalogue import FORM_PREFIXES, is_form
from workflow.core import audit
from workflow.core.actors import Actor
from workflow.core.authz import (
    OFFICE,
    first_role,
    may_manage_certificates,
    may_print_certificates,
    refuse_unless,
)
from workflow.core.errors import EditRefused, NotFound, Violation, WorkflowError
from workflow.core.messages import Messages
from workflow.documents import docx as documents
from workflow.publication import decisions, revocation, verification

CERTIFICATE_MESSAGES = Messages(
    {
        "certificate_draft": (
            "Quyết định số {number} chưa ban hành: chỉ in giấy khen của quyết định đã ban hành.",
            "Decision {number} is not issued: certificates are printed for issued decisions only.",
        ),
        "certificate_none": (
            "Quyết định số {number} không có khen thưởng nào được in giấy khen, bằng chứng nhận "
            "(các danh hiệu chỉ kèm tiền thưởng không in, trừ khi danh mục khen thưởng đặt in).",
            "Decision {number} confers nothing that prints a certificate (titles that carry "
            "money only print nothing unless the catalogue sets them to).",
        ),
        "certificate_row_revoked": (
            "Khen thưởng ở dòng số {row} của Quyết định số {number} đã bị thu hồi theo Quyết "
            "định số {revoked}: không in giấy khen cho khen thưởng đã thu hồi.",
            "The award on row {row} of decision {number} was revoked by decision {revoked}: no "
            "certificate is printed for a revoked award.",
        ),
        "certificate_row_missing": (
            "Quyết định số {number} không có dòng số {row} được in giấy khen.",
            "Decision {number} has no printed row number {row}.",
        ),
        "certificate_position_invalid": (
            "{field}: {problem}",
            "{field_en}: {problem_en}",
        ),
        "certificate_layout_stale": (
            "Người khác vừa lưu vị trí của mẫu phôi này; vui lòng tải lại trang và nhập lại.",
            "Someone else has just saved this blank's positions; please reload and enter again.",
        ),
        "font_missing": (
            "Máy chủ chưa có phông chữ có dấu tiếng Việt để in giấy khen (Liberation Serif 2 "
            "hoặc DejaVu Serif). Quản trị viên chạy “make fonts” (cài gói fonts-liberation2) "
            "rồi thử lại.",
            "The server has no font with the Vietnamese letters needed for certificates "
            "(Liberation Serif 2 or DejaVu Serif). An administrator runs “make fonts” (installs "
            "the fonts-liberation2 package) and tries again.",
        ),
    }
)

MODES = ("full", "preprinted")
PAGE_W, PAGE_H = 297.0, 210.0  # A4 landscape, millimetres
PLACE = "Hải Phòng"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
AUTHORITY = "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ HẢI PHÒNG"
GIVES, GIVES_TITLE = "TẶNG", "TẶNG DANH HIỆU"
# Titles whose decree gives a Bằng chứng nhận (Nghị định 152/2025/NĐ-CP, Điều 50): printed by
# default like every form; the other titles (Lao động tiên tiến …) carry money only.
CERTIFIED_TITLES = ("CSTDCS", "TTLDXS")
RED = Color(0.78, 0.06, 0.09)
FRAME = Color(0.62, 0.45, 0.12)
ENTITY = "certificate_layout"
AWARD_ENTITY = "award_type"
# The letters a font must have to print Vietnamese (both cases of every vowel with its marks).
VIETNAMESE = nfc(
    "ĂÂĐÊÔƠƯăâđêôơư"
    "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
# Candidate families, best first: Liberation Serif 2 has Times New Roman's metrics (the
# typeface of Vietnamese administrative documents); Liberation 1.x lacks the Vietnamese letters
# and is skipped by the coverage check. Styles: regular, bold, italic, bold italic.
FONT_FAMILIES: tuple[tuple[str, tuple[str, str, str, str]], ...] = (
    (
        "Liberation Serif",
        (
            "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
            "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
            "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf",
            "/usr/share/fonts/truetype/liberation2/LiberationSerif-BoldItalic.ttf",
        ),
    ),
    (
        "Liberation Serif",
        (
            "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
            "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
            "/usr/share/fonts/truetype/liberation/LiberationSerif-Italic.ttf",
            "/usr/share/fonts/truetype/liberation/LiberationSerif-BoldItalic.ttf",
        ),
    ),
    (
        "DejaVu Serif",
        (
            "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
            "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
            "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf",
            "/usr/share/fonts/truetype/dejavu/DejaVuSerif-BoldItalic.ttf",
        ),
    ),
)
STYLES = ("regular", "bold", "italic", "bold_italic")
# Told (pages drawn, pages in all) as a batch is drawn, for a job's progress bar.
Progress = Callable[[int, int], None]
# Pages between two progress reports: a few a second at the drawing speed measured above.
PROGRESS_STEP = 25


class FontMissing(WorkflowError):
    """No installed font prints Vietnamese; nothing was made."""


# --- fonts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fonts:
    """The registered font names by style, and the family they came from."""

    family: str
    names: Mapping[str, str]


_REGISTERED: dict[tuple[str, ...], Fonts] = {}


def _covers(font: TTFont) -> bool:
    glyphs = font.face.charToGlyph
    return all(ord(letter) in glyphs for letter in VIETNAMESE)


def fonts(families: Sequence[tuple[str, Sequence[str]]] = FONT_FAMILIES) -> Fonts:
    """The first family whose files exist and print every Vietnamese letter, registered with
    reportlab once per process (a missing italic falls back to the regular face)."""
    for family, paths in families:
        key = tuple(paths)
        if key in _REGISTERED:
            return _REGISTERED[key]
        if not Path(paths[0]).is_file():
            continue
        base = f"VD{len(_REGISTERED)}"
        names: dict[str, str] = {}
        usable = True
        for style, path in zip(STYLES, paths, strict=True):
            if not Path(path).is_file():
                names[style] = names.get("bold" if "bold" in style else "regular", "")
                continue
            font = TTFont(f"{base}-{style}", path)
            if not _covers(font):
                usable = False
                break
            pdfmetrics.registerFont(font)
            names[style] = font.fontName
        if not usable or not names.get("regular"):
            continue
        names = {style: names.get(style) or names["regular"] for style in STYLES}
        _REGISTERED[key] = Fonts(family, names)
        return _REGISTERED[key]
    raise FontMissing([CERTIFICATE_MESSAGES.violation("font_missing")])


# --- positions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """A field's box: its left edge ``x`` and the baseline of its first line ``y``, in mm from
    the sheet's top-left corner; ``width`` in mm (lines wrap within it; for the QR code, the
    code's side); the type ``size`` in points; ``shown`` False leaves it off (already printed
    on the blank)."""

    x: float
    y: float
    width: float
    size: float
    shown: bool = True


# Field: (Vietnamese label, English label, centred).
FIELDS: dict[str, tuple[str, str, bool]] = {
    "award": ("Tên khen thưởng (Giấy khen, danh hiệu)", "Award (form or title)", True),
    "name": ("Họ và tên / tên tập thể", "Name", True),
    "detail": ("Chức vụ, đơn vị", "Position and unit", True),
    "achievement": ("Thành tích", "Achievement", True),
    "decision": ("Quyết định số …, ngày …", "Decision number and date", False),
    "ledger": ("Số sổ vàng", "Ledger number", False),
    "qr": ("Mã QR và mã xác minh", "QR code and verification code", False),
    "place_date": ("Địa danh, ngày tháng", "Place and date", True),
    "signer_title": ("Chức vụ người ký", "Signer's title", True),
    "signer": ("Họ tên người ký", "Signer's name", True),
}
# Where the full design puts each field; a blank without saved positions starts from these.
DEFAULT_POSITIONS: dict[str, Position] = {
    "award": Position(30, 92, 237, 30),
    "name": Position(30, 106, 237, 20),
    "detail": Position(40, 116, 217, 14),
    "achievement": Position(40, 126, 217, 14),
    "decision": Position(26, 150, 125, 12),
    "ledger": Position(26, 157, 125, 12),
    "qr": Position(26, 161, 24, 9),
    "place_date": Position(160, 146, 115, 13),
    "signer_title": Position(160, 154, 115, 13),
    "signer": Position(160, 188, 115, 14),
}
LIMITS = {"x": (0.0, PAGE_W), "y": (0.0, PAGE_H), "width": (5.0, PAGE_W), "size": (6.0, 48.0)}


def positions_json(positions: Mapping[str, Position]) -> str:
    return json.dumps(
        {
            name: {"x": p.x, "y": p.y, "width": p.width, "size": p.size, "shown": p.shown}
            for name, p in positions.items()
        },
        sort_keys=True,
    )


def _positions_from(text: str) -> dict[str, Position]:
    saved = json.loads(text or "{}")
    merged = dict(DEFAULT_POSITIONS)
    for name, values in saved.items():
        if name in FIELDS:
            merged[name] = Position(**values)
    return merged


def layout_for(
    session: Session, award_type_id: int, unit_id: int | None
) -> CertificateLayout | None:
    """The saved layout of the award's blank for the unit (None: for every unit), if any."""
    unit_clause = (
        CertificateLayout.unit_id.is_(None)
        if unit_id is None
        else CertificateLayout.unit_id == unit_id
    )
    return session.scalars(
        select(CertificateLayout).where(
            CertificateLayout.award_type_id == award_type_id, unit_clause
        )
    ).first()


def positions_for(session: Session, award_type_id: int, unit_id: int | None) -> dict[str, Position]:
    """The positions on the award's blank: the unit's own, else the award's, else the full
    design's."""
    for owner in (unit_id, None) if unit_id is not None else (None,):
        layout = layout_for(session, award_type_id, owner)
        if layout is not None:
            return _positions_from(layout.positions)
    return dict(DEFAULT_POSITIONS)


def _number(text: str) -> float | None:
    text = (text or "").strip().replace(",", ".")
    if not re.fullmatch(r"[0-9]{1,3}(\.[0-9]{1,2})?", text):
        return None
    return float(text)


def parse_positions(form: Mapping[str, Any]) -> tuple[dict[str, Position], list[Violation]]:
    """Positions typed in the layout form (``<field>_<x|y|width|size>`` and ``<field>_shown``),
    with every problem named by its field; the caller keeps what was typed."""
    positions: dict[str, Position] = {}
    problems: list[Violation] = []
    labels = {
        "x": ("lề trái", "left"),
        "y": ("từ mép trên", "from the top"),
        "width": ("độ rộng", "width"),
        "size": ("cỡ chữ", "type size"),
    }
    for name, (vi, en, _centred) in FIELDS.items():
        values: dict[str, float] = {}
        for part, (low, high) in LIMITS.items():
            number = _number(str(form.get(f"{name}_{part}", "")))
            if number is None or not low <= number <= high:
                problems.append(
                    CERTIFICATE_MESSAGES.violation(
                        "certificate_position_invalid",
                        {
                            "field": f"{vi}, {labels[part][0]}",
                            "field_en": f"{en}, {labels[part][1]}",
                            "problem": f"cần một số từ {low:g} đến {high:g}",
                            "problem_en": f"a number from {low:g} to {high:g} is needed",
                        },
                    )
                )
            else:
                values[part] = number
        if len(values) < len(LIMITS):
            continue
        box_high = PAGE_H if name != "qr" else PAGE_H - values["width"]
        if values["x"] + values["width"] > PAGE_W or values["y"] > box_high:
            problems.append(
                CERTIFICATE_MESSAGES.violation(
                    "certificate_position_invalid",
                    {
                        "field": vi,
                        "field_en": en,
                        "problem": f"ô chữ vượt ra ngoài tờ giấy {PAGE_W:g} × {PAGE_H:g} mm",
                        "problem_en": f"the box runs off the {PAGE_W:g} × {PAGE_H:g} mm sheet",
                    },
                )
            )
            continue
        positions[name] = Position(shown=bool(form.get(f"{name}_shown")), **values)
    return positions, problems


def save_layout(
    session: Session,
    actor: Actor,
    award_type_id: int,
    unit_id: int | None,
    form: Mapping[str, Any],
    *,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> CertificateLayout:
    """Keep the positions of the award's blank for the unit (None: for every unit); audited.
    ``version`` is the layout's version the form was drawn with: a save by someone else since
    is refused, nothing changes."""
    refuse_unless(may_manage_certificates(actor), MANAGE_ACTION)
    # The award's row is locked: two first saves of one blank cannot both insert (PostgreSQL
    # lets a unique constraint hold two rows whose unit is NULL).
    award = session.get(AwardType, award_type_id, with_for_update=True)
    if award is None or (unit_id is not None and session.get(Unit, unit_id) is None):
        raise NotFound()
    positions, problems = parse_positions(form)
    if problems:
        raise EditRefused(problems)
    layout = layout_for(session, award_type_id, unit_id)
    before = None if layout is None else json.loads(layout.positions)
    if layout is not None and version is not None and layout.version != version:
        raise EditRefused([CERTIFICATE_MESSAGES.violation("certificate_layout_stale")])
    now = now or utcnow()
    text = positions_json(positions)
    if layout is None:
        layout = CertificateLayout(
            award_type_id=award_type_id, unit_id=unit_id, positions=text, version=1
        )
        session.add(layout)
    else:
        layout.positions, layout.version = text, layout.version + 1
    layout.updated_by, layout.updated_at = actor.user_id, now
    session.flush()
    before, after = _written(before), _written(json.loads(text))
    changed = {k: [None if before is None else before.get(k), v] for k, v in after.items()}
    if before is not None:
        changed = {k: v for k, v in changed.items() if v[0] != v[1]}
    audit.append(
        session,
        entity_type=ENTITY,
        entity_id=layout.id,
        action="create" if before is None else "update",
        actor_id=actor.user_id,
        actor_role=_role(actor),
        changes={"award_type_id": award_type_id, "unit_id": unit_id, "positions": changed},
        now=now,
    )
    return layout


def _written(positions: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Positions as the audit log keeps them: exact decimal text, since it refuses floats."""
    if positions is None:
        return None
    return {
        name: {k: v if isinstance(v, bool) else f"{v:g}" for k, v in values.items()}
        for name, values in positions.items()
    }


MANAGE_ACTION = ("Đặt vị trí in trên phôi giấy khen", "Set the positions on certificate blanks")


def _role(actor: Actor) -> str | None:
    role = first_role(actor, OFFICE)
    return role.value if role else None


def prints(award: AwardType) -> bool:
    """Whether the award prints a certificate: the admin's choice, else the law's (forms and
    the titles that carry a bằng chứng nhận)."""
    if award.prints_certificate is not None:
        return award.prints_certificate
    return is_form(award.name_vi) or award.code in CERTIFIED_TITLES


def set_prints(
    session: Session,
    actor: Actor,
    award_type_id: int,
    value: bool | None,
    now: dt.datetime | None = None,
) -> AwardType:
    """Set whether the award prints certificates (None: as the law says); audited."""
    refuse_unless(may_manage_certificates(actor), MANAGE_ACTION)
    award = session.get(AwardType, award_type_id)
    if award is None:
        raise NotFound()
    before = award.prints_certificate
    if before == value:
        return award
    award.prints_certificate = value
    session.flush()
    audit.append(
        session,
        entity_type=AWARD_ENTITY,
        entity_id=award.id,
        action="edit",  # as the catalogue names its own award edits
        actor_id=actor.user_id,
        actor_role=_role(actor),
        changes={"prints_certificate": [before, value]},
        now=now or utcnow(),
    )
    return award


# --- what a certificate says -----------------------------------------------------------------


@dataclass(frozen=True)
class Awardee:
    """One printed row: ``number`` is its ordinal in the decision (the số sổ vàng)."""

    number: int
    name: str
    position: str
    unit: str
    unit_id: int | None
    award_type_id: int
    award_vi: str
    award_code: str
    nominee_kind: str
    achievement: str
    code: str | None


@dataclass(frozen=True)
class Sheet:
    """What every certificate of a decision shares, and its awardees."""

    decision_number: str
    day: dt.date
    signer: str
    signer_title: str
    base_url: str
    awardees: tuple[Awardee, ...]


def printed_award(name_vi: str) -> tuple[str, str]:
    """("TẶNG", "GIẤY KHEN") for a form (the authority is printed above it), ("TẶNG DANH
    HIỆU", "CHIẾN SĨ THI ĐUA CƠ SỞ") for a title; a "(tập thể)" note is dropped."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", nfc(name_vi).strip().strip('“”"'))
    if is_form(name):
        lowered = name.lower()
        prefix = next(p for p in FORM_PREFIXES if lowered.startswith(p))
        return GIVES, name[: len(prefix)].upper()
    return GIVES_TITLE, name.upper()


def achievement(campaign_name: str) -> str:
    """ "Đã có thành tích xuất sắc trong phong trào thi đua năm 2026." """
    name = nfc(campaign_name).strip().rstrip(".")
    return f"Đã có thành tích xuất sắc trong {name[:1].lower()}{name[1:]}."


def verify_url(base_url: str, code: str) -> str:
    """The public page a certificate's QR code opens."""
    return f"{base_url.rstrip('/')}/v/{code}"


def sheet(
    session: Session,
    actor: Actor,
    decision_id: int,
    base_url: str,
    row: int | None = None,
) -> Sheet:
    """The certificates of an issued decision (one row's with ``row``, its số sổ vàng): only
    the Office and the Council print them, and only once the decision is issued."""
    refuse_unless(may_print_certificates(actor), PRINT_ACTION)
    decision = session.get(Decision, decision_id)
    if decision is None:
        raise NotFound()
    return sheet_of(session, decision, base_url, row)


PRINT_ACTION = ("In giấy khen, bằng chứng nhận", "Print certificates")


def sheet_of(session: Session, decision: Decision, base_url: str, row: int | None = None) -> Sheet:
    """``sheet`` without the permission check (the CLI runs as the server's operator)."""
    if decision.status != DECISION_ISSUED:
        raise EditRefused(
            [CERTIFICATE_MESSAGES.violation("certificate_draft", {"number": decision.number})]
        )
    dossiers = {d.id: d for d in decisions.dossiers_of(session, decision)}
    codes = {item.dossier_id: item.verify_code for item in decision.items}
    awards = {d.award_type_id: d.award_type for d in dossiers.values()}
    annex = decisions.decision_annex(session, decision, list(dossiers.values()))
    revoked_rows = revocation.revocations_of(session, dossiers)
    rows = []
    for number, line in enumerate(annex.lines, start=1):
        award = awards[line.award_type_id]
        if not prints(award) or (row is not None and number != row):
            continue
        # A revoked award keeps its row number (the annex is what was signed) and prints
        # nothing: a new paper would claim what the revoking decision took back.
        revoked = revoked_rows.get(line.dossier_id)
        if revoked is not None:
            if row is not None:
                params = {"number": decision.number, "row": row, "revoked": revoked.number}
                raise EditRefused(
                    [CERTIFICATE_MESSAGES.violation("certificate_row_revoked", params)]
                )
            continue
        dossier: Nomination = dossiers[line.dossier_id]
        rows.append(
            Awardee(
                number=number,
                name=line.name,
                position=line.position,
                unit=line.unit,
                unit_id=dossier.unit_id,
                award_type_id=award.id,
                award_vi=award.name_vi,
                award_code=award.code,
                nominee_kind=line.nominee_kind,
                achievement=achievement(dossier.campaign.name),
                code=codes.get(line.dossier_id),
            )
        )
    if not rows:
        params = {"number": decision.number, "row": row}
        code = "certificate_none" if row is None else "certificate_row_missing"
        raise EditRefused([CERTIFICATE_MESSAGES.violation(code, params)])
    return Sheet(
        decision_number=decision.number,
        day=decision.decided_on,
        signer=decision.signer,
        signer_title=decisions.signer_title(decision),
        base_url=base_url,
        awardees=tuple(rows),
    )


def detail_line(awardee: Awardee) -> str:
    """ "Giáo viên Ngữ văn, Trường THPT Chuyên Trần Phú"; a collective's unit alone."""
    if awardee.nominee_kind == "individual" and awardee.position:
        return f"{awardee.position}, {awardee.unit}"
    return awardee.unit


def field_texts(sheet: Sheet, awardee: Awardee) -> dict[str, str]:
    """Every variable field's text (the QR field: the code as printed under it)."""
    verb, award = printed_award(awardee.award_vi)
    return {
        "verb": verb,
        "award": award,
        "name": awardee.name,
        "detail": detail_line(awardee),
        "achievement": awardee.achievement,
        "decision": f"Quyết định số {sheet.decision_number}, {documents.day_words(sheet.day)}",
        "ledger": f"Số sổ vàng: {awardee.number}",
        "qr": f"Mã xác minh: {verification.shown(awardee.code)}" if awardee.code else "",
        "place_date": documents.date_line(sheet.day, PLACE),
        "signer_title": sheet.signer_title,
        "signer": sheet.signer,
    }


# --- drawing -----------------------------------------------------------------------------------

# Field: (style, red in the full design).
_LOOK = {
    "award": ("bold", True),
    "name": ("bold", False),
    "detail": ("regular", False),
    "achievement": ("italic", False),
    "decision": ("regular", False),
    "ledger": ("regular", False),
    "qr": ("regular", False),
    "place_date": ("italic", False),
    "signer_title": ("bold", False),
    "signer": ("bold", False),
}


class _Drawer:
    """Draws pages on one canvas; all measures in mm from the top-left, as the layouts are."""

    def __init__(self, canvas: Canvas, fonts_: Fonts) -> None:
        self.c, self.fonts = canvas, fonts_

    def font(self, style: str, size: float) -> str:
        name = self.fonts.names[style]
        self.c.setFont(name, size)
        return name

    def line(self, text: str, x: float, y: float, width: float, centred: bool) -> None:
        """One line at baseline ``y``: centred in the box, or from its left edge."""
        base = (PAGE_H - y) * mm
        if centred:
            self.c.drawCentredString((x + width / 2) * mm, base, text)
        else:
            self.c.drawString(x * mm, base, text)

    def text(self, name: str, text: str, pos: Position, *, colour: Color = black) -> None:
        """A field wrapped within its box, one line every 1.25 × the type size."""
        if not text or not pos.shown:
            return
        style, _red = _LOOK[name]
        font = self.font(style, pos.size)
        self.c.setFillColor(colour)
        leading = pos.size * 1.25 / mm
        for number, line in enumerate(simpleSplit(text, font, pos.size, pos.width * mm)):
            self.line(line, pos.x, pos.y + number * leading, pos.width, FIELDS[name][2])

    def qr(self, url: str, caption: str, pos: Position) -> None:
        """The QR code, ``pos.width`` mm a side with its top-left at (x, y), and its caption
        under it. Each row's runs of dark modules are one rectangle each: a few hundred
        rectangles a code, drawn as one filled path."""
        if not pos.shown:
            return
        matrix = segno.make(url, error="m", micro=False).matrix
        module = pos.width / len(matrix)
        path = self.c.beginPath()
        for r, cells in enumerate(matrix):
            c = 0
            while c < len(cells):
                if not cells[c]:
                    c += 1
                    continue
                start = c
                while c < len(cells) and cells[c]:
                    c += 1
                top = pos.y + r * module
                path.rect(
                    (pos.x + start * module) * mm,
                    (PAGE_H - top - module) * mm,
                    (c - start) * module * mm,
                    module * mm,
                )
        self.c.setFillColor(black)
        self.c.drawPath(path, stroke=0, fill=1)
        self.font("regular", pos.size)
        self.line(caption, pos.x, pos.y + pos.width + pos.size * 0.45, pos.width, False)


def _frame(d: _Drawer) -> None:
    """A plain double border: the decree wants a decorative one that copies no state award."""
    c = d.c
    c.setStrokeColor(FRAME)
    c.setLineWidth(2.2)
    c.rect(9 * mm, 9 * mm, (PAGE_W - 18) * mm, (PAGE_H - 18) * mm)
    c.setLineWidth(0.6)
    c.rect(12 * mm, 12 * mm, (PAGE_W - 24) * mm, (PAGE_H - 24) * mm)


def _header(d: _Drawer, verb: str, emblem: Path | None) -> None:
    """Quốc huy (from the official artwork only), Quốc hiệu, Tiêu ngữ, the authority, the verb."""
    if emblem is not None:
        d.c.drawImage(
            str(emblem),
            (PAGE_W / 2 - 11) * mm,
            (PAGE_H - 38) * mm,
            22 * mm,
            22 * mm,
            preserveAspectRatio=True,
            mask="auto",
        )
    d.c.setFillColor(black)
    d.font("bold", 14)
    d.line(NATIONAL_NAME, 0, 46, PAGE_W, True)
    d.font("bold", 13)
    d.line(MOTTO, 0, 53, PAGE_W, True)
    motto_width = pdfmetrics.stringWidth(MOTTO, d.fonts.names["bold"], 13) / mm
    d.c.setLineWidth(0.5)
    d.c.setStrokeColor(black)
    d.c.line(
        (PAGE_W - motto_width) / 2 * mm,
        (PAGE_H - 54.5) * mm,
        (PAGE_W + motto_width) / 2 * mm,
        (PAGE_H - 54.5) * mm,
    )
    d.c.setFillColor(RED)
    d.font("bold", 15)
    d.line(AUTHORITY, 0, 65, PAGE_W, True)
    d.c.setFillColor(black)
    d.font("bold", 14)
    d.line(verb, 0, 76, PAGE_W, True)


def render(
    sheet: Sheet,
    mode: str = "full",
    layouts: Mapping[tuple[int, int | None], Mapping[str, Position]] | None = None,
    *,
    emblem: Path | None = None,
    families: Sequence[tuple[str, Sequence[str]]] = FONT_FAMILIES,
    progress: Progress | None = None,
) -> bytes:
    """The PDF, one page per awardee. ``full``: the whole design at its own positions;
    ``preprinted``: the fields alone at ``layouts[(award_type_id, unit_id)]``, else
    ``layouts[(award_type_id, None)]``, else the design's positions. ``progress(done, total)``
    hears of the pages drawn, every ``PROGRESS_STEP`` and at the end."""
    if mode not in MODES:
        raise ValueError(mode)
    found = fonts(families)
    out = io.BytesIO()
    # The initial font is ours: reportlab's default (Helvetica) would be listed, not embedded.
    canvas = Canvas(
        out,
        pagesize=(PAGE_W * mm, PAGE_H * mm),
        pageCompression=1,
        initialFontName=found.names["regular"],
    )
    canvas.setTitle(f"Giấy khen - Quyết định số {sheet.decision_number}")
    canvas.setAuthor(AUTHORITY)
    drawer = _Drawer(canvas, found)
    emblem = emblem if emblem is not None and Path(emblem).is_file() else None
    layouts = layouts or {}
    total = len(sheet.awardees)
    for done, awardee in enumerate(sheet.awardees):
        if progress and done % PROGRESS_STEP == 0:
            progress(done, total)
        texts = field_texts(sheet, awardee)
        if mode == "full":
            positions: Mapping[str, Position] = DEFAULT_POSITIONS
            _frame(drawer)
            _header(drawer, texts["verb"], emblem)
        else:
            positions = (
                layouts.get((awardee.award_type_id, awardee.unit_id))
                or layouts.get((awardee.award_type_id, None))
                or DEFAULT_POSITIONS
            )
        for name in FIELDS:
            if name == "qr":
                if awardee.code:
                    url = verify_url(sheet.base_url, awardee.code)
                    drawer.qr(url, texts["qr"], positions[name])
                continue
            red = mode == "full" and _LOOK[name][1]
            drawer.text(name, texts[name], positions[name], colour=RED if red else black)
        canvas.showPage()
    canvas.save()
    if progress:
        progress(total, total)
    return out.getvalue()


def layouts_of(session: Session, sheet: Sheet) -> dict[tuple[int, int | None], dict[str, Position]]:
    """The saved layouts the sheet's rows may use, read once."""
    awards = {a.award_type_id for a in sheet.awardees}
    rows = session.scalars(
        select(CertificateLayout).where(CertificateLayout.award_type_id.in_(sorted(awards)))
    )
    return {(r.award_type_id, r.unit_id): _positions_from(r.positions) for r in rows}


def certificates_pdf(
    session: Session,
    sheet: Sheet,
    mode: str = "full",
    emblem: Path | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The sheet's certificates as one PDF, in ``mode`` (``progress`` as for ``render``)."""
    layouts = layouts_of(session, sheet) if mode == "preprinted" else None
    return render(sheet, mode, layouts, emblem=emblem, progress=progress)


def calibration_pdf(families: Sequence[tuple[str, Sequence[str]]] = FONT_FAMILIES) -> bytes:
    """One A4 landscape page with a millimetre grid: printed on the blank (or held against it)
    on the same printer, its numbers give the positions to type in the layout form."""
    found = fonts(families)
    out = io.BytesIO()
    c = Canvas(out, pagesize=(PAGE_W * mm, PAGE_H * mm), initialFontName=found.names["regular"])
    c.setTitle("Trang căn chỉnh vị trí in giấy khen")
    grey, dark = Color(0.8, 0.8, 0.8), Color(0.35, 0.35, 0.35)
    for step, colour, width in ((1, grey, 0.1), (5, grey, 0.3), (10, dark, 0.5)):
        c.setStrokeColor(colour)
        c.setLineWidth(width)
        if step == 1:  # millimetre ticks along the edges only: a full grid hides the blank
            for x in range(0, math.floor(PAGE_W) + 1):
                c.line(x * mm, PAGE_H * mm, x * mm, (PAGE_H - 3) * mm)
                c.line(x * mm, 0, x * mm, 3 * mm)
            for y in range(0, math.floor(PAGE_H) + 1):
                c.line(0, (PAGE_H - y) * mm, 3 * mm, (PAGE_H - y) * mm)
                c.line((PAGE_W - 3) * mm, (PAGE_H - y) * mm, PAGE_W * mm, (PAGE_H - y) * mm)
            continue
        for x in range(0, math.floor(PAGE_W) + 1, step):
            c.line(x * mm, 0, x * mm, PAGE_H * mm)
        for y in range(0, math.floor(PAGE_H) + 1, step):
            c.line(0, (PAGE_H - y) * mm, PAGE_W * mm, (PAGE_H - y) * mm)
    c.setFillColor(dark)
    c.setFont(found.names["regular"], 7)
    for x in range(10, math.floor(PAGE_W), 10):
        c.drawString((x + 0.6) * mm, (PAGE_H - 7) * mm, str(x))
    for y in range(10, math.floor(PAGE_H), 10):
        c.drawString(4 * mm, (PAGE_H - y - 2.5) * mm, str(y))
    c.setFillColor(black)
    c.setFont(found.names["bold"], 11)
    c.drawCentredString(
        PAGE_W / 2 * mm, (PAGE_H / 2 + 12) * mm, "TRANG CĂN CHỈNH VỊ TRÍ IN GIẤY KHEN (mm)"
    )
    c.setFont(found.names["regular"], 10)
    for number, line in enumerate(
        (
            "In trang này trên máy in dùng để in phôi, khổ A4 ngang, tỉ lệ 100% (không co giãn).",
            "Đặt tờ in lên phôi, đọc số milimét từ mép trái (x) và từ mép trên (y) đến chân dòng "
            "chữ cần in,",
            "rồi nhập vào trang “Vị trí in trên phôi” của khen thưởng đó.",
            "Print at 100 % on the blanks' printer; read x (from the left) and y (from the top, to "
            "the text's baseline) in mm.",
        )
    ):
        c.drawCentredString(PAGE_W / 2 * mm, (PAGE_H / 2 + 4 - number * 6) * mm, line)
    c.showPage()
    c.save()
    return out.getvalue()


def layout_form_values(positions: Mapping[str, Position]) -> dict[str, str]:
    """The layout form's inputs for ``positions`` (what the admin sees before typing)."""
    values = {}
    for name, pos in positions.items():
        for part in LIMITS:
            values[f"{name}_{part}"] = f"{getattr(pos, part):g}"
        values[f"{name}_shown"] = "1" if pos.shown else ""
    return values
