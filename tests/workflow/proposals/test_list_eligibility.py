"""Eligibility of a list proposal's rows: the same verdicts as checking one row at a time, the
list's letter and minutes counted for every row, and a number of queries that does not grow
with the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from models import Discipline, Evaluation, Initiative, Membership, Nomination
from tests.fixtures.awards import TODAY, by_code, hold, nominate, record
from tests.fixtures.people import group_named, make_dossier, new_person
from tests.fixtures.statements import statements_run
from workflow.awards import catalogue
from workflow.awards.eligibility import Checker, check, check_many
from workflow.people.register import unit_collective
from workflow.proposals.eligibility import check_list
from workflow.proposals.rows import RowEntry, add_rows

pytestmark = pytest.mark.db


def rule(session, world, target, **values) -> None:
    values.setdefault("hard", True)
    values.setdefault("source", "Nguồn kiểm thử")
    catalogue.add_rule(session, world.actor("admin"), target.id, values)


def _rules(session, world) -> None:
    """Rules of every kind that reads the register, on the three awards of the world."""
    ldtt, cstdcs, ttldtt = (world.awards[k] for k in ("ldtt", "cstdcs", "ttldtt"))
    rule(session, world, ldtt, kind="rating", rating="good")
    rule(session, world, ldtt, kind="hold")
    rule(session, world, ldtt, kind="evidence", purpose="minutes")
    rule(session, world, ldtt, kind="evidence", purpose="achievement_report", hard=False)
    rule(session, world, cstdcs, kind="grassroots_fighter", rating="good")
    rule(session, world, cstdcs, kind="prior_title", award="LDTT", years=2, include_current=True)
    rule(session, world, cstdcs, kind="quota", of="LDTT", pct=15)
    rule(session, world, cstdcs, kind="hold")
    rule(
        session,
        world,
        ttldtt,
        kind="advanced_collective",
        award="LDTT",
        member_pct=70,
        discipline="warning",
    )
    rule(session, world, ttldtt, kind="hold")


def _rated(session, person_id: int, year: int, rating: str) -> None:
    session.add(Evaluation(person_id=person_id, year=year, rating=rating))


def _entries(session, world, count: int, tag: str, unit_key: str = "a") -> list[RowEntry]:
    """``count`` rows of ``unit_key`` whose nominees have every kind of history: ratings,
    initiatives, prior titles, disciplinary measures, holds, and groups and the unit itself."""
    unit = world.units[unit_key].id
    ldtt, cstdcs, ttldtt = (world.awards[k] for k in ("ldtt", "cstdcs", "ttldtt"))
    entries = []
    for i in range(count):
        person = new_person(session, unit, f"Giáo viên {tag} {i + 1}", "Giáo viên")
        kind = i % 7
        award = ldtt
        if kind == 0:  # excellent, with an initiative: a grassroots fighter
            _rated(session, person.id, 2026, "excellent")
            session.add(Initiative(person_id=person.id, year=2026, title=f"Sáng kiến {i}"))
            award = cstdcs
        elif kind == 1:  # two years of Lao động tiên tiến, rated good
            for year in (2025, 2026):
                record(session, ldtt, person.full_name, year, unit, person=person)
            _rated(session, person.id, 2026, "good")
            award = cstdcs
        elif kind == 2:  # under a warning in force
            _rated(session, person.id, 2026, "good")
            session.add(
                Discipline(person_id=person.id, form="warning", starts_on=dt.date(2026, 1, 5))
            )
        elif kind == 3:  # on hold
            _rated(session, person.id, 2026, "good")
            hold(session, person=person)
        elif kind == 5:  # a group whose members hold the title, one of them disciplined
            group = group_named(session, unit, f"Tổ {tag} {i + 1}")
            members = [new_person(session, unit, f"Thành viên {tag} {i}-{j}") for j in range(3)]
            for j, member in enumerate(members):
                session.add(Membership(person_id=member.id, unit_id=unit, collective_id=group.id))
                if j < 2:
                    record(session, ldtt, member.full_name, 2026, unit, person=member)
            if i % 2:
                session.add(
                    Discipline(
                        person_id=members[2].id, form="warning", starts_on=dt.date(2026, 2, 1)
                    )
                )
            entries.append(RowEntry(ttldtt.id, "Tập thể tiêu biểu.", collective_id=group.id))
            continue
        elif kind == 6:  # the unit itself
            collective = unit_collective(session, unit)
            if collective is not None and not any(
                e.collective_id == collective.id for e in entries
            ):
                entries.append(
                    RowEntry(ttldtt.id, "Đơn vị tiêu biểu.", collective_id=collective.id)
                )
                continue
        # kind 4: nobody rated, no history
        session.flush()
        entries.append(RowEntry(award.id, "Hoàn thành tốt nhiệm vụ.", person_id=person.id))
    session.flush()
    return entries


def _list(session, world, count: int, tag: str, unit: str = "a") -> int:
    """A list of ``unit`` with its letter and minutes (one row of its own) and ``count`` rows."""
    proposal = make_dossier(session, world, kind="proposal", unit=unit)
    entries = _entries(session, world, count, tag, unit)
    add_rows(session, world.actor(f"staff_{unit}"), proposal.id, entries)
    return proposal.id


def test_the_rows_of_a_list_are_judged_as_one_at_a_time(session, world):
    _rules(session, world)
    proposal_id = _list(session, world, 21, "một")
    # Single nominations beside the list: same nominees, other awards, the unit's quota.
    single = nominate(session, world, world.awards["ldtt"], "Nguyễn Văn Lẻ")
    together = check_list(session, proposal_id, TODAY)
    assert len(together) == 22
    for row_id, results in together.items():
        session.expire_all()
        alone = check(session, session.get(Nomination, row_id), TODAY)
        assert results == alone, row_id
    mixed = check_many(session, [single, *(session.get(Nomination, i) for i in together)], TODAY)
    assert mixed[single.id] == check(session, single, TODAY)
    levels = {r.level for results in together.values() for r in results}
    codes = {r.code for results in together.values() for r in results if not r.ok}
    # The rows differ: some pass, some warn, some fail, each for its own reason.
    assert levels == {"ok", "warn", "fail"}
    assert {"rating", "hold", "advanced_collective", "evidence:achievement_report"} <= codes


def test_a_row_counts_the_files_of_its_list(session, world):
    _rules(session, world)
    proposal_id = _list(session, world, 3, "ba")
    minutes = [
        r
        for results in check_list(session, proposal_id, TODAY).values()
        for r in results
        if r.code == "evidence:minutes"
    ]
    # The Lao động tiên tiến rows (the list's own and one more) have no file of their own.
    assert len(minutes) == 2
    assert all(r.ok and "1 tệp" in r.message_vi for r in minutes)
    # A nomination of its own has no list: its minutes are its own files.
    alone = nominate(session, world, world.awards["ldtt"], "Phạm Thị Riêng")
    assert not by_code(check(session, alone, TODAY), "evidence:minutes").ok
    with_minutes = nominate(
        session, world, world.awards["ldtt"], "Phạm Thị Có", purposes=("minutes",)
    )
    assert by_code(check(session, with_minutes, TODAY), "evidence:minutes").ok


def _statements(session, call) -> list[str]:
    """The SQL statements ``call`` runs, up to their WHERE."""
    return [s.split(" WHERE ")[0][:120] for s in statements_run(session, call)]


def test_checking_a_list_costs_no_query_per_row(session, world):
    _rules(session, world)
    # Seven rows: one of each kind of nominee (``_entries``), and fifty.
    small, large = _list(session, world, 7, "nhỏ"), _list(session, world, 50, "lớn", "b")
    check_list(session, small, TODAY)  # the award rules, read once per session
    costs = {}
    for name, proposal_id in (("small", small), ("large", large)):
        # No row and no fact kept from before: every one is read again, as in a new request.
        session.expunge_all()
        costs[name] = _statements(session, lambda: check_list(session, proposal_id, TODAY))
    assert len(costs["large"]) == len(costs["small"]), costs
    # The rows, the rules and one query per kind of fact, not one per row or per rule.
    assert len(costs["small"]) <= 30, costs


def test_prefetch_reads_nothing_twice(session, world):
    _rules(session, world)
    proposal_id = _list(session, world, 7, "bảy")
    rows = session.scalars(select(Nomination).where(Nomination.proposal_id == proposal_id)).all()
    checker = Checker(session, TODAY)
    checker.prefetch(rows)
    assert _statements(session, lambda: [checker.check(n) for n in rows]) == []
    assert _statements(session, lambda: checker.prefetch(rows)) == []


def _rows_of(session, proposal_id: int) -> list[Nomination]:
    return list(
        session.scalars(
            select(Nomination).where(Nomination.proposal_id == proposal_id).order_by(Nomination.id)
        )
    )


def test_a_family_no_rule_of_the_rows_reads_is_never_read(session, world):
    _rules(session, world)
    # Five rows naming people only (no collective): no collective rule is checked.
    proposal_id = _list(session, world, 5, "năm")
    check_list(session, proposal_id, TODAY)  # the award rules, read once per session
    session.expunge_all()
    rows = _rows_of(session, proposal_id)
    assert {n.nominee_kind for n in rows} == {"individual"}
    seen = " ".join(statements_run(session, lambda: check_many(session, rows, TODAY)))
    for table in ("person_membership", "collective", "person_discipline"):
        assert f"FROM {table} " not in seen, table
    # The files read for a guard are the files only.
    session.expunge_all()
    rows = _rows_of(session, proposal_id)
    checker = Checker(session, TODAY)
    checker.expect(rows)
    files = statements_run(session, lambda: checker.purposes(rows[0]))
    assert len(files) == 1 and "FROM attachment" in files[0], files
    # Every other row's files came with that one statement.
    assert statements_run(session, lambda: [checker.purposes(n) for n in rows]) == []


def test_a_family_is_read_once_for_all_the_rows(session, world):
    _rules(session, world)
    small, large = _list(session, world, 7, "bảy"), _list(session, world, 28, "lớn", "b")
    check_list(session, small, TODAY)  # the award rules, read once per session
    costs = {}
    for name, proposal_id in (("small", small), ("large", large)):
        session.expunge_all()
        rows = _rows_of(session, proposal_id)
        checker = Checker(session, TODAY)
        checker.expect(rows)
        seen = statements_run(session, lambda: [checker.check(n) for n in rows])
        # No statement twice: each family once, for every row (the collective rows' members
        # too), whichever row asked for it first.
        assert len(seen) == len(set(seen)), seen
        assert sum("FROM person_membership" in s for s in seen) == 2, seen  # units, groups
        assert statements_run(session, lambda: [checker.check(n) for n in rows]) == []
        costs[name] = len(seen)
    assert costs["small"] == costs["large"], costs


def test_a_batch_reads_no_row_or_nominee_the_session_holds(session, world):
    from workflow.awards.eligibility import batch, shared_checker

    _rules(session, world)
    proposal_id = _list(session, world, 7, "bảy")
    session.expunge_all()
    rows = _rows_of(session, proposal_id)
    with batch(session, TODAY, [n.id for n in rows]):
        first = statements_run(session, lambda: shared_checker(session, TODAY))
    # The rows are held: only their nominees are read, in one statement.
    assert len(first) == 1 and "FROM person " in first[0], first
    session.expunge_all()
    rows = _rows_of(session, proposal_id)
    for n in rows:
        assert n.person_id is None or n.person is not None
    with batch(session, TODAY, [n.id for n in rows]):
        assert statements_run(session, lambda: shared_checker(session, TODAY)) == []


@pytest.mark.parametrize("read_before", [True, False], ids=["read", "not read yet"])
def test_forget_reads_a_changed_history_again(session, world, read_before):
    _rules(session, world)
    proposal_id = _list(session, world, 7, "bảy")
    rows = _rows_of(session, proposal_id)
    # A grassroots fighter without the two years of Lao động tiên tiến (``_entries``' first).
    fighter = next(n for n in rows if n.nominee_name == "Giáo viên bảy 1")
    assert fighter.award_type_id == world.awards["cstdcs"].id
    checker = Checker(session, TODAY)
    checker.expect(rows)
    if read_before:
        before = {n.id: checker.check(n) for n in rows}
        assert not by_code(before[fighter.id], "prior_title:LDTT").ok
    for year in (2025, 2026):
        record(
            session,
            world.awards["ldtt"],
            fighter.nominee_name,
            year,
            fighter.unit_id,
            person=fighter.person,
        )
    session.flush()
    checker.forget(fighter)
    after = {n.id: checker.check(n) for n in rows}
    assert by_code(after[fighter.id], "prior_title:LDTT").ok
    for n in rows:
        assert after[n.id] == check(session, n, TODAY), n.id
