"""The nomination lifecycle (đề nghị khen thưởng), as in DESIGN.md's table."""
from workflow import guards as g
from workflow import guards_campaign as gc
from workflow.definitions.common import (DRAFT, OFFICE, OFFICE_REVIEW, RETURNED, SECRETARY,
                                         UNIT_REVIEW, WITHDRAWN, council_defer, publish,
                                         unit_stage)
from workflow.spec import Input, StateDef, TransitionDef, WorkflowDef

READY = (g.required_fields, g.has_evidence)

NOMINATION = WorkflowDef(
    kind="nomination",
    label_vi="Hồ sơ đề nghị khen thưởng",
    label_en="Nomination",
    initial="draft",
    states=(
        DRAFT, UNIT_REVIEW, OFFICE_REVIEW, RETURNED,
        StateDef("council_review", "Chờ Hội đồng xét", "Awaiting the Council"),
        StateDef("approved", "Hội đồng thông qua", "Approved by the Council"),
        StateDef("rejected", "Không được đề nghị", "Not approved", terminal=True),
        StateDef("published", "Đã công bố", "Published", terminal=True, public=True),
        WITHDRAWN,
    ),
    transitions=unit_stage(READY, submit_extra=(g.campaign_accepts, gc.unit_takes_part,
                                                gc.award_admitted)) + (
        TransitionDef("office_approve", ("office_review",), "council_review", OFFICE,
                      "Thẩm định đạt, trình Hội đồng", "Approve to the Council",
                      guards=(g.reviewer_independent,) + READY),
        TransitionDef("council_approve", ("council_review",), "approved", SECRETARY,
                      "Hội đồng thông qua", "Council approves",
                      requires=frozenset({Input.COUNCIL_VOTE}),
                      guards=(g.council_quorum, g.council_vote_passes),
                      effects=(g.council_outcome("approved"),)),
        TransitionDef("council_reject", ("council_review",), "rejected", SECRETARY,
                      "Hội đồng không thông qua", "Council rejects",
                      requires=frozenset({Input.REASON, Input.COUNCIL_VOTE}),
                      guards=(g.council_quorum, g.council_tally_possible),
                      effects=(g.council_outcome("rejected"),),
                      style="danger"),
        council_defer(),
        publish("approved"),
    ),
)
