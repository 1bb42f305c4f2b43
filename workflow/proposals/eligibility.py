"""The eligibility checks of a list proposal's rows, all at once (no Flask).

Each row is checked as a nomination of its own (``workflow.awards.eligibility``), with the
list's shared files (letter, minutes) counted as its own; what the checks read is fetched for
every row together, so a list of 500 rows costs the same number of queries as a list of 5.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Nomination
from workflow.awards.eligibility import check_many
from workflow.awards.rules import CheckResult


def check_list(session: Session, proposal_id: int, today: dt.date) -> dict[int, list[CheckResult]]:
    """{row id: its checks} of every row of the list, first added first."""
    rows = session.scalars(
        select(Nomination).where(Nomination.proposal_id == proposal_id).order_by(Nomination.id)
    ).all()
    return check_many(session, rows, today)
