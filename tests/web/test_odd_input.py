"""Odd input never gives a server error: every GET page without path parameters, for every role
and signed out, with odd query strings (malformed numbers, "²", huge pages, unknown sorts,
quotes); every GET route with a 20-digit id; every POST form with odd values in every field."""

from __future__ import annotations

import pytest

from tests.fixtures.people import make_council_session, make_dossier
from tests.fixtures.web import app_db, csrf_from

ODD = [
    "page=abc",
    "page=-1",
    "page=0",
    "page=99999999999999999999",
    "sort=zzz&dir=sideways",
    "q=%25%5F%27%22%3C",
    "campaign=%C2%B2",
    "unit=1e3",
    "state=nope&kind=nope",
    "year=abcd",
    "target=-5",
    "award=%00",
    "lang=xx",
    "next=http://evil.example/",
]


def _record_url(rule, ids: dict[str, int]) -> str:
    """The route with its arguments filled in: the given ids, else 1."""
    url = rule.rule.replace("<trigger>", "council_approve").replace("<kind>", "nomination")
    for name in rule.arguments:
        url = url.replace(f"<int:{name}>", str(ids.get(name, 1)))
    return url


def _pages(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith("/static"):
            yield rule.rule


@pytest.mark.parametrize(
    "username", ["staff_a", "head_a", "reviewer", "secretary", "member1", "admin", None]
)
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


@pytest.mark.parametrize("username", ["staff_a", "reviewer", "secretary"])
def test_odd_query_strings_on_record_pages_never_crash(app, client, app_world, auth, username):
    """The pages of one record (a dossier, a Council session, …) with the same odd query strings."""
    with app_db(app) as session:
        dossier = make_dossier(session, app_world, "nomination", "council_review")
        ids = {"dossier_id": dossier.id, "id": make_council_session(session, app_world).id}
    auth.login(username)
    failures = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.arguments and not rule.rule.startswith("/static"):
            url = _record_url(rule, ids)
            for query in ODD:
                response = client.get(f"{url}?{query}")
                response.get_data()
                response.close()
                if response.status_code >= 500:
                    failures.append((url, query, response.status_code))
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


# Every field name the forms use, each with a value its form must refuse or ignore.
ODD_FORM = {
    "title": "x" * 5000,
    "campaign_id": "²",
    "unit_id": "99999999999999999999",
    "award_type_id": "-1",
    "nominee_kind": "robot",
    "version": "abc",
    "reason": "",
    "votes_for": "99999999999999999999",
    "votes_against": "-3",
    "votes_abstain": "²",
    "session_id": "1e3",
    "decision_number": "<script>",
    "decision_date": "2026-02-30",
    "decided_on": "9999-99-99",
    "number": "",
    "held_on": "x",
    "quorum": "²",
    "present": ["a", "²"],
    "dossier": ["x", "1"],
    "year": "99999",
    "opens_on": "2026-13-01",
    "value": "1e999",
    "baseline": "NaN",
    "target_id": "²",
    "page": "-1",
    "classification": "x",
    "target_rows": "99999",
    "t0-threshold": "1e999",
    "t0-kind": "count",
    "kind": "annual",
    "name": "Tên",
    "code": "MÃ",
    "person_id": "1",
    "submission_number": "x",
    "submission_date": "x",
    "exemplary": "1",
    "user_id": "²",
    "dossier_id": "x",
    "written_for": "-1",
    "choice": "maybe",
    "next": "//evil.example",
    "q": "%",
    "email": "x@",
}


# "²" everywhere: str.isdigit() says yes to it, int() says no.
SUPERSCRIPT_FORM = {name: "²" for name in ODD_FORM}


@pytest.mark.parametrize("form", [ODD_FORM, SUPERSCRIPT_FORM], ids=["odd", "superscript"])
@pytest.mark.parametrize(
    "username", ["staff_a", "head_a", "reviewer", "secretary", "member1", "admin"]
)
def test_odd_form_values_never_crash(app, client, app_world, auth, username, form):
    with app_db(app) as session:
        dossier = make_dossier(session, app_world, "nomination", "council_review")
        ids = {"dossier_id": dossier.id, "id": make_council_session(session, app_world).id}
    auth.login(username)
    token = csrf_from(client.get("/notifications/").get_data(as_text=True))
    failures = []
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.rule.startswith("/auth"):
            url = _record_url(rule, ids)
            response = client.post(url, data={**form, "csrf_token": token})
            response.get_data()
            response.close()
            if response.status_code >= 500:
                failures.append((url, response.status_code))
    assert not failures, failures
