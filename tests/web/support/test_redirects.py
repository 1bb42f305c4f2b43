"""Redirect targets taken from the request stay on this site: after sign-in and after the
language switch, even for values a browser would turn into another site (tabs and newlines
dropped, a backslash read as a slash)."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest

from tests.fixtures.dossiers import page
from tests.fixtures.people import PASSWORD
from tests.fixtures.web import csrf_from

HOSTILE = [
    "/\t/evil.example/",  # /%09/evil.example/
    "//evil.example",
    "/\\evil.example",
    "https://evil.example",
    "/\r\n//evil",  # /%0d%0a//evil
    "\t//evil",
    " //evil",
    "javascript:alert(1)",
]
LOCAL = ["/dossiers/", "/dossiers/?q=k%E1%BA%BF&page=2", "/public/?sort=name#top"]


def _on_this_site(location: str) -> bool:
    parts = urlsplit(location)
    return (
        location.startswith("/")
        and not location.startswith(("//", "/\\"))
        and not parts.scheme
        and not parts.netloc
        and not re.search(r"[\x00-\x20\x7f\\]", location)
    )


def _sign_in(client, target: str):
    token = csrf_from(page(client, "/auth/login"))
    return client.post(
        "/auth/login",
        query_string={"next": target},
        data={"username": "staff_a", "password": PASSWORD, "csrf_token": token},
    )


def _switch(client, target: str):
    token = csrf_from(page(client, "/auth/login"))
    return client.post("/lang/en", data={"csrf_token": token, "next": target})


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_in_refuses_other_sites(client, app_world, target):
    response = _sign_in(client, target)
    assert response.status_code == 302 and response.location == "/"


@pytest.mark.parametrize("target", HOSTILE)
def test_language_switch_refuses_other_sites(client, app_world, target):
    response = _switch(client, target)
    assert response.status_code == 302 and response.location == "/"


def test_sign_in_raw_query_with_a_tab_stays_here(client, app_world):
    token = csrf_from(page(client, "/auth/login"))
    response = client.post(
        "/auth/login?next=/%09/evil.example/",
        data={"username": "staff_a", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302 and _on_this_site(response.location)


def test_language_switch_on_a_hostile_404_page_stays_here(client, app_world):
    response = client.get("/%09/evil.example/")
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    target = html.unescape(re.search(r'name="next" value="([^"]*)"', text).group(1))
    switched = client.post("/lang/en", data={"csrf_token": csrf_from(text), "next": target})
    assert switched.status_code == 302 and _on_this_site(switched.location)


@pytest.mark.parametrize("target", LOCAL)
def test_local_paths_still_followed(client, app_world, target):
    assert _switch(client, target).location == target
    assert _sign_in(client, target).location == target
