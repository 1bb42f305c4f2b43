"""The award catalogue pages (administrators only; the service refuses anyone else) and the
template helpers that show a nomination's eligibility checks.

The award's edit form posts the version it was drawn with: when someone else saved the award
first, it comes back (409) with everything typed and the current version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TypeVar

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from models import AwardType, Dossier, Nomination
from models.clock import today
from models.text import vi_sort_key
from web.auth.user import current_actor
from web.awards import bp
from web.awards.forms import AwardForm, RuleForm, param_rows, rule_hint
from web.db import get_session
from web.support.access import requires
from web.support.i18n import lang, pick
from web.support.parsing import posted_version
from web.support.refusals import Answer, Refusal, commit_or_answer
from workflow.awards import catalogue, eligibility
from workflow.awards.catalogue import CatalogueRefused
from workflow.awards.rules import AWARDS, PARAM_FIELDS, PURPOSES, RULE_KINDS, label_of
from workflow.core import authz
from workflow.core.dates import day_text
from workflow.core.errors import StaleVersion
from workflow.people.history import History, collective_history, person_history
from workflow.people.labels import INITIATIVE_LEVEL_LABELS, RATING_LABELS

T = TypeVar("T")


def commit_change(session, change: Callable[[], T], answer: Answer) -> T:
    """``commit_or_answer`` for the catalogue, whose changes are refused with their own error;
    a form refused for a rule answers 400, each problem under its field."""
    return commit_or_answer(
        session, change, answer, refusals=(StaleVersion, CatalogueRefused), rule_status=400
    )


def _sorted_awards(session) -> list[AwardType]:
    return sorted(
        session.scalars(select(AwardType)), key=lambda a: (not a.active, vi_sort_key(a.name_vi))
    )


def _award_form(session, award: AwardType | None = None) -> AwardForm:
    form = AwardForm(obj=award) if award is not None else AwardForm()
    if award is not None and not form.is_submitted():
        form.threshold_from.data = day_text(award.threshold_from)  # as typed: dd/mm/yyyy
    form.nominee_kind.choices = [(k, pick(*v)) for k, v in catalogue.NOMINEE_LABELS.items()]
    form.conferring_authority.choices = [(k, pick(*v)) for k, v in catalogue.AUTHORITIES.items()]
    form.threshold_base.choices = [(k, pick(*v)) for k, v in catalogue.BASE_LABELS.items()]
    return form


def _rule_form(session) -> RuleForm:
    form = RuleForm(prefix="rule")
    awards = [(a.code, pick(a.name_vi, a.name_en)) for a in _sorted_awards(session)]
    form.kind.choices = [(kind.code, pick(*kind.label)) for kind in RULE_KINDS]
    for spec in PARAM_FIELDS:
        if spec.choices == AWARDS:
            form[spec.name].choices = awards
        elif spec.choices is not None:
            form[spec.name].choices = [(k, pick(*v)) for k, v in spec.choices.items()]
    return form


def _put_errors(form, error: CatalogueRefused) -> list[str]:
    """Each problem under its field; problems with no field are returned as messages."""
    general = []
    for violation in error.violations:
        name = violation.params.get("field")
        field = getattr(form, name, None) if name else None
        problem = violation.params.get("problem_en" if lang() == "en" else "problem", "")
        if field is not None and problem:
            field.errors = list(field.errors) + [f"{field.label.text} {problem}."]
        else:
            general.append(violation.message(lang()))
    return general


@bp.route("/")
@requires(authz.may_manage_awards, action=catalogue.MANAGE_ACTION)
def index():
    session = get_session()
    return render_template(
        "awards/list.html",
        awards=_sorted_awards(session),
        counts=catalogue.rule_counts(session),
        authorities=catalogue.AUTHORITIES,
        kinds=catalogue.NOMINEE_LABELS,
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(authz.may_manage_awards, action=catalogue.MANAGE_ACTION)
def create():
    who, session = current_actor(), get_session()
    form = _award_form(session)
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("awards/form.html", form=form, award=None, problems=[]), status
    award = commit_change(
        session,
        lambda: catalogue.create_award(session, who, form.data),
        lambda refusal: (
            render_template(
                "awards/form.html", form=form, award=None, problems=_put_errors(form, refusal.error)
            ),
            refusal.status,
        ),
    )
    flash(
        _(
            "Đã thêm danh hiệu “%(name)s”. Hãy khai báo các điều kiện xét tặng.",
            name=award.name_vi,
        ),
        "success",
    )
    return redirect(url_for("awards.edit", award_id=award.id))


def _render_edit(
    session,
    award: AwardType,
    form: AwardForm,
    rule_form: RuleForm,
    problems: list[str] | None = None,
    status: int = 200,
    stale: bool = False,
):
    names = {a.code: (a.name_vi, a.name_en) for a in session.scalars(select(AwardType))}
    rules = [
        (r, label_of(r.kind), catalogue.describe(r, names), catalogue.is_condition(r))
        for r in catalogue.rules_of(session, award.id)
    ]
    return render_template(
        "awards/form.html",
        form=form,
        award=award,
        rule_form=rule_form,
        rules=rules,
        problems=problems or [],
        rule_rows=param_rows(rule_form),
        rule_hint=rule_hint(),
        stale=stale,
    ), status


def _load(session, award_id: int) -> AwardType:
    award = session.get(AwardType, award_id)
    if award is None:
        abort(404)
    return award


@bp.route("/<int:award_id>/edit", methods=["GET", "POST"])
@requires(authz.may_manage_awards, action=catalogue.MANAGE_ACTION)
def edit(award_id: int):
    who, session = current_actor(), get_session()
    award = _load(session, award_id)
    form = _award_form(session, award)
    if not form.validate_on_submit():
        return _render_edit(
            session, award, form, _rule_form(session), status=400 if form.is_submitted() else 200
        )

    def answer(refusal: Refusal):
        form.version.data = refusal.version(form.version.data)
        # After a stale version the messages head the form; otherwise each sits by its field.
        problems = refusal.messages if refusal.stale else _put_errors(form, refusal.error)
        award = _load(session, award_id)
        rule_form = _rule_form(session)
        return _render_edit(
            session, award, form, rule_form, problems, refusal.status, stale=refusal.stale
        )

    diff = commit_change(
        session,
        lambda: catalogue.update_award(
            session, who, award.id, form.data, expected_version=posted_version()
        ),
        answer,
    )
    flash(
        _("Đã lưu thay đổi.") if diff else _("Không có thay đổi nào."),
        "success" if diff else "info",
    )
    return redirect(url_for("awards.edit", award_id=award_id))


@bp.route("/<int:award_id>/rules", methods=["POST"])
@requires(authz.may_manage_awards, action=catalogue.MANAGE_ACTION)
def add_rule(award_id: int):
    who, session = current_actor(), get_session()
    award = _load(session, award_id)
    rule_form = _rule_form(session)
    if not rule_form.validate_on_submit():
        return _render_edit(session, award, _award_form(session, award), rule_form, status=400)

    def answer(refusal: Refusal):
        problems = _put_errors(rule_form, refusal.error)
        award = _load(session, award_id)
        award_form = _award_form(session, award)
        return _render_edit(session, award, award_form, rule_form, problems, refusal.status)

    commit_change(
        session,
        lambda: catalogue.add_rule(session, who, award.id, rule_form.data),
        answer,
    )
    flash(_("Đã thêm điều kiện."), "success")
    return redirect(url_for("awards.edit", award_id=award_id) + "#rules")


@bp.route("/rules/<int:rule_id>/delete", methods=["POST"])
@requires(authz.may_manage_awards, action=catalogue.MANAGE_ACTION)
def delete_rule(rule_id: int):
    who, session = current_actor(), get_session()
    award_id = commit_change(
        session, lambda: catalogue.remove_rule(session, who, rule_id), lambda refusal: abort(404)
    )
    flash(_("Đã xóa điều kiện."), "success")
    return redirect(url_for("awards.edit", award_id=award_id) + "#rules")


# --- eligibility checks in other pages ------------------------------------------------------


def _today() -> dt.date:
    return today()


@bp.app_template_global()
def eligibility_checks(dossier: Dossier) -> list[eligibility.CheckResult]:
    """The nomination's checks (computed once per request), for Department roles and for the
    unit while it drafts; the unit is not told the reason of a hold."""
    actor = current_actor()
    department = authz.may_see_eligibility(actor)
    if not isinstance(dossier, Nomination) or not (
        department or authz.may_see_register_of(actor, dossier.unit_id)
    ):
        return []
    cache = g.setdefault("eligibility", {})
    if dossier.id not in cache:
        found = eligibility.checker_for(get_session(), _today()).check(dossier)
        cache[dossier.id] = found if department else eligibility.for_the_unit(found)
    return cache[dossier.id]


@bp.app_template_global()
def nominee_history(dossier: Dossier) -> History | None:
    """The history of the register entry a nomination names, for the unit and the Office
    (read once per request)."""
    actor = current_actor()
    if not isinstance(dossier, Nomination) or not (
        authz.may_see_eligibility(actor) or authz.may_see_register_of(actor, dossier.unit_id)
    ):
        return None
    cache = g.setdefault("nominee_history", {})
    if dossier.id not in cache:
        session, history = get_session(), None
        if dossier.person is not None:
            # The page shows neither the discipline nor the periods in units.
            history = person_history(session, dossier.person, register=False)
        elif dossier.collective is not None:
            history = collective_history(session, dossier.collective)
        cache[dossier.id] = history
    return cache[dossier.id]


@bp.app_template_global()
def eligibility_levels(dossiers: Iterable[Dossier]) -> dict[int, tuple[str, list[str]]]:
    """{dossier id: (level, messages of the rules not met)} of a page of nominations; a unit is
    not told the reason of a hold."""
    results = eligibility.check_many(get_session(), list(dossiers), _today())
    if not authz.may_see_eligibility(current_actor()):
        results = {i: eligibility.for_the_unit(r) for i, r in results.items()}
    return {
        i: (eligibility.summary(r), [c.message(lang()) for c in r if not c.ok])
        for i, r in results.items()
    }


@bp.app_template_global()
def purpose_label(code: str) -> str:
    return pick(*PURPOSES.get(code, (code, code)))


@bp.app_template_global()
def attachment_purposes() -> list[tuple[str, str]]:
    return [(k, pick(*v)) for k, v in PURPOSES.items()]


@bp.app_template_global()
def can_manage_holds() -> bool:
    return authz.may_manage_holds(current_actor())


@bp.app_template_global()
def register_label(kind: str, code: str) -> str:
    """The label of a register rating ("rating") or initiative level ("level")."""
    labels = RATING_LABELS if kind == "rating" else INITIATIVE_LEVEL_LABELS
    return pick(*labels.get(code, (code, code)))
