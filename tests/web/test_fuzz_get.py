"""Every GET page without path parameters, for every role and signed out, answers odd query
strings (malformed numbers, "²", huge pages, unknown sorts, quotes) without a server error."""
from __future__ import annotations

import pytest

from tests.fixtures.people import make_dossier
from tests.web.test_home import app_db

ODD = ["page=abc", "page=-1", "page=0", "page=99999999999999999999", "sort=zzz&dir=sideways",
       "q=%25%5F%27%22%3C", "campaign=%C2%B2", "unit=1e3", "state=nope&kind=nope", "year=abcd",
       "target=-5", "award=%00", "lang=xx", "next=http://evil.example/"]


def _pages(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith("/static"):
            yield rule.rule


@pytest.mark.parametrize("username", ["staff_a", "head_a", "reviewer", "secretary", "member1", "admin", None])
def test_odd_query_strings_never_crash(app, client, app_world, auth, username):
    with app_db(app) as session:
        make_dossier(session, app_world, "nomination", "office_review")
    if username:
        auth.login(username)
    failures = []
    for path in _pages(app):
        for query in ODD:
            response = client.get(f"{path}?{query}")
            response.get_data()  # a streamed export runs to its end inside the request
            response.close()
            if response.status_code >= 500:
                failures.append((path, query, response.status_code))
    assert not failures, failures


def test_an_id_no_database_integer_holds_is_not_found(app, client, app_world, auth):
    """``<int:…>`` routes once passed 20-digit ids to the driver, which overflowed (500)."""
    auth.login("reviewer")
    huge = "99999999999999999999"
    statuses = {}
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.arguments and not rule.rule.startswith("/static"):
            url = rule.rule
            for name in rule.arguments:
                url = url.replace(f"<int:{name}>", huge)
            if "<" not in url:  # only integer arguments
                statuses[url] = client.get(url).status_code
    assert statuses and set(statuses.values()) == {404}, statuses
