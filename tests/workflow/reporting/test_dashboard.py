"""The dashboard's figures against data the test creates, with exact counts."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from models import Campaign, CampaignUnit, Unit
from tests.fixtures import dashboard_data as data
from tests.fixtures.people import make_dossier
from web.dashboard import charts
from workflow.campaigns import participation
from workflow.campaigns.participation import participants, submissions
from workflow.core import authz
from workflow.reporting import dashboard

pytestmark = pytest.mark.db


@pytest.fixture()
def scenario(session, world):
    return data.build(session, world)


def _unit_ids(session, campaign) -> set[int]:
    return set(session.scalars(participants(campaign)))


def test_every_active_unit_but_the_departments_own_takes_part(session, scenario):
    u = scenario.units
    assert _unit_ids(session, scenario.campaign) == {u["a"].id, u["b"].id, u["c"].id, u["d"].id}


def test_a_campaign_of_chosen_units_takes_those_still_active(session, world, scenario):
    u = scenario.units
    chosen = Campaign(
        code="CD-2026",
        name="Thi đua chuyên đề chuyển đổi số",
        kind="thematic",
        year=2026,
        all_units=False,
        plan_due=dt.date(2026, 4, 1),
    )
    session.add(chosen)
    session.flush()
    session.add_all(
        [CampaignUnit(campaign_id=chosen.id, unit_id=u[k].id) for k in ("a", "office", "closed")]
    )
    session.flush()
    # The Office chose its own Office: taken; the inactive school: not.
    assert _unit_ids(session, chosen) == {u["a"].id, u["office"].id}
    counts = dashboard.campaign_dashboard(session, chosen, dt.date(2026, 3, 1)).plans.counts
    assert counts == {"on_time": 0, "late": 0, "missing": 0, "pending": 2}


def test_plans_on_time_late_and_missing(session, scenario):
    board = dashboard.campaign_dashboard(session, scenario.campaign, data.TODAY)
    # a at 23:59 local on the due day: on time; b at 00:00 the next day: late;
    # c withdrew what it sent and d sent nothing: missing.
    assert board.plans.counts == {"on_time": 1, "late": 1, "missing": 2, "pending": 0}
    assert (board.plans.expected, board.plans.submitted) == (4, 2)
    by_unit = submissions(session, scenario.campaign, "plan", data.TODAY)
    u = scenario.units
    assert {k: by_unit[u[k].id].status for k in "abcd"} == {
        "a": "on_time",
        "b": "late",
        "c": "missing",
        "d": "missing",
    }
    assert by_unit[u["a"].id].dossier_id == scenario.ids["plan_a"]


def test_before_the_due_date_what_is_not_sent_is_pending(session, scenario):
    board = dashboard.campaign_dashboard(session, scenario.campaign, dt.date(2026, 3, 1))
    assert board.plans.counts == {"on_time": 1, "late": 1, "missing": 0, "pending": 2}


def test_reports_before_and_after_their_due_date(session, scenario):
    before = dashboard.campaign_dashboard(session, scenario.campaign, data.TODAY)
    after = dashboard.campaign_dashboard(session, scenario.campaign, data.AFTER_REPORTS)
    assert before.reports.counts == {"on_time": 2, "late": 0, "missing": 0, "pending": 2}
    assert after.reports.counts == {"on_time": 2, "late": 0, "missing": 2, "pending": 0}


def test_targets_met_not_met_and_without_figure(session, scenario):
    board = dashboard.campaign_dashboard(session, scenario.campaign, data.TODAY)
    assert {row.target.code: row.counts for row in board.targets} == data.EXPECTED_TARGETS


def test_nominations_by_state_award_and_unit(session, world, scenario):
    n = dashboard.campaign_dashboard(session, scenario.campaign, data.TODAY).nominations
    assert {c.key: c.count for c in n.by_state} == data.EXPECTED_STATES
    # Lifecycle order, Vietnamese labels from the definition.
    assert [c.key for c in n.by_state][:2] == ["office_review", "returned"]
    assert n.by_state[0].label_vi == "Văn phòng Sở thẩm định"
    assert n.total == 11 and n.published == 4
    awards = {c.key: c.count for c in n.by_award}
    assert awards == {
        world.awards["ldtt"].id: 9,
        world.awards["cstdcs"].id: 1,
        world.awards["ttldtt"].id: 1,
    }
    assert n.by_award[0].label_vi == "Lao động tiên tiến"
    assert [(c.key, c.count) for c in n.by_unit] == [
        (world.units["a"].id, 7),
        (world.units["b"].id, 4),
    ]


def test_the_dashboard_reads_the_units_it_shows_and_how_many_there_are(
    session, scenario, monkeypatch
):
    """The campaign's dashboard reads the ``TOP_UNITS`` units with the most nominations and
    the number of units with one; every unit's count is the same whichever is asked."""
    every = dashboard.nomination_figures(session, scenario.campaign)
    first = dashboard.nomination_figures(session, scenario.campaign, 1)
    assert [(c.key, c.count) for c in every.by_unit] == [
        (scenario.units["a"].id, 7),
        (scenario.units["b"].id, 4),
    ]
    assert (every.units, first.units) == (2, 2)
    assert first.by_unit == every.by_unit[:1]
    assert (first.by_state, first.by_award) == (every.by_state, every.by_award)
    monkeypatch.setattr(dashboard, "TOP_UNITS", 1)
    shown = dashboard.campaign_dashboard(session, scenario.campaign, data.TODAY).nominations
    assert shown == first


