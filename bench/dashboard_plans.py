"""The Office dashboard's statements on the load bench's city: each one's plan and time.

    .venv/bin/python bench/dashboard_plans.py [--scale 1] [--past] [--pg URL | --sqlite-only]

The city of ``bench/load.py`` (``build_city``: 2,000 units, 20,000 people, 100,000 published
outcomes, 5,000 dossiers in every state, times ``--scale``) in a fresh migrated database; with
``--past`` the published outcomes belong to last year's campaign, as they would in a real
city, and the current campaign holds only the 5,000 dossiers. Then
``campaign_dashboard`` runs once to warm up and once recorded: each SQL statement it sent is
printed with its time (the best of three) and its plan (PostgreSQL: ``EXPLAIN ANALYZE``;
SQLite: ``EXPLAIN QUERY PLAN``), the slowest first; then the function's and ``/office/``'s
unit dropdown's times.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from sqlalchemy import event, insert, update  # noqa: E402

from bench.common import NOW, backend_parser, fresh_database, on_backends, setup  # noqa: E402
from bench.load import build_city  # noqa: E402
from models import Campaign, Dossier, make_read_sessionmaker  # noqa: E402
from workflow.reporting import dashboard  # noqa: E402


def _best_ms(conn, statement: str, params, times: int = 3) -> float:
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        conn.exec_driver_sql(statement, params).fetchall()
        best = min(best, (time.perf_counter() - start) * 1000)
    return best


def _plan(conn, statement: str, params) -> str:
    if conn.dialect.name == "postgresql":
        rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
        return "\n".join(row[0] for row in rows)
    rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)
    return "\n".join(f"{row[1]:>3} {row[3]}" for row in rows)


def _move_outcomes_to_last_year(engine, campaign_id: int, outcomes: range) -> None:
    with engine.begin() as conn:
        this = (
            conn.execute(Campaign.__table__.select().where(Campaign.id == campaign_id))
            .mappings()
            .one()
        )
        past = dict(this)
        past.pop("id")
        past.update(
            code=f"{this['code']}-past",
            name=f"{this['name']} (năm trước)",
            year=this["year"] - 1,
            active=False,
        )
        past_id = conn.execute(insert(Campaign.__table__).values(past)).inserted_primary_key[0]
        conn.execute(
            update(Dossier.__table__)
            .where(Dossier.id.between(outcomes.start, outcomes.stop - 1))
            .values(campaign_id=past_id)
        )


def analyze(engine) -> None:
    """Fresh statistics, committed (PostgreSQL's VACUUM also fills the visibility map that
    index-only scans read)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")


def run(backend: str, url_or_none: str | None, scale: float, past: bool) -> None:
    with fresh_database(backend, url_or_none) as url, tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        engine, cast = setup(url, 0, Path(tmp), ())
        sizes, outcomes = build_city(engine, cast, scale)
        if past:
            _move_outcomes_to_last_year(engine, cast.campaign_id, outcomes)
        analyze(engine)
        print(
            f"\n== {backend}: {sizes} {'(outcomes last year)' if past else ''} "
            f"built in {time.perf_counter() - start:.0f} s =="
        )
        sent: list[tuple[str, object]] = []
        sessions = make_read_sessionmaker(engine)

        def board() -> float:
            with sessions() as session:
                campaign = session.get(Campaign, cast.campaign_id)
                begin = time.perf_counter()
                dashboard.campaign_dashboard(session, campaign, NOW.date())
                return (time.perf_counter() - begin) * 1000

        board()

        def listen(conn, cursor, statement, params, context, many) -> None:
            if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                sent.append((statement, params))

        event.listen(engine, "before_cursor_execute", listen)
        board()
        event.remove(engine, "before_cursor_execute", listen)
        with engine.connect() as conn:
            timed = [(_best_ms(conn, s, p), s, p) for s, p in sent]
            for ms, statement, params in sorted(timed, key=lambda t: -t[0]):
                print(f"\n--- {ms:.1f} ms: {' '.join(statement.split())[:300]}")
                print(_plan(conn, statement, params))
        print(
            f"\n  statements: {len(sent)}, their sum {sum(t[0] for t in timed):.1f} ms; "
            f"campaign_dashboard best of 5: {min(board() for _ in range(5)):.1f} ms"
        )
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = backend_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--past", action="store_true", help="outcomes in last year's campaign")
    parser.add_argument("--pg-only", action="store_true", help="skip SQLite")
    args = parser.parse_args(argv)
    if args.pg_only:
        run("postgresql", args.pg, args.scale, args.past)
        return 0
    on_backends(args, lambda backend, url: run(backend, url, args.scale, args.past))
    return 0


if __name__ == "__main__":
    sys.exit(main())
