"""Emulation targets (chỉ tiêu thi đua): when a unit's figure meets its target."""

from __future__ import annotations

from decimal import Decimal

from models import ReportFigure, Target

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
