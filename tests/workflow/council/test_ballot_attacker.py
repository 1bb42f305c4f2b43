"""The attacker of the threat model: copies of the database (on SQLite the file and its
write-ahead log, real file copies; on PostgreSQL every table dumped) taken after every vote,
plus the server's secret key, but neither officer's passphrase.

The same meeting is run twice; members 1 and 2 swap their choices on every row between the
runs, so the totals are the same and only who chose what differs. If any copy revealed a
member's choice, some copy of one run would differ from the same copy of the other beyond the
values that are random by design (ciphertexts, random ids, salts, password hashes). With the
previous design (a plaintext counter bumped with the roll flip) the copy after member 1's vote
differs: approve 1 against reject 1.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from models import make_engine
from models.council import BallotKey
from tests.fixtures import ballot_keys as keyed
from tests.fixtures.people import MEMBERS, build_world, make_council_session, make_dossier
from workflow.core import paillier
from workflow.core.errors import EditRefused
from workflow.council import ballot as ballots
from workflow.council import secrecy

pytestmark = pytest.mark.db

SECRET_KEY = "the-server-secret-key-the-attacker-holds"
ROWS = ("approve", "reject", "abstain")
# {table: rows}, each row a tuple of (column, value) pairs.
Dump = dict[str, list[tuple]]
# Times differ between two runs by the wall clock (a vote writes none); the audit chain's
# hashes and canonical texts cover those times.
CLOCK_COLUMNS = ("_at", "hash", "canonical")


def _choices(swapped: bool) -> dict[str, dict[int, str]]:
    """Each member's marks by row; members 1 and 2 swap theirs when ``swapped``."""
    first = {0: "approve", 1: "reject", 2: "abstain"}
    second = {0: "reject", 1: "abstain", 2: "approve"}
    if swapped:
        first, second = second, first
    rest = {0: "approve", 1: "approve", 2: "reject"}
    return {"member1": first, "member2": second, "member3": rest, "member4": rest}


def _dump_sqlite(db_copy: Path) -> Dump:
    """Every table of a copied SQLite database, its copied WAL applied as SQLite applies it."""
    conn = sqlite3.connect(db_copy)
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")
        ]
        dump: Dump = {}
        for t in tables:
            try:
                cursor = conn.execute(f'SELECT rowid AS "rowid", * FROM "{t}" ORDER BY rowid')
            except sqlite3.OperationalError:  # a WITHOUT ROWID table (the search index's own)
                width = len(conn.execute(f'SELECT * FROM "{t}" LIMIT 0').description)
                order = ", ".join(str(i) for i in range(1, width + 1))
                cursor = conn.execute(f'SELECT * FROM "{t}" ORDER BY {order}')
            names = [d[0] for d in cursor.description]
            dump[t] = [tuple(zip(names, row, strict=True)) for row in cursor.fetchall()]
        return dump
    finally:
        conn.close()


def _dump_engine(engine: Engine) -> Dump:
    """Every table, every row, in primary-key order (PostgreSQL's physical order would also
    be visible to a superuser; it follows the same statements in both runs)."""
    dump: Dump = {}
    names = inspect(engine).get_table_names()
    with engine.connect() as conn:
        for table in sorted(names):
            pk = inspect(engine).get_pk_constraint(table)["constrained_columns"] or ["1"]
            order = ", ".join(f'"{c}"' for c in pk) if pk != ["1"] else "1"
            result = conn.execute(text(f'SELECT * FROM "{table}" ORDER BY {order}'))
            names = list(result.keys())
            dump[table] = [tuple(zip(names, r, strict=True)) for r in result]
    return dump


def _copy(url: str, engine: Engine, where: Path, label: str) -> Dump:
    """A copy of the database as it is now, as an attacker could take it."""
    if engine.dialect.name != "sqlite":
        return _dump_engine(engine)
    source = Path(make_url(url).database)
    target = where / f"{label}.db"
    shutil.copyfile(source, target)
    wal = source.with_name(source.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, target.with_name(target.name + "-wal"))
    return _dump_sqlite(target)


def _run_meeting(url: str, where: Path, swapped: bool) -> tuple[list[Dump], list[tuple]]:
    """The meeting, committed step by step; a copy after setup, after each vote, after the
    close. Returns the copies and the totals by row."""
    where.mkdir()
    engine = make_engine(url)
    copies: list[Dump] = []
    try:
        with Session(engine, expire_on_commit=False) as session:
            world = build_world(session, where / "uploads")
            council = make_council_session(session, world)
            [
                make_dossier(
                    session,
                    world,
                    "nomination",
                    "council_review",
                    council=council,
                    award_type_id=world.awards["ldtt"].id,
                    nominee_name=f"Người được đề nghị {i}",
                )
                for i in range(3)
            ]
            session.commit()
            secretary = world.actor("secretary")
            ballot_list = keyed.open_all(session, council.id, secretary)
            session.commit()
            copies.append(_copy(url, engine, where, "opened"))
            rows = {b.row: b.dossier_id for b in ballot_list.ballots}
            for name, marks in _choices(swapped).items():
                ballots.cast_list(
                    session,
                    council.id,
                    ballot_list.id,
                    world.actor(name),
                    {rows[r]: m for r, m in marks.items()},
                )
                session.commit()
                copies.append(_copy(url, engine, where, f"after-{name}"))
            keyed.close_list(session, council.id, ballot_list.id, secretary)
            session.commit()
            copies.append(_copy(url, engine, where, "closed"))
            totals = [(b.votes_for, b.votes_against, b.votes_abstain) for b in ballot_list.ballots]
            return copies, totals
    finally:
        engine.dispose()


