"""The public's page of a person or a collective: the name, the unit and the published awards,
nothing else. An entry with no published award has no public page (404), so the register
cannot be browsed by id."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for

from models import Collective, Person
from web.db import get_session
from web.people import bp
from web.support.access import public
from workflow.people.history import History, collective_history, person_history


def _shown(history: History) -> History:
    if not history.awards:
        abort(404)
    return history


@bp.route("/public/people/<int:person_id>")
@public
def public_person(person_id: int):
    session = get_session()
    found = session.get(Person, person_id)
    if found is None:
        abort(404)
    if found.merged_into_id is not None:
        return redirect(url_for("people.public_person", person_id=found.merged_into_id))
    history = _shown(person_history(session, found, public=True))
    return render_template(
        "people/public.html", name=found.full_name, unit=found.unit, history=history
    )


@bp.route("/public/collectives/<int:collective_id>")
@public
def public_collective(collective_id: int):
    session = get_session()
    found = session.get(Collective, collective_id)
    if found is None:
        abort(404)
    history = _shown(collective_history(session, found, public=True))
    return render_template("people/public.html", name=found.name, unit=found.unit, history=history)
