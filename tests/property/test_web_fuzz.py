"""A fuzzer over every form and every page of the app, for every role.

Hypothesis picks a role, a route and a body: field names the app's forms use, with values of
control characters, lone surrogates (sent as the invalid UTF-8 they become), right-to-left
marks, numbers no column holds, megabyte texts; fields repeated or missing. Whatever it sends:

- the server never answers with an error of its own (5xx);
- nothing in the database changes unless the audit chain moved too: a change that leaves no
  audit event is a finding. A few tables hold no record of anyone's work (sign-in counters,
  read marks, the mail queue) and are left out, each for the reason given in ``UNAUDITED``.

The budget is bounded (``BUDGET`` examples per role), so CI time stays fixed.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote_from_bytes

import pytest
from flask import Flask, url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, select, table, text, update

from models import Campaign
from tests.fixtures.people import PASSWORD, make_council_session, make_dossier
from tests.fixtures.web import app_db, csrf_from
from web.support.access import public

# Examples per role: about 50 ms each.
BUDGET = 80
ROLES = ["staff_a", "head_a", "reviewer", "secretary", "member1", "admin", None]

# Tables whose rows change without an audit event, and why that is right.
UNAUDITED = {
    "alembic_version": "the schema's revision",
    "audit_event": "the audit log itself",
    "audit_head": "the audit log itself",
    "notification": "read marks: a person's own view, not a record of work",
    "outbox_email": "the mail queue: delivery state",
    "reminder_sent": "which reminders went out: delivery state",
    "user_account": "sign-in counters and lockouts move on every attempt",
}

# Field names the forms read (and some they do not), each as likely as any other.
FIELDS = [
    "title",
    "campaign_id",
    "unit_id",
    "award_type_id",
    "nominee_kind",
    "nominee_name",
    "person_id",
    "collective_id",
    "position",
    "achievements",
    "version",
    "reason",
    "summary",
    "document_number",
    "votes_for",
    "votes_against",
    "votes_abstain",
    "session_id",
    "decision_number",
    "decision_date",
    "decided_on",
    "signer",
    "number",
    "held_on",
    "quorum",
    "present",
    "dossier",
    "year",
    "opens_on",
    "closes_on",
    "plan_due",
    "report_due",
    "value",
    "baseline",
    "target_id",
    "classification",
    "target_rows",
    "t0-threshold",
    "t0-kind",
    "kind",
    "name",
    "code",
    "full_name",
    "gender",
    "identity_number",
    "date_of_birth",
    "phone",
    "email",
    "purpose",
    "comment",
    "choice",
    "next",
    "q",
    "page",
    "sort",
    "dir",
    "ad_hoc",
    "direct_worker",
    "active",
    "all_units",
    "late_allowed",
    "due_change_reason",
    "user_id",
    "written_for",
    "exemplary",
    "rating",
    "form",
    "starts_on",
    "ends_on",
    "issuer_id",
    "status",
    "hard",
    "source",
    "valid_from",
    "valid_to",
    "params",
    "locale",
]
ODD_CHARS = st.sampled_from(
    [
        "\x00",
        "\x1b",
        "\r\n",
        "\t",
        "\u202e",
        "\u200f",
        "\ufeff",
        "\ud800",
        "\udfff",
        "²",
        "٣",
        "'",
        '"',
        "<",
        "%",
        "=",
        "Đ",
        "\u0301",
        "𝔘",
    ]
)
VALUES = st.one_of(
    st.text(max_size=40),
    st.lists(ODD_CHARS, max_size=12).map("".join),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1e999",
            "NaN",
            "99999999999999999999",
            "2026-02-30",
            "31/12/2026",
            "1",
            "2",
            "on",
            "true",
            "//evil.example",
            "vi",
            "en",
        ]
    ),
    st.integers(min_value=1_000, max_value=1_100_000).map(lambda n: "x" * n),
)
BODIES = st.lists(
    st.tuples(st.sampled_from(FIELDS), VALUES), max_size=8
)  # a list: the same name may come twice, any name may be missing


def _encode(pairs: list[tuple[str, str]]) -> bytes:
    """A form body; lone surrogates become the invalid UTF-8 a broken client would send."""
    return b"&".join(
        quote_from_bytes(k.encode()).encode()
        + b"="
        + quote_from_bytes(v.encode("utf-8", "surrogatepass")).encode()
        for k, v in pairs
    )


def _digest(app: Flask) -> tuple[int, dict[str, str]]:
    """(audit head, {table: hash of its rows}) of every table whose change must be audited."""
    session = app.extensions["vinhdanh.read"]()
    try:
        head = session.scalar(text("SELECT seq FROM audit_head"))
        out = {}
        for name in inspect(session.get_bind()).get_table_names():
            if name in UNAUDITED:
                continue
            rows = session.execute(select(text("*")).select_from(table(name))).all()
            out[name] = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
        return head, out
    finally:
        session.close()


def _routes(app: Flask, ids: dict[str, object]) -> list[tuple[str, str]]:
    """(method, url) of every route, its arguments filled from ``ids`` (else 1)."""
    out = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static" or rule.rule.startswith("/auth"):
                continue
            url = url_for(rule.endpoint, **{a: ids.get(a, 1) for a in rule.arguments})
            out += [(m, url) for m in sorted(rule.methods & {"GET", "POST"})]
    return out


@pytest.fixture()
def stage(app, app_world):
    """Records to aim at, a signed-in client per role with its CSRF token, and the routes."""
    with app_db(app) as session:
        dossier = make_dossier(session, app_world, "nomination", "council_review")
        ids = {
            "dossier_id": dossier.id,
            "id": make_council_session(session, app_world).id,
            "kind": "nomination",
            "trigger": "council_approve",
            "code": "vi",
            "decision": "approve",
        }
    clients = {}
    for username in ROLES:
        client = app.test_client()
        page = client.get("/auth/login").get_data(as_text=True)
        if username:
            client.post(
                "/auth/login",
                data={"username": username, "password": PASSWORD, "csrf_token": csrf_from(page)},
            )
            page = client.get("/notifications/").get_data(as_text=True)
        clients[username] = (client, csrf_from(page))
    return clients, _routes(app, ids)


def probe(app: Flask, client, method: str, url: str, pairs: list[tuple[str, str]]) -> list:
    """Send one request; what went wrong: a 5xx, or tables changed while the audit head did
    not move."""
    before = _digest(app)
    if method == "POST":
        response = client.post(
            url, data=_encode(pairs), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.get(f"{url}?{_encode(pairs).decode()}")
    response.get_data()  # a streamed answer runs to its end inside the request
    response.close()
    problems: list = [response.status_code] if response.status_code >= 500 else []
    head, tables = _digest(app)
    if head == before[0]:
        problems += [name for name, digest in tables.items() if before[1].get(name) != digest]
    return problems


@settings(
    max_examples=BUDGET,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.parametrize("username", ROLES)
@given(data=st.data())
def test_no_input_crashes_the_server_or_changes_data_unaudited(app, stage, username, data):
    clients, routes = stage
    method, url = data.draw(st.sampled_from(routes), label="route")
    pairs = data.draw(BODIES, label="fields")
    client, token = clients[username]
    if method == "POST" and data.draw(st.booleans(), label="with token"):
        pairs = [("csrf_token", token), *pairs]
    assert not probe(app, client, method, url, pairs), (method, url, username, pairs[:3])


def test_the_probe_sees_a_crash_and_an_unaudited_change(app, app_world):
    """The fuzzer's own check, against a route that writes without an audit event and one
    that fails."""

    @app.get("/leak")
    @public
    def leak():
        with app_db(app) as session:
            session.execute(update(Campaign).values(name="đổi tên không ghi nhật ký"))
        return "ok"

    @app.get("/crash")
    @public
    def crash():
        raise RuntimeError("boom")

    client = app.test_client()
    assert probe(app, client, "GET", "/leak", []) == ["campaign"]
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert probe(app, client, "GET", "/crash", []) == [500]
