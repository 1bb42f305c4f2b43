"""Work lists computed from the lifecycles: a person's "Việc cần làm" and the Office queue.

A person's queues are never a hand-written table of "who does what": they come from the
workflow definitions (which states a role can move forward from) and, for each dossier,
from ``engine.available`` (what this person may fire on it now).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, literal, or_, select
from sqlalchemy.orm import Session, aliased, with_polymorphic

from models import AuditEvent, AwardType, Campaign, Dossier, Nomination, Plan, Report, Unit
from models.clock import local_day, utcnow
from models.text import fold, person_sort_key, vi_sort_key
from workflow.accounts import unit_admin
from workflow.awards import eligibility
from workflow.campaigns.participation import name_key
from workflow.core.actors import Actor
from workflow.core.authz import holds_role_of, reviewed_by_office, visible_dossiers
from workflow.core.engine import available
from workflow.core.errors import Violation
from workflow.core.judged import together
from workflow.core.kept import Kept
from workflow.core.registry import WORKFLOWS, all_state_names, derived, kind_in
from workflow.core.registry import queues as registered_queues
from workflow.core.spec import TransitionDef
from workflow.dossiers import returns

# Every kind's columns in one query (outer joins), so a list never loads rows one by one.
ANY_DOSSIER = with_polymorphic(Dossier, [Nomination, Plan, Report])


@derived
def office_default_state() -> str | None:
    """The state the Office queue opens on: the first, in the lifecycles' order, from which
    an Office reviewer moves a dossier forward (where the Department's review starts)."""
    for name in all_state_names():
        for wdef in WORKFLOWS.values():
            if any(t.forward and reviewed_by_office(t) for t in wdef.transitions_from(name)):
                return name
    return None


def forward_transitions(actor: Actor) -> dict[str, tuple[TransitionDef, ...]]:
    """Per kind, the forward transitions one of the actor's roles may fire."""
    return {
        kind: tuple(t for t in wdef.transitions if t.forward and holds_role_of(actor, t))
        for kind, wdef in WORKFLOWS.items()
    }


def actionable_states(actor: Actor) -> dict[str, frozenset[str]]:
    """Per kind, the states from which the actor could move a dossier forward (by role only)."""
    return {
        kind: frozenset(s for t in tdefs for s in t.sources)
        for kind, tdefs in forward_transitions(actor).items()
        if tdefs
    }


@derived
def _kept_candidates() -> Kept:
    # A new store whenever the lifecycles change (``derived``).
    return Kept(1024)


def _candidates(actor: Actor) -> ColumnElement[bool]:
    """Visible dossiers in a state the actor's roles can move forward from; the rows of a list
    not yet sent are not among them (the list moves them, and is itself on the list).

    The clause depends on the actor's grants and the lifecycles only, and costs more to build
    than the query it narrows: it is kept per grants (a clause is never changed once built)."""
    return _kept_candidates().value(actor.grants, lambda: _built_candidates(actor))


def _built_candidates(actor: Actor) -> ColumnElement[bool]:
    by_kind = [
        kind_in(ANY_DOSSIER.kind, ANY_DOSSIER.state, kind, states)
        for kind, states in actionable_states(actor).items()
    ]
    if not by_kind:
        return false()
    return and_(visible_dossiers(actor), or_(*by_kind), ~_row_of_unsent_list())


_LIST = aliased(Dossier)


def _row_of_unsent_list() -> ColumnElement[bool]:
    return exists().where(_LIST.id == ANY_DOSSIER.Nomination.proposal_id, _LIST.sent_at.is_(None))


@dataclass
class TodoRow:
    """A dossier waiting for the person, with the forward actions they may take on it."""

    dossier: Dossier
    actions: list[TransitionDef]
    # Rules that do not hold yet for every forward action (empty: ready to go); None when
    # they were not evaluated (a row past those a page shows).
    blocking: list[Violation] | None = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.blocking


@dataclass
class Queue:
    """One queue of the home page."""

    key: str
    label_vi: str
    label_en: str
    rows: list[TodoRow]

    @property
    def count(self) -> int:
        return len(self.rows)


def todo_row(
    session: Session,
    dossier: Dossier,
    actor: Actor,
    now: dt.datetime | None = None,
    *,
    rules: bool = True,
) -> TodoRow | None:
    """The to-do row of ``dossier`` for ``actor``, or None when no forward action is theirs.
    ``rules=False``: the actions only (``blocking`` None), without the rules' queries."""
    forward = [
        (t, problems)
        for t, problems in available(session, dossier, actor, now, rules=rules)
        if t.forward
    ]
    if not forward:
        return None
    if not rules:
        return TodoRow(dossier, [t for t, _ in forward], None)
    ready = any(not problems for _, problems in forward)
    blocking = [] if ready else [p for _, problems in forward for p in problems]
    return TodoRow(dossier, [t for t, _ in forward], blocking)


def my_queues(
    session: Session, actor: Actor, now: dt.datetime | None = None, evaluate: int | None = None
) -> list[Queue]:
    """The person's non-empty queues: every dossier on which ``available`` offers them a
    forward action, in the queue its state belongs to; oldest change first.

    ``evaluate``: check the rules (what still blocks each row) for the first that many rows
    of each queue only, the ones a page shows; a queue of thousands then costs no guard query
    per row.
    """
    now = now or utcnow()  # one moment for the whole list, not one per row and transition
    stmt = (
        select(ANY_DOSSIER)
        .where(_candidates(actor))
        .order_by(ANY_DOSSIER.updated_at, ANY_DOSSIER.id)
    )
    dossiers = session.scalars(stmt).unique().all()
    if evaluate is None:
        rows = [
            row
            for dossier in dossiers
            if (row := todo_row(session, dossier, actor, now)) is not None
        ]
    else:
        rows = _first_evaluated(session, dossiers, actor, now, evaluate)
    by_queue: dict[str, list[TodoRow]] = {}
    for row in rows:
        by_queue.setdefault(_queue_key(row.dossier), []).append(row)
    return [
        Queue(qdef.key, qdef.label_vi, qdef.label_en, by_queue[qdef.key])
        for qdef in registered_queues()
        if by_queue.get(qdef.key)
    ]


def _queue_key(dossier: Dossier) -> str:
    # Every state one can move forward from has a queue (WorkflowDef.validate).
    return WORKFLOWS[dossier.kind].state(dossier.state).queue.key


def _first_evaluated(
    session: Session,
    dossiers: Sequence[Dossier],
    actor: Actor,
    now: dt.datetime,
    evaluate: int,
) -> list[TodoRow]:
    """The to-do rows of ``dossiers``, the rules checked for the first ``evaluate`` rows of
    each queue only: each dossier is judged once, with its rules while its queue has room.

    The rules add no condition on which actions are offered (only the cheap guards that decide
    applicability do, and they run either way), so a row is on the list with or without them.
    The rows expected to be shown, the first ``evaluate`` of each queue, share one eligibility
    Checker whose facts are read for all of them at once (as on the Office queue), and any read
    a guard makes per dossier (``judged.together``); a row let in because one before it offers
    no action is checked on its own."""
    keyed = [(dossier, _queue_key(dossier)) for dossier in dossiers]
    likely: dict[str, list[int]] = {}
    for dossier, key in keyed:
        ids = likely.setdefault(key, [])
        if len(ids) < evaluate:
            ids.append(dossier.id)
    shown: dict[str, int] = {}
    rows = []
    day = local_day(now)
    judged = [i for ids in likely.values() for i in ids]
    with eligibility.batch(session, day, judged), together(session, judged):
        for dossier, key in keyed:
            room = shown.get(key, 0) < evaluate
            row = todo_row(session, dossier, actor, now, rules=room)
            if row is not None:
                rows.append(row)
                shown[key] = shown.get(key, 0) + room
    return rows


# --- the Office queue --------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeFilter:
    """What the Office queue is narrowed to. ``state`` None means every state; ``answered``:
    only the dossiers whose unit replied to a return."""

    campaign_id: int | None = None
    award_type_id: int | None = None
    unit_id: int | None = None
    state: str | None = field(default_factory=office_default_state)
    kind: str | None = None
    text: str = ""
    answered: bool = False


# Sort keys of the Office queue. "sent" is sorted by the database; the others need
# Vietnamese alphabetical order (or the lifecycle's order of states), which SQL cannot give.
OFFICE_SORTS = ("sent", "unit", "nominee", "state")
SQL_SORTS = {"sent": ANY_DOSSIER.sent_at}


class UnitChoice(NamedTuple):
    """A unit among the Office queue's filter choices."""

    id: int
    name: str


def _sorted_units(session: Session) -> tuple[UnitChoice, ...]:
    # The units a dossier may come from (not the Department itself), in Vietnamese order.
    rows = session.execute(select(Unit.id, Unit.name).where(Unit.kind != "department"))
    return tuple(sorted((UnitChoice(*row) for row in rows), key=lambda u: name_key(u.name)))


def _newest_event(*entity_types: str):
    # The newest audit event of these kinds, by its hash: a sequence number may come again
    # after a rollback, a hash does not.
    return (
        select(AuditEvent.hash)
        .where(AuditEvent.entity_type.in_(entity_types))
        .order_by(AuditEvent.seq.desc())
        .limit(1)
        .scalar_subquery()
    )


def _counted(model: type) -> tuple:
    return (
        select(func.count()).select_from(model).scalar_subquery(),
        select(func.max(model.id)).scalar_subquery(),
    )


def _versioned(model: type) -> tuple:
    # Every update of a campaign or an award type moves its ``version`` (the ORM's
    # version_id_col), so their sum moves too.
    return (*_counted(model), select(func.sum(model.version)).scalar_subquery())


# What changes whenever a unit, a campaign or an award type does: a row added or removed moves
# a count or a highest id, an update of a campaign or an award type its version, and every
# change of each of the three is audited, which moves the newest event of those kinds. Built
# once: the Office queue asks on every page, and building it cost as much as running it.
_CHOICES_VERSION = select(
    *_counted(Unit),
    *_versioned(Campaign),
    *_versioned(AwardType),
    _newest_event(unit_admin.KIND.entity_type, "campaign", "award_type"),
)


def filter_choices_version(session: Session) -> tuple:
    """What changes whenever a unit, a campaign or an award type does, in one statement."""
    return tuple(session.execute(_CHOICES_VERSION).one())


class CampaignChoice(NamedTuple):
    id: int
    name: str


class AwardChoice(NamedTuple):
    id: int
    name_vi: str
    name_en: str


def _read_filter_choices(session: Session) -> tuple:
    campaigns = session.execute(
        select(Campaign.id, Campaign.name).order_by(Campaign.year.desc(), Campaign.name)
    )
    awards = session.execute(
        select(AwardType.id, AwardType.name_vi, AwardType.name_en)
        .where(AwardType.active.is_(True))
        .order_by(AwardType.name_vi)
    )
    return (
        tuple(CampaignChoice(*row) for row in campaigns),
        tuple(AwardChoice(*row) for row in awards),
        _sorted_units(session),
    )


_kept_choices = Kept(4)  # one set per database; a new version ages the old one out


@derived
def _office_state_choices() -> tuple[tuple[str, str], ...]:
    """(state, its first kind) of every state a dossier is in once created."""
    states: dict[str, str] = {}
    for kind, wdef in WORKFLOWS.items():
        for name in wdef.state_names:
            if name != wdef.initial:
                states.setdefault(name, kind)
    return tuple(states.items())


def office_filter_options(session: Session) -> dict[str, list]:
    """Choices of the Office queue's filters: campaigns (id, name), active award types (id,
    name_vi, name_en), units, (state, kind), kinds. The database's part is kept per process
    and read again only when :func:`filter_choices_version` moves (one statement a page)."""
    campaigns, awards, units = _kept_choices.get(
        session, filter_choices_version(session), _read_filter_choices
    )
    return {
        "campaigns": campaigns,
        "awards": awards,
        "units": units,
        "states": list(_office_state_choices()),
        "kinds": list(WORKFLOWS),
    }


def office_queue(actor: Actor, filters: OfficeFilter) -> Select:
    """Dossiers sent to the Department that ``actor`` may see, narrowed by ``filters``
    (all but the text, which :func:`ordered_ids` applies); oldest sent first."""
    stmt = (
        select(ANY_DOSSIER)
        .join(Unit, Unit.id == ANY_DOSSIER.unit_id)
        .where(visible_dossiers(actor), ANY_DOSSIER.sent_at.is_not(None))
    )
    conditions = {
        "campaign_id": ANY_DOSSIER.campaign_id == filters.campaign_id,
        "award_type_id": ANY_DOSSIER.Nomination.award_type_id == filters.award_type_id,
        "unit_id": ANY_DOSSIER.unit_id == filters.unit_id,
        # Written into the SQL, as ``kind_in`` does: a handful of names, each planned once.
        "state": ANY_DOSSIER.state == literal(filters.state, literal_execute=True),
        "kind": ANY_DOSSIER.kind == literal(filters.kind, literal_execute=True),
    }
    for name, condition in conditions.items():
        if getattr(filters, name) is not None:
            stmt = stmt.where(condition)
    if filters.answered:
        stmt = stmt.where(returns.answered(ANY_DOSSIER.id))
    return stmt.order_by(ANY_DOSSIER.sent_at, ANY_DOSSIER.id)


def office_count(session: Session, stmt: Select) -> int:
    """How many dossiers :func:`office_queue`'s ``stmt`` finds: counted over its own joins
    (one row each), not over a subquery of every column of every kind."""
    counted = stmt.order_by(None).with_only_columns(func.count(), maintain_column_froms=True)
    return session.scalar(counted) or 0


class OfficePage(NamedTuple):
    """One page of the Office queue: its dossiers, how many the whole queue holds, the page's
    number (the last one when the page asked for is past the end), and which of its dossiers
    were answered by their unit (``returns.answered``)."""

    dossiers: list[Dossier]
    total: int
    page: int
    answered: set[int]


def office_page(
    session: Session,
    stmt: Select,
    page: int,
    per_page: int,
    column: ColumnElement | None = None,
    descending: bool = False,
) -> OfficePage:
    """Page ``page`` of :func:`office_queue`'s ``stmt`` sorted by ``column`` (when sent, by
    default) then id, with the count of the whole queue and the page's answered dossiers: one
    statement, or two more for a page past the end. The page and the count come from the
    queue's narrow rows (a window over ids and sort keys, which its indexes give); only the
    page's dossiers are joined to the columns of every kind, their unit and their award."""
    column = ANY_DOSSIER.sent_at if column is None else column
    narrow = (
        stmt.order_by(None)
        .with_only_columns(
            ANY_DOSSIER.id,
            column.label("sort_key"),
            func.count().over().label("total"),
            maintain_column_froms=True,
        )
        .order_by(column.desc() if descending else column.asc(), ANY_DOSSIER.id)
        .limit(literal(per_page, literal_execute=True))
        .offset(literal((page - 1) * per_page, literal_execute=True))
        .subquery()
    )
    key = narrow.c.sort_key
    wide = (
        select(ANY_DOSSIER, narrow.c.total, returns.answered(ANY_DOSSIER.id))
        .join(narrow, narrow.c.id == ANY_DOSSIER.id)
        .order_by(key.desc() if descending else key.asc(), narrow.c.id)
    )
    rows = session.execute(wide).unique().all()
    if not rows:
        total = office_count(session, stmt) if page > 1 else 0
        last = max(1, -(-total // per_page))
        if page <= last:
            return OfficePage([], total, page, set())
        return office_page(session, stmt, last, per_page, column, descending)
    answered = {dossier.id for dossier, _, replied in rows if replied}
    return OfficePage([row[0] for row in rows], rows[0][1], page, answered)


def _name_key(nominee_kind: str | None, name: str) -> tuple:
    # People by given name (the last word), collectives by their whole name; same shape.
    if nominee_kind == "individual":
        return person_sort_key(name)
    return (vi_sort_key(name), ((), ()))


def ordered_ids(
    session: Session, stmt: Select, sort: str = "sent", descending: bool = False, text: str = ""
) -> list[int]:
    """Ids of ``stmt``'s dossiers whose title, nominee, position, unit or award contains
    ``text`` (ignoring diacritics and case: "dang" finds "Đặng"), in ``sort`` order."""
    needle = fold(text)
    columns = stmt.with_only_columns(
        ANY_DOSSIER.id,
        ANY_DOSSIER.sent_at,
        ANY_DOSSIER.state,
        ANY_DOSSIER.title,
        Unit.name,
        ANY_DOSSIER.Nomination.nominee_kind,
        ANY_DOSSIER.Nomination.nominee_name,
        ANY_DOSSIER.Nomination.search_key,
    )
    rows = [
        r
        for r in session.execute(columns)
        if not needle or needle in fold(" ".join(filter(None, (r.title, r.name, r.search_key))))
    ]
    order = {name: i for i, name in enumerate(all_state_names())}
    keys = {
        "sent": lambda r: (),
        "unit": lambda r: vi_sort_key(r.name),
        "nominee": lambda r: _name_key(r.nominee_kind, r.nominee_name or r.title),
        "state": lambda r: order.get(r.state, len(order)),
    }
    primary = keys.get(sort, keys["sent"])
    rows.sort(key=lambda r: (primary(r), r.sent_at, r.id), reverse=descending)
    return [r.id for r in rows]


def load_in_order(session: Session, ids: Iterable[int]) -> list[Dossier]:
    """The dossiers of ``ids``, in that order."""
    ids = list(ids)
    if not ids:
        return []
    found = {
        d.id: d
        for d in session.scalars(select(ANY_DOSSIER).where(ANY_DOSSIER.id.in_(ids))).unique()
    }
    return [found[i] for i in ids if i in found]


def iter_in_order(session: Session, ids: Sequence[int], chunk: int = 500) -> Iterator[Dossier]:
    """The dossiers of ``ids`` in that order, loaded ``chunk`` at a time."""
    for start in range(0, len(ids), chunk):
        yield from load_in_order(session, ids[start : start + chunk])
