"""Vietnamese first, English second: locale choice, the language switch and date formats.

Source strings are Vietnamese (the product's first language); the English catalog lives
in ``web/translations/en``.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from babel.support import Translations
from flask import Blueprint, Flask, current_app, g, redirect, request, session
from flask_babel import LazyString, force_locale, get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from models.clock import VIETNAM
from web.extensions import babel
from web.support.access import public
from web.support.redirects import local_target
from workflow.publication.money import dong

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The person's choice in this session, then their saved preference, then Vietnamese."""
    languages = current_app.config["LANGUAGES"]
    if session.get("lang") in languages:
        return session["lang"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return "vi"


@bp.route("/lang/<code>", methods=["POST"])
@public
def switch(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(local_target(request.form.get("next")))


# Flask-Babel keeps the request's locale and catalog on ``g`` too, but finds them again on
# every call (several context lookups each); pages call these hundreds of times. Kept on
# ``g`` as well, they live exactly as long as Flask-Babel's own choice of locale; to speak
# another language for a moment (an e-mail in its reader's language), use ``in_language``,
# which forgets them on the way in and out, never Flask-Babel's ``force_locale`` alone.
_LANG, _CATALOG = "vinhdanh_lang", "vinhdanh_catalog"


@contextmanager
def in_language(code: str) -> Iterator[None]:
    """Speak ``code`` ("vi" or "en") inside the block, then the request's language again."""
    _forget()
    try:
        with force_locale(code):
            yield
    finally:
        _forget()


def _forget() -> None:
    for name in (_LANG, _CATALOG):
        g.pop(name, None)


def lang() -> str:
    """ "vi" or "en" for the current request (for labels kept as vi/en pairs)."""
    found = g.get(_LANG)
    if found is None:
        found = "en" if str(get_locale()).startswith("en") else "vi"
        setattr(g, _LANG, found)
    return found


def catalog() -> Translations:
    """The current request's catalog (what ``_()`` in templates translates with)."""
    found = g.get(_CATALOG)
    if found is None:
        found = get_translations()
        setattr(g, _CATALOG, found)
    return found


def gettext(text: str, **variables: Any) -> str:
    """Flask-Babel's ``gettext`` through the catalog the request keeps (``catalog``): the same
    words, without finding the catalog again on every call."""
    found = catalog().ugettext(text)
    return found % variables if variables else found


# Per catalog, (text, autoescape) → what ``_(text)`` without arguments gives: a page asks for
# the same constant words on every request (and a list once per row). Keyed by the catalog
# object, so a language switch (``in_language`` too) reads another table.
_TRANSLATED: weakref.WeakKeyDictionary[Translations, dict[tuple, Any]] = weakref.WeakKeyDictionary()
_TRANSLATED_LIMIT = 4096


@pass_context
def template_gettext(context: Context, text: str, **variables: Any) -> Any:
    """``_()`` in templates: what Jinja's new-style ``gettext`` gives (the translation, as
    Markup when the template escapes, always %-formatted with ``variables``), without its
    two indirections per call, and kept per catalog when there are no ``variables``."""
    autoescape = context.eval_ctx.autoescape
    table = catalog()
    kept = _TRANSLATED.get(table)
    if kept is None:
        kept = _TRANSLATED[table] = {}
    key = (text, autoescape, bool(variables))
    found = kept.get(key)
    if found is None:
        found = table.ugettext(text)
        found = Markup(found) if autoescape else found
        # Without variables the %-formatting is the same every time: done once.
        found = found if variables else found % {}
        if len(kept) >= _TRANSLATED_LIMIT:
            kept.clear()
        kept[key] = found
    return found % variables if variables else found


def pick(vi: str, en: str) -> str:
    """The Vietnamese or English one of a pair of labels."""
    return en if lang() == "en" else vi


def lazy_pick(vi: str, en: str) -> LazyString:
    """``pick`` when the text is shown, not now: for labels of form classes built at import."""
    return LazyString(pick, vi, en)


def date_vn(value: dt.date | None) -> str:
    """dd/mm/yyyy, the Vietnamese administrative form."""
    return value.strftime("%d/%m/%Y") if value else ""


def datetime_vn(value: dt.datetime | None) -> str:
    """Local time (Asia/Ho_Chi_Minh) as dd/mm/yyyy HH:mm; a naive time is UTC. Digits only, the
    same in every language: written directly, not through Babel's formatter (lists show a
    time per row)."""
    if not value:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def amount_vn(value: int | None) -> str:
    """An amount of đồng as each language writes it: 2.340.000 (Vietnamese), 2,340,000."""
    if value is None or lang() != "en":
        return dong(value)
    return f"{value:,}"


def multiple_vn(value: Decimal | None) -> str:
    """A multiple of the base salary: 0,3 (Vietnamese), 0.3."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text if lang() == "en" else text.replace(".", ",")


def init_app(app: Flask) -> None:
    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories="translations"
    )
    # The same callables Flask-Babel installs, reading the catalog once per request.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalog().ugettext(s),
        ngettext=lambda s, p, n: catalog().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalog().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals["_"] = template_gettext
    app.register_blueprint(bp)
    app.jinja_env.filters.update(
        date_vn=date_vn, datetime_vn=datetime_vn, amount_vn=amount_vn, multiple_vn=multiple_vn
    )
    app.jinja_env.globals.update(pick=pick, lang=lang)


def english_catalog() -> Translations:
    """The compiled English catalog (for tests and documents)."""
    from pathlib import Path

    return Translations.load(str(Path(__file__).parent.parent / "translations"), ["en"])
