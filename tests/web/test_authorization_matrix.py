"""The authorization matrix: every route of the app × every role (and signed out) × a record of
the person's own unit and of another unit, checked against the access the route declares
(``web.support.access``) and, for one record, what the workflow says about it.

- signed out, on a route that is not public → the sign-in redirect;
- the declared predicate refuses → 403, and (for a POST) nothing in the database changes;
- the predicate allows → neither 401 nor 403 nor a server error, except where the workflow
  refuses this record (``record_rule``): a record the person may not see → 404, one they may
  see but not change → 403.

A failure prints the whole matrix as a table: routes × roles, "expected → got".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask, url_for
from sqlalchemy import inspect, select, text

from models import Attachment, Collective, Dossier, Person, Practice
from tests.fixtures.people import NOW, PASSWORD, World, make_council_session, make_dossier
from tests.fixtures.register import make_group, make_person
from tests.fixtures.web import app_db, csrf_from
from web.support.access import ATTRIBUTE, PUBLIC, Public, access_of
from web.support.navigation import LINKS
from workflow.core import authz
from workflow.core.actors import Actor
from workflow.core.registry import WORKFLOWS
from workflow.practices import service as practices
from workflow.publication import decisions

# One person per role; None is signed out.
ROLES = {
    "signed out": None,
    "unit_staff": "staff_a",
    "unit_head": "head_a",
    "council_member": "member1",
    "office_reviewer": "reviewer",
    "admin": "admin",
    "council_secretary": "secretary",
}
# The people above belong to unit "a": its records are their own, unit "b"'s another unit's.
UNITS = {"own": "a", "other": "b"}
# Record arguments that name a record of one unit.
UNIT_RECORDS = {"dossier_id", "attachment_id", "practice_id", "person_id", "collective_id"}
# A transition the Office fires from the state the test's dossiers are in: anyone else is
# refused by the lifecycle (403); the Office is asked for a reason (409), so nothing changes.
TRIGGER = "office_return"
MISSING = 2_000_000_000  # an id no record has: an allowed person gets 404, never 403
SIGN_IN = "sign-in"
CSRF_REFUSED = "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ"  # web.errors' words


@dataclass(frozen=True)
class Records:
    """Ids of the records the URLs are built with, per unit key."""

    nomination: dict[str, int]
    report: dict[str, int]
    attachment: dict[str, int]
    practice: dict[str, int]
    person: dict[str, int]
    collective: dict[str, int]
    council: int
    decision: int
    award: int
    campaign: int


def _make_records(app: Flask, world: World) -> Records:
    with app_db(app) as session:
        council = make_council_session(session, world)
        nomination, report, attachment, practice = {}, {}, {}, {}
        person, collective = {}, {}
        for unit in ("a", "b"):
            person[unit] = make_person(session, world, f"Người của đơn vị {unit}", unit).id
            collective[unit] = make_group(session, world, unit=unit).id
            dossier = make_dossier(session, world, "nomination", "office_review", unit)
            nomination[unit] = dossier.id
            attachment[unit] = session.scalar(
                select(Attachment.id).where(Attachment.dossier_id == dossier.id)
            )
            report[unit] = make_dossier(session, world, "report", "office_review", unit).id
            practice[unit] = practices.register_practice(
                session,
                world.actor(f"staff_{unit}"),
                world.units[unit].id,
                {"title": f"Mô hình của đơn vị {unit}", "summary": "Tóm tắt."},
                now=NOW,
            ).id
        approved = make_dossier(session, world, "nomination", "approved", council=council)
        decision = decisions.create(
            session,
            world.actor("secretary"),
            number="09/QĐ-SGDĐT",
            decided_on=dt.date(2026, 6, 7),
            signer="Nguyễn Văn Giám",
            title="Về việc khen thưởng",
            legal_bases="",
            dossier_ids=[approved.id],
        )
        return Records(
            nomination,
            report,
            attachment,
            practice,
            person,
            collective,
            council.id,
            decision.id,
            world.awards["ldtt"].id,
            world.campaign.id,
        )


def _values(rule, records: Records, unit: str) -> dict[str, Any]:
    """The URL arguments of ``rule``, for the records of ``unit``."""
    dossier = records.report if rule.endpoint == "campaigns.figures" else records.nomination
    council_record = records.decision if "decision" in rule.endpoint else records.council
    known = {
        "dossier_id": dossier[unit],
        "attachment_id": records.attachment[unit],
        "practice_id": records.practice[unit],
        "person_id": records.person[unit],
        "collective_id": records.collective[unit],
        "id": council_record,
        "award_id": records.award,
        "campaign_id": records.campaign,
        "kind": "nomination",
        "trigger": TRIGGER,
        "code": "vi",
        "decision": "approve",
    }
    return {name: known.get(name, MISSING) for name in rule.arguments}


def _rules(app: Flask):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule, method


def _variants(rule) -> tuple[str, ...]:
    return tuple(UNITS) if rule.arguments & UNIT_RECORDS else ("own",)


def record_rule(session, endpoint: str, method: str, actor: Actor, values: dict) -> str:
    """What the workflow answers an allowed person for this record: "ok", "403" or "404"."""
    if "attachment_id" in values:
        dossier = session.get(Attachment, values["attachment_id"]).dossier
    elif "dossier_id" in values and endpoint.startswith(("dossiers.", "campaigns.")):
        dossier = session.get(Dossier, values["dossier_id"])
    else:
        dossier = None
    if dossier is not None:
        if not authz.can_view(actor, dossier):
            return "404"
        changes = {"dossiers.upload", "dossiers.delete_attachment", "dossiers.retype"}
        if endpoint == "dossiers.edit" or (
            endpoint in changes | {"campaigns.figures"} and method == "POST"
        ):
            return "ok" if authz.may_edit_dossier(actor, dossier) else "403"
        if endpoint == "dossiers.fire":
            tdef = WORKFLOWS[dossier.kind].transition(values["trigger"])
            return "403" if authz.acting_role(actor, dossier, tdef)[1] else "ok"
    if (
        "practice_id" in values
        and endpoint.startswith("practices.")
        and endpoint != "practices.public_detail"
    ):
        practice = session.get(Practice, values["practice_id"])
        if not (
            authz.may_see_all_practices(actor) or authz.is_unit_member(actor, practice.unit_id)
        ):
            return "404"
        if endpoint == "practices.edit" and not authz.may_edit_practice(actor, practice):
            return "403"
    if endpoint.startswith("people.") and not endpoint.startswith("people.public_"):
        entry = (
            session.get(Person, values["person_id"])
            if "person_id" in values
            else session.get(Collective, values.get("collective_id", MISSING))
        )
        if entry is not None and not authz.may_see_register_of(actor, entry.unit_id):
            return "404"
    if endpoint == "council.vote" and method == "POST" and not authz.may_vote(actor):
        return "403"  # only the members on the session's roll vote
    return "ok"


def expected(app: Flask, endpoint: str, method: str, actor: Actor | None, values: dict) -> str:
    access = access_of(app, endpoint)
    if isinstance(access, Public):
        return "ok"
    if actor is None:
        return SIGN_IN
    if not access(actor):
        return "403"
    with app_db(app) as session:
        return record_rule(session, endpoint, method, actor, values)


def answer_matches(want: str, response) -> bool:
    status = response.status_code
    if want == SIGN_IN:
        return status == 302 and "/auth/login" in response.headers.get("Location", "")
    if want in ("403", "404"):
        return status == int(want)
    return status not in (401, 403) and status < 500


def fingerprint(app: Flask) -> dict[str, int]:
    """The number of rows of every table: what a refused POST must leave as it was."""
    with app_db(app) as session:
        names = [
            name
            for name in inspect(session.get_bind()).get_table_names()
            if name != "alembic_version"
        ]
        # One statement for all the tables: the matrix takes this twice per refused POST.
        counts = ", ".join(f'(SELECT count(*) FROM "{name}")' for name in names)
        return dict(zip(names, session.execute(text(f"SELECT {counts}")).one(), strict=True))


def _token(client) -> str:
    page = client.get("/" if client.signed_in else "/auth/login")
    return csrf_from(page.get_data(as_text=True))


def _sign_in(client, username: str | None) -> None:
    client.signed_in = False
    if username is not None:
        response = client.post(
            "/auth/login",
            data={"username": username, "password": PASSWORD, "csrf_token": _token(client)},
        )
        assert response.status_code == 302, username
        client.signed_in = True
    client.token = _token(client)


def _post(client, url: str):
    """POST ``url`` with the session's CSRF token, fetched again (and the POST sent again) only
    when the form was refused for it: a refusal for CSRF is never what the matrix checks."""
    response = client.post(url, data={"csrf_token": client.token})
    if response.status_code == 400 and CSRF_REFUSED in response.get_data(as_text=True):
        client.token = _token(client)
        response = client.post(url, data={"csrf_token": client.token})
    return response


def table(rows: dict[tuple[str, str], dict[str, str]]) -> str:
    """Routes × roles, "expected→got" in each cell; failing cells marked with "✗"."""
    roles = list(ROLES)
    first = max(len(f"{m} {e}") for m, e in rows) + 1
    widths = {r: max([len(r)] + [len(c.get(r, "")) for c in rows.values()]) for r in roles}
    head = "route".ljust(first) + " | ".join(r.ljust(widths[r]) for r in roles)
    lines = [head, "-" * len(head)]
    for (method, endpoint), cells in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        lines.append(
            f"{method} {endpoint}".ljust(first)
            + " | ".join(cells.get(r, "").ljust(widths[r]) for r in roles)
        )
    return "\n".join(lines)


def run_matrix(app: Flask, world: World, endpoints: set[str] | None = None) -> tuple[int, dict]:
    """(number of answers that differ, the table's rows) of the routes (all, or ``endpoints``)
    asked by every role."""
    records = _make_records(app, world)
    rules = [(r, m) for r, m in _rules(app) if endpoints is None or r.endpoint in endpoints]
    # Every page before any form (a form may change what a page shows); signing out last,
    # since it ends the session the other requests use.
    rules.sort(key=lambda rm: (rm[1] == "POST", rm[0].endpoint == "auth.logout"))
    rows: dict[tuple[str, str], dict[str, str]] = {}
    failures = 0
    for role, username in ROLES.items():
        actor = world.actor(username) if username else None
        client = app.test_client()
        _sign_in(client, username)
        for rule, method in rules:
            cells = []
            for variant in _variants(rule):
                values = _values(rule, records, UNITS[variant])
                want = expected(app, rule.endpoint, method, actor, values)
                with app.test_request_context():
                    url = url_for(rule.endpoint, **values)
                if method == "GET":
                    response = client.get(url)
                    response.get_data()
                    response.close()
                    unchanged = True
                else:
                    before = fingerprint(app) if want != "ok" else None
                    response = _post(client, url)
                    response.close()
                    unchanged = want == "ok" or fingerprint(app) == before
                ok = answer_matches(want, response) and unchanged
                failures += not ok
                got = str(response.status_code) + ("" if unchanged else " changed!")
                label = f"{variant}:" if len(_variants(rule)) > 1 else ""
                cells.append(f"{label}{want}→{got}" + ("" if ok else " ✗"))
            rows.setdefault((method, rule.endpoint), {})[role] = " ".join(cells)
    return failures, rows


def test_every_route_answers_every_role_as_it_declares(app, app_world):
    failures, rows = run_matrix(app, app_world)
    assert not failures, f"{failures} answers differ from the declared access:\n" + table(rows)


def test_the_matrix_catches_a_page_that_does_not_enforce_its_declaration(app, app_world):
    """A page declaring the Office's predicate while letting everyone in: every role the
    predicate refuses gets 200 instead of 403, and the matrix says so."""
    view = app.view_functions["public.outcomes"]
    setattr(view, ATTRIBUTE, authz.may_use_office_queue)
    try:
        failures, rows = run_matrix(app, app_world, {"public.outcomes"})
    finally:
        setattr(view, ATTRIBUTE, PUBLIC)
    assert failures == 5  # the signed out, unit staff, unit head, member and secretary
    assert "403→200 ✗" in table(rows) and "sign-in→200 ✗" in table(rows)


def undeclared(app: Flask) -> list[str]:
    """The endpoints that declare no access."""
    return sorted(
        r.endpoint for r in app.url_map.iter_rules() if access_of(app, r.endpoint) is None
    )


def test_every_route_declares_its_access(app):
    assert not undeclared(app), f"routes without @requires(predicate) or @public: {undeclared(app)}"


def test_a_new_route_without_a_declaration_is_caught(app):
    @app.route("/undeclared")
    def new_page():
        return "x"

    assert undeclared(app) == ["new_page"]


@pytest.mark.parametrize("role", [r for r in ROLES if ROLES[r]])
def test_the_menu_offers_exactly_the_pages_a_role_may_open(app, app_world, role):
    """A menu entry is shown when its endpoint's declared access lets the person in, and the
    page it links to then opens (no 403)."""
    client = app.test_client()
    _sign_in(client, ROLES[role])
    actor = app_world.actor(ROLES[role])
    home = client.get("/").get_data(as_text=True)
    for link in LINKS:
        if link.menu is None:
            continue
        with app.test_request_context():
            url = url_for(link.endpoint, **link.values)
        access = access_of(app, link.endpoint)
        allowed = isinstance(access, Public) or access(actor)
        assert (f'href="{url}"' in home) == allowed, (role, link.endpoint)
        if allowed:
            assert client.get(url).status_code == 200, (role, url)
