"""The register's pages: the list of people (filters, sorting, exports), adding and editing a
person, the person's page with their history, and a transfer.

Every permission and rule is ``workflow.people``'s; a refusal changes nothing. The edit form
posts the version it was drawn with: when someone else saved first, it comes back (409) with
everything typed and says who changed what.
"""

from __future__ import annotations

import math
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from models import Collective, Dossier, Issuer, Person, Unit
from models.people import GENDERS
from models.text import vi_sort_key
from web.db import get_session
from web.people import bp
from web.people.common import actor, keepable_units, typed
from web.people.exports import send_people
from web.support.access import requires
from web.support.listing import Page, page_number
from web.support.parsing import posted_version, whole_number
from web.support.refusals import Refusal, commit_or_answer
from workflow.core import authz
from workflow.core.actors import Actor
from workflow.people import entries
from workflow.people.history import History, person_history

SORTS = ("name", "-name", "added", "-added")
PERSON_FORM = (*entries.FIELDS, "version", "confirmed")


def _filters(who: Actor) -> tuple[dict[str, Any], list[ColumnElement[bool]]]:
    """The list's filters from the query string, and the WHERE clauses they make."""
    args = request.args
    shown = {
        "q": args.get("q", "").strip()[:100],
        "unit": whole_number(args.get("unit")),
        "group": whole_number(args.get("group")),
        "gender": args.get("gender", "") if args.get("gender") in GENDERS else "",
        "sort": args.get("sort", "name") if args.get("sort") in SORTS else "name",
    }
    where = [entries.visible_people(who), entries.search(shown["q"])]
    if shown["unit"]:
        where.append(Person.unit_id == shown["unit"])
    if shown["group"]:
        where.append(Person.collective_id == shown["group"])
    if shown["gender"]:
        where.append(Person.gender == shown["gender"])
    return shown, where


def _page(session: Session, ids: list[int]) -> Page:
    per_page = current_app.config.get("PAGE_SIZE", 20)
    number = min(page_number(), max(1, math.ceil(len(ids) / per_page)))
    chosen = ids[(number - 1) * per_page : number * per_page]
    loaded = session.scalars(
        select(Person)
        .where(Person.id.in_(chosen))
        .options(selectinload(Person.unit), selectinload(Person.collective))
    ).all()
    by_id = {p.id: p for p in loaded}
    return Page([by_id[i] for i in chosen], len(ids), number, per_page)


def _groups(who: Actor, session: Session, unit_id: int | None) -> list[Collective]:
    """The groups the list may filter by: the chosen unit's, or the person's own units' (the
    Office chooses a unit first: every unit has a "Tổ Toán")."""
    if unit_id is None:
        units = [] if authz.may_see_every_register(who) else sorted(who.unit_ids(authz.UNIT))
    else:
        units = [unit_id] if authz.may_see_register_of(who, unit_id) else []
    return [group for unit in units for group in entries.groups_of(session, unit)]


@bp.route("/")
@requires(authz.may_use_register)
def index():
    who, session = actor(), get_session()
    shown, where = _filters(who)
    page = _page(session, entries.ordered_ids(session, where, shown["sort"]))
    return render_template(
        "people/list.html",
        page=page,
        shown=shown,
        units=keepable_units(session, who),
        groups=_groups(who, session, shown["unit"]),
        office=authz.may_see_every_register(who),
        can_keep=authz.may_keep_register(who),
    )


def _export(fmt: str):
    who, session = actor(), get_session()
    shown, where = _filters(who)
    return send_people(session, entries.ordered_ids(session, where, shown["sort"]), fmt)


@bp.route("/export.csv")
@requires(authz.may_use_register)
def export_csv():
    return _export("csv")


@bp.route("/export.xlsx")
@requires(authz.may_use_register)
def export_xlsx():
    return _export("xlsx")


def _render_form(
    session: Session,
    values: dict[str, Any],
    unit_id: int,
    person: Person | None = None,
    refusal: Refusal | None = None,
):
    duplicates = entries.duplicates_for(session, values, person.id if person else None)
    who = actor()
    return render_template(
        "people/form.html",
        values=values,
        person=person,
        unit_id=unit_id,
        units=keepable_units(session, who),
        groups=entries.groups_of(session, unit_id),
        accounts=entries.accounts_of(session, unit_id),
        duplicates=duplicates if refusal else [],
        visible_ids={p.id for p in duplicates if authz.may_see_register_of(who, p.unit_id)},
        problems=refusal.messages if refusal else [],
        stale=refusal is not None and refusal.stale,
    ), (refusal.status if refusal else 200)


