"""Transitions per second: the workflow engine against the bare SQL floor, in the same run.

    .venv/bin/python bench/transitions.py [--n 5000] [--pg URL] [--profile FILE]

N nominations go through submit, unit_approve, office_approve, council_approve (in an open
Council session) and publish: 5·N transitions, one transaction each, like real users.

* engine: ``workflow.fire`` in a new ORM session per transition, then COMMIT (every guard,
  permission check, effect, transition listener and the hash-chained audit append);
* engine without listeners: the same with ``TRANSITION_LISTENERS`` emptied (no notifications);
* floor: the same rows written with SQLAlchemy Core on one connection, nothing else, per
  transaction: BEGIN (IMMEDIATE on SQLite); SELECT the audit head (FOR UPDATE on PostgreSQL);
  UPDATE the dossier row (state, version + 1, updated_at, and the columns the transition
  records: sent_at, decision number/date/signer, published_at) WHERE id and version;
  INSERT the council_item for council_approve; INSERT the audit event (canonical JSON and
  SHA-256 chain computed as the engine does); UPDATE the audit head; COMMIT;
* ORM load + floor writes: a new ORM session, the dossier loaded and locked with the engine's
  own statement (the ORM object its guards read), then the floor's writes and COMMIT. No
  engine: this is what the engine cannot go below while its guards read ORM objects, so its
  ratio bounds the engine's from below.

The sides take turns in chunks of 100 transitions, so all see the same machine load; the
ratio is a side's time per transition divided by the floor's. See bench/README.md.

Setup (the cast and 3·N complete drafts with evidence, made through the workflow functions)
is not timed. SQLite always runs on a fresh migrated file; PostgreSQL when ``--pg`` or
``VINHDANH_TEST_DATABASE_URL`` names a server (a fresh database is created and dropped).
"""

from __future__ import annotations

import cProfile
import datetime as dt
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Run as a script, this folder is sys.path[0] and this file would shadow the ``transitions``
# library the engine imports: put the project root there instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from sqlalchemy import Engine, bindparam, select  # noqa: E402

from bench.common import (  # noqa: E402
    DECISION_DAY,
    NOW,
    Cast,
    Progress,
    backend_parser,
    fresh_database,
    on_backends,
    setup,
)
from models import AuditEvent, AuditHead, CouncilItem, Dossier, make_sessionmaker  # noqa: E402
from models.council import OUTCOME_APPROVED  # noqa: E402
from workflow import fire  # noqa: E402
from workflow.core.audit import canonical_json, chain_hash, format_time, leaf_hash, verify  # noqa: E402
from workflow.core.engine import LOCK_DOSSIER, TRANSITION_LISTENERS  # noqa: E402
from workflow.lifecycles.common import (  # noqa: E402
    COUNCIL_REVIEW,
    DRAFT,
    OFFICE_REVIEW,
    PUBLISHED,
    UNIT_REVIEW,
)
from workflow.lifecycles.nomination import APPROVED  # noqa: E402

DECISION = {
    "decision_number": "05/QĐ-SGDĐT",
    "decision_date": DECISION_DAY.isoformat(),
    "decision_signer": "Nguyễn Văn Giám",
}
# trigger, who fires it, from state, to state, role recorded in the audit event
STAGES = (
    ("submit", "staff", DRAFT.name, UNIT_REVIEW.name, "unit_staff"),
    ("unit_approve", "head", UNIT_REVIEW.name, OFFICE_REVIEW.name, "unit_head"),
    ("office_approve", "reviewer", OFFICE_REVIEW.name, COUNCIL_REVIEW.name, "office_reviewer"),
    ("council_approve", "secretary", COUNCIL_REVIEW.name, APPROVED.name, "council_secretary"),
    ("publish", "secretary", APPROVED.name, PUBLISHED.name, "council_secretary"),
)
# The engine stays ORM-based (guards read mapped objects), so its target is stated against the
# ORM floor: engine / (ORM load + floor writes) on SQLite, whole run; 2.3 is the stated ceiling
# when public API cannot hold 2.0.
TARGET_RATIO, CEILING_RATIO = 2.0, 2.3
CHUNK = 100  # transitions per timed chunk; the sides take turns chunk by chunk
SIDES = {
    "engine": "engine (as the app runs it)",
    "engine_core": "engine without transition listeners",
    "orm_floor": "ORM load + floor writes",
    "floor": "floor (Core, no engine)",
}


