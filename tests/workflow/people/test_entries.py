"""People of the register: adding, editing, duplicates, stale edits, transfers, and who may."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from models import AuditEvent, Membership, Person
from tests.fixtures.people import NOW, add_person
from tests.fixtures.register import PRIVATE_VALUES, make_group, make_person
from workflow.core.errors import EditRefused, NotFound, StaleVersion
from workflow.people import entries

# Each test starts from a register without entries (as a unit finds it before its first).
pytestmark = pytest.mark.usefixtures("empty_register")


def _events(session, person_id: int) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "person", AuditEvent.entity_id == person_id)
            .order_by(AuditEvent.seq)
        )
    )


def _codes(error) -> list[str]:
    return [v.params.get("field", v.code) for v in error.value.violations]


def test_a_person_is_added_with_a_period_in_the_unit_and_an_audit_event(session, world):
    person = make_person(session, world, **PRIVATE_VALUES, identity_kind="national_id")
    assert person.unit_id == world.units["a"].id and person.name_key == "pham thu trang"
    assert person.date_of_birth == dt.date(1988, 3, 14)
    assert [(m.unit_id, m.starts_on, m.ends_on) for m in person.memberships] == [
        (world.units["a"].id, NOW.date(), None)
    ]
    (event,) = _events(session, person.id)
    changes = json.loads(event.changes)
    assert event.action == "create" and changes["full_name"] == "Phạm Thu Trang"
    # The private fields are named, their values never written to the log.
    assert changes["identity_number"] == "private"
    assert all(value not in str(event.changes) for value in ("079188001234", "1988", "0912"))


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"full_name": ""}, "Họ và tên"),
        ({"identity_kind": "national_id", "identity_number": "12345"}, "Số định danh"),
        ({"identity_number": "079188001234"}, "Loại định danh"),
        ({"identity_kind": "unit_code", "identity_number": ""}, "Số định danh"),
        ({"date_of_birth": "31/02/1990"}, "Ngày sinh"),
        ({"date_of_birth": "01/01/2030"}, "Ngày sinh"),
        ({"date_of_birth": "01/01/2015"}, "Ngày sinh"),
        ({"date_of_birth": "01/01/1940"}, "Ngày sinh"),
        ({"email": "không-phải-thư"}, "Thư điện tử"),
        ({"phone": "abc"}, "Điện thoại"),
        ({"gender": "other"}, "Giới tính"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_written(
    session, world, fields, field
):
    before = session.scalar(select(func.count()).select_from(Person))
    with pytest.raises(EditRefused) as refused:
        make_person(session, world, **fields)
    assert field in _codes(refused)
    assert "“" + field + "”" in refused.value.messages("vi")[0]
    assert session.scalar(select(func.count()).select_from(Person)) == before


def test_an_account_must_have_a_role_in_the_unit_and_link_to_one_person(session, world):
    staff_b = world.users["staff_b"].id
    with pytest.raises(EditRefused) as refused:
        make_person(session, world, user_id=staff_b)
    assert _codes(refused) == ["Tài khoản sử dụng"]
    make_person(session, world, "Nguyễn Thị Hồng", user_id=world.users["staff_a"].id)
    with pytest.raises(EditRefused):
        make_person(session, world, "Hồng Khác", user_id=world.users["staff_a"].id)


def test_a_council_member_working_in_the_unit_can_be_linked(session, world):
    """A principal on the Council: her account has no role in the school, yet the link is what
    recuses her from her own nomination, so the Office's and the Council's accounts are offered."""
    member = world.users["member2"].id
    assert member in {u.id for u in entries.accounts_of(session, world.units["a"].id)}
    person = make_person(session, world, "Đỗ Thị Mai", user_id=member)
    assert person.user_id == member


def test_a_probable_duplicate_needs_a_confirmation(session, world):
    first = make_person(session, world, identity_kind="national_id", identity_number="079188001234")
    with pytest.raises(EditRefused) as refused:
        make_person(
            session,
            world,
            "Trang Khác",
            unit="b",
            identity_kind="national_id",
            identity_number="079188001234",
            confirmed=False,
        )
    assert refused.value.code == "register_duplicate_unconfirmed"
    assert f"#{first.id}" in refused.value.messages("vi")[0]
    # Same name and date of birth, in another unit: also shown.
    make_person(session, world, date_of_birth="14/03/1988")
    with pytest.raises(EditRefused):
        make_person(session, world, unit="b", date_of_birth="14/03/1988", confirmed=False)
    assert make_person(session, world, unit="b", date_of_birth="14/03/1988").id


def test_an_edit_records_the_changed_fields_and_a_stale_one_is_refused(session, world):
    person = make_person(session, world)
    version = person.version
    entries.update_person(
        session,
        person.id,
        world.actor("head_a"),
        {
            "full_name": person.full_name,
            "gender": "female",
            "position": "Tổ trưởng",
            "phone": "0912345678",
        },
        expected_version=version,
        now=NOW,
    )
    event = _events(session, person.id)[-1]
    assert event.action == "edit"
    assert json.loads(event.changes) == {"position": ["Giáo viên", "Tổ trưởng"], "phone": "private"}
    assert person.version == version + 1
    with pytest.raises(StaleVersion) as stale:
        entries.update_person(
            session,
            person.id,
            world.actor("staff_a"),
            {"full_name": person.full_name, "position": "Hiệu phó"},
            expected_version=version,
            now=NOW,
        )
    message = stale.value.messages("vi")[0]
    assert "Trần Văn Bình" in message and "chức vụ" in message
    assert session.get(Person, person.id).position == "Tổ trưởng"


def test_another_unit_cannot_see_edit_or_transfer_a_person(session, world):
    person = make_person(session, world)
    other = world.actor("staff_b")
    with pytest.raises(NotFound):
        entries.load_person(session, person.id, other)
    with pytest.raises(NotFound):
        entries.update_person(session, person.id, other, {"full_name": "X"}, now=NOW)
    with pytest.raises(NotFound):
        entries.transfer_person(
            session, person.id, other, {"unit_id": world.units["b"].id, "starts_on": "01/09/2026"}
        )
    assert session.get(Person, person.id).unit_id == world.units["a"].id
    assert len(_events(session, person.id)) == 1
    assert entries.load_person(session, person.id, world.actor("reviewer")) is person


def test_a_transfer_closes_the_period_and_opens_one_in_the_new_unit(session, world):
    person = make_person(session, world)
    group = make_group(session, world, "Tổ Chuyên môn 1", unit="b")
    entries.transfer_person(
        session,
        person.id,
        world.actor("staff_a"),
        {"unit_id": world.units["b"].id, "starts_on": "01/09/2026", "collective_id": group.id},
        now=NOW,
    )
    periods = session.scalars(
        select(Membership).where(Membership.person_id == person.id).order_by(Membership.id)
    ).all()
    assert [(m.unit_id, m.ends_on) for m in periods] == [
        (world.units["a"].id, dt.date(2026, 8, 31)),
        (world.units["b"].id, None),
    ]
    assert (person.unit_id, person.collective_id) == (world.units["b"].id, group.id)
    assert entries.load_person(session, person.id, world.actor("staff_b")) is person
    with pytest.raises(NotFound):
        entries.load_person(session, person.id, world.actor("staff_a"))
    assert _events(session, person.id)[-1].action == "transfer"


def test_leaving_closes_the_period_and_the_office_still_sees_her(session, world):
    person = make_person(session, world)
    entries.transfer_person(
        session, person.id, world.actor("reviewer"), {"starts_on": "01/09/2026"}, now=NOW
    )
    assert person.unit_id is None and person.memberships[0].ends_on == dt.date(2026, 8, 31)
    assert entries.load_person(session, person.id, world.actor("reviewer")) is person


def test_a_transfer_needs_a_day_after_the_current_period_began(session, world):
    person = make_person(session, world)
    with pytest.raises(EditRefused):
        entries.transfer_person(
            session, person.id, world.actor("staff_a"), {"unit_id": world.units["b"].id}
        )
    with pytest.raises(EditRefused):
        entries.transfer_person(
            session,
            person.id,
            world.actor("staff_a"),
            {"unit_id": world.units["b"].id, "starts_on": "01/01/2020"},
        )
    assert person.unit_id == world.units["a"].id


def test_the_list_sorts_by_given_name_and_searches_folded_names(session, world):
    for name in ("Trần Văn Bình", "Nguyễn Thị Ánh", "Lê Đức Anh", "Phạm Thị Đào"):
        make_person(session, world, name)
    make_person(session, world, "Ngô Văn Bảo", unit="b")
    mine = [entries.visible_people(world.actor("staff_a"))]
    ids = entries.ordered_ids(session, mine, "name")
    names = [session.get(Person, i).full_name for i in ids]
    assert names == ["Lê Đức Anh", "Nguyễn Thị Ánh", "Trần Văn Bình", "Phạm Thị Đào"]
    found = entries.ordered_ids(session, [*mine, entries.search("dao")], "name")
    assert [session.get(Person, i).full_name for i in found] == ["Phạm Thị Đào"]
    every = entries.ordered_ids(
        session, [entries.visible_people(world.actor("reviewer"))], "-added"
    )
    assert len(every) == 5 and every == sorted(every, reverse=True)


def test_a_unit_member_of_another_unit_cannot_add_to_it(session, world):
    add_person(session, world, "staff_c", "Cán Bộ C", [("unit_staff", "b")])
    with pytest.raises(EditRefused):
        make_person(session, world, by="staff_c")
