"""The Council's secret ballot (bỏ phiếu kín): open, vote once, close, apply the result.

Secrecy: a vote flips the member's ``voted`` flag on the roll and adds one to a counter of
the ballot box, in one transaction; nothing records which counter a member moved (see
``models.ballots``). Votes are neither audited nor logged one by one: the audit chain gets
the opening (roll size, who is recused) and the closing (totals only). The running
counters are never returned while the ballot is open; :func:`tally` refuses.

Closing fixes the result on the ballot (the award's threshold then, its base, the approvals
needed, passed or not): later edits of the catalogue never change a closed ballot. Applying the
result fires ``council_approve`` or ``council_reject`` through the engine with the ballot's id:
the guards judge the ballot's fixed result and the event records it. Nothing here commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models import AuditEvent, CouncilSession, Dossier, Nomination
from models.clock import utcnow
from models.council import (
    CHOICES,
    Ballot,
    BallotKey,
    BallotList,
    BallotVoter,
    CouncilConflict,
)
from models.text import nfc
from workflow.core import audit, paillier
from workflow.core.actors import Actor, Role
from workflow.core.authz import can_view, may_run_council, may_vote, refuse_unless
from workflow.core.engine import fire
from workflow.core.errors import EditRefused, NotFound, Violation
from workflow.core.messages import Messages
from workflow.core.shares import share_text
from workflow.council import secrecy
from workflow.council import sessions as councils
from workflow.council.guards import (
    COUNCIL_MESSAGES,
    ballot_tally,
    counts_written,
    eligible_voters,
    fixed_threshold,
    quorum_problem,
    recused_ids,
    threshold,
)
from workflow.council.records import record_event, record_events
from workflow.council.secrecy import KEY_MESSAGES
from workflow.dossiers.guards import nominee_account
from workflow.dossiers.queues import ANY_DOSSIER

BALLOT_MESSAGES = Messages(
    {
        "ballot_already_open": (
            "Hồ sơ này đã có cuộc bỏ phiếu kín trong phiên họp.",
            "This dossier already has a secret ballot in this session.",
        ),
        "ballot_not_agenda": (
            "Chỉ bỏ phiếu kín hồ sơ đề nghị khen thưởng đang chờ Hội đồng xét.",
            "Only nominations awaiting the Council can be put to a secret ballot.",
        ),
        "ballot_no_voters": (
            "Không có thành viên có mặt nào được bỏ phiếu cho hồ sơ này.",
            "No present member may vote on this dossier.",
        ),
        "ballot_closed": ("Cuộc bỏ phiếu kín đã kết thúc.", "The secret ballot is closed."),
        "ballot_recused": (
            "Bạn không tham gia biểu quyết hồ sơ này ({why}).",
            "You are recused from this vote ({why}).",
        ),
        "ballot_not_on_roll": (
            "Bạn không có tên trong danh sách bỏ phiếu của hồ sơ này "
            "(chỉ thành viên có mặt khi mở phiếu mới được bỏ phiếu).",
            "You are not on this ballot's roll (only members present when it opened may vote).",
        ),
        "ballot_already_voted": (
            "Bạn đã bỏ phiếu cho hồ sơ này. Mỗi thành viên chỉ bỏ phiếu một lần.",
            "You have already voted on this dossier. Each member votes once.",
        ),
        "ballot_choice_invalid": (
            "Vui lòng chọn: đồng ý, không đồng ý hoặc không biểu quyết.",
            "Please choose: approve, reject or abstain.",
        ),
        "ballot_in_list": (
            "Hồ sơ này nằm trong một danh sách bỏ phiếu: bỏ phiếu và đóng phiếu cả danh sách.",
            "This dossier is on a list ballot: vote on and close the whole list.",
        ),
        "ballot_marks_missing": (
            "Còn {n} hồ sơ chưa chọn ý kiến: vui lòng chọn đồng ý, không đồng ý hoặc không ý "
            "kiến cho mọi hồ sơ trước khi gửi phiếu.",
            "{n} rows have no mark: please mark every row approve, reject or abstain before "
            "sending the card.",
        ),
        "ballot_nothing_to_open": (
            "Không còn hồ sơ nào trong chương trình họp chờ mở phiếu.",
            "No agenda dossier is waiting for a ballot.",
        ),
        "written_invalid": (
            "Số ý kiến bằng văn bản không hợp lệ: tối đa {absent} thành viên vắng mặt.",
            "Invalid written opinions: at most {absent} absent members.",
        ),
        "conflict_closed": (
            "Đã mở phiếu cho hồ sơ này: không thể ghi thêm thành viên xung đột lợi ích.",
            "The ballot on this dossier is open: conflicts can no longer be recorded.",
        ),
        "conflict_not_member": (
            "Người được chọn không phải thành viên của phiên họp.",
            "The person chosen is not a member of this session.",
        ),
    }
)

ENTITY = "ballot"
LIST_ENTITY = "ballot_list"


@dataclass(frozen=True)
class Tally:
    """A closed ballot's result against the threshold fixed when it closed."""

    votes_for: int
    votes_against: int
    votes_abstain: int
    written_for: int
    written_against: int
    eligible: int
    base: int
    required: int
    share: Fraction
    all_members: bool = False
    source: str | None = None
    since: dt.date | None = None

    @property
    def passes(self) -> bool:
        return self.votes_for >= self.required

    @property
    def voted(self) -> int:
        return self.votes_for + self.votes_against + self.votes_abstain - self.written

    @property
    def written(self) -> int:
        return self.written_for + self.written_against


