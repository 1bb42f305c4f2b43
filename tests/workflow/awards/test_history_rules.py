"""Eligibility by person, from the register: each rule kind on the nominee's history at its
boundary, the rule version in force on the day the dossier was received, one initiative for one
award, one award per achievement, and the queries a check costs."""

from __future__ import annotations

import datetime as dt

import pytest

from models import AwardType, Collective, Discipline, Evaluation, Initiative, Membership
from tests.fixtures.awards import TODAY, by_code, nominate, record
from tests.fixtures.people import group_named, new_person
from tests.fixtures.statements import statements_run
from workflow import fire
from workflow.awards import catalogue
from workflow.awards.eligibility import Checker, check
from workflow.core.errors import EditRefused
from workflow.dossiers import content as dossiers

pytestmark = pytest.mark.db


def _rule(session, world, target: AwardType, **values):
    """A rule of ``target`` added through the catalogue (its params may name an "award")."""
    values.setdefault("hard", True)
    values.setdefault("source", "Nguồn kiểm thử")
    return catalogue.add_rule(session, world.actor("admin"), target.id, values)


def _award(session, code: str, name: str, kind: str = "individual") -> AwardType:
    award = AwardType(
        code=code,
        name_vi=name,
        name_en=code,
        nominee_kind=kind,
        conferring_authority="department_director",
        vote_threshold="1/2",
    )
    session.add(award)
    session.flush()
    return award


def _rated(session, person, **years: str) -> None:
    session.add_all(
        Evaluation(person_id=person.id, year=int(y[1:]), rating=r) for y, r in years.items()
    )
    session.flush()


def _initiative(session, person, year: int, level: str = "unit", **kw) -> Initiative:
    row = Initiative(person_id=person.id, year=year, title=f"Sáng kiến {year}", level=level, **kw)
    session.add(row)
    session.flush()
    return row


def _teacher(session, world, name: str = "Vũ Thị Hạnh"):
    return new_person(session, world.units["a"].id, name, "Giáo viên")


def _result(session, world, award, entry, code, **fields):
    """The result ``code`` for a new nomination of ``entry`` (a person, a group, or None: the
    unit itself)."""
    if isinstance(entry, Collective):
        fields["collective_id"] = entry.id
    elif entry is not None:
        fields["person_id"] = entry.id
    nomination = nominate(session, world, award, **fields)
    return by_code(check(session, nomination, TODAY), code)


# --- Lao động tiên tiến, Chiến sĩ thi đua cơ sở ---------------------------------------------


def test_advanced_worker_standard_is_a_good_rating_that_year(session, world):
    ldtt = world.awards["ldtt"]
    _rule(session, world, ldtt, kind="rating", rating="good", source="Luật TĐKT, Điều 24")
    good, fair = _teacher(session, world), _teacher(session, world, "Lê Văn Tám")
    _rated(session, good, y2026="good")
    _rated(session, fair, y2026="complete", y2025="excellent")
    ok = _result(session, world, ldtt, good, "rating")
    assert ok.ok and "hoàn thành tốt nhiệm vụ" in ok.message_vi
    assert ok.source == "Luật TĐKT, Điều 24"
    failed = _result(session, world, ldtt, fair, "rating")
    assert not failed.ok and "chưa đạt" in failed.message_vi and failed.message_en


def test_grassroots_fighter_needs_excellence_or_an_initiative(session, world):
    cstdcs = world.awards["cstdcs"]
    _rule(session, world, cstdcs, kind="grassroots_fighter", rating="good")
    plain, excellent, inventive, weak = (
        _teacher(session, world, n) for n in ("An Văn Một", "Bùi Thị Hai", "Cao Văn Ba", "Đỗ Tư")
    )
    _rated(session, plain, y2026="good")
    _rated(session, excellent, y2026="excellent")
    _rated(session, inventive, y2026="good")
    _rated(session, weak, y2026="complete")
    _initiative(session, inventive, 2026)
    _initiative(session, plain, 2025)  # another year: does not count
    _initiative(session, weak, 2026)  # not up to the Advanced Worker standard
    assert not _result(session, world, cstdcs, plain, "grassroots_fighter").ok
    assert _result(session, world, cstdcs, excellent, "grassroots_fighter").ok
    found = _result(session, world, cstdcs, inventive, "grassroots_fighter")
    assert found.ok and found.initiatives and "Sáng kiến 2026" in found.message_vi
    assert not _result(session, world, cstdcs, weak, "grassroots_fighter").ok


