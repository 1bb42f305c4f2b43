"""The unit report lifecycle (báo cáo kết quả): the Council's decision is a classification."""

from workflow import guards as g
from workflow import guards_campaign as gc
from workflow.definitions.common import (
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
from workflow.spec import Input, StateDef, TransitionDef, WorkflowDef

REPORT = WorkflowDef(
    kind="report",
    label_vi="Báo cáo kết quả thi đua",
    label_en="Results report",
    initial="draft",
    states=(
        DRAFT,
        UNIT_REVIEW,
        OFFICE_REVIEW,
        RETURNED,
        StateDef("council_review", "Chờ Hội đồng xét", "Awaiting the Council"),
        StateDef("classified", "Hội đồng đã xếp loại", "Classified by the Council"),
        StateDef("published", "Đã công bố", "Published", terminal=True, public=True),
        WITHDRAWN,
    ),
    transitions=unit_stage(
        (g.required_fields, gc.figures_complete),
        submit_extra=(gc.unit_takes_part, gc.due_date_kept),
        send_extra=(gc.due_date_kept,),
    )
    + (
        TransitionDef(
            "office_approve",
            ("office_review",),
            "council_review",
            OFFICE,
            "Thẩm định đạt, trình Hội đồng",
            "Approve to the Council",
            guards=(g.reviewer_independent, g.required_fields),
        ),
        TransitionDef(
            "council_classify",
            ("council_review",),
            "classified",
            SECRETARY,
            "Hội đồng xếp loại",
            "Council classifies",
            requires=frozenset({Input.CLASSIFICATION, Input.COUNCIL_VOTE}),
            guards=(g.council_quorum, g.council_tally_possible),
            effects=(g.record_classification, g.council_outcome("classified")),
        ),
        council_defer(),
        publish("classified"),
    ),
)
