"""The form that opens a Council session (the members' checkboxes are drawn by the view)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import TextInput

from web.support.templating import DATE_ATTRS
from workflow.core.dates import parse_day
from workflow.core.shares import parse_share
from workflow.council.sessions import DEFAULT_QUORUM, DEFAULT_QUORUM_FROM, DEFAULT_QUORUM_SOURCE


def _day(form, field) -> None:
    field.parsed = parse_day(field.data)
    if field.parsed is None:
        raise ValidationError(_l("Ngày phải theo dạng ngày/tháng/năm, ví dụ 05/12/2026."))


def _optional_day(form, field) -> None:
    field.parsed = parse_day(field.data) if field.data else None
    if field.data and field.parsed is None:
        raise ValidationError(_l("Ngày phải theo dạng ngày/tháng/năm, ví dụ 05/12/2026."))


def _share(form, field) -> None:
    field.parsed = parse_share(field.data)
    if field.parsed is None:
        raise ValidationError(
            _l("Túc số là một phân số như 2/3, hoặc một tỷ lệ phần trăm từ 1 đến 100.")
        )


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
    quorum = StringField(
        _l("Số thành viên có mặt tối thiểu (phân số của tổng số thành viên)"),
        default=DEFAULT_QUORUM,
        validators=[_share],
        description=_l("Mặc định 2/3: hai phần ba tổng số thành viên Hội đồng, làm tròn lên."),
    )
    quorum_source = StringField(
        _l("Căn cứ quy định túc số"),
        default=DEFAULT_QUORUM_SOURCE,
        validators=[Length(max=400)],
        description=_l("Ghi vào biên bản cùng túc số."),
    )
    quorum_from = StringField(
        _l("Quy định túc số áp dụng từ ngày"),
        default=DEFAULT_QUORUM_FROM.isoformat(),
        widget=TextInput(),
        render_kw=DATE_ATTRS,
        validators=[_optional_day],
    )
