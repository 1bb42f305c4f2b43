"""The unit report lifecycle (báo cáo kết quả): the Council's decision is a classification."""

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
        (dg.required_fields, gc.figures_complete),
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
            guards=(dg.reviewer_independent, dg.required_fields),
        ),
        TransitionDef(
            "council_classify",
            ("council_review",),
            "classified",
            SECRETARY,
            "Hội đồng xếp loại",
            "Council classifies",
            requires=frozenset({Input.CLASSIFICATION, Input.COUNCIL_VOTE}),
            guards=(cg.council_quorum, cg.council_tally_possible),
            effects=(dg.record_classification, cg.council_outcome("classified")),
        ),
        council_defer(),
        publish("classified"),
    ),
)
