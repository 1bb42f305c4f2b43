"""The new-list form asks for everything a list needs to be sent: its number, what it says and
the unit council's vote (which the list's submission requires)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Proposal
from tests.fixtures.web import app_db, csrf_from

pytestmark = pytest.mark.db


def test_the_form_takes_the_unit_vote_and_speaks_of_a_proposal_letter(client, auth, app, app_world):
    auth.login("staff_a")
    html = client.get("/dossiers/new/proposal").get_data(as_text=True)
    assert 'name="unit_vote"' in html
    assert "57/TTr-THPT" in html and "45/BC-THPT" not in html
    answer = client.post(
        "/dossiers/new/proposal",
        data={
            "csrf_token": csrf_from(html),
            "title": "Tờ trình đề nghị công nhận danh hiệu năm học 2025–2026",
            "campaign_id": str(app_world.campaign.id),
            "document_number": "57/TTr-THPTTP",
            "summary": "Đề nghị công nhận danh hiệu cho các cá nhân trong danh sách.",
            "unit_vote": "17/17 thành viên đồng ý",
        },
    )
    assert answer.status_code == 302
    with app_db(app) as session:
        proposal = session.scalars(select(Proposal)).one()
        assert (proposal.document_number, proposal.unit_vote) == (
            "57/TTr-THPTTP",
            "17/17 thành viên đồng ý",
        )
    # The edit form shows the vote typed, to correct it before the list is sent.
    edit = client.get(f"/dossiers/{proposal.id}/edit").get_data(as_text=True)
    assert 'value="17/17 thành viên đồng ý"' in edit