def _inputs(trigger: str, cast: Cast) -> dict[str, Any]:
    if trigger == "council_approve":
        return {
            "session_id": cast.council_id,
            "votes_for": cast.present,
            "votes_against": 0,
            "votes_abstain": 0,
        }
    return dict(DECISION) if trigger == "publish" else {}


def _who(cast: Cast, person: str, unit_id: int):
    return {
        "staff": cast.staff.get(unit_id),
        "head": cast.head.get(unit_id),
        "reviewer": cast.reviewer,
        "secretary": cast.secretary,
    }[person]


def _floor_values(trigger: str, cast: Cast) -> tuple[dict[str, Any], dict[str, Any]]:
    """(extra dossier columns, audit ``changes``) that the transition records."""
    if trigger == "unit_approve":
        return {"sent_at": NOW}, {"sent_at": format_time(NOW)}
    if trigger == "council_approve":
        return {}, {"council_session_id": cast.council_id, "votes": [cast.present, 0, 0]}
    if trigger == "publish":
        day = dt.date.fromisoformat(DECISION["decision_date"])
        return (
            {
                "decision_number": DECISION["decision_number"],
                "decision_date": day,
                "decision_signer": DECISION["decision_signer"],
                "published_at": NOW,
            },
            {**DECISION},
        )
    return {}, {}


def _event_row(
    head,
    dossier_id: int,
    unit_id: int,
    actor_id: int,
    role: str,
    trigger: str,
    source: str,
    dest: str,
    changes: dict[str, Any],
) -> dict[str, Any]:
    """An audit row as ``workflow.core.audit.append`` builds it, hashed onto ``head``."""
    changes_json = canonical_json(changes)
    doc = {
        "seq": head.seq + 1,
        "at": format_time(NOW),
        "actor_id": actor_id,
        "actor_role": role,
        "unit_id": unit_id,
        "entity_type": "dossier",
        "entity_id": dossier_id,
        "action": trigger,
        "from": source,
        "to": dest,
        "reason": None,
        "visibility": "public" if trigger == "publish" else "internal",
        "changes": changes,
        "v": 1,
    }
    canonical = canonical_json(doc)
    leaf = leaf_hash(canonical)
    return {
        "seq": doc["seq"],
        "occurred_at": NOW,
        "actor_id": actor_id,
        "actor_role": role,
        "unit_id": unit_id,
        "entity_type": "dossier",
        "entity_id": dossier_id,
        "action": trigger,
        "from_state": source,
        "to_state": dest,
        "reason": None,
        "changes": changes_json,
        "visibility": doc["visibility"],
        "canonical": canonical,
        "leaf_hash": leaf,
        "prev_hash": head.hash,
        "hash": chain_hash(head.hash, leaf),
    }


class EngineSide:
    """Fires through ``workflow.fire``: a new ORM session per transition, then COMMIT.

    ``listeners=False`` runs the engine alone, without what other modules hook onto every
    transition (today: ``workflow.notifications.notify``'s in-app notifications and e-mail outbox).
    """

    def __init__(self, engine: Engine, cast: Cast, listeners: bool = True) -> None:
        self.factory, self.cast, self.listeners = make_sessionmaker(engine), cast, listeners

    def run(self, stage: tuple[str, ...], chunk: list[tuple[int, int]]) -> None:
        trigger, person = stage[0], stage[1]
        inputs = _inputs(trigger, self.cast)
        kept = TRANSITION_LISTENERS[:]
        if not self.listeners:
            TRANSITION_LISTENERS.clear()
        try:
            for dossier_id, unit_id in chunk:
                with self.factory() as session:
                    fire(
                        session,
                        dossier_id,
                        trigger,
                        _who(self.cast, person, unit_id),
                        inputs=inputs,
                        now=NOW,
                    )
                    session.commit()
        finally:
            TRANSITION_LISTENERS[:] = kept


