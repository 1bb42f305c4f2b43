"""What the figures table and the late badge show: numbers in the reader's language, each
target's rule in words, met or not met, and a plan's or report's submission status."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Dossier, ReportFigure, Target, User
from models.clock import today as clock_today
from web.support.i18n import date_vn, lang, pick
from web.support.templating import html_field
from workflow.campaigns.deadlines import STATUS_LABELS, submission_status
from workflow.campaigns.guards import figure_complete, targets_of
from workflow.campaigns.targets import is_met
from workflow.dossiers.figures import figures_of, number_text


def number_input(value: Decimal | None) -> str:
    """A Decimal as typed in a form in the reader's language ("92,5" in Vietnamese)."""
    text = number_text(value) or ""
    return text.replace(".", ",") if lang() == "vi" else text


def show_number(value: Decimal | None, kind: str = "count") -> str:
    """A figure for reading: "92,5%", "3", "Có" / "Không"; "—" when there is none."""
    if value is None:
        return "—"
    if kind == "yes_no":
        return _("Có") if value >= 1 else _("Không")
    return number_input(value) + ("%" if kind == "percent" else "")


def rule_text(target: Target) -> str:
    """When the target is met, in words: "Ít nhất 100%", "Không quá 2", "Không có (bằng 0)",
    "Cao hơn năm trước", "Có"; no mathematical sign to decode."""
    if target.kind == "yes_no":
        return _("Có")
    if target.comparison == "above_baseline":
        return _("Cao hơn năm trước")
    shown = show_number(target.threshold, target.kind)
    if target.comparison == "at_most":
        if not target.threshold:
            return _("Không có (bằng 0)")
        return _("Không quá %(n)s", n=shown)
    return _("Ít nhất %(n)s", n=shown)


@dataclass
class FigureRow:
    """One target of a report's campaign with the report's figure for it."""

    target: Target
    figure: ReportFigure | None
    met: bool | None
    complete: bool
    rule: str
    corrected_by: str | None = None

    @property
    def value_text(self) -> str:
        return show_number(self.figure.value if self.figure else None, self.target.kind)

    @property
    def baseline_text(self) -> str:
        return show_number(self.figure.baseline if self.figure else None, self.target.kind)

    @property
    def compares_baseline(self) -> bool:
        return self.target.kind != "yes_no" and self.target.comparison == "above_baseline"

    @property
    def title(self) -> str:
        return pick(self.target.title_vi, self.target.title_en)


def figure_rows(session: Session, report: Dossier) -> list[FigureRow]:
    """Every target of the report's campaign with its figure, met or not, and who corrected it."""
    figures = figures_of(session, report.id)
    correctors = {f.corrected_by for f in figures.values() if f.corrected_by}
    names = (
        dict(session.execute(select(User.id, User.full_name).where(User.id.in_(correctors))).all())
        if correctors
        else {}
    )
    rows = []
    for target in targets_of(session, report.campaign_id):
        figure = figures.get(target.id)
        met = is_met(target, figure.value, figure.baseline) if figure else None
        rows.append(
            FigureRow(
                target,
                figure,
                met,
                figure_complete(target, figure),
                rule_text(target),
                names.get(figure.corrected_by) if figure and figure.corrected_by else None,
            )
        )
    return rows


def met_label(met: bool | None) -> tuple[str, str]:
    """(badge class, words) for met / not met / no figure."""
    if met is None:
        return "badge", _("Chưa có số liệu")
    return ("badge tone-success", _("Đạt")) if met else ("badge tone-danger", _("Chưa đạt"))


def submission_state(dossier: Any) -> str | None:
    """ "on_time", "late", "missing" or "pending" for a plan or report; None for other kinds."""
    if getattr(dossier, "kind", None) not in ("plan", "report"):
        return None
    today = clock_today()
    return submission_status(dossier.campaign, dossier.kind, dossier, today)


def submission_label(state: str) -> str:
    return pick(*STATUS_LABELS[state])


def late_badge(dossier: Any) -> Markup:
    """The "Nộp muộn" badge of a plan or report sent after its due date (with late allowed);
    nothing for any other dossier. A function, not a macro: lists show one per row."""
    if submission_state(dossier) != "late":
        return Markup("")
    due = dossier.campaign.plan_due if dossier.kind == "plan" else dossier.campaign.report_due
    title = html_field(_("Gửi Sở sau hạn %(d)s", d=date_vn(due)))
    return Markup(
        f'<span class="late-badge badge-late" title="{title}">'
        f"{html_field(submission_label('late'))}</span>"
    )
