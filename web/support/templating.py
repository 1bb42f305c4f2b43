"""Template helpers: labels from the workflow definitions, the menu, links."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from flask import Flask, current_app, request, url_for
from markupsafe import Markup, escape

from web.auth.user import current_actor
from web.support.i18n import pick
from web.support.listing import query_args
from web.support.navigation import menu_items
from workflow.core.actors import ROLE_LABELS, Role
from workflow.core.dates import FIELD_PATTERN, PLACEHOLDER, day_text
from workflow.core.kept import Kept
from workflow.core.registry import WORKFLOWS, state_def
from workflow.core.shares import parse_share, share_text, share_words


def state_label(kind: str, state: str) -> str:
    """The state's label in the current language, from its lifecycle definition."""
    sdef = WORKFLOWS[kind].state(state)
    return pick(sdef.label_vi, sdef.label_en)


def state_tone(kind: str, state: str) -> str:
    """The state's tone (``Tone`` value), which the style sheet colours: ``tone-<value>``."""
    return WORKFLOWS[kind].state(state).tone.value


_FIELD = Markup("{}")


def html_field(value: Any) -> Markup:
    """``value`` as ``Markup.format`` writes one field (escaped unless it is markup), by the
    short way for the usual str, int and Markup: a list writes thousands of fields, and
    ``Markup.format`` runs the whole of ``string.Formatter`` for each."""
    kind = type(value)
    if kind is str:
        return escape(value)
    if kind is int:
        return Markup(value)
    if kind is Markup:
        return value
    return _FIELD.format(value)


def state_badge(kind: str, state: str) -> Markup:
    """The state's badge: its label, coloured by its tone; ``data-state`` names the state."""
    return Markup(
        f'<span class="badge tone-{html_field(state_tone(kind, state))}" '
        f'data-state="{html_field(state)}">{html_field(state_label(kind, state))}</span>'
    )


def kind_label(kind: str) -> str:
    wdef = WORKFLOWS[kind]
    return pick(wdef.label_vi, wdef.label_en)


def role_label(role: str | Role) -> str:
    vi, en = ROLE_LABELS[Role(role)]
    return pick(vi, en)


def nav_items() -> list[tuple[str, str, bool]]:
    """(url, label, active) of the menu entries this person may open."""
    return menu_items(current_actor())


def page_url(endpoint: str, **values: Any) -> str:
    """``url_for(endpoint, **values)``, built once per mount point: for the links every page
    has (the header's, the style sheet and scripts), whose URL depends on nothing else."""
    cache = current_app.extensions.setdefault("vinhdanh.page_urls", {})
    key = (request.script_root, endpoint, *sorted(values.items()))
    url = cache.get(key)
    if url is None:
        url = cache[key] = url_for(endpoint, **values)
    return url


def static_url(filename: str) -> str:
    """``url_for("static", filename=...)``, built once per file and mount point."""
    return page_url("static", filename=filename)


# What every page's <head> links, in this order (base.html): (tag, static file).
PAGE_ASSETS = (
    ('<link rel="stylesheet" href="{}">', "app.css"),
    ('<link rel="icon" href="{}" type="image/svg+xml">', "favicon.svg"),
    ('<script src="{}" defer></script>', "js/app.js"),
    ('<script src="{}" defer></script>', "js/datepicker.js"),
    ('<script src="{}" defer></script>', "js/text-limits.js"),
    ('<script src="{}" defer></script>', "js/upload-limits.js"),
    ('<script src="{}" defer></script>', "js/file-chooser.js"),
)


def page_assets() -> Markup:
    """The style sheet, icon and scripts every page links (base.html's <head>), written once
    per mount point."""
    cache = current_app.extensions.setdefault("vinhdanh.page_assets", {})
    found = cache.get(request.script_root)
    if found is None:
        found = cache[request.script_root] = Markup(
            "\n  ".join(tag.format(escape(static_url(name))) for tag, name in PAGE_ASSETS)
        )
    return found


def option_html(value: Any, text: Any, selected: Any = False) -> Markup:
    """One ``<option>``: the ``option`` form macro (macros/forms.html), as a plain function,
    since a select's options are many calls and a macro call costs ten times a function's."""
    mark = " selected" if selected else ""
    return Markup(f'<option value="{html_field(value)}"{mark}>{html_field(text)}</option>')


def options_html(choices: Iterable[tuple[Any, str]], selected: Any) -> Markup:
    """The ``<option>``s of (value, text) pairs, as ``option_html`` writes each one:
    for the long lists (a city's units), where a macro call per option costs more than the
    rest of the page."""
    if not isinstance(choices, list | tuple) or len(choices) < LONG_OPTIONS:
        return Markup("".join(_option(value, text, value == selected) for value, text in choices))
    # Kept by the list's id: the entry holds its list, so no other object has that id meanwhile.
    drawn = _drawn_options.value(id(choices), lambda: _Drawn.of(choices))
    return Markup(drawn.with_selected(selected))


def _option(value: Any, text: str, selected: bool) -> str:
    # Plain text: a Markup joined to a str would escape the str.
    return str(option_html(value, text, selected))