class FloorSide:
    """The same rows written with Core on one connection; statements built once."""

    def __init__(self, engine: Engine, cast: Cast, name: str = "floor") -> None:
        self.cast, self.conn = cast, engine.connect()
        dossier_t, head_t = Dossier.__table__, AuditHead.__table__
        self.read_head = select(head_t.c.seq, head_t.c.hash).where(head_t.c.id == 1)
        if engine.dialect.name == "postgresql":
            self.read_head = self.read_head.with_for_update()
        self.move_head = (
            head_t.update()
            .where(head_t.c.id == 1)
            .values(seq=bindparam("h_seq"), hash=bindparam("h_hash"))
        )
        self.add_event, self.add_item = (
            AuditEvent.__table__.insert(),
            CouncilItem.__table__.insert(),
        )
        self.moves = {}
        for trigger, _, _, dest, _ in STAGES:
            extra, _changes = _floor_values(trigger, cast)
            self.moves[trigger] = (
                dossier_t.update()
                .where(
                    dossier_t.c.id == bindparam("b_id"),
                    dossier_t.c.version == bindparam("b_version"),
                )
                .values(state=dest, version=dossier_t.c.version + 1, updated_at=NOW, **extra)
            )
        ids = [d for d, _ in cast.sets[name]]
        self.versions = dict(
            self.conn.execute(
                select(dossier_t.c.id, dossier_t.c.version).where(dossier_t.c.id.in_(ids))
            ).all()
        )
        self.conn.commit()

    def run(self, stage: tuple[str, ...], chunk: list[tuple[int, int]]) -> None:
        for dossier_id, unit_id in chunk:
            with self.conn.begin():
                self.write(self.conn, stage, dossier_id, unit_id, self.versions[dossier_id])
            self.versions[dossier_id] += 1

    def write(
        self, conn: Any, stage: tuple[str, ...], dossier_id: int, unit_id: int, version: int
    ) -> None:
        """One transition's rows: head, dossier UPDATE (version-checked), item, event, head."""
        trigger, person, source, dest, role = stage
        actor_id = _who(self.cast, person, unit_id).user_id
        head = conn.execute(self.read_head).one()
        if (
            conn.execute(self.moves[trigger], {"b_id": dossier_id, "b_version": version}).rowcount
            != 1
        ):
            raise RuntimeError(f"floor: dossier {dossier_id} moved under us")
        if trigger == "council_approve":
            conn.execute(
                self.add_item,
                {
                    "session_id": self.cast.council_id,
                    "dossier_id": dossier_id,
                    "votes_for": self.cast.present,
                    "votes_against": 0,
                    "votes_abstain": 0,
                    "outcome": OUTCOME_APPROVED,
                    "recorded_by": actor_id,
                    "recorded_at": NOW,
                },
            )
        changes = _floor_values(trigger, self.cast)[1]
        row = _event_row(head, dossier_id, unit_id, actor_id, role, trigger, source, dest, changes)
        conn.execute(self.add_event, row)
        conn.execute(self.move_head, {"h_seq": row["seq"], "h_hash": row["hash"]})

    def close(self) -> None:
        self.conn.close()


class OrmFloorSide:
    """What any engine that hands its guards an ORM object pays at least: a new session, the
    dossier loaded and locked by the engine's own statement (``load_for_update``), then only
    the floor's writes on the session's connection, and COMMIT. No checks, no guards."""

    def __init__(self, engine: Engine, cast: Cast) -> None:
        self.factory, self.cast = make_sessionmaker(engine), cast
        self.writer = FloorSide(engine, cast, "orm_floor")

    def run(self, stage: tuple[str, ...], chunk: list[tuple[int, int]]) -> None:
        for dossier_id, unit_id in chunk:
            with self.factory() as session:
                dossier = session.scalars(LOCK_DOSSIER, {"dossier_id": dossier_id}).one()
                self.writer.write(session.connection(), stage, dossier_id, unit_id, dossier.version)
                session.commit()

    def close(self) -> None:
        self.writer.close()


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def measure(engine: Engine, cast: Cast, profiler: cProfile.Profile | None) -> dict[str, Any]:
    """Every side, stage by stage, in rotating chunks so all see the same machine load.

    Returns total seconds per side and the fastest chunk's seconds per transition per side.
    """
    sides = {
        "engine": EngineSide(engine, cast),
        "engine_core": EngineSide(engine, cast, listeners=False),
        "orm_floor": OrmFloorSide(engine, cast),
        "floor": FloorSide(engine, cast),
    }
    total = {name: 0.0 for name in sides}
    best = {name: float("inf") for name in sides}
    done, count = 0, sum(len(cast.sets[name]) for name in sides) * len(STAGES)
    progress = Progress("every side: rotating chunks", count)
    names = list(sides)
    try:
        for stage in STAGES:
            chunks = {name: _chunks(cast.sets[name], CHUNK) for name in names}
            for i in range(len(chunks["engine"])):
                for name in names[i % len(names) :] + names[: i % len(names)]:
                    chunk = chunks[name][i]
                    if profiler and name == "engine":
                        profiler.enable()
                    start = time.perf_counter()
                    sides[name].run(stage, chunk)
                    spent = time.perf_counter() - start
                    if profiler and name == "engine":
                        profiler.disable()
                    total[name] += spent
                    best[name] = min(best[name], spent / len(chunk))
                    done += len(chunk)
                    progress.step(done)
    finally:
        sides["floor"].close()
        sides["orm_floor"].close()
    return {"total": total, "best": best}


