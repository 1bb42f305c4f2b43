"""Eligibility and quota checks of a nomination, from its award type's rules (no Flask).

``check`` returns one ``CheckResult`` per rule in force, each with its reason in Vietnamese
and English and its legal source: each rule is checked by its kind (``workflow.awards.rules``),
from what ``Checker`` reads and keeps. Hard rules that fail block the Office's approval; soft
ones warn, and approving anyway needs a reason (``workflow.awards.guards``).

A row of a list proposal (``Nomination.proposal_id``) counts the list's files (its letter and
minutes) with its own for the "document" rules. Many nominations are checked at the cost of one
(``Checker.expect``, ``check_many``): each family of facts is read for all of them on its first
use, and a family their rules never read is never read; the transitions of a batch share one
Checker (``batch``).

Which rules apply: those in force on the day the dossier was received by the Department
(``sent_at``, Hải Phòng date), or today for a dossier not sent yet. Holds are judged today.

Counting, for quotas and for "holds the title this year": the awards history
(``AwardRecord``: imported past years and what the system published), plus the unit's
nominations of the same campaign year in a state that ``counts_toward_quota`` (the lifecycle
says which: received by the Department and still alive, e.g. under Office review, at the
Council, approved, forwarded or published; a published one that already has its history
record is counted once). Drafts, dossiers with the unit (including returned ones) and
rejected or withdrawn ones are not counted, nor is a revoked award (its record stays in the
history, marked, and its nomination is not counted either). The nomination
being checked is always counted in its own quota. The limit is ``pct`` percent of the base
award's count, rounded down.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, and_, bindparam, exists, false, func, inspect, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from models import (
    Attachment,
    AwardRecord,
    AwardType,
    Campaign,
    Collective,
    Discipline,
    Evaluation,
    Hold,
    Initiative,
    Membership,
    Nomination,
    Person,
    Revocation,
)
from models.clock import local_day
from workflow.awards.catalogue import prefetch_rules, rules_of
from workflow.awards.rules import CheckResult, counted_states, kind_of
from workflow.people.history import History
from workflow.people.import_rows import CHUNK, chunks

# A revoked award's record stays in the history but is not held: no check counts it.
HELD = AwardRecord.revocation_id.is_(None)


def summary(results: Iterable[CheckResult]) -> str:
    """ "none" (no rule), "ok", "warn" or "fail": the worst level among ``results``."""
    levels = {r.level for r in results}
    for level in ("fail", "warn", "ok"):
        if level in levels:
            return level
    return "none"


def hard_failures(results: Iterable[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.level == "fail"]


def warnings(results: Iterable[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.level == "warn"]


class Checker:
    """Runs the checks; reads what the rule kinds need and keeps what several nominations share
    (award names, base counts, files, each register entry's history).

    Each fact is read on first use, one query per kind of fact and register entry; for the
    nominations announced by ``expect``, a family of facts is read for all of them at once on
    its first use (one query per family, whatever their number), so that checking a list of 500
    rows costs no query per row; ``prefetch`` reads every family at once.

    ``settled``: nothing the checks read changes while the Checker is used (a page that only
    reads), so each nomination's results are kept too and a second ``check`` of it (the
    transition's guard, then the page's list of checks) costs nothing."""

    def __init__(self, session: Session, today: dt.date, *, settled: bool = False) -> None:
        self.session = session
        self.today = today
        self._results: dict[int, list[CheckResult]] | None = {} if settled else None
        self._awards: dict[str, AwardType] | None = None
        self._counts: dict[tuple[int, int, int], int] = {}
        # {dossier id: {purpose: files}}: each dossier's own files (a row's and its list's).
        self._files: dict[int, dict[str, int]] = {}
        self._records: dict[tuple[str, int | None], list[Held]] = {}
        self._ratings: dict[int | None, dict[int, str]] = {}
        self._initiatives: dict[int | None, list[Initiative]] = {}
        self._disciplines: dict[int | None, list[Discipline]] = {}
        self._holds: dict[tuple[str, int | None], list[Hold]] = {}
        # Per register entry: (id, award type id, campaign year, state) of its counted nominations.
        self._nominations: dict[tuple[str, int | None], list[tuple[int, int, int, str]]] = {}
        self._members: dict[tuple[tuple[str, int | None], int], list[int]] = {}
        self._members_facts: dict[tuple[tuple[str, int | None], int], MembersFacts] = {}
        # Objects read with the families only to be found by lazy loads: the identity map holds
        # them weakly, so they are kept alive here.
        self._kept: list[Any] = []
        self._groups: set[int] = set()
        self._persons: set[int] = set()
        # Per family of facts (``FAMILIES``): the expected rows it was not read for yet.
        self._unread: dict[str, list[Nomination]] = {}

    def awards(self) -> dict[str, AwardType]:
        if self._awards is None:
            self._awards = {a.code: a for a in self.session.scalars(_AWARD_TYPES)}
        return self._awards

    def check(
        self, nomination: Nomination, purposes: dict[str, int] | None = None
    ) -> list[CheckResult]:
        """Every rule of the nomination's award in force on the day it was received, each
        checked by its kind (``purposes``: the dossier's own files, when already counted). A
        draft naming nobody yet is checked against the rules that do not read the nominee."""
        if self._results is not None and purposes is None and nomination.id in self._results:
            return list(self._results[nomination.id])
        day = local_day(nomination.sent_at) if nomination.sent_at else self.today
        self._read("rules")
        rules = [r for r in rules_of(self.session, nomination.award_type_id) if r.applies_on(day)]
        if purposes is not None:
            self._files[nomination.id] = purposes
        named = names_nominee(nomination)
        results = []
        for rule in rules:
            kind = kind_of(rule.kind)
            if kind is not None and kind.checked and (named or not kind.reads_nominee):
                results.append(kind.check(rule, nomination, self))
        if self._results is not None:
            self._results[nomination.id] = results
        return results

    # --- many nominations at once --------------------------------------------------------

    def expect(self, nominations: Iterable[Any], *, nominees: bool = False) -> None:
        """Note that ``nominations`` will be checked (other dossiers are skipped). Each family
        of facts (files, ratings, the awards history, the members of collectives...) is read
        for all of them at once, the first time a check asks for that family: checking a list
        of 500 rows costs no query per row, and a family no rule of theirs reads is not read.
        ``nominees``: read their nominees' register entries now, for guards that read
        ``nomination.person`` (a relationship, which the Checker does not see asked for)."""
        rows = [n for n in nominations if isinstance(n, Nomination)]
        if rows:
            for family in FAMILIES:
                self._unread.setdefault(family, []).extend(rows)
        if nominees:
            self._read("persons")

    def prefetch(self, nominations: Iterable[Any]) -> None:
        """Read at once every family of facts the checks of ``nominations`` may read, and
        their nominees' register entries (other dossiers are skipped): one query per family,
        in chunks of ids below SQLite's limit on bound parameters; what is already kept is not
        read again."""
        self.expect(nominations)
        for family in FAMILIES:
            self._read(family)

    def _read(self, family: str) -> None:
        """Read ``family`` for the expected rows it was not read for yet."""
        rows = self._unread.pop(family, None)
        if rows:
            getattr(self, f"_read_{family}")(rows)

    def _read_rules(self, rows: list[Nomination]) -> None:
        prefetch_rules(self.session, {n.award_type_id for n in rows})

    def _read_persons(self, rows: list[Nomination]) -> None:
        """The nominees' register entries, for the guards that read ``nomination.person``."""
        wanted = {n.person_id for n in rows if n.person_id is not None} - self._persons
        self._kept += _held_or_read(self.session, Person, _PERSONS, wanted)
        self._persons |= wanted

    def _read_collectives(self, rows: list[Nomination]) -> None:
        wanted = {n.collective_id for n in rows if n.collective_id is not None} - self._groups
        self._kept += _held_or_read(self.session, Collective, _COLLECTIVES, wanted)
        self._groups |= wanted

    def _read_files(self, rows: list[Nomination]) -> None:
        self._prefetch_files(
            {n.id for n in rows} | {n.proposal_id for n in rows if n.proposal_id is not None}
        )

    def _prefetch_files(self, dossier_ids: set[int]) -> None:
        missing = dossier_ids - set(self._files)
        found = attachment_purposes(self.session, sorted(missing))
        for dossier_id in missing:
            self._files[dossier_id] = found.get(dossier_id, {})

    def _read_ratings(self, rows: list[Nomination]) -> None:
        people = _people(rows) - set(self._ratings)
        for person_id in people:
            self._ratings[person_id] = {}
        for person_id, year, rating in _rows(self.session, _RATINGS, people):
            self._ratings[person_id][year] = rating

    def _read_initiatives(self, rows: list[Nomination]) -> None:
        people = _people(rows) - set(self._initiatives)
        for person_id in people:
            self._initiatives[person_id] = []
        found = _objects(self.session, _INITIATIVES, people)
        for initiative in sorted(found, key=lambda i: (i.year, i.id)):
            self._initiatives[initiative.person_id].append(initiative)

    def _read_disciplines(self, rows: list[Nomination]) -> None:
        people = _people(rows) - set(self._disciplines)
        for person_id in people:
            self._disciplines[person_id] = []
        for discipline in _objects(self.session, _DISCIPLINES, people):
            self._disciplines[discipline.person_id].append(discipline)

    def _read_records(self, rows: list[Nomination]) -> None:
        people, groups = _entries(rows, self._records)
        for r in sorted(_rows_of_two(self.session, _RECORDS, people, groups), key=lambda r: r.id):
            held = Held(r.id, r.award_type_id, r.year, r.basis, r.dossier_id)
            if r.person_id in people:
                self._records["person", r.person_id].append(held)
            if r.collective_id in groups:
                self._records["collective", r.collective_id].append(held)

    def _read_holds(self, rows: list[Nomination]) -> None:
        # A row naming no register entry is left to ``holds_of`` and its own query.
        keys = {k for k in map(_hold_key, rows) if k[1] is not None} - set(self._holds)
        people = {i for kind, i in keys if kind == "person"}
        units = {i for kind, i in keys if kind == "unit"}
        for key in keys:
            self._holds[key] = []
        found = _rows_of_two(self.session, _HOLDS, people, units, objects=True)
        for hold in sorted(found, key=lambda h: (h.starts_on, h.id)):
            key = (
                ("person", hold.person_id) if hold.person_id is not None else ("unit", hold.unit_id)
            )
            self._holds[key].append(hold)

    def _read_nominations(self, rows: list[Nomination]) -> None:
        people, groups = _entries(rows, self._nominations)
        states = {"states": counted_states()}
        for row in _rows_of_two(self.session, _COUNTED_OF, people, groups, states):
            if row.person_id in people:
                self._nominations["person", row.person_id].append(tuple(row[:4]))
            if row.collective_id in groups:
                self._nominations["collective", row.collective_id].append(tuple(row[:4]))

    def _read_counts(self, rows: list[Nomination]) -> None:
        """The counts the quota rules of ``rows`` will ask for, in two grouped queries."""
        keys: set[tuple[int, int, int]] = set()
        for n in rows:
            for rule in rules_of(self.session, n.award_type_id):
                base = (
                    self.awards().get(rule.values.get("of", "")) if rule.kind == "quota" else None
                )
                if base is not None:
                    year = n.campaign.year
                    keys |= {(base.id, n.unit_id, year), (n.award_type_id, n.unit_id, year)}
        keys -= set(self._counts)
        if not keys:
            return
        found = dict.fromkeys(keys, 0)
        parameters = {
            "awards": sorted({k[0] for k in keys}),
            "years": sorted({k[2] for k in keys}),
            "states": counted_states(),
        }
        for query in (_RECORDS_COUNTED, _NOMINATIONS_COUNTED):
            for award_type_id, unit_id, year, count in _rows(
                self.session, query, {k[1] for k in keys}, parameters
            ):
                if (award_type_id, unit_id, year) in found:
                    found[award_type_id, unit_id, year] += count
        self._counts.update(found)

    def _read_members(self, rows: list[Nomination]) -> None:
        """The members of the collective rows, and what the collective rules read of them."""
        collective = [n for n in rows if n.nominee_kind == "collective"]
        if not collective:
            return
        self._read_collectives(collective)
        wanted = {(_group_key(n), n.campaign.year) for n in collective} - set(self._members_facts)
        if not wanted:
            return
        units = {i for (kind, i), _ in wanted if kind == "unit"}
        groups = {i for (kind, i), _ in wanted if kind == "group"}
        memberships = _rows(self.session, _MEMBERSHIPS_OF_UNITS, units)
        memberships += _rows(self.session, _MEMBERSHIPS_OF_GROUPS, groups)
        for key, year in wanted:
            kind, ident = key
            column = "unit_id" if kind == "unit" else "collective_id"
            # The model's own rule, applied to the columns read.
            self._members[key, year] = sorted(
                {
                    m.person_id
                    for m in memberships
                    if getattr(m, column) == ident and Membership.covers_year(m, year)
                }
            )
        people = {p for key in wanted for p in self._members[key]}
        years = {"years": sorted({year for _, year in wanted})}
        held: dict[tuple[int, int], set[int]] = {}
        for person_id, award_type_id, year in _rows(self.session, _MEMBERS_HELD, people, years):
            held.setdefault((person_id, year), set()).add(award_type_id)
        ratings = {
            (person_id, year): rating
            for person_id, year, rating in _rows(self.session, _MEMBERS_RATED, people, years)
        }
        measures = sorted(_rows(self.session, _MEMBERS_DISCIPLINED, people), key=lambda d: d.id)
        for key, year in wanted:
            members = self._members[key, year]
            by_award: dict[int, set[int]] = {}
            for person_id in members:
                for award_type_id in held.get((person_id, year), ()):
                    by_award.setdefault(award_type_id, set()).add(person_id)
            rated = {p: ratings[p, year] for p in members if (p, year) in ratings}
            inside = set(members)
            disciplined = [
                (d.person_id, d.form)
                for d in measures
                if d.person_id in inside and Discipline.in_year(d, year)
            ]
            self._members_facts[key, year] = MembersFacts(members, by_award, rated, disciplined)

    # --- facts the caller already read -------------------------------------------------

    def know_files(self, dossier_id: int, purposes: dict[str, int]) -> None:
        """Take ``purposes`` ({purpose: number of files}) as the dossier's own files, counted
        by a caller that shows them: they are not read again."""
        self._files[dossier_id] = dict(purposes)

    def know_history(self, nomination: Nomination, history: History) -> None:
        """Take what the nominee's ``history`` (``workflow.people.history``, not the public's)
        read as the facts of its register entry: the awards it holds, and a person's ratings
        and initiatives, are not read again."""
        entry = _entry(nomination)
        if entry[1] is None:
            return
        self._records[entry] = sorted(
            (
                Held(line.record_id, line.award_type_id, line.year, line.basis, line.dossier_id)
                for line in history.awards
                if line.held
            ),
            key=lambda held: held.record_id,
        )
        if entry[0] == "person":
            self._ratings[entry[1]] = {e.year: e.rating for e in history.evaluations}
            self._initiatives[entry[1]] = sorted(history.initiatives, key=lambda i: (i.year, i.id))

    def forget(self, nomination: Nomination) -> None:
        """Drop what a transition of ``nomination`` may have changed (its nominee's history,
        the quotas of its unit and year, what its collectives' members hold): the next check
        reads them again. Called by effects that write the history (``record_award``)."""
        entry = _entry(nomination)
        if self._results is not None:
            self._results.clear()
        self._records.pop(entry, None)
        self._nominations.pop(entry, None)
        self._initiatives.pop(nomination.person_id, None)
        self._counts = {k: v for k, v in self._counts.items() if k[1] != nomination.unit_id}
        self._members_facts.clear()

    # --- what the rule kinds read (workflow.awards.rules.Facts) -------------------------

    def purposes(self, nomination: Nomination) -> dict[str, int]:
        """{purpose: number of files} of the nomination, with those of its list for a row of a
        list proposal (the list's letter and minutes are every row's)."""
        wanted = [nomination.id]
        if nomination.proposal_id is not None:
            wanted.append(nomination.proposal_id)
        self._read("files")
        self._prefetch_files(set(wanted))
        merged = dict(self._files[nomination.id])
        if nomination.proposal_id is not None:
            for purpose, count in self._files[nomination.proposal_id].items():
                merged[purpose] = merged.get(purpose, 0) + count
        return merged

    def holds_of(self, nomination: Nomination) -> list[Hold]:
        """The holds on the nominee in force today, earliest first."""
        key = _hold_key(nomination)
        self._read("holds")
        if key not in self._holds:
            self._holds[key] = list(self.session.scalars(*_holds_for(nomination)))
        return [h for h in self._holds[key] if h.active_on(self.today)]

    # --- counting ------------------------------------------------------------------------

    def count(self, award_type_id: int, unit_id: int, year: int) -> int:
        """Records of the award in the unit and year, plus nominations received and alive."""
        key = (award_type_id, unit_id, year)
        self._read("counts")
        if key not in self._counts:
            records = self.session.scalar(
                select(func.count())
                .select_from(AwardRecord)
                .where(
                    AwardRecord.award_type_id == award_type_id,
                    AwardRecord.unit_id == unit_id,
                    AwardRecord.year == year,
                    HELD,
                )
            )
            recorded = exists().where(AwardRecord.dossier_id == Nomination.id)
            nominations = self.session.scalar(
                select(func.count())
                .select_from(Nomination)
                .join(Campaign, Campaign.id == Nomination.campaign_id)
                .where(
                    Nomination.award_type_id == award_type_id,
                    Nomination.unit_id == unit_id,
                    Campaign.year == year,
                    Nomination.state.in_(counted_states()),
                    ~recorded,
                )
            )
            self._counts[key] = records + nominations
        return self._counts[key]

    # --- the nominee's history, one query per kind of fact, kept per register entry ------

    def records_of(self, nomination: Nomination) -> list[Held]:
        """Every award the nominee (person or collective) received, any year."""
        key = _entry(nomination)
        self._read("records")
        if key not in self._records:
            column = AwardRecord.person_id if key[0] == "person" else AwardRecord.collective_id
            self._records[key] = (
                [
                    Held(r.id, r.award_type_id, r.year, r.basis, r.dossier_id)
                    for r in self.session.execute(
                        select(
                            AwardRecord.id,
                            AwardRecord.award_type_id,
                            AwardRecord.year,
                            AwardRecord.basis,
                            AwardRecord.dossier_id,
                        )
                        .where(column == key[1], HELD)
                        .order_by(AwardRecord.id)
                    )
                ]
                if key[1] is not None
                else []
            )
        return self._records[key]

    def years_held(self, award_type_id: int, nomination: Nomination, years: list[int]) -> set[int]:
        # Ad-hoc and thematic results are no ground for higher merit titles (NĐ 152/2025).
        return {
            r.year
            for r in self.records_of(nomination)
            if r.award_type_id == award_type_id and r.year in years and r.basis == "merit"
        }

    def ratings(self, person_id: int | None) -> dict[int, str]:
        """{year: rating} of a person."""
        self._read("ratings")
        if person_id not in self._ratings:
            self._ratings[person_id] = dict(
                self.session.execute(
                    select(Evaluation.year, Evaluation.rating).where(
                        Evaluation.person_id == person_id
                    )
                ).all()
            )
        return self._ratings[person_id]

    def initiatives(self, person_id: int | None) -> list[Initiative]:
        """A person's initiatives and research, oldest first."""
        self._read("initiatives")
        if person_id not in self._initiatives:
            self._initiatives[person_id] = list(
                self.session.scalars(
                    select(Initiative)
                    .where(Initiative.person_id == person_id)
                    .order_by(Initiative.year, Initiative.id)
                )
            )
        return self._initiatives[person_id]

    def members(self, nomination: Nomination, year: int) -> list[int]:
        """The people of a collective nominee in ``year``: those whose period in the unit (in
        the group, for a group) covers the year."""
        self._read("members")
        key = _group_key(nomination)
        if (key, year) not in self._members:
            query = select(Membership)
            if key[0] == "unit":
                query = query.where(Membership.unit_id == key[1])
            else:
                query = query.where(Membership.collective_id == key[1])
            self._members[key, year] = sorted(
                {m.person_id for m in self.session.scalars(query) if m.covers_year(year)}
            )
        return self._members[key, year]

    def members_facts(self, nomination: Nomination, year: int) -> MembersFacts:
        """What the collective rules read about the members in ``year`` (one query each)."""
        self._read("members")
        key = (_group_key(nomination), year)
        if key not in self._members_facts:
            people = self.members(nomination, year)
            held: dict[int, set[int]] = {}
            for person_id, award_type_id in self.session.execute(
                select(AwardRecord.person_id, AwardRecord.award_type_id).where(
                    AwardRecord.person_id.in_(people),
                    AwardRecord.year == year,
                    AwardRecord.basis == "merit",
                    HELD,
                )
            ):
                held.setdefault(award_type_id, set()).add(person_id)
            ratings = dict(
                self.session.execute(
                    select(Evaluation.person_id, Evaluation.rating).where(
                        Evaluation.person_id.in_(people), Evaluation.year == year
                    )
                ).all()
            )
            disciplined = [
                (d.person_id, d.form)
                for d in self.session.scalars(
                    select(Discipline)
                    .where(Discipline.person_id.in_(people))
                    .order_by(Discipline.id)
                )
                if d.in_year(year)
            ]
            self._members_facts[key] = MembersFacts(people, held, ratings, disciplined)
        return self._members_facts[key]

    def disciplines(self, person_id: int | None) -> list[Discipline]:
        """A person's disciplinary measures."""
        self._read("disciplines")
        if person_id not in self._disciplines:
            self._disciplines[person_id] = list(
                self.session.scalars(select(Discipline).where(Discipline.person_id == person_id))
            )
        return self._disciplines[person_id]

    def same_year_nominations(
        self, award_type_id: int, nomination: Nomination, year: int
    ) -> list[tuple[int, str]]:
        """(id, state) of the nominee's other nominations for the award that year, received."""
        entry = _entry(nomination)
        self._read("nominations")
        if entry not in self._nominations:
            query = _COUNTED_NOMINATIONS.where(
                Nomination.state.in_(counted_states()), _same_nominee(nomination)
            )
            self._nominations[entry] = [tuple(row) for row in self.session.execute(query)]
        return [
            (ident, state)
            for ident, award, held_in, state in sorted(self._nominations[entry])
            if award == award_type_id and held_in == year and ident != nomination.id
        ]


# (id, award type id, campaign year, state) of nominations, for ``same_year_nominations``.
_COUNTED_NOMINATIONS = (
    select(Nomination.id, Nomination.award_type_id, Campaign.year, Nomination.state)
    .join(Campaign, Campaign.id == Nomination.campaign_id)
    .where(~exists().where(Revocation.dossier_id == Nomination.id))
)


# The families of facts a Checker reads for all its expected rows at once, each on first use.
FAMILIES = (
    "rules",
    "persons",
    "collectives",
    "files",
    "ratings",
    "initiatives",
    "disciplines",
    "records",
    "holds",
    "nominations",
    "counts",
    "members",
)


def _ids() -> Any:
    """The ids of a chunk, bound when the statement runs (built once, not per call)."""
    return bindparam("ids", expanding=True)


_PERSONS = select(Person).where(Person.id.in_(_ids()))
_COLLECTIVES = select(Collective).where(Collective.id.in_(_ids()))
_NOMINATIONS = select(Nomination).where(Nomination.id.in_(_ids()))
_RATINGS = select(Evaluation.person_id, Evaluation.year, Evaluation.rating).where(
    Evaluation.person_id.in_(_ids())
)
_INITIATIVES = select(Initiative).where(Initiative.person_id.in_(_ids()))
_DISCIPLINES = select(Discipline).where(Discipline.person_id.in_(_ids()))


def _others() -> Any:
    """The second kind of ids of a statement reading two kinds of entries at once."""
    return bindparam("others", expanding=True)


# Of people (``ids``) and collectives (``others``) at once.
_RECORDS = select(
    AwardRecord.id,
    AwardRecord.award_type_id,
    AwardRecord.year,
    AwardRecord.basis,
    AwardRecord.dossier_id,
    AwardRecord.person_id,
    AwardRecord.collective_id,
).where(HELD, or_(AwardRecord.person_id.in_(_ids()), AwardRecord.collective_id.in_(_others())))
_COUNTED_OF = _COUNTED_NOMINATIONS.add_columns(
    Nomination.person_id, Nomination.collective_id
).where(
    Nomination.state.in_(bindparam("states", expanding=True)),
    or_(Nomination.person_id.in_(_ids()), Nomination.collective_id.in_(_others())),
)
# Of people (``ids``) and, on no person, of units (``others``) at once.
_HOLDS = select(Hold).where(
    or_(Hold.person_id.in_(_ids()), and_(Hold.person_id.is_(None), Hold.unit_id.in_(_others())))
)
# Per (award type, unit, year): held records, and nominations counted without their record.
_RECORDS_COUNTED = (
    select(AwardRecord.award_type_id, AwardRecord.unit_id, AwardRecord.year, func.count())
    .where(
        AwardRecord.award_type_id.in_(bindparam("awards", expanding=True)),
        AwardRecord.year.in_(bindparam("years", expanding=True)),
        HELD,
        AwardRecord.unit_id.in_(_ids()),
    )
    .group_by(AwardRecord.award_type_id, AwardRecord.unit_id, AwardRecord.year)
)
_NOMINATIONS_COUNTED = (
    select(Nomination.award_type_id, Nomination.unit_id, Campaign.year, func.count())
    .join(Campaign, Campaign.id == Nomination.campaign_id)
    .where(
        Nomination.award_type_id.in_(bindparam("awards", expanding=True)),
        Campaign.year.in_(bindparam("years", expanding=True)),
        Nomination.state.in_(bindparam("states", expanding=True)),
        ~exists().where(AwardRecord.dossier_id == Nomination.id),
        Nomination.unit_id.in_(_ids()),
    )
    .group_by(Nomination.award_type_id, Nomination.unit_id, Campaign.year)
)
_MEMBERSHIP_COLUMNS = (
    Membership.person_id,
    Membership.unit_id,
    Membership.collective_id,
    Membership.starts_on,
    Membership.ends_on,
)
_MEMBERSHIPS_OF_UNITS = select(*_MEMBERSHIP_COLUMNS).where(Membership.unit_id.in_(_ids()))
_MEMBERSHIPS_OF_GROUPS = select(*_MEMBERSHIP_COLUMNS).where(Membership.collective_id.in_(_ids()))
_MEMBERS_HELD = select(AwardRecord.person_id, AwardRecord.award_type_id, AwardRecord.year).where(
    AwardRecord.year.in_(bindparam("years", expanding=True)),
    AwardRecord.basis == "merit",
    HELD,
    AwardRecord.person_id.in_(_ids()),
)
_MEMBERS_RATED = select(Evaluation.person_id, Evaluation.year, Evaluation.rating).where(
    Evaluation.year.in_(bindparam("years", expanding=True)), Evaluation.person_id.in_(_ids())
)
_MEMBERS_DISCIPLINED = select(
    Discipline.id, Discipline.person_id, Discipline.form, Discipline.starts_on, Discipline.ends_on
).where(Discipline.person_id.in_(_ids()))


def _rows(
    session: Session, query, ids: Iterable[Any], parameters: dict[str, Any] | None = None
) -> list[Any]:
    """The rows of ``query`` for ``ids``, one statement per chunk of ids."""
    found: list[Any] = []
    for chunk in chunks(ids):
        found += session.execute(query, {**(parameters or {}), "ids": chunk}).all()
    return found


def _rows_of_two(
    session: Session,
    query,
    ids: set[Any],
    others: set[Any],
    parameters: dict[str, Any] | None = None,
    *,
    objects: bool = False,
) -> list[Any]:
    """The rows (``objects``: the objects) of ``query`` for ``ids`` and ``others`` together,
    one statement per chunk of both."""
    tagged = [(False, i) for i in sorted(ids)] + [(True, i) for i in sorted(others)]
    found: list[Any] = []
    for start in range(0, len(tagged), CHUNK):
        part = tagged[start : start + CHUNK]
        bound = {
            **(parameters or {}),
            "ids": [i for other, i in part if not other],
            "others": [i for other, i in part if other],
        }
        found += (session.scalars if objects else session.execute)(query, bound).all()
    return found


def _entries(
    rows: list[Nomination], kept: dict[tuple[str, int | None], Any]
) -> tuple[set[int], set[int]]:
    """The people and the collectives the rows name whose facts are not in ``kept`` yet, each
    given an empty list there to fill."""
    people: set[int] = set()
    groups: set[int] = set()
    for kind, ident in map(_entry, rows):
        if ident is not None and (kind, ident) not in kept:
            (people if kind == "person" else groups).add(ident)
            kept[kind, ident] = []
    return people, groups


def _objects(session: Session, query, ids: Iterable[Any]) -> list[Any]:
    """The objects of ``query`` for ``ids``, one statement per chunk of ids."""
    found: list[Any] = []
    for chunk in chunks(ids):
        found += session.scalars(query, {"ids": chunk}).all()
    return found


def _held_or_read(session: Session, model: type, query, ids: Iterable[int]) -> list[Any]:
    """The objects of ``model`` whose ids are ``ids``: those the session already holds with
    their columns loaded, and the others read by ``query``. An id the session holds as
    another class of the same table hierarchy (a plan among nominations) is none of them."""
    held, missing = [], []
    columns = _column_keys(model)
    for ident in ids:
        found = session.identity_map.get(identity_key(model, ident))
        if found is None:
            missing.append(ident)
        elif not isinstance(found, model):
            continue
        elif inspect(found).unloaded & columns:
            missing.append(ident)
        else:
            held.append(found)
    return held + _objects(session, query, missing)


def _column_keys(model: type) -> frozenset[str]:
    keys = _COLUMN_KEYS.get(model)
    if keys is None:
        keys = _COLUMN_KEYS[model] = frozenset(inspect(model).column_attrs.keys())
    return keys


_COLUMN_KEYS: dict[type, frozenset[str]] = {}


def _people(rows: list[Nomination]) -> set[int]:
    """The people the rows name (not the collectives)."""
    return {i for kind, i in map(_entry, rows) if kind == "person" and i is not None}


@dataclass(frozen=True)
class Held:
    """One award of the nominee's history, as the rules read it."""

    record_id: int
    award_type_id: int
    year: int
    basis: str
    dossier_id: int | None


@dataclass(frozen=True)
class MembersFacts:
    """The members of a collective in a year: who they are, who holds which award
    ({award type id: person ids}), their ratings and the discipline in force."""

    people: list[int]
    held: dict[int, set[int]]
    ratings: dict[int, str]
    disciplined: list[tuple[int, str]]


def _entry(nomination: Nomination) -> tuple[str, int | None]:
    """The register entry a nomination names: ("person", id) or ("collective", id)."""
    if nomination.nominee_kind == "collective":
        return "collective", nomination.collective_id
    return "person", nomination.person_id


def names_nominee(nomination: Nomination) -> bool:
    """True when the nomination names its register entry (a draft may not yet)."""
    return _entry(nomination)[1] is not None


def _hold_key(nomination: Nomination) -> tuple[str, int | None]:
    """Whose holds concern the nominee: the person's, or for a collective its unit's."""
    if nomination.nominee_kind == "collective":
        return "unit", nomination.unit_id
    return "person", nomination.person_id


def _group_key(nomination: Nomination) -> tuple[str, int | None]:
    """Whose members a collective nominee has: a group's, or the unit's (the unit itself)."""
    collective = nomination.collective
    if collective is None or collective.kind == "unit":
        return "unit", nomination.unit_id
    return "group", collective.id


def _same_nominee(nomination: Nomination):
    """Nominations naming the same register entry as ``nomination``."""
    kind, ident = _entry(nomination)
    column = Nomination.person_id if kind == "person" else Nomination.collective_id
    return column == ident if ident is not None else false()


_AWARD_TYPES = select(AwardType)
_HOLDS_OF_UNIT = (
    select(Hold)
    .where(Hold.person_id.is_(None), Hold.unit_id == bindparam("unit_id"))
    .order_by(Hold.starts_on, Hold.id)
)
_HOLDS_OF_PERSON = (
    select(Hold).where(Hold.person_id == bindparam("person_id")).order_by(Hold.starts_on, Hold.id)
)


def _holds_for(nomination: Nomination) -> tuple[Select, dict[str, Any]]:
    """Holds that may concern the nominee (their dates are checked afterwards): on the person,
    or, for a collective, on its unit; the statement and its parameters."""
    if nomination.nominee_kind == "collective":
        return _HOLDS_OF_UNIT, {"unit_id": nomination.unit_id}
    return _HOLDS_OF_PERSON, {"person_id": nomination.person_id}


# What a unit is told of a hold: the matter itself is for the Department.
_HOLD_FOR_UNIT = (
    "Đang tạm dừng xét khen thưởng; liên hệ Văn phòng Sở để biết lý do.",
    "On hold; ask the Department's Office for the reason.",
)


def for_the_unit(results: Iterable[CheckResult]) -> list[CheckResult]:
    """The checks as the unit sees them while drafting: a hold that fails keeps its verdict
    but not its reason (disciplinary matters are not shown to the unit's staff)."""
    return [
        replace(r, message_vi=_HOLD_FOR_UNIT[0], message_en=_HOLD_FOR_UNIT[1])
        if r.code == "hold" and not r.ok
        else r
        for r in results
    ]


def attachment_purposes(session: Session, dossier_ids: list[int]) -> dict[int, dict[str, int]]:
    """{dossier id: {purpose: number of files}} in one query."""
    out: dict[int, dict[str, int]] = {}
    if not dossier_ids:
        return out
    for dossier_id, purpose, count in session.execute(
        select(Attachment.dossier_id, Attachment.purpose, func.count())
        .where(Attachment.dossier_id.in_(dossier_ids))
        .group_by(Attachment.dossier_id, Attachment.purpose)
    ):
        out.setdefault(dossier_id, {})[purpose] = count
    return out


def check(session: Session, nomination: Nomination, today: dt.date) -> list[CheckResult]:
    """The checks of one nomination (an empty list when its award has no rule)."""
    return Checker(session, today).check(nomination)


def check_many(
    session: Session, nominations: Iterable[Nomination], today: dt.date
) -> dict[int, list[CheckResult]]:
    """The checks of several nominations (a page of a queue, the rows of a list): what they
    read is fetched for all of them at once, so their number adds no query."""
    nominations = [n for n in nominations if isinstance(n, Nomination)]
    checker = Checker(session, today)
    checker.expect(nominations)
    return {n.id: checker.check(n) for n in nominations}


# --- one Checker for a batch of transitions ---------------------------------------------------

_BATCH = "vinhdanh.eligibility_batch"


@dataclass
class _Batch:
    """The Checker a batch of transitions shares, and the dossiers not yet expected."""

    checker: Checker
    pending: list[int]


@contextmanager
def batch(
    session: Session, today: dt.date, dossier_ids: Iterable[int], *, settled: bool = False
) -> Iterator[None]:
    """While a batch of transitions runs (the Office accepting many rows, a list moving its
    rows), the eligibility guards of its transitions on ``today`` share one ``Checker``, whose
    facts are read for all of ``dossier_ids`` at once, the first time a guard asks: each row then
    costs the engine's work, not the queries of its checks.

    What the Checker keeps stays true through the batches that use it: the Office's acceptance
    moves rows between two states that both count toward quotas, publishing writes the awards
    history through ``record_award``, which calls ``Checker.forget`` for its nominee, and a
    list's own moves read only the files. A batch inside a batch uses the outer one's Checker.

    ``settled``: the batch only reads (a page drawn), so its Checker keeps each nomination's
    results too (``Checker(settled=True)``)."""
    if _BATCH in session.info:
        session.info[_BATCH].pending += list(dossier_ids)
        yield
        return
    session.info[_BATCH] = _Batch(Checker(session, today, settled=settled), list(dossier_ids))
    try:
        yield
    finally:
        session.info.pop(_BATCH, None)


def shared_checker(session: Session, today: dt.date) -> Checker | None:
    """The Checker of the batch for ``today`` running in the session, its rows expected (and
    their nominees read); None outside a batch."""
    shared: _Batch | None = session.info.get(_BATCH)
    if shared is None or shared.checker.today != today:
        return None
    if shared.pending:
        ids, shared.pending = shared.pending, []
        shared.checker.expect(_nominations(session, ids), nominees=True)
    return shared.checker


def checker_for(session: Session, today: dt.date) -> Checker:
    """The batch's Checker when a batch for ``today`` runs in the session, else a new one."""
    return shared_checker(session, today) or Checker(session, today)


def forget(session: Session, nomination: Nomination) -> None:
    """Tell the batch's Checker, if any, that ``nomination``'s facts changed."""
    shared: _Batch | None = session.info.get(_BATCH)
    if shared is not None:
        shared.checker.forget(nomination)


def _nominations(session: Session, ids: list[int]) -> list[Nomination]:
    """The nominations among ``ids`` (those already loaded are not read again)."""
    return _held_or_read(session, Nomination, _NOMINATIONS, set(ids))
