"""Emulation targets (chỉ tiêu thi đua): when a unit's figure meets its target."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from models import ReportFigure, Target
from models.text import nfc

TARGET_KIND_LABELS = {
    "percent": ("Tỷ lệ (%)", "Percentage"),
    "count": ("Số lượng", "Count"),
    "yes_no": ("Có / không", "Yes / no"),
}
COMPARISON_LABELS = {
    "at_least": ("Đạt khi không thấp hơn ngưỡng", "Met when at least the threshold"),
    "at_most": ("Đạt khi không vượt ngưỡng", "Met when at most the threshold"),
    "above_baseline": ("Đạt khi cao hơn năm trước", "Met when above the previous year"),
}


def is_met(target: Target, value: Decimal | None, baseline: Decimal | None = None) -> bool | None:
    """True or False for a figure, None when there is no figure to judge."""
    if value is None:
        return None
    if target.kind == "yes_no":
        return value >= 1
    if target.comparison == "above_baseline":
        return None if baseline is None else value > baseline
    if target.threshold is None:
        return None
    if target.comparison == "at_most":
        return value <= target.threshold
    return value >= target.threshold


def figure_met(figure: ReportFigure) -> bool | None:
    """:func:`is_met` for a stored figure."""
    return is_met(figure.target, figure.value, figure.baseline)


EVIDENCE_MAX = 4000
_LIMIT = Decimal("9999999999")

_CENT = Decimal("0.01")

# Problems with a typed number: (Vietnamese, English), used inside "Chỉ tiêu “…”: …".
PROBLEMS = {
    "not_number": ("phải là một số, ví dụ 95 hoặc 95,5.", "must be a number, e.g. 95 or 95.5."),
    "percent_range": ("tỷ lệ phải từ 0 đến 100.", "a percentage must be from 0 to 100."),
    "whole": ("phải là số nguyên, không âm.", "must be a whole number, zero or more."),
    "negative": ("không được là số âm.", "cannot be negative."),
    "too_large": ("số quá lớn.", "the number is too large."),
    "yes_no": ("vui lòng chọn Có hoặc Không.", "please choose yes or no."),
    "evidence_long": (
        f"minh chứng dài quá {EVIDENCE_MAX} ký tự.",
        f"evidence is longer than {EVIDENCE_MAX} characters.",
    ),
    "value_needed": ("vui lòng nhập số liệu.", "please give the figure."),
}

_YES = {"1", "có", "co", "yes", "true", "đạt", "x"}

_NO = {"0", "không", "khong", "no", "false", "chưa đạt"}


def parse_number(raw: Any, kind: str) -> tuple[Decimal | None, str | None]:
    """A typed figure of a ``kind`` target as a Decimal (None when blank), or a problem code.

    Accepts the Vietnamese decimal comma ("95,5") and, for yes/no targets, Có/Không.
    """
    if isinstance(raw, Decimal):
        text = str(raw)
    else:
        text = nfc(str(raw if raw is not None else "")).lower().replace(" ", "")
    if text == "":
        return None, None
    if kind == "yes_no":
        if text in _YES:
            return Decimal(1), None
        return (Decimal(0), None) if text in _NO else (None, "yes_no")
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None, "not_number"
    if not value.is_finite():
        return None, "not_number"
    if value < 0:
        return None, "negative"
    if value > _LIMIT:
        return None, "too_large"
    if kind == "percent" and value > 100:
        return None, "percent_range"
    if kind == "count" and value != value.to_integral_value():
        return None, "whole"
    return value.quantize(_CENT, rounding=ROUND_HALF_UP), None


def number_text(value: Decimal | None) -> str | None:
    """A Decimal as plain text without trailing zeros ("95.5", "100"), for the audit log."""
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
