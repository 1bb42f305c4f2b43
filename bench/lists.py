"""A list proposal of N rows through every stage, against the same N rows as N single dossiers,
in the same run; and the eligibility checks of the list.

    .venv/bin/python bench/lists.py [--n 500] [--pg URL] [--sqlite-only] [--profile FILE]

* list: the unit's list of N rows goes through ``submit`` and ``unit_approve`` (its rows follow,
  each through the engine), the Office accepts every row at once (``workflow.dossiers.bulk.run``),
  the Council secretary records ``council_approve`` for every row, and one decision publishes
  them all (``workflow.publication.decisions.create`` then ``issue``). One transaction per
  action, as a user presses one button: 6 commits for N rows.
* singles: N single-person nominations, each submitted, approved by the unit, accepted by the
  Office and approved by the Council one by one (one transaction per transition, as
  ``bench/transitions.py`` does), then one decision publishes them all.
* shared Checker, before and after: two more lists of N rows, received in the setup, are
  accepted and published one after the other, the first with ``workflow.awards.eligibility.batch``
  switched off (a new ``Checker`` per row), the second as the app runs.
* eligibility: ``workflow.proposals.eligibility.check_list`` on the N-row list, in a new session,
  with the SQL statements it runs counted; beside it ``check`` row by row (a Checker per row).

Setup (the schools and their people with their ratings, the award with its rules, the Council
session, the lists with their letter and minutes, the single drafts with their files) is not
timed, nor is a warm-up list of a few rows and as many singles taken through every stage first
(the first transactions of a process pay for SQLAlchemy's statement caches and a cold database
file). SQLite always runs on a fresh migrated file; PostgreSQL when ``--pg`` or
``VINHDANH_TEST_DATABASE_URL`` names a server. See bench/README.md.
"""

from __future__ import annotations

import contextlib
import cProfile
import functools
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

# Run as a script, this folder is sys.path[0] and bench/transitions.py would shadow the
# ``transitions`` library the engine imports: put the project root there instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from sqlalchemy import Engine, event, select  # noqa: E402

from bench.common import (  # noqa: E402
    NOW,
    PDF,
    TODAY,
    Cast,
    Progress,
    backend_parser,
    build_cast,
    fresh_database,
    on_backends,
)
from models import Dossier, Evaluation, Membership, Nomination, make_engine, make_sessionmaker  # noqa: E402
from models.people import Person  # noqa: E402
from models.text import fold  # noqa: E402
from workflow import Actor, fire  # noqa: E402
from workflow.accounts.service import create_user  # noqa: E402
from workflow.awards import catalogue  # noqa: E402
from workflow.awards.eligibility import check  # noqa: E402
from workflow.core.audit import verify  # noqa: E402
from workflow.dossiers import bulk, evidence  # noqa: E402
from workflow.dossiers import content as dossiers  # noqa: E402
from workflow.lifecycles.common import PUBLISHED  # noqa: E402
from workflow.proposals.eligibility import check_list  # noqa: E402
from workflow.proposals.rows import RowEntry, add_rows  # noqa: E402
from workflow.publication import decisions  # noqa: E402

TARGET_LIST_S, TARGET_CHECK_S = 5.0, 1.0
LAW = "Luật Thi đua, khen thưởng 2022"
# The Lao động tiên tiến rules every row is checked against when the Office accepts it.
RULES = (
    {"kind": "rating", "rating": "good", "source": f"{LAW}, Điều 24"},
    {"kind": "hold", "source": f"{LAW}, Điều 93"},
    {"kind": "evidence", "purpose": "minutes", "source": "Nghị định 152/2025/NĐ-CP"},
)
STAGES = ("submit", "unit_approve", "office_accept", "council_approve", "publish")
WARM = 5
DECISION = {
    "number": "05/QĐ-SGDĐT",
    "signer": "Nguyễn Văn Giám",
    "title": "Quyết định công nhận danh hiệu Lao động tiên tiến năm học 2025–2026",
    "legal_bases": f"Căn cứ {LAW};",
}


def _council_inputs(cast: Cast) -> dict[str, Any]:
    return {
        "session_id": cast.council_id,
        "votes_for": cast.present,
        "votes_against": 0,
        "votes_abstain": 0,
    }


