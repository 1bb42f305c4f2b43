"""Units: the list (search, kind, status, sort, pages), the form to create or edit one,
deactivating and reactivating, and the CSV import.

The edit form posts the stamp of the unit it was drawn with: when another admin saved the unit
first, it comes back (409) with everything typed and the current stamp."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from models import Unit
from web.admin import bp
from web.admin.common import (
    PER_PAGE,
    commit_admin,
    list_args,
    posted,
    problems_by_field,
    save_active,
    save_edit,
    uploaded_csv,
)
from web.auth.user import current_actor
from web.db import get_session
from web.support.access import requires
from web.support.listing import paginate, sort_order
from web.support.refusals import Refusal
from workflow.accounts import admin_imports, unit_admin
from workflow.accounts.admin import ADMIN_ACTION, stamp
from workflow.core import authz

FORM_FIELDS = ("code", "name", "kind", "locality", "parent_id", "email", "phone", "version")


@bp.route("/units")
@requires(authz.may_administer, action=ADMIN_ACTION)
def units():
    return _render_list()


def _render_list(import_errors: list[str] | None = None, status: int = 200):
    session, args = get_session(), list_args()
    sort, order = sort_order(unit_admin.SORTS, "code")
    stmt = unit_admin.units_query(args["q"], args["kind"], args["status"]).order_by(*order)
    return render_template(
        "admin/units.html",
        page=paginate(session, stmt, PER_PAGE),
        args=args,
        sort=sort,
        kinds=unit_admin.KIND_LABELS,
        import_errors=import_errors or [],
    ), status


def _values_of(unit: Unit | None) -> dict[str, Any]:
    if unit is None:
        return {"kind": "primary"}
    values = unit_admin.snapshot(unit)
    values["version"] = stamp(values)
    return {k: "" if v is None else v for k, v in values.items()}


def _render_form(unit: Unit | None, values: dict, refusal: Refusal | None = None):
    errors, problems = problems_by_field(refusal)
    parents = [u for u in unit_admin.unit_choices(get_session()) if unit is None or u.id != unit.id]
    return render_template(
        "admin/unit_form.html",
        unit=unit,
        values=values,
        errors=errors,
        problems=problems,
        stale=refusal is not None and refusal.stale,
        parents=parents,
        kinds=unit_admin.KIND_LABELS,
    ), (refusal.status if refusal else 200)


def _load(unit_id: int) -> Unit:
    unit = unit_admin.get_unit(get_session(), unit_id)
    if unit is None:
        abort(404)
    return unit


@bp.route("/units/new", methods=["GET", "POST"])
@requires(authz.may_administer, action=ADMIN_ACTION)
def new_unit():
    if request.method == "GET":
        return _render_form(None, _values_of(None))
    session, values = get_session(), posted(FORM_FIELDS)
    unit = commit_admin(
        session,
        lambda: unit_admin.create_unit(session, current_actor(), values),
        lambda refusal: _render_form(None, values, refusal),
    )
    flash(_("Đã thêm đơn vị “%(name)s”.", name=unit.name), "success")
    return redirect(url_for("admin.units", q=unit.code))


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@requires(authz.may_administer, action=ADMIN_ACTION)
def edit_unit(unit_id: int):
    unit = _load(unit_id)
    if request.method == "GET":
        return _render_form(unit, _values_of(unit))
    session, values = get_session(), posted(FORM_FIELDS)
    return save_edit(
        values,
        lambda drawn: unit_admin.update_unit(
            session, current_actor(), unit_id, values, expected_stamp=drawn
        ),
        lambda values, refusal: _render_form(_load(unit_id), values, refusal),
        url_for("admin.edit_unit", unit_id=unit_id),
    )


@bp.route("/units/<int:unit_id>/active", methods=["POST"])
@requires(authz.may_administer, action=ADMIN_ACTION)
def unit_active(unit_id: int):
    unit, session = _load(unit_id), get_session()
    return save_active(
        lambda active, drawn: unit_admin.set_unit_active(
            session, current_actor(), unit.id, active, expected_stamp=drawn
        ),
        lambda refusal: _render_form(_load(unit_id), _values_of(_load(unit_id)), refusal),
        (_("Đã kích hoạt lại đơn vị."), _("Đã ngừng kích hoạt đơn vị.")),
        url_for("admin.edit_unit", unit_id=unit_id),
    )


@bp.route("/units/import", methods=["POST"])
@requires(authz.may_administer, action=ADMIN_ACTION)
def import_units():
    text, unreadable = uploaded_csv()
    if text is None:
        return _render_list([unreadable], 400)
    session = get_session()
    result = admin_imports.import_units(session, current_actor(), text)
    if result.errors:
        session.rollback()
        return _render_list(result.errors, 400)
    session.commit()
    flash(
        _("Đã nhập: %(c)d đơn vị mới, %(u)d đơn vị cập nhật.", c=result.created, u=result.updated),
        "success",
    )
    return redirect(url_for("admin.units"))
