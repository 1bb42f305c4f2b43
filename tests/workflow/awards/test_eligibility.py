"""Eligibility and quota checks: each rule of the demo catalogue, eligible and not, with its
reason; quotas at, under and over the limit; prior titles from the awards history (imported
and recorded by the system); holds; the guard on office_approve and the recorded override."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from models import Initiative
from tests.fixtures.awards import (
    TODAY,
    advance,
    by_code,
    demo_catalogue,
    hold,
    nominate,
    record,
    records,
    rule,
)
from tests.fixtures.people import (
    NOW,
    group_named,
    make_dossier,
    person_named,
    register_person,
)
from tests.fixtures.snapshots import assert_refused
from web.demo.awards import RULES
from workflow import available, fire
from workflow.awards.eligibility import check, check_many, summary
from workflow.awards.rules import PURPOSES

pytestmark = pytest.mark.db

# The dossiers below are received on 01/6/2026: the versions of the rules in force that day.
RECEIVED = "2026-06-01"


def _in_force(spec: dict) -> bool:
    return (spec.get("valid_from") or RECEIVED) <= RECEIVED <= (spec.get("valid_to") or RECEIVED)


CATALOGUE_RULES = [
    (code, i)
    for code, (_, rules) in RULES.items()
    for i, spec in enumerate(rules)
    if _in_force(spec)
]


def _satisfy(session, world, awards, spec, nomination_fields: dict) -> None:
    """Make the rule ``spec`` hold for the nominee named in ``nomination_fields``."""
    unit_id, name = world.units["a"].id, nomination_fields["name"]
    if spec["kind"] == "prior_title":
        last = 2026 if spec["include_current"] else 2025
        held = awards[spec["award"]]
        group = group_named(session, unit_id, name) if held.nominee_kind == "collective" else None
        for year in range(last - spec["years"] + 1, last + 1):
            record(session, held, name, year, unit_id, collective=group)
    if spec["kind"] == "quota":
        records(session, awards[spec["of"]], 100, 2026, unit_id)
    if spec["kind"] in ("city_fighter", "merit_certificate"):
        person = person_named(session, name, unit_id)
        for year in range(2026 - spec["years"] + 1, 2027):
            record(session, awards[spec["award"]], name, year, unit_id, person=person)
        session.add(Initiative(person_id=person.id, year=2025, title="Sáng kiến", level="city"))
        session.flush()


@pytest.mark.parametrize(
    "code,index", CATALOGUE_RULES, ids=[f"{c}-{i}" for c, i in CATALOGUE_RULES]
)
def test_each_catalogue_rule_eligible_and_not(session, world, code, index):
    awards = demo_catalogue(session, world)
    spec = RULES[code][1][index]
    award = awards[code]
    name = "Tập thể Tổ Toán" if award.nominee_kind == "collective" else "Nguyễn Văn Đạt"
    every_purpose = [r["purpose"] for r in RULES[code][1] if r["kind"] == "evidence"] or [
        "evidence"
    ]
    _satisfy(session, world, awards, spec, {"name": name})
    good = nominate(session, world, award, name, purposes=every_purpose, rating="excellent")
    results = check(session, good, TODAY)
    assert len(results) == len([r for r in RULES[code][1] if _in_force(r)])
    kind_code = {
        "evidence": f"evidence:{spec.get('purpose')}",
        "prior_title": f"prior_title:{spec.get('award')}",
        "quota": f"quota:{spec.get('of')}",
        "hold": "hold",
    }.get(spec["kind"], spec["kind"])
    met = by_code(results, kind_code)
    assert met.ok and met.hard == spec["hard"] and met.source == spec["source"]

    # Not eligible: the other nominee has no history, no file of that purpose, is on hold,
    # or the unit has no base for the quota (unit b).
    other = "Tập thể Tổ Văn" if award.nominee_kind == "collective" else "Lê Thị Bé"
    if spec["kind"] == "hold" and award.nominee_kind == "collective":
        hold(session, unit_id=world.units["b"].id)
    elif spec["kind"] == "hold":
        hold(session, person=person_named(session, other, world.units["b"].id))
    purposes = [p for p in every_purpose if p != spec.get("purpose")] or ["evidence"]
    bad = nominate(session, world, award, other, unit="b", purposes=purposes, rating="complete")
    failed = by_code(check(session, bad, TODAY), kind_code)
    assert not failed.ok and failed.level == ("fail" if spec["hard"] else "warn")
    expected = {
        "evidence": f"Thiếu “{PURPOSES.get(spec.get('purpose'), ('',))[0]}”",
        "prior_title": f"Chưa đủ điều kiện “{awards[spec.get('award', code)].name_vi}”",
        "quota": "Vượt hạn mức 1/0",
        "hold": "Đang tạm dừng xét khen thưởng từ 01/05/2026: Đang xem xét kỷ luật",
        "rating": "Năm 2026: hoàn thành nhiệm vụ; chưa đạt mức “Hoàn thành tốt nhiệm vụ”",
        "grassroots_fighter": "chưa đạt tiêu chuẩn Lao động tiên tiến",
        "city_fighter": "Chưa đủ 3 năm liên tục “Chiến sĩ thi đua cơ sở” (2024–2026)",
        "merit_certificate": "Chưa đạt “Chiến sĩ thi đua cơ sở” đủ các năm 2025–2026",
    }[spec["kind"]]
    assert expected in failed.message_vi, failed.message_vi
    assert failed.message_en and failed.message_en != failed.message_vi


def _cstdcs(session, world, awards, name="Nguyễn Văn Đạt", **kw):
    kw.setdefault("rating", "excellent")
    return nominate(
        session, world, awards["CSTDCS"], name, purposes=("achievement_report", "initiative"), **kw
    )


def _with_city_quota(session, world):
    """The demo catalogue plus the quota a city may set (no quota is set by default: none is
    in the law today): Chiến sĩ thi đua cơ sở at most 15 % of the unit's Lao động tiên tiến."""
    awards = demo_catalogue(session, world)
    rule(session, world, awards["CSTDCS"], kind="quota", of="LDTT", pct=15)
    return awards


