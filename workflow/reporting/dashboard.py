"""The Office dashboard (bảng tổng hợp) of one campaign: pure aggregation, no Flask.

Who takes part and what "submitted on time" means: see ``workflow.campaigns.participation``. The
latest sent report of a unit gives its target figures. Nominations count once sent to the
Department, which is exactly what the Office queue lists, so every figure matches the list
it links to.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import Select, and_, bindparam, case, func, or_, select, true
from sqlalchemy.orm import Session

from models import (
    AwardType,
    Campaign,
    Dossier,
    Nomination,
    Report,
    ReportFigure,
    Revocation,
    Target,
    Unit,
    utcnow,
)
from models.clock import local_day
from workflow.campaigns.participation import (
    STATUSES,
    SUBMISSION_KINDS,
    Contact,
    Submission,
    SubmissionCounts,
    UnitInfo,
    campaign_submissions,
    heads_of,
    name_key,
    participants,
    participants_statement,
    unit_infos,
)
from workflow.campaigns.targets import is_met
from workflow.core.actors import Actor
from workflow.core.authz import visible_dossiers
from workflow.core.kept import Kept
from workflow.core.registry import WORKFLOWS, derived, states_where

RESULTS = ("met", "not_met", "no_figure")
RESULT_LABELS = {
    "met": ("Đạt", "Met"),
    "not_met": ("Chưa đạt", "Not met"),
    "no_figure": ("Chưa có số liệu", "No figure"),
}


@derived
def published_state() -> str:
    """The nomination state whose outcome is public, behind the dashboard's figures of
    published nominations and their lists (one state, since a link filters on one)."""
    (name,) = states_where(lambda s: s.public)["nomination"]
    return name


# Sent nominations still on their way: not published, rejected or withdrawn.
@derived
def closed_states() -> tuple[str, ...]:
    """The nomination states no one acts on any more (terminal in the definition)."""
    return states_where(lambda s: s.terminal)["nomination"]


_D, _N, _R, _U = Dossier.__table__, Nomination.__table__, Report.__table__, Unit.__table__
_A, _F = AwardType.__table__, ReportFigure.__table__


def today_local(now: dt.datetime | None = None) -> dt.date:
    """Today in Việt Nam (due dates are local days)."""
    return local_day(now or utcnow())


# The choices of default_campaign in turn, the year bound as ``year``: built once.
_DEFAULT_CAMPAIGNS = tuple(
    select(Campaign).where(*where).order_by(Campaign.year.desc(), Campaign.id.desc()).limit(1)
    for where in (
        (
            Campaign.kind == "annual",
            Campaign.year == bindparam("year"),
            Campaign.active.is_(True),
        ),
        (Campaign.active.is_(True),),
        (true(),),
    )
)


def default_campaign(session: Session, today: dt.date) -> Campaign | None:
    """The active annual campaign of this year, else the newest active one, else the newest."""
    for stmt in _DEFAULT_CAMPAIGNS:
        found = session.scalars(stmt, {"year": today.year}).first()
        if found is not None:
            return found
    return None


def ad_hoc_condition(campaign: Campaign):
    """Nominations of ``campaign`` that are ad-hoc: flagged so, or all of an ad-hoc campaign."""
    return true() if campaign.is_ad_hoc else _N.c.ad_hoc.is_(True)


def _campaigns_of_year(year: int, *where) -> Select:
    return select(Campaign.id).where(Campaign.year == year, *where)


def year_ad_hoc_condition(year: int):
    """Nominations of the year's campaigns that are ad-hoc: flagged so, or in an ad-hoc
    campaign (the same rule as one campaign's, across all of them)."""
    return or_(
        _N.c.ad_hoc.is_(True),
        _D.c.campaign_id.in_(_campaigns_of_year(year, Campaign.kind == "ad_hoc")),
    )


def direct_condition():
    """Individuals marked as direct workers (người lao động trực tiếp)."""
    return and_(_N.c.nominee_kind == "individual", _N.c.direct_worker.is_(True))


# --- targets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A unit's figure for one target and whether it meets it (None: nothing to judge)."""

    value: object | None
    baseline: object | None
    met: bool | None

    @property
    def result(self) -> str:
        return {True: "met", False: "not_met"}.get(self.met, "no_figure")


@dataclass(frozen=True)
class TargetRow:
    """One target across the participating units."""

    target: Target
    counts: dict[str, int]


_TARGETS = (
    select(Target)
    .where(Target.campaign_id == bindparam("campaign"))
    .order_by(Target.position, Target.id)
)


def campaign_targets(session: Session, campaign: Campaign) -> list[Target]:
    """The campaign's targets in their order."""
    return list(session.scalars(_TARGETS, {"campaign": campaign.id}))


def _latest_reports(campaign: Campaign):
    return _latest_of(campaign.id, participants(campaign))


def _latest_of(campaign_id, units: Select):
    # The latest sent, not withdrawn report of each participating unit.
    return (
        select(_D.c.unit_id, func.max(_D.c.id).label("report_id"))
        .where(
            _D.c.campaign_id == campaign_id,
            _D.c.kind == "report",
            _D.c.sent_at.is_not(None),
            _D.c.state.not_in(states_where(lambda s: s.retracted)["report"]),
            _D.c.unit_id.in_(units),
        )
        .group_by(_D.c.unit_id)
        .subquery()
    )


def unit_figures(
    session: Session, campaign: Campaign, targets: list[Target]
) -> dict[int, dict[int, Figure]]:
    """unit id → target id → figure, from each participating unit's latest sent report."""
    by_id = {t.id: t for t in targets}
    latest = _latest_reports(campaign)
    rows = session.execute(
        select(latest.c.unit_id, _F.c.target_id, _F.c.value, _F.c.baseline).join(
            _F, _F.c.report_id == latest.c.report_id
        )
    )
    figures: dict[int, dict[int, Figure]] = {}
    for unit_id, target_id, value, baseline in rows:
        if target_id in by_id:
            met = is_met(by_id[target_id], value, baseline)
            figures.setdefault(unit_id, {})[target_id] = Figure(value, baseline, met)
    return figures


@derived
def _target_counts(all_units: bool) -> Select:
    """The statement of :func:`target_rows`, the campaign bound as ``campaign``: built once
    per set of lifecycles for each way a campaign chooses its units."""
    latest = _latest_of(bindparam("campaign"), participants_statement(all_units))
    return (
        select(_F.c.target_id, _F.c.value, _F.c.baseline, func.count())
        .join(latest, _F.c.report_id == latest.c.report_id)
        .group_by(_F.c.target_id, _F.c.value, _F.c.baseline)
    )


def target_rows(
    session: Session, campaign: Campaign, targets: list[Target], expected: int
) -> list[TargetRow]:
    """Met / not met / no figure per target over the participating units; a unit without a
    figure that can be judged counts as "no figure". The database counts each distinct
    (target, figure, baseline) once, and ``is_met`` judges it: few rows, the one rule."""
    if not targets:
        return []
    by_id = {t.id: t for t in targets}
    stmt = _target_counts(bool(campaign.all_units))
    counts = {t.id: dict.fromkeys(RESULTS, 0) for t in targets}
    for target_id, value, baseline, n in session.execute(stmt, {"campaign": campaign.id}).all():
        if target_id in by_id:
            met = is_met(by_id[target_id], value, baseline)
            if met is not None:
                counts[target_id]["met" if met else "not_met"] += n
    for per_target in counts.values():
        per_target["no_figure"] = expected - per_target["met"] - per_target["not_met"]
    return [TargetRow(t, counts[t.id]) for t in targets]


# --- nominations ---------------------------------------------------------------------------


class Count(NamedTuple):
    """A labelled count: ``key`` is a state name, an award type id or a unit id."""

    key: object
    label_vi: str
    label_en: str
    count: int


# The unit chart shows the units with the most nominations: the dashboard reads only these.
TOP_UNITS = 15


@dataclass
class NominationFigures:
    """Nominations of the campaign sent to the Department."""

    by_state: list[Count] = field(default_factory=list)
    by_award: list[Count] = field(default_factory=list)
    # Most first; only the first ones when the figures were read for a top (``units`` counts all).
    by_unit: list[Count] = field(default_factory=list)
    units: int = 0  # units with a nomination sent
    published_individuals: int = 0
    published_direct: int = 0
    ad_hoc_published: int = 0
    ad_hoc_in_progress: int = 0
    # Of the published, revoked later: the published counts stay (they are history).
    published_revoked: int = 0

    @property
    def total(self) -> int:
        return sum(c.count for c in self.by_state)

    @property
    def published(self) -> int:
        return sum(c.count for c in self.by_state if c.key == published_state())

    @property
    def direct_share(self) -> float | None:
        """Share (0–1) of commended individuals who are direct workers; None when none yet."""
        if not self.published_individuals:
            return None
        return self.published_direct / self.published_individuals


def revoked_condition():
    """The nomination's award was revoked (thu hồi): it stays published, and is counted among
    the published, with this figure beside it."""
    # The table's column, not the ORM attribute: a Core statement skips the ORM's row loading.
    return _D.c.id.in_(select(Revocation.__table__.c.dossier_id))


def _sent_nominations(campaign: Campaign, *columns) -> Select:
    return _sent_in(_D.c.campaign_id == campaign.id, *columns)


def _sent_in(scope, *columns) -> Select:
    return (
        select(*columns)
        .select_from(_D.join(_N, _N.c.id == _D.c.id))
        .where(scope, _D.c.sent_at.is_not(None))
    )


def nomination_figures(
    session: Session, campaign: Campaign, top_units: int | None = None
) -> NominationFigures:
    """The nominations of ``campaign`` sent to the Department (see ``_figures``); of the
    units, the ``top_units`` with the most (every unit when None)."""
    by_state, by_unit = _campaign_figures(bool(campaign.is_ad_hoc), top_units is not None)
    params = {"campaign": campaign.id, "top": top_units}
    return _figures(session, by_state, by_unit, params)


@derived
def _campaign_figures(ad_hoc_campaign: bool, top: bool) -> tuple[Select, Select]:
    """The statements of :func:`nomination_figures`, the campaign bound as ``campaign`` (and
    the number of units as ``top``): built once per set of lifecycles for ad-hoc campaigns
    and for the others, with a top of units or every unit."""
    ad_hoc = true() if ad_hoc_campaign else _N.c.ad_hoc.is_(True)
    scope = _D.c.campaign_id == bindparam("campaign")
    by_unit = _units_statement(scope)
    return _figures_statement(scope, ad_hoc), by_unit.limit(bindparam("top")) if top else by_unit


def year_nomination_figures(session: Session, year: int) -> NominationFigures:
    """The nominations of every campaign of ``year`` sent to the Department: the whole year's
    ad-hoc commendations and direct-worker share, which no single campaign holds."""
    scope = _D.c.campaign_id.in_(_campaigns_of_year(year))
    stmt = _figures_statement(scope, year_ad_hoc_condition(year))
    return _figures(session, stmt, _units_statement(scope), {})


def _figures_statement(scope, ad_hoc) -> Select:
    """One pass over the nominations sent within ``scope``, grouped by (state, award) and
    named by the award type: the figures by state and by award of :func:`_figures`, a few
    dozen rows however many nominations."""
    one = lambda cond: func.sum(case((cond, 1), else_=0))  # noqa: E731
    # The kind, implied by the join, lets the campaign's index cover the dossiers' side.
    grouped = (
        _sent_in(
            and_(scope, _D.c.kind == "nomination"),
            _D.c.state,
            _N.c.award_type_id,
            func.count().label("n"),
            one(ad_hoc).label("ad_hoc"),
            one(_N.c.nominee_kind == "individual").label("individual"),
            one(direct_condition()).label("direct"),
            one(revoked_condition()).label("revoked"),
        )
        .group_by(_D.c.state, _N.c.award_type_id)
        .subquery()
    )
    g = grouped.c
    sums = (g.n, g.ad_hoc, g.individual, g.direct, g.revoked)
    award = (_A.c.id, _A.c.name_vi, _A.c.name_en)
    return select(g.state, *award, *sums).join(_A, _A.c.id == g.award_type_id)


def _units_statement(scope) -> Select:
    """The units with nominations sent within ``scope``: id, name, how many, and how many
    such units in all; most first, then in the database's order of names."""
    # The dossier's kind says it is a nomination: its counts per unit need no join.
    counted = (
        select(_D.c.unit_id, func.count().label("n"))
        .where(scope, _D.c.kind == "nomination", _D.c.sent_at.is_not(None))
        .group_by(_D.c.unit_id)
        .subquery()
    )
    return (
        select(_U.c.id, _U.c.name, counted.c.n, func.count().over())
        .join(counted, counted.c.unit_id == _U.c.id)
        .order_by(counted.c.n.desc(), _U.c.name, _U.c.id)
    )


def _figures(session: Session, stmt: Select, by_unit: Select, params: dict) -> NominationFigures:
    """By state (lifecycle order), by award type and by unit (most first), and the
    direct-worker and ad-hoc figures, from ``stmt`` (:func:`_figures_statement`) and
    ``by_unit`` (:func:`_units_statement`)."""
    wdef, figures = WORKFLOWS["nomination"], NominationFigures()
    states: dict[str, list[int]] = {}
    awards: dict[int, Count] = {}
    for state, award_id, vi, en, *row in session.execute(stmt, params):
        row = [int(v or 0) for v in row]  # n, ad-hoc, individuals, direct, revoked
        sums = states.setdefault(state, [0, 0, 0, 0, 0])
        for i, v in enumerate(row):
            sums[i] += v
        known = awards.get(award_id)
        awards[award_id] = Count(award_id, vi, en, row[0] + (known.count if known else 0))
    figures.by_state = [
        Count(s.name, s.label_vi, s.label_en, states[s.name][0])
        for s in wdef.states
        if s.name in states
    ]
    (
        figures.ad_hoc_published,
        figures.published_individuals,
        figures.published_direct,
        figures.published_revoked,
    ) = states.get(published_state(), [0, 0, 0, 0, 0])[1:]
    figures.ad_hoc_in_progress = sum(v[1] for s, v in states.items() if s not in closed_states())
    figures.by_award = sorted(awards.values(), key=lambda c: (-c.count, c.label_vi))
    for uid, name, n, units in session.execute(by_unit, params):
        figures.by_unit.append(Count(uid, name, name, n))
        figures.units = units
    return figures


# --- the whole year ----------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignRow:
    """One campaign of the year: its nominations sent, published and ad-hoc."""

    campaign: Campaign
    sent: int
    published: int
    ad_hoc: int
    revoked: int = 0  # of the published, revoked later


@dataclass
class YearBoard:
    """Every campaign of a year together: what the plan's priorities are counted on."""

    year: int
    figures: NominationFigures
    campaigns: list[CampaignRow]


def campaign_years(session: Session) -> list[int]:
    """The years that have a campaign, newest first."""
    return list(session.scalars(select(Campaign.year).distinct().order_by(Campaign.year.desc())))


def year_dashboard(session: Session, year: int) -> YearBoard:
    """The year's figures across campaigns, and each campaign's share of them."""
    one = lambda cond: func.sum(case((cond, 1), else_=0))  # noqa: E731
    stmt = _sent_in(
        _D.c.campaign_id.in_(_campaigns_of_year(year)),
        _D.c.campaign_id,
        func.count(),
        one(_D.c.state == published_state()),
        one(year_ad_hoc_condition(year)),
        one(revoked_condition()),
    ).group_by(_D.c.campaign_id)
    counts = {
        cid: (n, int(p or 0), int(a or 0), int(r or 0)) for cid, n, p, a, r in session.execute(stmt)
    }
    campaigns = session.scalars(
        select(Campaign).where(Campaign.year == year).order_by(Campaign.name)
    )
    rows = [CampaignRow(c, *counts.get(c.id, (0, 0, 0, 0))) for c in campaigns]
    rows.sort(key=lambda r: (-r.sent, name_key(r.campaign.name)))
    return YearBoard(year, year_nomination_figures(session, year), rows)


# --- the unit table ----------------------------------------------------------------------


@dataclass
class UnitLine:
    """One participating unit: its plan and report, figures, nominations and heads."""

    unit: UnitInfo
    plan: Submission
    report: Submission
    heads: list[Contact]
    figures: dict[int, Figure] = field(default_factory=dict)
    classification: str | None = None
    nominations_sent: int = 0
    nominations_published: int = 0

    def submission(self, kind: str) -> Submission:
        return self.plan if kind == "plan" else self.report

    def result(self, target_id: int) -> str:
        figure = self.figures.get(target_id)
        return figure.result if figure else "no_figure"


def _per_unit_nominations(session: Session, campaign: Campaign) -> dict[int, tuple[int, int]]:
    stmt = _sent_nominations(
        campaign,
        _D.c.unit_id,
        func.count(),
        func.sum(case((_D.c.state == published_state(), 1), else_=0)),
    ).group_by(_D.c.unit_id)
    return {uid: (n, int(p or 0)) for uid, n, p in session.execute(stmt)}


def unit_lines(
    session: Session, campaign: Campaign, today: dt.date, targets: list[Target] | None = None
) -> list[UnitLine]:
    """Every participating unit, in Vietnamese alphabetical order of name."""
    sent = campaign_submissions(session, campaign, today)
    plans, reports = sent["plan"], sent["report"]
    targets = campaign_targets(session, campaign) if targets is None else targets
    figures = unit_figures(session, campaign, targets)
    units = participants(campaign)
    infos, heads = unit_infos(session, units), heads_of(session, units)
    report_ids = [s.dossier_id for s in reports.values() if s.dossier_id]
    classes = (
        {
            rid: cls
            for rid, cls in session.execute(
                select(_R.c.id, _R.c.classification).where(_R.c.id.in_(report_ids))
            )
        }
        if report_ids
        else {}
    )
    nominations = _per_unit_nominations(session, campaign)
    lines = [
        UnitLine(
            infos[uid],
            plans[uid],
            reports[uid],
            heads.get(uid, []),
            figures.get(uid, {}),
            classes.get(reports[uid].dossier_id),
            *nominations.get(uid, (0, 0)),
        )
        for uid in plans
        if uid in infos
    ]
    lines.sort(key=lambda line: (name_key(line.unit.name), line.unit.id))
    return lines


def filter_lines(
    lines: list[UnitLine],
    kind: str | None = None,
    status: str | None = None,
    target_id: int | None = None,
    result: str | None = None,
) -> list[UnitLine]:
    """The lines behind one dashboard figure: a plan/report status, or a target's result."""
    if kind in SUBMISSION_KINDS and status in STATUSES:
        lines = [line for line in lines if line.submission(kind).status == status]
    if target_id is not None and result in RESULTS:
        lines = [line for line in lines if line.result(target_id) == result]
    return lines


# --- the whole dashboard -------------------------------------------------------------------


@dataclass(frozen=True)
class ChaseRow:
    """A unit that has not sent its plan or report, with whom to call."""

    unit: UnitInfo
    plan: str
    report: str
    heads: list[Contact]

    @property
    def overdue(self) -> bool:
        return "missing" in (self.plan, self.report)


@dataclass
class Dashboard:
    """Every figure of one campaign's dashboard."""

    campaign: Campaign
    today: dt.date
    plans: SubmissionCounts
    reports: SubmissionCounts
    targets: list[TargetRow]
    nominations: NominationFigures
    chase: list[ChaseRow]
    overdue_units: int
    as_of: dt.datetime = field(compare=False)  # when the figures were read (UTC)

    @property
    def expected(self) -> int:
        return self.plans.expected


def chase_rows(
    session: Session,
    plans: dict[int, Submission],
    reports: dict[int, Submission],
    limit: int | None = None,
) -> tuple[list[ChaseRow], int]:
    """Units overdue with their plan or report (missing), in Vietnamese order, at most
    ``limit`` of them, with their heads; and how many units are overdue in all."""
    overdue = [uid for uid in plans if "missing" in (plans[uid].status, reports[uid].status)]
    infos = unit_infos(session, overdue)
    overdue.sort(key=lambda uid: (name_key(infos[uid].name), uid))
    shown = overdue if limit is None else overdue[:limit]
    heads = heads_of(session, shown)
    rows = [
        ChaseRow(infos[uid], plans[uid].status, reports[uid].status, heads.get(uid, []))
        for uid in shown
    ]
    return rows, len(overdue)


# Boards of the campaigns the Office is looking at.
_boards = Kept(64)
# The share of a process's time that reading a board again may take while it is viewed.
RECOUNT_SHARE = 0.02


def campaign_dashboard(
    session: Session,
    campaign: Campaign,
    today: dt.date | None = None,
    chase_limit: int = 10,
    max_age: float = 0.0,
) -> Dashboard:
    """The figures of ``campaign``'s dashboard on ``today`` (Việt Nam's today by default).

    With ``max_age`` (seconds) the board is kept in the process and shown again, as of when it
    was read (``as_of``), for as long as reading it took over ``RECOUNT_SHARE`` (fifty times as
    long), at most ``max_age``: a small Department's board, read in milliseconds, is as good as
    fresh; a city's campaign of a hundred thousand nominations (about 0.15 s of the database's
    work) is read again about every 7 s by each process, however many times the Office looks
    on deadline day. An edit of the campaign itself is shown at once."""
    today = today or today_local()
    if max_age <= 0:
        return _board(session, campaign, today, chase_limit)
    kept = _boards.recent(
        session,
        (campaign.id, campaign.version, today, chase_limit),
        lambda s: _board(s, campaign, today, chase_limit),
        RECOUNT_SHARE,
        max_age,
    )
    return dataclasses.replace(kept.value, campaign=campaign)


def _board(session: Session, campaign: Campaign, today: dt.date, chase_limit: int) -> Dashboard:
    as_of = utcnow()
    sent = campaign_submissions(session, campaign, today)
    plans, reports = sent["plan"], sent["report"]
    rows = target_rows(session, campaign, campaign_targets(session, campaign), len(reports))
    chase, overdue = chase_rows(session, plans, reports, chase_limit)
    return Dashboard(
        campaign,
        today,
        SubmissionCounts.of("plan", plans.values()),
        SubmissionCounts.of("report", reports.values()),
        rows,
        nomination_figures(session, campaign, TOP_UNITS),
        chase,
        overdue,
        as_of,
    )


def nomination_conditions(
    campaign: Campaign,
    *,
    state: str | None = None,
    award_type_id: int | None = None,
    unit_id: int | None = None,
    ad_hoc: bool = False,
    direct: bool | None = None,
    nominee_kind: str | None = None,
    in_progress: bool = False,
) -> list:
    """WHERE terms (on the dossier and nomination tables) of the nominations behind a figure;
    the dashboard's list page applies them, so list and figure agree."""
    terms = [_D.c.campaign_id == campaign.id, _D.c.kind == "nomination", _D.c.sent_at.is_not(None)]
    optional = [
        (state is not None, _D.c.state == state),
        (award_type_id is not None, _N.c.award_type_id == award_type_id),
        (unit_id is not None, _D.c.unit_id == unit_id),
        (ad_hoc, ad_hoc_condition(campaign)),
        (direct is True, direct_condition()),
        (direct is False, _N.c.direct_worker.is_(False)),
        (nominee_kind is not None, _N.c.nominee_kind == nominee_kind),
        (in_progress, _D.c.state.not_in(closed_states())),
    ]
    return terms + [term for wanted, term in optional if wanted]


def nominations_behind(actor: Actor, campaign: Campaign, **filters) -> Select:
    """The nominations behind a figure (see :func:`nomination_conditions`) that ``actor``
    may see, oldest sent first."""
    return (
        select(Nomination)
        .where(visible_dossiers(actor), *nomination_conditions(campaign, **filters))
        .order_by(Nomination.sent_at, Nomination.id)
    )
