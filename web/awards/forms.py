"""Forms of the award catalogue. The checks live in ``workflow.awards``; these forms carry
the fields (and CSRF), and the view puts the service's findings under each field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.widgets import DateInput, NumberInput


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
    vote_threshold_pct = StringField(
        _l("Tỷ lệ phiếu đồng ý cần đạt (%)"), widget=NumberInput(min=1, max=100)
    )
    threshold_base = _select(_l("Tỷ lệ tính trên"))
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


class RuleForm(FlaskForm):
    kind = _select(_l("Loại điều kiện"))
    purpose = _select(_l("Thành phần hồ sơ phải có"))
    award = _select(_l("Danh hiệu phải đã đạt"))
    years = StringField(_l("Số năm liên tục"), default="1", widget=NumberInput(min=1, max=10))
    include_current = BooleanField(_l("Tính cả năm đang xét"), default=True)
    of = _select(_l("Tính theo số lượng danh hiệu"))
    pct = StringField(_l("Tỷ lệ tối đa (%)"), default="15", widget=NumberInput(min=1, max=100))
    hard = BooleanField(
        _l("Bắt buộc: không đạt thì không được trình Hội đồng"),
        default=True,
        description=_l("Bỏ chọn nếu chỉ cảnh báo; khi đó Văn phòng phải nêu lý do nếu vẫn trình."),
    )
    source = TextAreaField(_l("Căn cứ (văn bản, điều khoản)"))
    valid_from = StringField(_l("Áp dụng từ ngày"), widget=DateInput())
    valid_to = StringField(_l("Đến ngày"), widget=DateInput())


class HoldForm(FlaskForm):
    person_name = StringField(
        _l("Họ tên cá nhân"),
        description=_l("Để trống nếu tạm dừng xét khen thưởng cả tập thể của đơn vị."),
    )
    unit_id = _select(_l("Đơn vị"))
    reason = TextAreaField(_l("Lý do (đang xem xét kỷ luật, thanh tra, điều tra, khiếu nại…)"))
    starts_on = StringField(_l("Từ ngày"), widget=DateInput())
    ends_on = StringField(
        _l("Đến ngày"), widget=DateInput(), description=_l("Để trống nếu chưa có kết luận.")
    )
