"""Vietnamese text helpers: NFC normalisation, diacritic folding, sort keys; whole numbers
typed as text."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, true

# U+00D0 (eth) appears in text converted from legacy encodings in place of U+0110 (Đ).
_D_MAP = str.maketrans({"Đ": "D", "Ð": "D", "đ": "d", "ð": "d"})

# The 29 Vietnamese letters, with f, j, w, z (names, loanwords) at their Latin places.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def nfc(value: str | None) -> str:
    """NFC-normalise and strip; None becomes an empty string."""
    return unicodedata.normalize("NFC", value or "").strip()


def without_diacritics(value: str | None) -> str:
    """The same letters without their marks, case kept, đ→d ("Đặng Văn" → "Dang Van")."""
    text = unicodedata.normalize("NFC", value or "").translate(_D_MAP)
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def fold(value: str | None) -> str:
    """Fold for search: no diacritics, đ→d, casefolded, single spaces ("Đặng" → "dang")."""
    return " ".join(without_diacritics(value).casefold().split())


# Sorting a list of names asks for the same few hundred letters again and again.
@functools.lru_cache(maxsize=4096)
def _letter_key(ch: str) -> tuple[int, int]:
    """Alphabet index of a base letter (with its vowel mark) and its tone."""
    decomposed = unicodedata.normalize("NFD", ch.lower())
    tone = next((_TONES[m] for m in decomposed if m in _TONES), 0)
    base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in _TONES))
    base = "đ" if base == "ð" else base
    idx = ALPHABET.find(base) if len(base) == 1 else -1
    if idx >= 0:
        return idx, tone
    first = ord(base[0]) if base else 0
    # Spaces, digits and punctuation before every letter ("Hà Nam" < "Hàm"), other letters after.
    return (100 + first if base[:1].isalpha() else first - 0x110000), tone


def vi_sort_key(value: str) -> tuple:
    """Vietnamese alphabetical order: letters first (a ă â … đ …), tones second."""
    letters = [_letter_key(c) for c in nfc(value)]
    return (tuple(k[0] for k in letters), tuple(k[1] for k in letters))


def person_sort_key(full_name: str) -> tuple:
    """Persons sort by given name (the last word), then family and middle names."""
    words = nfc(full_name).split()
    if not words:
        return ((), ())
    return (vi_sort_key(words[-1]), vi_sort_key(" ".join(words[:-1])))


def whole_number(value: object, max_digits: int = 18) -> int | None:
    """``value`` as a whole number ≥ 0, or None: blank, "abc", "2.5", "-1", a digit that is not
    ASCII ("²": ``str.isdigit`` accepts it, ``int`` refuses it) and anything longer than
    ``max_digits`` (a database integer holds 18) are not one."""
    text = str(value if value is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= max_digits else None


def whole_numbers(values: Iterable[object]) -> set[int]:
    """The whole numbers among ``values`` (see :func:`whole_number`)."""
    return {n for v in values if (n := whole_number(v)) is not None}


def like_escaped(text: str) -> str:
    """``text`` inside a LIKE pattern escaped with "\\": its own % and _ match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def has_words(column: Any, text: str | None, limit: int = 6) -> ColumnElement[bool]:
    """WHERE clause: every folded word of ``text`` (the first ``limit``) is in ``column``, a
    folded search key ("huong" finds "Hương"); true when there is no word."""
    words = fold(text).split()[:limit]
    return and_(true(), *[column.like(f"%{like_escaped(w)}%", escape="\\") for w in words])


# Byte form of the sort keys: a letter of ``vi_sort_key`` is one byte when it is a letter of
# the alphabet or ASCII (spaces, digits, punctuation: almost every name), four bytes (a tag and
# the code point) otherwise; each tag's range sits where its keys sort, so plain byte order
# (memcmp: BINARY on SQLite, bytea on PostgreSQL) is the order of the tuples.
_END = 0x01  # after the last letter: a name sorts before the longer names it starts
_ASCII = 0x02  # + code point (0x02–0x81): spaces, digits, punctuation, before every letter
_OTHER_MARK = 0x82  # + 3 bytes: a character that is no letter, outside ASCII
_LETTER = 0x83  # + alphabet index (0x83–0xA3)
_OTHER_LETTER = 0xA4  # + 3 bytes: a letter outside the Vietnamese alphabet (ñ, ß, Greek…)


def _letter_bytes(index: int) -> bytes:
    if index < 0:  # no letter: its code point less 0x110000 (see _letter_key)
        point = index + 0x110000
        if point < 0x80:
            return bytes((_ASCII + point,))
        return bytes((_OTHER_MARK,)) + point.to_bytes(3)
    if index < len(ALPHABET):
        return bytes((_LETTER + index,))
    return bytes((_OTHER_LETTER,)) + (index - 100).to_bytes(3)


def _key_bytes(key: tuple) -> bytes:
    letters, tones = key
    return b"".join(map(_letter_bytes, letters)) + bytes((_END, *tones))


def vi_sort_bytes(value: str | None) -> bytes:
    """:func:`vi_sort_key` as bytes whose byte order is the key's order: stored, so the
    database sorts by a plain index instead of a collation over every row."""
    return _key_bytes(vi_sort_key(value or ""))


def person_sort_bytes(full_name: str | None) -> bytes:
    """:func:`person_sort_key` as bytes in the same order (given name first, then the rest).
    The tones of a part have as many bytes as its letters, so the parts need no separator."""
    given, rest = person_sort_key(full_name or "")
    return _key_bytes(given or ((), ())) + _key_bytes(rest or ((), ()))