def _refuse(violation: Violation) -> EditRefused:
    return EditRefused([violation])


# What the secretary does here, as a refusal names it.
_RUN_BALLOT = ("Điều hành bỏ phiếu kín", "Run a secret ballot")


def _open_council(session: Session, council_id: int, actor: Actor) -> CouncilSession:
    council = councils.get(session, council_id, actor, for_update=True)
    if council.status != "open":
        raise _refuse(COUNCIL_MESSAGES.violation("session_closed"))
    return council


def load_nomination(session: Session, dossier_id: int, actor: Actor) -> Dossier:
    """A dossier the actor may see (NotFound otherwise)."""
    dossier = session.get(Dossier, dossier_id)
    if dossier is None or not can_view(actor, dossier):
        raise NotFound()
    return dossier


def find(
    session: Session, council_id: int, dossier_id: int, *, for_update: bool = False
) -> Ballot | None:
    """The ballot on ``dossier_id`` in a session, if one was opened."""
    stmt = select(Ballot).where(Ballot.session_id == council_id, Ballot.dossier_id == dossier_id)
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return session.scalars(stmt).one_or_none()


def ballots_of(session: Session, council_id: int) -> dict[int, Ballot]:
    """{dossier id: ballot} of a session."""
    return {
        b.dossier_id: b
        for b in session.scalars(select(Ballot).where(Ballot.session_id == council_id))
    }


def voted_count(session: Session, ballot: Ballot) -> int:
    """How many members on the roll have voted (who voted how is not recorded)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(BallotVoter)
            .where(BallotVoter.ballot_id == ballot.id, BallotVoter.voted.is_(True))
        )
        or 0
    )


def conflicts_of(session: Session, council_id: int) -> list[CouncilConflict]:
    """The conflicts of interest recorded in a session."""
    return list(
        session.scalars(
            select(CouncilConflict)
            .where(CouncilConflict.session_id == council_id)
            .order_by(CouncilConflict.dossier_id, CouncilConflict.user_id)
        )
    )


def create_key(
    session: Session,
    council_id: int,
    actor: Actor,
    chair_passphrase: str,
    secretary_passphrase: str,
    now: dt.datetime | None = None,
) -> BallotKey:
    """The session's ballot key, sealed under the chair's and the secretary's passphrases,
    typed on the secretary's device with both present; needed before any ballot opens."""
    refuse_unless(may_run_council(actor), _RUN_BALLOT)
    council = _open_council(session, council_id, actor)
    return secrecy.create_key(
        session, council, actor, chair_passphrase, secretary_passphrase, now=now
    )


def open_ballot(
    session: Session, council_id: int, dossier_id: int, actor: Actor, now: dt.datetime | None = None
) -> Ballot:
    """Open the secret ballot on one agenda nomination: a list of one row."""
    return open_list(session, council_id, [dossier_id], actor, now=now).ballots[0]


def unballoted(session: Session, council: CouncilSession, actor: Actor) -> list[Dossier]:
    """The agenda's nominations with no ballot yet in the session and someone to vote on them."""
    found = ballots_of(session, council.id)
    return [
        d
        for d in councils.agenda(session, actor)
        if isinstance(d, Nomination) and d.id not in found and eligible_voters(session, council, d)
    ]


