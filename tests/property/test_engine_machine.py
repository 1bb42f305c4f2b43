"""A Hypothesis state machine drives the engine: random triggers by random people (every role,
own and foreign unit) on dossiers of every kind, with valid, missing or garbage inputs.

After every step: each dossier is in a state its definition names, terminal states have
absorbed, every success wrote exactly one audit event and every refusal wrote none and
changed nothing, and the whole chain verifies. Runs on an in-memory SQLite database built
once (``create_all`` installs the audit triggers too); each example is rolled back.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import event as event_note
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from models import Base, Dossier, make_engine
from tests.fixtures.people import (
    NOW,
    PDF,
    PEOPLE,
    World,
    add_person,
    build_world,
    inputs_for,
    make_council_session,
    nominee_fields,
)
from tests.fixtures.snapshots import Snapshot, snapshot
from workflow import EditRefused, NotFound, StaleVersion, TransitionRefused, available, fire
from workflow.core.audit import verify
from workflow.core.registry import WORKFLOWS
from workflow.dossiers import content as dossiers
from workflow.dossiers import evidence

ACTORS = sorted(PEOPLE) + ["kiemnhiem"]  # the last one: office reviewer and staff of unit a
ONE_PER_ROLE = [
    "staff_a",
    "head_a",
    "staff_b",
    "head_b",
    "reviewer",
    "reviewer2",
    "secretary",
    "member1",
    "admin",
    "kiemnhiem",
]
TRIGGERS = sorted({t.trigger for w in WORKFLOWS.values() for t in w.transitions}) + ["bogus"]
GARBAGE = {
    "reason": " \t",
    "session_id": "x",
    "votes_for": "abc",
    "votes_against": -1,
    "classification": "bogus",
    "decision_number": "5/QĐ-SGDĐT",
    "decision_date": "2026-02-30",
    "decision_signer": "",
}
DOSSIERS = 7  # made by _create_dossiers
DOSSIER = st.integers(0, DOSSIERS - 1)


def _nomination(session: Session, world: World, unit: str = "a", **extra: Any) -> dict[str, Any]:
    fields = {
        "title": "Đề nghị khen thưởng",
        "campaign_id": world.campaign.id,
        "nominee_kind": "individual",
        "award_type_id": world.awards["ldtt"].id,
        "achievements": "Giáo viên dạy giỏi.",
        **extra,
    }
    return nominee_fields(session, world, unit, fields)


def _create_dossiers(session: Session, w: World) -> dict[int, str]:
    """Drafts of every kind in both units, some with a twist; their kinds by id."""
    staff_a, staff_b, both = w.actor("staff_a"), w.actor("staff_b"), w.actor("kiemnhiem")
    plan = {"title": "Kế hoạch thi đua", "campaign_id": w.campaign.id, "summary": "Nội dung."}
    specs = [
        (staff_a, "nomination", "a", _nomination(session, w), 1),
        (
            staff_a,
            "nomination",
            "a",
            _nomination(session, w),
            0,
        ),  # no evidence: cannot be submitted
        (
            staff_b,
            "nomination",
            "b",
            _nomination(session, w, "b", ad_hoc=True, campaign_id=w.ad_hoc.id),
            1,
        ),
        (
            staff_a,
            "nomination",
            "a",
            _nomination(
                session, w, nominee_name="Đặng Thu Hà", nominee_user_id=w.users["reviewer"].id
            ),
            1,
        ),
        (both, "nomination", "a", _nomination(session, w, award_type_id=w.awards["cstdcs"].id), 1),
        (staff_a, "plan", "a", plan, 0),
        (both, "report", "a", {**plan, "title": "Báo cáo kết quả"}, 0),
    ]
    assert len(specs) == DOSSIERS
    kinds = {}
    for actor, kind, unit, fields, files in specs:
        dossier = dossiers.create(session, actor, kind, w.units[unit].id, fields, now=NOW)
        for i in range(files):
            evidence.attach(
                session, dossier.id, actor, f"Minh chứng {i}.pdf", PDF, w.upload_dir, now=NOW
            )
        kinds[dossier.id] = kind
    return kinds


class _Shared:
    """The database, the cast and the drafts, committed once per test run: every example
    starts from them and is rolled back."""

    engine = None

    @classmethod
    def get(cls) -> type[_Shared]:
        if cls.engine is None:
            engine = make_engine("sqlite://", poolclass=StaticPool)
            Base.metadata.create_all(engine)
            with Session(engine, expire_on_commit=False) as session:
                cls.world = build_world(session, Path(tempfile.mkdtemp(prefix="vinhdanh-prop-")))
                add_person(
                    session,
                    cls.world,
                    "kiemnhiem",
                    "Mạc Thị Yến",
                    [("office_reviewer", None), ("unit_staff", "a")],
                )
                cls.council = make_council_session(session, cls.world)
                cls.kinds = _create_dossiers(session, cls.world)
                session.commit()
                cls.events = verify(session).count
            cls.engine = engine
        return cls


class EngineMachine(RuleBasedStateMachine):
    """The model: per dossier its kind and the terminal state it reached; the event count."""

    def __init__(self) -> None:
        super().__init__()
        shared = _Shared.get()
        self.world, self.council, self.kinds = shared.world, shared.council, shared.kinds
        self.ids = sorted(self.kinds)
        self.events = shared.events
        self.terminal: dict[int, str] = {}
        self.connection = shared.engine.connect()
        self.outer = self.connection.begin()
        self.session = Session(
            bind=self.connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )

    def teardown(self) -> None:
        self.session.close()
        self.outer.rollback()
        self.connection.close()

    # --- rules ---------------------------------------------------------------------------

    def _inputs(self, trigger: str, mode: str) -> dict[str, Any]:
        return {
            "valid": inputs_for(trigger, self.council),
            "missing": {},
            "garbage": dict(GARBAGE),
        }[mode]

    def _fire(
        self, dossier_id: int, trigger: str, actor: str, inputs: dict, stale: bool = False
    ) -> bool:
        before = snapshot(self.session, dossier_id)
        version = before.version - 1 if stale else None
        try:
            event = fire(
                self.session,
                dossier_id,
                trigger,
                self.world.actor(actor),
                inputs=inputs,
                expected_version=version,
                now=NOW,
            )
        except (TransitionRefused, NotFound, StaleVersion) as error:
            assert not isinstance(error, StaleVersion) or stale
            assert snapshot(self.session, dossier_id) == before, (trigger, actor, error)
            return False
        assert not stale, "a stale version was accepted"
        self._succeeded(dossier_id, before, event.to_state)
        tdef = WORKFLOWS[self.kinds[dossier_id]].transition(trigger)
        assert (event.from_state, event.to_state) == (before.state, tdef.dest)
        assert before.state in tdef.sources
        event_note(
            f"{self.kinds[dossier_id]} reached {tdef.dest}"
        )  # coverage, in --hypothesis-show-statistics
        return True

    def _succeeded(self, dossier_id: int, before: Snapshot, state: str) -> None:
        after = snapshot(self.session, dossier_id)
        assert after.events == before.events + 1 and after.head[0] == before.head[0] + 1
        assert (after.state, after.version) == (state, before.version + 1)
        self.events += 1

    @rule(
        index=DOSSIER,
        trigger=st.sampled_from(TRIGGERS),
        actor=st.sampled_from(ACTORS),
        mode=st.sampled_from(["valid", "missing", "garbage"]),
        stale=st.booleans(),
    )
    def fire_anything(self, index: int, trigger: str, actor: str, mode: str, stale: bool) -> None:
        self._fire(self.ids[index], trigger, actor, self._inputs(trigger, mode), stale)

    @rule(index=DOSSIER, pick=st.integers(0, 20))
    def fire_what_is_offered(self, index: int, pick: int) -> None:
        """What ``available`` offers someone without violations succeeds with valid inputs."""
        dossier = self.session.get_one(Dossier, self.ids[index])
        ready = [
            (name, tdef.trigger)
            for name in ONE_PER_ROLE
            for tdef, problems in available(self.session, dossier, self.world.actor(name), now=NOW)
            if not problems
        ]
        forward = [choice for choice in ready if choice[1] != "withdraw"]
        if forward and pick:  # withdrawing ends a dossier early: offered now and then only
            ready = forward
        if ready:
            actor, trigger = ready[pick % len(ready)]
            assert self._fire(dossier.id, trigger, actor, self._inputs(trigger, "valid")), (
                trigger,
                actor,
            )

    @rule(index=DOSSIER, actor=st.sampled_from(ACTORS), blank=st.booleans())
    def edit(self, index: int, actor: str, blank: bool) -> None:
        """Content changes: only in editable states, by the unit; a blank title stops submission."""
        dossier_id = self.ids[index]
        before = snapshot(self.session, dossier_id)
        title = "" if blank else f"Tiêu đề mới {self.events}"
        try:
            event = dossiers.edit(
                self.session, dossier_id, self.world.actor(actor), {"title": title}, now=NOW
            )
        except (EditRefused, NotFound):
            event = None
        if event is None:  # refused, or nothing to change
            assert snapshot(self.session, dossier_id) == before
            return
        assert WORKFLOWS[self.kinds[dossier_id]].state(before.state).editable
        self._succeeded(dossier_id, before, before.state)
        assert event.action == "edit"

    # --- invariants ----------------------------------------------------------------------

    @invariant()
    def states_are_defined_and_terminal_ones_absorb(self) -> None:
        rows = self.session.execute(
            select(Dossier.id, Dossier.kind, Dossier.state).where(Dossier.id.in_(self.ids))
        ).all()
        assert len(rows) == len(self.ids)
        for dossier_id, kind, state in rows:
            wdef = WORKFLOWS[kind]
            assert state in wdef.state_names
            if dossier_id in self.terminal:
                assert state == self.terminal[dossier_id]
            elif wdef.state(state).terminal:
                self.terminal[dossier_id] = state

    @invariant()
    def every_success_wrote_one_event_and_the_chain_verifies(self) -> None:
        result = verify(self.session)
        assert result.ok, result
        assert result.count == self.events


EngineMachine.TestCase.settings = settings(stateful_step_count=30, deadline=None)
TestEngineMachine = EngineMachine.TestCase
