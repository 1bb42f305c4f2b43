"""A unit's collectives: the unit itself and its groups (listed, added, renamed, deactivated),
and a collective's page with its members and award history."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from web.db import get_session
from web.people import bp
from web.people.common import actor, keepable_units, typed
from web.support.access import requires
from web.support.parsing import whole_number
from web.support.refusals import Refusal, commit_or_answer
from workflow.core import authz
from workflow.core.actors import Actor
from workflow.core.errors import NotFound
from workflow.people import groups
from workflow.people.groups import GROUP_KINDS
from workflow.people.history import collective_history


def _render(session: Session, who: Actor, unit_id: int, refusal: Refusal | None = None):
    if not authz.may_see_register_of(who, unit_id):
        raise NotFound()
    return render_template(
        "people/groups.html",
        unit_id=unit_id,
        units=keepable_units(session, who),
        rows=groups.collectives_of(session, unit_id),
        kinds=GROUP_KINDS,
        can_keep=authz.may_keep_register(who, unit_id),
        values=request.form if refusal else {},
        problems=refusal.messages if refusal else [],
    ), (refusal.status if refusal else 200)


def _unit_id(session: Session, who: Actor) -> int:
    source = request.form if request.method == "POST" else request.args
    units = keepable_units(session, who)
    return whole_number(source.get("unit_id")) or (units[0].id if units else 0)


@bp.route("/groups", methods=["GET", "POST"])
@requires(authz.may_use_register)
def groups_page():
    who, session = actor(), get_session()
    unit_id = _unit_id(session, who)
    if request.method == "GET":
        return _render(session, who, unit_id)
    values = typed("name", "kind")
    group = commit_or_answer(
        session,
        lambda: groups.add_group(session, who, unit_id, values),
        lambda refusal: _render(session, who, unit_id, refusal),
    )
    flash(_("Đã thêm “%(name)s”.", name=group.name), "success")
    return redirect(url_for("people.groups_page", unit_id=unit_id))


@bp.route("/groups/<int:collective_id>", methods=["POST"])
@requires(authz.may_keep_register)
def change_group(collective_id: int):
    who, session = actor(), get_session()
    group = groups.load_collective(session, collective_id, who)
    unit_id = group.unit_id
    values = typed("name", "kind", "active")
    group = commit_or_answer(
        session,
        lambda: groups.change_group(session, collective_id, who, values),
        lambda refusal: _render(session, who, unit_id, refusal),
    )
    flash(_("Đã lưu “%(name)s”.", name=group.name), "success")
    return redirect(url_for("people.groups_page", unit_id=unit_id))


@bp.route("/collectives/<int:collective_id>")
@requires(authz.may_use_register)
def collective(collective_id: int):
    who, session = actor(), get_session()
    found = groups.load_collective(session, collective_id, who)
    return render_template(
        "people/collective.html",
        collective=found,
        members=groups.members_of(session, found),
        history=collective_history(session, found),
    )
