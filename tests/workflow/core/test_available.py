"""``available()`` (the buttons) agrees with ``fire()`` (the server), and stale versions."""

from __future__ import annotations

import pytest

from tests.fixtures.people import NOW, PATHS, inputs_for, make_council_session, make_dossier
from tests.fixtures.snapshots import assert_refused, snapshot
from workflow import NotFound, StaleVersion, TransitionRefused, available, fire
from workflow.core.registry import WORKFLOWS

# One person per role and unit (the other Council members and reviewers hold the same grants).
ACTORS = ["staff_a", "head_a", "staff_b", "head_b", "reviewer", "secretary", "member1", "admin"]


def _works(session, dossier_id, trigger, actor, council) -> bool:
    """Fire inside a savepoint that is always rolled back; whether it succeeded."""
    savepoint = session.begin_nested()
    try:
        fire(session, dossier_id, trigger, actor, inputs=inputs_for(trigger, council), now=NOW)
        return True
    except (TransitionRefused, NotFound):
        return False
    finally:
        savepoint.rollback()


@pytest.mark.db
@pytest.mark.parametrize("kind", sorted(WORKFLOWS))
def test_available_agrees_with_fire(session, world, kind):
    """For every state, person and trigger of the kind: what ``available`` offers without
    violations succeeds (valid inputs given), what it offers with violations or leaves out is
    refused, and nothing is left changed."""
    council = make_council_session(session, world)
    wdef = WORKFLOWS[kind]
    checked = 0
    for state in PATHS[kind]:
        dossier = make_dossier(session, world, kind=kind, state=state, council=council)
        before = snapshot(session, dossier.id)
        for name in ACTORS:
            actor = world.actor(name)
            offered = {t.trigger: v for t, v in available(session, dossier, actor, now=NOW)}
            assert set(offered) <= {t.trigger for t in wdef.transitions_from(state)}
            for tdef in wdef.transitions:
                if tdef.trigger in offered and not offered[tdef.trigger]:
                    assert _works(session, dossier.id, tdef.trigger, actor, council), (
                        state,
                        name,
                        tdef.trigger,
                    )
                else:
                    with pytest.raises((TransitionRefused, NotFound)):
                        fire(
                            session,
                            dossier.id,
                            tdef.trigger,
                            actor,
                            inputs=inputs_for(tdef.trigger, council),
                            now=NOW,
                        )
                checked += 1
        assert snapshot(session, dossier.id) == before
    assert checked == len(PATHS[kind]) * len(ACTORS) * len(wdef.transitions)


@pytest.mark.db
def test_available_lists_rules_that_do_not_hold_yet(session, world):
    bare = make_dossier(session, world, evidence_files=0, achievements="")
    offered = {
        t.trigger: [v.code for v in vs]
        for t, vs in available(session, bare, world.actor("staff_a"), now=NOW)
    }
    assert offered == {"submit": ["field_required", "evidence_missing"]}  # every rule that fails
    head = {t.trigger for t, _ in available(session, bare, world.actor("head_a"), now=NOW)}
    assert head == {"submit", "withdraw"}
    assert available(session, bare, world.actor("staff_b"), now=NOW) == []
    assert available(session, bare, world.actor("reviewer"), now=NOW) == []


@pytest.mark.db
def test_stale_version_is_refused_and_changes_nothing(session, world):
    dossier = make_dossier(session, world, state="unit_review")
    version = dossier.version
    call = lambda: fire(
        session,
        dossier.id,
        "unit_approve",
        world.actor("head_a"),
        expected_version=version - 1,
        now=NOW,
    )
    error = assert_refused(session, dossier.id, call, "stale_version", errors=(StaleVersion,))
    assert (error.current_version, error.current_state) == (version, "Chờ thủ trưởng duyệt")
    assert "Người khác đã thao tác trên hồ sơ này trước bạn" in error.messages("vi")[0]
    assert "Someone else acted on this dossier first" in error.messages("en")[0]
    assert not error.is_permission
    event = fire(
        session,
        dossier.id,
        "unit_approve",
        world.actor("head_a"),
        expected_version=version,
        now=NOW,
    )
    assert event.to_state == "office_review" and dossier.version == version + 1
    # The page drawn before that action is now stale.
    assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session,
            dossier.id,
            "withdraw",
            world.actor("head_a"),
            inputs={"reason": "Rút"},
            expected_version=version,
            now=NOW,
        ),
        "stale_version",
        errors=(StaleVersion,),
    )


@pytest.mark.db
def test_version_counts_every_change(session, world):
    dossier = make_dossier(session, world, evidence_files=0)
    assert dossier.version == 1
    from tests.fixtures.people import PDF
    from workflow.dossiers import evidence

    evidence.attach(
        session,
        dossier.id,
        world.actor("staff_a"),
        "Minh chứng.pdf",
        PDF,
        world.upload_dir,
        now=NOW,
    )
    assert dossier.version == 2
    fire(session, dossier.id, "submit", world.actor("staff_a"), now=NOW)
    assert snapshot(session, dossier.id).version == 3
