"""Plans and reports against their due dates: on time, late or missing."""

from __future__ import annotations

import datetime as dt

from models import Campaign, Dossier
from models.clock import local_day
from workflow.core.registry import derived, states_where

STATUS_LABELS = {
    "on_time": ("Đúng hạn", "On time"),
    "late": ("Nộp muộn", "Late"),
    "missing": ("Chưa nộp", "Not submitted"),
    "pending": ("Chưa đến hạn", "Not yet due"),
}


def due_date(campaign: Campaign, kind: str) -> dt.date | None:
    """The campaign's due date for a unit's plan or report."""
    return {"plan": campaign.plan_due, "report": campaign.report_due}.get(kind)


def late_on(campaign: Campaign, kind: str, moment: dt.datetime) -> bool | None:
    """Whether a plan or report sent at ``moment`` is late against the due date in force now;
    None for a kind without a due date."""
    due = due_date(campaign, kind)
    return None if due is None else local_day(moment) > due


def days_late(campaign: Campaign, kind: str, moment: dt.datetime) -> int | None:
    """How many days after the due date in force now a plan or report sent at ``moment``
    is; None when it is on time or its kind has no due date."""
    due = due_date(campaign, kind)
    late = None if due is None else (local_day(moment) - due).days
    return late if late is not None and late > 0 else None


@derived
def _retracted_states() -> dict[str, tuple[str, ...]]:
    # Read once per set of lifecycles: the dashboard judges thousands of sendings a request.
    return states_where(lambda s: s.retracted)


def _retracted(kind: str, state: str) -> bool:
    return state in _retracted_states().get(kind, ())


def submission_status(
    campaign: Campaign, kind: str, dossier: Dossier | None, today: dt.date
) -> str:
    """ "on_time", "late", "missing" or "pending" for a unit's plan or report of a campaign.

    A dossier counts as submitted when its unit head sent it to the Department (sent_at);
    "before 10/3" in the plan's words means on or before the due day. On time or late was
    decided and stored when it was sent (``sent_late``); a dossier sent before that was stored
    is judged against today's due date.
    """
    due = due_date(campaign, kind)
    if dossier is not None and dossier.sent_at is not None and not _retracted(kind, dossier.state):
        late = dossier.sent_late
        if late is None:
            late = due is not None and local_day(dossier.sent_at) > due
        return "late" if late else "on_time"
    if due is None or today <= due:
        return "pending"
    return "missing"
