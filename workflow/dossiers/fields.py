"""The content fields of a dossier, each declared once.

A field says which kinds have it, what it is called, how it is typed in, whether a draft or
only the submission needs it and whether its edits are audited. ``workflow.dossiers.content`` checks
and applies values with it, the submission guard and the edit history read it, and
``web.dossiers.forms`` builds the form fields from it. Maximum lengths sit with the columns they
size (``models.dossiers.MAX_LENGTH``): models may not import workflow, so workflow reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from models import AwardType, Campaign
from models.base import Base
from models.dossiers import DOSSIER_KINDS, MAX_LENGTH
from workflow.awards.catalogue import NOMINEE_LABELS
from workflow.core.errors import Violation
from workflow.core.inputs import field_not_chosen, field_required

# How a person gives the value: a line of text, a longer text, one of a few options shown
# together, one of a list read from the database (a reference), or a tick.
Widget = Literal["line", "text", "radio", "select", "check"]
# What workflow makes of what was typed.
Value = Literal["text", "flag", "choice", "ref"]
_VALUES: dict[str, Value] = {
    "line": "text",
    "text": "text",
    "radio": "choice",
    "select": "ref",
    "check": "flag",
}

ALL = DOSSIER_KINDS
DOCUMENTS = ("plan", "report", "proposal")


@dataclass(frozen=True)
class FieldDef:
    """One content field. Labels are (Vietnamese, English): ``label`` is what the form shows,
    ``short`` (when given) what refusals and the edit history call it."""

    name: str
    kinds: tuple[str, ...]
    label: tuple[str, str]
    widget: Widget
    short: tuple[str, str] | None = None
    # Not even a draft is saved without it: the choices that say what the dossier is (its
    # campaign, its award), columns that cannot be empty.
    required: bool = False
    # The dossier cannot be sent on while it is empty: a draft is saved without it, and told
    # that it is still missing (``workflow.dossiers.guards.missing_to_send``).
    required_to_send: bool = False
    # Its old and new values are written in the audit event of an edit.
    audited: bool = True
    # Set by the system, not typed: no form field.
    on_form: bool = True
    # What a new dossier holds before the given fields are applied (and the form's default).
    initial: Any = None
    # ``radio``: the values allowed and their labels.
    choices: Mapping[str, tuple[str, str]] | None = None
    # ``select``: the value is the id of an active row of this model.
    refers_to: type[Base] | None = None

    @property
    def max_length(self) -> int | None:
        return MAX_LENGTH.get(self.name)

    @property
    def value(self) -> Value:
        return _VALUES[self.widget]

    @property
    def named(self) -> tuple[str, str]:
        """What refusals and the edit history call the field (Vietnamese, English)."""
        return self.short or self.label

    def missing(self) -> Violation:
        """The refusal of this field left empty: "please fill in" for what is typed, "please
        choose" for what is chosen (or copied from what was chosen)."""
        typed = self.on_form and self.widget in ("line", "text")
        return field_required(self.named) if typed else field_not_chosen(self.named)


FIELDS: tuple[FieldDef, ...] = (
    FieldDef(
        "title",
        ALL,
        ("Tiêu đề hồ sơ", "Dossier title"),
        "line",
        short=("Tiêu đề", "Title"),
        required_to_send=True,
        initial="",
    ),
    FieldDef(
        "campaign_id",
        ALL,
        ("Phong trào thi đua", "Emulation campaign"),
        "select",
        short=("Phong trào", "Campaign"),
        required=True,
        refers_to=Campaign,
    ),
    FieldDef(
        "nominee_kind",
        ("nomination",),
        ("Đối tượng đề nghị", "Nominee kind"),
        "radio",
        short=("Đối tượng", "Nominee kind"),
        required=True,
        initial="individual",
        choices=NOMINEE_LABELS,
    ),
    # The register entry nominated: a current person of the unit (individual), or the unit
    # itself or one of its groups (collective; none chosen means the unit itself).
    FieldDef(
        "person_id",
        ("nomination",),
        (
            "Cá nhân được đề nghị (trong sổ theo dõi của đơn vị)",
            "Person (from the unit's register)",
        ),
        "select",
        short=("Cá nhân được đề nghị", "Person"),
    ),
    FieldDef(
        "collective_id",
        ("nomination",),
        ("Tập thể được đề nghị", "Collective"),
        "select",
        short=("Tập thể", "Collective"),
    ),
    # The name and position printed in the decision: copied from the entry when saved.
    FieldDef(
        "nominee_name",
        ("nomination",),
        ("Họ tên cá nhân / tên tập thể", "Name of the person / collective"),
        "line",
        short=("Người hoặc tập thể được đề nghị", "Nominee"),
        required_to_send=True,
        initial="",
        on_form=False,
    ),
    FieldDef(
        "position",
        ("nomination",),
        ("Chức vụ, vị trí công tác", "Position, post"),
        "line",
        short=("Chức vụ, vị trí", "Position"),
        on_form=False,
    ),
    FieldDef(
        "award_type_id",
        ("nomination",),
        ("Danh hiệu, hình thức khen thưởng", "Award"),
        "select",
        required=True,
        refers_to=AwardType,
    ),
    FieldDef(
        "achievements",
        ("nomination",),
        ("Tóm tắt thành tích", "Summary of achievements"),
        "text",
        short=("Thành tích", "Achievements"),
        required_to_send=True,
        initial="",
    ),
    # The list this nomination is a row of, set when the row is added to it.
    FieldDef(
        "proposal_id",
        ("nomination",),
        ("Thuộc tờ trình", "Row of the proposal"),
        "select",
        short=("Tờ trình", "Proposal"),
        on_form=False,
    ),
    FieldDef(
        "ad_hoc",
        ("nomination",),
        ("Khen thưởng đột xuất", "Ad-hoc commendation"),
        "check",
        short=("Khen thưởng đột xuất", "Ad-hoc"),
    ),
    FieldDef(
        "direct_worker", ("nomination",), ("Người lao động trực tiếp", "Direct worker"), "check"
    ),
    FieldDef("document_number", DOCUMENTS, ("Số văn bản", "Document number"), "line"),
    FieldDef("summary", DOCUMENTS, ("Nội dung", "Content"), "text", required_to_send=True),
    FieldDef(
        "unit_vote",
        ("proposal",),
        (
            "Kết quả biểu quyết của Hội đồng thi đua, khen thưởng đơn vị (theo biên bản họp xét)",
            "The unit council's vote (as its minutes record it)",
        ),
        "line",
        short=("Kết quả biểu quyết của đơn vị", "Unit council's vote"),
        required_to_send=True,
        initial="",
    ),
)

_BY_KIND: dict[str, dict[str, FieldDef]] = {
    kind: {f.name: f for f in FIELDS if kind in f.kinds} for kind in DOSSIER_KINDS
}


def fields_of(kind: str) -> Mapping[str, FieldDef]:
    """The content fields of ``kind`` by name, in the order they are declared (and shown)."""
    return _BY_KIND.get(kind, {})