def test_one_initiative_counts_toward_one_award(session, world):
    cstdcs, ldtt = world.awards["cstdcs"], world.awards["ldtt"]
    _rule(session, world, cstdcs, kind="grassroots_fighter", rating="good")
    person = _teacher(session, world)
    _rated(session, person, y2026="good")
    initiative = _initiative(session, person, 2026)
    first = nominate(session, world, cstdcs, person_id=person.id, state="published")
    # Publishing the award marks the initiative it relied on.
    session.refresh(initiative)
    assert initiative.used_by_record_id is not None
    assert by_code(check(session, first, TODAY), "grassroots_fighter").ok  # its own award
    # Another award of the same year cannot rely on it again.
    _rule(session, world, ldtt, kind="grassroots_fighter", rating="good")
    again = _result(session, world, ldtt, person, "grassroots_fighter")
    assert not again.ok and "chưa dùng cho khen thưởng khác" in again.message_vi


# --- Chiến sĩ thi đua thành phố, Bằng khen ----------------------------------------------------


def test_city_fighter_three_consecutive_years_and_a_city_initiative(session, world):
    city, cstdcs = _award(session, "CSTDTP", "Chiến sĩ thi đua thành phố"), world.awards["cstdcs"]
    _rule(
        session,
        world,
        city,
        kind="city_fighter",
        award="CSTDCS",
        years=3,
        include_current=True,
        level="city",
    )
    unit = world.units["a"].id
    three, gap, adhoc = (
        _teacher(session, world, n) for n in ("Ba Năm", "Có Gián Đoạn", "Đột Xuất")
    )
    for person, years in ((three, (2024, 2025, 2026)), (gap, (2023, 2024, 2026))):
        for year in years:
            record(session, cstdcs, person.full_name, year, unit, person=person)
        _initiative(session, person, 2025, "city")
    for year, basis in ((2024, "merit"), (2025, "ad_hoc"), (2026, "merit")):
        record(session, cstdcs, adhoc.full_name, year, unit, person=adhoc, basis=basis)
    _initiative(session, adhoc, 2025, "city")
    ok = _result(session, world, city, three, "city_fighter")
    assert ok.ok and "2024–2026" in ok.message_vi
    failed = _result(session, world, city, gap, "city_fighter")
    assert not failed.ok and "thiếu năm 2025" in failed.message_vi
    # An ad-hoc award is no ground for a merit title.
    assert "thiếu năm 2025" in _result(session, world, city, adhoc, "city_fighter").message_vi
    # Three years, but the initiative was recognised by the unit only.
    unit_level = _teacher(session, world, "Cấp Cơ Sở")
    for year in (2024, 2025, 2026):
        record(session, cstdcs, unit_level.full_name, year, unit, person=unit_level)
    _initiative(session, unit_level, 2026, "unit")
    assert "cấp thành phố" in _result(session, world, city, unit_level, "city_fighter").message_vi


def test_certificate_two_years_fighter_or_excellent_with_two_initiatives(session, world):
    merit, cstdcs = _award(session, "BK-CN", "Bằng khen"), world.awards["cstdcs"]
    _rule(
        session,
        world,
        merit,
        kind="merit_certificate",
        award="CSTDCS",
        years=2,
        include_current=True,
        initiatives=2,
    )
    unit = world.units["a"].id
    fighter, excellent, one = (_teacher(session, world, n) for n in ("Hai Năm", "Xuất Sắc", "Một"))
    for year in (2025, 2026):
        record(session, cstdcs, fighter.full_name, year, unit, person=fighter)
    for person, count in ((excellent, 2), (one, 1)):
        _rated(session, person, y2025="excellent", y2026="excellent")
        for i in range(count):
            _initiative(session, person, 2025 + i)
    assert _result(session, world, merit, fighter, "merit_certificate").ok
    with_two = _result(session, world, merit, excellent, "merit_certificate")
    assert with_two.ok and len(with_two.initiatives) == 2
    failed = _result(session, world, merit, one, "merit_certificate")
    assert not failed.ok and "(có 1)" in failed.message_vi


# --- collectives -----------------------------------------------------------------------------


def _members(session, world, count: int, group=None) -> list:
    unit = world.units["a"].id
    people = [new_person(session, unit, f"Thành viên {i}") for i in range(count)]
    for person in people:
        person.memberships[0].starts_on = dt.date(2020, 9, 1)
        person.memberships[0].collective_id = group.id if group else None
    # Left before the year: not a member in 2026.
    gone = new_person(session, unit, "Đã chuyển đi")
    gone.memberships[0].ends_on = dt.date(2025, 8, 31)
    session.flush()
    return people


