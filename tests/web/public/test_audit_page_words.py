"""The public audit page speaks plain Vietnamese first (what the log is, how to check it
oneself); the technical instructions (canonical JSON, hashes, commands) are folded below."""

from __future__ import annotations

from tests.fixtures.dossiers import page
from tests.fixtures.web import csrf_from


def test_plain_words_first_technical_steps_folded(client, app_world):
    html = page(client, "/public/audit")
    folded = html.index("<details")
    for plain in ("Nhật ký kiểm toán là gì?", "Cách tự kiểm tra", "Đầu chuỗi hiện tại"):
        assert html.index(plain) < folded, plain
    before = html[:folded]
    for technical in ("python -m", "canonical", "null", "SHA-256", "events.json --"):
        assert technical not in before, technical
    after = html[folded:]
    assert "python -m workflow.core.verifier verify-file events.json" in after
    assert "leaf_hash = SHA-256(0x00 ‖ canonical)" in after


def test_in_english_too(client, app_world):
    html = page(client, "/public/audit")
    client.post(
        "/lang/en", data={"csrf_token": csrf_from(page(client, "/auth/login")), "next": "/"}
    )
    english = page(client, "/public/audit")
    assert "What is the audit log?" in english and "How to check it yourself" in english
    assert "Technical instructions" in english
    assert html != english
