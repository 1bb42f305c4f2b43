"""Reads shared by the dossiers a page judges together (``workflow.core.judged``), and the
to-do list reading its reports' figures once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models import ReportFigure, Target
from tests.fixtures.people import make_dossier
from tests.fixtures.statements import statements_run
from workflow.core.judged import per_dossier, together
from workflow.dossiers.queues import my_queues


def test_a_read_is_made_for_every_dossier_judged_together(session):
    asked: list[list[int]] = []

    def read(ids: list[int]) -> dict[int, str]:
        asked.append(ids)
        return {i: f"d{i}" for i in ids if i != 3}

    assert per_dossier(session, "r", 1, read) == "d1"  # alone: read for itself
    with together(session, [1, 2, 3]):
        assert per_dossier(session, "r", 2, read) == "d2"
        assert per_dossier(session, "r", 3, read) is None  # read, found nothing
        assert per_dossier(session, "r", 1, read) == "d1"
        with together(session, [4]):  # joins the outer judging
            assert per_dossier(session, "r", 5, read) == "d5"  # not announced: read with 4
            assert per_dossier(session, "r", 4, read) == "d4"
    assert per_dossier(session, "r", 2, read) == "d2"  # over: read again
    assert asked == [[1], [1, 2, 3], [4, 5], [2]]


@pytest.mark.db
def test_a_to_do_list_reads_its_reports_figures_once(session, world):
    """A head's to-do list with reports: the figures of all of them in one statement, and each
    row still blocked exactly by the targets its own report lacks."""
    reports = [make_dossier(session, world, "report", "unit_review") for _ in range(3)]
    target = Target(
        campaign_id=world.campaign.id,
        code="CT1",
        title_vi="Tỷ lệ giáo viên đạt chuẩn",
        title_en="Share of qualified teachers",
        kind="percent",
        comparison="at_least",
        threshold=Decimal(90),
    )
    session.add(target)
    session.flush()
    session.add(ReportFigure(report_id=reports[1].id, target_id=target.id, value=Decimal(95)))
    session.flush()
    session.expire_all()

    head = world.actor("head_a")
    seen = statements_run(session, lambda: my_queues(session, head, evaluate=10))
    assert sum("FROM report_figure" in s for s in seen) == 1
    rows = {r.dossier.id: r for q in my_queues(session, head, evaluate=10) for r in q.rows}
    ready = {report.id: rows[report.id].ready for report in reports}
    assert ready == {reports[0].id: False, reports[1].id: True, reports[2].id: False}
