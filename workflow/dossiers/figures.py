"""A report's figures for its campaign's targets: filled in by the unit while the report is
editable, corrected by the Office (with a reason) once it was sent. Both are audited as
events of the dossier, so its history shows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Dossier, ReportFigure, Target
from models.clock import utcnow
from models.text import nfc
from workflow.campaigns.guards import targets_of
from workflow.campaigns.targets import EVIDENCE_MAX, PROBLEMS, number_text, parse_number
from workflow.core import audit
from workflow.core.actors import Actor, Role
from workflow.core.authz import may_correct_figures, refuse_unless
from workflow.core.engine import load_for_update
from workflow.core.errors import EditRefused, NotFound, Violation
from workflow.core.messages import Messages
from workflow.dossiers.content import check_editable, touch

FIGURE_MESSAGES = Messages(
    {
        "figure_invalid": ("Chỉ tiêu “{target}”: {problem}", "Target “{target}”: {problem}"),
        "not_a_report": (
            "Chỉ báo cáo kết quả mới có số liệu chỉ tiêu.",
            "Only results reports carry target figures.",
        ),
        "correction_not_allowed": (
            "Chỉ điều chỉnh số liệu của báo cáo đã gửi Sở.",
            "Only figures of a report sent to the Department can be corrected.",
        ),
    }
)


def problem(
    code: str, target: str, target_en: str | None = None, kind: str = "figure_invalid"
) -> Violation:
    """A violation naming the target and what is wrong with what was typed."""
    vi, en = PROBLEMS[code]
    return FIGURE_MESSAGES.violation(
        kind, {"target": target, "target_en": target_en or target, "problem": vi, "problem_en": en}
    )


def figures_of(session: Session, report_id: int) -> dict[int, ReportFigure]:
    """The report's figures by target id."""
    return {
        f.target_id: f
        for f in session.scalars(select(ReportFigure).where(ReportFigure.report_id == report_id))
    }


def _parse_row(target: Target, entry: Mapping[str, Any]) -> tuple[dict[str, Any], list[Violation]]:
    values, problems = {}, []
    for name in ("value", "baseline"):
        if name == "baseline" and (
            target.kind == "yes_no" or target.comparison != "above_baseline"
        ):
            values[name] = None
            continue
        number, code = parse_number(entry.get(name), target.kind)
        if code:
            problems.append(problem(code, target.title_vi, target.title_en))
        values[name] = number
    evidence = nfc(str(entry.get("evidence") or ""))
    if len(evidence) > EVIDENCE_MAX:
        problems.append(problem("evidence_long", target.title_vi, target.title_en))
    values["evidence"] = evidence
    return values, problems


