"""Decisions (Quyết định khen thưởng): list, draft from approved dossiers, DOCX/PDF, issue.
And a unit's proposal letter (Tờ trình) as DOCX.

Issuing publishes every dossier of the decision together or none; when the engine refuses
one, the secretary sees each refusal with the dossier it concerns.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from models import Campaign, Unit
from models.clock import today
from models.decisions import DECISION_DRAFT
from web.auth.user import current_actor
from web.council import bp
from web.db import get_session
from web.errors import render_error
from web.jobs import submit, tasks
from web.support import checkpoints as checkpoint_signing
from web.support.access import requires
from web.support.downloads import XLSX_CONTENT_TYPE, send_download
from web.support.i18n import lang
from web.support.listing import Page, page_number
from web.support.parsing import whole_number, whole_numbers
from web.support.refusals import Refusal, commit_or_answer, flash_and_redirect
from workflow.core import authz
from workflow.core.dates import parse_day
from workflow.core.errors import EditRefused
from workflow.documents import docx as documents
from workflow.publication import certificates, decision_exports, decisions, revocation

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PER_PAGE = 100


def _today() -> dt.date:
    return today()


def _date(value: str | None) -> dt.date | None:
    return parse_day(value)


def _file_name(number: str, suffix: str) -> str:
    """ "QD-05-QĐ-SGDĐT.docx": the number without its slash."""
    return re.sub(r"[^\w.-]+", "-", number).strip("-") + suffix


@bp.route("/decisions/")
@requires(authz.may_view_council)
def decision_list():
    actor = current_actor()
    return render_template(
        "council/decisions.html",
        decisions=decisions.list_decisions(get_session()),
        can_manage=authz.may_run_council(actor),
    )


@bp.route("/decisions/new", methods=["GET", "POST"])
@requires(authz.may_run_council)
def decision_new():
    actor = current_actor()
    session = get_session()
    candidates = decisions.candidates(session, actor)
    form = request.form
    chosen = (
        whole_numbers(form.getlist("dossier"))
        if request.method == "POST"
        else {d.id for d in candidates}
    )
    typed = {
        "number": form.get("number", ""),
        "decided_on": form.get("decided_on", _today().isoformat()),
        "signer": form.get("signer", ""),
        "signer_deputy": bool(form.get("signer_deputy")),
        "title": form.get("title", decisions.default_title(candidates, _today().year)),
        "legal_bases": form.get("legal_bases", "\n".join(decisions.DEFAULT_BASES)),
    }

    def page() -> str:
        return render_template(
            "council/decision_new.html", candidates=candidates, chosen=chosen, typed=typed
        )

    if request.method != "POST":
        return page()

    def answer(refusal: Refusal):
        refusal.flash()
        return page(), refusal.status

    made = commit_or_answer(
        session,
        lambda: decisions.create(
            session,
            actor,
            number=typed["number"],
            decided_on=_date(typed["decided_on"]),
            signer=typed["signer"],
            signer_deputy=typed["signer_deputy"],
            title=typed["title"],
            legal_bases=typed["legal_bases"],
            dossier_ids=chosen,
        ),
        answer,
        rule_status=409,
    )
    flash(_("Đã lập dự thảo quyết định số %(n)s.", n=made.number), "success")
    return redirect(url_for("council.decision_detail", id=made.id))


@bp.route("/decisions/<int:id>")
@requires(authz.may_view_council)
def decision_detail(id: int):
    actor = current_actor()
    session = get_session()
    decision = decisions.get(session, id, actor)
    dossiers = decisions.dossiers_of(session, decision)
    annex = decisions.decision_annex(session, decision, dossiers)
    lines = annex.lines
    page = _page(lines, page_number())
    return render_template(
        "council/decision.html",
        decision=decision,
        annex=annex,
        page=page,
        dossiers={d.id: d for d in dossiers},
        can_manage=authz.may_run_council(actor),
        is_draft=decision.status == DECISION_DRAFT,
        pdf=documents.pdf_converter() is not None,
        can_print=authz.may_print_certificates(actor) and decision.status != DECISION_DRAFT,
        printable={d.award_type_id for d in dossiers if certificates.prints(d.award_type)},
        revoked=revocation.revocations_of(session, (d.id for d in dossiers)),
    )


def _page(lines: list, number: int) -> Page:
    """One page of the decision's rows (the totals are the whole decision's)."""
    last = max(1, -(-len(lines) // PER_PAGE))
    number = min(number, last)
    start = (number - 1) * PER_PAGE
    return Page(lines[start : start + PER_PAGE], len(lines), number, PER_PAGE)


@bp.route("/decisions/<int:id>/docx")
@requires(authz.may_view_council)
def decision_docx(id: int):
    actor = current_actor()
    session = get_session()
    decision = decisions.get(session, id, actor)
    return send_download(
        decisions.decision_docx(session, decision), _file_name(decision.number, ".docx"), DOCX
    )


@bp.route("/decisions/<int:id>/money.<fmt>")
@requires(authz.may_view_council)
def decision_money(id: int, fmt: str):
    """The rows with their award money, for the finance office."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    actor = current_actor()
    session = get_session()
    decision = decisions.get(session, id, actor)
    annex = decisions.decision_annex(session, decision)
    name = _file_name(decision.number, f"-tien-thuong.{fmt}")
    if fmt == "csv":
        return send_download(decision_exports.decision_csv(annex), name, "text/csv")
    return send_download(decision_exports.decision_xlsx(decision, annex), name, XLSX_CONTENT_TYPE)