def open_all(
    session: Session, council_id: int, actor: Actor, now: dt.datetime | None = None
) -> BallotList:
    """Open one list holding every agenda nomination not yet balloted in the session."""
    refuse_unless(may_run_council(actor), _RUN_BALLOT)
    council = councils.get(session, council_id, actor)
    dossiers = sorted(
        unballoted(session, council, actor), key=lambda d: (d.sent_at or d.created_at, d.id)
    )
    if not dossiers:
        raise _refuse(BALLOT_MESSAGES.violation("ballot_nothing_to_open"))
    return open_list(session, council_id, [d.id for d in dossiers], actor, now=now)


def open_list(
    session: Session,
    council_id: int,
    dossier_ids: Iterable[int],
    actor: Actor,
    now: dt.datetime | None = None,
) -> BallotList:
    """Open the ballots on agenda nominations together, one row each; each row's roll is the
    present members not recused on it (recused ones are kept on it, marked)."""
    refuse_unless(may_run_council(actor), _RUN_BALLOT)
    council = _open_council(session, council_id, actor)
    no_quorum = quorum_problem(council)
    if no_quorum is not None:
        raise _refuse(no_quorum)
    key = secrecy.key_of(session, council.id)
    if key is None:
        raise _refuse(KEY_MESSAGES.violation("ballot_key_missing"))
    dossiers = [load_nomination(session, i, actor) for i in dict.fromkeys(dossier_ids)]
    rolls: list[tuple[Dossier, list[int], list[tuple[int, str]]]] = []
    for dossier in dossiers:
        if not isinstance(dossier, Nomination) or not councils.on_agenda(dossier):
            raise _refuse(BALLOT_MESSAGES.violation("ballot_not_agenda"))
        if find(session, council.id, dossier.id) is not None:
            raise _refuse(BALLOT_MESSAGES.violation("ballot_already_open"))
        roll = sorted(eligible_voters(session, council, dossier))
        if not roll:
            raise _refuse(BALLOT_MESSAGES.violation("ballot_no_voters"))
        rolls.append((dossier, roll, _recusals(session, council, dossier)))
    if not rolls:
        raise _refuse(BALLOT_MESSAGES.violation("ballot_nothing_to_open"))
    now = now or utcnow()
    ballot_list = BallotList(
        session_id=council.id,
        status="open",
        rows=len(rolls),
        # Every slot's total is at most the number of present members.
        slot_bits=paillier.slot_bits(council.present_count),
        opened_by=actor.user_id,
        opened_at=now,
    )
    session.add(ballot_list)
    session.flush()
    members = {a.user_id for a in council.attendance}
    for row, (dossier, roll, recused) in enumerate(rolls):
        ballot = Ballot(
            session_id=council.id,
            dossier_id=dossier.id,
            list_id=ballot_list.id,
            row=row,
            status="open",
            eligible=len(roll),
            opened_by=actor.user_id,
            opened_at=now,
            written_for=0,
            written_against=0,
        )
        session.add(ballot)
        session.flush()
        session.add_all([BallotVoter(ballot_id=ballot.id, user_id=u, voted=False) for u in roll])
        session.add_all(
            [
                BallotVoter(ballot_id=ballot.id, user_id=u, voted=False, recusal=why)
                for u, why in recused
            ]
        )
        record_event(
            session,
            ENTITY,
            ballot,
            actor,
            "open",
            now,
            to_state="open",
            changes={
                "session_id": council.id,
                "dossier_id": dossier.id,
                "list_id": ballot_list.id,
                "eligible": len(roll),
                "recused": sorted(recused_ids(session, council.id, dossier) & members),
            },
        )
    record_event(
        session,
        LIST_ENTITY,
        ballot_list,
        actor,
        "open",
        now,
        to_state="open",
        changes={"session_id": council.id, "dossier_ids": [d.id for d, _, _ in rolls]},
    )
    session.flush()
    session.refresh(ballot_list, ["ballots"])
    # The members' cards are encrypted with the key's table of powers: built here, not by
    # the first card cast.
    paillier.prepare(secrecy.public_key(key))
    return ballot_list


def _recusals(session: Session, council: CouncilSession, dossier: Dossier) -> list[tuple[int, str]]:
    """The present members recused on ``dossier``, with why: "nominee" or "conflict"."""
    nominee = nominee_account(dossier)
    recused = recused_ids(session, council.id, dossier) & council.present_user_ids()
    return [(u, "nominee" if u == nominee else "conflict") for u in sorted(recused)]


