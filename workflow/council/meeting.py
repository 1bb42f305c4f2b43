"""The Council's meeting as the secretary runs it: the session's agenda grouped by award, one
result per item, and every counted secret ballot applied at once.

An item decided without a secret ballot gets one entry of counts; which decision it is
(thông qua or không thông qua) follows from the award's threshold, never from a button the
secretary picks: the engine's guards judge it again. An item whose ballot is closed is
decided by the result fixed at the close (``ballot.apply_result``). Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from models import AuditEvent, CouncilSession, Dossier, Nomination
from models.clock import utcnow
from models.text import nfc, vi_sort_key, whole_number
from workflow.core.actors import Actor
from workflow.core.authz import may_run_council, refuse_unless
from workflow.core.engine import fire
from workflow.core.errors import EditRefused, NotFound, Violation, WorkflowError
from workflow.core.messages import Messages
from workflow.core.shares import share_words
from workflow.council import ballot as ballots
from workflow.council import sessions as councils
from workflow.council.ballot import BoardRow
from workflow.council.guards import BASE_WORDS, counts_written, eligible_voters, threshold

MEETING_MESSAGES = Messages(
    {
        "result_not_nomination": (
            "Chỉ ghi kết quả biểu quyết theo tỷ lệ cho hồ sơ đề nghị khen thưởng.",
            "Only a nomination's result is computed from the vote threshold.",
        ),
        "nothing_to_apply": (
            "Không có phiếu kín nào đã kiểm phiếu mà chưa ghi nhận kết quả.",
            "No counted secret ballot is waiting for its result to be recorded.",
        ),
        "apply_refused": (
            "Hồ sơ “{name}”: {message}",
            "Dossier “{name}”: {message_en}",
        ),
    }
)

# Buttons of an item's result form: record what the counts say, or put the item off.
VOTE, DEFER = "vote", "defer"
INDIVIDUAL, COLLECTIVE = "individual", "collective"


@dataclass(frozen=True)
class Needed:
    """What an award's threshold asks of an item: ``needed`` approvals of ``base``."""

    base: int
    needed: int
    share: Fraction
    all_members: bool
    source: str | None = None

    def words(self) -> tuple[str, str]:
        """ "cần ít nhất 6/9 — hai phần ba tổng số thành viên Hội đồng" and its English."""
        words, words_en = share_words(self.share)
        on, on_en = BASE_WORDS["all_members" if self.all_members else "present"]
        return (
            f"cần ít nhất {self.needed}/{self.base} — {words} {on}",
            f"at least {self.needed} of {self.base} needed — {words_en} {on_en}",
        )

    def outcome(self, votes_for: int) -> str:
        """The decision a count of approvals makes."""
        return "council_approve" if votes_for >= self.needed else "council_reject"


@dataclass
class AgendaItem:
    """One dossier on the session's agenda and how its result is entered."""

    dossier: Dossier
    ballot: BoardRow | None  # its secret ballot in this session, if one was opened
    needed: Needed | None  # a nomination's threshold (None for a report)
    claimed: bool = True  # on this session's agenda (False: no open session holds it yet)

    @property
    def nominee_kind(self) -> str | None:
        return getattr(self.dossier, "nominee_kind", None)

    @property
    def entry(self) -> str:
        """How the result is entered: "ballot_open" (wait for the close), "ballot_closed"
        (confirm the fixed result), "counts" (one form of counts) or "actions" (a report's
        own transitions)."""
        if self.ballot is not None and self.ballot.ballot is not None:
            return "ballot_open" if self.ballot.ballot.is_open else "ballot_closed"
        return "counts" if self.needed is not None else "actions"


@dataclass
class AwardGroup:
    """The agenda's items of one award (or the reports), with counts per kind."""

    name: tuple[str, str]
    items: list[AgendaItem] = field(default_factory=list)

    @property
    def individuals(self) -> int:
        return sum(1 for i in self.items if i.nominee_kind == INDIVIDUAL)

    @property
    def collectives(self) -> int:
        return sum(1 for i in self.items if i.nominee_kind == COLLECTIVE)


REPORTS = ("Báo cáo, hồ sơ khác", "Reports and other dossiers")


def needed_for(session, council: CouncilSession, dossier: Dossier) -> Needed | None:
    """A nomination's threshold in this session today: base, approvals needed, share."""
    award = getattr(dossier, "award_type", None)
    if not isinstance(dossier, Nomination) or award is None:
        return None
    voters = len(eligible_voters(session, council, dossier))
    base, required, share = threshold(award, council, voters)
    return Needed(base, required, share, counts_written(award), award.threshold_source)


