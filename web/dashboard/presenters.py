"""What the dashboard page shows: the link behind each figure and the server-drawn charts."""

from __future__ import annotations

import functools
from typing import Any, NamedTuple
from urllib.parse import urlencode

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

from models import Campaign
from web.dashboard import charts
from web.dashboard.charts import COLORS, Bar, StackRow
from web.support.i18n import lang, pick
from web.support.templating import kind_label
from workflow.campaigns.deadlines import STATUS_LABELS
from workflow.campaigns.participation import STATUSES, SUBMISSION_KINDS
from workflow.core import authz
from workflow.core.actors import Actor
from workflow.core.kept import Kept
from workflow.reporting.dashboard import (
    RESULT_LABELS,
    RESULTS,
    TOP_UNITS,
    Dashboard,
    published_state,
)

# Arguments the Office queue filters on; a figure needing any other goes to the dashboard's list.
OFFICE_QUEUE_ARGS = frozenset({"state", "award", "unit"})


@functools.lru_cache(maxsize=4096)
def _query(pairs: tuple[tuple[str, Any], ...]) -> str:
    """The query string of ``pairs``: the same few hundred per campaign, page after page."""
    return urlencode(pairs)


class Links:
    """URLs of the lists behind the figures of one campaign, for one person. A dashboard links
    a hundred figures to three lists: each list's address is built once (``url_for``), and
    only the query differs."""

    def __init__(self, actor: Actor, campaign: Campaign) -> None:
        self.campaign_id = campaign.id
        self.office = authz.may_use_office_queue(actor)
        self._bases: dict[str, str] = {}

    def _base(self, endpoint: str) -> str:
        base = self._bases.get(endpoint)
        if base is None:
            base = self._bases[endpoint] = url_for(endpoint)
        return base

    def _url(self, endpoint: str, args: dict[str, Any]) -> str:
        return f"{self._base(endpoint)}?{_query(tuple(args.items()))}"

    def identity(self) -> tuple:
        """What the links depend on besides the figures: the campaign, whether the person
        uses the Office queue, and the three lists' addresses."""
        lists = ("office.queue", "dashboard.nominations", "dashboard.units")
        return (self.campaign_id, self.office, tuple(self._base(e) for e in lists))

    def nominations(self, **args: Any) -> str:
        """The Office queue where it can show the list (and the person may use it), else
        the dashboard's own list of nominations."""
        args = {k: v for k, v in args.items() if v is not None}
        if self.office and set(args) <= OFFICE_QUEUE_ARGS:
            return self._url(
                "office.queue",
                {"campaign": self.campaign_id, "kind": "nomination", "state": "all", **args},
            )
        return self._url("dashboard.nominations", {"campaign": self.campaign_id, **args})

    def published(self, **args: Any) -> str:
        """The list of the campaign's published nominations (narrowed by ``args``)."""
        return self.nominations(state=published_state(), **args)

    def units(self, **args: Any) -> str:
        """The dashboard's list of units (with their heads' contacts)."""
        return self._url(
            "dashboard.units",
            {"campaign": self.campaign_id, **{k: v for k, v in args.items() if v is not None}},
        )


def status_label(status: str) -> str:
    return pick(*STATUS_LABELS[status])


def result_label(result: str) -> str:
    return pick(*RESULT_LABELS[result])


class Cell(NamedTuple):
    """A figure as shown: ``key`` names it (a status, result, state, award or unit id), with
    its label, the link to the list behind it and its count."""

    key: Any
    label: str
    href: str
    count: int


class SubmissionRow(NamedTuple):
    """Plans or reports: the units expected to send them, and how many per status."""

    kind: str
    label: str
    href: str
    expected: int
    cells: list[Cell]


class TargetLine(NamedTuple):
    """One target: how many units met it, did not, or have no figure."""

    id: int
    title: str
    cells: list[Cell]


class View:
    """Every label and link of one dashboard page, each built once: the tables and the charts
    show the same figures behind the same links."""

    def __init__(self, board: Dashboard, links: Links) -> None:
        n = board.nominations
        self.submissions = [
            SubmissionRow(
                counts.kind,
                kind_label(counts.kind),
                links.units(kind=counts.kind),
                counts.expected,
                [
                    Cell(
                        s,
                        status_label(s),
                        links.units(kind=counts.kind, status=s),
                        counts.counts[s],
                    )
                    for s in STATUSES
                ],
            )
            for counts in (board.plans, board.reports)
        ]
        self.targets = [
            TargetLine(
                row.target.id,
                pick(row.target.title_vi, row.target.title_en),
                [
                    Cell(
                        r,
                        result_label(r),
                        links.units(target=row.target.id, result=r),
                        row.counts[r],
                    )
                    for r in RESULTS
                ],
            )
            for row in board.targets
        ]
        self.states = [
            Cell(c.key, pick(c.label_vi, c.label_en), links.nominations(state=c.key), c.count)
            for c in n.by_state
        ]
        self.awards = [
            Cell(c.key, pick(c.label_vi, c.label_en), links.nominations(award=c.key), c.count)
            for c in n.by_award
        ]
        self.units = [
            Cell(c.key, c.label_vi, links.nominations(unit=c.key), c.count)
            for c in n.by_unit[:TOP_UNITS]
        ]
        plans, reports = self.submissions
        self.href = {
            "expected": plans.href,
            "nominations": links.nominations(),
            "all_published": links.published(),
            "ad_hoc_published": links.published(ad_hoc=1),
            "ad_hoc_in_progress": links.nominations(ad_hoc=1, stage="in_progress"),
            "direct": links.published(nominee="individual", direct=1),
            "other": links.published(nominee="individual", direct=0),
            "individuals": links.published(nominee="individual"),
            "chase_plan": _cell(plans, "missing").href,
            "chase_report": _cell(reports, "missing").href,
            "report_pending": _cell(reports, "pending").href,
        }