def standing(
    session: Session, council: CouncilSession, dossier: Dossier, actor: Actor, ballot: Ballot | None
) -> str:
    """Where a member stands on a dossier's ballot: "nominee" or "conflict" (recused),
    "absent", "not_open", "closed", "not_on_roll", "voted" or "may_vote"."""
    if actor.user_id in recused_ids(session, council.id, dossier):
        nominee = nominee_account(dossier) == actor.user_id
        return "nominee" if nominee else "conflict"
    if ballot is None:
        return "not_open"
    row = session.get(BallotVoter, (ballot.id, actor.user_id))
    if row is None:
        return "absent" if actor.user_id not in council.present_user_ids() else "not_on_roll"
    if row.recusal is not None:
        return row.recusal
    if row.voted:
        return "voted"
    return "may_vote" if ballot.is_open else "closed"


_REFUSALS: dict[str, tuple[Messages, str, str, str]] = {
    "nominee": (BALLOT_MESSAGES, "ballot_recused", "là người được đề nghị", "you are the nominee"),
    "conflict": (
        BALLOT_MESSAGES,
        "ballot_recused",
        "có xung đột lợi ích",
        "you have a conflict of interest",
    ),
    "absent": (BALLOT_MESSAGES, "ballot_not_on_roll", "", ""),
    "not_on_roll": (BALLOT_MESSAGES, "ballot_not_on_roll", "", ""),
    "not_open": (COUNCIL_MESSAGES, "ballot_not_found", "", ""),
    "closed": (BALLOT_MESSAGES, "ballot_closed", "", ""),
    "voted": (BALLOT_MESSAGES, "ballot_already_voted", "", ""),
}


def refusal(standing_: str) -> Violation | None:
    """Why a member with this standing may not vote (None: they may)."""
    if standing_ not in _REFUSALS:
        return None
    catalogue, code, why, why_en = _REFUSALS[standing_]
    return catalogue.violation(code, {"why": why, "why_en": why_en})


def is_recusal(violation: Violation) -> bool:
    """A refusal about who the member is (403), not about the ballot's state (409)."""
    return violation.code in ("ballot_recused", "ballot_not_on_roll")


def get_list(
    session: Session, council_id: int, list_id: int, *, lock: str | None = None
) -> BallotList:
    """A list of the session; ``lock``: "share" (a vote: waits for a close in progress) or
    "update" (the close: one at a time)."""
    stmt = select(BallotList).where(BallotList.id == list_id, BallotList.session_id == council_id)
    if lock is not None:
        stmt = stmt.with_for_update(read=lock == "share").execution_options(populate_existing=True)
    found = session.scalars(stmt).one_or_none()
    if found is None:
        raise _refuse(COUNCIL_MESSAGES.violation("ballot_not_found"))
    return found


def lists_of(session: Session, council_id: int) -> list[BallotList]:
    return list(
        session.scalars(
            select(BallotList).where(BallotList.session_id == council_id).order_by(BallotList.id)
        )
    )


def my_rows(session: Session, ballot_list: BallotList, user_id: int) -> dict[int, BallotVoter]:
    """{ballot id: the member's roll row} on a list (none: not on its roll)."""
    ids = [b.id for b in ballot_list.ballots]
    rows = session.scalars(
        select(BallotVoter)
        .where(BallotVoter.ballot_id.in_(ids), BallotVoter.user_id == user_id)
        .execution_options(populate_existing=True)
    )
    return {r.ballot_id: r for r in rows}


@dataclass(frozen=True)
class Turnout:
    """How many members of a list's roll have voted: never how."""

    voted: int
    roll: int


def turnout(session: Session, ballot_list: BallotList) -> Turnout:
    ids = [b.id for b in ballot_list.ballots]
    on_roll = (
        select(BallotVoter.user_id)
        .where(BallotVoter.ballot_id.in_(ids), BallotVoter.recusal.is_(None))
        .distinct()
    )
    voted = on_roll.where(BallotVoter.voted.is_(True))
    count_of = lambda q: session.scalar(select(func.count()).select_from(q.subquery())) or 0  # noqa: E731
    return Turnout(count_of(voted), count_of(on_roll))


def cast_vote(
    session: Session, council_id: int, dossier_id: int, actor: Actor, choice: str
) -> None:
    """One member's vote on one dossier: its list must hold only that row."""
    refuse_unless(may_vote(actor), refusal=BALLOT_MESSAGES.violation("ballot_not_on_roll"))
    council = councils.get(session, council_id, actor)
    if council.status != "open":
        raise _refuse(COUNCIL_MESSAGES.violation("session_closed"))
    dossier = load_nomination(session, dossier_id, actor)
    if choice not in CHOICES:
        raise _refuse(BALLOT_MESSAGES.violation("ballot_choice_invalid"))
    ballot = find(session, council.id, dossier.id)
    problem = refusal(standing(session, council, dossier, actor, ballot))
    if problem:
        raise EditRefused([problem])
    if ballot.ballot_list is None or ballot.ballot_list.rows != 1:
        raise _refuse(BALLOT_MESSAGES.violation("ballot_in_list"))
    cast_list(session, council.id, ballot.list_id, actor, {dossier.id: choice})


