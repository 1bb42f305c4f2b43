"""Probable duplicates and their merge: a unit sees the pairs among its people; the Office
sees every pair and merges, choosing which entry stays."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from web.db import get_session
from web.people import bp
from web.people.common import actor
from web.support.access import requires
from web.support.parsing import whole_number
from web.support.refusals import Refusal, commit_or_answer
from workflow.core import authz
from workflow.people import entries, merge
from workflow.people.history import person_history


@bp.route("/duplicates")
@requires(authz.may_use_register)
def duplicates():
    who, session = actor(), get_session()
    return render_template(
        "people/duplicates.html",
        pairs=merge.duplicate_pairs(session, who),
        can_merge=authz.may_merge_people(who),
    )


def _render(first_id: int, second_id: int, refusal: Refusal | None = None):
    who, session = actor(), get_session()
    if refusal is not None:
        session.expire_all()
    pair = [entries.load_person(session, i, who) for i in (first_id, second_id)]
    if any(p.merged_into_id for p in pair):
        abort(404)
    return render_template(
        "people/merge.html",
        pair=pair,
        histories=[person_history(session, p) for p in pair],
        survivor=whole_number(request.form.get("survivor")) or second_id,
        problems=refusal.messages if refusal else [],
    ), (refusal.status if refusal else 200)


@bp.route("/merge/<int:first_id>/<int:second_id>", methods=["GET", "POST"])
@requires(authz.may_merge_people, action=merge.MERGE)
def merge_pair(first_id: int, second_id: int):
    if request.method == "GET":
        return _render(first_id, second_id)
    who, session = actor(), get_session()
    survivor = whole_number(request.form.get("survivor"))
    if survivor not in (first_id, second_id):
        abort(400)  # the form always posts one of the two
    merged = first_id if survivor == second_id else second_id
    counts = commit_or_answer(
        session,
        lambda: merge.merge_people(session, who, merged, survivor),
        lambda refusal: _render(first_id, second_id, refusal),
    )
    flash(
        _(
            "Đã gộp hai người: chuyển %(n)d mục lịch sử sang người được giữ lại.",
            n=sum(counts.values()),
        ),
        "success",
    )
    return redirect(url_for("people.person", person_id=survivor))
