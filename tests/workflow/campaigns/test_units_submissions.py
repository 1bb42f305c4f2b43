"""``units_submissions`` (a unit's own plans and reports of every campaign in three statements)
says exactly what ``submissions`` (one campaign and kind, every unit) says of those units."""

from __future__ import annotations

import datetime as dt

import pytest

from models import Campaign, CampaignUnit
from tests.fixtures.people import make_dossier
from workflow import fire
from workflow.campaigns.deadlines import submission_status
from workflow.campaigns.participation import (
    SUBMISSION_KINDS,
    campaign_submissions,
    participant_ids,
    submissions,
    units_submissions,
)

UTC = dt.UTC
ON_TIME = dt.datetime(2026, 3, 9, 3, 0, tzinfo=UTC)
LATE = dt.datetime(2026, 3, 12, 3, 0, tzinfo=UTC)
TODAY = dt.date(2026, 3, 20)


def _send(session, world, kind, unit, when, campaign=None):
    dossier = make_dossier(
        session, world, kind, unit=unit, now=when, campaign_id=(campaign or world.campaign).id
    )
    for trigger, who in (("submit", f"staff_{unit}"), ("unit_approve", f"head_{unit}")):
        fire(session, dossier.id, trigger, world.actor(who), now=when)
    return dossier


@pytest.mark.db
def test_a_units_submissions_match_the_whole_campaigns(session, world):
    world.campaign.plan_due = dt.date(2026, 3, 10)
    world.campaign.report_due = dt.date(2026, 12, 31)
    world.campaign.late_allowed = True
    # A second campaign that only unit "a" takes part in (chosen by the Office).
    listed = Campaign(
        code="TD-CHON",
        name="Phong trào các trường được chọn",
        kind="thematic",
        year=2026,
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2026, 12, 31),
        plan_due=dt.date(2026, 3, 10),
        late_allowed=True,
        all_units=False,
    )
    session.add(listed)
    session.flush()
    session.add(CampaignUnit(campaign_id=listed.id, unit_id=world.units["a"].id))
    session.flush()
    _send(session, world, "plan", "a", ON_TIME)
    _send(session, world, "plan", "b", LATE)
    _send(session, world, "plan", "a", LATE, campaign=listed)

    campaigns = [world.campaign, listed]
    for units in ({"a"}, {"b"}, {"a", "b"}):
        ids = {world.units[u].id for u in units}
        found = units_submissions(session, campaigns, TODAY, ids)
        for campaign in campaigns:
            for kind in SUBMISSION_KINDS:
                whole = submissions(session, campaign, kind, TODAY)
                expected = {u: sub for u, sub in whole.items() if u in ids}
                assert found[(campaign.id, kind)] == expected, (campaign.code, kind, units)
    statuses = units_submissions(session, campaigns, TODAY, {world.units["a"].id})
    assert statuses[(world.campaign.id, "plan")][world.units["a"].id].status == "on_time"
    assert statuses[(listed.id, "plan")][world.units["a"].id].status == "late"
    assert (
        units_submissions(session, campaigns, TODAY, {world.units["b"].id})[(listed.id, "plan")]
        == {}
    )


@pytest.mark.db
def test_a_campaigns_plans_and_reports_read_together_follow_the_rule_for_each_unit(session, world):
    """``campaign_submissions`` judges each distinct sending once: every unit still gets what
    ``submission_status`` says of its own first sending, stored lateness or not."""
    world.campaign.plan_due = dt.date(2026, 3, 10)
    world.campaign.report_due = dt.date(2026, 3, 11)
    world.campaign.late_allowed = True
    sent = {
        ("plan", "a"): _send(session, world, "plan", "a", ON_TIME),
        ("plan", "b"): _send(session, world, "plan", "b", LATE),
        ("report", "a"): _send(session, world, "report", "a", LATE),
    }
    # Sendings older than the stored lateness: judged by the day they were sent.
    for dossier in (sent[("plan", "a")], sent[("plan", "b")]):
        dossier.sent_late = None
    session.flush()
    found = campaign_submissions(session, world.campaign, TODAY)
    assert set(found) == set(SUBMISSION_KINDS)
    units = participant_ids(session, world.campaign)
    assert units and {world.units["a"].id, world.units["b"].id} <= set(units)
    for kind in SUBMISSION_KINDS:
        assert set(found[kind]) == set(units)
        for unit_id in units:
            dossier = next(
                (d for (k, _), d in sent.items() if k == kind and d.unit_id == unit_id), None
            )
            expected = submission_status(world.campaign, kind, dossier, TODAY)
            assert found[kind][unit_id].status == expected, (kind, unit_id)
            assert found[kind][unit_id].dossier_id == (dossier.id if dossier else None)
        assert submissions(session, world.campaign, kind, TODAY) == found[kind]
    assert found["plan"][world.units["a"].id].status == "on_time"
    assert found["plan"][world.units["b"].id].status == "late"
    assert found["report"][world.units["a"].id].status == "late"
