"""The forms of the person's page: the annual rating, discipline, an initiative. A refused form
comes back on the person's page with its messages and everything typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from web.db import get_session
from web.people import bp
from web.people.common import actor, typed
from web.people.views import render_person
from web.support.access import requires
from web.support.refusals import Refusal, commit_or_answer
from workflow.core import authz
from workflow.people import entries, records


def _record(person_id: int, change: Callable[..., Any], names: tuple[str, ...], done: str):
    who, session = actor(), get_session()
    values = typed(*names)

    def answer(refusal: Refusal):
        session.expire_all()
        found = entries.load_person(session, person_id, who)
        return render_person(session, found, who, refusal.messages, refusal.status)

    commit_or_answer(session, lambda: change(session, person_id, who, values), answer)
    flash(done, "success")
    return redirect(url_for("people.person", person_id=person_id))


@bp.route("/people/<int:person_id>/ratings", methods=["POST"])
@requires(authz.may_keep_register)
def rate(person_id: int):
    return _record(person_id, records.rate, ("year", "rating"), _("Đã ghi xếp loại."))


@bp.route("/people/<int:person_id>/discipline", methods=["POST"])
@requires(authz.may_keep_register)
def discipline(person_id: int):
    names = ("form", "decision_number", "decided_on", "starts_on", "ends_on", "reason")
    return _record(person_id, records.discipline, names, _("Đã ghi hình thức kỷ luật."))


@bp.route("/people/<int:person_id>/initiatives", methods=["POST"])
@requires(authz.may_keep_register)
def initiative(person_id: int):
    names = ("year", "title", "kind", "level", "decision_number", "decision_date", "issuer_id")
    return _record(person_id, records.add_initiative, names, _("Đã ghi sáng kiến, đề tài."))
