"""Holds (tạm dừng xét khen thưởng): the Office and administrators record and end them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from models import Unit
from models.text import vi_sort_key
from web.auth.user import current_actor
from web.awards import bp
from web.awards.forms import HoldForm
from web.awards.views import _put_errors, _today, commit_change
from web.db import get_session
from web.support.access import requires
from web.support.nominees import person_label
from web.support.refusals import Refusal
from workflow.awards import holds
from workflow.awards.nominees import people_to_choose
from workflow.core import authz


def _form(session) -> HoldForm:
    form = HoldForm()
    units = sorted(
        session.scalars(select(Unit).where(Unit.active.is_(True))),
        key=lambda u: vi_sort_key(u.name),
    )
    form.unit_id.choices = [("", _("— Không chọn —"))] + [(str(u.id), u.name) for u in units]
    form.person_id.choices = [("", _("— Không chọn (tạm dừng cả tập thể đơn vị) —"))] + [
        SelectChoice(str(p.id), person_label(p), None, p.unit.name)
        for p in people_to_choose(session)
    ]
    if not form.is_submitted():
        form.starts_on.data = _today().isoformat()
    return form


def _render(session, form: HoldForm, problems=None, status: int = 200):
    return render_template(
        "awards/holds.html",
        form=form,
        holds=holds.list_holds(session, _today()),
        today=_today(),
        problems=problems or [],
    ), status


@bp.route("/holds", methods=["GET", "POST"])
@requires(authz.may_manage_holds)
def hold_list():
    who, session = current_actor(), get_session()
    form = _form(session)
    if not form.validate_on_submit():
        return _render(session, form, status=400 if form.is_submitted() else 200)
    commit_change(
        session,
        lambda: holds.add_hold(session, who, form.data),
        lambda refusal: _render(session, form, _put_errors(form, refusal.error), refusal.status),
    )
    flash(_("Đã ghi nhận tạm dừng xét khen thưởng."), "success")
    return redirect(url_for("awards.hold_list"))


@bp.route("/holds/<int:hold_id>/end", methods=["POST"])
@requires(authz.may_manage_holds)
def end_hold(hold_id: int):
    who, session = current_actor(), get_session()

    def answer(refusal: Refusal):
        if refusal.error.code == "catalogue_not_found":
            abort(404)
        flash(refusal.messages[0], "warning")
        return redirect(url_for("awards.hold_list"))

    commit_change(session, lambda: holds.end_hold(session, who, hold_id, _today()), answer)
    flash(_("Đã kết thúc tạm dừng xét khen thưởng."), "success")
    return redirect(url_for("awards.hold_list"))
