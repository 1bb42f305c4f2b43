"""How long each transaction holds the audit head, with T threads firing transitions at once.

    .venv/bin/python bench/head_lock.py [--n 200] [--threads 8] [--pg URL]

PostgreSQL only (SQLite serialises whole write transactions with BEGIN IMMEDIATE). N
nominations per side go through the five stages of bench/transitions.py, one transaction
each, T threads at a time, each thread on its own nominations:

* engine: ``workflow.fire`` in a new ORM session per transition, then COMMIT, as the app runs
  it (transition listeners included);
* floor: bench/transitions.py's Core floor (head locked first, the dossier, the event, the
  head, COMMIT) on one connection per thread: the shortest a transaction can hold the head.

The sides take turns stage by stage. For each transaction: from BEGIN to COMMIT, the wait for
the head's lock (``SELECT … FOR UPDATE`` sent to answered) and the time the head is held (lock
granted to COMMIT sent; the COMMIT's own round trip is left out, the same for both sides).
See bench/README.md.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from sqlalchemy import Engine, event  # noqa: E402

from bench.common import NOW, Cast, backend_parser, fresh_database, setup  # noqa: E402
from bench.transitions import STAGES, FloorSide, _inputs, _who  # noqa: E402
from models import make_engine, make_sessionmaker  # noqa: E402
from workflow import fire  # noqa: E402
from workflow.core.audit import verify  # noqa: E402


class Timings:
    """Per transaction on ``engine``: span, lock wait and head held, in seconds, by side."""

    def __init__(self, engine: Engine) -> None:
        self.side = "setup"
        self.spans: dict[str, list[float]] = {}
        self.waits: dict[str, list[float]] = {}
        self.held: dict[str, list[float]] = {}
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "before_cursor_execute", self._ask)
        event.listen(engine, "after_cursor_execute", self._granted)
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "rollback", lambda conn: conn.info.pop("head_lock", None))

    def _begin(self, conn) -> None:
        conn.info["head_lock"] = {"begin": time.perf_counter()}

    def _ask(self, conn, cursor, statement, *args) -> None:
        if statement.startswith("SELECT audit_head.") and statement.endswith("FOR UPDATE"):
            conn.info.setdefault("head_lock", {})["ask"] = time.perf_counter()

    def _granted(self, conn, cursor, statement, *args) -> None:
        marks = conn.info.get("head_lock", {})
        if "ask" in marks and "granted" not in marks:
            marks["granted"] = time.perf_counter()

    def _commit(self, conn) -> None:
        now, marks = time.perf_counter(), conn.info.pop("head_lock", {})
        if "begin" in marks and "granted" in marks:
            self.spans.setdefault(self.side, []).append(now - marks["begin"])
            self.waits.setdefault(self.side, []).append(marks["granted"] - marks["ask"])
            self.held.setdefault(self.side, []).append(now - marks["granted"])


def _together(threads: int, work: Callable[[int], None]) -> float:
    """``work(i)`` in ``threads`` threads started together; the wall time until all end."""
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            work(i)
        except BaseException as error:  # reported below, after the others end
            errors.append(error)

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    start = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - start


def _engine_stage(engine: Engine, cast: Cast, stage, parts) -> Callable[[int], None]:
    factory = make_sessionmaker(engine)
    trigger, person = stage[0], stage[1]
    inputs = _inputs(trigger, cast)

    def work(i: int) -> None:
        for dossier_id, unit_id in parts[i]:
            with factory() as session:
                actor = _who(cast, person, unit_id)
                fire(session, dossier_id, trigger, actor, inputs=inputs, now=NOW)
                session.commit()

    return work


def _floor_stage(floors: list[FloorSide], stage, parts) -> Callable[[int], None]:
    return lambda i: floors[i].run(stage, parts[i])


def _ms(values: list[float], q: float) -> float:
    return 1000 * (statistics.quantiles(values, n=100)[int(q) - 1] if q < 100 else max(values))


def bench(pg_url: str, n: int, threads: int) -> None:
    print(f"\n== postgresql: {threads} threads, N = {n} ({5 * n} transitions per side) ==")
    with fresh_database("postgresql", pg_url) as url, tempfile.TemporaryDirectory() as uploads:
        setup_engine, cast = setup(url, n, Path(uploads), ("engine", "floor"))
        setup_engine.dispose()
        engine = make_engine(url, pool_size=2 * threads + 2)  # a connection for every thread
        timings = Timings(engine)
        parts = {
            name: [cast.sets[name][i::threads] for i in range(threads)]
            for name in ("engine", "floor")
        }
        floors = [FloorSide(engine, cast, "floor") for _ in range(threads)]
        wall = {"engine": 0.0, "floor": 0.0}
        try:
            for stage in STAGES:
                timings.side = "engine"
                wall["engine"] += _together(
                    threads, _engine_stage(engine, cast, stage, parts["engine"])
                )
                timings.side = "floor"
                wall["floor"] += _together(threads, _floor_stage(floors, stage, parts["floor"]))
        finally:
            for floor in floors:
                floor.close()
        with make_sessionmaker(engine)() as session:
            result = verify(session)
        engine.dispose()
    if not result.ok:
        raise SystemExit(f"the audit chain does not verify: {result}")
    print(f"  check: the audit chain verifies ({result.count} events)")
    print(
        f"  {'':8}{'tr/s':>7}{'ratio':>7}  {'transaction p50/p95':>20}  {'lock wait p50/p95':>18}"
        f"  {'head held p50/p95 (mean)':>25}   ms"
    )
    for side in ("engine", "floor"):
        spans, waits, held = timings.spans[side], timings.waits[side], timings.held[side]
        rate = len(spans) / wall[side]
        print(
            f"  {side:8}{rate:7.0f}{wall[side] / wall['floor']:7.2f}"
            f"  {_ms(spans, 50):9.2f} /{_ms(spans, 95):7.2f}"
            f"  {_ms(waits, 50):8.2f} /{_ms(waits, 95):7.2f}"
            f"  {_ms(held, 50):8.2f} /{_ms(held, 95):7.2f} ({1000 * statistics.fmean(held):.2f})"
        )
    print("  ratio = wall time / the floor's; the head held: lock granted to COMMIT sent")


def main(argv: list[str] | None = None) -> int:
    parser = backend_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="nominations per side (default 200)")
    parser.add_argument("--threads", type=int, default=8, help="threads per side (default 8)")
    args = parser.parse_args(argv)
    if not args.pg or args.sqlite_only:
        print("PostgreSQL only: set VINHDANH_TEST_DATABASE_URL or --pg")
        return 0
    bench(args.pg, args.n, args.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
