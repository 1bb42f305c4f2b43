"""What a transition may require the person to type: each input declared once, with its form
fields, labels, help and check. The engine checks them, the workflow page lists them and the web
forms ask for them (one macro) and read them from what is posted, all from ``INPUTS``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from models.clock import VIETNAM
from models.text import nfc
from workflow.core.dates import parse_day
from workflow.core.errors import Violation
from workflow.core.spec import Input

# Nghị định 30/2020/NĐ-CP appendix III: "05/QĐ-SGDĐT" (leading zero below 10, no spaces).
DECISION_NUMBER = re.compile(r"^(0[1-9]|[1-9]\d+)/QĐ-[A-ZĐ][A-ZĐ0-9]*(-[A-ZĐ0-9]+)*$")


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
        return value.astimezone(VIETNAM).date() if value.tzinfo else value.date()
    # dd/mm/yyyy as people type it, or ISO; anything else is no day.
    return parse_day(value)


def field_required(label: tuple[str, str]) -> Violation:
    """A typed field left empty; ``label`` (Vietnamese, English) names it. Any domain's form
    field says it in the same words, so the core words it."""
    return Violation("field_required", {"field": label[0], "field_en": label[1]})


def field_not_chosen(label: tuple[str, str]) -> Violation:
    """A field chosen from a list (or filled in from what was chosen) left empty."""
    return Violation("field_not_chosen", {"field": label[0], "field_en": label[1]})


def field_too_long(label: tuple[str, str], limit: int) -> Violation:
    """A typed field longer than ``limit`` characters; ``label`` (Vietnamese, English)."""
    return Violation("field_too_long", {"field": label[0], "field_en": label[1], "max": limit})


def check_reason(inputs: Mapping[str, Any]) -> list[Violation]:
    return [] if nfc(str(inputs.get("reason") or "")) else [Violation("reason_required")]


def check_decision(inputs: Mapping[str, Any]) -> list[Violation]:
    problems = []
    number = nfc(str(inputs.get("decision_number") or ""))
    if not DECISION_NUMBER.match(number):
        problems.append(Violation("decision_number_invalid", {"number": number}))
    typed = inputs.get("decision_date")
    if not str(typed or "").strip():
        problems.append(Violation("decision_date_missing"))
    elif _as_date(typed) is None:
        problems.append(Violation("date_format"))
    if not nfc(str(inputs.get("decision_signer") or "")):
        problems.append(Violation("signer_missing"))
    return problems


# The most points one return may list: more is a forged form, not a reviewer's list.
MAX_POINTS = 30


def return_points(inputs: Mapping[str, Any]) -> list[str]:
    """The points of a return as typed: one per non-empty line, each once."""
    lines = (nfc(line).strip() for line in str(inputs.get("points") or "").splitlines())
    return list(dict.fromkeys(line for line in lines if line))


def check_return_points(inputs: Mapping[str, Any]) -> list[Violation]:
    problems = []
    if len(return_points(inputs)) > MAX_POINTS:
        problems.append(Violation("too_many_points", {"max": MAX_POINTS}))
    typed = inputs.get("fix_by")
    if str(typed or "").strip() and _as_date(typed) is None:
        problems.append(Violation("date_format"))
    return problems


def check_classification(inputs: Mapping[str, Any]) -> list[Violation]:
    return (
        []
        if inputs.get("classification") in CLASSIFICATIONS
        else [Violation("classification_invalid")]
    )


@dataclass(frozen=True)
class InputField:
    """One form field of an input: its name (the form field and the key of ``inputs``), its
    label and the control that asks for it."""

    name: str
    label_vi: str
    label_en: str
    # "text", "date", "textarea", "count" (a whole number ≥ 0), "choice" (one of ``choices``),
    # "session" (an open Council session, chosen on the page or fixed by it) or "points" (lines
    # to fix, starting from the dossier's failed checks).
    control: str = "text"
    example: str = ""  # what a valid value looks like (the field's placeholder)
    choices: Mapping[str, tuple[str, str]] | None = None
    required: bool = True


@dataclass(frozen=True)
class InputDef:
    """What a transition requiring ``input`` asks the person for, and how it is checked."""

    input: Input
    label_vi: str  # the input as a whole, where a transition's requirements are listed
    label_en: str
    fields: tuple[InputField, ...]
    # Checks the typed values; None when the transition's guards judge them.
    check: Callable[[Mapping[str, Any]], list[Violation]] | None = None
    help_vi: str = ""
    help_en: str = ""
    legend_vi: str = ""  # a caption over the input's counts
    legend_en: str = ""

    @property
    def labels(self) -> tuple[str, str]:
        return self.label_vi, self.label_en


# Every input, in the order a form asks for them.
INPUTS: dict[Input, InputDef] = {
    d.input: d
    for d in (
        InputDef(
            Input.COUNCIL_VOTE,
            "Phiên họp Hội đồng và kết quả biểu quyết",
            "Council session and vote tally",
            (
                InputField("session_id", "Chọn phiên họp Hội đồng", "Council session", "session"),
                InputField("votes_for", "Đồng ý", "For", "count"),
                InputField("votes_against", "Không đồng ý", "Against", "count"),
                InputField("votes_abstain", "Không biểu quyết", "Abstaining", "count"),
            ),
            legend_vi="Kết quả biểu quyết (số phiếu)",
            legend_en="Vote (number of votes)",
        ),
        InputDef(
            Input.CLASSIFICATION,
            "Xếp loại",
            "Classification",
            (
                InputField(
                    "classification",
                    "Mức xếp loại",
                    "Classification",
                    "choice",
                    choices=CLASSIFICATIONS,
                ),
            ),
            check_classification,
        ),
        InputDef(
            Input.DECISION,
            "Số, ngày và người ký quyết định",
            "Decision number, date and signer",
            (
                InputField(
                    "decision_number", "Số quyết định", "Decision number", example="05/QĐ-SGDĐT"
                ),
                InputField("decision_date", "Ngày quyết định", "Decision date", "date"),
                InputField("decision_signer", "Người ký", "Signer"),
            ),
            check_decision,
        ),
        InputDef(
            Input.OVERRIDE,
            "Lý do vẫn trình khi có cảnh báo (chỉ khi có cảnh báo)",
            "Reason to approve despite warnings (only when warned)",
            (
                InputField(
                    "reason",
                    "Lý do vẫn trình Hội đồng",
                    "Reason to approve despite the warnings",
                    "textarea",
                ),
            ),
            help_vi="Lý do và các cảnh báo được ghi vào nhật ký kiểm toán của hồ sơ.",
            help_en="The reason and the warnings are recorded in the dossier's audit log.",
        ),
        InputDef(
            Input.SUBMISSION,
            "Số và ngày tờ trình gửi cấp trên",
            "Submission letter number and date",
            (
                InputField(
                    "submission_number",
                    "Số tờ trình của Sở",
                    "Department's submission number",
                    example="1580/TTr-SGDĐT",
                ),
                InputField("submission_date", "Ngày tờ trình", "Submission date", "date"),
            ),
            help_vi="Hồ sơ được gửi Ban Thi đua - Khen thưởng thành phố; khi có quyết định của "
            "cấp trên, Văn phòng ghi nhận kết quả.",
            help_en="The dossier goes to the city's Emulation and Commendation Board; when the "
            "higher level decides, the Office records the outcome.",
        ),
        InputDef(
            Input.RETURN_POINTS,
            "Các điểm cần bổ sung và hạn bổ sung",
            "Points to fix and the day to fix them by",
            (
                InputField(
                    "points",
                    "Các điểm cần bổ sung (mỗi dòng một điểm)",
                    "Points to fix (one per line)",
                    "points",
                    required=False,
                ),
                InputField("fix_by", "Hạn bổ sung", "Fix by", "date", required=False),
            ),
            check_return_points,
            help_vi="Các điểm bắt đầu từ những điều kiện chưa đạt; đơn vị trả lời từng điểm.",
            help_en="The points start from the checks not met; the unit answers each of them.",
        ),
        InputDef(
            Input.REASON,
            "Lý do",
            "Reason",
            (InputField("reason", "Lý do", "Reason", "textarea"),),
            check_reason,
            help_vi="Lý do được ghi vào lịch sử hồ sơ và đơn vị sẽ thấy rõ.",
            help_en="The reason is recorded in the dossier history and shown clearly to the unit.",
        ),
    )
}


def inputs_of(requires: Iterable[Input]) -> tuple[InputDef, ...]:
    """The declarations of the inputs ``requires`` names, in the order a form asks for them."""
    wanted = set(requires)
    return tuple(d for i, d in INPUTS.items() if i in wanted)


def field_names() -> tuple[str, ...]:
    """Every form field an input declares: what a transition form may post."""
    return tuple(dict.fromkeys(f.name for d in INPUTS.values() for f in d.fields))
