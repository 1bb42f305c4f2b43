"""The form that opens a Council session (the members' checkboxes are drawn by the view)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import NumberInput, TextInput

from web.support.parsing import whole_number
from web.support.templating import DATE_ATTRS
from workflow.core.dates import parse_day
from workflow.council.sessions import DEFAULT_QUORUM_PCT


def _day(form, field) -> None:
    field.parsed = parse_day(field.data)
    if field.parsed is None:
        raise ValidationError(_l("Ngày phải theo dạng ngày/tháng/năm, ví dụ 05/12/2026."))


def _percent(form, field) -> None:
    value = (field.data or "").strip()
    if not 1 <= (whole_number(value) or 0) <= 100:
        raise ValidationError(_l("Tỷ lệ túc số phải là số nguyên từ 1 đến 100."))
    field.parsed = int(value)


class SessionForm(FlaskForm):
    title = StringField(
        _l("Tên phiên họp"),
        default=_l("Phiên họp Hội đồng Thi đua - Khen thưởng ngành"),
        validators=[DataRequired(_l("Vui lòng nhập tên phiên họp.")), Length(max=255)],
    )
    # A text field with a date widget: WTForms' DateField has no Vietnamese messages.
    held_on = StringField(
        _l("Ngày họp"),
        widget=TextInput(),
        render_kw=DATE_ATTRS,
        validators=[DataRequired(_l("Vui lòng nhập ngày họp.")), _day],
    )
    place = StringField(
        _l("Địa điểm"), default=_l("Phòng họp Sở Giáo dục và Đào tạo"), validators=[Length(max=255)]
    )
    quorum_pct = StringField(
        _l("Tỷ lệ thành viên có mặt tối thiểu (%)"),
        default=str(DEFAULT_QUORUM_PCT),
        widget=NumberInput(min=1, max=100),
        validators=[_percent],
        description=_l("Mặc định hai phần ba (67%) số thành viên Hội đồng."),
    )
