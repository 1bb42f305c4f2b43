"""The register's refusal messages (Vietnamese, English) and the checks of typed values that
every register form shares: dates, years, choices among coded values (no Flask)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from models.text import nfc, whole_number
from workflow.core.errors import Violation
from workflow.core.messages import Messages

PEOPLE_MESSAGES = Messages(
    {
        "register_invalid": ("“{field}”: {problem}.", "“{field}”: {problem}."),
        "register_duplicate_unconfirmed": (
            "Có thể người này đã có trong sổ: {names}. Hãy kiểm tra; nếu đúng là người khác, "
            "đánh dấu “Tôi đã kiểm tra, đây là người khác” rồi lưu lại.",
            "This person may already be in the register: {names}. Check; if it really is "
            "someone else, tick “I have checked, this is someone else” and save again.",
        ),
        "person_stale_version": (
            "Người khác đã sửa thông tin của người này trước bạn ({state}). Hãy xem lại thông "
            "tin hiện tại; nếu vẫn muốn lưu nội dung của bạn, bấm “Lưu” lần nữa.",
            "Someone else changed this person first ({state}). Review the current details; "
            "to keep yours, press “Save” again.",
        ),
        "register_merge_same": (
            "Hãy chọn hai người khác nhau để gộp.",
            "Choose two different people to merge.",
        ),
        "register_merge_evaluation": (
            "Năm {year}, hai người có xếp loại khác nhau (“{first}” và “{second}”). Hãy sửa "
            "xếp loại của một người cho thống nhất rồi gộp lại.",
            "In {year} the two have different ratings (“{first}” and “{second}”). Correct one "
            "of them, then merge again.",
        ),
        "register_merge_accounts": (
            "Cả hai người đều đã gắn với một tài khoản. Hãy bỏ liên kết tài khoản của một "
            "người rồi gộp lại.",
            "Both people are linked to an account. Unlink one of them, then merge again.",
        ),
        "register_merged": (
            "Người này đã được gộp vào một người khác trong sổ.",
            "This person was merged into another entry of the register.",
        ),
    }
)


def invalid(label: tuple[str, str], vi: str, en: str) -> Violation:
    """A problem with the field called ``label`` (Vietnamese, English)."""
    return PEOPLE_MESSAGES.violation(
        "register_invalid",
        {"field": label[0], "field_en": label[1], "problem": vi, "problem_en": en},
    )


def text(values: Mapping[str, Any], key: str) -> str:
    """The typed text of ``key``, NFC-normalised and stripped."""
    return nfc(str(values.get(key) or ""))


def day(
    values: Mapping[str, Any], key: str, label: tuple[str, str], problems: list[Violation]
) -> dt.date | None:
    """``values[key]`` as a date typed dd/mm/yyyy (or yyyy-mm-dd, as a date field sends it);
    None when blank; a problem when it is no date."""
    raw = values.get(key)
    if isinstance(raw, dt.date):
        return raw
    typed = text(values, key)
    if not typed:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(typed, pattern).date()
        except ValueError:
            continue
    problems.append(invalid(label, "không phải ngày hợp lệ (dd/mm/yyyy)", "not a date"))
    return None


def year(
    values: Mapping[str, Any], key: str, label: tuple[str, str], problems: list[Violation]
) -> int | None:
    """``values[key]`` as a year from 1950 to 2100; a problem otherwise."""
    found = whole_number(values.get(key), max_digits=4)
    if found is None or not 1950 <= found <= 2100:
        problems.append(invalid(label, "cần là một năm, ví dụ 2025", "must be a year, e.g. 2025"))
        return None
    return found


def choice(
    values: Mapping[str, Any],
    key: str,
    label: tuple[str, str],
    allowed: tuple[str, ...],
    problems: list[Violation],
    required: bool = True,
) -> str | None:
    """``values[key]`` when it is one of ``allowed`` (blank is None when not ``required``)."""
    typed = text(values, key)
    if not typed and not required:
        return None
    if typed not in allowed:
        problems.append(invalid(label, "hãy chọn một giá trị trong danh sách", "choose one"))
        return None
    return typed


def bounded(
    values: Mapping[str, Any],
    key: str,
    label: tuple[str, str],
    limit: int,
    problems: list[Violation],
    required: bool = False,
) -> str | None:
    """The typed text of ``key`` (None when blank), at most ``limit`` characters."""
    typed = text(values, key)
    if not typed:
        if required:
            problems.append(invalid(label, "không được để trống", "must not be empty"))
        return None
    if len(typed) > limit:
        problems.append(invalid(label, f"dài quá {limit} ký tự", f"longer than {limit} characters"))
    return typed
