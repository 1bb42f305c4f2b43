"""The base salary (lương cơ sở) that award money is a multiple of: administrators see every
amount with its dates and add a new one (the service refuses anyone else, and audits)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from web.auth.user import current_actor
from web.awards import bp
from web.awards.forms import BaseSalaryForm
from web.awards.views import _put_errors, commit_change
from web.db import get_session
from web.support.access import requires
from web.support.i18n import amount_vn, date_vn
from workflow.core import authz
from workflow.publication import money


def _render(session, form: BaseSalaryForm, problems=None, status: int = 200):
    return render_template(
        "awards/base_salary.html",
        form=form,
        salaries=money.base_salaries(session),
        problems=problems or [],
    ), status


@bp.route("/base-salary", methods=["GET", "POST"])
@requires(authz.may_manage_base_salary, action=money.MANAGE_ACTION)
def base_salary():
    who, session = current_actor(), get_session()
    form = BaseSalaryForm()
    if not form.validate_on_submit():
        return _render(session, form, status=400 if form.is_submitted() else 200)
    added = commit_change(
        session,
        lambda: money.add_base_salary(session, who, form.data),
        lambda refusal: _render(session, form, _put_errors(form, refusal.error), refusal.status),
    )
    flash(
        _(
            "Đã thêm mức lương cơ sở %(amount)s đồng áp dụng từ ngày %(day)s.",
            amount=amount_vn(added.amount),
            day=date_vn(added.valid_from),
        ),
        "success",
    )
    return redirect(url_for("awards.base_salary"))
