"""The one way a value becomes a cell of an exported spreadsheet (CSV or XLSX).

Spreadsheet programs run a text cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula, and some also strip a leading tab or carriage return and then do the same. Text
from users (a nominee's name, a position, a title) must never run: OWASP's advice is a
leading apostrophe, which makes the program show the text as it is. Plain numbers, even
written as text (``-12.5``), are left alone, since a spreadsheet reads them as numbers.
DOCX tables do not come here: Word shows a cell's text as text, and an apostrophe would
only misspell a name in a signed decision.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def cell(value: Any) -> Any:
    """``value``, with a leading apostrophe when it is text a spreadsheet would run."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def row(values: Iterable[Any]) -> list[Any]:
    return [cell(value) for value in values]


class CsvWriter:
    """``csv.writer`` whose every row goes through :func:`cell`."""

    def __init__(self, stream: IO[str]) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow(row(values))
