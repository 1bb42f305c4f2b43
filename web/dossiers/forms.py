"""Forms of the dossier pages, built per kind from the declared content fields
(``workflow.dossiers.fields``: labels, limits, what is required), with choices from the database.

The forms check what a browser can get wrong (missing, too long, not a choice); the rules
of the domain (an award that fits the nominee, an active campaign) are checked again by
``workflow.dossiers``, whose refusals the view shows on the same form.
"""

from __future__ import annotations

from typing import Any

from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError
from wtforms.validators import Optional as Optionally

from models import AwardType, Campaign, Dossier, Unit
from models.clock import utcnow
from models.dossiers import DOSSIER_KINDS
from models.text import vi_sort_key
from web.support.i18n import date_vn, lang, lazy_pick, pick
from web.support.nominees import collective_label, person_label
from web.support.parsing import whole_number
from workflow.awards.nominees import groups_to_choose, people_to_choose
from workflow.campaigns.guards import refusal_today, taking_part
from workflow.dossiers.fields import FieldDef, fields_of

# The choices of the nominee kind, in the form's order (individuals first).
NOMINEE_KINDS = tuple(
    (k, lazy_pick(*v)) for k, v in fields_of("nomination")["nominee_kind"].choices.items()
)
ACCEPT = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"
# What a wrong pick is told, when more precise than "not a valid choice".
_INVALID_CHOICE = {"nominee_kind": _l("Vui lòng chọn cá nhân hoặc tập thể.")}


def _required(label: Any) -> DataRequired:
    return DataRequired(message=_l("Vui lòng nhập “%(field)s”.", field=label))


def _chosen(label: Any) -> DataRequired:
    return DataRequired(message=_l("Vui lòng chọn “%(field)s”.", field=label))


class _AtMost:
    """At most ``limit`` characters, said with the field's name, the length typed and the limit.

    It sets the ``limit`` flag (the form macro draws the limit and a live counter from it), not
    ``maxlength``: a browser silently cuts pasted text at ``maxlength``, and the person would
    never know what was lost."""

    def __init__(self, limit: int, label: Any):
        self.limit, self.label = limit, label
        self.field_flags = {"limit": limit}

    def __call__(self, form: FlaskForm, field: Field) -> None:
        length = len(field.data or "")
        if length > self.limit:
            raise ValidationError(
                _(
                    "“%(field)s” có %(length)s ký tự, vượt quá giới hạn %(limit)s ký tự: "
                    "vui lòng rút gọn %(over)s ký tự. Nội dung bạn nhập vẫn được giữ nguyên.",
                    field=self.label,
                    length=format_number(length),
                    limit=format_number(self.limit),
                    over=format_number(length - self.limit),
                )
            )


def _one_line_break(value: Any) -> Any:
    """A browser sends each line break of a text area as CR LF; counted as one, as its counter
    shows it and as the text is stored."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _as_id(value: Any) -> int | None:
    """Select values: "" (the placeholder) becomes None, digits an id."""
    return whole_number(value)


def _invalid_choice(name: str) -> Any:
    return _INVALID_CHOICE.get(name, _l("Lựa chọn không hợp lệ, vui lòng chọn lại."))


def _id_select(label: Any, name: str = "", required: bool = True) -> SelectField:
    return SelectField(
        label,
        coerce=_as_id,
        validators=[_chosen(label) if required else Optionally()],
        invalid_choice_message=_invalid_choice(name),
    )


def _text_validators(spec: FieldDef, label: Any) -> list[Any]:
    first = _required(label) if spec.required else Optionally()
    return [first] + ([_AtMost(spec.max_length, label)] if spec.max_length is not None else [])


def _content_field(spec: FieldDef) -> Field:
    """The form field of a declared content field: its label, limit and validators."""
    label = lazy_pick(*spec.label)
    if spec.widget == "select":
        return _id_select(label, spec.name, spec.required)
    if spec.widget == "radio":
        return RadioField(
            label,
            choices=[SelectChoice(v, lazy_pick(*pair)) for v, pair in (spec.choices or {}).items()],
            default=spec.initial,
            validators=[_chosen(label)],
            invalid_choice_message=_invalid_choice(spec.name),
        )
    if spec.widget == "check":
        return BooleanField(label)
    if spec.widget == "text":
        return TextAreaField(
            label, validators=_text_validators(spec, label), filters=[_one_line_break]
        )
    return StringField(label, validators=_text_validators(spec, label))


class DossierForm(FlaskForm):
    """What every kind's form has besides its content: the unit (when the person belongs to
    several), the version and the evidence files. ``form_for`` adds the content fields."""

    unit_id = _id_select(_l("Đơn vị"))
    # The version the page was drawn from (optimistic locking on edit).
    version = HiddenField()
    files = MultipleFileField(_l("Tệp minh chứng"), render_kw={"accept": ACCEPT})

    # Field names passed to workflow.dossiers; the view builds the mapping from them.
    CONTENT: tuple[str, ...] = ()

    def content(self) -> dict[str, Any]:
        """The values ``workflow.dossiers.content.create/edit`` take."""
        return {name: getattr(self, name).data for name in self.CONTENT}


class NominationForm(DossierForm):
    """Đề nghị khen thưởng: the award must fit the nominee kind chosen."""

    def validate_award_type_id(self, field: SelectField) -> None:
        kind = getattr(self, "award_kinds", {}).get(field.data)
        if (
            kind
            and self.nominee_kind.data in dict(NOMINEE_KINDS)
            and kind != self.nominee_kind.data
        ):
            raise ValidationError(
                _l(
                    "Danh hiệu này dành cho %(kind)s; vui lòng chọn lại cho phù hợp "
                    "với đối tượng đề nghị.",
                    kind=dict(NOMINEE_KINDS)[kind].lower(),
                )
            )


def form_for(kind: str) -> type[DossierForm]:
    """The form class of ``kind``: its declared content fields on the kind's base form."""
    base = NominationForm if kind == "nomination" else DossierForm
    specs = [f for f in fields_of(kind).values() if f.on_form]
    fields: dict[str, Any] = {f.name: _content_field(f) for f in specs}
    return type(f"{kind.title()}Form", (base,), {**fields, "CONTENT": tuple(fields)})


