"""The short ways the templates take for what pages write many times: ``_()`` (kept per
catalog) says what Jinja's own new-style gettext says, in the language of the moment; the
option, badge and field writers give what ``Markup.format`` gives."""

from __future__ import annotations

import pytest
from flask import Flask, render_template_string, url_for
from jinja2 import Environment
from markupsafe import Markup

from web.home.links import dossier_url
from web.support.i18n import catalog, in_language
from web.support.templating import html_field, option_html, options_html, state_badge

TEMPLATE = (
    '{{ _("Lọc") }}|{{ _("Trang %(p)d", p=n) }}|{{ _("Tìm kiếm") }}|'
    '{{ _("Lý do trả lại:") }} {{ _("Bỏ phiếu: %(t)s", t=title) }}'
)


def _jinja_own(app: Flask, source: str, **context) -> str:
    """``source`` drawn with Jinja's own ``_`` (the i18n extension's) on the same catalog."""
    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    env.install_gettext_callables(
        gettext=lambda s: catalog().ugettext(s),
        ngettext=lambda s, p, n: catalog().ungettext(s, p, n),
        newstyle=True,
    )
    return env.from_string(source).render(**context)


@pytest.mark.parametrize("code", ["vi", "en"])
def test_underscore_says_what_jinja_says_in_each_language(app: Flask, code: str) -> None:
    context = {"n": 3, "title": "<b>Đặng & Lê</b>"}
    with app.test_request_context("/"), in_language(code):
        for _ in range(2):  # the second time from what is kept
            ours = render_template_string(TEMPLATE, **context)
            assert ours == _jinja_own(app, TEMPLATE, **context)
    assert ("Filter" in ours) == (code == "en")
    assert "&lt;b&gt;Đặng &amp; Lê&lt;/b&gt;" in ours


def test_underscore_follows_the_language_switch(app: Flask) -> None:
    with app.test_request_context("/"):
        assert render_template_string('{{ _("Lọc") }}') == "Lọc"
        with in_language("en"):
            assert render_template_string('{{ _("Lọc") }}') == "Filter"
            assert render_template_string('{{ _("Trang %(p)d", p=2) }}') == "Page 2"
        assert render_template_string('{{ _("Lọc") }}') == "Lọc"
        assert render_template_string('{{ _("Trang %(p)d", p=2) }}') == "Trang 2"


def test_underscore_without_autoescape_formats_plain_text(app: Flask) -> None:
    source = (
        '{% autoescape false %}{{ _("Bỏ phiếu: %(t)s", t=t) }} {{ _("Lọc") }}{% endautoescape %}'
    )
    with app.test_request_context("/"):
        for _ in range(2):
            assert render_template_string(source, t="<i>") == "Bỏ phiếu: <i> Lọc"
            assert render_template_string(source, t="<i>") == _jinja_own(app, source, t="<i>")


class Lazy:
    """Neither str nor markup: written as ``Markup.format`` writes it."""

    def __html__(self) -> str:
        return "<em>"

    def __str__(self) -> str:
        return "lazy"


@pytest.mark.parametrize(
    "value", ["Đặng <&> \"Lê\" 'x'", 7, Markup("<b>ok</b>"), True, None, 2.5, Lazy()]
)
def test_html_field_writes_what_markup_format_writes(value) -> None:
    assert html_field(value) == Markup("{}").format(value)
    assert type(html_field(value)) is Markup


def test_option_writers_write_what_markup_format_writes(app: Flask) -> None:
    template = Markup('<option value="{}"{}>{}</option>')
    choices = [(1, "Trường <A>"), (2, "B & C"), ("x", Markup("<i>D</i>"))]
    expected = Markup("").join(
        template.format(v, Markup(" selected") if v == 2 else "", t) for v, t in choices
    )
    assert options_html(choices, 2) == expected
    assert Markup("").join(option_html(v, t, v == 2) for v, t in choices) == expected
    with app.test_request_context("/"):
        assert state_badge("nomination", "draft") == Markup(
            '<span class="badge tone-{}" data-state="{}">{}</span>'
        ).format("neutral", "draft", "Nháp")


def test_dossier_links_are_what_url_for_writes_under_any_mount_point(app: Flask) -> None:
    for base in ("http://localhost/", "http://localhost/vinh-danh/"):
        with app.test_request_context("/", base_url=base):
            for dossier_id in (1, 42, 987654321, 1234567890):
                assert dossier_url(dossier_id) == url_for("dossiers.detail", dossier_id=dossier_id)
    with app.test_request_context("/", base_url="http://localhost/vinh-danh/"):
        assert dossier_url(7) == "/vinh-danh/dossiers/7"
