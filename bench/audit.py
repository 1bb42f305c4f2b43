"""The audit log's proofs and verification at scale.

    .venv/bin/python bench/audit.py [--n 1000000] [--verify-n 100000] [--pg URL] [--sqlite-only]

1. Merkle inclusion proofs at N leaves (default a million), N synthetic leaf hashes:
   * in memory (``workflow.core.merkle.MemoryTree``): the proof algorithm alone;
   * stored: N events written with Core into a fresh migrated database (no ORM: a million
     events through the workflow would take hours and measure the workflow, not the tree),
     ``merkle.extend`` storing the complete subtrees, then proofs served by
     ``merkle.StoredTree`` exactly as ``/public/audit/proof/<seq>`` serves them.
   Printed: time per proof (median, 99th percentile, max over 1,000 random leaves) and the
   largest number of hashes in a proof; targets ≤ 20 ms and ≤ 25 hashes.
2. ``audit verify`` of the full chain (``workflow.core.audit.verify``: every leaf and link
   rehashed and every event's columns compared with its canonical content) against the
   floor: the same rows read with the same query and only the two SHA-256 of each event
   computed with bare ``hashlib``. Printed: events per second of each and the ratio
   floor time / verify time (target ≥ 50 %).

Nothing here is a test; the figures go to README.md.
"""

from __future__ import annotations

import hashlib
import json
import random
import statistics
import sys
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.common import NOW, Progress, backend_parser, fresh_database, on_backends  # noqa: E402
from models import AuditEvent, make_engine  # noqa: E402
from workflow.core import merkle  # noqa: E402
from workflow.core.audit import (  # noqa: E402
    EVENT_FIELDS,
    EVENT_ROWS,
    FORMAT_VERSION,
    canonical_json,
    chain_hash,
    format_time,
    leaf_hash,
    verify,
)

PROOFS = 1000
BATCH = 20_000


def synthetic_events(n: int):
    """``n`` valid events of the chain, as rows: canonical content, leaf, links."""
    prev = "0" * 64
    for seq in range(1, n + 1):
        row = {
            "seq": seq,
            "occurred_at": NOW,
            "actor_id": seq % 50,
            "actor_role": "unit_staff",
            "unit_id": seq % 10,
            "entity_type": "dossier",
            "entity_id": seq // 7,
            "action": "edit",
            "from_state": None,
            "to_state": None,
            "reason": None,
            "changes": canonical_json({"title": f"Hồ sơ số {seq}"}),
            "visibility": "public" if seq % 3 == 0 else "internal",
        }
        doc = {key: row[column] for key, column in EVENT_FIELDS}
        doc |= {"at": format_time(NOW), "changes": json.loads(row["changes"]), "v": FORMAT_VERSION}
        row["canonical"] = canonical_json(doc)
        row["leaf_hash"] = leaf_hash(row["canonical"])
        row["prev_hash"] = prev
        row["hash"] = prev = chain_hash(prev, row["leaf_hash"])
        yield row


def fill(url: str, n: int) -> None:
    """Write ``n`` events with Core, batch by batch, and move the head."""
    engine = make_engine(url)
    progress = Progress("events written", n)
    batch, last = [], None
    with engine.begin() as connection:
        for row in synthetic_events(n):
            batch.append(row)
            last = row
            if len(batch) == BATCH:
                connection.execute(AuditEvent.__table__.insert(), batch)
                progress.step(row["seq"])
                batch = []
        if batch:
            connection.execute(AuditEvent.__table__.insert(), batch)
        progress.step(n)
        connection.execute(
            text("UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1"),
            {"s": n, "h": last["hash"]},
        )
    engine.dispose()


def time_proofs(store, n: int) -> tuple[list[float], int]:
    rng = random.Random(9162)
    times, most = [], 0
    for index in (rng.randrange(n) for _ in range(PROOFS)):
        start = time.perf_counter()
        proof = merkle.inclusion_proof(store, index, n)
        times.append(time.perf_counter() - start)
        most = max(most, len(proof))
    return times, most


def describe(label: str, times: list[float], most: int) -> None:
    ordered = sorted(times)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    print(
        f"  {label}: median {statistics.median(times) * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms, "
        f"max {max(times) * 1000:.2f} ms; at most {most} hashes per proof"
    )


def in_memory(n: int) -> None:
    print(f"\nMerkle tree in memory, {n:,} leaves")
    start = time.perf_counter()
    leaves = [hashlib.sha256(b"\x00" + seq.to_bytes(8, "big")).digest() for seq in range(n)]
    tree = merkle.MemoryTree(leaves)
    print(f"  built in {time.perf_counter() - start:.1f} s")
    describe("inclusion proof", *time_proofs(tree, n))


def stored(url: str, n: int) -> None:
    print(f"  {n:,} events in the database, tree stored by merkle.extend")
    fill(url, n)
    engine = make_engine(url)
    with Session(engine) as session:
        start = time.perf_counter()
        extended = merkle.extend(session)
        session.commit()
        print(f"  extend: {extended.written:,} nodes in {time.perf_counter() - start:.1f} s")
        # A live database has planner statistics (autovacuum); a table just bulk-loaded has
        # none, and PostgreSQL would scan it.
        session.execute(text("ANALYZE"))
        session.commit()
        times, most = time_proofs(merkle.StoredTree(session), n)
        describe("inclusion proof (stored tree)", times, most)
        old = n // 3
        start = time.perf_counter()
        proof = merkle.consistency_proof(merkle.StoredTree(session), old, n)
        took = (time.perf_counter() - start) * 1000
        print(f"  consistency proof {old:,} → {n:,}: {took:.2f} ms, {len(proof)} hashes")
    engine.dispose()


def chain(url: str, n: int) -> None:
    print(f"  audit verify of {n:,} events against bare hashlib over the same rows")
    fill(url, n)
    engine = make_engine(url)
    # The query verify runs: every column, each time converted as the app reads it.
    query = EVENT_ROWS
    floors, verifies = [], []
    for _ in range(3):  # alternated, so both sides see the same machine load
        with engine.connect() as connection:
            start = time.perf_counter()
            for row in connection.execute(query.execution_options(yield_per=1000)):
                leaf = hashlib.sha256(b"\x00" + row.canonical.encode()).digest()
                hashlib.sha256(b"\x01" + bytes.fromhex(row.prev_hash) + leaf).digest()
            floors.append(time.perf_counter() - start)
        with Session(engine) as session:
            start = time.perf_counter()
            result = verify(session)
            verifies.append(time.perf_counter() - start)
            assert result.ok and result.count == n, result
    floor, full = min(floors), min(verifies)
    print(f"  floor (read + hashlib): {n / floor:,.0f} events/s")
    print(f"  audit verify:           {n / full:,.0f} events/s")
    print(f"  ratio verify speed / floor speed: {floor / full:.0%} (target ≥ 50 %)")
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = backend_parser(__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="leaves of the Merkle tree")
    parser.add_argument(
        "--verify-n", type=int, default=100_000, help="events for the chain verification"
    )
    args = parser.parse_args(argv)
    in_memory(args.n)

    def run(backend: str, pg_url: str | None) -> None:
        print(f"\n{backend}")
        with fresh_database(backend, pg_url) as url:
            stored(url, args.n)
        with fresh_database(backend, pg_url) as url:
            chain(url, args.verify_n)

    on_backends(args, run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
