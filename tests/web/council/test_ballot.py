"""Secret ballots through the web: members vote from their own signed-in session, others are
refused and change nothing, no page or export shows who voted how; decisions and Tờ trình."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re

import pytest
from docx import Document
from sqlalchemy import select

from models import AuditEvent, CouncilAttendance, CouncilItem, CouncilSession, Dossier
from models.council import Ballot, BallotCard, BallotVoter
from models.decisions import Decision
from tests.fixtures import ballot_keys as keyed
from tests.fixtures.people import MEMBERS, make_council_session, make_dossier
from tests.fixtures.web import app_db, csrf_from
from workflow import fire
from workflow.documents import docx as documents
from workflow.publication import decisions

VOTES = {"member1": "approve", "member2": "reject", "member3": "abstain"}
CHOICE_WORDS = ("approve", "reject", "abstain", "Đồng ý", "Không đồng ý", "Không biểu quyết")


@pytest.fixture()
def meeting(app, app_world):
    """An open session of the five members and two nominations awaiting it (one's nominee is
    member4)."""
    with app_db(app) as session:
        council = make_council_session(session, app_world)
        keyed.ensure_chair(session, council)
        plain = make_dossier(
            session,
            app_world,
            "nomination",
            "council_review",
            council=council,
            nominee_name="Trần Phú",
        )
        own = make_dossier(
            session,
            app_world,
            "nomination",
            "council_review",
            council=council,
            nominee_name="Đinh Thị Oanh",
            nominee_user_id=app_world.users["member4"].id,
        )
        return council.id, plain.id, own.id


PASSPHRASES = {
    "chair_passphrase": keyed.CHAIR_PASSPHRASE,
    "secretary_passphrase": keyed.SECRETARY_PASSPHRASE,
}


def post(client, page: str, url: str, **data):
    """Post a form of ``page``; a ballot's close carries the two officers' passphrases."""
    token = csrf_from(client.get(page).get_data(as_text=True))
    if url.endswith("/close") and "/ballots/" in url:
        data = {**PASSPHRASES, **data}
    return client.post(url, data={"csrf_token": token, **data})


def make_key(client, council_id: int) -> None:
    """The session's ballot key, typed in by the secretary with the chair (once)."""
    page = f"/council/{council_id}/ballots"
    if 'action="' + page + '/key"' in client.get(page).get_data(as_text=True):
        post(
            client,
            page,
            page + "/key",
            **PASSPHRASES,
            chair_confirm=keyed.CHAIR_PASSPHRASE,
            secretary_confirm=keyed.SECRETARY_PASSPHRASE,
        )


def as_user(auth, username: str) -> None:
    auth.logout()
    auth.login(username)


def open_ballot(client, auth, council_id: int, dossier_id: int):
    as_user(auth, "secretary")
    make_key(client, council_id)
    return post(
        client, f"/council/{council_id}/ballots", f"/council/{council_id}/ballots/{dossier_id}/open"
    )


def vote(client, auth, username: str, council_id: int, dossier_id: int, choice: str):
    as_user(auth, username)
    page = f"/council/{council_id}/vote/{dossier_id}"
    return post(client, page, page, choice=choice)


def counters(app, council_id: int, dossier_id: int):
    with app_db(app) as session:
        ballot = session.scalars(
            select(Ballot).where(Ballot.session_id == council_id, Ballot.dossier_id == dossier_id)
        ).one()
        cards = session.scalars(
            select(BallotCard.id).where(BallotCard.list_id == ballot.list_id)
        ).all()
        voted = session.scalars(
            select(BallotVoter.user_id).where(
                BallotVoter.ballot_id == ballot.id, BallotVoter.voted.is_(True)
            )
        ).all()
        return len(cards), sorted(voted)


