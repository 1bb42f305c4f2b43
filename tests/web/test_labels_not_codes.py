"""Words people read, not internal codes: a target's rule in words (not "≤ 0"), and every line
of a dossier's history named by a label (a transition's, an edit's), never its code."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask import session

from models import Target
from web.campaigns.presenters import rule_text
from web.dossiers.presenters import _action_text
from workflow.core.registry import WORKFLOWS


def _target(kind: str, comparison: str, threshold) -> Target:
    return Target(
        code="BAO-LUC",
        title_vi="",
        title_en="",
        kind=kind,
        comparison=comparison,
        threshold=None if threshold is None else Decimal(threshold),
    )


@pytest.mark.parametrize(
    "kind,comparison,threshold,vi,en",
    [
        ("count", "at_most", 0, "Không có (bằng 0)", "None (zero)"),
        ("count", "at_most", 2, "Không quá 2", "At most 2"),
        ("percent", "at_least", "92.5", "Ít nhất 92,5%", "At least 92.5%"),
        ("count", "above_baseline", None, "Cao hơn năm trước", "Above the previous year"),
        ("yes_no", "at_least", None, "Có", "Yes"),
    ],
)
def test_a_targets_rule_reads_as_words(app, kind, comparison, threshold, vi, en):
    target = _target(kind, comparison, threshold)
    with app.test_request_context():
        assert rule_text(target) == vi
    with app.test_request_context():
        session["lang"] = "en"
        assert rule_text(target) == en


def test_every_history_line_is_a_label(app):
    with app.test_request_context():
        for kind, wdef in WORKFLOWS.items():
            for tdef in wdef.transitions:
                assert _action_text(kind, tdef.trigger) == tdef.label_vi
        assert _action_text("nomination", "reply") == "Đơn vị trả lời ý kiến trả lại"
        assert _action_text("proposal", "remove_row") == "Bỏ một dòng khỏi danh sách"
        assert _action_text("nomination", "mot_ma_moi") == "Thay đổi hồ sơ"
