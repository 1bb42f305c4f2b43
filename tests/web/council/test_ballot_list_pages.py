"""List ballots through the web: the two officers' key, every agenda ballot opened at once, a
member's whole card on one page (a missing mark keeps the others), a recused row, the live
count (counts only), the close with both passphrases, and the published proof."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from models.council import BallotCard, BallotKey, BallotList
from tests.fixtures import ballot_keys as keyed
from tests.fixtures.people import make_council_session, make_dossier
from tests.fixtures.web import app_db, csrf_from
from workflow.council import secrecy

KEY = {
    "chair_passphrase": keyed.CHAIR_PASSPHRASE,
    "secretary_passphrase": keyed.SECRETARY_PASSPHRASE,
}


@pytest.fixture()
def meeting(app, app_world):
    """An open session of five (member1 the chair) and three nominations; member4 is the
    second one's nominee."""
    with app_db(app) as session:
        council = make_council_session(session, app_world)
        keyed.ensure_chair(session, council)
        ids = [
            make_dossier(
                session,
                app_world,
                "nomination",
                "council_review",
                council=council,
                nominee_name=name,
                **({"nominee_user_id": app_world.users["member4"].id} if i == 1 else {}),
            ).id
            for i, name in enumerate(("Trần Phú", "Đinh Thị Oanh", "Lê Văn Hưng"))
        ]
        return council.id, ids


def post(client, page: str, url: str, **data):
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def as_user(auth, name: str) -> None:
    auth.logout()
    auth.login(name)


def open_list(app, client, auth, council_id: int) -> int:
    as_user(auth, "secretary")
    board = f"/council/{council_id}/ballots"
    post(
        client,
        board,
        f"{board}/key",
        **KEY,
        chair_confirm=keyed.CHAIR_PASSPHRASE,
        secretary_confirm=keyed.SECRETARY_PASSPHRASE,
    )
    html = client.get(board).get_data(as_text=True)
    assert "Mở phiếu tất cả hồ sơ" in html
    assert post(client, board, f"{board}/open-all").status_code == 302
    with app_db(app) as session:
        return session.scalars(select(BallotList.id)).one()


def test_a_mistyped_confirmation_makes_no_key(app, client, auth, meeting):
    council_id, _ = meeting
    auth.login("secretary")
    board = f"/council/{council_id}/ballots"
    response = post(
        client,
        board,
        f"{board}/key",
        **KEY,
        chair_confirm="khác hẳn mật khẩu",
        secretary_confirm=keyed.SECRETARY_PASSPHRASE,
    )
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mật khẩu nhập lại của chủ tịch không khớp." in html
    assert keyed.CHAIR_PASSPHRASE not in html  # never put back into a page
    with app_db(app) as session:
        assert session.scalar(select(func.count()).select_from(BallotKey)) == 0
    assert "Mở phiếu tất cả hồ sơ" not in html  # no ballot opens before the key


def test_members_vote_a_whole_list_on_one_page(app, client, auth, meeting):
    council_id, ids = meeting
    auth.login("secretary")
    list_id = open_list(app, client, auth, council_id)
    page = f"/council/{council_id}/lists/{list_id}/vote"
    count = f"/council/{council_id}/lists/{list_id}/count.json"
    as_user(auth, "member1")
    html = client.get(page).get_data(as_text=True)
    assert re.findall(r'name="mark-(\d+)" value="approve"', html) == [str(i) for i in ids]
    assert "0/5 thành viên đã bỏ phiếu" in html and f'data-count-url="{count}"' in html
    # A missing mark: refused, the marks given are kept, nothing stored.
    response = post(client, page, page, **{f"mark-{ids[0]}": "reject", f"mark-{ids[2]}": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Còn 2 hồ sơ chưa chọn ý kiến" in html
    assert f'name="mark-{ids[0]}" value="reject" checked' in html
    response = post(client, page, page, **{f"mark-{i}": "approve" for i in ids})
    assert response.status_code == 302
    assert "Bạn đã bỏ phiếu." in client.get(page).get_data(as_text=True)
    assert client.get(count).get_json() == {
        "voted": 1,
        "roll": 5,
        "open": True,
        "text": "1/5 thành viên đã bỏ phiếu",
    }
    # The nominee sees their row marked and cannot mark it.
    as_user(auth, "member4")
    html = client.get(page).get_data(as_text=True)
    assert f'name="mark-{ids[1]}"' not in html
    assert "Không tham gia biểu quyết (là người được đề nghị)" in html
    response = post(client, page, page, **{f"mark-{i}": "approve" for i in ids})
    assert response.status_code == 422 and "là người được đề nghị" in response.get_data(
        as_text=True
    )
    post(client, page, page, **{f"mark-{ids[0]}": "reject", f"mark-{ids[2]}": "abstain"})
    as_user(auth, "member2")
    post(client, page, page, **{f"mark-{i}": "reject" for i in ids})
    with app_db(app) as session:
        assert session.scalar(select(func.count()).select_from(BallotCard)) == 3
    # The close: a wrong passphrase changes nothing; both right ones count.
    as_user(auth, "secretary")
    board = f"/council/{council_id}/ballots"
    close = f"/council/{council_id}/lists/{list_id}/close"
    response = post(client, board, close, **{**KEY, "secretary_passphrase": "sai mật khẩu rồi"})
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mật khẩu của chủ tịch hoặc của thư ký không đúng" in html
    with app_db(app) as session:
        assert session.get(BallotList, list_id).is_open
    response = post(client, board, close, **KEY)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã đóng phiếu và kiểm phiếu 3 hồ sơ." in html
    with app_db(app) as session:
        ballots_ = session.get(BallotList, list_id).ballots
        assert [(b.votes_for, b.votes_against, b.votes_abstain) for b in ballots_] == [
            (1, 2, 0),
            (1, 1, 0),
            (1, 1, 1),
        ]
    # Anyone on the Council can download the proof and check it without a secret.
    as_user(auth, "member3")
    proof = client.get(f"/council/{council_id}/lists/{list_id}/published.json")
    assert proof.status_code == 200 and "attachment" in proof.headers["Content-Disposition"]
    assert secrecy.verify_published(json.loads(proof.get_data(as_text=True)))
    response = post(client, page, page, **{f"mark-{i}": "approve" for i in ids})
    assert response.status_code == 422
    assert "Cuộc bỏ phiếu kín đã kết thúc." in response.get_data(as_text=True)


def test_the_count_and_the_proof_tell_no_choice(app, client, auth, meeting):
    council_id, ids = meeting
    auth.login("secretary")
    list_id = open_list(app, client, auth, council_id)
    page = f"/council/{council_id}/lists/{list_id}/vote"
    as_user(auth, "member1")
    post(client, page, page, **{f"mark-{i}": "approve" for i in ids})
    body = client.get(f"/council/{council_id}/lists/{list_id}/count.json").get_data(as_text=True)
    assert set(json.loads(body)) == {"voted", "roll", "open", "text"}
    # The proof waits for the close.
    assert client.get(f"/council/{council_id}/lists/{list_id}/published.json").status_code == 409
    # Someone outside the Council sees neither the card nor the count.
    as_user(auth, "reviewer")
    assert client.get(page).status_code == 403
    assert client.get(f"/council/{council_id}/lists/{list_id}/count.json").status_code == 403