def test_a_member_votes_once_from_their_own_session(app, client, auth, app_world, meeting):
    council_id, dossier_id, _ = meeting
    auth.login("secretary")
    assert open_ballot(client, auth, council_id, dossier_id).status_code == 302
    as_user(auth, "member1")
    html = client.get(f"/council/{council_id}/vote/{dossier_id}").get_data(as_text=True)
    assert "Trần Phú" in html and "Giáo viên dạy giỏi" in html
    assert re.findall(r'name="choice" value="(\w+)"', html) == ["approve", "reject", "abstain"]
    response = vote(client, auth, "member1", council_id, dossier_id, "approve")
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bạn đã bỏ phiếu." in html and "Đã ghi nhận phiếu của bạn." in html
    box = html[html.index('class="card vote-box"') :]
    assert 'name="choice"' not in box and not any(w in box for w in CHOICE_WORDS)
    again = vote(client, auth, "member1", council_id, dossier_id, "reject")
    assert again.status_code == 409 and "Mỗi thành viên chỉ bỏ phiếu một lần" in again.get_data(
        as_text=True
    )
    # One card (ciphertext only), one flag.
    assert counters(app, council_id, dossier_id) == (1, [app_world.users["member1"].id])


@pytest.mark.parametrize(
    "username,status",
    [("reviewer", 403), ("staff_a", 403), ("secretary", 403), ("member4", 403), ("member5", 403)],
)
def test_others_are_refused_and_change_nothing(
    app, client, auth, app_world, meeting, username, status
):
    council_id, plain_id, own_id = meeting
    auth.login("secretary")
    open_ballot(client, auth, council_id, own_id)
    with app_db(app) as session:  # member5 leaves before the second ballot opens: not on its roll
        session.scalars(
            select(CouncilAttendance).where(
                CouncilAttendance.session_id == council_id,
                CouncilAttendance.user_id == app_world.users["member5"].id,
            )
        ).one().present = False
    open_ballot(client, auth, council_id, plain_id)
    dossier_id = own_id if username == "member4" else plain_id  # member4 is own's nominee
    as_user(auth, username)
    assert client.get(f"/council/{council_id}/vote/{dossier_id}").status_code == status
    token = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post(
        f"/council/{council_id}/vote/{dossier_id}", data={"csrf_token": token, "choice": "approve"}
    )
    assert response.status_code == status
    assert counters(app, council_id, dossier_id) == (0, [])
    if username == "member4":
        assert "là người được đề nghị" in response.get_data(as_text=True)


def test_only_the_secretary_runs_ballots(app, client, auth, app_world, meeting):
    council_id, dossier_id, _ = meeting
    auth.login("member1")
    token = csrf_from(client.get("/").get_data(as_text=True))
    for action in ("open", "close", "apply"):
        assert (
            client.post(
                f"/council/{council_id}/ballots/{dossier_id}/{action}", data={"csrf_token": token}
            ).status_code
            == 403
        )
    assert (
        client.post(
            f"/council/{council_id}/conflicts",
            data={
                "csrf_token": token,
                "dossier_id": dossier_id,
                "user_id": app_world.users["member2"].id,
                "reason": "x",
            },
        ).status_code
        == 403
    )
    with app_db(app) as session:
        assert session.scalars(select(Ballot)).all() == []


def test_bad_written_opinions_keep_the_ballot_open(app, client, auth, app_world, meeting):
    council_id, dossier_id, _ = meeting
    auth.login("secretary")
    open_ballot(client, auth, council_id, dossier_id)
    board = f"/council/{council_id}/ballots"
    for value, message in (("abc", "phải là số nguyên"), ("1", "tối đa 0 thành viên vắng mặt")):
        response = post(
            client, board, f"/council/{council_id}/ballots/{dossier_id}/close", written_for=value
        )
        assert message in client.get(response.headers["Location"]).get_data(as_text=True)
    with app_db(app) as session:
        assert session.scalars(select(Ballot)).one().status == "open"
    with app_db(app) as session:
        report = make_dossier(session, app_world, "report", "council_review").id
    as_user(auth, "member1")
    assert client.get(f"/council/{council_id}/vote/{report}").status_code == 404


