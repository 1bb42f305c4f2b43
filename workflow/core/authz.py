"""Who may see and do what. Every permission of the project is a named predicate here.

A predicate takes the person acting (None when signed out) and answers True or False. The web
declares one on each view and draws its menus from them; the workflow asks them before it
changes anything, and :func:`refuse_unless` turns a "no" into the typed refusal the caller
expects. The roles that may fire a lifecycle transition are data on its ``TransitionDef``
(roles and scope); :func:`acting_role` reads them. The role sets are declared here, once.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, false, or_

from models import Dossier, Practice
from workflow.core.actors import DEPARTMENT_ROLES, UNIT_SCOPED_ROLES, Actor, Role
from workflow.core.errors import EditRefused, Violation, WorkflowError
from workflow.core.registry import state_def, state_is
from workflow.core.spec import Scope, TransitionDef

# --- role sets ---------------------------------------------------------------------------

UNIT = UNIT_SCOPED_ROLES  # a unit's emulation officer and its head, in their own unit
OFFICE = frozenset({Role.OFFICE_REVIEWER, Role.ADMIN})  # the Department's Office, and admins
REVIEWER = frozenset({Role.OFFICE_REVIEWER})  # the Office's reviewers only
SECRETARY = frozenset({Role.COUNCIL_SECRETARY})
COUNCIL = frozenset({Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER})
MEMBER = frozenset({Role.COUNCIL_MEMBER})
DASHBOARD = frozenset({Role.OFFICE_REVIEWER, Role.COUNCIL_SECRETARY, Role.ADMIN})
ADMIN = frozenset({Role.ADMIN})
CERTIFICATE_PRINTERS = OFFICE | COUNCIL
DEPARTMENT = DEPARTMENT_ROLES

# When a person holds several roles that allow an action, the audit records the first of
# them in this order (unit staff before head, the Office before administrators).
_PRECEDENCE = tuple(Role)


def _holds(actor: Actor | None, roles: frozenset[Role]) -> bool:
    return actor is not None and bool(actor.roles & roles)


def first_role(actor: Actor, roles: Iterable[Role], unit_id: int | None = None) -> Role | None:
    """The role of ``roles`` under which ``actor`` acts (unit roles in ``unit_id``), if any."""
    wanted = set(roles)
    for role in _PRECEDENCE:
        if role in wanted and actor.has(role, unit_id):
            return role
    return None


# --- refusing ------------------------------------------------------------------------------


def refuse_unless(
    allowed: bool,
    action: tuple[str, str] | None = None,
    *,
    refusal: Violation | None = None,
    error: type[WorkflowError] = EditRefused,
) -> None:
    """Raise ``error`` when not ``allowed``: "role_not_permitted" naming the ``action``
    (Vietnamese, English), or, with no action, ``refusal`` (default "out_of_scope")."""
    if allowed:
        return
    if action is not None:
        violation = Violation("role_not_permitted", {"action": action[0], "action_en": action[1]})
    else:
        violation = refusal or Violation("out_of_scope")
    raise error([violation])


# --- anyone ------------------------------------------------------------------------------


def is_signed_in(actor: Actor | None) -> bool:
    """Pages of one's own work (the home page, notifications, a dossier one may see)."""
    return actor is not None


# --- a unit's own work -------------------------------------------------------------------


def is_unit_member(actor: Actor | None, unit_id: int | None = None) -> bool:
    """A unit's emulation officer or head (of ``unit_id`` when given, else of any unit)."""
    if actor is None:
        return False
    if unit_id is None:
        return bool(actor.unit_ids(UNIT))
    return first_role(actor, UNIT, unit_id) is not None


def may_draft(actor: Actor | None, unit_id: int | None = None) -> bool:
    """Draft a nomination, plan or report (in ``unit_id``, or in some unit) and list the unit's
    dossiers."""
    return is_unit_member(actor, unit_id)


def may_write_proposal(actor: Actor | None, unit_id: int | None = None) -> bool:
    """Write the unit's proposal letter (tờ trình) to the Department."""
    return is_unit_member(actor, unit_id)


def signs_for(actor: Actor | None, unit_id: int) -> bool:
    """True when ``actor`` is the head of ``unit_id``, who signs the unit's letters."""
    return actor is not None and actor.has(Role.UNIT_HEAD, unit_id)


def editing_role(actor: Actor, dossier: Dossier) -> Role | None:
    """The unit role under which ``actor`` may change ``dossier``'s content, if any."""
    return first_role(actor, UNIT, dossier.unit_id)


def may_edit_dossier(actor: Actor | None, dossier: Dossier) -> bool:
    """Change a dossier's content and evidence (in an editable state: the workflow checks)."""
    return actor is not None and editing_role(actor, dossier) is not None


# --- dossiers: seeing, and transitions -----------------------------------------------------


