"""The lifecycle page: every definition drawn as SVG and listed transition by transition.

Everything here is read from ``workflow.lifecycles``, so the page always shows what the
engine enforces.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from markupsafe import Markup

from web.support.access import public
from web.support.i18n import lang, pick
from web.workflow_pages import bp
from web.workflow_pages.diagram import svg
from workflow.core.actors import ROLE_LABELS
from workflow.core.diagram import mermaid
from workflow.core.registry import WORKFLOWS
from workflow.core.spec import Input, Scope, TransitionDef, WorkflowDef

# A readable name for each guard (rule), keyed by the guard function's name.
GUARD_LABELS: dict[str, tuple[str, str]] = {
    "required_fields": (
        "Đủ thông tin bắt buộc (tiêu đề; với hồ sơ khen thưởng: người được đề nghị, thành tích, "
        "danh hiệu phù hợp với cá nhân hay tập thể)",
        "Required fields filled in (title; for a nomination: nominee, achievements, an award "
        "that fits an individual or a collective)",
    ),
    "has_evidence": ("Có ít nhất một tệp minh chứng", "At least one evidence file attached"),
    "notice_period_over": (
        "Đã hết thời hạn công khai lấy ý kiến (với danh "
        "hiệu yêu cầu công khai; tính theo ngày làm việc)",
        "The public notice period has ended (for awards that require one; counted in working days)",
    ),
    "campaign_accepts": (
        "Phong trào đang nhận hồ sơ (trong thời hạn), hoặc là khen thưởng đột xuất",
        "The campaign is taking dossiers (within its window), or the nomination is ad-hoc",
    ),
    "reviewer_independent": (
        "Người thẩm định không phải người được đề nghị, cũng không phải người lập hồ sơ",
        "The reviewer is neither the nominee nor the author",
    ),
    "council_quorum": (
        "Trong một phiên họp Hội đồng đang mở, đủ số thành viên có mặt",
        "Within an open Council session with a quorum present",
    ),
    "council_session_if_given": (
        "Nếu ghi nhận trong một phiên họp Hội đồng thì phiên họp đó đang mở",
        "If recorded in a Council session, that session is still open",
    ),
    "council_tally_possible": (
        "Số phiếu ghi nhận hợp lệ: số nguyên, mỗi thành viên được biểu quyết tối đa một phiếu",
        "The recorded tally is valid: whole votes, at most one per member who may vote",
    ),
    "council_vote_passes": (
        "Kết quả biểu quyết hợp lệ và đạt tỷ lệ của danh hiệu; người được đề nghị không biểu quyết",
        "The tally is valid and reaches the award's threshold; the nominee does not vote",
    ),
    "unit_takes_part": ("Đơn vị tham gia phong trào", "The unit takes part in the campaign"),
    "award_admitted": (
        "Phong trào xét danh hiệu, hình thức được đề nghị",
        "The campaign admits the proposed award",
    ),
    "due_date_kept": (
        "Gửi Sở đúng hạn, hoặc phong trào cho phép nộp muộn (khi đó hồ sơ được ghi “Nộp muộn”)",
        "Sent by the due date, or the campaign accepts late submissions (marked “Late”)",
    ),
    "figures_complete": (
        "Có số liệu cho mọi chỉ tiêu thi đua của phong trào",
        "A figure for every emulation target of the campaign",
    ),
    "eligibility_met": (
        "Đạt các điều kiện bắt buộc của danh hiệu (thành phần hồ sơ, danh hiệu đã đạt, "
        "tỷ lệ, không đang bị xem xét kỷ luật)",
        "The award's hard rules hold (documents, prior titles, quota, no hold)",
    ),
    "eligibility_overridden": (
        "Điều kiện khuyến nghị chưa đạt thì phải nêu lý do vẫn trình Hội đồng",
        "A soft rule that fails needs a reason to approve anyway",
    ),
    "department_confers": (
        "Danh hiệu do Sở quyết định (danh hiệu của cấp trên phải trình cấp trên)",
        "An award the Department confers (higher awards are forwarded)",
    ),
    "higher_level_confers": (
        "Danh hiệu do cấp trên (UBND thành phố, Bộ) quyết định",
        "An award conferred above the Department (city, Ministry)",
    ),
    "submission_given": (
        "Có số và ngày tờ trình của Sở gửi cấp trên",
        "The Department's submission letter number and date are given",
    ),
}
INPUT_LABELS: dict[Input, tuple[str, str]] = {
    Input.REASON: ("Lý do", "Reason"),
    Input.DECISION: ("Số, ngày và người ký quyết định", "Decision number, date and signer"),
    Input.COUNCIL_VOTE: (
        "Phiên họp Hội đồng và kết quả biểu quyết",
        "Council session and vote tally",
    ),
    Input.CLASSIFICATION: ("Xếp loại", "Classification"),
    Input.OVERRIDE: (
        "Lý do vẫn trình khi có cảnh báo (chỉ khi có cảnh báo)",
        "Reason to approve despite warnings (only when warned)",
    ),
    Input.SUBMISSION: ("Số và ngày tờ trình gửi cấp trên", "Submission letter number and date"),
}


def guard_label(guard) -> str:
    """The guard's readable name; an unlisted guard shows its docstring's first line."""
    name = getattr(guard, "__name__", repr(guard))
    if name in GUARD_LABELS:
        return pick(*GUARD_LABELS[name])
    doc = (getattr(guard, "__doc__", None) or name).strip().splitlines()[0]
    return doc


@dataclass(frozen=True)
class Row:
    """One transition as the table shows it."""

    trigger: str
    label: str
    sources: list[str]
    dest: str
    roles: list[str]
    own_unit: bool
    inputs: list[str]
    guards: list[str]
    public: bool


def _row(wdef: WorkflowDef, tdef: TransitionDef) -> Row:
    state = lambda name: pick(wdef.state(name).label_vi, wdef.state(name).label_en)  # noqa: E731
    return Row(
        trigger=tdef.trigger,
        label=pick(tdef.label_vi, tdef.label_en),
        sources=[state(s) for s in tdef.sources],
        dest=state(tdef.dest),
        roles=[pick(*ROLE_LABELS[r]) for r in sorted(tdef.roles, key=lambda r: r.value)],
        own_unit=tdef.scope is Scope.OWN_UNIT,
        inputs=[pick(*INPUT_LABELS[i]) for i in sorted(tdef.requires, key=lambda i: i.value)],
        guards=[guard_label(g) for g in tdef.guards],
        public=tdef.public,
    )


@bp.route("/")
@public
def index():
    locale = lang()
    lifecycles = [
        {
            "kind": kind,
            "label": pick(wdef.label_vi, wdef.label_en),
            # svg() escapes every text it draws, so its output is safe to embed.
            "svg": Markup(svg(wdef, locale)),
            "mermaid": mermaid(wdef, locale),
            "rows": [_row(wdef, t) for t in wdef.transitions],
        }
        for kind, wdef in WORKFLOWS.items()
    ]
    return render_template("workflow_pages/index.html", lifecycles=lifecycles)