def test_conflict_recorded_by_the_secretary_recuses(app, client, auth, app_world, meeting):
    council_id, dossier_id, _ = meeting
    auth.login("secretary")
    page = f"/council/{council_id}/ballots"
    response = post(
        client,
        page,
        f"/council/{council_id}/conflicts",
        dossier_id=dossier_id,
        user_id=app_world.users["member3"].id,
        reason="Là hiệu trưởng đơn vị đề nghị",
    )
    assert response.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "Ngô Quang Nam (Là hiệu trưởng đơn vị đề nghị)" in html
    open_ballot(client, auth, council_id, dossier_id)
    assert "0/4 thành viên đã bỏ phiếu." in client.get(page).get_data(as_text=True)
    assert vote(client, auth, "member3", council_id, dossier_id, "approve").status_code == 403


def agenda_item(html: str, dossier_id: int) -> str:
    """The session page's article on one agenda dossier."""
    start = html.index(f'id="dossier-{dossier_id}"')
    return html[start : html.index("</article>", start)]


def session_events(app) -> list[str]:
    with app_db(app) as session:
        return list(
            session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.entity_type == "council_session")
                .order_by(AuditEvent.seq)
            )
        )


def test_the_session_page_asks_no_counts_for_a_balloted_dossier(
    app, client, auth, app_world, meeting
):
    council_id, balloted, paper = meeting
    auth.login("secretary")
    open_ballot(client, auth, council_id, balloted)
    page = f"/council/{council_id}"
    html = client.get(page).get_data(as_text=True)
    item = agenda_item(html, balloted)
    assert 'name="votes_for"' not in item and "/actions/council_approve" not in item
    # Nor a rejection or deferral without counts: the engine refuses them (the ballot decides).
    assert "/actions/council_reject" not in item and "/actions/council_defer" not in item
    assert 'data-ballot="open"' in item and "0/5 thành viên đã bỏ phiếu." in item
    assert f'href="/council/{council_id}/ballots#ballot-{balloted}"' in item
    other = agenda_item(html, paper)  # no ballot: one entry of counts
    assert (
        'name="votes_for"' in other
        and f'action="/council/{council_id}/items/{paper}/result"' in other
    )
    for name in MEMBERS[:3]:
        vote(client, auth, name, council_id, balloted, "approve")
    item = agenda_item(
        client.get(page).get_data(as_text=True), balloted
    )  # a member: the state, no form
    assert "3/5 thành viên đã bỏ phiếu." in item and "<form" not in item
    as_user(auth, "secretary")
    post(
        client, f"/council/{council_id}/ballots", f"/council/{council_id}/ballots/{balloted}/close"
    )
    item = agenda_item(client.get(page).get_data(as_text=True), balloted)
    assert 'name="votes_for"' not in item and re.search(r'class="votes-for">3<', item)
    form = re.search(
        r'<form method="post" action="([^"]+)" class="card apply-ballot"[^>]*>(.*?)</form>',
        item,
        re.S,
    )
    assert form and form.group(1) == f"/council/{council_id}/ballots/{balloted}/apply"
    assert "Ghi nhận: Hội đồng thông qua" in form.group(2)
    hidden = dict(re.findall(r'type="hidden" name="([a-z_]+)" value="([^"]*)"', form.group(2)))
    response = client.post(form.group(1), data=hidden)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"{page}#dossier-{balloted}"
    )
    with app_db(app) as session:
        assert session.get(Dossier, balloted).state == "approved"
        item = session.scalars(select(CouncilItem).where(CouncilItem.dossier_id == balloted)).one()
        assert (item.votes_for, item.votes_against, item.votes_abstain) == (3, 0, 0)