class Setup:
    """The cast, the people, the two lists and the single drafts (nothing here is timed)."""

    def __init__(self, engine: Engine, n: int, upload_dir: Path) -> None:
        self.factory, self.n, self.upload_dir = make_sessionmaker(engine), n, upload_dir
        with self.factory() as session:
            self.cast = build_cast(session, upload_dir)
            admin = create_user(session, "admin", "Quản Trị Viên", "bench-only", [("admin", None)])
            session.flush()
            for values in RULES:
                catalogue.add_rule(
                    session, Actor.from_user(admin), self.cast.award_id, {**values, "hard": True}
                )
            session.commit()
        self.unit_id = sorted(self.cast.staff)[0]
        self.staff, self.head = self.cast.staff[self.unit_id], self.cast.head[self.unit_id]
        self.warm_list = self._list("khởi động", WARM)
        self.warm_singles = self._singles("khởi động", WARM)
        self.list_id = self._list("danh sách", n)
        self.singles = self._singles("riêng", n)
        self.before_id, self.after_id = self._list("trước", n), self._list("sau", n)
        for proposal_id in (self.before_id, self.after_id):
            with self.factory() as session:
                for trigger, who in (("submit", self.staff), ("unit_approve", self.head)):
                    fire(session, proposal_id, trigger, who, now=NOW)
                session.commit()

    def _people(self, session, tag: str, count: int) -> list[int]:
        """``count`` teachers of the school, each with a period in it, rated good in the
        campaign's year."""
        people = []
        for i in range(count):
            name = f"Giáo viên {tag} số {i + 1}"
            person = Person(
                full_name=name, name_key=fold(name), unit_id=self.unit_id, position="Giáo viên"
            )
            person.memberships.append(Membership(unit_id=self.unit_id, position="Giáo viên"))
            people.append(person)
        session.add_all(people)
        session.flush()
        session.add_all(Evaluation(person_id=p.id, year=TODAY.year, rating="good") for p in people)
        return [p.id for p in people]

    def _attach(self, session, dossier_id: int, purpose: str) -> None:
        evidence.attach(
            session,
            dossier_id,
            self.staff,
            f"{purpose}.pdf",
            PDF + purpose.encode() + str(dossier_id).encode(),
            self.upload_dir,
            purpose=purpose,
            now=NOW,
        )

    def _list(self, tag: str, count: int) -> int:
        """A draft list of ``count`` rows with its letter and minutes."""
        with self.factory() as session:
            proposal = dossiers.create(
                session,
                self.staff,
                "proposal",
                self.unit_id,
                {
                    "title": f"Danh sách đề nghị Lao động tiên tiến ({tag})",
                    "campaign_id": self.cast.campaign_id,
                    "summary": "Đề nghị công nhận danh hiệu Lao động tiên tiến năm học 2025–2026.",
                    "unit_vote": "15/17 thành viên đồng ý",
                },
                now=NOW,
            )
            for purpose in ("proposal", "minutes"):
                self._attach(session, proposal.id, purpose)
            entries = [
                RowEntry(self.cast.award_id, "Hoàn thành tốt nhiệm vụ năm học.", person_id=p)
                for p in self._people(session, tag, count)
            ]
            add_rows(session, self.staff, proposal.id, entries, now=NOW)
            session.commit()
            return proposal.id

    def _singles(self, tag: str, count: int) -> list[int]:
        """``count`` complete single drafts, each with its achievement report and the minutes."""
        made: list[int] = []
        progress = Progress(f"setup singles ({tag})", count)
        with self.factory() as session:
            for person_id in self._people(session, tag, count):
                dossier = dossiers.create(
                    session,
                    self.staff,
                    "nomination",
                    self.unit_id,
                    {
                        "title": "Đề nghị công nhận Lao động tiên tiến",
                        "campaign_id": self.cast.campaign_id,
                        "nominee_kind": "individual",
                        "person_id": person_id,
                        "award_type_id": self.cast.award_id,
                        "achievements": "Hoàn thành tốt nhiệm vụ năm học.",
                    },
                    now=NOW,
                )
                for purpose in ("evidence", "minutes"):
                    self._attach(session, dossier.id, purpose)
                made.append(dossier.id)
                progress.step(len(made))
            session.commit()
        return made

    def rows(self, proposal_id: int) -> list[int]:
        with self.factory() as session:
            return list(
                session.scalars(
                    select(Nomination.id)
                    .where(Nomination.proposal_id == proposal_id)
                    .order_by(Nomination.id)
                )
            )


