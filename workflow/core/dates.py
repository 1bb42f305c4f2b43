"""Calendar days as people type them: dd/mm/yyyy first (what Vietnamese users write, whatever
their browser's language), ISO yyyy-mm-dd still accepted (older forms, scripts, CSV files)."""

from __future__ import annotations

import datetime as dt
import re

# "5/12/2026" and "05/12/2026"; dots and dashes are typed too ("05.12.2026", "05-12-2026").
DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$", re.ASCII)
ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
# The pattern a date field's input carries (the browser's own hint; the server decides).
FIELD_PATTERN = r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}|\d{4}-\d{2}-\d{2}"
PLACEHOLDER = "dd/mm/yyyy"
# How a field's own message says it (after the field's name).
DATE_RULE = (
    "phải theo dạng ngày/tháng/năm, ví dụ 05/12/2026",
    "must be day/month/year, for example 05/12/2026",
)
FORMAT_MESSAGE = (
    "Ngày phải theo dạng ngày/tháng/năm, ví dụ 05/12/2026.",
    "Dates are day/month/year, for example 05/12/2026.",
)


def parse_day(value: object) -> dt.date | None:
    """The calendar day ``value`` names, or None: a date, "dd/mm/yyyy" or "yyyy-mm-dd"; a day
    that does not exist (31/02/2026) or anything else is None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value if value is not None else "").strip()
    if found := DAY_MONTH_YEAR.match(text):
        day, month, year = (int(g) for g in found.groups())
    elif found := ISO_DAY.match(text):
        year, month, day = (int(g) for g in found.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def day_text(value: object) -> str:
    """``value`` (a date or a typed day) as a form shows it back: dd/mm/yyyy; what is not a
    day is returned as it was typed, so nothing typed is lost."""
    day = parse_day(value)
    if day is None:
        return "" if value is None else str(value)
    return day.strftime("%d/%m/%Y")