def test_closing_the_session_with_a_pending_ballot_is_refused(
    app, client, auth, app_world, meeting
):
    council_id, dossier_id, _ = meeting
    auth.login("secretary")
    open_ballot(client, auth, council_id, dossier_id)
    page = f"/council/{council_id}"
    html = client.get(page).get_data(as_text=True)
    blocked = html[html.index('id="close-blocked"') : html.index('action="' + page + '/close"')]
    assert "Chưa thể kết thúc phiên họp" in blocked
    assert f'<a href="{page}/ballots#ballot-{dossier_id}">Trần Phú</a>' in blocked
    assert re.search(
        r'<button class="button danger" type="submit" disabled aria-describedby="close-blocked">'
        r"Kết thúc phiên họp</button>",
        html,
    )
    before = session_events(app)
    response = client.post(
        f"{page}/close", data={"csrf_token": csrf_from(html)}
    )  # the server decides
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Chưa thể kết thúc phiên họp: còn phiếu kín chưa đóng của hồ sơ “Trần Phú”." in text
    assert f'href="{page}/ballots#ballot-{dossier_id}"' in text
    # The fixture's session was not opened by the service; its ballot key was made.
    assert session_events(app) == before == ["ballot_key"]
    with app_db(app) as session:
        meeting_row = session.get(CouncilSession, council_id)
        assert (meeting_row.status, meeting_row.closed_at) == ("open", None)
    post(client, f"{page}/ballots", f"{page}/ballots/{dossier_id}/close")
    html = client.get(page).get_data(as_text=True)  # counted, not recorded: still blocked
    assert "đã kiểm phiếu, chưa ghi nhận kết quả" in html[html.index('id="close-blocked"') :]
    response = client.post(f"{page}/close", data={"csrf_token": csrf_from(html)})
    assert response.status_code == 409 and "chưa được ghi nhận" in response.get_data(as_text=True)
    post(client, f"{page}/ballots", f"{page}/ballots/{dossier_id}/apply")
    html = client.get(page).get_data(as_text=True)
    assert 'id="close-blocked"' not in html and " disabled" not in html.split(f'{page}/close"')[1]
    assert client.post(f"{page}/close", data={"csrf_token": csrf_from(html)}).status_code == 302
    assert session_events(app) == ["ballot_key", "close"]


def _blocks(html: str) -> list[str]:
    """The text of each block of a page: a table row with all its cells, a term of a list with
    its description, a list item, a paragraph, an option (CSV and JSON: a line)."""
    parts = re.split(r"<(?:tr|li|p|dt|option|h\d|article|section|form|table|dl)\b[^>]*>|\n", html)
    return [re.sub(r"<[^>]+>", " ", part) for part in parts]


def assert_no_voter_beside_a_choice(html: str, world) -> None:
    for block in _blocks(html):
        for name in VOTES:
            if world.users[name].full_name in block or f'/{world.users[name].id}"' in block:
                assert not any(w in block for w in CHOICE_WORDS), block


def test_the_page_check_finds_a_voter_beside_a_choice(app_world):
    """Not vacuous: a row, a description list or a CSV line pairing a voter and a choice is
    found."""
    name = app_world.users["member1"].full_name
    for html in (
        f"<table><tr><td>{name}</td><td>Đồng ý</td></tr></table>",
        f"<dl><dt>{name}</dt><dd>Không đồng ý</dd></dl>",
        f"x\n{name};abstain\ny",
    ):
        with pytest.raises(AssertionError):
            assert_no_voter_beside_a_choice(html, app_world)
    assert_no_voter_beside_a_choice(f"<tr><td>{name}</td></tr><tr><td>Đồng ý</td></tr>", app_world)


