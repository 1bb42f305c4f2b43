"""The Office queue's unit choices are kept per process and follow every change of a unit."""

from __future__ import annotations

import pytest

from workflow.accounts import unit_admin
from workflow.accounts.admin import stamp
from workflow.campaigns.participation import name_key
from workflow.dossiers import queues

pytestmark = pytest.mark.db


def _names(session) -> dict[int, str]:
    return {u.id: u.name for u in queues.unit_choices(session)}


def test_the_choices_are_kept_until_a_unit_changes(session, world):
    first = queues.unit_choices(session)
    assert queues.unit_choices(session) is first
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
