"""Bulk work on the Office queue: select rows, accept or return them, export the selection."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from models import Dossier
from tests.fixtures.people import make_dossier
from tests.fixtures.web import app_db, csrf_from
from workflow.dossiers import bulk
from workflow.dossiers.queues import office_default_state


@pytest.fixture()
def sent(app, app_world):
    """Three nominations in the Office's review, the last one naming the reviewer."""
    w = app_world
    with app_db(app) as session:
        ids = [
            make_dossier(session, w, "nomination", office_default_state(), title=f"Hồ sơ {n}").id
            for n in "AB"
        ]
        ids.append(
            make_dossier(
                session,
                w,
                "nomination",
                office_default_state(),
                title="Hồ sơ của người thẩm định",
                nominee_user_id=w.users["reviewer"].id,
            ).id
        )
    return ids


def _states(app, ids):
    with app_db(app) as session:
        rows = session.execute(select(Dossier.id, Dossier.state).where(Dossier.id.in_(ids)))
        return dict(rows.all())


def _post(client, url, data):
    page = client.get("/office/")
    return client.post(url, data={"csrf_token": csrf_from(page.get_data(as_text=True)), **data})


def test_the_queue_offers_the_selection_to_reviewers_only(client, auth, sent):
    auth.login("reviewer")
    html = client.get("/office/").get_data(as_text=True)
    assert 'data-select-all="ids"' in html
    assert len(re.findall(r'name="ids" value="\d+"', html)) == 3
    assert 'value="accept"' in html
    auth.logout()
    auth.login("admin")
    html = client.get("/office/").get_data(as_text=True)
    assert 'name="ids"' in html and 'value="accept"' not in html  # admins export only


def test_bulk_accept_reports_each_row(app, client, auth, sent):
    auth.login("reviewer")
    response = _post(client, "/office/bulk", {"action": "accept", "ids": sent})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-done="2" data-refused="1"' in html
    assert f'data-refused="{sent[2]}"' in html and "Hồ sơ của người thẩm định" in html
    assert 'href="/office/">Quay lại danh sách thẩm định</a>' in html
    accepted = bulk.office_action("nomination", bulk.ACCEPT).dest
    assert _states(app, sent) == {
        sent[0]: accepted,
        sent[1]: accepted,
        sent[2]: office_default_state(),
    }


def test_bulk_return_with_one_reason_and_a_row_reason(app, client, auth, sent):
    auth.login("reviewer")
    data = {
        "action": "return",
        "ids": sent[:2],
        "reason": "Thiếu minh chứng.",
        f"reason-{sent[1]}": "Sai chức vụ.",
    }
    assert _post(client, "/office/bulk", data).status_code == 200
    with app_db(app) as session:
        reasons = [session.get(Dossier, i).return_reason for i in sent[:2]]
    assert reasons == ["Thiếu minh chứng.", "Sai chức vụ."]


def test_a_stale_row_is_refused_and_the_others_go_through(app, client, auth, sent):
    auth.login("reviewer")
    with app_db(app) as session:
        version = session.get(Dossier, sent[0]).version
    data = {"action": "accept", "ids": sent[:2], f"version-{sent[0]}": version - 1}
    html = _post(client, "/office/bulk", data).get_data(as_text=True)
    assert 'data-done="1" data-refused="1"' in html
    assert "trước bạn" in html


@pytest.mark.parametrize("data", [{}, {"action": "accept"}, {"action": "x", "ids": "1"}])
def test_nothing_selected_goes_back_with_a_message(client, auth, sent, data):
    auth.login("reviewer")
    response = _post(client, "/office/bulk", {"next": "/office/?state=all", **data})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/office/?state=all")
    assert "Vui lòng chọn" in client.get("/office/").get_data(as_text=True)


@pytest.mark.parametrize("username", ["staff_a", "head_a", "secretary", "admin"])
def test_only_reviewers_act_in_bulk(app, client, auth, sent, username):
    auth.login(username)
    assert _post(client, "/office/bulk", {"action": "accept", "ids": sent}).status_code == 403
    assert set(_states(app, sent).values()) == {office_default_state()}


def test_export_of_the_selection(client, auth, sent):
    auth.login("admin")
    response = _post(client, "/office/selection.csv", {"ids": [sent[1], sent[0], "abc"]})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [line[0] for line in lines[1:]] == [str(sent[1]), str(sent[0])]
