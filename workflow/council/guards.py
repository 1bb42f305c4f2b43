"""Guards and effects of the Council's decisions: session, quorum, tally, threshold, recusal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from models import CouncilAttendance, CouncilItem, CouncilSession, Dossier
from models.council import Ballot, CouncilAgendaClaim, CouncilConflict
from models.text import whole_number
from workflow.core.context import GuardContext
from workflow.core.errors import Violation
from workflow.core.guards import guard
from workflow.core.messages import Messages
from workflow.core.shares import needed, share_of, share_text, share_words
from workflow.dossiers.guards import nominee_account

COUNCIL_MESSAGES = Messages(
    {
        "session_required": (
            "Vui lòng chọn phiên họp Hội đồng.",
            "Please choose a Council session.",
        ),
        "session_closed": ("Phiên họp Hội đồng đã kết thúc.", "The Council session is closed."),
        "quorum_not_met": (
            "Phiên họp chưa đủ số thành viên: có mặt {present}/{members}, cần ít nhất "
            "{required} ({share}: {words} tổng số thành viên).",
            "No quorum: {present} of {members} members present, {required} needed ({share}: "
            "{words_en} of all members).",
        ),
        "quorum_invalid": (
            "Túc số “{value}” không hợp lệ: ghi một phân số như 2/3 hoặc một tỷ lệ phần trăm "
            "từ 1 đến 100.",
            "The quorum “{value}” is not valid: write a fraction such as 2/3 or a percentage "
            "from 1 to 100.",
        ),
        "votes_invalid": (
            "Số phiếu không hợp lệ: tổng {total} phiếu, chỉ có {voters} thành viên được bỏ phiếu.",
            "Invalid tally: {total} votes for {voters} eligible members.",
        ),
        "votes_not_counts": (
            "Số phiếu phải là số nguyên, không âm.",
            "Vote counts must be whole numbers, zero or more.",
        ),
        "threshold_not_met": (
            "Chưa đạt tỷ lệ biểu quyết: {votes_for}/{base} phiếu đồng ý, cần ít nhất "
            "{required}/{base} — {words} {base_words}.",
            "Vote threshold not met: {votes_for} of {base} in favour, at least {required} of "
            "{base} needed — {words_en} {base_words_en}.",
        ),
        "ballot_not_found": (
            "Không tìm thấy phiếu bầu của hồ sơ này trong phiên họp.",
            "There is no ballot on this dossier in this session.",
        ),
        "ballot_still_open": (
            "Cuộc bỏ phiếu kín chưa kết thúc: kết quả chỉ có khi thư ký đóng phiếu.",
            "The secret ballot is still open: its tally exists only once it is closed.",
        ),
        "ballot_exists": (
            "Hồ sơ này đã được bỏ phiếu kín trong phiên; hãy áp dụng kết quả bỏ phiếu kín.",
            "This dossier had a secret ballot in this session; apply its result.",
        ),
        "ballot_passed": (
            "Kết quả bỏ phiếu kín đã đạt tỷ lệ: không thể ghi “không thông qua” theo phiếu này.",
            "The secret ballot reached the threshold: it cannot be recorded as a rejection.",
        ),
        "agenda_other_session": (
            "Hồ sơ này thuộc chương trình của phiên họp “{title}” đang mở: chỉ phiên họp đó "
            "được quyết định hồ sơ.",
            "This dossier is on the agenda of the open session “{title}”: only that session "
            "may decide it.",
        ),
    }
)


def _open_session(ctx: GuardContext) -> tuple[CouncilFacts | None, Violation | None]:
    council = ctx.fact(_load_council)
    if council is None:
        return None, COUNCIL_MESSAGES.violation("session_required")
    if council.status != "open":
        return council, COUNCIL_MESSAGES.violation("session_closed")
    other = ctx.session.execute(_CLAIMED_BY, {"dossier_id": ctx.dossier.id}).first()
    if other is not None and other.id != council.id:
        return council, COUNCIL_MESSAGES.violation("agenda_other_session", {"title": other.title})
    return council, None


# The open session whose agenda holds a dossier (claims are released when a session closes).
_CLAIMED_BY = (
    select(CouncilSession.id, CouncilSession.title)
    .join(CouncilAgendaClaim, CouncilAgendaClaim.session_id == CouncilSession.id)
    .where(CouncilAgendaClaim.dossier_id == bindparam("dossier_id"))
)


def _load_council(ctx: GuardContext) -> CouncilFacts | None:
    session_id = whole_number(ctx.inputs.get("session_id"))
    if session_id is None:
        return None
    rows = ctx.session.execute(_COUNCIL_FACTS, {"session_id": session_id}).all()
    if not rows:
        return None
    members = tuple((r.user_id, bool(r.present)) for r in rows if r.user_id is not None)
    return CouncilFacts(rows[0].id, rows[0].status, rows[0].quorum, members)


@dataclass(frozen=True)
class CouncilFacts:
    """What the Council guards read of a session (the names of ``CouncilSession``'s), from one
    Core query: loading the session and its attendance as ORM objects cost 0.4 ms per decision."""

    id: int
    status: str
    quorum: str
    members: tuple[tuple[int, bool], ...]  # (user id, present)

    @property
    def member_count(self) -> int:
        return len(self.members)

    @property
    def present_count(self) -> int:
        return sum(1 for _, present in self.members if present)

    def present_user_ids(self) -> set[int]:
        return {user_id for user_id, present in self.members if present}


# A session as the guards see it: the ORM row (callers such as the ballot) or the facts.
Council = CouncilSession | CouncilFacts

_COUNCIL_FACTS = (
    select(
        CouncilSession.id,
        CouncilSession.status,
        CouncilSession.quorum,
        CouncilAttendance.user_id,
        CouncilAttendance.present,
    )
    .outerjoin(CouncilAttendance, CouncilAttendance.session_id == CouncilSession.id)
    .where(CouncilSession.id == bindparam("session_id"))
)


DEFAULT_QUORUM = "2/3"
DEFAULT_THRESHOLD = "1/2"
# Whose votes a threshold is counted on, as the refusal says it.
BASE_WORDS = {
    "all_members": ("tổng số thành viên Hội đồng", "of all the Council's members"),
    "present": ("số thành viên có mặt được biểu quyết", "of the members present who vote"),
}


def quorum_needed(council: Council) -> int:
    """How many members must be present: the exact share of all members."""
    return needed(council.member_count, share_of(council.quorum, DEFAULT_QUORUM))


def quorum_problem(council: Council) -> Violation | None:
    required = quorum_needed(council)
    if council.present_count < required or council.present_count == 0:
        share = share_of(council.quorum, DEFAULT_QUORUM)
        words, words_en = share_words(share)
        return COUNCIL_MESSAGES.violation(
            "quorum_not_met",
            {
                "present": council.present_count,
                "members": council.member_count,
                "required": required,
                "share": share_text(share),
                "words": words,
                "words_en": words_en,
            },
        )
    return None


def _tally(ctx: GuardContext) -> tuple[int, int, int] | None:
    """The counts typed (a missing one is 0), or None when one is not a whole number ≥ 0.

    With a closed secret ballot in the inputs, the ballot's tally instead (typed counts ignored).
    """
    ballot = _closed_ballot(ctx)
    if ballot is not None:
        return ballot_tally(ballot)
    try:
        counts = tuple(
            int(str(ctx.inputs.get(k) or 0))
            for k in ("votes_for", "votes_against", "votes_abstain")
        )
    except ValueError:  # "abc", "2.5": a form field, not a count
        return None
    return counts if min(counts) >= 0 else None  # type: ignore[return-value]


def _tally_problem(ctx: GuardContext, council: Council) -> tuple[Violation | None, int]:
    """Why the tally is impossible (or None), and how many present members may vote.

    The nominee, and a member marked with a conflict, are recused: not counted among the voters.
    A secret ballot's voters are its roll, fixed when it opened.
    """
    if _ballot_named(ctx):
        return _ballot_problem(ctx, council)
    voters = len(eligible_voters(ctx.session, council, ctx.dossier))
    # With a ballot in the session its result decides: not typed counts, nor none at all
    # (a rejection or deferral without counts would have bypassed a ballot still open).
    if _has_ballot(ctx, council):
        return COUNCIL_MESSAGES.violation("ballot_exists"), voters
    tally = _tally(ctx)
    if tally is None:
        return COUNCIL_MESSAGES.violation("votes_not_counts"), voters
    if sum(tally) > voters:
        return COUNCIL_MESSAGES.violation(
            "votes_invalid", {"total": sum(tally), "voters": voters}
        ), voters
    return None, voters


# Built once: every Council decision runs them.
_CONFLICTS = select(CouncilConflict.user_id).where(
    CouncilConflict.session_id == bindparam("session_id"),
    CouncilConflict.dossier_id == bindparam("dossier_id"),
)

_BALLOT_OF = select(Ballot.id).where(
    Ballot.session_id == bindparam("session_id"), Ballot.dossier_id == bindparam("dossier_id")
)


def recused_ids(session: Session, council_id: int, dossier: Dossier) -> set[int]:
    """Members who may not vote on ``dossier`` in a session: its nominee, and those the
    secretary marked as having a conflict."""
    ids = set(session.scalars(_CONFLICTS, {"session_id": council_id, "dossier_id": dossier.id}))
    nominee = nominee_account(dossier)
    return ids | {nominee} if nominee else ids


def eligible_voters(session: Session, council: Council, dossier: Dossier) -> set[int]:
    """Present members of the session who are not recused on ``dossier``."""
    return council.present_user_ids() - recused_ids(session, council.id, dossier)


def counts_written(award: Any) -> bool:
    """Absent members' written opinions count where the threshold is on all members."""
    return award is not None and award.threshold_base == "all_members"


def ballot_tally(ballot: Ballot) -> tuple[int, int, int]:
    """For, against, abstain of a closed ballot, with written opinions where its fixed
    threshold counted them."""
    written = ballot.threshold_base == "all_members"
    return (
        ballot.votes_for + (ballot.written_for if written else 0),
        ballot.votes_against + (ballot.written_against if written else 0),
        ballot.votes_abstain,
    )


def threshold(award: Any, council: Council, voters: int) -> tuple[int, int, Fraction]:
    """(base, required approvals, share) of the award type's vote threshold, exactly."""
    share = share_of(award.vote_threshold if award else None, DEFAULT_THRESHOLD)
    base = council.member_count if counts_written(award) else voters
    return base, needed(base, share), share


def fixed_threshold(ballot: Ballot) -> tuple[int, int, Fraction]:
    """(base, required approvals, share) fixed when ``ballot`` closed."""
    return ballot.base or 0, ballot.needed or 0, share_of(ballot.threshold, DEFAULT_THRESHOLD)


def _typed_tally(ctx: GuardContext) -> bool:
    return any(
        ctx.inputs.get(k) not in (None, "") for k in ("votes_for", "votes_against", "votes_abstain")
    )


def _ballot_named(ctx: GuardContext) -> bool:
    return ctx.inputs.get("ballot_id") not in (None, "")


def _has_ballot(ctx: GuardContext, council: Council) -> bool:
    return (
        ctx.session.scalar(_BALLOT_OF, {"session_id": council.id, "dossier_id": ctx.dossier.id})
        is not None
    )


def _named_ballot(ctx: GuardContext) -> Ballot | None:
    """The ballot named by ``ballot_id`` in the inputs, if it is this dossier's in this session."""
    council = ctx.fact(_load_council)
    ballot_id = whole_number(str(ctx.inputs.get("ballot_id")))
    ballot = ctx.session.get(Ballot, ballot_id) if ballot_id is not None else None
    if ballot is None or council is None:
        return None
    return (
        ballot if (ballot.session_id, ballot.dossier_id) == (council.id, ctx.dossier.id) else None
    )


def _closed_ballot(ctx: GuardContext) -> Ballot | None:
    """The named ballot once closed: its tally replaces typed counts."""
    ballot = ctx.fact(_named_ballot) if _ballot_named(ctx) else None
    return ballot if ballot is not None and not ballot.is_open else None


def _ballot_problem(ctx: GuardContext, council: Council) -> tuple[Violation | None, int]:
    """Why the named ballot cannot decide (or None), and how many were on its roll."""
    ballot = ctx.fact(_named_ballot)
    if ballot is None:
        return COUNCIL_MESSAGES.violation("ballot_not_found"), 0
    if ballot.is_open:
        return COUNCIL_MESSAGES.violation("ballot_still_open"), ballot.eligible
    return None, ballot.eligible


def _threshold_problem(ctx: GuardContext, council: Council, voters: int) -> Violation | None:
    """A reason why the tally does not reach the threshold, or None when it does.

    A closed secret ballot is judged on the threshold fixed when it closed, never today's."""
    award = getattr(ctx.dossier, "award_type", None)
    votes_for = _tally(ctx)[0]
    ballot = _closed_ballot(ctx)
    if ballot is not None:
        (base, required, share), all_members = (
            fixed_threshold(ballot),
            ballot.threshold_base == "all_members",
        )
    else:
        (base, required, share), all_members = (
            threshold(award, council, voters),
            counts_written(award),
        )
    if votes_for < required:
        words, words_en = share_words(share)
        on = BASE_WORDS["all_members" if all_members else "present"]
        return COUNCIL_MESSAGES.violation(
            "threshold_not_met",
            {
                "votes_for": votes_for,
                "base": base,
                "required": required,
                "share": share_text(share),
                "words": words,
                "words_en": words_en,
                "base_words": on[0],
                "base_words_en": on[1],
            },
        )
    return None


@guard(
    "Trong một phiên họp Hội đồng đang mở, đủ số thành viên có mặt",
    "Within an open Council session with a quorum present",
    uses_inputs=True,
)
def council_quorum(ctx: GuardContext) -> Violation | None:
    """An open Council session is chosen and enough members are present."""
    council, problem = _open_session(ctx)
    return problem or quorum_problem(council)


@guard(
    "Số phiếu ghi nhận hợp lệ: số nguyên, mỗi thành viên được biểu quyết tối đa một phiếu",
    "The recorded tally is valid: whole votes, at most one per member who may vote",
    uses_inputs=True,
)
def council_tally_possible(ctx: GuardContext) -> Violation | None:
    """A tally recorded with an outcome counts whole votes, at most one per member who may vote."""
    council, problem = _open_session(ctx)
    if problem:
        return None  # council_quorum reports it, or (deferral) nothing is recorded
    invalid, voters = _tally_problem(ctx, council)
    if (
        invalid is None
        and _closed_ballot(ctx) is not None
        and _threshold_problem(ctx, council, voters) is None
    ):
        # A secret ballot that passed cannot be turned down.
        return COUNCIL_MESSAGES.violation("ballot_passed")
    return invalid


def records_tally(tdef: Any) -> bool:
    """The transition records a Council decision with its tally (approve, reject, classify,
    defer): with a secret ballot in the session, the ballot's result decides it."""
    return council_tally_possible in tdef.guards or council_vote_passes in tdef.guards


@guard(
    "Nếu ghi nhận trong một phiên họp Hội đồng thì phiên họp đó đang mở",
    "If recorded in a Council session, that session is still open",
    uses_inputs=True,
)
def council_session_if_given(ctx: GuardContext) -> Violation | None:
    """A deferral need not name a session; when it does, the session must still be open."""
    council, problem = _open_session(ctx)
    return problem if council is not None else None


@guard(
    "Kết quả biểu quyết hợp lệ và đạt tỷ lệ của danh hiệu; người được đề nghị không biểu quyết",
    "The tally is valid and reaches the award's threshold; the nominee does not vote",
    uses_inputs=True,
)
def council_vote_passes(ctx: GuardContext) -> Violation | None:
    """The tally is possible and reaches the award type's threshold; the nominee is recused."""
    council, problem = _open_session(ctx)
    if problem:
        return None  # council_quorum reports it
    invalid, voters = _tally_problem(ctx, council)
    return invalid or _threshold_problem(ctx, council, voters)


def council_outcome(outcome: str) -> Callable[[GuardContext], None]:
    """An effect recording the Council's tally and outcome on the session's agenda item."""

    def effect(ctx: GuardContext) -> None:
        council, problem = _open_session(ctx)
        if council is None or problem:
            return
        values: dict[str, Any] = {
            "outcome": outcome,
            "reason": ctx.text("reason") or None,
            "recorded_by": ctx.actor.user_id,
            "recorded_at": ctx.now,
        }
        ballot = _closed_ballot(ctx)
        if ballot is not None or _typed_tally(ctx):
            values["votes_for"], values["votes_against"], values["votes_abstain"] = _tally(ctx)
            ctx.changes["votes"] = list(_tally(ctx))
        if ballot is not None:
            ctx.changes["ballot_id"] = ballot.id
            ctx.changes["ballot_result"] = fixed_result(ballot)
        elif _typed_tally(ctx) and getattr(ctx.dossier, "award_type", None) is not None:
            ctx.changes["threshold"] = _typed_threshold(ctx, council)
        _record_item(ctx.session, council.id, ctx.dossier.id, values)
        ctx.changes["council_session_id"] = council.id

    effect.__name__ = f"council_outcome_{outcome}"
    return effect


def _typed_threshold(ctx: GuardContext, council: Council) -> dict[str, Any]:
    """The award's threshold a typed tally was judged on, as the decision's event records it."""
    award = ctx.dossier.award_type
    voters = len(eligible_voters(ctx.session, council, ctx.dossier))
    base, required, share = threshold(award, council, voters)
    return {
        "threshold": share_text(share),
        "threshold_base": "all_members" if counts_written(award) else "present",
        "threshold_source": award.threshold_source,
        "threshold_from": award.threshold_from,
        "base": base,
        "needed": required,
    }


def fixed_result(ballot: Ballot) -> dict[str, Any]:
    """The result a closed ballot fixed at its close, as its events record it."""
    return {
        "threshold": ballot.threshold,
        "threshold_base": ballot.threshold_base,
        "threshold_source": ballot.threshold_source,
        "threshold_from": ballot.threshold_from,
        "base": ballot.base,
        "needed": ballot.needed,
        "votes": list(ballot_tally(ballot)),
        "written": [ballot.written_for, ballot.written_against],
        "passed": ballot.passed,
    }


def _record_item(
    session: Session, council_id: int, dossier_id: int, values: dict[str, Any]
) -> None:
    """The dossier's agenda item in the session: added, or updated (a deferred one comes back).
    Core statements on the transition's connection; an item already loaded is refreshed."""
    key = {"session_id": council_id, "dossier_id": dossier_id}
    connection = session.connection()
    item_id = connection.scalar(_ITEM_ID, key)
    if item_id is None:
        connection.execute(_INSERT_ITEM, {**key, **values})
        return
    connection.execute(
        _UPDATE_ITEM.values(**{k: bindparam(f"v_{k}") for k in values}),
        {"item_id": item_id, **{f"v_{k}": v for k, v in values.items()}},
    )
    loaded = session.identity_map.get(session.identity_key(CouncilItem, item_id))
    if loaded is not None:
        session.expire(loaded)


_ITEM_ID = select(CouncilItem.id).where(
    CouncilItem.session_id == bindparam("session_id"),
    CouncilItem.dossier_id == bindparam("dossier_id"),
)

_INSERT_ITEM = CouncilItem.__table__.insert()

_UPDATE_ITEM = CouncilItem.__table__.update().where(CouncilItem.id == bindparam("item_id"))
