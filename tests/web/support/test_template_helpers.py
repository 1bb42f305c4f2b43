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
from web.support.templating import (
    form_attrs,
    form_described,
    form_help,
    form_mark,
    html_field,
    option_html,
    options_html,
    sort_link,
    state_badge,
    table_header,
)

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


# The macros the form_* functions, sort_link and table_header stand for, as they were written
# (without their leading underscores, which would hide them from the module).
OLD_MACROS = """
{% macro mark(required) %}{% if required %} <span class="required" aria-hidden="true">*</span>{% endif %}{% endmacro %}
{% macro attrs(attrs) %}{% for name, value in attrs.items() if value is not none and value is not false %} {{ name }}{% if value is not true %}="{{ value }}"{% endif %}{% endfor %}{% endmacro %}
{% macro described(id, hint) %}{% if hint %} aria-describedby="{{ id }}-help"{% endif %}{% endmacro %}
{% macro help(id, hint, errors) %}
  {% if hint %}<p class="hint" id="{{ id }}-help">{{ hint }}</p>{% endif %}
  {% for e in errors %}<p class="error-text" role="alert">{{ e }}</p>{% endfor %}
{% endmacro %}
{% macro sort_link(key, label, current) %}
{% set active = current.lstrip('-') == key %}
{% set desc = current.startswith('-') %}
<a href="{{ url_with(sort=('-' ~ key) if (active and not desc) else key, page=None) }}">{{ label }}{% if active %} {{ '▼' if desc else '▲' }}{% endif %}</a>
{% endmacro %}
{% macro header(column, current) %}
{% set c = column if column is mapping else {"label": column} %}
{% set active = c.get("sort") and current and current.lstrip('-') == c["sort"] %}
<th scope="col"{% if c.get("class") %} class="{{ c.get('class') }}"{% endif %}{% if active %} aria-sort="{{ 'descending' if current.startswith('-') else 'ascending' }}"{% endif %}>
  {%- if c.get("sort") %}{{ sort_link(c["sort"], c["label"], current) }}{% else %}{{ c["label"] }}{% endif -%}
</th>
{% endmacro %}
"""  # noqa: E501


def test_form_parts_and_headers_write_what_their_macros_wrote(app: Flask) -> None:
    old = app.jinja_env.from_string(OLD_MACROS).module
    texts = [None, "", "Gợi ý <b>", Markup("<i>đã an toàn</i>"), 0, 3]
    attrs = {"maxlength": 200, "readonly": True, "hidden": False, "x": None, "data-a": '"&'}
    with app.test_request_context("/dossiers/?q=a&sort=title&page=2"):
        for value in texts:
            assert form_mark(value) == old.mark(value)
            assert form_described("f-q", value) == old.described("f-q", value)
            for errors in ((), ["Sai <định dạng>", Markup("<b>x</b>")]):
                assert form_help("f-q", value, errors) == old.help("f-q", value, errors)
        assert form_attrs(attrs) == old.attrs(attrs) and form_attrs({}) == old.attrs({})
        columns = [
            "Số",
            Markup("<abbr>Đk</abbr>"),
            {"label": "Tiêu đề", "sort": "title"},
            {"label": "Cập nhật", "sort": "updated", "class": "nowrap"},
            {"label": "Loại", "class": "a&b"},
        ]
        for current in ("title", "-title", "updated", "-updated", "id"):
            for column in columns:
                assert table_header(column, current) == old.header(column, current)
            assert sort_link("title", "Tiêu <đề>", current) == old.sort_link(
                "title", "Tiêu <đề>", current
            )
        assert table_header("Số", None) == old.header("Số", None)


def test_a_long_list_drawn_once_marks_whichever_option_is_chosen() -> None:
    """``options_html`` draws a long list once per list object and marks the chosen option in
    that drawing: the same as drawing every option each time, for any choice, in any order."""
    from web.support.templating import LONG_OPTIONS

    units = [(i, f"Trường số {i} <Hải Phòng> & “Kiến An”") for i in range(1, LONG_OPTIONS + 50)]
    fresh = lambda chosen: Markup("").join(option_html(v, t, v == chosen) for v, t in units)
    for chosen in (None, 1, 37, len(units), 37, "37", 10_000, 1):
        assert options_html(units, chosen) == fresh(chosen), chosen
    assert 'value="37" selected' not in options_html(units, "37")  # "37" is not 37
    changed = [*units[:-1], (999, "Trường mới")]  # another list: drawn for itself
    assert options_html(changed, 999) == Markup("").join(
        option_html(v, t, v == 999) for v, t in changed
    )
