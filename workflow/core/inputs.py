"""What a transition may require the person to type, and how each input is checked."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from models.text import nfc
from workflow.core.errors import Violation

# Nghị định 30/2020/NĐ-CP appendix III: "05/QĐ-SGDĐT" (leading zero below 10, no spaces).
DECISION_NUMBER = re.compile(r"^(0[1-9]|[1-9]\d+)/QĐ-[A-ZĐ][A-ZĐ0-9]*(-[A-ZĐ0-9]+)*$")

# Campaign windows and decision dates are Hải Phòng calendar days (UTC+7, no daylight saving).
LOCAL_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")

CLASSIFICATIONS: dict[str, tuple[str, str]] = {
    "excellent": ("Hoàn thành xuất sắc nhiệm vụ", "Completed tasks excellently"),
    "good": ("Hoàn thành tốt nhiệm vụ", "Completed tasks well"),
    "completed": ("Hoàn thành nhiệm vụ", "Completed tasks"),
    "not_completed": ("Không hoàn thành nhiệm vụ", "Did not complete tasks"),
}


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):  # a datetime is a date too, but not for a Date column
        return value.astimezone(LOCAL_TZ).date() if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def check_reason(inputs: Mapping[str, Any]) -> list[Violation]:
    return [] if nfc(str(inputs.get("reason") or "")) else [Violation("reason_required")]


def check_decision(inputs: Mapping[str, Any]) -> list[Violation]:
    problems = []
    number = nfc(str(inputs.get("decision_number") or ""))
    if not DECISION_NUMBER.match(number):
        problems.append(Violation("decision_number_invalid", {"number": number}))
    if _as_date(inputs.get("decision_date")) is None:
        problems.append(Violation("decision_date_missing"))
    if not nfc(str(inputs.get("decision_signer") or "")):
        problems.append(Violation("signer_missing"))
    return problems


def check_classification(inputs: Mapping[str, Any]) -> list[Violation]:
    return (
        []
        if inputs.get("classification") in CLASSIFICATIONS
        else [Violation("classification_invalid")]
    )