@pytest.mark.parametrize(
    "others,base,ok,text",
    [
        (1, 20, True, "Trong hạn mức 2/3"),  # under: 15% of 20 = 3
        (2, 20, True, "Trong hạn mức 3/3"),  # at the limit
        (3, 20, False, "Vượt hạn mức 4/3"),  # over
        (0, 6, False, "Vượt hạn mức 1/0"),  # 15% of 6 rounds down to 0
    ],
)
def test_quota_under_at_and_over_the_limit(session, world, others, base, ok, text):
    awards = _with_city_quota(session, world)
    unit = world.units["a"].id
    records(session, awards["LDTT"], base, 2026, unit)
    records(
        session, awards["CSTDCS"], others, 2026, unit, prefix="Đã đạt"
    )  # conferred earlier this year
    nomination = _cstdcs(session, world, awards)  # under Office review: counted with them
    quota = by_code(check(session, nomination, TODAY), "quota:LDTT")
    assert quota.ok is ok and quota.hard
    assert quota.message_vi.startswith(text), quota.message_vi
    assert f"tối đa 15% của {base} “Lao động tiên tiến”" in quota.message_vi


def test_quota_counts_history_and_live_nominations_only(session, world):
    awards = _with_city_quota(session, world)
    unit = world.units["a"].id
    records(session, awards["LDTT"], 26, 2026, unit)  # with the 4 below: 30, limit 4
    council = None
    # Counted: office review, at the Council, approved, published (once, with its record).
    for i, state in enumerate(("office_review", "council_review", "approved", "published")):
        record(session, awards["LDTT"], f"Đã gửi {i}", 2026, unit)
        _cstdcs(session, world, awards, f"Đã gửi {i}", state=state, council=council)
    # Not counted: a draft, one with the head, a returned one, a withdrawn one, another year's.
    _cstdcs(session, world, awards, "Nháp", state="draft")
    _cstdcs(session, world, awards, "Chờ thủ trưởng", state="unit_review")
    returned = _cstdcs(session, world, awards, "Bị trả lại")
    fire(
        session,
        returned.id,
        "office_return",
        world.actor("reviewer"),
        inputs={"reason": "Bổ sung"},
        now=NOW,
    )
    withdrawn = _cstdcs(session, world, awards, "Đã rút", state="draft")
    fire(
        session, withdrawn.id, "withdraw", world.actor("head_a"), inputs={"reason": "Rút"}, now=NOW
    )
    record(session, awards["CSTDCS"], "Năm trước", 2025, unit)
    probe = make_dossier(
        session, world, state="draft", award_type_id=awards["CSTDCS"].id, nominee_name="Mới"
    )
    quota = by_code(check(session, probe, TODAY), "quota:LDTT")
    assert quota.message_vi.startswith("Vượt hạn mức 5/4") and not quota.ok  # 4 counted + the probe