@contextlib.contextmanager
def _timed(spent: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    spent[name] = spent.get(name, 0.0) + time.perf_counter() - start


def _publish(setup: Setup, ids: list[int], number: str) -> None:
    """One decision of ``ids``: its draft made, then issued (two button presses)."""
    with setup.factory() as session:
        decision = decisions.create(
            session,
            setup.cast.secretary,
            **{**DECISION, "number": number},
            decided_on=TODAY,
            dossier_ids=ids,
            now=NOW,
        )
        session.commit()
        decision_id = decision.id
    with setup.factory() as session:
        decisions.issue(session, decision_id, setup.cast.secretary, now=NOW)
        session.commit()


def _accept(setup: Setup, ids: list[int]) -> None:
    with setup.factory() as session:
        result = bulk.run(
            session, setup.cast.reviewer, bulk.BulkRequest(bulk.ACCEPT, tuple(ids)), now=NOW
        )
        if result.refused:
            raise SystemExit(f"office accept refused: {result.refused[0]}")
        session.commit()


def _council(setup: Setup, ids: list[int]) -> None:
    """The secretary records the Council's approval of every row of the session at once."""
    with setup.factory() as session:
        for dossier_id in ids:
            fire(
                session,
                dossier_id,
                "council_approve",
                setup.cast.secretary,
                inputs=_council_inputs(setup.cast),
                now=NOW,
            )
        session.commit()


def run_list(setup: Setup, list_id: int, number: str) -> dict[str, float]:
    """The list through every stage, one transaction per action; seconds per stage."""
    spent: dict[str, float] = {}
    rows = setup.rows(list_id)
    for stage, who in (("submit", setup.staff), ("unit_approve", setup.head)):
        with _timed(spent, stage), setup.factory() as session:
            fire(session, list_id, stage, who, now=NOW)
            session.commit()
    with _timed(spent, "office_accept"):
        _accept(setup, rows)
    with _timed(spent, "council_approve"):
        _council(setup, rows)
    with _timed(spent, "publish"):
        _publish(setup, rows, number)
    return spent


def run_singles(setup: Setup, singles: list[int], number: str) -> dict[str, float]:
    """Every single dossier through every stage, one transaction per transition."""
    spent: dict[str, float] = {}
    cast = setup.cast
    moves = (
        ("submit", "submit", setup.staff, {}),
        ("unit_approve", "unit_approve", setup.head, {}),
        ("office_accept", "office_approve", cast.reviewer, {}),
        ("council_approve", "council_approve", cast.secretary, _council_inputs(cast)),
    )
    progress = Progress("singles", len(moves) * len(singles))
    done = 0
    for stage, trigger, who, inputs in moves:
        with _timed(spent, stage):
            for dossier_id in singles:
                with setup.factory() as session:
                    fire(session, dossier_id, trigger, who, inputs=inputs, now=NOW)
                    session.commit()
                done += 1
                progress.step(done)
    with _timed(spent, "publish"):
        _publish(setup, singles, number)
    return spent


def _no_batch(*_args: Any, **_kwargs: Any) -> contextlib.AbstractContextManager[None]:
    return contextlib.nullcontext()


def _mode(side: str) -> contextlib.ExitStack:
    """ "before": the bulk accept and the decision without the shared Checker (one Checker per
    row); "after": as the app runs."""
    stack = contextlib.ExitStack()
    if side == "before":
        stack.enter_context(mock.patch.object(bulk, "batch", _no_batch))
        stack.enter_context(mock.patch.object(decisions, "batch", _no_batch))
    return stack


def run_shared(engine: Engine, setup: Setup) -> dict[str, dict[str, float]]:
    """Accept, then publish, the "before" list with a Checker per row and the "after" list with
    the shared one, each half by half in the order before, after, after, before (so that a load
    rising or falling during the run weighs on both alike); seconds and SQL statements per side
    and stage."""
    figures: dict[str, dict[str, float]] = {"before": {}, "after": {}}
    rows = {"before": setup.rows(setup.before_id), "after": setup.rows(setup.after_id)}
    half = len(rows["before"]) // 2
    parts = {side: (ids[:half], ids[half:]) for side, ids in rows.items()}
    order = (("before", 0), ("after", 0), ("after", 1), ("before", 1))

    def measured(side: str, stage: str, call: Callable[[], Any]) -> None:
        with _mode(side):
            spent, statements = _counted(engine, call)
        figures[side][stage] = figures[side].get(stage, 0.0) + spent
        figures[side][stage + "_sql"] = figures[side].get(stage + "_sql", 0) + statements

    for side, part in order:
        measured(side, "office_accept", functools.partial(_accept, setup, parts[side][part]))
    for side in rows:
        _council(setup, rows[side])
    for number, (side, part) in enumerate(order, start=7):
        decision = functools.partial(_publish, setup, parts[side][part], f"{number:02d}/QĐ-SGDĐT")
        measured(side, "publish", decision)
    return figures


def _counted(engine: Engine, call: Callable[[], Any]) -> tuple[float, int]:
    """(seconds, SQL statements) of ``call``."""
    statements = 0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        start = time.perf_counter()
        call()
        spent = time.perf_counter() - start
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return spent, statements


def run_checks(engine: Engine, setup: Setup, rows: list[int]) -> dict[str, float]:
    """check_list of the list in a new session, then ``check`` row by row in another."""
    figures: dict[str, float] = {}
    with setup.factory() as session:
        results: dict[int, list] = {}
        figures["list_s"], figures["list_sql"] = _counted(
            engine, lambda: results.update(check_list(session, setup.list_id, TODAY))
        )
    if len(results) != len(rows) or any(r.level != "ok" for v in results.values() for r in v):
        raise SystemExit("check_list: every row should pass its three rules")
    with setup.factory() as session:

        def one_by_one() -> None:
            for row_id in rows:
                check(session, session.get(Nomination, row_id), TODAY)

        figures["rows_s"], figures["rows_sql"] = _counted(engine, one_by_one)
    return figures


def _check(setup: Setup, ids: list[int]) -> None:
    """Every row and single is published and the whole audit chain verifies."""
    with setup.factory() as session:
        states = set(session.scalars(select(Dossier.state).where(Dossier.id.in_(ids))))
        result = verify(session)
    if states != {PUBLISHED.name} or not result.ok:
        raise SystemExit(f"check failed: states {states}, chain {result}")
    print(
        f"  check: {len(ids)} nominations published; audit chain verifies ({result.count} events)"
    )


def bench(backend: str, n: int, pg_url: str | None, profile: str | None) -> dict[str, float]:
    print(f"\n== {backend} (N = {n} rows) ==")
    with fresh_database(backend, pg_url) as url, tempfile.TemporaryDirectory() as uploads:
        engine = make_engine(url)
        try:
            setup = Setup(engine, n, Path(uploads))
            rows = setup.rows(setup.list_id)
            run_list(setup, setup.warm_list, "01/QĐ-SGDĐT")
            run_singles(setup, setup.warm_singles, "02/QĐ-SGDĐT")
            load = os.getloadavg()[0]
            checks = run_checks(engine, setup, rows)
            profiler = cProfile.Profile() if profile else None
            if profiler:
                profiler.enable()
            listed = run_list(setup, setup.list_id, "05/QĐ-SGDĐT")
            if profiler:
                profiler.disable()
            singles = run_singles(setup, setup.singles, "06/QĐ-SGDĐT")
            shared = run_shared(engine, setup)
            published = rows + setup.singles
            for proposal_id in (setup.before_id, setup.after_id):
                published += setup.rows(proposal_id)
            _check(setup, published)
        finally:
            engine.dispose()
    if profiler:
        profiler.dump_stats(f"{profile}.{backend}")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    print(
        f"  load average before: {load:.2f} on {os.cpu_count()} CPUs (other work slows every side)"
    )
    print(f"  {'stage':18}{'list':>10}{'singles':>10}{'list / single':>15}")
    for stage in STAGES:
        ratio = listed[stage] / singles[stage] if singles[stage] else float("nan")
        print(f"  {stage:18}{listed[stage]:9.2f}s{singles[stage]:9.2f}s{ratio:15.2f}")
    list_total, singles_total = sum(listed.values()), sum(singles.values())
    print(
        f"  {'every stage':18}{list_total:9.2f}s{singles_total:9.2f}s"
        f"{list_total / singles_total:15.2f}   (ratio list / single)"
    )
    before, after = shared["before"], shared["after"]
    for stage in ("office_accept", "publish"):
        print(
            f"  {stage} of a list, one Checker per row: {before[stage]:.2f} s, "
            f"{before[stage + '_sql'] / n:.1f} statements per row; shared and prefetched: "
            f"{after[stage]:.2f} s, {after[stage + '_sql'] / n:.1f} statements per row "
            f"(time before / after {before[stage] / after[stage]:.2f})"
        )
    print(
        f"  eligibility of the list: check_list {checks['list_s'] * 1000:.0f} ms, "
        f"{checks['list_sql']:.0f} SQL statements; check row by row "
        f"{checks['rows_s'] * 1000:.0f} ms, {checks['rows_sql']:.0f} statements"
    )
    return {
        "list_s": list_total,
        "singles_s": singles_total,
        "check_s": checks["list_s"],
        "check_sql": checks["list_sql"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = backend_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500, help="rows of the list (default 500)")
    parser.add_argument("--profile", metavar="FILE", help="cProfile the list into FILE.<backend>")
    args = parser.parse_args(argv)
    results = on_backends(args, lambda backend, url: bench(backend, args.n, url, args.profile))
    sqlite = results["sqlite"]
    for what, spent, target in (
        (f"a {args.n}-row list through every stage", sqlite["list_s"], TARGET_LIST_S),
        (f"eligibility of a {args.n}-row list", sqlite["check_s"], TARGET_CHECK_S),
    ):
        verdict = "met" if spent <= target else "NOT met"
        print(f"Target on SQLite, {what} ≤ {target:.0f} s: {spent:.2f} s, {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