def test_no_page_export_or_log_tells_who_voted_how(app, client, auth, app_world, meeting, caplog):
    council_id, dossier_id, _ = meeting
    auth.login("secretary")
    open_ballot(client, auth, council_id, dossier_id)
    caplog.set_level(logging.DEBUG)
    for name, choice in VOTES.items():
        assert vote(client, auth, name, council_id, dossier_id, choice).status_code == 302
    for record in caplog.records:
        assert not any(w in record.getMessage() for w in CHOICE_WORDS), record.getMessage()
    as_user(auth, "secretary")
    board = client.get(f"/council/{council_id}/ballots").get_data(as_text=True)
    article = board[board.index(f'id="ballot-{dossier_id}"') :]
    assert "3/5 thành viên đã bỏ phiếu." in article
    assert 'class="facts ballot-result"' not in article  # no tally while open
    pages = [
        board,
        client.get(f"/council/{council_id}").get_data(as_text=True),
        client.get(f"/dossiers/{dossier_id}").get_data(as_text=True),
    ]
    as_user(auth, "member1")
    pages.append(client.get(f"/council/{council_id}/ballots").get_data(as_text=True))
    pages.append(client.get(f"/council/{council_id}/vote/{dossier_id}").get_data(as_text=True))
    as_user(auth, "secretary")
    assert (
        post(
            client,
            f"/council/{council_id}/ballots",
            f"/council/{council_id}/ballots/{dossier_id}/close",
        ).status_code
        == 302
    )
    closed = client.get(f"/council/{council_id}/ballots").get_data(as_text=True)
    assert re.search(r'class="votes-for">1<', closed) and re.search(
        r'class="votes-against">1<', closed
    )
    pages.append(closed)
    assert (
        post(
            client,
            f"/council/{council_id}/ballots",
            f"/council/{council_id}/ballots/{dossier_id}/apply",
        ).status_code
        == 302
    )
    pages += [
        client.get(f"/council/{council_id}").get_data(as_text=True),
        client.get(f"/dossiers/{dossier_id}").get_data(as_text=True),
        client.get("/public/audit/events.json").get_data(as_text=True),
    ]
    as_user(auth, "reviewer")
    pages.append(client.get("/office/export.csv").get_data(as_text=True))
    for html in pages:
        assert_no_voter_beside_a_choice(html, app_world)
    with app_db(app) as session:
        assert session.get(Dossier, dossier_id).state == "rejected"  # 1 of 5, 50% needs 3


def test_full_ballot_then_a_decision_published_all_together(app, client, auth, app_world, meeting):
    council_id, plain_id, own_id = meeting
    auth.login("secretary")
    for dossier_id in (plain_id, own_id):
        open_ballot(client, auth, council_id, dossier_id)
    for name in MEMBERS[:3]:
        vote(client, auth, name, council_id, plain_id, "approve")
        vote(client, auth, name, council_id, own_id, "approve")
    as_user(auth, "secretary")
    board = f"/council/{council_id}/ballots"
    for dossier_id in (plain_id, own_id):
        post(client, board, f"/council/{council_id}/ballots/{dossier_id}/close")
        post(client, board, f"/council/{council_id}/ballots/{dossier_id}/apply")
    with app_db(app) as session:
        assert [session.get(Dossier, i).state for i in (plain_id, own_id)] == [
            "approved",
            "approved",
        ]
    form = client.get("/council/decisions/new").get_data(as_text=True)
    assert form.count('name="dossier"') == 2 and "Căn cứ Luật Thi đua, khen thưởng" in form
    bad = post(
        client,
        "/council/decisions/new",
        "/council/decisions/new",
        number="5/QĐ-SGDĐT",
        decided_on="2026-06-05",
        signer="Nguyễn Văn Giám",
        title="Về việc khen thưởng",
        legal_bases="Căn cứ Luật;",
        dossier=[plain_id, own_id],
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 409 and "không đúng mẫu" in html and 'value="Nguyễn Văn Giám"' in html
    made = post(
        client,
        "/council/decisions/new",
        "/council/decisions/new",
        number="05/QĐ-SGDĐT",
        decided_on="2026-06-05",
        signer="Nguyễn Văn Giám",
        title="Về việc khen thưởng",
        legal_bases="Căn cứ Luật;",
        dossier=[plain_id, own_id],
    )
    assert made.status_code == 302
    with app_db(app) as session:
        decision = session.scalars(select(Decision)).one()
    docx = client.get(f"/council/decisions/{decision.id}/docx")
    assert docx.status_code == 200 and docx.mimetype.endswith("wordprocessingml.document")
    # Browsers that read only the ASCII name still see every letter of the number.
    assert 'filename="05-QD-SGDDT.docx"' in docx.headers["Content-Disposition"]
    doc = Document(io.BytesIO(docx.data))
    assert doc.tables[0].rows[1].cells[0].text == "Số: 05/QĐ-SGDĐT"
    annex = doc.tables[-1]  # after the signature; its rows numbered, its headings not
    named = [r.cells[1].text for r in annex.rows[1:] if r.cells[0].text.isdigit()]
    assert sorted(named) == ["Trần Phú", "Đinh Thị Oanh"]
    detail = f"/council/decisions/{decision.id}"
    issued = post(client, detail, f"{detail}/issue")
    assert issued.status_code == 302
    html = client.get(detail).get_data(as_text=True)
    assert "Đã ban hành quyết định và công bố 2 hồ sơ." in html
    with app_db(app) as session:
        assert {session.get(Dossier, i).decision_number for i in (plain_id, own_id)} == {
            "05/QĐ-SGDĐT"
        }
    as_user(auth, "member1")  # members read decisions, cannot issue
    assert client.get(detail).status_code == 200
    assert (
        client.post(
            f"{detail}/issue",
            data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))},
        ).status_code
        == 403
    )