def cast_list(
    session: Session,
    council_id: int,
    list_id: int,
    actor: Actor,
    marks: Mapping[int, str],
) -> None:
    """Record one member's marks on a whole list ({dossier id: choice}, every row they may
    vote on): flip their ``voted`` flags and store one encrypted card, in one transaction.

    The marks are encrypted here and exist nowhere else: not stored, logged or audited.
    """
    refuse_unless(may_vote(actor), refusal=BALLOT_MESSAGES.violation("ballot_not_on_roll"))
    council = councils.get(session, council_id, actor)
    if council.status != "open":
        raise _refuse(COUNCIL_MESSAGES.violation("session_closed"))
    ballot_list = get_list(session, council.id, list_id)
    if not ballot_list.is_open:
        raise _refuse(BALLOT_MESSAGES.violation("ballot_closed"))
    # Every row with the member's place on its roll (none: not on it), in one Core query:
    # no ORM object per row for a list of a thousand.
    rows = session.execute(
        select(
            Ballot.id,
            Ballot.dossier_id,
            BallotVoter.user_id,
            BallotVoter.recusal,
            BallotVoter.voted,
        )
        .outerjoin(
            BallotVoter,
            (BallotVoter.ballot_id == Ballot.id) & (BallotVoter.user_id == actor.user_id),
        )
        .where(Ballot.list_id == ballot_list.id)
        .order_by(Ballot.row)
    ).all()
    mine = [r for r in rows if r.user_id is not None]
    if not mine or all(r.recusal for r in mine):
        raise _refuse(BALLOT_MESSAGES.violation("ballot_not_on_roll"))
    if any(r.voted for r in mine):
        raise _refuse(BALLOT_MESSAGES.violation("ballot_already_voted"))
    card: list[str | None] = []
    missing = 0
    for row in rows:
        mark = marks.get(row.dossier_id)
        if row.user_id is None or row.recusal is not None:
            if mark:
                raise EditRefused([refusal(row.recusal if row.user_id else "not_on_roll")])
            card.append(None)
            continue
        if mark not in CHOICES:
            if mark:
                raise _refuse(BALLOT_MESSAGES.violation("ballot_choice_invalid"))
            missing += 1
        card.append(mark)
    if missing:
        raise _refuse(BALLOT_MESSAGES.violation("ballot_marks_missing", {"n": missing}))
    key = secrecy.key_of(session, council.id)
    public = secrecy.public_key(key)
    sealed = secrecy.seal_card(
        public, secrecy.layout(public, ballot_list.rows, ballot_list.slot_bits), card
    )
    voting = [r.id for r in mine if r.recusal is None]
    with session.begin_nested():
        # Waits for a close in progress (PostgreSQL), then sees whether it closed the list.
        if not get_list(session, council.id, list_id, lock="share").is_open:
            raise _refuse(BALLOT_MESSAGES.violation("ballot_closed"))
        flipped = session.execute(
            update(BallotVoter)
            .where(
                BallotVoter.ballot_id.in_(voting),
                BallotVoter.user_id == actor.user_id,
                BallotVoter.voted.is_(False),
                BallotVoter.recusal.is_(None),
            )
            .values(voted=True)
            .execution_options(synchronize_session=False)
        )
        if flipped.rowcount != len(voting):  # a second click raced this one: leave, roll back
            raise _refuse(BALLOT_MESSAGES.violation("ballot_already_voted"))
        session.add(secrecy.new_card(ballot_list, sealed))
        session.flush()


def close_ballot(
    session: Session,
    council_id: int,
    dossier_id: int,
    actor: Actor,
    *,
    passphrases: tuple[str, str],
    written_for: int = 0,
    written_against: int = 0,
    now: dt.datetime | None = None,
) -> Tally:
    """Close the ballot on one dossier: its list must hold only that row."""
    refuse_unless(may_run_council(actor), _RUN_BALLOT)
    council = councils.get(session, council_id, actor)
    ballot = find(session, council.id, dossier_id)
    if ballot is None:
        raise _refuse(COUNCIL_MESSAGES.violation("ballot_not_found"))
    if ballot.ballot_list is None or ballot.ballot_list.rows != 1:
        if not ballot.is_open:
            raise _refuse(BALLOT_MESSAGES.violation("ballot_closed"))
        raise _refuse(BALLOT_MESSAGES.violation("ballot_in_list"))
    close_list(
        session,
        council.id,
        ballot.list_id,
        actor,
        passphrases=passphrases,
        written={dossier_id: (written_for, written_against)},
        now=now,
    )
    return tally(session, ballot)


