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

from workflow.core.errors import Violation

MESSAGES: dict[str, tuple[str, str]] = {
    "not_found": (
        "Không tìm thấy hồ sơ, hoặc bạn không có quyền xem hồ sơ này.",
        "The dossier does not exist or you may not see it.",
    ),
    "unknown_trigger": ("Thao tác “{trigger}” không tồn tại.", "There is no action “{trigger}”."),
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
    "reviewer_is_nominee": (
        "Người thẩm định không được là người được đề nghị khen thưởng.",
        "A reviewer may not review their own nomination.",
    ),
    "reviewer_is_author": (
        "Người thẩm định không được là người lập hồ sơ.",
        "A reviewer may not review a dossier they drafted.",
    ),
    "reason_required": ("Vui lòng nhập lý do.", "Please give a reason."),
    "field_required": ("Vui lòng nhập “{field}”.", "Please fill in “{field}”."),
    "evidence_missing": ("Hồ sơ chưa có tệp minh chứng nào.", "The dossier has no evidence file."),
    "campaign_closed": (
        "Phong trào “{campaign}” không nhận hồ sơ vào ngày {day} (thời hạn {opens} – {closes}).",
        "The campaign “{campaign}” does not accept dossiers on {day} (window {opens} – {closes}).",
    ),
    "campaign_inactive": (
        "Phong trào “{campaign}” đã kết thúc.",
        "The campaign “{campaign}” is no longer active.",
    ),
    "session_required": ("Vui lòng chọn phiên họp Hội đồng.", "Please choose a Council session."),
    "session_closed": ("Phiên họp Hội đồng đã kết thúc.", "The Council session is closed."),
    "quorum_not_met": (
        "Phiên họp chưa đủ số thành viên: có mặt {present}/{members}, cần ít nhất {required}.",
        "No quorum: {present} of {members} members present, {required} needed.",
    ),
    "votes_invalid": (
        "Số phiếu không hợp lệ: tổng {total} phiếu, chỉ có {voters} thành viên được bỏ phiếu.",
        "Invalid tally: {total} votes for {voters} eligible members.",
    ),
    "votes_not_counts": (
        "Số phiếu phải là số nguyên, không âm.",
        "Vote counts must be whole numbers, zero or more.",
    ),
    "threshold_not_met": (
        "Chưa đạt tỷ lệ biểu quyết: {votes_for}/{base} "
        "phiếu đồng ý, cần ít nhất {required} ({pct}%).",
        "Vote threshold not met: {votes_for} of {base} in favour, {required} needed ({pct}%).",
    ),
    "nominee_must_recuse": (
        "Người được đề nghị là thành viên Hội đồng có mặt và phải được miễn biểu quyết.",
        "The nominee is a present Council member and must be recused.",
    ),
    "decision_number_invalid": (
        "Số quyết định “{number}” không đúng mẫu, ví dụ: 05/QĐ-SGDĐT.",
        "Decision number “{number}” is not in the form 05/QĐ-SGDĐT.",
    ),
    "decision_date_missing": ("Vui lòng nhập ngày quyết định.", "Please give the decision date."),
    "signer_missing": ("Vui lòng nhập người ký quyết định.", "Please give the signer."),
    "classification_invalid": (
        "Vui lòng chọn mức xếp loại hợp lệ.",
        "Please choose a valid classification.",
    ),
    # Secret ballots and decisions (workflow/ballot.py, workflow/decisions.py).
    "ballot_not_found": (
        "Không tìm thấy phiếu bầu của hồ sơ này trong phiên họp.",
        "There is no ballot on this dossier in this session.",
    ),
    "ballot_still_open": (
        "Cuộc bỏ phiếu kín chưa kết thúc: kết quả chỉ có khi thư ký đóng phiếu.",
        "The secret ballot is still open: its tally exists only once it is closed.",
    ),
    "ballot_exists": (
        "Hồ sơ này đã được bỏ phiếu kín trong phiên; hãy áp dụng kết quả bỏ phiếu kín.",
        "This dossier had a secret ballot in this session; apply its result.",
    ),
    "ballot_passed": (
        "Kết quả bỏ phiếu kín đã đạt tỷ lệ: không thể ghi “không thông qua” theo phiếu này.",
        "The secret ballot reached the threshold: it cannot be recorded as a rejection.",
    ),
    "ballot_already_open": (
        "Hồ sơ này đã có cuộc bỏ phiếu kín trong phiên họp.",
        "This dossier already has a secret ballot in this session.",
    ),
    "ballot_not_agenda": (
        "Chỉ bỏ phiếu kín hồ sơ đề nghị khen thưởng đang chờ Hội đồng xét.",
        "Only nominations awaiting the Council can be put to a secret ballot.",
    ),
    "ballot_no_voters": (
        "Không có thành viên có mặt nào được bỏ phiếu cho hồ sơ này.",
        "No present member may vote on this dossier.",
    ),
    "ballot_closed": ("Cuộc bỏ phiếu kín đã kết thúc.", "The secret ballot is closed."),
    "ballot_recused": (
        "Bạn không tham gia biểu quyết hồ sơ này ({why}).",
        "You are recused from this vote ({why}).",
    ),
    "ballot_not_on_roll": (
        "Bạn không có tên trong danh sách bỏ phiếu của hồ sơ này "
        "(chỉ thành viên có mặt khi mở phiếu mới được bỏ phiếu).",
        "You are not on this ballot's roll (only members present when it opened may vote).",
    ),
    "ballot_already_voted": (
        "Bạn đã bỏ phiếu cho hồ sơ này. Mỗi thành viên chỉ bỏ phiếu một lần.",
        "You have already voted on this dossier. Each member votes once.",
    ),
    "ballot_choice_invalid": (
        "Vui lòng chọn: đồng ý, không đồng ý hoặc không biểu quyết.",
        "Please choose: approve, reject or abstain.",
    ),
    "written_invalid": (
        "Số ý kiến bằng văn bản không hợp lệ: tối đa {absent} thành viên vắng mặt.",
        "Invalid written opinions: at most {absent} absent members.",
    ),
    "conflict_closed": (
        "Đã mở phiếu cho hồ sơ này: không thể ghi thêm thành viên xung đột lợi ích.",
        "The ballot on this dossier is open: conflicts can no longer be recorded.",
    ),
    "session_ballots_open": (
        "Chưa thể kết thúc phiên họp: còn phiếu kín chưa đóng của hồ sơ {dossiers}. "
        "Vui lòng đóng phiếu và kiểm phiếu trước khi kết thúc phiên họp.",
        "The session cannot be closed yet: a secret ballot is still open on {dossiers}. "
        "Please close and count every open ballot before closing the session.",
    ),
    "session_ballots_unapplied": (
        "Chưa thể kết thúc phiên họp: kết quả bỏ phiếu "
        "kín của hồ sơ {dossiers} chưa được ghi nhận. "
        "Vui lòng bấm “Ghi nhận” kết quả phiếu kín trước khi kết thúc phiên họp.",
        "The session cannot be closed yet: the secret ballot result on {dossiers} is not recorded. "
        "Please record the ballot's result before closing the session.",
    ),
    "conflict_not_member": (
        "Người được chọn không phải thành viên của phiên họp.",
        "The person chosen is not a member of this session.",
    ),
    "decision_empty": (
        "Vui lòng chọn ít nhất một hồ sơ đã được Hội đồng thông qua.",
        "Please choose at least one dossier approved by the Council.",
    ),
    "decision_number_taken": (
        "Số quyết định “{number}” đã được dùng.",
        "Decision number “{number}” is already used.",
    ),
    "decision_dossier_unfit": (
        "Hồ sơ “{name}” không ở trạng thái “Hội đồng thông qua”.",
        "The dossier “{name}” is not approved by the Council.",
    ),
    "decision_dossier_taken": (
        "Hồ sơ “{name}” đã thuộc quyết định {number}.",
        "The dossier “{name}” already belongs to decision {number}.",
    ),
    "decision_not_draft": (
        "Quyết định đã ban hành: không thể thay đổi.",
        "The decision is issued and cannot change.",
    ),
    "decision_item_refused": ("“{name}”: {message}", "“{name}”: {message_en}"),
    "proposal_number_invalid": (
        "Số tờ trình “{number}” không đúng mẫu, ví dụ: 12/TTr-{unit}.",
        "Proposal number “{number}” is not in the form 12/TTr-{unit}.",
    ),
    "proposal_empty": (
        "Đơn vị chưa có hồ sơ đề nghị nào trong phong trào này.",
        "The unit has no nomination in this campaign.",
    ),
    "stale_version": (
        "Người khác đã thao tác trên hồ sơ này trước bạn. Trạng thái hiện tại: “{state}”. "
        "Vui lòng xem lại hồ sơ rồi thực hiện lại.",
        "Someone else acted on this dossier first. It is now “{state}”. "
        "Please review it and try again.",
    ),
    "practice_stale_version": (
        "Người khác đã thay đổi mô hình này trước bạn. Trạng thái hiện tại: “{state}”. "
        "Vui lòng xem lại nội dung hiện tại của mô hình rồi thực hiện lại.",
        "Someone else changed this practice first. It is now “{state}”. "
        "Please review its current content and try again.",
    ),
    "campaign_stale_version": (
        "Người khác đã thay đổi phong trào thi đua này trước bạn. Trạng thái hiện tại: “{state}”. "
        "Vui lòng xem lại nội dung hiện tại của phong trào thi đua rồi thực hiện lại.",
        "Someone else changed this emulation campaign first. It is now “{state}”. "
        "Please review its current content and try again.",
    ),
    "award_stale_version": (
        "Người khác đã thay đổi danh hiệu, hình thức "
        "khen thưởng này trước bạn. Trạng thái hiện tại: "
        "“{state}”. Vui lòng xem lại nội dung hiện tại của danh hiệu rồi thực hiện lại.",
        "Someone else changed this award first. It is now “{state}”. "
        "Please review its current content and try again.",
    ),
    "not_editable": (
        "Hồ sơ ở trạng thái “{state}” không được chỉnh sửa.",
        "A dossier that is “{state}” cannot be edited.",
    ),
    "unknown_field": (
        "Trường “{field}” không được chỉnh sửa.",
        "The field “{field}” cannot be edited.",
    ),
    "field_too_long": (
        "“{field}” dài quá {max} ký tự.",
        "“{field}” is longer than {max} characters.",
    ),
    "award_kind_mismatch": (
        "Danh hiệu “{award}” dành cho {expected}, không dành cho {given}.",
        "The award “{award}” is for {expected}, not {given}.",
    ),
    "file_type_refused": (
        "Tệp “{name}” không được chấp nhận. Chỉ nhận PDF, DOCX, XLSX, JPG, PNG.",
        "The file “{name}” is refused. Only PDF, DOCX, XLSX, JPG and PNG are accepted.",
    ),
    "file_too_large": (
        "Tệp “{name}” vượt quá {limit_mb} MB.",
        "The file “{name}” exceeds {limit_mb} MB.",
    ),
    "file_empty": ("Tệp “{name}” rỗng.", "The file “{name}” is empty."),
    "too_many_files": (
        "Hồ sơ đã có tối đa {limit} tệp.",
        "The dossier already has the maximum of {limit} files.",
    ),
}


@dataclass(frozen=True)
class Messages:
    """A domain's refusal messages, (Vietnamese, English) by code."""

    texts: Mapping[str, tuple[str, str]]

    def violation(self, code: str, params: Mapping[str, Any] | None = None) -> Violation:
        """A violation of ``code`` (one of these; KeyError if not) worded by this catalogue."""
        return Violation(code, dict(params or {}), self.texts[code])

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
