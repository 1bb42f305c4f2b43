"""The Office queue's unit choices are kept per process and follow every change of a unit."""

from __future__ import annotations

import pytest

from workflow.accounts import unit_admin
from workflow.accounts.admin import stamp
from workflow.campaigns.participation import name_key
from workflow.dossiers import queues

pytestmark = pytest.mark.db


def _units(session) -> tuple:
    return queues.office_filter_options(session)["units"]


def _names(session) -> dict[int, str]:
    return {u.id: u.name for u in _units(session)}


def test_the_choices_are_kept_until_a_unit_changes(session, world):
    first = _units(session)
    assert _units(session) is first
    assert [u.name for u in first] == sorted((u.name for u in first), key=name_key)
    admin, unit = world.actor("admin"), world.units["a"]
    drawn = stamp(unit_admin.snapshot(unit))
    values = {**unit_admin.snapshot(unit), "name": "Trường Mầm non Ánh Dương"}
    unit_admin.update_unit(session, admin, unit.id, values, expected_stamp=drawn)
    assert _names(session)[unit.id] == "Trường Mầm non Ánh Dương"
    added = unit_admin.create_unit(
        session,
        admin,
        {"code": "mn-hoa-sen", "name": "Trường Mầm non Hoa Sen", "kind": "preschool"},
    )
    assert _names(session)[added.id] == "Trường Mầm non Hoa Sen"


def _choices(session) -> tuple[dict, dict, dict]:
    options = queues.office_filter_options(session)
    return (
        {c.id: c.name for c in options["campaigns"]},
        {a.id: (a.name_vi, a.name_en) for a in options["awards"]},
        {u.id: u.name for u in options["units"]},
    )


def test_the_office_filter_choices_are_kept_until_a_campaign_award_or_unit_changes(session, world):
    first = queues.office_filter_options(session)
    assert queues.office_filter_options(session)["campaigns"] is first["campaigns"]
    campaigns, awards, units = _choices(session)
    assert campaigns[world.campaign.id] == world.campaign.name
    assert set(awards) == {a.id for a in world.awards.values() if a.active}
    assert world.units["dept"].id not in units and world.units["a"].id in units

    world.campaign.name = "Phong trào thi đua đã đổi tên"
    session.flush()
    assert _choices(session)[0][world.campaign.id] == "Phong trào thi đua đã đổi tên"

    award = next(a for a in world.awards.values() if a.active)
    award.name_en = "Renamed award"
    session.flush()
    assert _choices(session)[1][award.id][1] == "Renamed award"
    award.active = False
    session.flush()
    assert award.id not in _choices(session)[1]

    admin, unit = world.actor("admin"), world.units["a"]
    drawn = stamp(unit_admin.snapshot(unit))
    values = {**unit_admin.snapshot(unit), "name": "Trường THPT Đổi Tên"}
    unit_admin.update_unit(session, admin, unit.id, values, expected_stamp=drawn)
    assert _choices(session)[2][unit.id] == "Trường THPT Đổi Tên"