@bp.route("/people/new", methods=["GET", "POST"])
@requires(authz.may_keep_register)
def create():
    who, session = actor(), get_session()
    units = keepable_units(session, who)
    first = units[0].id if units else 0
    if request.method == "GET":
        chosen = whole_number(request.args.get("unit_id"))
        unit_id = chosen if chosen in {u.id for u in units} else first
        return _render_form(session, {"gender": "female"}, unit_id)
    # A unit the person may not keep is refused by the workflow (403), never quietly changed.
    unit_id = whole_number(request.form.get("unit_id")) or first
    values = typed(*PERSON_FORM, "unit_id")
    person = commit_or_answer(
        session,
        lambda: entries.create_person(
            session, who, unit_id, values, confirmed=values["confirmed"] == "1"
        ),
        lambda refusal: _render_form(session, values, unit_id, refusal=refusal),
    )
    flash(_("Đã thêm “%(name)s” vào sổ của đơn vị.", name=person.full_name), "success")
    return redirect(url_for("people.person", person_id=person.id))


def _survivor(person: Person):
    """A merged entry's address leads to the entry it was merged into."""
    if person.merged_into_id is not None:
        return redirect(url_for(request.endpoint, person_id=person.merged_into_id))
    return None


@bp.route("/people/<int:person_id>")
@requires(authz.may_use_register)
def person(person_id: int):
    who, session = actor(), get_session()
    found = entries.load_person(session, person_id, who)
    return _survivor(found) or render_person(session, found, who)


def render_person(
    session: Session, found: Person, who: Actor, problems: list[str] | None = None, status=200
):
    """The person's page; after a refused form on it, with the messages and what was typed."""
    history = person_history(session, found)
    dossier_ids = {a.dossier_id for a in history.awards if a.dossier_id}
    dossiers = session.scalars(select(Dossier).where(Dossier.id.in_(dossier_ids))).all()
    return render_template(
        "people/person.html",
        person=found,
        history=history,
        years=_years(history),
        linked={d.id for d in dossiers if authz.can_view(who, d)},
        show_private=authz.may_see_register_of(who, found.unit_id),
        can_keep=authz.may_keep_register(who, found.unit_id),
        all_units=_transfer_units(session),
        issuers=session.scalars(select(Issuer).order_by(Issuer.name_key)).all(),
        merged_from=session.scalars(select(Person).where(Person.merged_into_id == found.id)).all(),
        problems=problems or [],
        values=request.form if request.method == "POST" else {},
    ), status


def _years(history: History) -> list[int]:
    """Every year something happened to the person (a measure counts in each year it ran),
    newest first."""
    years = {a.year for a in history.awards} | {e.year for e in history.evaluations}
    years |= {i.year for i in history.initiatives}
    for d in history.disciplines:
        years |= set(range(d.starts_on.year, (d.ends_on or d.starts_on).year + 1))
    return sorted(years, reverse=True)


def _transfer_units(session: Session) -> list[Unit]:
    rows = session.scalars(select(Unit).where(Unit.active.is_(True))).all()
    return sorted(rows, key=lambda u: vi_sort_key(u.name))


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@requires(authz.may_keep_register)
def edit(person_id: int):
    who, session = actor(), get_session()
    found = entries.load_person(session, person_id, who)
    if not authz.may_keep_register(who, found.unit_id):
        abort(403)
    if request.method == "GET":
        values = entries.form_values(found) | {"version": str(found.version)}
        return _survivor(found) or _render_form(session, values, found.unit_id or 0, found)
    values = typed(*PERSON_FORM)

    def answer(refusal: Refusal):
        values["version"] = refusal.version(values["version"])
        session.expire_all()
        fresh = entries.load_person(session, person_id, who)
        return _render_form(session, values, fresh.unit_id or 0, fresh, refusal)

    event = commit_or_answer(
        session,
        lambda: entries.update_person(
            session,
            person_id,
            who,
            values,
            confirmed=values["confirmed"] == "1",
            expected_version=posted_version(),
        ),
        answer,
    )
    flash(
        _("Đã lưu thay đổi.") if event else _("Không có thay đổi nào để lưu."),
        "success" if event else "info",
    )
    return redirect(url_for("people.person", person_id=person_id))


@bp.route("/people/<int:person_id>/transfer", methods=["POST"])
@requires(authz.may_keep_register)
def transfer(person_id: int):
    who, session = actor(), get_session()
    values = typed("unit_id", "starts_on", "collective_id")

    def answer(refusal: Refusal):
        session.expire_all()
        found = entries.load_person(session, person_id, who)
        return render_person(session, found, who, refusal.messages, refusal.status)

    moved = commit_or_answer(
        session,
        lambda: entries.transfer_person(
            session, person_id, who, values, expected_version=posted_version()
        ),
        answer,
    )
    if moved.unit_id is None:
        flash(
            _("Đã ghi nhận “%(name)s” thôi công tác tại đơn vị.", name=moved.full_name), "success"
        )
    else:
        flash(_("Đã chuyển “%(name)s” sang đơn vị mới.", name=moved.full_name), "success")
    if authz.may_see_register_of(who, moved.unit_id):
        return redirect(url_for("people.person", person_id=person_id))
    return redirect(url_for("people.index"))