def test_issue_shows_why_nothing_was_published(app, client, auth, app_world):
    with app_db(app) as session:
        council = make_council_session(session, app_world)
        first = make_dossier(
            session, app_world, "nomination", "approved", council=council, nominee_name="Trần Phú"
        )
        second = make_dossier(
            session, app_world, "nomination", "approved", council=council, nominee_name="Lê Văn Bảo"
        )
        decision = decisions.create(
            session,
            app_world.actor("secretary"),
            number="07/QĐ-SGDĐT",
            decided_on=dt.date(2026, 6, 7),
            signer="Nguyễn Văn Giám",
            title="Về việc khen thưởng",
            legal_bases="",
            dossier_ids=[first.id, second.id],
        )
        fire(
            session,
            second.id,
            "publish",
            app_world.actor("secretary"),
            inputs={
                "decision_number": "08/QĐ-SGDĐT",
                "decision_date": "2026-06-01",
                "decision_signer": "Khác",
            },
        )
        ids = decision.id, first.id
    auth.login("secretary")
    detail = f"/council/decisions/{ids[0]}"
    html = client.get(post(client, detail, f"{detail}/issue").headers["Location"]).get_data(
        as_text=True
    )
    assert (
        "Chưa công bố hồ sơ nào vì:" in html
        and "“Lê Văn Bảo”: Không thể thực hiện “Công bố”" in html
    )
    with app_db(app) as session:
        assert session.get(Dossier, ids[1]).state == "approved"


def test_pdf_without_libreoffice_says_so(app, client, auth, app_world, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with app_db(app) as session:
        council = make_council_session(session, app_world)
        dossier = make_dossier(session, app_world, "nomination", "approved", council=council)
        decision = decisions.create(
            session,
            app_world.actor("secretary"),
            number="09/QĐ-SGDĐT",
            decided_on=dt.date(2026, 6, 9),
            signer="A",
            title="B",
            legal_bases="",
            dossier_ids=[dossier.id],
        ).id
    auth.login("secretary")
    assert "Máy chủ chưa cài LibreOffice" in client.get(f"/council/decisions/{decision}").get_data(
        as_text=True
    )
    response = client.get(f"/council/decisions/{decision}/pdf")
    assert response.status_code == 409 and "tải bản DOCX" in response.get_data(as_text=True)


def test_unit_head_downloads_the_proposal_letter(app, client, auth, app_world):
    with app_db(app) as session:
        make_dossier(session, app_world, "nomination", "office_review", nominee_name="Trần Phú")
        make_dossier(session, app_world, "nomination", "draft", nominee_name="Nháp")
    auth.login("head_a")
    listing = client.get("/dossiers/").get_data(as_text=True)
    assert 'href="/council/proposal"' in listing and "Tải tờ trình" in listing
    page = client.get("/council/proposal").get_data(as_text=True)
    assert 'value="Trần Văn Bình"' in page  # the head signs
    fields = dict(
        unit=app_world.units["a"].id,
        campaign=app_world.campaign.id,
        day="2026-03-02",
        signer="Trần Văn Bình",
    )
    bad = post(client, "/council/proposal", "/council/proposal", number="12/QĐ-X", **fields)
    assert bad.status_code == 409 and "không đúng mẫu" in bad.get_data(as_text=True)
    assert 'value="12/QĐ-X"' in bad.get_data(as_text=True)
    good = post(
        client, "/council/proposal", "/council/proposal", number="12/TTr-THPT-TRAN-PHU", **fields
    )
    assert good.status_code == 200 and good.mimetype.endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(good.data))
    assert doc.tables[0].rows[1].cells[0].text == "Số: 12/TTr-THPT-TRAN-PHU"
    assert [r.cells[1].text for r in doc.tables[1].rows[1:]] == ["Trần Phú"]
    as_user(auth, "member1")
    assert client.get("/council/proposal").status_code == 403


