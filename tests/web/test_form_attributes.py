"""Form controls are described only by hints that exist: no ``aria-describedby="None"``."""

from __future__ import annotations

import re

from tests.fixtures import ROOT
from tests.fixtures.dossiers import page
from tests.fixtures.web import csrf_from


def _described_ids(text: str) -> list[str]:
    return [i for v in re.findall(r'aria-describedby="([^"]*)"', text) for i in v.split()]


def _assert_described_by_existing_ids(text: str) -> None:
    assert 'aria-describedby="None"' not in text
    for id_ in _described_ids(text):
        assert f'id="{id_}"' in text, id_


def test_sign_in_page(client, app_world):
    _assert_described_by_existing_ids(page(client, "/auth/login"))


def test_dossier_form(client, app_world, auth):
    auth.login("staff_a")
    _assert_described_by_existing_ids(page(client, "/dossiers/new/nomination"))


def test_award_rule_form_with_hints(client, app_world, auth):
    auth.login("admin")
    text = page(client, f"/awards/{app_world.awards['cstdcs'].id}/edit")
    _assert_described_by_existing_ids(text)
    assert _described_ids(text)  # the hinted fields still point at their hint


def _form_tags(source: str) -> list[str]:
    """Every ``<form …>`` opening tag of a template (attributes may span lines)."""
    return re.findall(r"<form\b(?:[^>{]|\{\{.*?\}\}|\{%.*?%\})*>", source, re.S)


def test_every_form_leaves_validation_to_the_server():
    """The browser's own bubbles ("Please fill out this field") speak the browser's language:
    every form is ``novalidate``, and the server's messages, in the page's language, answer."""
    templates = ROOT / "web" / "templates"
    missing = [
        f"{path.relative_to(templates)}: {tag[:60]}"
        for path in sorted(templates.rglob("*.html"))
        for tag in _form_tags(path.read_text(encoding="utf-8"))
        if "novalidate" not in tag
    ]
    assert missing == []
    assert _form_tags('<form method="post" action="{{ url(\'a>b\') }}" novalidate>')


def test_file_choosers_are_worded_in_the_page_language(client, app_world, auth):
    auth.login("admin")
    text = page(client, "/admin/accounts")
    assert 'data-choose="Chọn tệp…"' in text and 'data-none="Chưa chọn tệp nào"' in text
    client.post("/lang/en", data={"csrf_token": csrf_from(text), "next": "/admin/accounts"})
    english = page(client, "/admin/accounts")
    assert 'data-choose="Choose file…"' in english and 'data-none="No file chosen"' in english
    assert "js/file-chooser.js" in english