def close_list(
    session: Session,
    council_id: int,
    list_id: int,
    actor: Actor,
    *,
    passphrases: tuple[str, str],
    written: Mapping[int, tuple[int, int]] | None = None,
    now: dt.datetime | None = None,
) -> BallotList:
    """Close a list: decrypt the product of its cards (both passphrases), fix every row's
    result, publish the proof, audit the totals.

    ``written``: {dossier id: (for, against)} written opinions of absent members, where the
    award counts them.
    """
    refuse_unless(may_run_council(actor), _RUN_BALLOT)
    # Closing a session is refused while a ballot is open, but one closed before that rule may
    # still hold an open ballot: it can be counted; applying it needs an open session.
    council = councils.get(session, council_id, actor)
    ballot_list = get_list(session, council.id, list_id, lock="update")
    if not ballot_list.is_open:
        raise _refuse(BALLOT_MESSAGES.violation("ballot_closed"))
    written = written or {}
    # Every row's dossier (its award joined) in one query, not one per row.
    dossiers = {
        d.id: d
        for d in session.scalars(
            select(ANY_DOSSIER).where(Dossier.id.in_([b.dossier_id for b in ballot_list.ballots]))
        )
    }
    for ballot in ballot_list.ballots:
        given = written.get(ballot.dossier_id, (0, 0))
        if given != (0, 0):  # none written is always allowed: no need to count the absent
            _check_written(session, council, dossiers[ballot.dossier_id], *given)
    key = secrecy.key_of(session, council.id)
    private = secrecy.unlock(key, *passphrases)
    public = private.public
    shape = secrecy.layout(public, ballot_list.rows, ballot_list.slot_bits)
    counted = secrecy.count(private, shape, secrecy.cards_of(session, ballot_list.id))
    voted = _voted_by_ballot(session, [b.id for b in ballot_list.ballots])
    now = now or utcnow()
    with session.no_autoflush:  # one flush at the end, not one per row
        _fix_rows(session, council, ballot_list, dossiers, counted, voted, written, actor, now)
    ballot_list.aggregate = secrecy.hex_list(counted.aggregate)
    ballot_list.aggregate_r = secrecy.hex_list(counted.randomness)
    ballot_list.status, ballot_list.closed_at = "closed", now
    record_event(
        session,
        LIST_ENTITY,
        ballot_list,
        actor,
        "close",
        now,
        from_state="open",
        to_state="closed",
        changes={"session_id": council.id, "rows": ballot_list.rows},
    )
    session.flush()
    return ballot_list


def _fix_rows(
    session: Session,
    council: CouncilSession,
    ballot_list: BallotList,
    dossiers: Mapping[int, Dossier],
    counted: secrecy.Count,
    voted: dict[int, int],
    written: Mapping[int, tuple[int, int]],
    actor: Actor,
    now: dt.datetime,
) -> None:
    """Each row's totals and fixed result, and its close event: the events chained in one
    batch (row order), the rows written by the caller's one flush."""
    events = []
    for ballot in ballot_list.ballots:
        approve, reject = counted.by_row[ballot.row]
        ballot.votes_for, ballot.votes_against = approve, reject
        ballot.votes_abstain = voted.get(ballot.id, 0) - approve - reject
        ballot.written_for, ballot.written_against = written.get(ballot.dossier_id, (0, 0))
        _fix_result(council, dossiers[ballot.dossier_id], ballot)
        ballot.status, ballot.closed_at = "closed", now
        result = tally(session, ballot)
        changes = {
            "session_id": council.id,
            "dossier_id": ballot.dossier_id,
            "list_id": ballot_list.id,
            "eligible": ballot.eligible,
            "votes": [ballot.votes_for, ballot.votes_against, ballot.votes_abstain],
            "written": [ballot.written_for, ballot.written_against],
            "threshold": ballot.threshold,
            "threshold_base": ballot.threshold_base,
            "threshold_source": ballot.threshold_source,
            "threshold_from": ballot.threshold_from,
            "base": ballot.base,
            "needed": ballot.needed,
            "passes": result.passes,
        }
        events.append((ballot.id, "open", "closed", changes))
    record_events(session, ENTITY, actor, "close", now, events)