def test_prior_titles_from_imported_and_system_history(session, world):
    awards = demo_catalogue(session, world)
    unit = world.units["a"].id
    name = "Hoàng Văn Quyết"
    record(session, awards["CSTDCS"], name, 2024, unit)  # imported from the paper era
    record(session, awards["CSTDCS"], "HOÀNG  văn quyết", 2025, unit)  # folded name matches
    city = nominate(
        session,
        world,
        awards["CSTDTP"],
        name,
        purposes=("achievement_report", "minutes", "initiative"),
        rating="excellent",
    )
    prior = by_code(check(session, city, TODAY), "prior_title:CSTDCS")
    assert not prior.ok and "chưa có năm 2026" in prior.message_vi
    # This year's Chiến sĩ thi đua cơ sở goes through the system and is published: now recorded.
    records(session, awards["LDTT"], 20, 2026, unit)
    record(session, awards["LDTT"], name, 2026, unit)
    _cstdcs(session, world, awards, name, state="published")
    prior = by_code(check(session, city, TODAY), "prior_title:CSTDCS")
    assert prior.ok and "năm 2024–2026" in prior.message_vi


def test_history_of_another_unit_or_an_ad_hoc_award_does_not_count(session, world):
    awards = demo_catalogue(session, world)
    name = "Hoàng Văn Quyết"
    record(session, awards["CSTDCS"], name, 2024, world.units["b"].id)  # a namesake elsewhere
    record(session, awards["CSTDCS"], name, 2025, world.units["a"].id, basis="ad_hoc")
    record(session, awards["CSTDCS"], name, 2026, world.units["a"].id)
    city = nominate(
        session,
        world,
        awards["CSTDTP"],
        name,
        purposes=("achievement_report", "minutes", "initiative"),
    )
    prior = by_code(check(session, city, TODAY), "prior_title:CSTDCS")
    assert not prior.ok and "chưa có năm 2024, 2025" in prior.message_vi


def test_prior_title_follows_the_person_across_units(session, world):
    awards = demo_catalogue(session, world)
    teacher = register_person(session, world, "Phan Thị Xuân", "b")
    record(session, awards["LDTT"], "Phan Thị Xuân", 2026, world.units["b"].id, person=teacher)
    # Transferred to unit a: the history goes with the person, not with the name.
    teacher.unit_id = world.units["a"].id
    session.flush()
    records(session, awards["LDTT"], 20, 2026, world.units["a"].id)
    nomination = _cstdcs(session, world, awards, person_id=teacher.id)
    assert by_code(check(session, nomination, TODAY), "prior_title:LDTT").ok
    # Someone else of the same name in unit a is another person: the record is not theirs.
    namesake = register_person(session, world, "Phan Thị Xuân", "a")
    assert namesake.id == teacher.id  # found by name in the unit: the same entry
    other = person_named(session, "Phan Thị Xuân", world.units["b"].id)
    assert other.id != teacher.id
    assert not by_code(
        check(session, _cstdcs(session, world, awards, person_id=other.id, unit="b"), TODAY),
        "prior_title:LDTT",
    ).ok


