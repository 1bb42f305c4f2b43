"""What the home page lists besides the dossier queues: the plans and reports a unit owes with
their due dates (before a dossier exists), the ballots waiting for a member's vote, the
comments waiting for moderation, how long a dossier has waited; every item a link."""

from __future__ import annotations

import datetime as dt
import re

from models import NoticeComment
from tests.fixtures import ballot_keys
from tests.fixtures.dossiers import page
from tests.fixtures.people import make_council_session, make_dossier
from tests.fixtures.web import app_db
from web.home.presenters import today

OBLIGATION = re.compile(r'data-obligation="(\w+)-(\d+)-(\d+)">\s*<a href="([^"]+)"')


def _days(due: dt.date) -> int:
    return (due - today()).days


def test_a_unit_sees_what_it_owes_with_its_due_dates_before_any_dossier(
    app, client, app_world, auth
):
    auth.login("staff_a")
    html = page(client, "/")
    campaign, unit = app_world.campaign, app_world.units["a"]
    found = {(kind, int(c), int(u)): url for kind, c, u, url in OBLIGATION.findall(html)}
    assert set(found) == {("plan", campaign.id, unit.id), ("report", campaign.id, unit.id)}
    assert found[("plan", campaign.id, unit.id)] == "/dossiers/new/plan"
    plan_days = _days(campaign.plan_due)
    assert f'data-days="{plan_days}"' in html
    if plan_days < 0:
        assert f"quá hạn {-plan_days} ngày" in html
    assert "Trường Tiểu học Đặng Trần Côn" not in html  # another unit's obligations


def test_an_obligation_links_to_its_draft_and_leaves_once_sent(app, client, app_world, auth):
    with app_db(app) as session:
        draft = make_dossier(session, app_world, "plan", "draft", "a").id
        make_dossier(session, app_world, "report", "office_review", "a")
    auth.login("head_a")
    found = {kind: url for kind, _c, _u, url in OBLIGATION.findall(page(client, "/"))}
    assert found == {"plan": f"/dossiers/{draft}"}


def test_the_department_owes_nothing_and_sees_no_obligation(app, client, app_world, auth):
    auth.login("reviewer")
    assert OBLIGATION.findall(page(client, "/")) == []


def test_a_member_sees_the_ballots_waiting_for_their_vote(app, client, app_world, auth):
    with app_db(app) as session:
        council = make_council_session(session, app_world)
        dossier = make_dossier(session, app_world, "nomination", "council_review", council=council)
        ballot_keys.open_ballot(session, council.id, dossier.id, app_world.actor("secretary"))
        council_id, dossier_id = council.id, dossier.id
    auth.login("member1")
    html = page(client, "/")
    assert f'data-ballot="{council_id}-{dossier_id}"' in html
    assert f'href="/council/{council_id}/vote/{dossier_id}"' in html


def test_a_list_ballot_is_one_entry_however_many_rows(app, client, app_world, auth):
    with app_db(app) as session:
        council = make_council_session(session, app_world)
        dossiers = [
            make_dossier(session, app_world, "nomination", "council_review", council=council)
            for _ in range(3)
        ]
        ballot_list = ballot_keys.open_all(session, council.id, app_world.actor("secretary"))
        council_id, list_id, first = council.id, ballot_list.id, dossiers[0].id
    auth.login("member1")
    html = page(client, "/")
    assert html.count("data-ballot=") == 1
    assert f'data-ballot="{council_id}-{first}" data-rows="3"' in html
    assert f'href="/council/{council_id}/lists/{list_id}/vote"' in html


def test_the_office_sees_comments_to_moderate_and_how_long_dossiers_wait(
    app, client, app_world, auth
):
    with app_db(app) as session:
        dossier = make_dossier(session, app_world, "nomination", "office_review")
        session.add(NoticeComment(dossier_id=dossier.id, text="Ý kiến cần kiểm duyệt."))
        dossier_id = dossier.id
    auth.login("reviewer")
    html = page(client, "/")
    assert 'data-comments="1"' in html and 'href="/office/notice-comments"' in html
    waited = (today() - dt.date(2026, 6, 1)).days
    assert f'data-waiting="{waited}"' in html
    assert f'class="tag" href="/dossiers/{dossier_id}#actions-h"' in html
