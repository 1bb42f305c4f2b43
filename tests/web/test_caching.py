"""A signed-in person's pages are never stored by a cache; public pages and static files keep
their caching."""

from __future__ import annotations

import pytest

from tests.fixtures.dossiers import page


@pytest.mark.parametrize("url", ["/", "/dossiers/", "/notifications/", "/public/", "/nope"])
def test_signed_in_responses_are_not_stored(client, app_world, auth, url):
    auth.login("staff_a")
    assert client.get(url).headers.get("Cache-Control") == "no-store"


def test_sign_in_redirect_is_not_stored(client, app_world, auth):
    assert auth.login("staff_a").headers.get("Cache-Control") == "no-store"


def test_public_page_and_static_file_keep_their_caching(client, app_world, auth):
    page(client, "/public/")
    assert "no-store" not in client.get("/public/").headers.get("Cache-Control", "")
    auth.login("staff_a")
    static = client.get("/static/app.css")
    assert static.status_code == 200
    assert "no-store" not in static.headers.get("Cache-Control", "")
