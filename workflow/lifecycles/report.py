"""The unit report lifecycle (báo cáo kết quả): the Council's decision is a classification."""

from workflow.campaigns import guards as gc
from workflow.core.spec import Input, StateDef, Tone, TransitionDef, WorkflowDef
from workflow.council import guards as cg
from workflow.dossiers import guards as dg
from workflow.lifecycles.common import (
    COUNCIL_REVIEW,
    DRAFT,
    OFFICE,
    OFFICE_REVIEW,
    PUBLISHED,
    RETURNED,
    SECRETARY,
    TO_PUBLISH_QUEUE,
    UNIT_REVIEW,
    WITHDRAWN,
    council_defer,
    publish,
    unit_stage,
)

CLASSIFIED = StateDef(
    "classified",
    "Hội đồng đã xếp loại",
    "Classified by the Council",
    queue=TO_PUBLISH_QUEUE,
    tone=Tone.SUCCESS,
    decided=True,
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
        COUNCIL_REVIEW,
        CLASSIFIED,
        PUBLISHED,
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
            forward=True,
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
            forward=True,
        ),
        council_defer(),
        publish("classified"),
    ),
)
