"""Who holds each permission: the policy of ``workflow.core.authz``, spelled out role by role.

The web's authorization matrix checks that every page enforces the predicate it declares; this
table pins what each predicate allows, so a change of policy is a deliberate change here.
"""

from __future__ import annotations

import itertools

import pytest

from models import Dossier, Practice
from workflow.core import authz
from workflow.core.actors import Actor, Role
from workflow.core.errors import EditRefused, TransitionRefused
from workflow.core.messages import Messages
from workflow.core.registry import WORKFLOWS
from workflow.core.spec import Scope

# A domain's refusals as the core sees them: worded, one of them declared a permission refusal.
ROLL = Messages(
    {
        "not_on_roll": ("Không có tên trong danh sách.", "Not on the roll."),
        "not_a_member": ("Không phải thành viên.", "Not a member."),
    },
    permission=frozenset({"not_a_member"}),
)

UNIT_ID, OTHER_UNIT = 1, 2
ACTORS = {
    role.value: Actor(7, frozenset({(role, UNIT_ID if role in authz.UNIT else None)}))
    for role in Role
}
STAFF, HEAD = "unit_staff", "unit_head"
REVIEWER, SECRETARY, MEMBER, ADMIN = (
    "office_reviewer",
    "council_secretary",
    "council_member",
    "admin",
)

POLICY = {
    authz.is_signed_in: {STAFF, HEAD, REVIEWER, SECRETARY, MEMBER, ADMIN},
    authz.is_unit_member: {STAFF, HEAD},
    authz.may_draft: {STAFF, HEAD},
    authz.may_write_proposal: {STAFF, HEAD},
    authz.may_see_eligibility: {REVIEWER, SECRETARY, MEMBER, ADMIN},
    authz.may_see_notice_comments: {REVIEWER, SECRETARY, MEMBER, ADMIN},
    authz.may_use_office_queue: {REVIEWER, ADMIN},
    authz.may_view_dashboard: {REVIEWER, SECRETARY, ADMIN},
    authz.may_manage_campaigns: {REVIEWER, ADMIN},
    authz.may_manage_holds: {REVIEWER, ADMIN},
    authz.may_moderate_notice_comments: {REVIEWER},
    authz.may_correct_figures: {REVIEWER},
    authz.may_use_practices: {STAFF, HEAD, REVIEWER, ADMIN},
    authz.may_see_all_practices: {REVIEWER, ADMIN},
    authz.may_register_practice: {STAFF, HEAD},
    authz.may_mark_practice: {REVIEWER},
    authz.may_run_council: {SECRETARY},
    authz.may_view_council: {SECRETARY, MEMBER},
    authz.may_vote: {MEMBER},
    authz.may_manage_awards: {ADMIN},
}


@pytest.mark.parametrize("predicate", POLICY, ids=lambda p: p.__name__)
def test_who_holds_each_permission(predicate):
    allowed = {name for name, actor in ACTORS.items() if predicate(actor)}
    assert allowed == POLICY[predicate]
    assert predicate(None) is False  # signed out: never


def test_unit_permissions_hold_in_the_persons_own_unit_only():
    dossier = Dossier(unit_id=UNIT_ID)
    elsewhere = Dossier(unit_id=OTHER_UNIT)
    for name in (STAFF, HEAD):
        actor = ACTORS[name]
        assert authz.may_draft(actor, UNIT_ID) and not authz.may_draft(actor, OTHER_UNIT)
        assert authz.may_edit_dossier(actor, dossier)
        assert not authz.may_edit_dossier(actor, elsewhere)
        assert authz.may_edit_practice(actor, Practice(unit_id=UNIT_ID))
        assert not authz.may_edit_practice(actor, Practice(unit_id=OTHER_UNIT))
    assert authz.signs_for(ACTORS[HEAD], UNIT_ID) and not authz.signs_for(ACTORS[STAFF], UNIT_ID)
    assert not authz.may_edit_dossier(ACTORS[REVIEWER], dossier)


def test_the_role_recorded_is_the_first_the_person_holds():
    both = Actor(7, frozenset({(Role.ADMIN, None), (Role.OFFICE_REVIEWER, None)}))
    assert authz.first_role(both, authz.OFFICE) is Role.OFFICE_REVIEWER
    unit_both = Actor(7, frozenset({(Role.UNIT_HEAD, UNIT_ID), (Role.UNIT_STAFF, UNIT_ID)}))
    assert authz.editing_role(unit_both, Dossier(unit_id=UNIT_ID)) is Role.UNIT_STAFF


def test_a_refusal_keeps_the_codes_and_words_people_see():
    authz.refuse_unless(True, ("Quản lý", "Manage"))  # allowed: nothing raised
    with pytest.raises(EditRefused) as refused:
        authz.refuse_unless(False, ("Quản lý phong trào thi đua", "Manage campaigns"))
    assert refused.value.code == "role_not_permitted" and refused.value.is_permission
    assert refused.value.messages("vi") == [
        "Vai trò của bạn không được thực hiện “Quản lý phong trào thi đua”."
    ]
    with pytest.raises(EditRefused) as refused:
        authz.refuse_unless(False)
    assert refused.value.code == "out_of_scope"
    with pytest.raises(TransitionRefused) as refused:
        authz.refuse_unless(False, refusal=ROLL.violation("not_on_roll"), error=TransitionRefused)
    assert refused.value.code == "not_on_roll" and not refused.value.is_permission
    assert refused.value.messages("en") == ["Not on the roll."]
    with pytest.raises(EditRefused) as refused:
        authz.refuse_unless(False, refusal=ROLL.violation("not_a_member"))
    assert refused.value.code == "not_a_member" and refused.value.is_permission


def test_the_role_a_transition_is_fired_under_and_why_not():
    both = Actor(7, frozenset({(Role.UNIT_HEAD, UNIT_ID), (Role.UNIT_STAFF, UNIT_ID)}))
    actors = [*ACTORS.values(), both]
    for wdef in WORKFLOWS.values():
        for tdef in wdef.transitions:
            for actor, unit_id in itertools.product(actors, (UNIT_ID, OTHER_UNIT)):
                dossier = Dossier(unit_id=unit_id)
                held = sorted((r for r in tdef.roles if r in actor.roles), key=lambda r: r.value)
                in_scope = [r for r in held if tdef.scope is Scope.ANY or actor.has(r, unit_id)]
                role, denied = authz.acting_role(actor, dossier, tdef)
                assert authz.firing_role(actor, dossier, tdef) is role
                if in_scope:
                    assert (role, denied) == (in_scope[0], None)
                else:
                    assert role is None
                    assert denied.code == ("out_of_scope" if held else "role_not_permitted")