def agenda_items(session, council: CouncilSession, actor: Actor) -> list[AgendaItem]:
    """The session's agenda, each item with its ballot (if any) and its threshold."""
    dossiers = councils.session_agenda(session, council, actor)
    rows = ballots.balloted(session, council, actor, dossiers)
    mine = councils.claimed_by(session, council.id)
    return [
        AgendaItem(d, rows.get(d.id), needed_for(session, council, d), d.id in mine)
        for d in dossiers
    ]


def by_award(items: Iterable[AgendaItem]) -> list[AwardGroup]:
    """Items grouped by award (by its Vietnamese name), the reports last; in a group the
    individuals first, then the collectives, each in the order they were sent."""
    groups: dict[object, AwardGroup] = {}
    for item in items:
        award = getattr(item.dossier, "award_type", None)
        key = award.id if award is not None else None
        name = (award.name_vi, award.name_en) if award is not None else REPORTS
        groups.setdefault(key, AwardGroup(name)).items.append(item)
    for group in groups.values():
        group.items.sort(
            key=lambda i: (
                i.nominee_kind != INDIVIDUAL,
                i.dossier.sent_at or i.dossier.created_at,
                i.dossier.id,
            )
        )
    return sorted(groups.values(), key=lambda g: (g.name == REPORTS, vi_sort_key(g.name[0])))


def record_result(
    session,
    council_id: int,
    dossier_id: int,
    actor: Actor,
    typed: Mapping[str, str],
    *,
    choice: str = VOTE,
    expected_version: int | None = None,
    now=None,
) -> AuditEvent:
    """Record a nomination's result from typed counts: thông qua when the approvals reach the
    award's threshold, không thông qua otherwise (a reason from the counts when none is
    typed); ``choice`` DEFER puts it off (a reason is then required by the engine)."""
    refuse_unless(may_run_council(actor), ("Ghi nhận kết quả biểu quyết", "Record a result"))
    council = councils.get(session, council_id, actor)
    dossier = session.get(Dossier, dossier_id)
    if dossier is None:
        raise NotFound()
    needed = needed_for(session, council, dossier)
    if needed is None:
        raise EditRefused([MEETING_MESSAGES.violation("result_not_nomination")])
    counts = {k: typed.get(k, "") for k in ("votes_for", "votes_against", "votes_abstain")}
    reason = nfc(typed.get("reason", ""))
    if choice == DEFER:
        trigger = "council_defer"
    else:
        votes_for = whole_number(counts["votes_for"] or "0")
        # Not a count: the engine's guard on approval says so, with the counts kept.
        trigger = needed.outcome(votes_for) if votes_for is not None else "council_approve"
        if trigger == "council_reject" and not reason:
            reason = _reason_from_counts(votes_for, needed)
    return fire(
        session,
        dossier_id,
        trigger,
        actor,
        inputs={"session_id": council.id, "reason": reason, **counts},
        expected_version=expected_version,
        now=now,
    )


def _reason_from_counts(votes_for: int, needed: Needed) -> str:
    """The reason a rejection records when the secretary types none: the count itself, as
    ``ballot.apply_result`` writes it for a ballot (the reason is stored as said, in Vietnamese)."""
    words = needed.words()[0]
    return f"Kết quả biểu quyết: {votes_for}/{needed.base} phiếu đồng ý, chưa đạt tỷ lệ ({words})."


def counted_ballots(session, council_id: int) -> list:
    """The session's closed ballots whose dossier still awaits the Council's decision."""
    return [
        b
        for b in councils.pending_ballots(session, council_id)
        if not b.is_open and councils.on_agenda(b.dossier)
    ]


def apply_all(session, council_id: int, actor: Actor, now=None) -> list[AuditEvent]:
    """Record the result of every counted secret ballot of the session, in one transaction:
    all of them or none (the refusals name their dossiers). One audit event per item."""
    refuse_unless(may_run_council(actor), ("Ghi nhận kết quả bỏ phiếu kín", "Record results"))
    councils.get(session, council_id, actor, for_update=True)
    counted = counted_ballots(session, council_id)
    if not counted:
        raise EditRefused([MEETING_MESSAGES.violation("nothing_to_apply")])
    now = now or utcnow()
    events: list[AuditEvent] = []
    problems: list[Violation] = []
    savepoint = session.begin_nested()
    for ballot in counted:
        try:
            events.append(
                ballots.apply_result(session, council_id, ballot.dossier_id, actor, now=now)
            )
        except WorkflowError as refused:
            problems += [
                MEETING_MESSAGES.wrapping("apply_refused", v, {"name": ballot.dossier.nominee_name})
                for v in refused.violations
            ]
    if problems:
        savepoint.rollback()
        raise EditRefused(problems)
    savepoint.commit()
    return events