@pytest.mark.parametrize("members,holding,ok", [(10, 7, True), (10, 6, False), (100, 69, False)])
def test_advanced_collective_needs_seventy_percent(session, world, members, holding, ok):
    ttldtt, ldtt = world.awards["ttldtt"], world.awards["ldtt"]
    _rule(
        session,
        world,
        ttldtt,
        kind="advanced_collective",
        award="LDTT",
        member_pct=70,
        discipline="warning",
    )
    group = group_named(session, world.units["a"].id, "Tổ Toán")
    people = _members(session, world, members, group)
    for person in people[:holding]:
        record(session, ldtt, person.full_name, 2026, world.units["a"].id, person=person)
    result = _result(session, world, ttldtt, group, "advanced_collective")
    assert result.ok is ok, result.message_vi
    share = f"{holding}/{members} ({holding * 100 // members}%)"
    assert share in result.message_vi


def test_a_warning_in_force_blocks_the_collective_a_reprimand_does_not(session, world):
    ttldtt, ldtt = world.awards["ttldtt"], world.awards["ldtt"]
    _rule(
        session,
        world,
        ttldtt,
        kind="advanced_collective",
        award="LDTT",
        member_pct=70,
        discipline="warning",
    )
    people = _members(session, world, 10)
    for person in people:
        record(session, ldtt, person.full_name, 2026, world.units["a"].id, person=person)
    session.add(Discipline(person_id=people[0].id, form="reprimand", starts_on=dt.date(2026, 3, 1)))
    session.add(
        Discipline(
            person_id=people[1].id,
            form="warning",
            starts_on=dt.date(2024, 3, 1),
            ends_on=dt.date(2025, 2, 28),  # over before the year
        )
    )
    session.flush()
    nomination = nominate(session, world, ttldtt)
    assert by_code(check(session, nomination, TODAY), "advanced_collective").ok
    session.add(Discipline(person_id=people[2].id, form="warning", starts_on=dt.date(2025, 12, 1)))
    session.flush()
    failed = by_code(check(session, nomination, TODAY), "advanced_collective")
    assert not failed.ok and "1 thành viên bị kỷ luật từ “cảnh cáo”" in failed.message_vi


def test_excellent_collective(session, world):
    ttldxs = _award(session, "TTLDXS", "Tập thể lao động xuất sắc", "collective")
    ldtt, cstdcs = world.awards["ldtt"], world.awards["cstdcs"]
    _rule(
        session,
        world,
        ttldxs,
        kind="excellent_collective",
        award="LDTT",
        member_pct=70,
        fighter="CSTDCS",
        rating="complete",
    )
    group = group_named(session, world.units["a"].id, "Tổ Ngữ văn")
    people = _members(session, world, 10, group)
    unit = world.units["a"].id
    for person in people:
        _rated(session, person, y2026="good")
        record(session, ldtt, person.full_name, 2026, unit, person=person)
    nomination = nominate(session, world, ttldxs, collective_id=group.id)
    failed = by_code(check(session, nomination, TODAY), "excellent_collective")
    assert (
        not failed.ok and "không thành viên nào đạt “Chiến sĩ thi đua cơ sở”" in failed.message_vi
    )
    record(session, cstdcs, people[0].full_name, 2026, unit, person=people[0])
    session.query(Evaluation).filter_by(person_id=people[1].id).update({"rating": "incomplete"})
    failed = by_code(check(session, nomination, TODAY), "excellent_collective")
    assert "1 thành viên chưa được xếp loại" in failed.message_vi
    session.query(Evaluation).filter_by(person_id=people[1].id).update({"rating": "complete"})
    assert by_code(check(session, nomination, TODAY), "excellent_collective").ok


# --- versions, one award per achievement, queries -----------------------------------------


@pytest.mark.parametrize(
    "sent,source",
    [
        (dt.datetime(2025, 6, 30, 16, 59, tzinfo=dt.UTC), "Nghị định 98/2023/NĐ-CP"),
        # 00:00 on 01/7/2025 in Hải Phòng.
        (dt.datetime(2025, 6, 30, 17, 0, tzinfo=dt.UTC), "Nghị định 152/2025/NĐ-CP"),
        (dt.datetime(2026, 9, 30, 16, 59, tzinfo=dt.UTC), "Nghị định 152/2025/NĐ-CP"),
        (dt.datetime(2026, 9, 30, 17, 0, tzinfo=dt.UTC), "Luật 06/2026/QH16"),
    ],
)
def test_the_rule_version_in_force_on_the_day_received(session, world, sent, source):
    ldtt = world.awards["ldtt"]
    for src, start, end in (
        ("Nghị định 98/2023/NĐ-CP", "", "2025-06-30"),
        ("Nghị định 152/2025/NĐ-CP", "2025-07-01", "2026-09-30"),
        ("Luật 06/2026/QH16", "2026-10-01", ""),
    ):
        _rule(
            session,
            world,
            ldtt,
            kind="rating",
            rating="good",
            source=src,
            valid_from=start,
            valid_to=end,
        )
    person = _teacher(session, world)
    nomination = nominate(session, world, ldtt, person_id=person.id)
    nomination.sent_at = sent
    results = check(session, nomination, TODAY)
    assert [r.source for r in results] == [source]


