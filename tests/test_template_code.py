"""The compiled templates the test apps share (tests/fixtures/templates.py): compiled once for
environments set up alike, compiled again when the source changes or the setup differs."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from tests.fixtures.templates import SharedTemplateCode


def environment(cache: SharedTemplateCode, source: str, **options) -> Environment:
    return Environment(loader=DictLoader({"page.html": source}), bytecode_cache=cache, **options)


def test_environments_set_up_alike_share_the_compiled_code():
    cache = SharedTemplateCode()
    first = environment(cache, "{{ name }} ")
    second = environment(cache, "{{ name }} ")
    assert first.get_template("page.html").render(name="Hồng") == "Hồng "
    assert len(cache.code) == 1
    assert second.get_template("page.html").render(name="Bình") == "Bình "
    assert len(cache.code) == 1


def test_a_changed_source_is_compiled_again():
    cache = SharedTemplateCode()
    environment(cache, "cũ {{ name }}").get_template("page.html")
    changed = environment(cache, "mới {{ name }}")
    assert changed.get_template("page.html").render(name="Hồng") == "mới Hồng"


def test_environments_set_up_differently_do_not_share():
    cache = SharedTemplateCode()
    source = "{% if true %}\n  <b>{{ name }}</b>\n{% endif %}\n"
    plain = environment(cache, source, autoescape=False)
    trimmed = environment(cache, source, autoescape=True, trim_blocks=True, lstrip_blocks=True)
    assert plain.get_template("page.html").render(name="<i>") == "\n  <b><i></b>\n"
    assert trimmed.get_template("page.html").render(name="<i>") == "  <b>&lt;i&gt;</b>\n"
    assert len(cache.code) == 2