def test_units_with_as_many_nominations_come_in_the_order_of_their_names(session, world, scenario):
    """A tie in the count is broken by the unit's name (the database's order of names), in
    the top read for the page as in the list of every unit."""
    a, b = scenario.units["a"], scenario.units["b"]
    for name in ("Lý Thị Ba", "Lý Thị Bốn", "Lý Thị Năm"):  # b: 4 + 3 = 7, as many as a
        make_dossier(session, world, "nomination", "office_review", unit="b", nominee_name=name)
    a.name, b.name = "Trường THCS Zeta", "Trường THCS Alpha"
    session.flush()
    every = dashboard.nomination_figures(session, scenario.campaign)
    assert [(c.key, c.label_vi, c.count) for c in every.by_unit] == [
        (b.id, "Trường THCS Alpha", 7),
        (a.id, "Trường THCS Zeta", 7),
    ]
    first = dashboard.nomination_figures(session, scenario.campaign, 1)
    assert (first.by_unit, first.units) == (every.by_unit[:1], 2)


def test_direct_workers_and_ad_hoc(session, scenario):
    n = dashboard.campaign_dashboard(session, scenario.campaign, data.TODAY).nominations
    # Published individuals: Lựu (direct), Toản, Thắng (direct, ad-hoc); the collective is not a
    # person.
    assert (n.published_individuals, n.published_direct) == (3, 2)
    assert n.direct_share == pytest.approx(2 / 3)
    assert (n.ad_hoc_published, n.ad_hoc_in_progress) == (1, 1)


def test_every_nomination_of_an_ad_hoc_campaign_is_ad_hoc(session, world, scenario):
    n = dashboard.campaign_dashboard(session, world.ad_hoc, data.TODAY).nominations
    assert (n.total, n.ad_hoc_published, n.ad_hoc_in_progress) == (1, 1, 0)


@pytest.mark.parametrize(
    "filters,expected",
    [
        ({"state": "published"}, {"pub_direct", "pub_other", "pub_team", "pub_ad_hoc"}),
        ({"ad_hoc": True, "in_progress": True}, {"returned_ad_hoc"}),
        (
            {"state": "published", "nominee_kind": "individual", "direct": True},
            {"pub_direct", "pub_ad_hoc"},
        ),
        ({"state": "published", "nominee_kind": "individual", "direct": False}, {"pub_other"}),
        (
            {"in_progress": True},
            {"review_1", "review_2", "returned_ad_hoc", "at_council", "approved"},
        ),
    ],
)
def test_the_list_behind_a_figure_is_exactly_its_nominations(
    session, world, scenario, filters, expected
):
    stmt = dashboard.nominations_behind(world.actor("secretary"), scenario.campaign, **filters)
    found = {d.id for d in session.scalars(stmt)}
    assert found == {scenario.ids[name] for name in expected}


def test_units_to_chase_with_their_heads(session, scenario):
    board = dashboard.campaign_dashboard(session, scenario.campaign, data.TODAY)
    assert board.overdue_units == 2
    rows = {row.unit.code: row for row in board.chase}
    assert set(rows) == {"THCS-NGO-QUYEN", "PGDTrH"}
    c = rows["THCS-NGO-QUYEN"]
    assert (c.plan, c.report, c.overdue) == ("missing", "on_time", True)
    assert c.heads == [dashboard.Contact(*data.HEAD_C)]
    assert c.unit.phone == "0225 3700 001"
    # Vietnamese order: "Phòng" before "Trường".
    assert [row.unit.code for row in board.chase] == ["PGDTrH", "THCS-NGO-QUYEN"]


def test_unit_lines_and_their_filters(session, scenario):
    lines = dashboard.unit_lines(session, scenario.campaign, data.TODAY)
    assert [line.unit.code for line in lines] == [
        "PGDTrH",
        "THCS-NGO-QUYEN",
        "THPT-TRAN-PHU",
        "TH-DANG-TRAN-CON",
    ]
    late = dashboard.filter_lines(lines, kind="plan", status="late")
    assert [line.unit.code for line in late] == ["TH-DANG-TRAN-CON"]
    t1 = scenario.targets["T1"].id
    assert [
        line.unit.code for line in dashboard.filter_lines(lines, target_id=t1, result="not_met")
    ] == ["THCS-NGO-QUYEN"]
    a = next(line for line in lines if line.unit.code == "THPT-TRAN-PHU")
    assert (a.nominations_sent, a.nominations_published) == (7, 4)
    assert a.heads[0].name == "Trần Văn Bình"