FORMS: dict[str, type[DossierForm]] = {kind: form_for(kind) for kind in DOSSIER_KINDS}


def build_form(
    session: Session, kind: str, units: list[Unit], dossier: Dossier | None = None
) -> DossierForm:
    """The form of ``kind`` with its choices; prefilled from ``dossier`` on a GET."""
    form = FORMS[kind](obj=dossier) if dossier is not None else FORMS[kind]()
    placeholder = SelectChoice("", _l("— Chọn —"))
    form.unit_id.choices = [placeholder] + [SelectChoice(str(u.id), u.name) for u in units]
    if len(units) == 1 and form.unit_id.data is None:
        form.unit_id.data = units[0].id
    current = dossier.campaign_id if dossier is not None else None
    offered, form.campaigns_left_out = campaigns(session, kind, [u.id for u in units], current)
    form.campaign_id.choices = [placeholder] + [
        SelectChoice(str(c.id), _campaign_label(c)) for c in offered
    ]
    if isinstance(form, NominationForm):
        awards = award_types(session, getattr(dossier, "award_type_id", None))
        form.award_kinds = {a.id: a.nominee_kind for a in awards}
        groups = dict(NOMINEE_KINDS)
        form.award_type_id.choices = [placeholder] + [
            SelectChoice(
                str(a.id),
                pick(a.name_vi, a.name_en),
                {"data-kind": a.nominee_kind},
                str(groups.get(a.nominee_kind, a.nominee_kind)),
            )
            for a in awards
        ]
    if isinstance(form, NominationForm):
        _nominee_choices(session, form, [u.id for u in units])
    if dossier is not None and not form.version.data:
        form.version.data = str(dossier.version)
    return form


def _nominee_choices(session: Session, form: DossierForm, unit_ids: list[int]) -> None:
    """The unit's current people (grouped by unit when there are several) and its groups."""
    several = len(unit_ids) > 1
    people = people_to_choose(session, unit_ids)
    form.register_empty = not people
    form.person_id.choices = [SelectChoice("", _l("— Chọn —"))] + [
        SelectChoice(str(p.id), person_label(p), None, p.unit.name if several else None)
        for p in people
    ]
    form.collective_id.choices = [SelectChoice("", _l("— Cả đơn vị —"))] + [
        SelectChoice(str(c.id), collective_label(c), None, c.unit.name if several else None)
        for c in groups_to_choose(session, unit_ids)
    ]


def campaigns(
    session: Session, kind: str, unit_ids: list[int], include: int | None = None
) -> tuple[list[Campaign], list[str]]:
    """The campaigns a new dossier of ``kind`` from one of ``unit_ids`` could be sent in today,
    ad-hoc commendation first (fast-tracked), then newest year first, plus the dossier's own
    (``include``) whatever its state; and why each other active campaign of those units is
    left out."""
    now = utcnow()
    rows = session.scalars(
        select(Campaign).where(Campaign.active.is_(True) | (Campaign.id == (include or -1)))
    ).all()
    ours = set(session.scalars(select(Campaign.id).where(taking_part(unit_ids))))
    offered, left_out = [], []
    for campaign in sorted(rows, key=lambda c: (not c.is_ad_hoc, -c.year, vi_sort_key(c.name))):
        if campaign.id == include:
            offered.append(campaign)
        elif campaign.id not in ours:
            continue  # another unit's campaign is none of this form's business
        elif (refusal := refusal_today(campaign, kind, now)) is not None:
            left_out.append(refusal.message(lang()))
        else:
            offered.append(campaign)
    return offered, left_out


def award_types(session: Session, include: int | None = None) -> list[AwardType]:
    """The active catalogue, individuals first, by Vietnamese name."""
    rows = session.scalars(
        select(AwardType).where((AwardType.active.is_(True)) | (AwardType.id == (include or -1)))
    ).all()
    order = {kind: i for i, (kind, _) in enumerate(NOMINEE_KINDS)}
    return sorted(rows, key=lambda a: (order.get(a.nominee_kind, 9), vi_sort_key(a.name_vi)))


def _campaign_label(campaign: Campaign) -> str:
    if campaign.opens_on or campaign.closes_on:
        return (
            f"{campaign.name} ({date_vn(campaign.opens_on) or '…'} – "
            f"{date_vn(campaign.closes_on) or '…'})"
        )
    return campaign.name
