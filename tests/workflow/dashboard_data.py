"""A campaign with known figures, for the dashboard and export tests.

Units taking part in ``world.campaign`` (every unit): a, b (schools), c (a school), d (a
division). Not taking part: the Department, its Office, an inactive school.

Plans (due 10/3/2026, a Việt Nam day): a sent at 23:59 on 10/3 local (on time); b at 00:00
on 11/3 local (late); c sent then withdrawn (counts as not sent); d none.
Reports (due 10/12/2026): a sent on 1/6 and c at the Council (on time); b a draft; d none.
Targets, added after the reports were sent, with figures: see ``EXPECTED_TARGETS``.
Nominations sent to the Department: see ``EXPECTED_*``; a draft, one awaiting the head and
one in the ad-hoc campaign are not counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from models import Campaign, ReportFigure, Target, Unit
from tests.fixtures.people import NOW, World, add_person, make_council_session, make_dossier
from workflow import fire

UTC = dt.UTC
ON_DUE_DAY_LOCAL_2359 = dt.datetime(2026, 3, 10, 16, 59, tzinfo=UTC)
DAY_AFTER_LOCAL_0000 = dt.datetime(2026, 3, 10, 17, 0, tzinfo=UTC)
TODAY = dt.date(2026, 6, 1)  # after the plan's due date, before the report's
AFTER_REPORTS = dt.date(2026, 12, 20)

EXPECTED_STATES = {
    "office_review": 2,
    "returned": 1,
    "council_review": 1,
    "approved": 1,
    "rejected": 1,
    "published": 4,
    "withdrawn": 1,
}
EXPECTED_TARGETS = {
    "T1": {"met": 1, "not_met": 1, "no_figure": 2},
    "T2": {"met": 0, "not_met": 1, "no_figure": 3},
    "T3": {"met": 1, "not_met": 0, "no_figure": 3},
    "T4": {"met": 1, "not_met": 1, "no_figure": 2},
}
HEAD_C = ("Ngô Thị Thanh Hương", "huong.ngo@example.vn", "0225 3846 123")


@dataclass
class Scenario:
    campaign: Campaign
    units: dict[str, Unit]
    targets: dict[str, Target]
    ids: dict[str, int]


def _units(session, world: World) -> None:
    extra = {
        "c": Unit(
            code="THCS-NGO-QUYEN",
            name="Trường THCS Ngô Quyền",
            kind="lower_secondary",
            locality="phường Hồng Bàng",
            email="thcs.ngoquyen@example.vn",
            phone="0225 3700 001",
        ),
        "d": Unit(code="PGDTrH", name="Phòng Giáo dục Trung học", kind="division"),
        "office": Unit(code="VP-SO", name="Văn phòng Sở", kind="office"),
        "closed": Unit(code="TH-CU", name="Trường Tiểu học Cũ", kind="primary", active=False),
    }
    session.add_all(extra.values())
    session.flush()
    world.units.update(extra)
    for key in ("c", "d"):
        add_person(session, world, f"staff_{key}", f"Cán bộ đơn vị {key}", [("unit_staff", key)])
    add_person(session, world, "head_c", HEAD_C[0], [("unit_head", "c")])
    world.users["head_c"].email, world.users["head_c"].phone = HEAD_C[1], HEAD_C[2]
    add_person(session, world, "head_d", "Lương Văn Đức", [("unit_head", "d")])
    session.flush()


def _plans_and_reports(session, world: World, council, ids: dict[str, int]) -> None:
    def make(name, kind, state, unit, now=NOW):
        ids[name] = make_dossier(
            session, world, kind, state, unit=unit, now=now, council=council, title=f"{kind} {unit}"
        ).id

    make("plan_a", "plan", "office_review", "a", ON_DUE_DAY_LOCAL_2359)
    make("plan_b", "plan", "accepted", "b", DAY_AFTER_LOCAL_0000)
    make("plan_c", "plan", "office_review", "c", dt.datetime(2026, 3, 5, tzinfo=UTC))
    fire(
        session,
        ids["plan_c"],
        "withdraw",
        world.actor("head_c"),
        inputs={"reason": "Lập lại kế hoạch"},
        now=dt.datetime(2026, 3, 6, tzinfo=UTC),
    )
    make("report_a", "report", "office_review", "a")
    make("report_b", "report", "draft", "b")
    make("report_c", "report", "council_review", "c")


def _targets(session, campaign: Campaign, ids: dict[str, int]) -> dict[str, Target]:
    targets = {
        "T1": Target(
            campaign_id=campaign.id,
            code="T1",
            title_vi="Tỷ lệ cơ sở triển khai kế hoạch thi đua",
            title_en="Institutions with a plan",
            kind="percent",
            comparison="at_least",
            threshold=Decimal(100),
            position=1,
        ),
        "T2": Target(
            campaign_id=campaign.id,
            code="T2",
            title_vi="Số mô hình mới, cách làm hay",
            title_en="Innovative models",
            kind="count",
            comparison="at_least",
            threshold=Decimal(1),
            position=2,
        ),
        "T3": Target(
            campaign_id=campaign.id,
            code="T3",
            title_vi="Tỷ lệ giáo viên đạt chuẩn trở lên",
            title_en="Teachers meeting standards",
            kind="percent",
            comparison="above_baseline",
            position=3,
        ),
        "T4": Target(
            campaign_id=campaign.id,
            code="T4",
            title_vi="Quản lý trên nền tảng số",
            title_en="Managed on a digital platform",
            kind="yes_no",
            position=4,
        ),
    }
    session.add_all(targets.values())
    session.flush()
    figures = {
        "report_a": {"T1": (100, None), "T2": (0, None), "T3": (80, 75), "T4": (1, None)},
        "report_c": {"T1": (90, None), "T3": (70, None), "T4": (0, None)},
        # A draft's figures are not counted.
        "report_b": {"T1": (100, None), "T2": (3, None), "T4": (1, None)},
    }
    for report, values in figures.items():
        for code, (value, baseline) in values.items():
            session.add(
                ReportFigure(
                    report_id=ids[report],
                    target_id=targets[code].id,
                    value=Decimal(value),
                    baseline=None if baseline is None else Decimal(baseline),
                )
            )
    session.flush()
    return targets


def _nominations(session, world: World, council, ids: dict[str, int]) -> None:
    def make(name, state, unit="a", **fields):
        ids[name] = make_dossier(
            session, world, "nomination", state, unit=unit, council=council, **fields
        ).id

    make("review_1", "office_review", nominee_name="Đặng Thị Hoa")
    make("review_2", "office_review", nominee_name="Phạm Văn Hải", direct_worker=True)
    make("pub_direct", "published", nominee_name="Nguyễn Thị Lựu", direct_worker=True)
    make("pub_other", "published", nominee_name="Trần Quốc Toản", position="Phó Hiệu trưởng")
    make(
        "pub_team",
        "published",
        nominee_kind="collective",
        nominee_name="Tổ Ngữ văn",
        award_type_id=world.awards["ttldtt"].id,
    )
    make("pub_ad_hoc", "published", nominee_name="Vũ Đức Thắng", ad_hoc=True, direct_worker=True)
    make("returned_ad_hoc", "returned", nominee_name="Lê Văn Dũng", ad_hoc=True)
    make(
        "at_council",
        "council_review",
        unit="b",
        award_type_id=world.awards["cstdcs"].id,
        nominee_name="Hoàng Thị Yến",
    )
    make("approved", "approved", unit="b", nominee_name="Bùi Thị Mơ")
    make("rejected", "rejected", unit="b", nominee_name="Đỗ Văn Khang")
    make("withdrawn", "office_review", unit="b", nominee_name="Mai Văn Tùng")
    fire(
        session,
        ids["withdrawn"],
        "withdraw",
        world.actor("head_b"),
        inputs={"reason": "Rút"},
        now=NOW,
    )
    # Not sent to the Department, or another campaign: never counted here.
    make("draft", "draft", nominee_name="Nháp")
    make("at_head", "unit_review", nominee_name="Chờ thủ trưởng")
    make(
        "other_campaign",
        "published",
        nominee_name="Cứu người",
        ad_hoc=True,
        campaign_id=world.ad_hoc.id,
    )


def build(session, world: World) -> Scenario:
    """The whole scenario, in ``session`` (flushed, not committed)."""
    campaign = session.get(Campaign, world.campaign.id)  # the world may come from another session
    campaign.late_allowed = True
    _units(session, world)
    council = make_council_session(session, world)
    ids: dict[str, int] = {}
    _plans_and_reports(session, world, council, ids)
    _nominations(session, world, council, ids)
    targets = _targets(session, campaign, ids)
    return Scenario(campaign, world.units, targets, ids)
