"""The session cookie is sent again only when what the session holds has changed: a visitor's
pages do not re-sign the same CSRF token, while a sign-in, a language switch or a flashed
message still reach the browser."""

from __future__ import annotations

import re

from flask import request

from tests.fixtures.web import csrf_from


def _session_cookies(response) -> list[str]:
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]


def test_a_visitor_gets_the_session_cookie_once_and_its_forms_still_work(client):
    first = client.get("/public/")
    assert first.status_code == 200 and _session_cookies(first)  # the token of the page's forms
    again = client.get("/public/")
    assert again.status_code == 200 and not _session_cookies(again)
    page = again.get_data(as_text=True)
    switch = re.search(r'action="([^"]*/lang/en)"', page).group(1)
    answer = client.post(switch, data={"csrf_token": csrf_from(page), "next": "/public/"})
    assert answer.status_code == 302 and _session_cookies(answer)  # the language is kept
    english = client.get("/public/")
    assert 'lang="en"' in english.get_data(as_text=True) and not _session_cookies(english)


def test_signing_in_and_out_send_the_cookie(client, auth, app_world):
    client.get("/public/")
    assert _session_cookies(auth.login("staff_a"))
    assert client.get("/").status_code == 200
    assert _session_cookies(auth.logout())
    assert client.get("/").status_code == 302  # signed out for good


def test_a_value_changed_in_place_is_sent_and_one_set_to_itself_is_not(app):
    interface = app.session_interface
    cookie = interface.get_signing_serializer(app).dumps(
        {"csrf_token": "t", "_flashes": [["info", "Một"]]}
    )
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        same = interface.open_session(app, request)
        same["csrf_token"] = same["csrf_token"]
        assert same.modified and not interface.should_set_cookie(app, same)
        flashed = interface.open_session(app, request)
        messages = flashed["_flashes"]
        messages.append(["info", "Hai"])  # as flask.flash does: the same list, stored again
        flashed["_flashes"] = messages
        assert interface.should_set_cookie(app, flashed)
