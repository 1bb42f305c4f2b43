"""What a list proposal needs before it moves, and how its rows move with it.

The proposal is a dossier of its own; its rows are nominations. When the unit submits, approves,
returns or withdraws the list, every row in the matching state takes the same step through the
engine (its own guards, its own audit event), without the per-row notifications: the people
concerned hear of the list once. If any row is refused, nothing moves and each refusal names
its row.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import bindparam, func, select

from models import Attachment, AwardType, Nomination, Proposal
from models.clock import local_day
from workflow.awards.eligibility import batch
from workflow.awards.rules import PURPOSES
from workflow.core.context import GuardContext
from workflow.core.engine import fire
from workflow.core.errors import TransitionRefused, Violation, WorkflowError
from workflow.core.guards import guard
from workflow.core.messages import Messages
from workflow.core.registry import WORKFLOWS
from workflow.dossiers.evidence import KIND_FILES

# The shared files a list carries (``workflow.awards.rules.PURPOSES``).
SHARED_FILES = KIND_FILES["proposal"]

PROPOSAL_MESSAGES = Messages(
    {
        "no_rows": (
            "Danh sách chưa có dòng đề nghị nào.",
            "The list has no row yet.",
        ),
        "shared_file_missing": (
            "Chưa có tệp “{purpose}” của tờ trình.",
            "The proposal has no “{purpose_en}” file yet.",
        ),
        "row_incomplete": (
            "{count} dòng chưa đủ thông tin (tóm tắt thành tích, danh hiệu phù hợp), "
            "ví dụ “{name}”.",
            "{count} rows are incomplete (achievements, an award that fits), e.g. “{name}”.",
        ),
        "row_refused": ("Dòng “{name}”: {message}", "Row “{name}”: {message_en}"),
        "moves_with_list": (
            "Dòng này thuộc một tờ trình chưa gửi Sở: dòng được gửi, duyệt hoặc rút cùng tờ trình.",
            "This row belongs to a list not yet sent: it is sent, approved or withdrawn with "
            "the list.",
        ),
    }
)

# session.info key: the list whose rows are being moved with it right now.
_FOLLOWING = "vinhdanh_list_following"


def rows_of(proposal_id: int):
    """SELECT of the ids of a list's rows, first added first."""
    return (
        select(Nomination.id).where(Nomination.proposal_id == proposal_id).order_by(Nomination.id)
    )


_COUNT_ROWS = (
    select(func.count())
    .select_from(Nomination)
    .where(Nomination.proposal_id == bindparam("proposal_id"))
)


@guard("Danh sách có ít nhất một dòng đề nghị", "The list has at least one row")
def has_rows(ctx: GuardContext) -> Violation | None:
    count = ctx.session.scalar(_COUNT_ROWS, {"proposal_id": ctx.dossier.id})
    return None if count else PROPOSAL_MESSAGES.violation("no_rows")


@guard(
    "Có tờ trình và biên bản họp xét của đơn vị",
    "The proposal letter and the minutes of the unit's meeting are attached",
)
def has_shared_files(ctx: GuardContext) -> Violation | None:
    present = set(
        ctx.session.scalars(
            select(Attachment.purpose).where(
                Attachment.dossier_id == ctx.dossier.id, Attachment.purpose.in_(SHARED_FILES)
            )
        )
    )
    for purpose in SHARED_FILES:
        if purpose not in present:
            vi, en = PURPOSES[purpose]
            return PROPOSAL_MESSAGES.violation(
                "shared_file_missing", {"purpose": vi, "purpose_en": en}
            )
    return None


@guard(
    "Mọi dòng chưa gửi đều đủ thông tin",
    "Every row not yet sent is complete",
)
def rows_complete(ctx: GuardContext) -> Violation | None:
    """Counted in one query: rows with no achievements, or an award for the other kind."""
    incomplete = (
        select(Nomination.nominee_name)
        .join(AwardType, AwardType.id == Nomination.award_type_id)
        .where(
            Nomination.proposal_id == ctx.dossier.id,
            Nomination.state.in_(unsent_states()),
            (func.trim(Nomination.achievements) == "")
            | (AwardType.nominee_kind != Nomination.nominee_kind),
        )
        .order_by(Nomination.id)
    )
    names = ctx.session.scalars(incomplete.limit(1)).all()
    if not names:
        return None
    count = ctx.session.scalar(select(func.count()).select_from(incomplete.subquery()))
    return PROPOSAL_MESSAGES.violation(
        "row_incomplete", {"count": count, "name": names[0], "name_en": names[0]}
    )


def unsent_states() -> tuple[str, ...]:
    """The row states a list still moves with it: those its submission and approval leave."""
    wdef = WORKFLOWS["nomination"]
    return wdef.transition("submit").sources + wdef.transition("unit_approve").sources


def rows_follow(trigger: str, *sources: str) -> Callable[[GuardContext], None]:
    """What follows a list's transition: every row in one of ``sources`` takes ``trigger``."""

    def effect(ctx: GuardContext) -> None:
        session = ctx.session
        ids = session.scalars(rows_of(ctx.dossier.id).where(Nomination.state.in_(sources))).all()
        inputs = {"reason": ctx.text("reason")} if ctx.text("reason") else {}
        session.info[_FOLLOWING] = ctx.dossier.id
        try:
            with batch(session, local_day(ctx.now), ids):
                problems = _follow(session, ids, trigger, ctx, inputs)
        finally:
            session.info.pop(_FOLLOWING, None)
        if problems:
            raise TransitionRefused(problems)

    effect.__name__ = f"rows_{trigger}"
    return effect


def _follow(session, ids, trigger: str, ctx: GuardContext, inputs: dict) -> list[Violation]:
    problems: list[Violation] = []
    for row_id in ids:
        try:
            fire(
                session,
                row_id,
                trigger,
                ctx.actor,
                inputs=inputs,
                now=ctx.now,
                listeners=False,
            )
        except WorkflowError as refused:
            name = session.get(Nomination, row_id).nominee_name
            problems += [row_violation(name, v) for v in refused.violations]
    return problems


@guard(
    "Dòng của một tờ trình chưa gửi Sở đi cùng tờ trình",
    "A row of a list not yet sent moves with its list",
    not_applicable=("moves_with_list",),
)
def moves_with_its_list(ctx: GuardContext) -> Violation | None:
    """A row goes its own way only once its list is sent (a returned row is sent again alone);
    before that only the list moves it. The list is in the session's identity map while it
    moves its rows, so this costs no query then."""
    proposal_id = getattr(ctx.dossier, "proposal_id", None)
    if proposal_id is None or ctx.session.info.get(_FOLLOWING) == proposal_id:
        return None
    proposal = ctx.session.get(Proposal, proposal_id)
    if proposal is not None and proposal.sent_at is None:
        return PROPOSAL_MESSAGES.violation("moves_with_list")
    return None


def row_violation(name: str, violation: Violation) -> Violation:
    """A row's refusal, named by the row."""
    return PROPOSAL_MESSAGES.wrapping("row_refused", violation, {"name": name})
