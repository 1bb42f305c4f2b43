"""The verification page of a certificate's code (``/v/<code>``), its form (``/v``) and the
Office's revocation form: verdicts in words, typed variants, unknown codes, nothing private,
the rate limit; revocation refused to other roles, bad input kept, the result shown everywhere."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from models import Revocation
from models.decisions import DecisionItem
from tests.fixtures.money import approved, draft_decision
from tests.fixtures.people import NOW, make_council_session, register_person
from tests.fixtures.web import app_db, csrf_from
from web import create_app
from workflow.core.audit import current_head
from workflow.publication import decisions, verification

REASON = "Kê khai thành tích không trung thực."
PRIVATE = ["@example.vn", "staff_a", "reviewer", "Giáo viên dạy giỏi", "Minh chứng"]


def issue_decision(app, world) -> dict:
    """An issued decision of two awardees and a draft decision whose item has a code."""
    with app_db(app) as session:
        council = make_council_session(session, world)
        made = [approved(session, world, council, n) for n in ("Trần Phú", "Đỗ Thị Mai")]
        decision = draft_decision(session, world, made)
        decisions.issue(session, decision.id, world.actor("secretary"), now=NOW)
        draft = draft_decision(
            session, world, [approved(session, world, council, "Lê Văn Tám")], "06/QĐ-SGDĐT"
        )
        draft.items[0].verify_code = verification.new_code()
        session.flush()
        codes = {item.dossier_id: item.verify_code for item in decision.items}
        return {
            "phu": made[0].id,
            "mai": made[1].id,
            "code": codes[made[0].id],
            "other": codes[made[1].id],
            "draft": draft.items[0].verify_code,
        }


@pytest.fixture()
def site(app, app_world):
    return issue_decision(app, app_world)


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_a_valid_code_says_so_in_words_with_the_published_outcome(client, site):
    response = client.get(f"/v/{site['code']}")
    assert response.status_code == 200
    body = text_of(response)
    assert "Khen thưởng này có trong Quyết định số 05/QĐ-SGDĐT ngày 05/06/2026" in body
    assert "đang có hiệu lực" in body
    assert "Trần Phú" in body and "Lao động tiên tiến" in body
    assert verification.shown(site["code"]) in body
    assert "Đỗ Thị Mai" not in body  # one code, one awardee
    # The publication's public audit event, linked to the public log.
    assert "/public/audit" in body and "Sự kiện số" in body
    # A QR code of the page's own address, drawn inline.
    assert "<svg" in body and f"/v/{site['code']}</title>" in body
    assert not [p for p in PRIVATE if p in body]
    assert "ĐÃ BỊ THU HỒI" not in body


@pytest.mark.parametrize("mangle", ["lower-dash", "spaces", "o-for-zero"])
def test_codes_typed_by_hand_lead_to_the_printed_address(client, site, mangle):
    code = site["code"]
    shown = verification.shown(code)
    typed = {
        "lower-dash": shown.lower(),
        "spaces": f"  {code[:3]} {code[3:7]} {code[7:]} ",
        "o-for-zero": code.replace("0", "o").replace("1", "l").lower(),
    }[mangle]
    response = client.get("/v", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/v/{code}")
    if " " not in typed:
        moved = client.get(f"/v/{typed}")
        assert moved.status_code == 301 and moved.headers["Location"].endswith(f"/v/{code}")


@pytest.mark.parametrize("which", ["unknown", "malformed", "draft", "garbage"])
def test_unknown_codes_get_a_verdict_in_words_and_404(client, site, which):
    typed = {
        "unknown": "0000000000",
        "malformed": "abc",
        "draft": site["draft"],
        "garbage": '"><img src=x onerror=alert(1)>' * 2,
    }[which]
    for response in (client.get(f"/v/{typed}"), client.get("/v", query_string={"code": typed})):
        assert response.status_code == 404
        body = text_of(response)
        assert "Không tìm thấy khen thưởng nào mang mã này" in body
        assert "Lê Văn Tám" not in body and "<img src=x" not in body
        # What was typed stays in the box, to be corrected.
        assert 'id="verify-code"' in body


def test_the_form_page_asks_for_a_code(client, site):
    response = client.get("/v")
    assert response.status_code == 200
    assert "Mã kiểm tra in trên giấy khen" in text_of(response)
    assert "Không tìm thấy" not in text_of(response)


def _revoke_form(client, dossier_id):
    return client.get(f"/office/dossiers/{dossier_id}/revoke")


def _post_revoke(client, dossier_id, **typed):
    token = csrf_from(text_of(client.get("/")))
    data = {"number": "12/QĐ-SGDĐT", "decided_on": "01/12/2026", "reason": REASON} | typed
    return client.post(f"/office/dossiers/{dossier_id}/revoke", data=data | {"csrf_token": token})


def _revocations(app) -> int:
    with app_db(app) as session:
        return session.scalar(select(func.count()).select_from(Revocation))


@pytest.mark.parametrize("who", ["head_a", "secretary", "member1", "admin"])
def test_other_roles_may_not_revoke_and_nothing_changes(app, client, auth, site, who):
    with app_db(app) as session:
        head = current_head(session)
    auth.login(who)
    assert _revoke_form(client, site["phu"]).status_code == 403
    assert _post_revoke(client, site["phu"]).status_code == 403
    assert _revocations(app) == 0
    with app_db(app) as session:
        assert current_head(session) == head
    assert "đang có hiệu lực" in text_of(client.get(f"/v/{site['code']}"))


def test_a_reviewer_may_not_revoke_their_own_award(app, app_world, client, auth, site):
    with app_db(app) as session:
        register_person(session, app_world, "Trần Phú", "a", user="reviewer")
        head = current_head(session)
    auth.login("reviewer")
    assert f"/office/dossiers/{site['phu']}/revoke" not in text_of(
        client.get(f"/dossiers/{site['phu']}")
    )
    form = _revoke_form(client, site["phu"])
    assert form.status_code == 403
    assert "Bạn là người được khen thưởng này nên không được thu hồi" in text_of(form)
    response = _post_revoke(client, site["phu"])
    assert response.status_code == 403
    assert "Bạn là người được khen thưởng này nên không được thu hồi" in text_of(response)
    assert _revocations(app) == 0
    with app_db(app) as session:
        assert current_head(session) == head


def test_bad_input_keeps_what_was_typed(app, client, auth, site):
    auth.login("reviewer")
    response = _post_revoke(client, site["phu"], number="12-QD", decided_on="31/02/2026")
    assert response.status_code == 422
    body = text_of(response)
    assert "Chưa thu hồi được khen thưởng" in body
    assert 'value="12-QD"' in body and 'value="31/02/2026"' in body and REASON in body
    assert _revocations(app) == 0


def test_the_office_revokes_and_every_page_says_so(app, app_world, client, auth, site):
    auth.login("reviewer")
    dossier_page = text_of(client.get(f"/dossiers/{site['phu']}"))
    assert f"/office/dossiers/{site['phu']}/revoke" in dossier_page
    assert _revoke_form(client, site["phu"]).status_code == 200
    response = _post_revoke(client, site["phu"])
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/dossiers/{site['phu']}")
    dossier_page = text_of(client.get(f"/dossiers/{site['phu']}"))
    assert "Khen thưởng đã bị thu hồi" in dossier_page and REASON in dossier_page
    assert f"/office/dossiers/{site['phu']}/revoke" not in dossier_page
    # A second attempt is told by which decision it was revoked.
    again = _post_revoke(client, site["phu"], number="13/QĐ-SGDĐT")
    assert again.status_code == 422 and "12/QĐ-SGDĐT" in text_of(again)
    assert _revocations(app) == 1
    # The dashboards keep it among the published, with the revoked beside them.
    campaign = app_world.campaign
    board = text_of(client.get("/dashboard/", query_string={"campaign": campaign.id}))
    assert 'data-figure="published_revoked">trong đó đã thu hồi: 1<' in board
    year = text_of(client.get("/dashboard/year", query_string={"year": campaign.year}))
    assert 'data-figure="year-published_revoked">trong đó đã thu hồi: 1<' in year
    assert "(đã thu hồi: 1)" in year
    auth.logout()

    body = text_of(client.get(f"/v/{site['code']}"))
    assert "ĐÃ BỊ THU HỒI theo Quyết định số 12/QĐ-SGDĐT ngày 01/12/2026" in body
    assert REASON in body and "đang có hiệu lực" not in body
    assert "đang có hiệu lực" in text_of(client.get(f"/v/{site['other']}"))
    listing = text_of(client.get("/public/"))
    assert "Đã thu hồi" in listing and "Trần Phú" in listing
    outcome_page = text_of(client.get(f"/public/outcomes/{site['phu']}"))
    assert "Khen thưởng này đã bị thu hồi" in outcome_page and "12/QĐ-SGDĐT" in outcome_page
    exported = text_of(client.get("/public/outcomes.csv")).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(exported)))
    revoked = {r[1]: r[9] for r in rows[1:]}
    assert revoked["Trần Phú"].startswith("Đã thu hồi theo Quyết định số 12/QĐ-SGDĐT")
    assert revoked["Đỗ Thị Mai"] == ""
    events = client.get("/public/audit/events.json").get_json()["events"]
    assert any('"action":"revoke"' in e.get("canonical", "") for e in events)


def test_lookups_are_rate_limited_per_client(web_url, tmp_path, app_world):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": web_url,
            "SECRET_KEY": "t",
            "UPLOAD_DIR": str(tmp_path),
            "RATELIMIT_ENABLED": True,
        }
    )
    try:
        client = app.test_client()
        codes = [client.get(f"/v/{i:010d}").status_code for i in range(30)]
        assert codes == [404] * 30
        assert client.get("/v", query_string={"code": "0000000000"}).status_code == 429
        other = app.test_client()
        assert (
            other.get("/v", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200
        )  # another client is not held back
    finally:
        app.extensions["vinhdanh.engine"].dispose()


def test_the_page_says_whether_a_signed_checkpoint_includes_the_award(app, client, site):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from workflow.core import checkpoints

    before = text_of(client.get(f"/v/{site['code']}"))
    assert 'data-included="no"' in before and "Chưa có điểm kiểm chứng nào được ký." in before
    with app_db(app) as session:
        signer = checkpoints.Signer("vinhdanh.test/audit", Ed25519PrivateKey.generate())
        size = checkpoints.sign_checkpoint(session, signer).checkpoint.tree_size
    after = text_of(client.get(f"/v/{site['code']}"))
    assert 'data-included="yes"' in after
    assert f"nằm trong điểm kiểm chứng có {size} sự kiện" in after
    assert "bằng chứng đã được kiểm tra và khớp" in after
    assert "/public/audit/proof/" in after and "/public/audit/checkpoints" in after


def test_each_issued_item_has_a_distinct_code(app, site):
    with app_db(app) as session:
        codes = session.scalars(select(DecisionItem.verify_code)).all()
    assert len(set(codes)) == len(codes) == 3


def test_the_verdict_reads_in_english_too(client, site):
    with client.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    body = text_of(client.get(f"/v/{site['code']}"))
    assert "This award is in decision no. 05/QĐ-SGDĐT of 05/06/2026 and is in force." in body
    assert "Advanced Worker" in body
    unknown = client.get("/v/0000000000")
    assert unknown.status_code == 404 and "No award carries this code" in text_of(unknown)