# A list this long is drawn once per list object: the public list's and the Office queue's
# units (a city's 2,000) are lists kept per process until their data moves, and drawing them
# was a tenth of those pages' time.
LONG_OPTIONS = 100
_drawn_options = Kept(16)


class _Drawn(NamedTuple):
    """A long list's options drawn none selected, where each begins, and the list (held, so
    that no other object takes its id while it is kept)."""

    choices: Sequence[tuple[Any, str]]
    html: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, choices: Sequence[tuple[Any, str]]) -> _Drawn:
        parts = [_option(value, text, False) for value, text in choices]
        starts, at = [], 0
        for part in parts:
            starts.append(at)
            at += len(part)
        return cls(choices, "".join(parts), tuple(starts))

    def with_selected(self, selected: Any) -> str:
        """The options with the first whose value equals ``selected`` marked."""
        for i, (value, text) in enumerate(self.choices):
            if value == selected:
                end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.html)
                return self.html[: self.starts[i]] + _option(value, text, True) + self.html[end:]
        return self.html


# The small parts of every form control (macros/forms.html), as functions: a form draws them
# several times per control, and a macro call costs ten times a function's. Each writes
# exactly what its macro wrote.
_REQUIRED_MARK = Markup(' <span class="required" aria-hidden="true">*</span>')
_NOTHING = Markup("")


def form_mark(required: Any) -> Markup:
    """The required mark after a label."""
    return _REQUIRED_MARK if required else _NOTHING


def form_attrs(attrs: dict[str, Any]) -> Markup:
    """Extra attributes: ``name=True`` writes the bare attribute, None and False leave it out."""
    return Markup(
        "".join(
            f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
            for name, value in attrs.items()
            if value is not None and value is not False
        )
    )


def form_described(id: Any, hint: Any) -> Markup:
    """``aria-describedby`` naming the hint, when there is one."""
    return Markup(f' aria-describedby="{escape(id)}-help"') if hint else _NOTHING


def form_help(id: Any, hint: Any, errors: Iterable[Any]) -> Markup:
    """The hint and the errors under a control."""
    shown = f'<p class="hint" id="{escape(id)}-help">{escape(hint)}</p>' if hint else ""
    return Markup(
        shown + "".join(f'<p class="error-text" role="alert">{escape(e)}</p>' for e in errors)
    )


def url_with(**overrides) -> str:
    """The current page's URL with some query arguments changed."""
    return url_for(request.endpoint, **(request.view_args or {}), **query_args(**overrides))


def sort_link(key: str, label: Any, current: str) -> Markup:
    """A link that sorts the list by ``key``, ascending, then descending on the next click
    (the ``sort_link`` of macros/lists.html, as a function: a table has several)."""
    active = current.lstrip("-") == key
    desc = current.startswith("-")
    url = url_with(sort=f"-{key}" if (active and not desc) else key, page=None)
    arrow = (" ▼" if desc else " ▲") if active else ""
    return Markup(f'<a href="{escape(url)}">{escape(label)}{arrow}</a>\n')


def table_header(column: Any, current: str | None) -> Markup:
    """One ``<th>`` of the ``table`` macro (macros/lists.html): ``column`` a header text, or a
    mapping with its ``label``, the ``sort`` key that makes it a sort link, a ``class``."""
    c = column if isinstance(column, Mapping) else {"label": column}
    key = c.get("sort")
    active = key and current and current.lstrip("-") == key
    attrs = f' class="{escape(c.get("class"))}"' if c.get("class") else ""
    if active:
        attrs += f' aria-sort="{"descending" if current.startswith("-") else "ascending"}"'
    label = c.get("label", "")
    inner = sort_link(key, label, current) if key else escape(label)
    return Markup(f'<th scope="col"{attrs}>{inner}</th>\n')


# A day typed dd/mm/yyyy whatever the browser's language (app.js adds the calendar).
DATE_ATTRS = {
    "pattern": FIELD_PATTERN,
    "placeholder": PLACEHOLDER,
    "inputmode": "numeric",
    "autocomplete": "off",
    "data-datepicker": "",
}


def share_label(text: str) -> str:
    """A stored share as people read it: "2/3 (hai phần ba)"."""
    share = parse_share(text)
    if share is None:
        return text
    words = pick(*share_words(share))
    shown = share_text(share)
    return shown if words == shown else f"{shown} ({words})"


def share_name(text: str) -> str:
    """A stored share in words, in the reader's language: "chín phần mười" ("9/10" unnamed)."""
    share = parse_share(text)
    return pick(*share_words(share)) if share is not None else text


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        state_label=state_label,
        state_tone=state_tone,
        state_badge=state_badge,
        state_def=state_def,
        kind_label=kind_label,
        role_label=role_label,
        nav_items=nav_items,
        url_with=url_with,
        static_url=static_url,
        page_url=page_url,
        page_assets=page_assets,
        option_html=option_html,
        options_html=options_html,
        sort_link_html=sort_link,
        table_header_html=table_header,
        form_mark=form_mark,
        form_attrs=form_attrs,
        form_described=form_described,
        form_help=form_help,
        day_text=day_text,
        date_attrs=DATE_ATTRS,
        share_label=share_label,
        share_name=share_name,
        share_text=share_text,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
