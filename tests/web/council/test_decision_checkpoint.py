"""Issuing a decision signs a checkpoint at once when the key exists, so the publication is
covered by a signed head the same minute; with no key, the decision is issued all the same."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from models import AuditCheckpoint, AuditEvent
from tests.fixtures.people import make_council_session, make_dossier
from tests.fixtures.web import app_db, csrf_from
from web.support.checkpoints import signer
from workflow.core import checkpoints
from workflow.core.audit import current_head
from workflow.publication import decisions


def _issue(app, client, auth, app_world) -> int:
    with app_db(app) as session:
        council = make_council_session(session, app_world)
        dossier = make_dossier(
            session, app_world, "nomination", "approved", council=council, nominee_name="Trần Phú"
        )
        decision = decisions.create(
            session,
            app_world.actor("secretary"),
            number="09/QĐ-SGDĐT",
            decided_on=dt.date(2026, 6, 7),
            signer="Nguyễn Văn Giám",
            title="Về việc khen thưởng",
            legal_bases="",
            dossier_ids=[dossier.id],
        )
        ids = decision.id, dossier.id
    auth.login("secretary")
    detail = f"/council/decisions/{ids[0]}"
    token = csrf_from(client.get(detail).get_data(as_text=True))
    assert client.post(f"{detail}/issue", data={"csrf_token": token}).status_code == 302
    return ids[1]


@pytest.fixture()
def key_file(app, tmp_path):
    app.config["CHECKPOINT_KEY_FILE"] = str(tmp_path / "checkpoint.pem")
    return tmp_path / "checkpoint.pem"


def test_a_decision_is_covered_by_a_checkpoint_signed_at_once(
    app, client, auth, app_world, key_file
):
    with app.app_context():
        signer(app, create=True)
    _issue(app, client, auth, app_world)
    with app_db(app) as session:
        latest = checkpoints.latest_checkpoint(session)
        head = current_head(session)[0]
        assert latest is not None and latest.tree_size == head
        published = session.scalars(
            select(AuditEvent.seq)
            .where(AuditEvent.visibility == "public")
            .order_by(AuditEvent.seq.desc())
        ).first()
        assert checkpoints.included_in_checkpoint(session, published).ok


def test_without_a_key_the_decision_is_issued_and_nothing_signed(
    app, client, auth, app_world, key_file
):
    _issue(app, client, auth, app_world)
    assert not key_file.exists()  # the web never makes the key
    with app_db(app) as session:
        assert session.scalars(select(AuditCheckpoint)).first() is None