def _voted_by_ballot(session: Session, ballot_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(BallotVoter.ballot_id, func.count())
        .where(BallotVoter.ballot_id.in_(ballot_ids), BallotVoter.voted.is_(True))
        .group_by(BallotVoter.ballot_id)
    )
    return {ballot_id: n for ballot_id, n in rows}


def published(session: Session, council_id: int, list_id: int, actor: Actor) -> dict[str, object]:
    """A closed list's public proof (see ``secrecy.published``); refused while it is open."""
    council = councils.get(session, council_id, actor)
    ballot_list = get_list(session, council.id, list_id)
    if ballot_list.is_open:
        raise _refuse(COUNCIL_MESSAGES.violation("ballot_still_open"))
    return secrecy.published(session, ballot_list, secrecy.key_of(session, council.id))


def _check_written(
    session: Session,
    council: CouncilSession,
    dossier: Dossier,
    written_for: int,
    written_against: int,
) -> None:
    absent = {a.user_id for a in council.attendance if not a.present} - recused_ids(
        session, council.id, dossier
    )
    allowed = len(absent) if counts_written(getattr(dossier, "award_type", None)) else 0
    if min(written_for, written_against) < 0 or written_for + written_against > allowed:
        raise _refuse(BALLOT_MESSAGES.violation("written_invalid", {"absent": allowed}))


def _fix_result(council: CouncilSession, dossier: Dossier, ballot: Ballot) -> None:
    """Store on ``ballot`` its result against the award's threshold as it stands at the close."""
    award = getattr(dossier, "award_type", None)
    base, required, share = threshold(award, council, ballot.eligible)
    ballot.threshold = share_text(share)
    ballot.threshold_base = "all_members" if counts_written(award) else "present"
    ballot.threshold_source = getattr(award, "threshold_source", None)
    ballot.threshold_from = getattr(award, "threshold_from", None)
    ballot.base, ballot.needed = base, required
    ballot.passed = ballot_tally(ballot)[0] >= required


def tally(session: Session, ballot: Ballot) -> Tally:
    """The result of a closed ballot, as fixed at its close. Refused while it is open: the
    counts are secret until then."""
    if ballot.is_open or ballot.votes_for is None:
        raise _refuse(COUNCIL_MESSAGES.violation("ballot_still_open"))
    base, required, share = fixed_threshold(ballot)
    all_members = ballot.threshold_base == "all_members"
    return Tally(
        *ballot_tally(ballot),
        ballot.written_for if all_members else 0,
        ballot.written_against if all_members else 0,
        ballot.eligible,
        base,
        required,
        share,
        all_members,
        ballot.threshold_source,
        ballot.threshold_from,
    )


def apply_result(
    session: Session,
    council_id: int,
    dossier_id: int,
    actor: Actor,
    reason: str = "",
    now: dt.datetime | None = None,
) -> AuditEvent:
    """Fire council_approve (threshold reached) or council_reject with the closed ballot's id."""
    refuse_unless(may_run_council(actor), _RUN_BALLOT)
    ballot = find(session, council_id, dossier_id)
    if ballot is None:
        raise _refuse(COUNCIL_MESSAGES.violation("ballot_not_found"))
    result = tally(session, ballot)
    trigger = "council_approve" if result.passes else "council_reject"
    if not result.passes and not nfc(reason):
        reason = (
            f"Kết quả bỏ phiếu kín: {result.votes_for}/{result.base} phiếu đồng ý, "
            f"chưa đạt tỷ lệ {share_text(result.share)} (cần {result.required})."
        )
    return fire(
        session,
        dossier_id,
        trigger,
        actor,
        now=now,
        inputs={"session_id": council_id, "ballot_id": ballot.id, "reason": reason},
    )