def save_figures(
    session: Session,
    report_id: int,
    actor: Actor,
    figures: Mapping[int, Mapping[str, Any]],
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> audit.AppendedEvent | None:
    """The owning unit's figures ({target id: {value, baseline, evidence}}) while the report is
    draft or returned; audited as an edit of the dossier. None when nothing changed. Never
    commits."""
    now = now or utcnow()
    dossier, role = check_editable(session, report_id, actor, expected_version)
    if dossier.kind != "report":
        raise EditRefused([FIGURE_MESSAGES.violation("not_a_report")])
    targets, stored = targets_of(session, dossier.campaign_id), figures_of(session, report_id)
    parsed, problems = {}, []
    for target in targets:
        if target.id in figures:
            parsed[target.id], found = _parse_row(target, figures[target.id])
            problems += found
    if problems:
        raise EditRefused(problems)
    changes: dict[str, Any] = {}
    with session.no_autoflush:
        for target in targets:
            if target.id in parsed:
                changed = _apply(
                    session, dossier, target, stored.get(target.id), parsed[target.id], now
                )
                if changed:
                    changes[target.code] = changed
    if not changes:
        return None
    touch(dossier, now)
    event = audit.append(
        session,
        entity_type="dossier",
        entity_id=dossier.id,
        action="edit",
        actor_id=actor.user_id,
        actor_role=role.value,
        unit_id=dossier.unit_id,
        from_state=dossier.state,
        to_state=dossier.state,
        changes={"figures": changes},
        now=now,
    )
    session.flush()
    return event


def _apply(
    session: Session,
    dossier: Dossier,
    target: Target,
    figure: ReportFigure | None,
    values: dict[str, Any],
    now: dt.datetime,
) -> dict[str, list[Any]]:
    if figure is None:
        if values["value"] is None and values["baseline"] is None and not values["evidence"]:
            return {}
        figure = ReportFigure(report_id=dossier.id, target_id=target.id, evidence="")
        session.add(figure)
    changed = {}
    for name, new in values.items():
        old = getattr(figure, name)
        if old != new:
            changed[name] = (
                [number_text(old), number_text(new)] if name != "evidence" else [old, new]
            )
            setattr(figure, name, new)
    if changed:
        figure.updated_at = now
    return changed


def correct_figure(
    session: Session,
    figure_id: int,
    actor: Actor,
    value: Any,
    reason: str,
    *,
    baseline: Any = None,
    now: dt.datetime | None = None,
) -> audit.AppendedEvent | None:
    """:func:`correct_target_figure` of an existing figure."""
    figure = session.get(ReportFigure, figure_id)
    if figure is None:
        raise NotFound()
    return correct_target_figure(
        session,
        figure.report_id,
        figure.target_id,
        actor,
        value,
        reason,
        baseline=baseline,
        now=now,
    )


def correct_target_figure(
    session: Session,
    report_id: int,
    target_id: int,
    actor: Actor,
    value: Any,
    reason: str,
    *,
    baseline: Any = None,
    now: dt.datetime | None = None,
) -> audit.AppendedEvent | None:
    """The Office corrects the figure a report sent to the Department gives for a target, or
    enters it when there is none (a target added to the campaign after the report was sent),
    giving a reason; the dossier's history records the old and new values. ``baseline`` None
    keeps it. Never commits."""
    now = now or utcnow()
    refuse_unless(
        may_correct_figures(actor), ("Điều chỉnh số liệu chỉ tiêu", "Correct a target figure")
    )
    dossier = load_for_update(session, report_id, actor)
    target = session.get(Target, target_id)
    if dossier.kind != "report" or target is None or target.campaign_id != dossier.campaign_id:
        raise NotFound()
    if dossier.sent_at is None:
        raise EditRefused([FIGURE_MESSAGES.violation("correction_not_allowed")])
    figure = figures_of(session, dossier.id).get(target.id)
    reason = nfc(reason)
    problems = [] if reason else [Violation("reason_required")]
    kept_baseline = figure.baseline if figure is not None else None
    entry = {
        "value": value,
        "baseline": baseline if baseline not in (None, "") else kept_baseline,
        "evidence": figure.evidence if figure is not None else "",
    }
    values, found = _parse_row(target, entry)
    if values["value"] is None and not found:
        found.append(problem("value_needed", target.title_vi, target.title_en))
    if problems + found:
        raise EditRefused(problems + found)
    with session.no_autoflush:
        if figure is None:
            figure = ReportFigure(report_id=dossier.id, target_id=target.id, evidence="")
            session.add(figure)
        changed = _apply(session, dossier, target, figure, values, now)
    if not changed:
        return None
    figure.corrected_by, figure.correction_reason = actor.user_id, reason
    touch(dossier, now)
    event = audit.append(
        session,
        entity_type="dossier",
        entity_id=dossier.id,
        action="figure_correction",
        actor_id=actor.user_id,
        actor_role=Role.OFFICE_REVIEWER.value,
        unit_id=dossier.unit_id,
        from_state=dossier.state,
        to_state=dossier.state,
        reason=reason,
        changes={"figures": {target.code: changed}},
        now=now,
    )
    session.flush()
    return event