def test_a_same_year_prerequisite_still_pending_only_warns(session, world):
    awards = demo_catalogue(session, world)
    records(session, awards["LDTT"], 20, 2026, world.units["a"].id)
    pending = nominate(
        session,
        world,
        awards["LDTT"],
        "Nguyễn Văn Đạt",
        purposes=("achievement_report",),
        state="council_review",
    )
    nomination = _cstdcs(session, world, awards)
    prior = by_code(check(session, nomination, TODAY), "prior_title:LDTT")
    assert prior.level == "warn" and f"số {pending.id}" in prior.message_vi
    advance(session, world, pending, "approved")
    assert by_code(check(session, nomination, TODAY), "prior_title:LDTT").ok


def test_holds_on_a_person_and_a_unit(session, world):
    awards = demo_catalogue(session, world)
    person = nominate(
        session, world, awards["LDTT"], "Đỗ Thị Mai", purposes=("achievement_report",)
    )
    assert by_code(check(session, person, TODAY), "hold").ok
    hold(session, person=person.person, ends=dt.date(2026, 5, 20))  # over
    assert by_code(check(session, person, TODAY), "hold").ok
    # The same name elsewhere (the Council member Đỗ Thị Mai) is another person.
    hold(session, person=world.people["member2"], reason="Khiếu nại chưa giải quyết.")
    assert by_code(check(session, person, TODAY), "hold").ok
    hold(session, person=person.person, reason="Đang bị thanh tra.")
    assert by_code(check(session, person, TODAY), "hold").message_vi.endswith("Đang bị thanh tra.")

    team = nominate(
        session, world, awards["TTLDTT"], "Tổ Toán", purposes=("achievement_report",), unit="b"
    )
    individual = nominate(
        session, world, awards["LDTT"], "Lê Thị Cúc", purposes=("achievement_report",), unit="b"
    )
    hold(session, unit_id=world.units["b"].id, reason="Đơn vị đang bị thanh tra tài chính.")
    assert not by_code(check(session, team, TODAY), "hold").ok
    assert by_code(
        check(session, individual, TODAY), "hold"
    ).ok  # a unit hold blocks its collectives


def test_hard_rule_blocks_office_approve_with_its_reason(session, world):
    awards = _with_city_quota(session, world)
    nomination = _cstdcs(session, world, awards)  # no LĐTT this year, no base for the quota
    reviewer = world.actor("reviewer")
    button = dict(available(session, nomination, reviewer))
    office_approve = next(t for t in button if t.trigger == "office_approve")
    assert [v.code for v in button[office_approve]] == ["eligibility_failed"]
    error = assert_refused(
        session,
        nomination.id,
        lambda: fire(
            session,
            nomination.id,
            "office_approve",
            reviewer,
            inputs={"reason": "Vẫn trình"},
            now=NOW,
        ),
        "eligibility_failed",
    )
    message = error.messages("vi")[0]
    assert (
        "Chưa đủ điều kiện “Lao động tiên tiến” năm 2026" in message and "Vượt hạn mức" in message
    )
    assert "Eligibility rules not met" in error.messages("en")[0]


def test_soft_rule_needs_a_reason_and_the_override_is_audited(session, world):
    awards = demo_catalogue(session, world)
    certificate = nominate(
        session, world, awards["GK-GD-CN"], "Vũ Văn Thắng", purposes=("proposal",)
    )
    assert summary(check(session, certificate, TODAY)) == "warn"
    reviewer = world.actor("reviewer")
    error = assert_refused(
        session,
        certificate.id,
        lambda: fire(session, certificate.id, "office_approve", reviewer, inputs={}, now=NOW),
        "eligibility_override_required",
    )
    assert "Thiếu “Báo cáo thành tích”" in error.messages("vi")[0]
    reason = "Khen đột xuất: thành tích đã nêu trong tờ trình."
    event = fire(
        session, certificate.id, "office_approve", reviewer, inputs={"reason": reason}, now=NOW
    )
    override = json.loads(event.changes)["eligibility_override"]
    assert event.reason == reason and override["reason"] == reason
    assert [w["code"] for w in override["warnings"]] == ["evidence:achievement_report"]
    assert "Thiếu “Báo cáo thành tích”" in override["warnings"][0]["message"]