def acting_role(
    actor: Actor, dossier: Dossier, tdef: TransitionDef
) -> tuple[Role | None, Violation | None]:
    """The role under which ``actor`` may fire ``tdef`` on ``dossier``, or why not."""
    role = firing_role(actor, dossier, tdef)
    if role is not None:
        return role, None
    if not holds_role_of(actor, tdef):
        return None, Violation(
            "role_not_permitted", {"action": tdef.label_vi, "action_en": tdef.label_en}
        )
    return None, Violation("out_of_scope")


def firing_role(actor: Actor, dossier: Dossier, tdef: TransitionDef) -> Role | None:
    """The role under which ``actor`` may fire ``tdef`` on ``dossier`` (the first by name), or
    None: :func:`acting_role` without the reason, for the lists that leave the action out."""
    for role in tdef.roles_by_name:
        if role in actor.roles and (tdef.scope is Scope.ANY or actor.has(role, dossier.unit_id)):
            return role
    return None


def holds_role_of(actor: Actor, tdef: TransitionDef) -> bool:
    """True when ``actor`` holds one of the roles of ``tdef`` (whatever the unit)."""
    return bool(tdef.roles & actor.roles)


def reviewed_by_office(tdef: TransitionDef) -> bool:
    """True when the Office's reviewers fire ``tdef`` (their queue starts where it does)."""
    return bool(tdef.roles & REVIEWER)


def can_view(actor: Actor, dossier: Dossier) -> bool:
    """Own unit's dossiers, and for Department roles every dossier sent to the Department."""
    if dossier.unit_id in actor.unit_ids():
        return True
    if _shared_with_sector(dossier.kind, dossier.state) and actor.grants:
        return True
    return _holds(actor, DEPARTMENT) and dossier.sent_at is not None


def _shared_with_sector(kind: str, state: str) -> bool:
    # Some states (an accepted plan) publish the dossier to every unit of the sector.
    sdef = state_def(kind, state)
    return sdef is not None and sdef.shared_with_sector


