"""The public checkpoint pages and proofs: verdicts in words, JSON that verifies, and every
bad request answered 4xx in words, never a server error."""

from __future__ import annotations

import pytest

from tests.fixtures.audit_tools import add_events
from tests.fixtures.web import app_db
from web.support.checkpoints import signer
from workflow.core import checkpoints, merkle


@pytest.fixture()
def signed(app, tmp_path):
    """Twelve events (every third public), a checkpoint at 9 and one at 12."""
    app.config["CHECKPOINT_KEY_FILE"] = str(tmp_path / "key.pem")
    app.config["CHECKPOINT_ORIGIN"] = "vinhdanh.test/audit"
    with app.app_context():
        found = signer(app, create=True)
        with app_db(app) as session:
            add_events(session, 9)
            checkpoints.sign_checkpoint(session, found)
            add_events(session, 3)
            checkpoints.sign_checkpoint(session, found)
    return found


def test_the_list_shows_every_checkpoint_and_the_key(client, signed):
    page = client.get("/public/audit/checkpoints").get_data(as_text=True)
    assert "Điểm kiểm chứng đã ký của nhật ký" in page
    assert str(signed.verifier_key) in page
    assert 'data-size="12"' in page and 'data-size="9"' in page
    note = client.get("/public/audit/checkpoints/9.txt")
    assert note.status_code == 200 and note.mimetype == "text/plain"
    assert note.get_data(as_text=True).startswith("vinhdanh.test/audit\n9\n")
    key = client.get("/public/audit/key.txt").get_data(as_text=True).strip()
    assert key == str(signed.verifier_key)
    missing = client.get("/public/audit/checkpoints/10.txt")
    assert missing.status_code == 404 and "Không có điểm kiểm chứng nào có 10 sự kiện" in (
        missing.get_data(as_text=True)
    )


def test_an_empty_list_says_so(client):
    page = client.get("/public/audit/checkpoints").get_data(as_text=True)
    assert "Chưa có điểm kiểm chứng nào được ký." in page
    assert client.get("/public/audit/key.txt").status_code == 404


def test_an_inclusion_proof_verifies_against_the_signed_note(client, signed):
    data = client.get("/public/audit/proof/6.json").get_json()
    assert data["ok"] and data["tree_size"] == 12 and data["seq"] == 6
    note, verdict = checkpoints.read_note(data["checkpoint"], signed.verifier_key)
    assert verdict.ok
    leaf = bytes.fromhex(data["leaf_hash"])
    proof = [bytes.fromhex(p) for p in data["proof"]]
    assert merkle.verify_inclusion(5, note.size, leaf, proof, note.root)
    page = client.get("/public/audit/proof/6")
    assert page.status_code == 200
    assert "Sự kiện số 6 nằm trong điểm kiểm chứng có 12 sự kiện" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/public/audit/proof/abc", 400, "“abc” không phải là một số thứ tự"),
        ("/public/audit/proof/0", 400, "không phải là một số thứ tự"),
        ("/public/audit/proof/99999999999999999999", 400, "không phải là một số thứ tự"),
        ("/public/audit/proof/500", 404, "Nhật ký không có sự kiện số 500."),
        ("/public/audit/proof/5", 403, "Sự kiện số 5 là sự kiện nội bộ"),
        ("/public/audit/consistency?from=12&to=9", 400, "phải nhỏ hơn hoặc bằng"),
        ("/public/audit/consistency?from=5&to=12", 404, "Không có điểm kiểm chứng nào có 5"),
        ("/public/audit/consistency?from=x&to=12", 400, "“x” không phải là một số thứ tự"),
    ],
)
def test_bad_requests_get_a_verdict_in_words(client, signed, path, status, words):
    response = client.get(path)
    assert response.status_code == status
    assert words in response.get_data(as_text=True)
    base, _, query = path.partition("?")
    data = client.get(f"{base}.json" + (f"?{query}" if query else "")).get_json()
    assert data["ok"] is False and words in data["verdict"]


def test_a_proof_waits_for_the_next_checkpoint(app, client, signed):
    with app.app_context(), app_db(app) as session:
        add_events(session, 3)
    response = client.get("/public/audit/proof/15.json")
    assert (
        response.status_code == 404
        and "hãy chờ điểm kiểm chứng kế tiếp" in (response.get_json()["verdict"])
    )


def test_a_consistency_proof_verifies_and_the_form_keeps_what_was_typed(client, signed):
    data = client.get("/public/audit/consistency.json?from=9&to=12").get_json()
    assert data["ok"]
    proof = [bytes.fromhex(p) for p in data["proof"]]
    old = bytes.fromhex(data["from_root_hash"])
    new = bytes.fromhex(data["to_root_hash"])
    assert merkle.verify_consistency(9, 12, old, new, proof)
    page = client.get("/public/audit/consistency?from=9&to=12").get_data(as_text=True)
    assert "không bị viết lại" in page
    typed = client.get("/public/audit/consistency?from=9x&to=12").get_data(as_text=True)
    assert 'value="9x"' in typed and 'value="12"' in typed
    assert client.get("/public/audit/consistency").status_code == 200