def _check(engine: Engine, cast: Cast) -> None:
    """Every nomination is published and the whole chain verifies (every side's rows alike)."""
    with make_sessionmaker(engine)() as session:
        ids = [d for name in SIDES for d, _ in cast.sets[name]]
        states = set(session.scalars(select(Dossier.state).where(Dossier.id.in_(ids))))
        result = verify(session)
    if states != {PUBLISHED.name} or not result.ok:
        raise SystemExit(f"check failed: states {states}, chain {result}")
    print(
        f"  check: {len(ids)} nominations published; audit chain verifies "
        f"({result.count} events, head {result.head_seq}:{result.head_hash[:12]}…)"
    )


def bench(backend: str, n: int, pg_url: str | None, profile: str | None) -> dict[str, float]:
    """Run every side on a fresh database of ``backend``; returns the figures."""
    count = n * len(STAGES)
    print(f"\n== {backend} (N = {n}: {count} transitions per side) ==")
    with fresh_database(backend, pg_url) as url, tempfile.TemporaryDirectory() as uploads:
        engine, cast = setup(url, n, Path(uploads), SIDES)
        profiler = cProfile.Profile() if profile else None
        try:
            load = os.getloadavg()[0]
            timings = measure(engine, cast, profiler)
            _check(engine, cast)
        finally:
            engine.dispose()
    if profiler:
        profiler.dump_stats(f"{profile}.{backend}")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    total, best = timings["total"], timings["best"]
    figures: dict[str, float] = {}
    for name in SIDES:
        figures[name], figures[name + "_best"] = count / total[name], 1 / best[name]
        figures[name + "_ratio"] = total[name] / total["floor"]
        figures[name + "_ratio_best"] = best[name] / best["floor"]
    print(
        f"  load average before: {load:.2f} on {os.cpu_count()} CPUs (other work slows every side)"
    )
    print(f"  {'':38}{'whole run':>24}{'fastest chunk':>16}{'ratio to floor':>18}")
    for name in SIDES:
        print(
            f"  {SIDES[name]:38}{figures[name]:10.0f} tr/s ({total[name]:7.2f} s)"
            f"{figures[name + '_best']:11.0f} tr/s{figures[name + '_ratio']:9.2f}"
            f" ({figures[name + '_ratio_best']:.2f})"
        )
    print("  ratio = time per transition / the floor's, whole run (fastest chunks)")
    # What no ORM-based engine goes below: the engine's own cost on top of it.
    figures["engine_over_orm_floor"] = total["engine"] / total["orm_floor"]
    print(f"  engine / ORM load + floor writes: {figures['engine_over_orm_floor']:.2f} (whole run)")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = backend_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="nominations per side (default 5000)")
    parser.add_argument(
        "--profile", metavar="FILE", help="cProfile the engine side into FILE.<backend>"
    )
    args = parser.parse_args(argv)
    results = on_backends(args, lambda backend, url: bench(backend, args.n, url, args.profile))
    sqlite = results["sqlite"]
    ratio = sqlite["engine_over_orm_floor"]
    verdict = (
        "met"
        if ratio <= TARGET_RATIO
        else (
            f"NOT met (under the {CEILING_RATIO} ceiling)" if ratio <= CEILING_RATIO else "NOT met"
        )
    )
    target = f"engine / ORM floor ≤ {TARGET_RATIO}, whole run"
    print(f"\nTarget on SQLite ({target}): {ratio:.2f}, {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
