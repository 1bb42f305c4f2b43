"""Refusal messages, Vietnamese first and English second.

``MESSAGES`` words the core's codes. A domain keeps its own catalogue (``Messages``) next to the
violations it raises, and its violations carry their wording, so no shared table is filled in.
Kept as plain data (no Flask, no compiled catalog) so that the CLI and scripts speak the
same words as the web app.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workflow.core.dates import FORMAT_MESSAGE
from workflow.core.errors import Violation

MESSAGES: dict[str, tuple[str, str]] = {
    "not_found": (
        "Không tìm thấy hồ sơ, hoặc bạn không có quyền xem hồ sơ này.",
        "The dossier does not exist or you may not see it.",
    ),
    "unknown_trigger": ("Thao tác “{trigger}” không tồn tại.", "There is no action “{trigger}”."),
    "not_by_form": (
        "Không thể “{action}” từ biểu mẫu này: {through}.",
        "“{action_en}” cannot be done from this form: {through_en}.",
    ),
    "not_allowed_from_state": (
        "Không thể thực hiện “{action}” khi hồ sơ đang ở trạng thái “{state}”.",
        "“{action}” cannot be done while the dossier is “{state}”.",
    ),
    "role_not_permitted": (
        "Vai trò của bạn không được thực hiện “{action}”.",
        "Your role may not do “{action}”.",
    ),
    "out_of_scope": (
        "Bạn chỉ được thao tác trên hồ sơ của đơn vị mình.",
        "You may act only on your own unit's dossiers.",
    ),
    "not_visible": ("Bạn không có quyền xem hồ sơ này.", "You may not see this dossier."),
    "reason_required": ("Vui lòng nhập lý do.", "Please give a reason."),
    "field_required": ("Vui lòng nhập “{field}”.", "Please fill in “{field}”."),
    "field_not_chosen": ("Vui lòng chọn “{field}”.", "Please choose “{field}”."),
    "decision_number_invalid": (
        "Số quyết định “{number}” không đúng mẫu, ví dụ: 05/QĐ-SGDĐT.",
        "Decision number “{number}” is not in the form 05/QĐ-SGDĐT.",
    ),
    "decision_date_missing": ("Vui lòng nhập ngày quyết định.", "Please give the decision date."),
    "date_format": FORMAT_MESSAGE,
    "signer_missing": ("Vui lòng nhập người ký quyết định.", "Please give the signer."),
    "classification_invalid": (
        "Vui lòng chọn mức xếp loại hợp lệ.",
        "Please choose a valid classification.",
    ),
    "stale_version": (
        "Người khác đã thao tác trên hồ sơ này trước bạn. Trạng thái hiện tại: “{state}”. "
        "Vui lòng xem lại hồ sơ rồi thực hiện lại.",
        "Someone else acted on this dossier first. It is now “{state}”. "
        "Please review it and try again.",
    ),
    "too_many_points": (
        "Mỗi lần trả lại nêu tối đa {max} điểm.",
        "A return lists at most {max} points.",
    ),
    "field_too_long": (
        "“{field}” dài quá {max} ký tự.",
        "“{field}” is longer than {max} characters.",
    ),
}


@dataclass(frozen=True)
class Messages:
    """A domain's refusal messages, (Vietnamese, English) by code; ``permission`` names those of
    its codes that refuse the person rather than the moment (the web answers them 403)."""

    texts: Mapping[str, tuple[str, str]]
    permission: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.permission <= set(self.texts):
            raise ValueError(
                f"permission codes not worded: {sorted(self.permission - set(self.texts))}"
            )

    def violation(self, code: str, params: Mapping[str, Any] | None = None) -> Violation:
        """A violation of ``code`` (one of these; KeyError if not) worded by this catalogue."""
        return Violation(code, dict(params or {}), self.texts[code], code in self.permission)

    def wrapping(
        self, code: str, violation: Violation, params: Mapping[str, Any] | None = None
    ) -> Violation:
        """A violation of ``code`` carrying ``violation``'s words as ``{message}`` and
        ``{message_en}``: a refusal named by the row, line or dossier it is about."""
        words = {"message": violation.message("vi"), "message_en": violation.message("en")}
        return self.violation(code, {**(params or {}), **words})

    def __contains__(self, code: object) -> bool:
        return code in self.texts


def render(
    code: str,
    params: Mapping[str, Any] | None = None,
    locale: str = "vi",
    wording: tuple[str, str] | None = None,
) -> str:
    """The message for ``code`` in ``locale`` ("vi" or "en"), with ``params`` filled in:
    ``wording`` when given, else the core's message for ``code``."""
    vi, en = wording or MESSAGES.get(code, (code, code))
    english = locale.startswith("en")
    template = en if english else vi
    values = dict(params or {})
    if english:
        # Parameters that are labels come in pairs: "state" (Vietnamese) and "state_en".
        values.update({k[:-3]: v for k, v in values.items() if k.endswith("_en")})
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template
