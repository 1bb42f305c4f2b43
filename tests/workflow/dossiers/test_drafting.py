"""Requirements while drafting: a draft saves incomplete and sending names every missing field;
a file's type is changed by the unit only, audited, under the dossier's lock; the form's slots
and checklist come from the award's rules; the head is told a plan will be recorded late."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.fixtures.awards import rule
from tests.fixtures.people import NOW, make_dossier
from tests.fixtures.snapshots import assert_refused, new_events, snapshot
from workflow import EditRefused, NotFound, StaleVersion, fire
from workflow.awards.catalogue import evidence_purposes
from workflow.core.registry import WORKFLOWS
from workflow.dossiers import checklist, evidence
from workflow.dossiers import content as dossiers
from workflow.dossiers.guards import lateness_if_sent, missing_to_send

TODAY = dt.date(2026, 6, 1)


def _bare_draft(session, world):
    """A nomination saved with only what says what it is: campaign, nominee kind, award."""
    return dossiers.create(
        session,
        world.actor("staff_a"),
        "nomination",
        world.units["a"].id,
        {
            "campaign_id": world.campaign.id,
            "nominee_kind": "individual",
            "award_type_id": world.awards["ldtt"].id,
            "person_id": "",
            "title": "",
            "achievements": "   ",
        },
        now=NOW,
    )


@pytest.mark.db
def test_a_draft_saves_without_nominee_title_or_achievements(session, world):
    draft = _bare_draft(session, world)
    assert (draft.state, draft.person_id, draft.nominee_name, draft.title) == (
        "draft",
        None,
        "",
        "",
    )
    assert [v.params["field"] for v in missing_to_send(draft)] == [
        "Tiêu đề",
        "Người hoặc tập thể được đề nghị",
        "Thành tích",
    ]


@pytest.mark.db
def test_sending_names_every_missing_field_and_changes_nothing(session, world):
    draft = _bare_draft(session, world)
    error = assert_refused(
        session,
        draft.id,
        lambda: fire(session, draft.id, "submit", world.actor("staff_a"), now=NOW),
    )
    messages = error.messages("vi")
    assert "Vui lòng nhập “Tiêu đề”." in messages
    assert "Vui lòng chọn “Người hoặc tập thể được đề nghị”." in messages
    assert "Vui lòng nhập “Thành tích”." in messages
    assert "Hồ sơ chưa có tệp minh chứng nào." in messages
    assert error.messages("en")[0] == "Please fill in “Title”."


@pytest.mark.db
def test_a_plan_without_its_content_is_refused_at_sending(session, world):
    plan = make_dossier(session, world, "plan", summary="")
    assert_refused(
        session,
        plan.id,
        lambda: fire(session, plan.id, "submit", world.actor("staff_a"), now=NOW),
        "field_required",
    )


@pytest.mark.db
def test_the_unit_changes_a_files_type_audited(session, world):
    draft = make_dossier(session, world)
    attachment = draft.attachments[0]
    before = snapshot(session, draft.id)
    event = evidence.set_purpose(
        session,
        attachment.id,
        world.actor("head_a"),
        "achievement_report",
        expected_version=draft.version,
        now=NOW,
    )
    assert attachment.purpose == "achievement_report"
    assert (event.action, event.actor_role, event.from_state) == ("retype", "unit_head", "draft")
    changes = json.loads(event.changes)
    assert changes["purpose"] == ["evidence", "achievement_report"]
    assert changes["name"] == attachment.original_name
    assert snapshot(session, draft.id).version == before.version + 1
    # The same type again changes nothing and writes nothing.
    seq = snapshot(session, draft.id).head[0]
    assert (
        evidence.set_purpose(session, attachment.id, world.actor("staff_a"), "achievement_report")
        is None
    )
    assert new_events(session, seq) == []


@pytest.mark.db
@pytest.mark.parametrize(
    "who,state,error",
    [
        ("staff_b", "draft", NotFound),  # another unit does not see it
        ("reviewer", "office_review", EditRefused),  # the Office sees it, changes nothing
        ("staff_a", "office_review", EditRefused),  # sent on: no longer editable
    ],
)
def test_others_and_sent_dossiers_cannot_change_a_files_type(session, world, who, state, error):
    dossier = make_dossier(session, world, state=state)
    attachment = dossier.attachments[0]
    assert_refused(
        session,
        dossier.id,
        lambda: evidence.set_purpose(session, attachment.id, world.actor(who), "minutes"),
        errors=(error,),
    )
    assert attachment.purpose == "evidence"


@pytest.mark.db
def test_a_stale_page_or_an_unknown_type_changes_nothing(session, world):
    draft = make_dossier(session, world)
    attachment = draft.attachments[0]
    staff = world.actor("staff_a")
    stale = draft.version
    dossiers.edit(session, draft.id, staff, {"title": "Đổi tiêu đề"}, now=NOW)
    assert_refused(
        session,
        draft.id,
        lambda: evidence.set_purpose(
            session, attachment.id, staff, "minutes", expected_version=stale
        ),
        "stale_version",
        errors=(StaleVersion,),
    )
    assert_refused(
        session,
        draft.id,
        lambda: evidence.set_purpose(session, attachment.id, staff, "bogus"),
        "unknown_purpose",
        errors=(EditRefused,),
    )
    assert attachment.purpose == "evidence"


@pytest.mark.db
def test_slots_and_checklist_follow_the_awards_rules(session, world):
    ldtt = world.awards["ldtt"]
    rule(session, world, ldtt, kind="evidence", purpose="achievement_report")
    rule(session, world, ldtt, kind="evidence", purpose="initiative", valid_to="2026-01-31")
    assert evidence_purposes(session, ldtt.id, TODAY) == ["achievement_report"]
    draft = _bare_draft(session, world)
    values = {"award_type_id": str(ldtt.id), "nominee_kind": "individual"}
    found = checklist.checklist(
        session, world.actor("staff_a"), "nomination", None, values, TODAY, dossier_id=draft.id
    )
    assert [(s.purpose, s.required, s.count) for s in found.slots] == [
        ("achievement_report", True, 0),
        ("evidence", False, 0),
    ]
    assert not found.named and [c.code for c in found.checks] == ["evidence:achievement_report"]
    assert [c.ok for c in found.checks] == [False]
    # A file chosen in its slot (not saved yet) and a nominee chosen: the check goes green.
    person = world.people["teacher_a"].id
    found = checklist.checklist(
        session,
        world.actor("staff_a"),
        "nomination",
        None,
        {**values, "person_id": str(person), "title": "Đề nghị", "achievements": "Giỏi"},
        TODAY,
        dossier_id=draft.id,
        waiting={"achievement_report": 1},
    )
    assert found.named and found.missing == [] and found.refused == []
    assert [c.ok for c in found.checks if c.code.startswith("evidence")] == [True]
    # Nothing was written: the draft still names nobody.
    session.refresh(draft)
    assert draft.person_id is None and draft.title == ""


@pytest.mark.db
def test_the_checklist_of_another_units_person_says_the_save_would_refuse(session, world):
    found = checklist.checklist(
        session,
        world.actor("staff_a"),
        "nomination",
        world.units["a"].id,
        {
            "campaign_id": str(world.campaign.id),
            "nominee_kind": "individual",
            "award_type_id": str(world.awards["ldtt"].id),
            "person_id": str(world.people["teacher_b"].id),
        },
        TODAY,
    )
    assert [v.code for v in found.refused] == ["person_elsewhere"]
    with pytest.raises(NotFound):
        checklist.checklist(
            session,
            world.actor("staff_b"),
            "nomination",
            None,
            {},
            TODAY,
            dossier_id=make_dossier(session, world).id,
        )


@pytest.mark.db
def test_the_head_is_told_a_plan_will_be_late_and_the_server_takes_it(session, world):
    plan = make_dossier(session, world, "plan", "unit_review")
    send = WORKFLOWS["plan"].transition("unit_approve")
    assert lateness_if_sent(plan, send, NOW) == (83, dt.date(2026, 3, 10))  # 10/3 → 1/6
    assert lateness_if_sent(plan, WORKFLOWS["plan"].transition("unit_return"), NOW) is None
    fire(session, plan.id, "unit_approve", world.actor("head_a"), now=NOW)
    assert plan.sent_late is True
    report = make_dossier(session, world, "report", "unit_review")
    assert lateness_if_sent(report, WORKFLOWS["report"].transition("unit_approve"), NOW) is None
