"""Shares of a body's members (a quorum, a vote threshold) as exact fractions.

"Hai phần ba" of 9 members is 6, of 50 is 34: a percentage cannot say both (67 % of 9 is 7, 66 %
of 50 is 33). A share is stored as text ("2/3"), read into a ``Fraction``, and the count it
needs is the exact ceiling in integers, never a float.
"""

from __future__ import annotations

import re
from fractions import Fraction

# Names of the shares the law uses, as a meeting's minutes write them.
NAMES: dict[Fraction, tuple[str, str]] = {
    Fraction(1, 2): ("một phần hai", "one half"),
    Fraction(2, 3): ("hai phần ba", "two thirds"),
    Fraction(3, 4): ("ba phần tư", "three quarters"),
    Fraction(4, 5): ("bốn phần năm", "four fifths"),
    Fraction(9, 10): ("chín phần mười", "nine tenths"),
    Fraction(1, 1): ("toàn bộ", "all"),
}
_FRACTION = re.compile(r"^\s*(\d{1,3})\s*/\s*(\d{1,3})\s*$")
_PERCENT = re.compile(r"^\s*(\d{1,3})\s*%?\s*$")


def parse_share(text: str | None) -> Fraction | None:
    """ "2/3" or a whole percentage ("80", "80 %"); None for anything else or outside (0, 1]."""
    text = str(text or "")
    found = _FRACTION.match(text)
    if found:
        numerator, denominator = int(found[1]), int(found[2])
        share = Fraction(numerator, denominator) if denominator else None
    elif found := _PERCENT.match(text):
        share = Fraction(int(found[1]), 100)
    else:
        share = None
    return share if share is not None and 0 < share <= 1 else None


def share_text(share: Fraction) -> str:
    """The share as stored and shown: "2/3"."""
    return f"{share.numerator}/{share.denominator}"


def needed(count: int, share: Fraction) -> int:
    """The fewest of ``count`` that make at least ``share`` of them (exact ceiling)."""
    return -(-count * share.numerator // share.denominator)


def share_words(share: Fraction) -> tuple[str, str]:
    """(Vietnamese, English) words for the share: "hai phần ba", or "2/3" when it has no name."""
    return NAMES.get(share, (share_text(share), share_text(share)))


def share_of(text: str | None, default: str) -> Fraction:
    """A stored share, or ``default`` when it cannot be read (never a silent zero)."""
    return parse_share(text) or parse_share(default)  # type: ignore[return-value]