def visible_dossiers(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause selecting exactly the dossiers :func:`can_view` allows."""
    clauses = []
    units = actor.unit_ids()
    if units:
        clauses.append(Dossier.unit_id.in_(sorted(units)))
    if _holds(actor, DEPARTMENT):
        clauses.append(Dossier.sent_at.is_not(None))
    if actor.grants:
        clauses.append(state_is(Dossier.kind, Dossier.state, lambda s: s.shared_with_sector))
    return or_(*clauses) if clauses else false()


def may_see_eligibility(actor: Actor | None) -> bool:
    """See a nomination's eligibility checks: Department roles only, since holds name
    disciplinary matters the unit's staff are not shown."""
    return _holds(actor, DEPARTMENT)


def may_see_notice_comments(actor: Actor | None) -> bool:
    """See, on a dossier page, the public notice of a nomination and the comments it got."""
    return _holds(actor, DEPARTMENT)


# --- the Department's Office -----------------------------------------------------------------


def may_use_office_queue(actor: Actor | None) -> bool:
    """The Office's review queue and its export."""
    return _holds(actor, OFFICE)


def may_review_in_bulk(actor: Actor | None) -> bool:
    """Accept or return a selection of the Office queue at once: the Office's reviewers, who
    fire those transitions one by one too (the engine still checks each row)."""
    return _holds(actor, REVIEWER)


def may_view_dashboard(actor: Actor | None) -> bool:
    """The campaign dashboard and its exports."""
    return _holds(actor, DASHBOARD)


def may_manage_campaigns(actor: Actor | None) -> bool:
    """Create and change campaigns, their windows, units, awards and targets."""
    return _holds(actor, OFFICE)


def may_manage_holds(actor: Actor | None) -> bool:
    """Record and end holds (tạm dừng xét khen thưởng)."""
    return _holds(actor, OFFICE)


def may_remind_units(actor: Actor | None) -> bool:
    """Send, from the dashboard, a reminder to the units late with their plan or report."""
    return _holds(actor, OFFICE)


def may_moderate_notice_comments(actor: Actor | None) -> bool:
    """Approve or reject the public's comments on names posted for notice."""
    return _holds(actor, REVIEWER)


def may_correct_figures(actor: Actor | None) -> bool:
    """Correct (or enter) a target figure of a report sent to the Department."""
    return _holds(actor, REVIEWER)


# --- practices -----------------------------------------------------------------------------


def may_use_practices(actor: Actor | None) -> bool:
    """The practices pages: a unit's members for their own, the Office for all."""
    return is_unit_member(actor) or may_see_all_practices(actor)


def may_see_all_practices(actor: Actor | None) -> bool:
    """Every unit's practices, not only one's own."""
    return _holds(actor, OFFICE)


def may_register_practice(actor: Actor | None, unit_id: int | None = None) -> bool:
    """Register a practice of ``unit_id`` (or of some unit)."""
    return is_unit_member(actor, unit_id)


def may_edit_practice(actor: Actor | None, practice: Practice) -> bool:
    """Change a practice's content (while registered: the workflow checks)."""
    return is_unit_member(actor, practice.unit_id)


def may_mark_practice(actor: Actor | None) -> bool:
    """Mark a practice exemplary, or withdraw the mark."""
    return _holds(actor, REVIEWER)


# --- the register of people and collectives ------------------------------------------------


def may_use_register(actor: Actor | None) -> bool:
    """The register's pages: a unit's members for their own unit, the Office for every unit."""
    return is_unit_member(actor) or may_see_every_register(actor)


def may_see_every_register(actor: Actor | None) -> bool:
    """Every unit's people, collectives and histories, not only one's own."""
    return _holds(actor, OFFICE)


def may_see_register_of(actor: Actor | None, unit_id: int | None) -> bool:
    """A unit's people, with their private fields, and their histories."""
    return may_see_every_register(actor) or (unit_id is not None and is_unit_member(actor, unit_id))


def may_keep_register(actor: Actor | None, unit_id: int | None = None) -> bool:
    """Add, change, transfer and import people, groups, ratings and history of ``unit_id`` (or
    of some unit): the unit's own members, and the Office for any unit."""
    return is_unit_member(actor, unit_id) or may_see_every_register(actor)


def may_merge_people(actor: Actor | None) -> bool:
    """Merge two register entries found to be the same person (across units)."""
    return _holds(actor, OFFICE)


def may_manage_issuers(actor: Actor | None) -> bool:
    """The list of those who sign award decisions (issuers) and their validity dates."""
    return _holds(actor, OFFICE)


def may_revoke_award(actor: Actor | None) -> bool:
    """Record the revocation (thu hồi) of a published award with the revoking decision. The
    Office's reviewers only: the Office (the sector's emulation and commendation body)
    examines the violation and drafts the revoking decision for the Director who conferred
    the award (Luật Thi đua, khen thưởng 2022, chương VII), as it records the higher level's
    decisions. Not administrators (their role is the system, not awards), nor the Council,
    which proposes awards and does not withdraw them."""
    return _holds(actor, REVIEWER)


def may_revoke_award_of(actor: Actor | None, nominee_account: int | None) -> bool:
    """Revoke one award: :func:`may_revoke_award`, and not one's own (``nominee_account``, the
    account of the person the award went to). Nobody judges their own violation, as no reviewer
    examines, decides or publishes their own nomination (separation of duties)."""
    return may_revoke_award(actor) and (
        actor is None or nominee_account is None or actor.user_id != nominee_account
    )


# --- the Council ---------------------------------------------------------------------------


def may_run_council(actor: Actor | None) -> bool:
    """The secretary: opens sessions, records attendance and decisions, runs ballots, drafts
    and issues decisions."""
    return _holds(actor, SECRETARY)


def may_view_council(actor: Actor | None) -> bool:
    """Sessions, their agenda, ballots and decisions: the secretary and the members."""
    return _holds(actor, COUNCIL)


def may_vote(actor: Actor | None) -> bool:
    """Cast a vote in a ballot (a member present in the session: the workflow checks)."""
    return _holds(actor, MEMBER)


# --- administration ------------------------------------------------------------------------


def may_print_certificates(actor: Actor | None) -> bool:
    """Certificates of an issued decision: the Office, which hands them to the units, and
    the Council (its secretary and members), who see its decisions."""
    return _holds(actor, CERTIFICATE_PRINTERS)


def may_take_certificates_of(actor: Actor | None, requested_by: int | None) -> bool:
    """Download a batch of certificates made in the background: :func:`may_print_certificates`
    still, and only the person who asked for it (``requested_by``, their account): the file
    holds names, units and verification codes, and nobody else's request is theirs to take."""
    return (
        may_print_certificates(actor)
        and actor is not None
        and requested_by is not None
        and actor.user_id == requested_by
    )


def may_manage_certificates(actor: Actor | None) -> bool:
    """Which awards print certificates, and where their text goes on pre-printed blanks:
    the Office (its reviewers and administrators)."""
    return _holds(actor, OFFICE)


def may_manage_awards(actor: Actor | None) -> bool:
    """The award catalogue and its rules."""
    return _holds(actor, ADMIN)


def may_administer(actor: Actor | None) -> bool:
    """Units, accounts, role grants, password resets and the CSV imports of units and users."""
    return _holds(actor, ADMIN)


def may_manage_council_members(actor: Actor | None) -> bool:
    """The Council's membership: members' positions and terms."""
    return _holds(actor, ADMIN)


def may_manage_base_salary(actor: Actor | None) -> bool:
    """The base salary (lương cơ sở) amounts that award money is a multiple of."""
    return _holds(actor, ADMIN)


# --- background jobs -------------------------------------------------------------------------


def may_follow_jobs(actor: Actor | None) -> bool:
    """See the background jobs (e-mail, exports, PDFs) and download finished exports: those
    who export the dashboard and issue decisions."""
    return _holds(actor, DASHBOARD)
