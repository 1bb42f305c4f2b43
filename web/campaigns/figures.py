"""The report-figures page: the unit fills each target's figure and evidence while the report
is draft or returned; the Office corrects a figure with a reason once it was sent.

Also registers the template helpers other pages use: the figures table of a report and the
"Nộp muộn" badge of a plan or report.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from models import Dossier
from web.auth.user import current_actor
from web.campaigns import bp
from web.campaigns.presenters import (
    figure_rows,
    late_badge,
    met_label,
    number_input,
    submission_label,
    submission_state,
)
from web.db import get_session
from web.dossiers.common import actor, detail_url, load_visible
from web.support.access import requires
from web.support.parsing import posted_version, whole_number
from web.support.refusals import Refusal, commit_or_answer
from workflow.campaigns import service as svc
from workflow.core import authz
from workflow.core.actors import Actor
from workflow.core.registry import WORKFLOWS
from workflow.dossiers import figures as report_figures

bp.add_app_template_global(submission_state)
bp.add_app_template_global(submission_label)
bp.add_app_template_global(met_label)
bp.add_app_template_global(late_badge, "late_badge_html")


@bp.app_template_global()
def report_figure_rows(dossier: Dossier) -> list:
    """The figures table of a report (for the dossier page)."""
    return figure_rows(get_session(), dossier)


@bp.app_template_global()
def can_correct_figures(dossier: Dossier) -> bool:
    """The signed-in person may correct this report's figures (the Office, once it was sent)."""
    who = current_actor()
    return authz.may_correct_figures(who) and dossier.sent_at is not None


@bp.app_template_global()
def figures_url(dossier: Dossier) -> str:
    return url_for("campaigns.figures", dossier_id=dossier.id)


def _typed_from(rows: list) -> dict[int, dict[str, str]]:
    """What the inputs show before anything is typed: the stored figures."""
    typed = {}
    for row in rows:
        figure = row.figure
        value = (
            ""
            if figure is None or figure.value is None
            else (
                ("1" if figure.value >= 1 else "0")
                if row.target.kind == "yes_no"
                else number_input(figure.value)
            )
        )
        typed[row.target.id] = {
            "value": value,
            "baseline": number_input(figure.baseline) if figure else "",
            "evidence": figure.evidence if figure else "",
        }
    return typed


def _render(
    session: Session,
    report: Dossier,
    who: Actor,
    typed: dict | None = None,
    correction: dict | None = None,
    problems: list[str] | None = None,
    status: int = 200,
):
    rows = figure_rows(session, report)
    state = WORKFLOWS["report"].state(report.state)
    return render_template(
        "campaigns/figures.html",
        report=report,
        rows=rows,
        typed=typed or _typed_from(rows),
        correction=correction or {},
        problems=problems or [],
        state=state,
        can_fill=state.editable and authz.may_edit_dossier(who, report),
        can_correct=can_correct_figures(report),
    ), status


def _report(session: Session, dossier_id: int, who: Actor) -> Dossier:
    report = load_visible(session, dossier_id, who)
    if report.kind != "report":
        abort(404)
    return report


@bp.route("/reports/<int:dossier_id>/figures", methods=["GET", "POST"])
@requires(authz.is_signed_in)
def figures(dossier_id: int):
    session, who = get_session(), actor()
    report = _report(session, dossier_id, who)
    if request.method == "GET":
        return _render(session, report, who)
    if request.form.get("action") == "correct":
        return _correct(session, report, who)
    return _save(session, report, who)


def _posted_figures(session: Session, report: Dossier) -> dict[int, dict[str, Any]]:
    form = request.form
    return {
        t.id: {
            "value": form.get(f"value-{t.id}", ""),
            "baseline": form.get(f"baseline-{t.id}", ""),
            "evidence": form.get(f"evidence-{t.id}", ""),
        }
        for t in svc.targets_of(session, report.campaign_id)
        if f"value-{t.id}" in form
    }


def _save(session: Session, report: Dossier, who: Actor):
    typed = _posted_figures(session, report)

    def answer(refusal: Refusal):
        if refusal.stale:
            note = _(
                "Số liệu bạn vừa nhập vẫn được giữ bên dưới; "
                "kiểm tra lại rồi bấm “Lưu số liệu” lần nữa."
            )
            fresh = _report(session, report.id, who)
            problems = refusal.messages + [note]
            return _render(session, fresh, who, typed, problems=problems, status=refusal.status)
        if refusal.error.code == "not_editable":
            flash(refusal.messages[0], "warning")
            return redirect(detail_url(report.id))
        return _render(
            session, report, who, typed, problems=refusal.messages, status=refusal.status
        )

    event = commit_or_answer(
        session,
        lambda: report_figures.save_figures(session, report.id, who, typed, posted_version()),
        answer,
    )
    flash(
        _("Đã lưu số liệu chỉ tiêu.") if event else _("Không có thay đổi nào để lưu."),
        "success" if event else "info",
    )
    return redirect(detail_url(report.id))


def _correct(session: Session, report: Dossier, who: Actor):
    form = request.form
    target_id = whole_number(form.get("target_id"))
    if target_id is None:
        abort(404)
    typed = {
        "target_id": target_id,
        "value": form.get("value", ""),
        "baseline": form.get("baseline", ""),
        "reason": form.get("reason", ""),
    }
    event = commit_or_answer(
        session,
        lambda: report_figures.correct_target_figure(
            session,
            report.id,
            target_id,
            who,
            typed["value"],
            typed["reason"],
            baseline=typed["baseline"] or None,
        ),
        lambda refusal: _render(
            session,
            report,
            who,
            correction=typed,
            problems=refusal.messages,
            status=refusal.status,
        ),
    )
    flash(
        _("Đã điều chỉnh số liệu; lý do được ghi vào lịch sử hồ sơ.")
        if event
        else _("Số liệu không thay đổi."),
        "success" if event else "info",
    )
    return redirect(detail_url(report.id))
