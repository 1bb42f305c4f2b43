"""The Office sees the units' replies to its returns: a marker on the queue, a filter, and the
thread with its count on the dossier page."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.dossiers import page
from tests.fixtures.people import make_dossier
from tests.fixtures.web import app_db
from workflow import fire
from workflow.dossiers import returns

pytestmark = pytest.mark.db

ROW = re.compile(r'<tr data-dossier="(\d+)"')


def _returned(session, world, name: str) -> int:
    """A nomination the Office returned with two points, sent back to the Office."""
    dossier = make_dossier(session, world, "nomination", "office_review", nominee_name=name).id
    fire(
        session,
        dossier,
        "office_return",
        world.actor("reviewer"),
        inputs={"reason": "Bổ sung", "points": "Thiếu minh chứng\nThiếu biên bản"},
    )
    return dossier


def _send_back(session, world, dossier: int) -> None:
    fire(session, dossier, "resubmit", world.actor("staff_a"))
    fire(session, dossier, "unit_approve", world.actor("head_a"))


def test_the_queue_marks_and_filters_the_dossiers_whose_unit_replied(app, client, app_world, auth):
    with app_db(app) as session:
        replied = _returned(session, app_world, "Trần Phú")
        point = returns.thread(session, replied)[0].points[0].id
        returns.reply(session, app_world.actor("staff_a"), point, "Đã tải lên bản scan.")
        _send_back(session, app_world, replied)
        silent = _returned(session, app_world, "Lê Lợi")
        _send_back(session, app_world, silent)
        untouched = make_dossier(session, app_world, "nomination", "office_review").id
    auth.login("reviewer")
    html = page(client, "/office/")
    assert {replied, silent, untouched} <= {int(i) for i in ROW.findall(html)}
    assert html.count("data-answered") == 1
    marker = html.index("data-answered")
    assert html.rfind('<tr data-dossier="', 0, marker) == html.index(
        f'<tr data-dossier="{replied}"'
    )
    assert 'name="answered"' in html and "Đơn vị đã trả lời" in html
    filtered = page(client, "/office/?answered=1")
    assert [int(i) for i in ROW.findall(filtered)] == [replied]
    assert 'id="f-answered" name="answered" value="1" checked' in filtered


def test_the_reviewer_reads_the_replies_on_the_dossier_page(app, client, app_world, auth):
    with app_db(app) as session:
        dossier = _returned(session, app_world, "Trần Phú")
        point = returns.thread(session, dossier)[0].points[1].id
        returns.reply(session, app_world.actor("staff_a"), point, "Đã bổ sung biên bản họp.")
        _send_back(session, app_world, dossier)
    auth.login("reviewer")
    html = page(client, f"/dossiers/{dossier}")
    assert "Đã bổ sung biên bản họp." in html and 'data-replied="1/2"' in html
    assert "Đơn vị đã trả lời 1/2 điểm." in html
    assert 'action="/dossiers/points/' not in html  # the reviewer reads, only the unit answers