def test_default_campaign_is_this_years_active_annual_one(session, world, scenario):
    assert dashboard.default_campaign(session, dt.date(2026, 5, 1)).id == world.campaign.id
    # Another year: the newest active campaign.
    found = dashboard.default_campaign(session, dt.date(2031, 1, 1))
    assert found.year == 2026 and found.active


def test_only_the_office_the_secretary_and_admins(world):
    allowed = {name for name in world.actors if authz.may_view_dashboard(world.actor(name))}
    assert allowed == {"reviewer", "reviewer2", "secretary", "admin"}


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_bar_chart_svg_has_title_labels_numbers_and_links():
    bars = [
        charts.Bar("Đã công bố", 4, "/office/?state=published"),
        charts.Bar("Trả lại <bổ sung>", 1),
    ]
    root = _parse(charts.bar_chart("c1", "Hồ sơ theo trạng thái", bars))
    assert root.tag == "svg" and root.get("aria-labelledby") == "c1-t"
    assert root.find("title").text == "Hồ sơ theo trạng thái"
    texts = [t.text for t in root.iter("text")]
    assert "Đã công bố" in texts and "4" in texts and "Trả lại <bổ sung>" in texts and "1" in texts
    assert [a.get("href") for a in root.iter("a")] == ["/office/?state=published"]
    assert all(el.get("style") is None for el in root.iter())  # the CSP forbids style attributes
    widths = [float(r.get("width")) for r in root.iter("rect")]
    assert widths[0] == pytest.approx(4 * widths[1])


def test_stacked_bars_and_donut_svg():
    rows = [
        charts.StackRow(
            "Kế hoạch",
            [
                charts.Bar("Đúng hạn", 3, "/u?s=on_time", "#1f7a3a"),
                charts.Bar("Chưa nộp", 1, "/u?s=missing", "#b3261e"),
            ],
        )
    ]
    root = _parse(charts.stacked_bars("c2", "Nộp kế hoạch", rows, [("Đúng hạn", "#1f7a3a")]))
    assert {a.get("href") for a in root.iter("a")} == {"/u?s=on_time", "/u?s=missing"}
    assert "4" in [t.text for t in root.iter("text")]  # the row's total
    ring = _parse(
        charts.donut("c3", "Tỷ lệ", [charts.Bar("Trực tiếp", 2), charts.Bar("Khác", 1)], "67%")
    )
    texts = [t.text for t in ring.iter("text")]
    assert "67%" in texts and "Trực tiếp: 2 (67%)" in texts
    empty = _parse(charts.donut("c4", "Tỷ lệ", [charts.Bar("Trực tiếp", 0)], "—"))
    assert empty.find("title").text == "Tỷ lệ"


def test_no_participant_means_no_division_by_zero(session, world):
    session.execute(Unit.__table__.update().values(active=False))
    board = dashboard.campaign_dashboard(session, world.campaign, data.TODAY)
    assert board.expected == 0 and board.nominations.direct_share is None and board.chase == []
    assert session.scalar(select(Unit.id).where(Unit.active.is_(True))) is None


def test_the_year_counts_every_campaign_where_one_campaign_cannot(session, world, scenario):
    """The annual campaign holds one ad-hoc commendation; the year holds it and the ad-hoc
    campaign's too, and the direct-worker share is counted on every individual of the year."""
    one = dashboard.nomination_figures(session, scenario.campaign)
    year = dashboard.year_nomination_figures(session, 2026)
    assert (one.ad_hoc_published, year.ad_hoc_published) == (1, 2)
    assert year.total == one.total + 1
    assert year.published_individuals == one.published_individuals + 1
    assert year.published_direct == one.published_direct
    assert dashboard.year_nomination_figures(session, 2025).total == 0

    board = dashboard.year_dashboard(session, 2026)
    rows = {r.campaign.id: (r.sent, r.published, r.ad_hoc) for r in board.campaigns}
    assert rows[world.ad_hoc.id] == (1, 1, 1)
    assert rows[scenario.campaign.id] == (one.total, one.published, 2)
    assert board.figures.total == sum(r.sent for r in board.campaigns)


def test_many_units_are_named_by_reading_every_unit_with_the_same_figures(
    session, scenario, monkeypatch
):
    """Past ``MANY_IDS`` units (a city's), names and contacts come from reading every unit
    rather than binding each id: the same dashboard, lines and order."""
    few = dashboard.campaign_dashboard(session, scenario.campaign, data.TODAY, chase_limit=None)
    lines = dashboard.unit_lines(session, scenario.campaign, data.TODAY)
    monkeypatch.setattr(participation, "MANY_IDS", 0)
    many = dashboard.campaign_dashboard(session, scenario.campaign, data.TODAY, chase_limit=None)
    assert many == few and few.chase and few.nominations.by_unit
    assert dashboard.unit_lines(session, scenario.campaign, data.TODAY) == lines
    a = scenario.units["a"].id
    every = participation.unit_infos(session, participants(scenario.campaign))
    assert participation.unit_infos(session, [a]) == {a: every[a]}
