"""Error pages in the app's own look, and the mapping of engine refusals to HTTP."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from web.support.i18n import lang
from web.support.uploads import limits_text, megabytes
from workflow.core.errors import NotFound, StaleVersion, WorkflowError

TITLES = {
    400: ("Yêu cầu không hợp lệ", "Bad request"),
    403: ("Không có quyền", "Forbidden"),
    404: ("Không tìm thấy", "Not found"),
    405: ("Phương thức không được phép", "Method not allowed"),
    409: ("Xung đột", "Conflict"),
    413: ("Tệp quá lớn", "Too large"),
    415: ("Không xem trước được tệp", "File cannot be previewed"),
    429: ("Quá nhiều yêu cầu", "Too many requests"),
    500: ("Lỗi hệ thống", "Server error"),
}


def status_of(error: WorkflowError) -> int:
    """404 for what the person may not see, 403 for what they may not do, 409 otherwise."""
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, StaleVersion):
        return 409
    return 403 if error.is_permission else 409


def render_error(code: int, messages: list[str] | None = None, *, go_back: bool = False):
    """The error page; ``go_back`` offers the browser's own Back, which keeps what was typed."""
    vi, en = TITLES.get(code, TITLES[500])
    return render_template(
        "errors/error.html",
        code=code,
        title=en if lang() == "en" else vi,
        messages=messages or [],
        go_back=go_back,
    ), code


def _too_large() -> list[str]:
    """What a request over the size limits is told: the limits, that nothing was saved, and
    how to go back without losing anything (the form could not be read, so it cannot be
    drawn again here)."""
    size = request.content_length
    first = (
        _(
            "Dữ liệu gửi lên (%(size)s MB) vượt quá giới hạn: %(limits)s. Chưa có gì được lưu.",
            size=megabytes(size),
            limits=limits_text(),
        )
        if size
        else _(
            "Dữ liệu gửi lên vượt quá giới hạn: %(limits)s. Chưa có gì được lưu.",
            limits=limits_text(),
        )
    )
    return [
        first,
        _(
            "Hãy bấm “Quay lại” của trình duyệt: nội dung bạn đã nhập vẫn còn trong biểu mẫu. "
            "Chọn tệp nhỏ hơn hoặc ít tệp hơn, rồi gửi lại."
        ),
    ]


def init_app(app: Flask) -> None:
    @app.errorhandler(WorkflowError)
    def _workflow(error: WorkflowError):
        return render_error(status_of(error), error.messages(lang()))

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return render_error(
            400,
            [
                _(
                    "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. "
                    "Vui lòng tải lại trang và thử lại."
                )
            ],
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code == 413:
            return render_error(413, _too_large(), go_back=True)
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return _http(error)
        app.logger.exception("unhandled error on %s", request.path)
        return render_error(
            500, [_("Đã có lỗi xảy ra. Thao tác chưa được thực hiện; vui lòng thử lại.")]
        )