def set_conflict(
    session: Session,
    council_id: int,
    dossier_id: int,
    user_id: int,
    reason: str,
    actor: Actor,
    now: dt.datetime | None = None,
) -> CouncilConflict:
    """Mark a member as having a conflict on a dossier (recused), before its ballot opens."""
    refuse_unless(may_run_council(actor), _RUN_BALLOT)
    council = _open_council(session, council_id, actor)
    dossier = load_nomination(session, dossier_id, actor)
    if user_id not in {a.user_id for a in council.attendance}:
        raise _refuse(BALLOT_MESSAGES.violation("conflict_not_member"))
    if not nfc(reason):
        raise EditRefused([Violation("reason_required")])
    if find(session, council.id, dossier.id) is not None:
        raise _refuse(BALLOT_MESSAGES.violation("conflict_closed"))
    existing = session.scalars(
        select(CouncilConflict).where(
            CouncilConflict.session_id == council.id,
            CouncilConflict.dossier_id == dossier.id,
            CouncilConflict.user_id == user_id,
        )
    ).one_or_none()
    if existing is not None:
        return existing
    now = now or utcnow()
    conflict = CouncilConflict(
        session_id=council.id,
        dossier_id=dossier.id,
        user_id=user_id,
        reason=nfc(reason),
        recorded_by=actor.user_id,
        recorded_at=now,
    )
    session.add(conflict)
    session.flush()
    audit.append(
        session,
        entity_type=councils.ENTITY,
        entity_id=council.id,
        action="conflict",
        actor_id=actor.user_id,
        actor_role=Role.COUNCIL_SECRETARY.value,
        reason=conflict.reason,
        changes={"dossier_id": dossier.id, "user_id": user_id},
        now=now,
    )
    return conflict


def roll(
    session: Session, council: CouncilSession, dossier: Dossier, ballot: Ballot | None
) -> list[tuple[int, str]]:
    """Each member of the session and where they stand on the dossier's ballot: "voter",
    "nominee" or "conflict" (recused), or "absent". Once the ballot is open, as it was fixed
    then; before, as it would be."""
    # Recused members present: kept on the roll when it opened; a ballot opened before the roll
    # kept them has no row for them, and they are named as they would be now.
    fixed = {u: why for u, why in _recusals(session, council, dossier)}
    if ballot is None:
        fixed |= {u: "voter" for u in eligible_voters(session, council, dossier)}
    else:
        rows = session.scalars(select(BallotVoter).where(BallotVoter.ballot_id == ballot.id))
        fixed |= {r.user_id: r.recusal or "voter" for r in rows}
    members = councils.attendance_in_order(session, council)
    return [(a.user_id, fixed.get(a.user_id, "absent")) for a in members]


@dataclass
class BoardRow:
    """One nomination on a session's ballot page, as ``actor`` may see it."""

    dossier: Dossier
    ballot: Ballot | None
    voted: int
    standing: str | None
    result: Tally | None
    conflicts: list[CouncilConflict]
    roll: list[tuple[int, str]]
    # (base, approvals needed, share) by the award's threshold today, for the roll shown.
    expected: tuple[int, int, Fraction]

    @property
    def can_apply(self) -> bool:
        return self.result is not None and councils.on_agenda(self.dossier)


def board(session: Session, council: CouncilSession, actor: Actor) -> list[BoardRow]:
    """The agenda's nominations and those balloted in the session, with each ballot's state.

    A tally appears only for a closed ballot; the actor's own standing only for members.
    """
    found = ballots_of(session, council.id)
    dossiers = {d.id: d for d in councils.agenda(session, actor) if isinstance(d, Nomination)}
    for dossier_id in found.keys() - dossiers.keys():
        dossiers[dossier_id] = load_nomination(session, dossier_id, actor)
    rows = _rows(session, council, actor, dossiers.values(), found)
    return sorted(rows, key=lambda r: (r.dossier.sent_at or r.dossier.created_at, r.dossier.id))


def balloted(
    session: Session, council: CouncilSession, actor: Actor, dossiers: Iterable[Dossier]
) -> dict[int, BoardRow]:
    """{dossier id: row} for those of ``dossiers`` put to a secret ballot in the session."""
    found = ballots_of(session, council.id)
    rows = _rows(session, council, actor, [d for d in dossiers if d.id in found], found)
    return {r.dossier.id: r for r in rows}


def _rows(
    session: Session,
    council: CouncilSession,
    actor: Actor,
    dossiers: Iterable[Dossier],
    found: dict[int, Ballot],
) -> list[BoardRow]:
    conflicts = conflicts_of(session, council.id)
    member = may_vote(actor)
    rows = []
    for dossier in dossiers:
        ballot = found.get(dossier.id)
        members = roll(session, council, dossier, ballot)
        voters = sum(1 for _, where in members if where == "voter")
        rows.append(
            BoardRow(
                dossier,
                ballot,
                voted_count(session, ballot) if ballot else 0,
                standing(session, council, dossier, actor, ballot) if member else None,
                tally(session, ballot) if ballot and not ballot.is_open else None,
                [c for c in conflicts if c.dossier_id == dossier.id],
                members,
                threshold(getattr(dossier, "award_type", None), council, voters),
            )
        )
    return rows
