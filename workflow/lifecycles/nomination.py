"""The nomination lifecycle (đề nghị khen thưởng): README's "Lifecycles" shows it as a table."""

from dataclasses import replace

from workflow.awards import guards as ag
from workflow.campaigns import guards as gc
from workflow.core.spec import Input, StateDef, TransitionDef, WorkflowDef
from workflow.council import guards as cg
from workflow.dossiers import guards as dg
from workflow.lifecycles.common import (
    DRAFT,
    OFFICE,
    OFFICE_REVIEW,
    RETURNED,
    SECRETARY,
    UNIT_REVIEW,
    WITHDRAWN,
    council_defer,
    publish,
    unit_stage,
)
from workflow.publication import notice as pn

READY = (dg.required_fields, dg.has_evidence)

# Awards the Department confers are published after the Council; the others go to the
# higher level first (forward, then the higher level's answer). Publishing records the award.
_PUBLISH = publish("approved")
PUBLISH = replace(
    _PUBLISH,
    guards=_PUBLISH.guards + (ag.department_confers,),
    effects=_PUBLISH.effects + (ag.record_award,),
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
        StateDef("council_review", "Chờ Hội đồng xét", "Awaiting the Council"),
        StateDef("approved", "Hội đồng thông qua", "Approved by the Council"),
        StateDef("forwarded", "Đã trình cấp trên", "Forwarded to the higher level"),
        StateDef("rejected", "Không được đề nghị", "Not approved", terminal=True),
        StateDef("published", "Đã công bố", "Published", terminal=True, public=True),
        WITHDRAWN,
    ),
    transitions=unit_stage(
        READY, submit_extra=(gc.campaign_accepts, gc.unit_takes_part, gc.award_admitted)
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
    + HIGHER,
)
