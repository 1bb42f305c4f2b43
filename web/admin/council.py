"""The Council's members (Hội đồng Thi đua – Khen thưởng): the list in protocol order, the form
to add a term or change one's position and days, and ending a term (administrators only).

The edit form posts the stamp of the term it was drawn with: when another admin saved it first,
it comes back (409) with everything typed and the current stamp."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from models import CouncilMembership
from web.admin import bp
from web.admin.common import commit_admin, posted, problems_by_field, save_edit
from web.auth.user import current_actor
from web.db import get_session
from web.support.access import requires
from web.support.parsing import posted_version
from web.support.refusals import Refusal
from workflow.accounts import council_admin
from workflow.accounts.admin import stamp
from workflow.core import authz

FORM_FIELDS = ("user_id", "position", "starts_on", "ends_on", "version")


@bp.route("/council")
@requires(authz.may_manage_council_members, action=council_admin.ACTION)
def council_members():
    terms = council_admin.memberships(get_session())
    return render_template(
        "admin/council_members.html",
        terms=terms,
        status={t.id: council_admin.term_status(t) for t in terms},
        positions=council_admin.POSITION_LABELS,
    )


def _values_of(term: CouncilMembership | None) -> dict[str, Any]:
    if term is None:
        return {"position": "member"}
    values = council_admin.snapshot(term)
    values["version"] = stamp(values)
    return {k: "" if v is None else v for k, v in values.items()}


def _render_form(term: CouncilMembership | None, values: dict, refusal: Refusal | None = None):
    errors, problems = problems_by_field(refusal)
    return render_template(
        "admin/council_member_form.html",
        term=term,
        values=values,
        errors=errors,
        problems=problems,
        stale=refusal is not None and refusal.stale,
        accounts=council_admin.candidates(get_session()) if term is None else [],
        positions=council_admin.POSITION_LABELS,
    ), (refusal.status if refusal else 200)


def _load(term_id: int) -> CouncilMembership:
    term = council_admin.get_membership(get_session(), term_id)
    if term is None:
        abort(404)
    return term


@bp.route("/council/new", methods=["GET", "POST"])
@requires(authz.may_manage_council_members, action=council_admin.ACTION)
def new_council_member():
    if request.method == "GET":
        return _render_form(None, _values_of(None))
    session, values = get_session(), posted(FORM_FIELDS)
    term = commit_admin(
        session,
        lambda: council_admin.add_member(session, current_actor(), values),
        lambda refusal: _render_form(None, values, refusal),
    )
    flash(_("Đã thêm “%(name)s” vào Hội đồng.", name=term.user.full_name), "success")
    return redirect(url_for("admin.council_members"))


@bp.route("/council/<int:term_id>", methods=["GET", "POST"])
@requires(authz.may_manage_council_members, action=council_admin.ACTION)
def edit_council_member(term_id: int):
    term = _load(term_id)
    if request.method == "GET":
        return _render_form(term, _values_of(term))
    session, values = get_session(), posted(FORM_FIELDS)
    return save_edit(
        values,
        lambda drawn: council_admin.update_member(
            session, current_actor(), term_id, values, expected_stamp=drawn
        ),
        lambda values, refusal: _render_form(_load(term_id), values, refusal),
        url_for("admin.council_members"),
    )


@bp.route("/council/<int:term_id>/end", methods=["POST"])
@requires(authz.may_manage_council_members, action=council_admin.ACTION)
def end_council_term(term_id: int):
    _load(term_id)
    session, last_day = get_session(), request.form.get("last_day", "")

    def answer(refusal: Refusal):
        values = _values_of(_load(term_id))
        values["last_day"] = last_day
        return _render_form(_load(term_id), values, refusal)

    changed = commit_admin(
        session,
        lambda: council_admin.end_term(
            session, current_actor(), term_id, last_day, expected_stamp=posted_version()
        ),
        answer,
    )
    flash(_("Đã kết thúc nhiệm kỳ.") if changed else _("Không có thay đổi nào."), "success")
    return redirect(url_for("admin.council_members"))
