"""Vietnamese text helpers: folding for search, alphabetical order, person order."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from models.text import (
    ALPHABET,
    fold,
    nfc,
    person_sort_bytes,
    person_sort_key,
    vi_sort_bytes,
    vi_sort_key,
    whole_number,
    whole_numbers,
)

TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]  # ngang, huyền, hỏi, ngã, sắc, nặng


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- fold --------------------------------------------------------------------------------


def test_fold_examples():
    assert fold("Trần Phú") == "tran phu"
    assert fold("Đặng") == "dang"
    assert fold("ĐẶNG TRẦN CÔN") == "dang tran con"
    assert fold("\u00d0ặng") == "dang"  # eth, as legacy encodings write Đ
    assert fold("\u00f0ỗ") == "do"
    assert fold("  Trường   THPT\tChuyên\nTrần Phú ") == "truong thpt chuyen tran phu"
    assert fold(None) == "" and fold("") == ""
    assert fold("İstanbul") == "istanbul"  # no combining mark survives the case folding


def test_fold_ignores_the_normal_form():
    for text in ("Trần Phú", "Đặng Thị Ánh", "Nguyễn Ngọc Ước", "Trường Tiểu học Đặng Trần Côn"):
        assert nfd(text) != text
        assert fold(nfd(text)) == fold(text)


def test_nfc():
    assert nfc(nfd(" Trần Phú ")) == "Trần Phú" and nfc(None) == ""


letters = st.sampled_from(sorted(set(ALPHABET) | set(ALPHABET.upper())))
syllables = st.builds(
    lambda chars, tone: unicodedata.normalize("NFC", chars[0] + tone + "".join(chars[1:])),
    st.lists(letters, min_size=1, max_size=6),
    st.sampled_from(TONES),
)
vietnamese = st.lists(syllables, min_size=1, max_size=4).map(" ".join)


@given(st.text())
def test_fold_is_idempotent_and_leaves_no_mark(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert not any(unicodedata.category(c) == "Mn" for c in folded)
    assert "đ" not in folded and "ð" not in folded


@given(st.text())
def test_fold_does_not_depend_on_the_normal_form(text):
    assert fold(nfd(text)) == fold(unicodedata.normalize("NFC", text)) == fold(text)


@given(vietnamese)
def test_fold_of_vietnamese_is_plain_ascii(text):
    folded = fold(text)
    assert folded.isascii() and folded == folded.lower()
    assert fold(text.upper()) == folded == fold(nfd(text))
    assert len(folded.split()) == len(text.split())


# --- alphabetical order ------------------------------------------------------------------

ORDERED = [
    "An",
    "Ă",
    "Âu",
    "Ba",
    "Bà",
    "Bạch",
    "Cao",
    "Dung",
    "Dương",
    "Đặng",
    "Em",
    "Ê",
    "Fan",
    "Giang",
    "Hà",
    "Hà Nam",
    "Hàm",
    "Ích",
    "Khoa",
    "Lan",
    "Minh",
    "Nam",
    "Oanh",
    "Ô",
    "Ơn",
    "Phúc",
    "Quang",
    "Sơn",
    "Tâm",
    "Uyên",
    "Ưng",
    "Vân",
    "Xuân",
    "Yến",
]


def test_vi_sort_key_order():
    assert sorted(reversed(ORDERED), key=vi_sort_key) == ORDERED
    assert (
        vi_sort_key("ha")
        < vi_sort_key("hà")
        < vi_sort_key("hả")
        < vi_sort_key("hã")
        < vi_sort_key("há")
        < vi_sort_key("hạ")
        < vi_sort_key("hai")
    )
    assert vi_sort_key("Lê Văn 2") < vi_sort_key("Lê Văn A")
    assert vi_sort_key("\u00d0ặng") == vi_sort_key("Đặng")


def test_person_sort_key_orders_by_given_name():
    people = [
        "Trần Văn Bình",
        "Nguyễn Thị An",
        "Lê Thị Cúc",
        "Đặng Thu Hà",
        "Vũ Minh Khoa",
        "Lê An",
    ]
    assert sorted(people, key=person_sort_key) == [
        "Lê An",
        "Nguyễn Thị An",
        "Trần Văn Bình",
        "Lê Thị Cúc",
        "Đặng Thu Hà",
        "Vũ Minh Khoa",
    ]
    assert person_sort_key("") == ((), ())


@given(vietnamese)
def test_vi_sort_key_ignores_case_and_normal_form(text):
    assert (
        vi_sort_key(nfd(text))
        == vi_sort_key(text)
        == vi_sort_key(text.upper())
        == vi_sort_key(text.lower())
    )


@given(st.lists(letters, max_size=8), st.lists(letters, max_size=8))
def test_toneless_order_follows_the_alphabet(a, b):
    index = [ALPHABET.index(c.lower()) for c in a], [ALPHABET.index(c.lower()) for c in b]
    first, second = vi_sort_key("".join(a)), vi_sort_key("".join(b))
    assert (first < second) == (index[0] < index[1])


@given(syllables, syllables, syllables)
def test_a_word_sorts_before_its_longer_forms(word, next_word, suffix):
    """ "Hà Nam" before "Hàm": a name that is a whole word sorts before longer words."""
    assert (
        vi_sort_key(word) < vi_sort_key(f"{word} {next_word}") < vi_sort_key(word + suffix.lower())
    )


@given(st.lists(vietnamese, max_size=12))
def test_sorting_is_a_total_order(names):
    ordered = sorted(names, key=vi_sort_key)
    assert sorted(ordered, key=vi_sort_key) == ordered
    keys = [vi_sort_key(n) for n in ordered]
    assert keys == sorted(keys)


def test_whole_number_takes_ascii_digits_only():
    assert [whole_number(v) for v in ("42", " 7 ", 5, "0", "007")] == [42, 7, 5, 0, 7]
    for bad in (None, "", "abc", "2.5", "-1", "+3", "1e3", "²", "٣", "1 2", "9" * 19):
        assert whole_number(bad) is None, bad
    assert whole_number("1234567890", max_digits=9) is None
    assert whole_numbers(["3", "x", "²", 4, "3"]) == {3, 4}


@given(st.text(max_size=20))
def test_whole_number_never_raises_and_round_trips(text):
    number = whole_number(text)
    assert number is None or (number >= 0 and int(text.strip()) == number)


# --- sort keys as bytes (stored, ordered by the database) -----------------------------------

# Vietnamese names and anything else: other scripts, digits, punctuation, marks on their own.
any_name = st.one_of(vietnamese, st.text(max_size=12))


def _sign(a, b) -> int:
    return (a > b) - (a < b)


@given(any_name, any_name)
def test_vi_sort_bytes_order_as_the_key_does(a, b):
    assert _sign(vi_sort_bytes(a), vi_sort_bytes(b)) == _sign(vi_sort_key(a), vi_sort_key(b))


@given(any_name, any_name)
def test_person_sort_bytes_order_as_the_key_does(a, b):
    assert _sign(person_sort_bytes(a), person_sort_bytes(b)) == _sign(
        person_sort_key(a), person_sort_key(b)
    )


@given(st.lists(any_name, max_size=12))
def test_sorting_by_the_bytes_is_sorting_by_the_key(names):
    assert [person_sort_key(n) for n in sorted(names, key=person_sort_bytes)] == sorted(
        map(person_sort_key, names)
    )


def test_sort_bytes_of_the_alphabet_examples():
    assert sorted(reversed(ORDERED), key=vi_sort_bytes) == ORDERED
    # Given name first: An < Bình, whatever the family name.
    assert person_sort_bytes("Trần Văn An") < person_sort_bytes("Lê Bình")
    assert person_sort_bytes("") < person_sort_bytes("An") and vi_sort_bytes(None) == b"\x01"
