"""Forms of the award catalogue. The checks live in ``workflow.awards``; these forms carry
the fields (and CSRF), and the view puts the service's findings under each field. The rule
form has the inputs every rule kind declares (``workflow.awards.rules``)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, HiddenField, SelectField, StringField, TextAreaField
from wtforms.widgets import NumberInput, TextInput

from web.support.i18n import lazy_pick, pick
from web.support.templating import DATE_ATTRS
from workflow.awards.rules import PARAM_FIELDS, RULE_KINDS, ParamField


def _select(label, **kwargs) -> SelectField:
    # The service decides what is a valid choice (and says so in Vietnamese or English).
    return SelectField(label, validate_choice=False, **kwargs)


class AwardForm(FlaskForm):
    code = StringField(
        _l("Mã danh hiệu"),
        description=_l("Chữ in hoa không dấu, chữ số, dấu gạch ngang; ví dụ: CSTDCS."),
    )
    name_vi = StringField(_l("Tên tiếng Việt"))
    name_en = StringField(_l("Tên tiếng Anh"))
    nominee_kind = _select(_l("Đối tượng"))
    conferring_authority = _select(
        _l("Cấp quyết định khen thưởng"),
        description=_l(
            "Danh hiệu của UBND thành phố, Bộ hoặc cấp trên khác "
            "được trình cấp trên sau khi Hội đồng ngành thông qua."
        ),
    )
    vote_threshold = StringField(
        _l("Tỷ lệ phiếu đồng ý cần đạt (phân số, ví dụ 4/5)"),
        default="1/2",
        description=_l("Số phiếu cần đạt được làm tròn lên: 4/5 của 9 người là 8 phiếu."),
    )
    threshold_base = _select(_l("Tỷ lệ tính trên"))
    threshold_source = StringField(
        _l("Căn cứ của tỷ lệ phiếu"),
        description=_l("Văn bản, điều khoản; ví dụ: Nghị định 98/2023/NĐ-CP, Điều 30."),
    )
    threshold_from = StringField(
        _l("Tỷ lệ áp dụng từ ngày"), widget=TextInput(), render_kw=DATE_ATTRS
    )
    public_notice_days = StringField(
        _l("Số ngày công khai trước khi Hội đồng xét"),
        default="0",
        widget=NumberInput(min=0, max=90),
        description=_l("0: không yêu cầu công khai."),
    )
    legal_source = TextAreaField(_l("Căn cứ pháp lý"))
    active = BooleanField(_l("Đang sử dụng"), default=True)
    # The award's version the edit form was drawn with (optimistic locking; empty when adding).
    version = HiddenField()


def _param_field(spec: ParamField) -> Field:
    """The form field of one input of a rule kind."""
    label = lazy_pick(*spec.label)
    if spec.input == "choice":
        return _select(label)
    if spec.input == "check":
        return BooleanField(label, default=spec.default)
    if spec.input == "decimal":
        # Text, not a number box: browsers would refuse "0,3", the way it is written in Vietnamese.
        return StringField(label, default=spec.default, render_kw={"inputmode": "decimal"})
    return StringField(label, default=spec.default, widget=NumberInput(min=spec.low, max=spec.high))


def _rule_form() -> type[FlaskForm]:
    """The kind, then every kind's inputs (the admin fills in those of the kind chosen), then
    what every rule has."""
    fields: dict[str, Any] = {"kind": _select(_l("Loại điều kiện"))}
    fields |= {spec.name: _param_field(spec) for spec in PARAM_FIELDS}
    fields["hard"] = BooleanField(
        _l("Bắt buộc: không đạt thì không được trình Hội đồng"),
        default=True,
        description=_l("Bỏ chọn nếu chỉ cảnh báo; khi đó Văn phòng phải nêu lý do nếu vẫn trình."),
    )
    fields["source"] = TextAreaField(_l("Căn cứ (văn bản, điều khoản)"))
    fields["valid_from"] = StringField(
        _l("Áp dụng từ ngày"), widget=TextInput(), render_kw=DATE_ATTRS
    )
    fields["valid_to"] = StringField(_l("Đến ngày"), widget=TextInput(), render_kw=DATE_ATTRS)
    return type("RuleForm", (FlaskForm,), fields)


RuleForm = _rule_form()


def rule_hint() -> str:
    """Which boxes belong to which kind of rule."""
    parts = [
        _("%(asks)s (loại “%(kind)s”)", asks=pick(*kind.asks), kind=pick(*kind.label))
        for kind in RULE_KINDS
        if kind.asks
    ]
    return _("Chỉ điền các ô của loại điều kiện đã chọn: %(parts)s.", parts=", ".join(parts))


def param_rows(form: FlaskForm) -> list[tuple[bool, list[Field]]]:
    """The kinds' inputs laid out in order: boxes side by side in a grid, each tick alone."""
    rows: list[tuple[bool, list[Field]]] = []
    for spec in PARAM_FIELDS:
        boxed = spec.input != "check"
        if boxed and rows and rows[-1][0]:
            rows[-1][1].append(form[spec.name])
        else:
            rows.append((boxed, [form[spec.name]]))
    return rows


class HoldForm(FlaskForm):
    person_id = _select(
        _l("Cá nhân (trong sổ theo dõi)"),
        description=_l("Để trống và chọn đơn vị nếu tạm dừng xét khen thưởng cả tập thể đơn vị."),
    )
    unit_id = _select(_l("Đơn vị (khi tạm dừng cả tập thể)"))
    reason = TextAreaField(_l("Lý do (đang xem xét kỷ luật, thanh tra, điều tra, khiếu nại…)"))
    starts_on = StringField(_l("Từ ngày"), widget=TextInput(), render_kw=DATE_ATTRS)
    ends_on = StringField(
        _l("Đến ngày"),
        widget=TextInput(),
        render_kw=DATE_ATTRS,
        description=_l("Để trống nếu chưa có kết luận."),
    )


class BaseSalaryForm(FlaskForm):
    valid_from = StringField(_l("Áp dụng từ ngày"), widget=TextInput(), render_kw=DATE_ATTRS)
    amount = StringField(
        _l("Mức lương cơ sở (đồng/tháng)"),
        render_kw={"inputmode": "numeric"},
        description=_l("Ví dụ: 2.340.000"),
    )
    source = TextAreaField(_l("Căn cứ (văn bản, điều khoản)"))