@pytest.mark.skipif(documents.pdf_converter() is None, reason="LibreOffice is not installed")
def test_decision_as_pdf_when_libreoffice_is_there(app, client, auth, app_world):
    with app_db(app) as session:
        dossier = make_dossier(session, app_world, "nomination", "approved")
        decision = decisions.create(
            session,
            app_world.actor("secretary"),
            number="10/QĐ-SGDĐT",
            decided_on=dt.date(2026, 6, 10),
            signer="A",
            title="B",
            legal_bases="",
            dossier_ids=[dossier.id],
        ).id
    auth.login("secretary")
    assert "Tải PDF" in client.get(f"/council/decisions/{decision}").get_data(as_text=True)
    response = client.get(f"/council/decisions/{decision}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")


def test_the_roll_shows_the_nominee_recused_and_the_result_stays_as_closed(
    app, app_world, client, auth, meeting
):
    council_id, _plain, own = meeting
    auth.login("secretary")
    open_ballot(client, auth, council_id, own)
    page = client.get(f"/council/{council_id}/ballots").get_data(as_text=True)
    card = page[page.index(f'id="ballot-{own}"') :]
    assert "Đinh Thị Oanh — Không tham gia bỏ phiếu (là người được đề nghị)" in re.sub(
        r"\s+", " ", card
    )
    # Her vote is refused with the reason, and counts nothing.
    as_user(auth, "member4")
    answer = post(client, "/", f"/council/{council_id}/vote/{own}", choice="approve")
    assert answer.status_code == 403
    assert "là người được đề nghị" in answer.get_data(as_text=True)
    for name in ("member1", "member2"):
        vote(client, auth, name, council_id, own, "approve")
    as_user(auth, "secretary")
    post(
        client,
        f"/council/{council_id}/ballots",
        f"/council/{council_id}/ballots/{own}/close",
    )
    with app_db(app) as session:
        award = session.get(Dossier, own).award_type
        award.vote_threshold = "1/4"
        session.commit()
    page = re.sub(r"\s+", " ", client.get(f"/council/{council_id}/ballots").get_data(as_text=True))
    # 2 of the 4 on the roll, 1/2 needed then: passed, and it stays so whatever the catalogue says.
    assert "2/4 phiếu đồng ý, cần ít nhất 2/4 — một phần hai số thành viên có mặt" in page


def test_the_threshold_is_shown_with_the_count_its_source_and_its_day(
    app, app_world, client, auth, meeting
):
    council_id, plain, _own = meeting
    with app_db(app) as session:
        award = session.get(Dossier, plain).award_type
        award.vote_threshold, award.threshold_base = "9/10", "all_members"
        award.threshold_source = "Nghị định 98/2023/NĐ-CP, Điều 30"
        award.threshold_from = dt.date(2024, 1, 1)
        session.commit()
    auth.login("secretary")
    page = re.sub(r"\s+", " ", client.get(f"/council/{council_id}/ballots").get_data(as_text=True))
    assert (
        "cần ít nhất 5/5 — chín phần mười tổng số thành viên Hội đồng "
        "(Nghị định 98/2023/NĐ-CP, Điều 30; áp dụng từ 01/01/2024)"
    ) in page
