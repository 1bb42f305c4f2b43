"""A state added to a lifecycle, and nothing else, lands on the right to-do list with a badge
and notifies who may move it on; every state keeps its badge colours, from its tone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import func, select, text

from models import Notification
from tests.fixtures import ROOT
from tests.fixtures.people import NOW, make_dossier
from tests.fixtures.web import app_db
from workflow import fire
from workflow.core import registry
from workflow.core.registry import WORKFLOWS
from workflow.core.spec import QueueDef, StateDef, Tone, TransitionDef
from workflow.lifecycles.common import COUNCIL_REVIEW, OFFICE, OFFICE_REVIEW, SECRETARY
from workflow.lifecycles.nomination import NOMINATION

CSS = ROOT / "web" / "static" / "app.css"
SECTION = re.compile(r'<section class="queue" id="queue-([a-z_]+)">(.*?)</section>', re.S)
ROW = re.compile(r'<tr data-dossier="(\d+)"')

# A state the Department might add: a legal opinion before the Council.
LEGAL_QUEUE = QueueDef("legal_review", "Chờ ý kiến pháp chế", "Awaiting legal advice", 8)
LEGAL = StateDef(
    "legal_review",
    "Chờ ý kiến pháp chế",
    "Awaiting legal advice",
    queue=LEGAL_QUEUE,
    tone=Tone.WARNING,
    counts_toward_quota=True,
)
REFER = TransitionDef(
    "refer_to_legal",
    (OFFICE_REVIEW.name,),
    LEGAL.name,
    OFFICE,
    "Xin ý kiến pháp chế",
    "Ask for legal advice",
    style="secondary",
)
CLEAR = TransitionDef(
    "legal_clear",
    (LEGAL.name,),
    COUNCIL_REVIEW.name,
    SECRETARY,
    "Pháp chế đồng ý, trình Hội đồng",
    "Cleared, to the Council",
    forward=True,
)


@pytest.fixture()
def with_legal_review() -> Iterator[None]:
    """NOMINATION with the legal review registered for this test only (registering it again
    afterwards also drops what was derived from the test's copy, the machine included)."""
    registry.register(
        replace(
            NOMINATION,
            states=(*NOMINATION.states, LEGAL),
            transitions=(*NOMINATION.transitions, REFER, CLEAR),
        )
    )
    try:
        yield
    finally:
        registry.register(NOMINATION)


def home_queues(client, auth, username: str) -> dict[str, str]:
    """{queue key: its section's HTML} of ``username``'s home page."""
    auth.login(username)
    html = client.get("/").get_data(as_text=True)
    auth.logout()
    return dict(SECTION.findall(html))


def test_a_new_state_is_listed_badged_and_notified(app, app_world, client, auth, with_legal_review):
    with app_db(app) as session:
        # The state column's CHECK is widened by a migration, which this test-only state
        # has not got: set aside on this connection (web tests run on SQLite).
        session.execute(text("PRAGMA ignore_check_constraints = ON"))
        dossier = make_dossier(session, app_world, "nomination", OFFICE_REVIEW.name)
        make_dossier(session, app_world, "nomination", COUNCIL_REVIEW.name, unit="b")
        last = session.scalar(select(func.coalesce(func.max(Notification.id), 0)))
        fire(session, dossier.id, REFER.trigger, app_world.actor("reviewer"), now=NOW)
        told = session.execute(
            select(Notification.user_id, Notification.kind).where(Notification.id > last)
        ).all()
    # Those who may fire its forward transition hear of it; the reviewer who referred it not.
    assert told == [(app_world.users["secretary"].id, "queue")]

    secretary = home_queues(client, auth, "secretary")
    assert list(secretary) == [COUNCIL_REVIEW.queue.key, LEGAL_QUEUE.key]  # in queue order
    assert ROW.findall(secretary[LEGAL_QUEUE.key]) == [str(dossier.id)]
    assert 'class="badge tone-warning" data-state="legal_review"' in secretary[LEGAL_QUEUE.key]
    assert LEGAL_QUEUE.key not in home_queues(client, auth, "reviewer")


def css_rules() -> dict[str, dict[str, str]]:
    """{selector: {property: value}} of the style sheet (one selector per entry)."""
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", CSS.read_text(encoding="utf-8")):
        declarations = dict(
            (k.strip(), v.strip())
            for k, _, v in (d.partition(":") for d in body.split(";"))
            if v.strip()
        )
        for selector in selectors.split(","):
            rules.setdefault(selector.strip(), {}).update(declarations)
    return rules


# Background and text colour of each state's badge before badges were keyed on tones.
BADGE_COLOURS = {
    "draft": ("#eef1f5", None),
    "unit_review": ("#e9f0fa", "var(--info)"),
    "office_review": ("#e9f0fa", "var(--info)"),
    "council_review": ("#e9f0fa", "var(--info)"),
    "returned": ("#fdecea", "var(--err)"),
    "approved": ("#e8f5ec", "var(--ok)"),
    "classified": ("#e8f5ec", "var(--ok)"),
    "accepted": ("#e8f5ec", "var(--ok)"),
    "forwarded": ("#efe9fa", "#4b2f86"),
    "published": ("var(--ok)", "#fff"),
    "rejected": ("#f3e8e8", "#6b2b2b"),
    "withdrawn": ("#f3e8e8", "#6b2b2b"),
    "declined": ("#f3e8e8", "#6b2b2b"),
    "received": ("#e9f0fa", "var(--info)"),
}


def test_every_state_keeps_its_badge_colours():
    rules = css_rules()
    for wdef in WORKFLOWS.values():
        for state in wdef.states:
            rule = rules[f".badge.tone-{state.tone.value}"]
            assert (rule.get("background"), rule.get("color")) == BADGE_COLOURS[state.name]


def test_every_tone_has_a_badge_style():
    rules = css_rules()
    assert all(f".badge.tone-{tone.value}" in rules for tone in Tone)
