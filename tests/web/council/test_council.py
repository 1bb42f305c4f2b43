"""Council sessions: access by role, opening with attendance, quorum, the agenda, decisions
recorded through ``dossiers.fire`` end to end, publication and closing."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from models import AuditEvent, CouncilItem, CouncilSession, Dossier
from tests.fixtures.people import MEMBERS, NOW, make_council_session, make_dossier
from tests.fixtures.web import app_db, csrf_from
from workflow import fire
from workflow.core.audit import verify
from workflow.core.context import GuardContext
from workflow.core.errors import EditRefused, TransitionRefused
from workflow.council import sessions as council
from workflow.council.guards import council_quorum


def member_ids(world, names=MEMBERS) -> list[str]:
    return [str(world.users[n].id) for n in names]


def open_via_web(client, world, present=MEMBERS, **overrides):
    page = client.get("/council/new").get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(page),
        # The agenda as offered: every dossier waiting that no open session holds.
        "agenda": re.findall(r'name="agenda" value="(\d+)"', page),
        "title": "Phiên họp tháng 6",
        "held_on": "2026-06-10",
        "place": "Phòng họp tầng 3",
        "quorum": "2/3",
        "present": member_ids(world, present),
    }
    data.update(overrides)
    return client.post("/council/new", data=data)


def the_session(app) -> CouncilSession:
    with app_db(app) as session:
        return session.scalars(select(CouncilSession).order_by(CouncilSession.id.desc())).first()


def state_of(app, dossier_id: int) -> tuple[str, int]:
    with app_db(app) as session:
        dossier = session.get(Dossier, dossier_id)
        return dossier.state, dossier.version


def post_action(client, page_url: str, dossier_id: int, trigger: str, **fields):
    """Post the transition form drawn on ``page_url`` for ``dossier_id`` with ``fields``."""
    html = client.get(page_url).get_data(as_text=True)
    form = re.search(
        rf'<form method="post" action="(/dossiers/{dossier_id}/actions/{trigger})"(.*?)</form>',
        html,
        re.S,
    )
    assert form, f"no {trigger} form for {dossier_id}"
    hidden = dict(re.findall(r'type="hidden" name="([a-z_]+)" value="([^"]*)"', form.group(2)))
    return client.post(form.group(1), data={**hidden, **fields})


def result_form(html: str, dossier_id: int) -> str:
    form = re.search(
        rf'<form method="post" action="(/council/\d+/items/{dossier_id}/result)"(.*?)</form>',
        html,
        re.S,
    )
    return form.group(0) if form else ""


def post_result(client, page_url: str, dossier_id: int, choice: str = "vote", **fields):
    """Post the one result form of ``dossier_id`` drawn on the session page."""
    form = result_form(client.get(page_url).get_data(as_text=True), dossier_id)
    assert form, f"no result form for {dossier_id}"
    action = re.search(r'action="([^"]+)"', form).group(1)
    hidden = dict(re.findall(r'type="hidden" name="([a-z_]+)" value="([^"]*)"', form))
    return client.post(action, data={**hidden, "choice": choice, **fields})


# --- access ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username,status",
    [
        ("staff_a", 403),
        ("head_a", 403),
        ("reviewer", 403),
        ("admin", 403),
        ("member1", 200),
        ("secretary", 200),
    ],
)
def test_sessions_list_by_role(client, app_world, auth, username, status):
    auth.login(username)
    response = client.get("/council/")
    assert response.status_code == status
    if status == 200:
        assert ('href="/council/new"' in response.get_data(as_text=True)) == (
            username == "secretary"
        )


def test_members_and_others_cannot_manage(app, client, app_world, auth):
    auth.login("secretary")
    open_via_web(client, app_world)
    meeting = the_session(app)
    auth.logout()
    auth.login("member1")
    assert client.get("/council/new").status_code == 403
    token = csrf_from(client.get("/").get_data(as_text=True))
    assert (
        client.post(
            "/council/new",
            data={"csrf_token": token, "title": "X", "held_on": "2026-06-10", "quorum": "2/3"},
        ).status_code
        == 403
    )
    assert (
        client.post(f"/council/{meeting.id}/close", data={"csrf_token": token}).status_code == 403
    )
    assert (
        client.post(
            f"/council/{meeting.id}/attendance", data={"csrf_token": token, "present": []}
        ).status_code
        == 403
    )
    after = the_session(app)
    assert after.status == "open" and after.present_count == 5
    with app_db(app) as session:
        assert session.scalar(select(func.count()).select_from(CouncilSession)) == 1
    # Members see the page read-only.
    html = client.get(f"/council/{meeting.id}").get_data(as_text=True)
    assert "Kết thúc phiên họp" not in html and "Lưu điểm danh" not in html
    auth.logout()
    auth.login("reviewer")
    assert client.get(f"/council/{meeting.id}").status_code == 403


def test_unknown_session_is_404(client, app_world, auth):
    auth.login("member1")
    assert client.get("/council/999").status_code == 404


# --- opening, attendance, quorum ---------------------------------------------------------


def test_open_a_session_with_attendance(app, client, app_world, auth):
    auth.login("secretary")
    html = client.get("/council/new").get_data(as_text=True)
    assert html.count('name="present"') == 5 and html.count(" checked") == 5
    assert 'value="2/3"' in html
    response = open_via_web(client, app_world, present=MEMBERS[:3])
    meeting = the_session(app)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/council/{meeting.id}"
    )
    assert (meeting.title, meeting.place, meeting.quorum, str(meeting.held_on)) == (
        "Phiên họp tháng 6",
        "Phòng họp tầng 3",
        "2/3",
        "2026-06-10",
    )
    with app_db(app) as session:
        rows = session.get(CouncilSession, meeting.id).attendance
        assert {(r.user_id, r.present) for r in rows} == {
            (app_world.users[n].id, n in MEMBERS[:3]) for n in MEMBERS
        }
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.entity_type == "council_session")
        ).one()
        assert event.action == "open" and event.actor_id == app_world.users["secretary"].id
        assert verify(session).ok
    html = client.get(f"/council/{meeting.id}").get_data(as_text=True)
    assert "Có mặt 3/5 thành viên, cần ít nhất 4 — 2/3 (hai phần ba) tổng số thành viên." in html
    assert "Chưa đủ túc số" in html
    assert 'data-met="no"' in html
    assert "Đã mở phiên họp “Phiên họp tháng 6”." in html


def test_bad_input_is_kept_and_explained(app, client, app_world, auth):
    auth.login("secretary")
    response = open_via_web(
        client,
        app_world,
        present=MEMBERS[:2],
        title="",
        quorum="3/2",
        held_on="31/02/2026",
        place="Hội trường A",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Vui lòng nhập tên phiên họp." in html
    assert "Túc số là một phân số như 2/3, hoặc một tỷ lệ phần trăm từ 1 đến 100." in html
    assert "Ngày phải theo dạng ngày/tháng/năm, ví dụ 05/12/2026." in html
    assert 'value="Hội trường A"' in html and 'value="3/2"' in html
    assert html.count(" checked") == 2  # the two ticked members stay ticked
    assert the_session(app) is None


def test_attendance_changes_the_quorum(app, client, app_world, auth):
    auth.login("secretary")
    open_via_web(client, app_world, present=MEMBERS[:3])
    meeting = the_session(app)
    page = client.get(f"/council/{meeting.id}").get_data(as_text=True)
    response = client.post(
        f"/council/{meeting.id}/attendance",
        data={"csrf_token": csrf_from(page), "present": member_ids(app_world, MEMBERS[:4])},
    )
    assert response.status_code == 302
    assert the_session(app).present_count == 4
    html = client.get(f"/council/{meeting.id}").get_data(as_text=True)
    assert "Có mặt 4/5 thành viên, cần ít nhất 4 — 2/3 (hai phần ba) tổng số thành viên." in html
    assert 'data-met="yes"' in html
    with app_db(app) as session:
        actions = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity_type == "council_session")
            .order_by(AuditEvent.seq)
        ).all()
        assert actions == ["open", "attendance"]


# --- agenda and decisions through dossiers.fire ------------------------------------------


@pytest.fixture()
def agenda(app, app_world, client, auth):
    """An open session with every member present and three dossiers awaiting the Council."""
    with app_db(app) as session:
        ids = {
            "ldtt": make_dossier(
                session, app_world, "nomination", "council_review", nominee_name="Trần Thị Mai"
            ).id,
            "cstdcs": make_dossier(
                session,
                app_world,
                "nomination",
                "council_review",
                unit="b",
                nominee_name="Phạm Văn Nam",
                award_type_id=app_world.awards["cstdcs"].id,
            ).id,
            "report": make_dossier(session, app_world, "report", "council_review", unit="b").id,
            "not_yet": make_dossier(session, app_world, "nomination", "office_review").id,
        }
    auth.login("secretary")
    open_via_web(client, app_world)
    ids["session"] = the_session(app).id
    ids["url"] = f"/council/{ids['session']}"
    return ids


def test_agenda_grouped_by_award_with_one_result_entry(client, app_world, auth, agenda):
    html = client.get(agenda["url"]).get_data(as_text=True)
    groups = re.findall(r'<section class="award-group"(.*?)</section>', html, re.S)
    assert len(groups) == 3
    names = [re.search(r"<h3[^>]*>(.*?)<span", g, re.S).group(1).strip() for g in groups]
    assert names[-1] == "Báo cáo, hồ sơ khác"
    assert "Chiến sĩ thi đua cơ sở" in names and "Lao động tiên tiến" in names
    cstdcs = groups[names.index("Chiến sĩ thi đua cơ sở")]
    assert "cá nhân: 1 · tập thể: 0" in cstdcs and f'data-dossier="{agenda["cstdcs"]}"' in cstdcs
    # One entry per nomination: the counts, the threshold in words, no form per decision.
    for key in ("ldtt", "cstdcs"):
        assert html.count(f'action="/council/{agenda["session"]}/items/{agenda[key]}/result"') == 1
        for trigger in ("council_approve", "council_reject", "council_defer"):
            assert f'action="/dossiers/{agenda[key]}/actions/{trigger}"' not in html
    assert "cần ít nhất 5/5 — chín phần mười tổng số thành viên Hội đồng" in cstdcs
    # A report is classified by its own forms.
    assert f'action="/dossiers/{agenda["report"]}/actions/council_classify"' in html
    assert f'data-dossier="{agenda["not_yet"]}"' not in html
    auth.logout()
    auth.login("member2")
    html = client.get(agenda["url"]).get_data(as_text=True)
    assert f'data-dossier="{agenda["ldtt"]}"' in html and "/result" not in html
    assert "/actions/" not in html


def test_the_outcome_follows_from_the_threshold(app, client, app_world, auth, agenda):
    url = agenda["url"]
    # Lao động tiên tiến: a majority of those present; 4 of 5 passes.
    response = post_result(
        client, url, agenda["ldtt"], votes_for="4", votes_against="1", votes_abstain="0"
    )
    assert response.status_code == 302 and response.headers["Location"].startswith(url)
    assert state_of(app, agenda["ldtt"])[0] == "approved"
    # Chiến sĩ thi đua cơ sở needs 9/10 of all five: 4 of 5 is recorded as not approved, with
    # the count as its reason when none is typed.
    post_result(client, url, agenda["cstdcs"], votes_for="4", votes_against="1", votes_abstain="0")
    assert state_of(app, agenda["cstdcs"])[0] == "rejected"
    post_action(client, url, agenda["report"], "council_defer", reason="Cần bổ sung số liệu.")
    assert state_of(app, agenda["report"])[0] == "office_review"
    with app_db(app) as session:
        items = {
            i.dossier_id: i
            for i in session.scalars(
                select(CouncilItem).where(CouncilItem.session_id == agenda["session"])
            )
        }
        ldtt, cstdcs = items[agenda["ldtt"]], items[agenda["cstdcs"]]
        assert (ldtt.votes_for, ldtt.votes_against, ldtt.votes_abstain, ldtt.outcome) == (
            4,
            1,
            0,
            "approved",
        )
        assert (cstdcs.votes_for, cstdcs.outcome) == (4, "rejected")
        assert "4/5 phiếu đồng ý" in cstdcs.reason and "cần ít nhất 5/5" in cstdcs.reason
        assert (items[agenda["report"]].outcome, items[agenda["report"]].votes_for) == (
            "deferred",
            None,
        )
        assert verify(session).ok
    html = client.get(url).get_data(as_text=True)
    decided = html[html.index('id="decided-title"') :]
    assert decided.count("data-item=") == 3
    assert 'data-outcome="approved"' in decided and 'data-outcome="rejected"' in decided
    # An approved nomination is published by a decision only: no publication form here.
    assert f'action="/dossiers/{agenda["ldtt"]}/actions/publish"' not in html
    assert 'id="to-decide"' in html and "/council/decisions/new" in html
    # Posted anyway (an old page, a hand-made request): the server refuses, nothing changes.
    state, version = state_of(app, agenda["ldtt"])
    response = client.post(
        f"/dossiers/{agenda['ldtt']}/actions/publish",
        data={
            "csrf_token": csrf_from(html),
            "version": str(version),
            "decision_number": "05/QĐ-SGDĐT",
            "decision_date": "2026-06-15",
            "decision_signer": "Nguyễn Văn Giám",
        },
    )
    assert response.status_code == 409
    assert "chỉ được công bố khi ban hành quyết định khen thưởng" in response.get_data(as_text=True)
    assert state_of(app, agenda["ldtt"]) == (state, version)
    with app_db(app) as session:
        assert session.get(Dossier, agenda["ldtt"]).decision_number is None
    # Nor is it offered on the dossier's own page.
    page = client.get(f"/dossiers/{agenda['ldtt']}").get_data(as_text=True)
    assert "/actions/publish" not in page


def test_a_typed_reason_and_a_deferral(app, client, app_world, auth, agenda):
    url = agenda["url"]
    post_result(
        client,
        url,
        agenda["cstdcs"],
        votes_for="2",
        votes_against="3",
        votes_abstain="0",
        reason="Chưa có sáng kiến được công nhận.",
    )
    post_result(client, url, agenda["ldtt"], "defer", reason="Bổ sung minh chứng.")
    assert state_of(app, agenda["ldtt"])[0] == "office_review"
    with app_db(app) as session:
        items = {
            i.dossier_id: i
            for i in session.scalars(
                select(CouncilItem).where(CouncilItem.session_id == agenda["session"])
            )
        }
        assert items[agenda["cstdcs"]].reason == "Chưa có sáng kiến được công nhận."
        assert (items[agenda["ldtt"]].outcome, items[agenda["ldtt"]].reason) == (
            "deferred",
            "Bổ sung minh chứng.",
        )


def test_classify_a_report(app, client, app_world, auth, agenda):
    post_action(
        client,
        agenda["url"],
        agenda["report"],
        "council_classify",
        classification="good",
        votes_for="5",
        votes_against="0",
        votes_abstain="0",
    )
    with app_db(app) as session:
        report = session.get(Dossier, agenda["report"])
        assert (report.state, report.classification) == ("classified", "good")
        item = session.scalars(select(CouncilItem).where(CouncilItem.dossier_id == report.id)).one()
        assert (item.outcome, item.votes_for) == ("classified", 5)
    html = client.get(agenda["url"]).get_data(as_text=True)
    assert "Đã xếp loại" in html and "Hoàn thành tốt nhiệm vụ" in html
    assert f'action="/dossiers/{agenda["report"]}/actions/publish"' in html


def test_the_engine_refuses_and_nothing_changes(app, client, app_world, auth, agenda):
    url = agenda["url"]
    before = state_of(app, agenda["cstdcs"])
    # Not counts, too many votes, a deferral without a reason: refused, the page drawn again
    # with what was typed.
    for fields, message in (
        ({"votes_for": "abc", "votes_against": "0"}, "Số phiếu phải là số nguyên"),
        ({"votes_for": "4", "votes_against": "3"}, "tổng 7 phiếu, chỉ có 5 thành viên"),
        ({"choice": "defer", "reason": ""}, "Vui lòng"),
    ):
        response = post_result(client, url, agenda["cstdcs"], **fields)
        assert response.status_code == 409, fields
        html = response.get_data(as_text=True)
        assert message in html, fields
        form = result_form(html, agenda["cstdcs"])
        assert 'role="alert"' in form
        if fields.get("votes_for"):
            assert f'value="{fields["votes_for"]}"' in form
        assert state_of(app, agenda["cstdcs"]) == before
    # Without quorum nothing can be decided.
    page = client.get(url).get_data(as_text=True)
    client.post(
        f"{url}/attendance",
        data={"csrf_token": csrf_from(page), "present": member_ids(app_world, MEMBERS[:3])},
    )
    response = post_result(client, url, agenda["ldtt"], votes_for="3", votes_against="0")
    assert state_of(app, agenda["ldtt"])[0] == "council_review"
    assert "Phiên họp chưa đủ số thành viên" in response.get_data(as_text=True)
    with app_db(app) as session:
        assert session.scalar(select(func.count()).select_from(CouncilItem)) == 0


def test_member_cannot_decide(app, client, app_world, auth, agenda):
    version = state_of(app, agenda["ldtt"])[1]
    auth.logout()
    auth.login("member1")
    token = csrf_from(client.get(agenda["url"]).get_data(as_text=True))
    response = client.post(
        f"/dossiers/{agenda['ldtt']}/actions/council_approve",
        data={
            "csrf_token": token,
            "version": str(version),
            "session_id": str(agenda["session"]),
            "votes_for": "5",
            "votes_against": "0",
            "votes_abstain": "0",
            "next": agenda["url"],
        },
    )
    assert response.status_code == 403
    assert state_of(app, agenda["ldtt"]) == ("council_review", version)


def test_close_the_session(app, client, app_world, auth, agenda):
    url = agenda["url"]
    post_result(client, url, agenda["ldtt"], votes_for="5", votes_against="0")
    page = client.get(url).get_data(as_text=True)
    stale_version = state_of(app, agenda["cstdcs"])[1]
    assert client.post(f"{url}/close", data={"csrf_token": csrf_from(page)}).status_code == 302
    meeting = the_session(app)
    assert meeting.status == "closed" and meeting.closed_at is not None
    html = client.get(url).get_data(as_text=True)
    assert "Đã kết thúc" in html and "Kết thúc phiên họp" not in html
    assert f'action="/dossiers/{agenda["cstdcs"]}/actions/council_approve"' not in html
    # Its page (and its printed minutes) is its record: its own items, not today's queue.
    assert "Chương trình họp: hồ sơ chờ Hội đồng xét" not in html
    assert f'data-dossier="{agenda["cstdcs"]}"' not in html
    assert f'data-dossier="{agenda["report"]}"' not in html
    # The approved item still waits for its decision after the meeting.
    assert 'id="to-decide"' in html
    # A decision naming the closed session is refused by the engine.
    client.post(
        f"/dossiers/{agenda['cstdcs']}/actions/council_reject",
        data={
            "csrf_token": csrf_from(html),
            "version": str(stale_version),
            "session_id": str(meeting.id),
            "votes_for": "0",
            "votes_against": "5",
            "votes_abstain": "0",
            "reason": "Muộn",
            "next": url,
        },
    )
    assert state_of(app, agenda["cstdcs"]) == ("council_review", stale_version)
    # Attendance and closing again are refused too.
    assert (
        client.post(
            f"{url}/attendance", data={"csrf_token": csrf_from(html), "present": []}
        ).status_code
        == 409
    )
    assert client.post(f"{url}/close", data={"csrf_token": csrf_from(html)}).status_code == 409
    with app_db(app) as session:
        actions = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity_type == "council_session")
            .order_by(AuditEvent.seq)
        ).all()
        assert actions == ["open", "close"]
        assert session.get(CouncilSession, meeting.id).present_count == 5


def test_sessions_list_shows_counts(app, client, app_world, auth, agenda):
    post_result(client, agenda["url"], agenda["ldtt"], votes_for="5", votes_against="0")
    html = client.get("/council/").get_data(as_text=True)
    row = re.search(rf'<tr data-session="{agenda["session"]}">(.*?)</tr>', html, re.S).group(1)
    assert "Phiên họp tháng 6" in row and "10/06/2026" in row and "5/5" in row
    assert "Đủ" in row and "Đang họp" in row and '<td class="num">1</td>' in row


def test_page_is_printable(client, app_world, auth, agenda):
    html = client.get(agenda["url"]).get_data(as_text=True)
    assert "data-print" in html and "In trang" in html
    assert f'href="/council/{agenda["session"]}/minutes.docx"' in html


# --- the service on both databases -------------------------------------------------------


@pytest.mark.db
def test_quorum_agrees_with_the_engine_guard(session, world):
    for present in range(0, 6):
        meeting = make_council_session(session, world, present=present)
        dossier = make_dossier(session, world, "nomination", "council_review")
        ctx = GuardContext(
            session, dossier, world.actor("secretary"), None, {"session_id": meeting.id}, NOW
        )
        assert council.quorum(meeting).met == (council_quorum(ctx) is None), present
    assert council.quorum(meeting).required == 4


@pytest.mark.db
def test_service_refuses_and_audits(session, world):
    with pytest.raises(EditRefused) as refused:
        council.open_session(
            session,
            world.actor("member1"),
            title="X",
            held_on=NOW.date(),
            place="",
            quorum="2/3",
            present_ids=[],
        )
    assert refused.value.is_permission
    with pytest.raises(EditRefused):
        council.open_session(
            session,
            world.actor("secretary"),
            title=" ",
            held_on=NOW.date(),
            place="",
            quorum="0/100",
            present_ids=[],
        )
    secretary = world.actor("secretary")
    meeting = council.open_session(
        session,
        secretary,
        title="Phiên 1",
        held_on=NOW.date(),
        place="Sở",
        quorum="3/5",
        present_ids=[world.users["member1"].id],
        now=NOW,
    )
    assert (meeting.member_count, meeting.present_count) == (5, 1)
    council.record_attendance(
        session, meeting.id, secretary, [world.users[n].id for n in MEMBERS[:3]], now=NOW
    )
    assert council.quorum(meeting).met
    dossier = make_dossier(session, world, "nomination", "council_review")
    assert [d.id for d in council.agenda(session, secretary)] == [dossier.id]
    assert council.agenda_count(session, world.actor("member1")) == 1
    council.close_session(session, meeting.id, secretary, now=NOW)
    with pytest.raises(TransitionRefused) as closed:
        fire(
            session,
            dossier.id,
            "council_approve",
            secretary,
            now=NOW,
            inputs={
                "session_id": meeting.id,
                "votes_for": 3,
                "votes_against": 0,
                "votes_abstain": 0,
            },
        )
    assert closed.value.code == "session_closed"
    with pytest.raises(EditRefused):
        council.record_attendance(session, meeting.id, secretary, [], now=NOW)
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity_type == "council_session")
        .order_by(AuditEvent.seq)
    ).all()
    assert [(e.action, e.to_state) for e in events] == [
        ("open", "open"),
        ("attendance", None),
        ("close", "closed"),
    ]
    assert verify(session).ok


# --- a refused decision keeps what was typed and names its dossier ------------------------


def _form_of(html: str, dossier_id: int, trigger: str) -> str:
    form = re.search(
        rf'<form method="post" action="/dossiers/{dossier_id}/actions/{trigger}"(.*?)</form>',
        html,
        re.S,
    )
    return form.group(1) if form else ""


def test_a_refused_decision_is_drawn_again_with_the_reason_kept(
    app, client, app_world, auth, agenda
):
    url = agenda["url"]
    page = client.get(url).get_data(as_text=True)
    # Three of five present: below quorum, so the engine refuses the rejection.
    client.post(
        f"{url}/attendance",
        data={"csrf_token": csrf_from(page), "present": member_ids(app_world, MEMBERS[:3])},
    )
    before = state_of(app, agenda["cstdcs"])
    reason = "Thành tích chưa nổi bật so với các đơn vị cùng cấp; đề nghị bổ sung minh chứng."
    response = post_result(
        client,
        url,
        agenda["cstdcs"],
        votes_for="0",
        votes_against="3",
        votes_abstain="0",
        reason=reason,
    )
    assert response.status_code == 409
    assert state_of(app, agenda["cstdcs"]) == before
    html = response.get_data(as_text=True)
    with app_db(app) as session:
        title = session.get(Dossier, agenda["cstdcs"]).title
    notice = html[html.index('id="refused-action"') :]
    assert f"hồ sơ số {agenda['cstdcs']} “{title}”" in notice[: notice.index("</div>")]
    assert "chưa đủ" in notice[: notice.index("</div>")]
    form = result_form(html, agenda["cstdcs"])
    assert f'value="{reason}"' in form
    assert 'value="3"' in form and 'role="alert"' in form
    # The other dossiers' forms start empty.
    assert reason not in result_form(html, agenda["ldtt"])


def test_a_stale_decision_names_the_dossier_and_shows_the_reason(
    app, client, app_world, auth, agenda
):
    url = agenda["url"]
    drawn = client.get(url).get_data(as_text=True)
    stale = dict(
        re.findall(
            r'type="hidden" name="([a-z_]+)" value="([^"]*)"',
            _form_of(drawn, agenda["report"], "council_defer"),
        )
    )
    # Someone else defers the report first (another tab, another secretary).
    post_action(client, url, agenda["report"], "council_defer", reason="Cần bổ sung số liệu.")
    assert state_of(app, agenda["report"])[0] == "office_review"
    reason = "Báo cáo chưa có số liệu quý IV, đề nghị đơn vị bổ sung."
    response = client.post(
        f"/dossiers/{agenda['report']}/actions/council_defer", data={**stale, "reason": reason}
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    notice = html[html.index('id="refused-action"') :]
    notice = notice[: notice.index("</div>")]
    assert f"hồ sơ số {agenda['report']}" in notice
    assert reason in notice
    with app_db(app) as session:
        assert session.get(Dossier, agenda["report"]).state == "office_review"


def test_a_refusal_sent_back_to_a_page_that_cannot_redraw_is_flashed_naming_the_dossier(
    app, client, app_world, auth, agenda
):
    """A transition form whose page is not the session page (or names no session that exists)
    is answered with a flash that names the dossier, on the page it came from."""
    url = agenda["url"]
    page = client.get(url).get_data(as_text=True)
    version = state_of(app, agenda["ldtt"])[1]
    response = client.post(
        f"/dossiers/{agenda['ldtt']}/actions/council_reject",
        data={
            "csrf_token": csrf_from(page),
            "version": str(version),
            "session_id": str(agenda["session"]),
            "votes_for": "0",
            "votes_against": "5",
            "votes_abstain": "0",
            "reason": "",
            "next": "/council/2000000000",
        },
        follow_redirects=False,
    )
    assert response.status_code == 302 and response.headers["Location"] == "/council/2000000000"
    home = client.get("/").get_data(as_text=True)
    with app_db(app) as session:
        title = session.get(Dossier, agenda["ldtt"]).title
    assert f"hồ sơ số {agenda['ldtt']} “{title}”" in home


# --- minutes, and the agenda of one open session ----------------------------------------


def test_the_minutes_download_as_docx(app, client, app_world, auth, agenda):
    from docx import Document

    post_result(client, agenda["url"], agenda["ldtt"], votes_for="4", votes_against="1")
    response = client.get(f"{agenda['url']}/minutes.docx")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    doc = Document(io.BytesIO(response.data))
    text = [p.text for p in doc.paragraphs]
    assert text[:2] == ["BIÊN BẢN", "HỌP HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG"]
    assert "1. Lao động tiên tiến (1 cá nhân, 0 tập thể)" in text
    # The quorum's rule, as the session was opened with it (the form's default), and its date.
    quorum = next(line for line in text if line.startswith("Số thành viên có mặt"))
    assert "86/2025/QĐ-UBND" in quorum and "áp dụng từ 03/12/2025" in quorum
    page = client.get(agenda["url"]).get_data(as_text=True)
    assert "86/2025/QĐ-UBND" in page and "áp dụng từ 03/12/2025" in page
    # Not the queue: the dossiers still waiting are not in the minutes.
    names = {r.cells[1].text for t in doc.tables for r in t.rows}
    assert "Trần Thị Mai" in names and "Phạm Văn Nam" not in names
    auth.logout()
    auth.login("staff_a")
    assert client.get(f"{agenda['url']}/minutes.docx").status_code == 403


def test_a_second_open_session_cannot_take_the_same_agenda(app, client, app_world, auth, agenda):
    # Every dossier waiting is on the first session's agenda: the new-session page says so.
    page = client.get("/council/new").get_data(as_text=True)
    assert 'name="agenda"' not in page
    assert "3 hồ sơ khác đang thuộc chương trình của phiên họp đang mở" in page
    # A form drawn before the first session opened still names them: refused, kept as typed.
    response = open_via_web(
        client, app_world, agenda=[str(agenda["ldtt"])], title="Phiên họp bổ sung"
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "đã thuộc chương trình của phiên họp khác đang mở (“Phiên họp tháng 6”)" in html
    assert 'value="Phiên họp bổ sung"' in html
    with app_db(app) as session:
        assert session.scalar(select(func.count()).select_from(CouncilSession)) == 1


def test_apply_every_counted_ballot_from_the_session_page(app, client, app_world, auth, agenda):
    from tests.fixtures import ballot_keys as keyed
    from workflow.council import ballot as ballots

    with app_db(app) as session:
        secretary = app_world.actor("secretary")
        for key, choice in (("ldtt", "approve"), ("cstdcs", "reject")):
            keyed.open_ballot(session, agenda["session"], agenda[key], secretary)
            for name in MEMBERS:
                ballots.cast_vote(
                    session, agenda["session"], agenda[key], app_world.actor(name), choice
                )
            keyed.close_ballot(session, agenda["session"], agenda[key], secretary)
        session.commit()
    html = client.get(agenda["url"]).get_data(as_text=True)
    # A counted ballot's item asks for no counts: its fixed result, confirmed.
    for key in ("ldtt", "cstdcs"):
        item = html[html.index(f'id="dossier-{agenda[key]}"') :]
        item = item[: item.index("</article>")]
        assert 'name="votes_for"' not in item and 'data-ballot="closed"' in item
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*id="apply-all"', html)
    assert form and "Ghi nhận tất cả kết quả đã kiểm phiếu</button>" not in html
    assert "Ghi nhận tất cả kết quả đã kiểm phiếu (2)" in html
    response = client.post(form.group(1), data={"csrf_token": csrf_from(html)})
    assert response.status_code == 302
    assert state_of(app, agenda["ldtt"])[0] == "approved"
    assert state_of(app, agenda["cstdcs"])[0] == "rejected"
    assert "Đã ghi nhận kết quả bỏ phiếu kín của 2 hồ sơ." in client.get(agenda["url"]).get_data(
        as_text=True
    )
    with app_db(app) as session:
        events = session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.entity_type == "dossier",
                AuditEvent.entity_id.in_([agenda["ldtt"], agenda["cstdcs"]]),
                AuditEvent.action.like("council_%"),
            )
        ).all()
        assert sorted(events) == ["council_approve", "council_reject"]
    # Again: nothing left, refused with a message.
    html = client.get(agenda["url"]).get_data(as_text=True)
    assert 'id="apply-all"' not in html
    response = client.post(
        f"{agenda['url']}/apply-all", data={"csrf_token": csrf_from(html)}, follow_redirects=True
    )
    assert "Không có phiếu kín nào đã kiểm phiếu" in response.get_data(as_text=True)


def test_a_dossier_left_out_is_added_to_the_agenda_later(app, client, app_world, auth):
    with app_db(app) as session:
        first = make_dossier(session, app_world, "nomination", "council_review").id
        later = make_dossier(session, app_world, "nomination", "council_review", unit="b").id
    auth.login("secretary")
    open_via_web(client, app_world, agenda=[str(first)])
    url = f"/council/{the_session(app).id}"
    html = client.get(url).get_data(as_text=True)
    item = html[html.index(f'id="dossier-{later}"') :]
    assert "Chưa vào chương trình" in item[: item.index("</article>")]
    assert "Có 1 hồ sơ chờ Hội đồng xét chưa thuộc chương trình" in html
    response = client.post(f"{url}/agenda", data={"csrf_token": csrf_from(html)})
    assert response.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "Đã bổ sung 1 hồ sơ vào chương trình họp." in html
    assert "Chưa vào chương trình" not in html
    with app_db(app) as session:
        assert council.claimed_by(session, the_session(app).id) == {first, later}
        event = session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity_type == "council_session", AuditEvent.action == "agenda"
            )
        ).one()
        assert f"[{later}]" in event.changes
