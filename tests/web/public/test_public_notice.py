"""The public notice pages: the posted list, the public comment form (CSRF, rate limit), the
Office's moderation page (reviewers only) and the comments the Council sees with the dossier."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from models import AuditEvent, AwardType, CouncilSession
from models.clock import utcnow
from models.notice import NoticeComment
from tests.fixtures.dossiers import page
from tests.fixtures.people import make_council_session, make_dossier
from tests.fixtures.web import app_db, csrf_from
from web import create_app


def _posted(app, world, name="Lê Thị Hồng") -> int:
    """A nomination of an award with 10 days of notice, approved to the Council just now."""
    now = utcnow()
    with app_db(app) as session:
        award = session.scalar(select(AwardType).where(AwardType.code == "CSTD-NOTICE"))
        if award is None:
            award = AwardType(
                code="CSTD-NOTICE",
                name_vi="Chiến sĩ thi đua (công khai)",
                name_en="Emulation Fighter (notice)",
                nominee_kind="individual",
                conferring_authority="department",
                vote_threshold="1/2",
                threshold_base="present",
                public_notice_days=10,
            )
            session.add(award)
            session.flush()
        council = make_council_session(session, world)
        dossier = make_dossier(
            session,
            world,
            "nomination",
            "council_review",
            council=council,
            now=now,
            campaign_id=world.ad_hoc.id,
            award_type_id=award.id,
            nominee_name=name,
            position="Giáo viên Ngữ văn",
        )
        return dossier.id


def _comment(client, dossier_id, **data):
    token = csrf_from(page(client, "/public/notice"))
    return client.post(f"/public/notice/{dossier_id}/comments", data={"csrf_token": token, **data})


def _comments(app) -> list[NoticeComment]:
    with app_db(app) as session:
        return list(session.scalars(select(NoticeComment).order_by(NoticeComment.id)))


def test_comment_pending_then_approved_shown_to_council_and_public(app, client, app_world, auth):
    dossier_id = _posted(app, app_world)
    html = page(client, "/public/notice")
    assert (
        "Lê Thị Hồng" in html
        and "Giáo viên Ngữ văn" in html
        and "Chiến sĩ thi đua (công khai)" in html
    )
    assert "Công khai lấy ý kiến" in page(client, "/public/")  # the menu entry

    # No CSRF token: refused.
    assert (
        client.post(f"/public/notice/{dossier_id}/comments", data={"text": "x"}).status_code == 400
    )
    response = _comment(
        client,
        dossier_id,
        text="Cô giáo rất tận tâm với học sinh.",
        name="Phụ huynh A",
        contact="pha@example.com",
    )
    assert response.status_code == 302
    empty = _comment(client, dossier_id, text="   ")
    assert empty.status_code == 302 and len(_comments(app)) == 1
    assert _comment(client, 999999, text="Không có hồ sơ").status_code == 404
    (comment,) = _comments(app)
    assert comment.status == "pending" and comment.contact == "pha@example.com"
    assert "Cô giáo rất tận tâm" not in page(client, "/public/notice")

    auth.login("secretary")
    detail = page(client, f"/dossiers/{dossier_id}")
    assert 'data-pending="1"' in detail and "Cô giáo rất tận tâm" not in detail
    auth.logout()

    auth.login("reviewer")
    queue = page(client, "/office/notice-comments")
    assert "Cô giáo rất tận tâm" in queue and "pha@example.com" in queue
    token = csrf_from(queue)
    response = client.post(
        f"/office/notice-comments/{comment.id}/approve", data={"csrf_token": token}
    )
    assert response.status_code == 302
    assert _comments(app)[0].status == "approved"
    auth.logout()

    auth.login("secretary")
    detail = page(client, f"/dossiers/{dossier_id}")
    assert "Cô giáo rất tận tâm" in detail and 'data-pending="0"' in detail
    with app_db(app) as session:
        council_id = session.scalar(select(func.max(CouncilSession.id)))
    agenda = page(client, f"/council/{council_id}")
    assert (
        "Cô giáo rất tận tâm" in agenda
        and "Hội đồng chưa được xét trước khi hết thời hạn công khai" in agenda
    )
    auth.logout()
    auth.login("member1")
    assert "Cô giáo rất tận tâm" in page(client, f"/dossiers/{dossier_id}")
    auth.logout()
    public = page(client, "/public/notice")
    assert "Cô giáo rất tận tâm" in public and "pha@example.com" not in public

    with app_db(app) as session:
        events = list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.entity_type == "notice_comment")
                .order_by(AuditEvent.seq)
            )
        )
    assert [e.action for e in events] == ["receive", "approve"]
    assert all(
        "pha@example.com" not in e.canonical and "Phụ huynh A" not in e.canonical for e in events
    )
    assert json.loads(events[0].changes) == {"dossier_id": dossier_id, "comment_id": comment.id}


def test_rejected_comments_stay_hidden(app, client, app_world, auth):
    dossier_id = _posted(app, app_world)
    _comment(client, dossier_id, text="Nội dung xúc phạm")
    (comment,) = _comments(app)
    auth.login("reviewer")
    token = csrf_from(page(client, "/office/notice-comments"))
    client.post(
        f"/office/notice-comments/{comment.id}/reject", data={"csrf_token": token, "reason": ""}
    )
    assert _comments(app)[0].status == "pending"  # a reason is required
    client.post(
        f"/office/notice-comments/{comment.id}/reject",
        data={"csrf_token": token, "reason": "Không liên quan đến thành tích"},
    )
    rejected = _comments(app)[0]
    assert (rejected.status, rejected.moderation_reason) == (
        "rejected",
        "Không liên quan đến thành tích",
    )
    assert "Nội dung xúc phạm" not in page(client, "/office/notice-comments")
    auth.logout()
    assert "Nội dung xúc phạm" not in page(client, "/public/notice")
    auth.login("secretary")
    assert "Nội dung xúc phạm" not in page(client, f"/dossiers/{dossier_id}")


def test_only_office_reviewers_moderate(app, client, app_world, auth):
    dossier_id = _posted(app, app_world)
    _comment(client, dossier_id, text="Ý kiến")
    (comment,) = _comments(app)
    assert client.get("/office/notice-comments").status_code == 302  # sign in first
    for username in ("staff_a", "head_a", "secretary", "member1", "admin"):
        auth.login(username)
        assert client.get("/office/notice-comments").status_code == 403, username
        token = csrf_from(page(client, "/"))
        assert (
            client.post(
                f"/office/notice-comments/{comment.id}/approve", data={"csrf_token": token}
            ).status_code
            == 403
        ), username
        auth.logout()
    assert _comments(app)[0].status == "pending"


def test_comments_are_rate_limited(web_url, tmp_path, app_world):
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
        dossier_id = _posted(app, app_world)
        client = app.test_client()
        token = csrf_from(page(client, "/public/notice"))
        codes = [
            client.post(
                f"/public/notice/{dossier_id}/comments",
                data={"csrf_token": token, "text": f"Ý kiến {i}"},
            ).status_code
            for i in range(6)
        ]
        assert codes[-1] == 429 and 429 not in codes[:5]
        assert len(_comments(app)) == 5
    finally:
        app.extensions["vinhdanh.engine"].dispose()
