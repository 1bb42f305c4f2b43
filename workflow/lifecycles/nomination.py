"""The nomination lifecycle (đề nghị khen thưởng): README's "Lifecycles" shows it as a table."""

from dataclasses import replace

from workflow.awards import guards as ag
from workflow.campaigns import guards as gc
from workflow.core.spec import Input, StateDef, Tone, TransitionDef, WorkflowDef
from workflow.council import guards as cg
from workflow.dossiers import guards as dg
from workflow.lifecycles import common
from workflow.lifecycles.common import (
    DRAFT,
    FORWARDED_QUEUE,
    OFFICE,
    REASON,
    RETURNED,
    SECRETARY,
    TO_PUBLISH_QUEUE,
    UNIT,
    UNIT_REVIEW,
    WITHDRAWN,
    council_defer,
    publish,
    unit_stage,
)
from workflow.proposals import guards as pg
from workflow.publication import notice as pn

READY = (dg.required_fields, dg.has_evidence)

# From the Office's review until it fails, a nomination counts in its unit's quotas.
OFFICE_REVIEW = replace(common.OFFICE_REVIEW, counts_toward_quota=True)
COUNCIL_REVIEW = replace(common.COUNCIL_REVIEW, counts_toward_quota=True)
APPROVED = StateDef(
    "approved",
    "Hội đồng thông qua",
    "Approved by the Council",
    queue=TO_PUBLISH_QUEUE,
    tone=Tone.SUCCESS,
    counts_toward_quota=True,
    decided=True,
)
FORWARDED = StateDef(
    "forwarded",
    "Đã trình cấp trên",
    "Forwarded to the higher level",
    queue=FORWARDED_QUEUE,
    tone=Tone.EXTERNAL,
    counts_toward_quota=True,
    decided=True,
)
REJECTED = StateDef(
    "rejected", "Không được đề nghị", "Not approved", terminal=True, tone=Tone.CLOSED, decided=True
)
# The Office does not accept it: the row of a list (or a dossier) ends there, with the reason.
DECLINED = StateDef(
    "declined",
    "Không được chấp nhận",
    "Not accepted by the Office",
    terminal=True,
    tone=Tone.CLOSED,
)
PUBLISHED = replace(common.PUBLISHED, counts_toward_quota=True)

# Awards the Department confers are published after the Council; the others go to the
# higher level first (forward, then the higher level's answer). Publishing records the award.
_PUBLISH = publish("approved")
PUBLISH = replace(
    _PUBLISH,
    guards=_PUBLISH.guards + (ag.department_confers,),
    effects=_PUBLISH.effects + (ag.record_award,),
    # Published together with the other rows of its award decision, when the decision is issued.
    by_form=False,
    fired_by=(
        "hồ sơ đề nghị khen thưởng chỉ được công bố khi ban hành quyết định khen thưởng có tên "
        "hồ sơ (Hội đồng → Quyết định khen thưởng)",
        "a nomination is published only by issuing the award decision that lists it "
        "(Council → Award decisions)",
    ),
)
HIGHER = (
    TransitionDef(
        "forward",
        ("approved",),
        "forwarded",
        OFFICE,
        "Trình cấp trên",
        "Forward to the higher level",
        requires=frozenset({Input.SUBMISSION}),
        guards=(ag.higher_level_confers, ag.submission_given),
        effects=(ag.record_forwarding,),
        forward=True,
    ),
    TransitionDef(
        "record_higher_decision",
        ("forwarded",),
        "published",
        OFFICE,
        "Ghi nhận quyết định khen thưởng của cấp trên",
        "Record the higher level's award decision",
        requires=frozenset({Input.DECISION}),
        effects=(dg.record_decision, ag.record_conferred, ag.record_award),
        public=True,
        forward=True,
    ),
    TransitionDef(
        "record_higher_refusal",
        ("forwarded",),
        "rejected",
        OFFICE,
        "Ghi nhận cấp trên không khen thưởng",
        "Record that the higher level did not confer it",
        requires=frozenset({Input.REASON}),
        effects=(ag.record_not_conferred,),
        style="secondary",
    ),
)


def _not_by_nominee(transitions: tuple[TransitionDef, ...]) -> tuple[TransitionDef, ...]:
    """The Office's and the Council's steps refuse the nominee (separation of duties by person):
    the reviewer's own guard already covers approval."""
    return tuple(
        replace(t, guards=(dg.actor_not_nominee,) + t.guards)
        if t.roles & (OFFICE | SECRETARY) and dg.reviewer_independent not in t.guards
        else t
        for t in transitions
    )


def _rows_move_with_their_list(transitions: tuple[TransitionDef, ...]) -> tuple[TransitionDef, ...]:
    """The unit's steps on a row of a list not yet sent are the list's to take."""
    return tuple(
        replace(t, guards=(pg.moves_with_its_list,) + t.guards) if t.roles <= UNIT else t
        for t in transitions
    )


NOMINATION = WorkflowDef(
    kind="nomination",
    label_vi="Hồ sơ đề nghị khen thưởng",
    label_en="Nomination",
    initial="draft",
    states=(
        DRAFT,
        UNIT_REVIEW,
        OFFICE_REVIEW,
        RETURNED,
        COUNCIL_REVIEW,
        APPROVED,
        FORWARDED,
        REJECTED,
        DECLINED,
        PUBLISHED,
        WITHDRAWN,
    ),
    transitions=_not_by_nominee(
        _rows_move_with_their_list(
            unit_stage(
                READY, submit_extra=(gc.campaign_accepts, gc.unit_takes_part, gc.award_admitted)
            )
        )
        + (
            TransitionDef(
                "office_approve",
                ("office_review",),
                "council_review",
                OFFICE,
                "Thẩm định đạt, trình Hội đồng",
                "Approve to the Council",
                requires=frozenset({Input.OVERRIDE}),
                guards=(dg.reviewer_independent,)
                + READY
                + (ag.eligibility_met, ag.eligibility_overridden),
                effects=(ag.record_override,),
                forward=True,
            ),
            TransitionDef(
                "office_decline",
                ("office_review",),
                "declined",
                OFFICE,
                "Không chấp nhận",
                "Do not accept",
                requires=REASON,
                guards=(dg.reviewer_independent,),
                effects=(dg.record_return_reason,),
                style="danger",
            ),
            TransitionDef(
                "council_approve",
                ("council_review",),
                "approved",
                SECRETARY,
                "Hội đồng thông qua",
                "Council approves",
                requires=frozenset({Input.COUNCIL_VOTE}),
                guards=(cg.council_quorum, cg.council_vote_passes, pn.notice_period_over),
                effects=(cg.council_outcome("approved"),),
                forward=True,
            ),
            TransitionDef(
                "council_reject",
                ("council_review",),
                "rejected",
                SECRETARY,
                "Hội đồng không thông qua",
                "Council rejects",
                requires=frozenset({Input.REASON, Input.COUNCIL_VOTE}),
                guards=(cg.council_quorum, cg.council_tally_possible, pn.notice_period_over),
                effects=(cg.council_outcome("rejected"),),
                style="danger",
            ),
            council_defer(),
            PUBLISH,
        )
        + HIGHER
    ),
)