def test_no_warning_no_override_recorded(session, world):
    awards = demo_catalogue(session, world)
    nomination = nominate(
        session, world, awards["LDTT"], "Phạm Thị Lan", purposes=("achievement_report",)
    )
    event = fire(session, nomination.id, "office_approve", world.actor("reviewer"), now=NOW)
    assert "eligibility_override" not in json.loads(event.changes)


def test_rules_apply_by_the_day_the_dossier_was_received(session, world):
    award = world.awards["ldtt"]
    rule(session, world, award, kind="evidence", purpose="minutes", valid_to="2026-05-31")
    rule(session, world, award, kind="evidence", purpose="proposal", valid_from="2026-06-02")
    rule(
        session,
        world,
        award,
        kind="evidence",
        purpose="achievement_report",
        valid_from="2026-06-01",
    )
    nomination = nominate(
        session, world, award, purposes=("achievement_report",)
    )  # received 1/6/2026
    assert [r.code for r in check(session, nomination, TODAY)] == ["evidence:achievement_report"]


def test_an_award_without_rules_has_no_checks_and_check_many_matches_check(session, world):
    plain = make_dossier(session, world, state="office_review")
    assert check(session, plain, TODAY) == [] and summary([]) == "none"
    awards = demo_catalogue(session, world)
    some = [_cstdcs(session, world, awards, f"Người {i}") for i in range(3)] + [plain]
    many = check_many(session, some, TODAY)
    assert many == {n.id: check(session, n, TODAY) for n in some}


def test_published_award_enters_the_history(session, world):
    from sqlalchemy import select

    from models import AwardRecord

    awards = demo_catalogue(session, world)
    nomination = nominate(
        session,
        world,
        awards["LDTT"],
        "Phạm Thị Lan",
        purposes=("achievement_report",),
        state="published",
    )
    row = session.scalar(select(AwardRecord).where(AwardRecord.dossier_id == nomination.id))
    assert (row.origin, row.year, row.basis, row.person_name, row.decision_number) == (
        "system",
        2026,
        "merit",
        "Phạm Thị Lan",
        "05/QĐ-SGDĐT",
    )


def test_holds_service_is_for_the_office_and_audited(session, world):
    from sqlalchemy import select

    from models import AuditEvent
    from workflow.awards.catalogue import CatalogueRefused
    from workflow.awards.holds import add_hold, end_hold

    awards = demo_catalogue(session, world)
    nomination = nominate(
        session, world, awards["LDTT"], "Đỗ Thị Mai", purposes=("achievement_report",)
    )
    values = {
        "person_id": str(nomination.person_id),
        "reason": "Đang thanh tra.",
        "starts_on": "2026-05-01",
    }
    with pytest.raises(CatalogueRefused) as refused:
        add_hold(session, world.actor("staff_a"), values)
    assert refused.value.is_permission
    with pytest.raises(CatalogueRefused) as refused:
        add_hold(session, world.actor("reviewer"), {**values, "person_id": ""})
    assert refused.value.violations[0].params["field"] == "person_id"
    new = add_hold(session, world.actor("reviewer"), values)
    assert (new.person_id, new.unit_id) == (nomination.person_id, world.units["a"].id)
    event = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "award_hold")).all()[
        -1
    ]
    assert json.loads(event.changes)["person_name"] == "Đỗ Thị Mai"
    assert not by_code(check(session, nomination, TODAY), "hold").ok
    end_hold(session, world.actor("admin"), new.id, TODAY)
    assert by_code(check(session, nomination, TODAY), "hold").ok
    # Ended: a second "end" (another click, a stale page, a later day) changes nothing.
    ended = new.ends_on
    for later in (TODAY, TODAY + dt.timedelta(days=30)):
        with pytest.raises(CatalogueRefused) as again:
            end_hold(session, world.actor("reviewer"), new.id, later)
        assert (
            again.value.code == "hold_not_in_force"
            and "đã kết thúc" in again.value.messages("vi")[0]
        )
    assert new.ends_on == ended
    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.entity_type == "award_hold")
        .order_by(AuditEvent.seq)
    ).all()
    assert actions == ["create", "end"]
