"""Helpers of the dossier page tests: set-up through the engine, snapshots, posting forms."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import with_polymorphic

from models import Attachment, AuditEvent, Dossier
from tests.fixtures.people import make_dossier
from tests.fixtures.web import csrf_from

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def setup_dossier(app, world, kind="nomination", state="draft", unit="a", **fields) -> int:
    """A dossier moved to ``state`` by the engine and committed in the app's database.

    Nominations that the web may still submit use the ad-hoc campaign: always open, whatever the
    day.
    """
    session = app.extensions["vinhdanh.write"]()
    try:
        if kind == "nomination" and state in ("draft", "returned", "unit_review"):
            fields.setdefault("campaign_id", world.ad_hoc.id)
        dossier = make_dossier(session, world, kind, state, unit, **fields)
        session.commit()
        return dossier.id
    finally:
        session.close()


def snapshot(app, dossier_id: int) -> tuple:
    """(state, version, audit events of the dossier, attachments): what a refusal must not
    change."""
    session = app.extensions["vinhdanh.write"]()
    try:
        dossier = session.get(Dossier, dossier_id)
        events = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity_type == "dossier", AuditEvent.entity_id == dossier_id)
        )
        files = session.scalar(
            select(func.count()).select_from(Attachment).where(Attachment.dossier_id == dossier_id)
        )
        return dossier.state, dossier.version, events, files
    finally:
        session.close()


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def act(client, dossier_id: int, trigger: str, follow: bool = False, **fields):
    """Post a transition from the dossier page, with its CSRF token and shown version."""
    html = page(client, f"/dossiers/{dossier_id}")
    version = re.search(r'name="version" value="(\d+)"', html)
    data = {"csrf_token": csrf_from(html), "version": version.group(1) if version else "", **fields}
    return client.post(
        f"/dossiers/{dossier_id}/actions/{trigger}", data=data, follow_redirects=follow
    )


def post_with_token(client, form_url: str, post_url: str, data: dict, **kw):
    data = {"csrf_token": csrf_from(page(client, form_url)), **data}
    return client.post(post_url, data=data, content_type="multipart/form-data", **kw)


def nomination_fields(world, **over) -> dict:
    fields = {
        "title": "Đề nghị Lao động tiên tiến",
        "campaign_id": str(world.ad_hoc.id),
        "nominee_kind": "individual",
        "nominee_name": "Đặng Thị Thu",
        "position": "Giáo viên Ngữ văn",
        "award_type_id": str(world.awards["ldtt"].id),
        "achievements": "Giáo viên dạy giỏi cấp thành phố năm học 2025–2026.",
        "direct_worker": "y",
    }
    fields.update(over)
    return {k: v for k, v in fields.items() if v is not None}


def the_dossier(app, title: str) -> Dossier:
    session = app.extensions["vinhdanh.write"]()
    try:
        every_kind = with_polymorphic(Dossier, "*")
        return session.scalars(select(every_kind).where(every_kind.title == title)).one()
    finally:
        session.close()


def attachment_ids(app, dossier_id: int) -> list[int]:
    session = app.extensions["vinhdanh.write"]()
    try:
        return list(
            session.scalars(select(Attachment.id).where(Attachment.dossier_id == dossier_id))
        )
    finally:
        session.close()
