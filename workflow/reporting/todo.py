"""What the home page lists besides the dossiers waiting for a person's action: the secret
ballots a Council member has yet to vote in."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Dossier
from models.council import Ballot, BallotVoter
from workflow.core.actors import Actor

# A ballot's status while members may still vote (``models.council.BALLOT_STATUSES``).
BALLOT_OPEN = "open"


class WaitingBallot(NamedTuple):
    """An open list ballot on whose roll the person is and has not voted: its first row
    waiting for them, and how many rows wait (one card covers them all)."""

    council_id: int
    dossier_id: int
    title: str
    opened_at: dt.datetime
    list_id: int | None = None
    rows: int = 1


def ballots_awaiting(session: Session, actor: Actor) -> list[WaitingBallot]:
    """The open ballots waiting for ``actor``'s vote, one entry per list (a member marks a
    whole list on one page), the longest open first."""
    rows = session.execute(
        select(
            Ballot.session_id, Ballot.dossier_id, Dossier.title, Ballot.opened_at, Ballot.list_id
        )
        .join(BallotVoter, BallotVoter.ballot_id == Ballot.id)
        .join(Dossier, Dossier.id == Ballot.dossier_id)
        .where(
            BallotVoter.user_id == actor.user_id,
            BallotVoter.voted.is_(False),
            BallotVoter.recusal.is_(None),  # on the roll as recused: nothing to do
            Ballot.status == BALLOT_OPEN,
        )
        .order_by(Ballot.opened_at, Ballot.list_id, Ballot.row, Ballot.id)
    )
    # An open ballot is always a row of a list (a single dossier's is a list of one).
    firsts: dict[int, tuple] = {}
    counts: Counter[int] = Counter()
    for row in rows:
        firsts.setdefault(row.list_id, tuple(row))
        counts[row.list_id] += 1
    return [WaitingBallot(*first, rows=counts[key]) for key, first in firsts.items()]