class Shown(NamedTuple):
    """What the page shows of the figures: the labels, links and the four charts."""

    view: View
    submission_chart: Markup
    target_chart: Markup
    charts: dict[str, Markup]


def shown(board: Dashboard, links: Links) -> Shown:
    """:class:`View` and the charts of ``board``, kept per process for the figures, the
    language and the links they were drawn for: every Office reviewer sees the same page
    until a figure moves, and drawing it is a fifth of the request. The key holds every input
    of the drawing, so an entry is never wrong, only aged out."""

    def draw() -> Shown:
        view = View(board, links)
        return Shown(
            view, submission_chart(view), target_chart(view), nomination_charts(board, view)
        )

    return _shown.value(_shown_key(board, links), draw)


SHOWN_KEPT = 64  # a few campaigns, in two languages, for people with and without the queue
_shown = Kept(SHOWN_KEPT)


def _shown_key(board: Dashboard, links: Links) -> tuple:
    n = board.nominations
    return (
        lang(),
        links.identity(),
        published_state(),
        tuple(kind_label(kind) for kind in SUBMISSION_KINDS),
        tuple((c.kind, tuple(c.counts.items())) for c in (board.plans, board.reports)),
        tuple(
            (row.target.id, row.target.title_vi, row.target.title_en, tuple(row.counts.items()))
            for row in board.targets
        ),
        tuple(n.by_state),
        tuple(n.by_award),
        tuple(n.by_unit[:TOP_UNITS]),
        (n.ad_hoc_published, n.ad_hoc_in_progress, n.published_direct, n.published_individuals),
    )


def _cell(row: SubmissionRow, status: str) -> Cell:
    return next(c for c in row.cells if c.key == status)


def _svg(markup: str) -> Markup:
    return Markup(markup)  # built by web.dashboard.charts, which escapes every text it writes


def submission_chart(view: View) -> Markup:
    rows = [
        StackRow(row.label, [Bar(c.label, c.count, c.href, COLORS[c.key]) for c in row.cells])
        for row in view.submissions
    ]
    legend = [(status_label(s), COLORS[s]) for s in STATUSES]
    return _svg(
        charts.stacked_bars("chart-submissions", _("Kế hoạch và báo cáo của đơn vị"), rows, legend)
    )


def target_chart(view: View) -> Markup:
    rows = [
        StackRow(line.title, [Bar(c.label, c.count, c.href, COLORS[c.key]) for c in line.cells])
        for line in view.targets
    ]
    legend = [(result_label(r), COLORS[r]) for r in RESULTS]
    return _svg(
        charts.stacked_bars(
            "chart-targets", _("Chỉ tiêu thi đua của các đơn vị"), rows, legend, label_width=260
        )
    )


def nomination_charts(board: Dashboard, view: View) -> dict[str, Markup]:
    n, href = board.nominations, view.href
    states = [Bar(c.label, c.count, c.href) for c in view.states]
    awards = [Bar(c.label, c.count, c.href) for c in view.awards]
    units = [Bar(c.label, c.count, c.href) for c in view.units]
    ad_hoc = [
        Bar(_("Đã công bố"), n.ad_hoc_published, href["ad_hoc_published"]),
        Bar(_("Đang xử lý"), n.ad_hoc_in_progress, href["ad_hoc_in_progress"]),
    ]
    share = n.direct_share
    center = "—" if share is None else f"{share:.0%}"
    direct = [
        Bar(_("Người lao động trực tiếp"), n.published_direct, href["direct"], COLORS["direct"]),
        Bar(
            _("Cá nhân khác"),
            n.published_individuals - n.published_direct,
            href["other"],
            COLORS["other"],
        ),
    ]
    return {
        "states": _svg(
            charts.bar_chart("chart-states", _("Hồ sơ đề nghị theo trạng thái"), states)
        ),
        "awards": _svg(charts.bar_chart("chart-awards", _("Hồ sơ đề nghị theo danh hiệu"), awards)),
        "units": _svg(
            charts.bar_chart(
                "chart-units", _("Đơn vị có nhiều hồ sơ đề nghị nhất"), units, label_width=300
            )
        ),
        "ad_hoc": _svg(charts.bar_chart("chart-ad-hoc", _("Khen thưởng đột xuất"), ad_hoc)),
        "direct": _svg(
            charts.donut(
                "chart-direct",
                _("Tỷ lệ người lao động trực tiếp trong số cá nhân được khen thưởng"),
                direct,
                center,
            )
        ),
    }
