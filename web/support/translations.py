"""The English translations: extract the Vietnamese source strings, fill in English, compile.

Source strings are Vietnamese. English translations are written in the PO fragments under
``web/translations/fragments/`` (one per area of the app, so parallel work does not clash);
``build()`` merges them into ``en/LC_MESSAGES/messages.po`` and compiles the ``.mo``.
Run ``python -m web.support.translations`` (or ``make translations``); it lists what is
untranslated.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

WEB = Path(__file__).resolve().parent.parent
ROOT = WEB.parent
TRANSLATIONS = WEB / "translations"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
METHODS = [
    ("web/**.py", "python"),
    ("workflow/**.py", "python"),
    ("web/templates/**.html", "jinja2"),
]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "N_": None,
}
OPTIONS = {"web/templates/**.html": {"extensions": "jinja2.ext.do", "trimmed": "true"}}


def extract() -> Catalog:
    """Every translatable string in the sources."""
    catalog = Catalog(locale="en", project="Vinh Danh", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, options_map=OPTIONS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def fragments() -> dict[str, str]:
    """msgid → English, from every fragment."""
    known: dict[str, str] = {}
    for path in sorted((TRANSLATIONS / "fragments").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle):
                if message.id and message.string:
                    known[message.id if isinstance(message.id, str) else message.id[0]] = (
                        message.string
                    )
    return known


def build() -> list[str]:
    """Write messages.po and messages.mo; return the msgids still untranslated."""
    catalog, known = extract(), fragments()
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in known:
            message.string = known[key] if isinstance(message.id, str) else (known[key], known[key])
        else:
            missing.append(key)
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
    with MO.open("wb") as handle:
        write_mo(handle, catalog)
    return missing


if __name__ == "__main__":
    untranslated = build()
    for msgid in untranslated:
        print(f"untranslated: {msgid!r}")
    print(f"{len(untranslated)} untranslated")
    sys.exit(1 if untranslated else 0)