@bp.route("/decisions/<int:id>/pdf")
@requires(authz.may_view_council)
def decision_pdf(id: int):
    actor = current_actor()
    session = get_session()
    decision = decisions.get(session, id, actor)
    pdf = documents.to_pdf(decisions.decision_docx(session, decision))
    if pdf is None:
        return render_error(
            409,
            [_("Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF; vui lòng tải bản DOCX.")],
        )
    return send_download(pdf, _file_name(decision.number, ".pdf"), "application/pdf")


@bp.route("/decisions/<int:id>/issue", methods=["POST"])
@requires(authz.may_run_council)
def decision_issue(id: int):
    actor = current_actor()
    session = get_session()
    back = url_for("council.decision_detail", id=id)
    events = commit_or_answer(
        session,
        lambda: decisions.issue(session, id, actor),
        flash_and_redirect(back, lead=_("Chưa công bố hồ sơ nào vì:")),
    )
    flash(_("Đã ban hành quyết định và công bố %(n)d hồ sơ.", n=len(events)), "success")
    # The public PDF made ahead of its first download, by the worker; without a queue it is
    # made on that first download, as before.
    if documents.pdf_converter() is not None:
        submit("pdf", tasks.decision_pdf, id, user_id=actor.user_id, inline=False)
    _sign_checkpoint(session)
    return redirect(back)


def _sign_checkpoint(session) -> None:
    """A signed checkpoint right after the decision, so its publication is covered at once.
    The decision is committed already: a checkpoint that cannot be signed now is logged for
    the operator, never shown as a failure of the decision (the daily run signs it)."""
    try:
        signed = checkpoint_signing.sign_if_keyed(session)
    except Exception:
        session.rollback()
        current_app.logger.exception("no checkpoint signed after issuing a decision")
        return
    if signed is not None and signed.verdict is not None:
        current_app.logger.error("checkpoint refused: %s", signed.verdict.message("en"))


@bp.route("/decisions/<int:id>/discard", methods=["POST"])
@requires(authz.may_run_council)
def decision_discard(id: int):
    actor = current_actor()
    session = get_session()
    decisions.discard(session, id, actor)
    session.commit()
    flash(_("Đã hủy dự thảo quyết định."), "success")
    return redirect(url_for("council.decision_list"))


# --- the unit's proposal letter ----------------------------------------------------------


def _unit_choices(session, actor) -> list[Unit]:
    ids = actor.unit_ids(authz.UNIT)
    return list(session.scalars(select(Unit).where(Unit.id.in_(sorted(ids))).order_by(Unit.name)))


@bp.route("/proposal", methods=["GET", "POST"])
@requires(
    authz.may_write_proposal, refusal=_l("Tờ trình do cán bộ thi đua hoặc thủ trưởng đơn vị lập.")
)
def proposal():
    actor = current_actor()
    session = get_session()
    units = _unit_choices(session, actor)
    campaigns = list(
        session.scalars(select(Campaign).order_by(Campaign.year.desc(), Campaign.name))
    )
    form = request.form if request.method == "POST" else request.args
    typed = {
        "unit": form.get("unit", str(units[0].id)),
        "campaign": form.get("campaign", ""),
        "number": form.get("number", ""),
        "day": form.get("day", _today().isoformat()),
        "signer": form.get("signer", actor.name if authz.signs_for(actor, units[0].id) else ""),
    }
    if request.method == "POST":
        unit_id, campaign_id = typed["unit"], typed["campaign"]
        if whole_number(unit_id) in {u.id for u in units} and whole_number(campaign_id) is not None:
            try:  # nothing to commit: the letter is made, not stored
                data = decisions.proposal_docx(
                    session,
                    actor,
                    unit_id=int(unit_id),
                    campaign_id=int(campaign_id),
                    number=typed["number"],
                    day=_date(typed["day"]),
                    signer=typed["signer"],
                )
            except EditRefused as refused:
                for message in refused.messages(lang()):
                    flash(message, "error")
            else:
                return send_download(data, _file_name(typed["number"], ".docx"), DOCX)
        else:
            flash(_("Vui lòng chọn đơn vị và phong trào."), "error")
        return render_template(
            "council/proposal.html", units=units, campaigns=campaigns, typed=typed
        ), 409
    return render_template("council/proposal.html", units=units, campaigns=campaigns, typed=typed)