def _is_clock(column: str) -> bool:
    return any(mark in column for mark in CLOCK_COLUMNS)


def _random_columns(a: Dump, b: Dump) -> dict[str, set[str]]:
    """Columns other than times that differ between two runs before any vote: random by
    design (password hashes, the key's modulus, salts, nonce, sealed key)."""
    found: dict[str, set[str]] = {}
    for table, rows in a.items():
        for row_a, row_b in zip(rows, b[table], strict=True):
            for (name, x), (_, y) in zip(row_a, row_b, strict=True):
                if x != y and not _is_clock(name):
                    found.setdefault(table, set()).add(name)
    return found


def _differences(a: Dump, b: Dump, opaque: dict[str, set[str]]) -> list[tuple[str, int, tuple]]:
    """Where two copies differ outside the opaque columns: row counts and values."""
    out = []
    for table in sorted(set(a) | set(b)):
        rows_a, rows_b = a.get(table, []), b.get(table, [])
        if len(rows_a) != len(rows_b):
            out.append((table, -1, (len(rows_a), len(rows_b))))
            continue
        skip = opaque.get(table, set())
        for n, (row_a, row_b) in enumerate(zip(rows_a, rows_b, strict=True)):
            keep_a = tuple(v for c, v in row_a if c not in skip and not _is_clock(c))
            keep_b = tuple(v for c, v in row_b if c not in skip and not _is_clock(c))
            if keep_a != keep_b:
                out.append((table, n, (keep_a, keep_b)))
    return out


def test_no_copy_of_the_database_links_a_member_to_a_choice(db_templates, backend, tmp_path):
    url_a, url_b = db_templates.copy(backend), db_templates.copy(backend)
    copies_a, totals_a = _run_meeting(url_a, tmp_path / "a", swapped=False)
    copies_b, totals_b = _run_meeting(url_b, tmp_path / "b", swapped=True)
    assert totals_a == totals_b == [(3, 1, 0), (2, 1, 1), (1, 2, 1)]
    assert len(copies_a) == len(copies_b) == len(MEMBERS) - 1 + 2
    opaque = _random_columns(copies_a[0], copies_b[0])
    # Nothing the meeting writes is random but session tokens and the key material...
    assert opaque == {
        "user_account": {"session_token"},
        "ballot_key": {"public_n", "chair_salt", "secretary_salt", "nonce", "sealed"},
    }, opaque
    # ... the cards (a random id, ciphertexts) and, once closed, their product and its
    # randomness (published to check the totals; random as the cards are).
    opaque["ballot_card"] = {"id", "ciphertexts"}
    opaque["ballot_list"] = {"aggregate", "aggregate_r"}
    for step, (a, b) in enumerate(zip(copies_a, copies_b, strict=True)):
        assert _differences(a, b, opaque) == [], f"copy {step} tells the runs apart"


def test_the_comparison_sees_a_plaintext_choice():
    """Not vacuous: a choice stored in the clear (the previous design's counters) differs."""
    columns = ("ballot_id", "approve", "reject", "abstain")
    before = {"ballot_box": [tuple(zip(columns, (1, 0, 0, 0), strict=True))]}
    run_a = {"ballot_box": [tuple(zip(columns, (1, 1, 0, 0), strict=True))]}
    run_b = {"ballot_box": [tuple(zip(columns, (1, 0, 1, 0), strict=True))]}
    opaque = _random_columns(before, before)
    assert _differences(run_a, run_b, opaque) == [("ballot_box", 0, ((1, 1, 0, 0), (1, 0, 1, 0)))]


def test_without_both_passphrases_the_key_does_not_open(session, world):
    council = make_council_session(session, world)
    keyed.ensure_key(session, council.id, world.actor("secretary"))
    key = session.get(BallotKey, council.id)
    for guess in (
        (SECRET_KEY, SECRET_KEY),
        (keyed.CHAIR_PASSPHRASE, SECRET_KEY),
        (SECRET_KEY, keyed.SECRETARY_PASSPHRASE),
        (keyed.SECRETARY_PASSPHRASE, keyed.CHAIR_PASSPHRASE),
    ):
        with pytest.raises(EditRefused) as info:
            secrecy.unlock(key, *guess)
        assert [v.code for v in info.value.violations] == ["passphrase_wrong"]
    private = secrecy.unlock(key, *keyed.PASSPHRASES)
    assert private.public.n.bit_length() == paillier.KEY_BITS
    # The private key is nowhere in the row: the modulus does not factor by what is stored.
    stored = key.sealed + key.nonce + key.chair_salt + key.secretary_salt
    assert paillier.prime_bytes(private) not in stored