def test_one_achievement_one_award(session, world):
    ldtt = world.awards["ldtt"]
    person = _teacher(session, world)
    first = nominate(session, world, ldtt, person_id=person.id, state="unit_review")
    with pytest.raises(EditRefused) as refused:
        nominate(session, world, ldtt, person_id=person.id, state="draft")
    message = refused.value.messages("vi")[0]
    assert f"hồ sơ số {first.id}" in message and "Vũ Thị Hạnh" in message
    # Withdrawn, it no longer stands; another award the same year is another matter.
    fire(session, first.id, "unit_return", world.actor("head_a"), inputs={"reason": "Sửa"})
    fire(session, first.id, "withdraw", world.actor("head_a"), inputs={"reason": "Rút"})
    assert nominate(session, world, ldtt, person_id=person.id, state="draft").id
    assert nominate(session, world, world.awards["cstdcs"], person_id=person.id, state="draft").id


def test_the_nominee_must_be_a_current_person_of_the_unit(session, world):
    ldtt = world.awards["ldtt"]
    elsewhere = new_person(session, world.units["b"].id, "Người Trường Khác")
    merged = _teacher(session, world, "Đã Gộp")
    merged.merged_into_id = elsewhere.id
    group = group_named(session, world.units["a"].id, "Tổ cũ")
    group.active = False
    session.flush()
    for fields, text in (
        ({"person_id": elsewhere.id}, "không phải người đang công tác tại đơn vị"),
        ({"person_id": merged.id}, "đã được gộp vào một người khác"),
        (
            {
                "nominee_kind": "collective",
                "collective_id": group.id,
                "award_type_id": world.awards["ttldtt"].id,
            },
            "không còn hoạt động",
        ),
    ):
        with pytest.raises(EditRefused) as refused:
            dossiers.create(
                session,
                world.actor("staff_a"),
                "nomination",
                world.units["a"].id,
                {
                    "title": "Đề nghị",
                    "campaign_id": world.campaign.id,
                    "nominee_kind": "individual",
                    "award_type_id": ldtt.id,
                    "achievements": "x",
                    **fields,
                },
            )
        assert text in refused.value.messages("vi")[0]


def _statements(session, call) -> int:
    return len(statements_run(session, call))


def test_a_person_with_ten_years_costs_one_query_per_kind_of_fact(session, world):
    merit, cstdcs = _award(session, "BK-CN", "Bằng khen"), world.awards["cstdcs"]
    for kind, values in (
        ("rating", {"rating": "good"}),
        ("grassroots_fighter", {"rating": "good"}),
        ("city_fighter", {"award": "CSTDCS", "years": 3, "include_current": True, "level": "city"}),
        (
            "merit_certificate",
            {"award": "CSTDCS", "years": 2, "include_current": True, "initiatives": 2},
        ),
        ("prior_title", {"award": "CSTDCS", "years": 5, "include_current": False}),
        ("hold", {}),
    ):
        _rule(session, world, merit, kind=kind, **values)
    unit = world.units["a"].id

    def cost(person, years: range) -> int:
        for year in years:
            record(session, cstdcs, person.full_name, year, unit, person=person)
            _rated(session, person, **{f"y{year}": "excellent"})
            _initiative(session, person, year, "city")
            session.add(Membership(person_id=person.id, unit_id=unit))
        nomination = nominate(session, world, merit, person_id=person.id)
        return _statements(session, lambda: Checker(session, TODAY).check(nomination))

    long_history = cost(_teacher(session, world, "Mười Năm"), range(2017, 2027))
    short_history = cost(_teacher(session, world, "Một Năm"), range(2026, 2027))
    # The rules and the awards, then at most one query each: records, ratings, initiatives,
    # holds; never one per year or per rule.
    assert long_history <= 6 and short_history <= 6, (long_history, short_history)
