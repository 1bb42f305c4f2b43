"""Form controls are described only by hints that exist: no ``aria-describedby="None"``."""

from __future__ import annotations

import re

from tests.fixtures.dossiers import page


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
